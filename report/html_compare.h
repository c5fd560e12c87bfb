/* html_compare.h: results side by side as one HTML page (`roofline compare --html FILE`): the
 * machines, the comparison table (report/compare.h's rows; the better figure of each row marked
 * in bold with a triangle, not by colour; ratios to the first), and their rooflines overlaid in one
 * chart, each machine's lines with their own dash pattern and labels prefixed [k]. The embedded
 * JSON holds every input: {"schema": "roofline-compare/1", "inputs": [{"name", "result"}...]}. */
#ifndef RL_HTML_COMPARE_H
#define RL_HTML_COMPARE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

#define RL_COMPARE_SCHEMA "roofline-compare/1"

int rl_report_compare_html(rl_buf *b, const rl_result *const *rs, const char *const *names,
                           size_t n, rl_err *err);

#endif
