/* table.c: string grids rendered three ways (see table.h). */
#include "report/table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rl_table_init(rl_table *t, const char *align)
{
    memset(t, 0, sizeof *t);
    size_t n = strlen(align);
    if (n > RL_TABLE_MAX_COLS)
        n = RL_TABLE_MAX_COLS;
    memcpy(t->align, align, n);
    t->ncols = n;
}

void rl_table_free(rl_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->rows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->rows = t->cap_rows = t->cur = 0;
}

void rl_table_row(rl_table *t)
{
    if (t->failed)
        return;
    if (t->rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
        char **p = realloc(t->cells, cap * t->ncols * sizeof *p);
        if (!p) {
            t->failed = 1;
            return;
        }
        t->cells = p;
        t->cap_rows = cap;
    }
    memset(t->cells + t->rows * t->ncols, 0, t->ncols * sizeof *t->cells);
    t->rows++;
    t->cur = 0;
}

void rl_table_cell(rl_table *t, const char *fmt, ...)
{
    if (t->failed || t->rows == 0 || t->cur >= t->ncols)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s) {
        t->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->cells[(t->rows - 1) * t->ncols + t->cur++] = s;
}

static const char *cell(const rl_table *t, size_t r, size_t c)
{
    const char *s = t->cells[r * t->ncols + c];
    return s ? s : "";
}

static void pad(rl_buf *b, size_t n, char ch)
{
    for (size_t i = 0; i < n; i++)
        rl_buf_append(b, &ch, 1);
}

/* Removes trailing spaces from the line just written (it starts at `from`). */
static void trim_line(rl_buf *b, size_t from)
{
    while (b->len > from && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
}

void rl_table_text(const rl_table *t, rl_buf *b, const char *indent)
{
    size_t width[RL_TABLE_MAX_COLS] = {0};
    if (t->failed) {
        b->failed = 1;
        return;
    }
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = strlen(cell(t, r, c));
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->rows; r++) {
        size_t start = b->len;
        rl_buf_printf(b, "%s", indent);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = cell(t, r, c);
            size_t w = strlen(s);
            if (c > 0)
                rl_buf_append(b, "  ", 2);
            if (t->align[c] == 'r')
                pad(b, width[c] - w, ' ');
            rl_buf_append(b, s, w);
            if (t->align[c] != 'r')
                pad(b, width[c] - w, ' ');
        }
        trim_line(b, start);
        rl_buf_append(b, "\n", 1);
        if (r == 0) {
            rl_buf_printf(b, "%s", indent);
            for (size_t c = 0; c < t->ncols; c++) {
                if (c > 0)
                    rl_buf_append(b, "  ", 2);
                pad(b, width[c], '-');
            }
            rl_buf_append(b, "\n", 1);
        }
    }
}

static void md_cell(rl_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            rl_buf_append(b, "\\|", 2);
        else if (*s == '\n')
            rl_buf_append(b, " ", 1);
        else
            rl_buf_append(b, s, 1);
    }
}

void rl_table_markdown(const rl_table *t, rl_buf *b)
{
    if (t->failed) {
        b->failed = 1;
        return;
    }
    for (size_t r = 0; r < t->rows; r++) {
        rl_buf_append(b, "|", 1);
        for (size_t c = 0; c < t->ncols; c++) {
            rl_buf_append(b, " ", 1);
            md_cell(b, cell(t, r, c));
            rl_buf_append(b, " |", 2);
        }
        rl_buf_append(b, "\n", 1);
        if (r == 0) {
            rl_buf_append(b, "|", 1);
            for (size_t c = 0; c < t->ncols; c++)
                rl_buf_printf(b, " %s |", t->align[c] == 'r' ? "---:" : "---");
            rl_buf_append(b, "\n", 1);
        }
    }
}

void rl_csv_field(rl_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        rl_buf_append(b, s, strlen(s));
        return;
    }
    rl_buf_append(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            rl_buf_append(b, "\"\"", 2);
        else
            rl_buf_append(b, s, 1);
    }
    rl_buf_append(b, "\"", 1);
}

void rl_table_csv(const rl_table *t, rl_buf *b, int with_header)
{
    if (t->failed) {
        b->failed = 1;
        return;
    }
    for (size_t r = with_header ? 0 : 1; r < t->rows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c > 0)
                rl_buf_append(b, ",", 1);
            rl_csv_field(b, cell(t, r, c));
        }
        rl_buf_append(b, "\n", 1);
    }
}
