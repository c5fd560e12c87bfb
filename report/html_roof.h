/* html_roof.h: a result's roofline, or one of its devices', as the roofs and ridge points of an
 * HTML chart (report/html_chart.h). The same ceilings the SVG chart and the tables show
 * (report/view.h): per ISA and precision the best measured figure at the most threads, per memory
 * level the best counted figure, per precision the theoretical peak (dashed) and the theoretical
 * DRAM line, and the ridge points against DRAM (measured filled, theoretical hollow).
 *
 * `group` keeps overlaid machines apart (a comparison: one group per machine); `machine` (NULL for
 * a page of one machine) tags every element "machine:<it>" and prefixes the labels with it, and
 * `extra_cls` ("dash1"...) gives that machine's lines their own pattern; `with_theory` 0 leaves the
 * theoretical lines and ridges out (an overlay of several machines would be unreadable). */
#ifndef RL_HTML_ROOF_H
#define RL_HTML_ROOF_H

#include "report/html_chart.h"
#include "result/result.h"

/* The CPU part of r; nothing when r measured no CPU figure and has no CPU theory. */
void rl_html_roof_result(rl_hchart *c, const rl_result *r, int group, const char *machine,
                         const char *extra_cls, int with_theory);
void rl_html_roof_device(rl_hchart *c, const rl_device *d, int group, const char *machine,
                         const char *extra_cls, int with_theory);

/* Does the result hold a CPU part worth a chart (measurements or a theoretical peak)? */
int rl_html_has_cpu(const rl_result *r);

#endif
