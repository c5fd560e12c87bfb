/* html_fleet.h: a fleet (`roofline-fleet`, a fleet file given to `report`) as one HTML page: the
 * headline and thresholds, the flags (each node named with the ceiling that fell and by how much),
 * the node table (sortable, filterable, flagged rows marked in words and colour, the fallen
 * figures marked in their cells), the hardware groups with their medians, the per-NUMA DRAM
 * shares, and each node's own roofline one click away (a section per node that answered, up to
 * RL_HTML_FLEET_NODE_CHARTS of them: beyond that the page would weigh megabytes, and the node's
 * result is still in the embedded fleet JSON). */
#ifndef RL_HTML_FLEET_H
#define RL_HTML_FLEET_H

#include "common/buf.h"
#include "common/err.h"
#include "result/fleet.h"

#define RL_HTML_FLEET_NODE_CHARTS 64

int rl_report_fleet_html(rl_buf *b, const rl_fleet *f, rl_err *err);

/* The body alone (no page around it). */
int rl_report_fleet_html_body(rl_buf *b, const rl_fleet *f, rl_err *err);

#endif
