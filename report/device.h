/* device.h: the sections of the other devices in a result (GPUs: r->devices) in the terminal
 * summary and the Markdown report: identity, clocks and memory, theoretical peaks, measured compute
 * and memory ceilings beside their theory, ridge points. Nothing is printed for a CPU-only result.
 */
#ifndef RL_REPORT_DEVICE_H
#define RL_REPORT_DEVICE_H

#include "common/buf.h"
#include "result/result.h"

/* markdown: 0 terminal tables, 1 Markdown tables. */
void rl_report_devices(rl_buf *b, const rl_result *r, int markdown);

/* One device's sections as HTML (facts, theoretical peaks, measured ceilings, ridge points), for
 * the HTML page (report/html.h), which writes the device's heading and chart. */
void rl_report_device_html(rl_buf *b, const rl_device *d);
/* What concerns all of them, as HTML: the GPU-to-GPU link matrices and the findings. */
void rl_report_devices_html_links(rl_buf *b, const rl_result *r);

#endif
