/* html.h: a result as one self-contained HTML page (`--html FILE`).
 *
 * The page holds the machine, every ceiling beside its theory with its efficiency, the ridge
 * points, the theoretical peaks, each other device (GPU), the warnings and the provenance
 * (version, date, compiler, settings, command line), an interactive roofline chart per device
 * (report/html_chart.h), and the result itself as JSON, so that `roofline report PAGE.html` reads
 * it back. The fleet, model, comparison and site pages are in their own files (html_fleet.h,
 * html_model.h, html_compare.h, publish.h); all of them share html_page.h. */
#ifndef RL_HTML_H
#define RL_HTML_H

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

/* Appends the page to `b` (an rl_render_fn, report/output.h). Returns 0, or -1 with err. */
int rl_report_html(rl_buf *b, const rl_result *r, rl_err *err);

/* The page's body sections (no <html> around them), for pages that show a result inside another
 * page (a fleet's nodes). `id` prefixes the element ids so that several results can share a page.
 */
void rl_report_html_body(rl_buf *b, const rl_result *r, const char *id, int heading_level);

/* Just the charts of r (the CPU's, then each device's), each with its heading at `heading_level`.
 */
void rl_report_html_charts(rl_buf *b, const rl_result *r, const char *id, int heading_level);

#endif
