/* fleet.h: the fleet report (`roofline-fleet`, and `roofline report FLEET.json`): one row per node
 * (host, status, CPU, cores, sockets/NUMA, clock, fp64 and fp32 peak, DRAM and L3 bandwidth, I_max,
 * fp64 efficiency against theory), the hardware groups with each group's median, and the flags:
 * every node whose ceiling fell more than a threshold below its group's median or below its own
 * theory, named with the ceiling that fell (result/fleet.h derives them; this file only renders).
 *
 * Terminal text, Markdown, CSV (one table: a "node" row per node, a "median" row per group, a
 * "flag" row per flag) and an SVG (one panel per ceiling, a bar per node, the group's median drawn
 * across its bars, flagged bars in red). */
#ifndef RL_REPORT_FLEET_H
#define RL_REPORT_FLEET_H

#include "common/buf.h"
#include "common/err.h"
#include "report/output.h"
#include "result/fleet.h"

/* Each appends its rendering to `b`. Return 0, or -1 with err (out of memory). */
int rl_report_fleet_text(rl_buf *b, const rl_fleet *f, rl_err *err);
int rl_report_fleet_markdown(rl_buf *b, const rl_fleet *f, rl_err *err);
int rl_report_fleet_csv(rl_buf *b, const rl_fleet *f, rl_err *err);
int rl_report_fleet_svg(rl_buf *b, const rl_fleet *f, rl_err *err);

/* One flag as a sentence ("n2: fp64 peak 45.6 GFLOP/s is 50.0% below its group's median
 * (91.3 GFLOP/s)"), and node i's flags in short ("fp64 -50%, DRAM latency +30%"), as every
 * rendering (the HTML page too) words them. */
void rl_report_fleet_flag_line(rl_buf *b, const rl_fleet *f, const rl_fleet_flag *fl);
void rl_report_fleet_node_flags(const rl_fleet_summary *s, size_t i, char *out, size_t size);

/* Writes every requested output (JSON first), each atomically; "-" is stdout. */
int rl_report_fleet_files(const rl_fleet *f, const rl_outputs *o, rl_err *err);

#endif
