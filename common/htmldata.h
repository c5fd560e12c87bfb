/* htmldata.h: the JSON document a page written by --html carries, found again.
 *
 * A page embeds its result as <script type="application/json" id="roofline-data">JSON</script>
 * (report/html_page.h), with every '<' in the JSON written as \u003c, so the element's content is
 * the JSON unchanged and nothing in it can end the element early. Readers of result and fleet
 * files (result/result.h, result/fleet.h) take such a page wherever they take the JSON. */
#ifndef RL_HTMLDATA_H
#define RL_HTMLDATA_H

#include <stddef.h>

#include "common/err.h"

#define RL_HTMLDATA_ID "roofline-data"

/* 1 when the first byte that is not white space is '<' (an HTML page, not JSON). */
int rl_htmldata_is_html(const char *text, size_t len);

/* Finds the data element's content: returns 0 and sets *start and *n, or -1 when the page has no
 * complete data element. */
int rl_htmldata_find(const char *text, size_t len, size_t *start, size_t *n);

/* Where text (NUL-terminated, *len bytes) is such a page, replaces it in place by its data
 * element's content and updates *len; JSON is left as it is. Returns 0, or -1 with err
 * (RL_EXIT_INPUT, naming `path`) for a page without a complete data element. */
int rl_htmldata_unwrap(char *text, size_t *len, const char *path, rl_err *err);

#endif
