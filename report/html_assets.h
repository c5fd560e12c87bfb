/* html_assets.h: the page's template, styles and script (report/html/page.html, page.css,
 * page.js), embedded into the binary at build time: the Makefile turns each file into a byte array
 * in $(BUILD)/gen/html_assets.c, so the assets are edited and linted as HTML, CSS and JS and the
 * pages still need no file beside the binary. Each array ends in a NUL that `_len` leaves out. */
#ifndef RL_HTML_ASSETS_H
#define RL_HTML_ASSETS_H

#include <stddef.h>

extern const unsigned char rl_html_page_html[];
extern const size_t rl_html_page_html_len;
extern const unsigned char rl_html_page_css[];
extern const size_t rl_html_page_css_len;
extern const unsigned char rl_html_page_js[];
extern const size_t rl_html_page_js_len;

#endif
