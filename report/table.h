/* table.h: a grid of short strings, rendered as an aligned terminal table, a Markdown table or CSV.
 *
 * The summary, the Markdown tables and the comparison build their rows once and pick a rendering,
 * so the three never disagree. Row 0 is the header. Cells are ASCII (widths are byte counts).
 * Allocation failure is sticky (`failed`), as in rl_buf: check once when rendering. */
#ifndef RL_TABLE_H
#define RL_TABLE_H

#include <stddef.h>

#include "common/buf.h"

#define RL_TABLE_MAX_COLS 24

typedef struct rl_table {
    size_t ncols;
    char align[RL_TABLE_MAX_COLS + 1]; /* 'l' or 'r' per column */
    char **cells;                      /* row-major, rows * ncols; NULL cell = "" */
    size_t rows, cap_rows;
    size_t cur; /* next column to fill in the last row */
    int failed;
} rl_table;

/* align: one 'l' or 'r' per column ("llrr"); its length is the column count. */
void rl_table_init(rl_table *t, const char *align);
void rl_table_free(rl_table *t); /* accepts NULL */

/* Starts a row (the first one is the header); cells are then filled left to right. */
void rl_table_row(rl_table *t);
void rl_table_cell(rl_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Terminal: each line starts with `indent`, columns separated by two spaces, a dashed rule under
 * the header, trailing spaces trimmed. */
void rl_table_text(const rl_table *t, rl_buf *b, const char *indent);
/* Markdown (GitHub) pipe table; '|' in a cell is escaped. */
void rl_table_markdown(const rl_table *t, rl_buf *b);
/* CSV (RFC 4180): fields quoted when they hold a comma, quote or newline; CRLF is not used. */
void rl_table_csv(const rl_table *t, rl_buf *b, int with_header);

/* Appends one CSV field (quoted when needed), no separator. */
void rl_csv_field(rl_buf *b, const char *s);

#endif
