/* buf.h: a growable byte buffer with printf, for writers that build a whole file before writing it
 * atomically with rl_outfile_write. Allocation failure is sticky: `failed` is set and later appends
 * do nothing, so a writer checks once at the end. */
#ifndef RL_BUF_H
#define RL_BUF_H

#include <stddef.h>

typedef struct rl_buf {
    char *data; /* NUL-terminated while len > 0 */
    size_t len, cap;
    int failed;
} rl_buf;

void rl_buf_printf(rl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rl_buf_append(rl_buf *b, const char *s, size_t n);
void rl_buf_free(rl_buf *b); /* accepts NULL; leaves an empty buffer */
/* Appends s as XML text or attribute content: &, <, >, " become entities and control bytes below
 * 0x20 (tab and newline included) are dropped, so the output is well-formed whatever s holds. */
void rl_buf_xml_escape(rl_buf *b, const char *s);

#endif
