/* latency_svg.h: the latency charts (`--svg FILE` writes them beside the roofline chart as
 * FILE-latency.svg and FILE-loaded.svg, report/output.c): the staircase (ns per step against the
 * working set, log-log, one line per device and page kind; the idle level figures as points when
 * there was no sweep, the cache sizes marked) and the loaded-latency curves (ns against the traffic
 * moved, one line per device and mix). Self-contained SVG in the roofline chart's style. */
#ifndef RL_LATENCY_SVG_H
#define RL_LATENCY_SVG_H

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

/* 1 when r has rows the chart draws: staircase (sweep or idle rows), loaded (loaded rows). */
int rl_latency_svg_has_staircase(const rl_result *r);
int rl_latency_svg_has_loaded(const rl_result *r);

/* Append the SVG document to b. Return 0, or -1 with err on allocation failure. */
int rl_report_svg_staircase(rl_buf *b, const rl_result *r, rl_err *err);
int rl_report_svg_loaded(rl_buf *b, const rl_result *r, rl_err *err);

#endif
