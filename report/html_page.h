/* html_page.h: what every HTML page shares: text escaping, tables, the page's data block and the
 * assembly of a whole page from the embedded template (report/html_assets.h).
 *
 * A page is one self-contained file: the styles and the script are inlined, charts are inline SVG,
 * and the document it shows is embedded as JSON in <script type="application/json"
 * id="roofline-data">, so the page is also the data (result/embed.h reads it back). Every page
 * reads with scripting off; the script only adds interaction (report/html/page.js). */
#ifndef RL_HTML_PAGE_H
#define RL_HTML_PAGE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"
#include "report/table.h"

/* Appends `s` escaped for HTML text and double-quoted attribute values. */
void rl_html_text(rl_buf *b, const char *s);
/* printf, then escaped. */
void rl_html_textf(rl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A rl_table as an HTML table: row 0 the header, 'r' columns right-aligned (class "num"). `cls`
 * goes on the table ("sortable", "filterable": page.js acts on them); `id` may be NULL. The table
 * sits in a div that scrolls sideways on narrow screens. */
void rl_html_table(rl_buf *b, const rl_table *t, const char *id, const char *cls);

/* A two-column key/value table (class "kv"): begin, rows, end. */
void rl_html_kv_begin(rl_buf *b);
void rl_html_kv(rl_buf *b, const char *key, const char *value);
void rl_html_kv_end(rl_buf *b);

/* Lines ("\n"-separated, as rl_view_warnings writes them) as a list; nothing when empty. */
void rl_html_lines(rl_buf *b, const char *lines, const char *cls);

/* The whole page: the template filled with `kind` ("result", "fleet", "model", "compare",
 * "index"), `title`, the body and the JSON document `json` (its '<' written as \u003c, which JSON
 * reads back unchanged, so nothing in it can close the script element). Returns 0, or -1 with err
 * when out of memory. */
int rl_html_page(rl_buf *out, const char *kind, const char *title, const rl_buf *body,
                 const char *json, rl_err *err);

#endif
