/* svg.h: the roofline chart (`--svg FILE`).
 *
 * Log-log axes of arithmetic intensity (FLOP/byte) against GFLOP/s; one horizontal ceiling per
 * ISA/precision (measured, at the most threads run), one slanted ceiling per memory level (best
 * counted GB/s), the theoretical peak and DRAM ceilings dashed, ridge points marked (filled:
 * measured, hollow: theoretical), labelled axes, a legend and the machine in the title. The file is
 * self-contained: no scripts, no external fonts or images, generic font families only. */
#ifndef RL_SVG_H
#define RL_SVG_H

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

/* Appends the SVG document to `b`. Returns 0, or -1 with err on allocation failure. */
int rl_report_svg(rl_buf *b, const rl_result *r, rl_err *err);

/* The chart of r->devices[dev] (a GPU): its measured compute and memory ceilings, its theoretical
 * DRAM line and peaks, in the same style. */
int rl_report_svg_device(rl_buf *b, const rl_result *r, size_t dev, rl_err *err);

#endif
