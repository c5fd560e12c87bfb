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

/* Writes every requested output (JSON first), each atomically; "-" is stdout. */
int rl_report_fleet_files(const rl_fleet *f, const rl_outputs *o, rl_err *err);

#endif
