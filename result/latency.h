/* latency.h: what the latency rows of a result (rl_latency) say when read together: the
 * staircase's steps matched to the cache levels, the loaded curve's knee and top bandwidth, the
 * NUMA matrix's remote penalties and weak nodes, and the one DRAM figure a fleet compares. Pure
 * functions of a result: the runner measures the rows, the report and the fleet print what these
 * find, and neither re-derives it. */
#ifndef RL_RESULT_LATENCY_H
#define RL_RESULT_LATENCY_H

#include <stddef.h>

#include "result/result.h"
#include "result/sweep.h"

/* A NUMA node (or a fleet's node) whose figure is this much worse than the median of its peers is
 * flagged: latency above, bandwidth below. */
#define RL_LATENCY_FLAG_THRESHOLD 0.10

/* The steps of a latency-vs-size sweep (kind "sweep") of `device` on page kind `pages`: the flat
 * stretches of the curve (within 12%, at least 3 points, as the bandwidth sweep's), their median
 * ns in p.gbs, and each edge matched to a probed cache (rl_sweep_match_edge, one thread). Returns
 * how many (at most max). */
size_t rl_latency_steps(const rl_result *r, const char *device, const char *pages,
                        rl_sweep_level *out, size_t max);

/* The idle DRAM figure of `device`: the best (lowest ns) "idle" DRAM row on the largest pages
 * measured (1g, then thp, then 4k: the TLB's share left out where it can be), or NULL. */
const rl_latency *rl_latency_dram(const rl_result *r, const char *device);

/* The devices with latency rows, in first-seen order (at most max); returns how many. */
size_t rl_latency_devices(const rl_result *r, const char **out, size_t max);

/* ---- the loaded-latency curve ---- */

/* One mix's curve, in the rows' order (lowest offered rate first). The knee is the last point
 * whose latency stays under RL_LATENCY_KNEE x the curve's first (least loaded) latency: past it
 * the memory stops taking more traffic without making every access wait. */
#define RL_LATENCY_KNEE 1.5
typedef struct rl_latency_curve {
    char mix[16];
    size_t first, n; /* rows of r->latency: the curve's points are the kind "loaded" rows of
                        this mix and device from `first`, n of them */
    double top_gbs;  /* the most traffic reached */
    double knee_gbs; /* the traffic at the knee; <0 when there are fewer than 2 points */
    double knee_ns;
    double idle_ns; /* the first point's latency */
} rl_latency_curve;

/* The loaded curves of `device`, one per mix in first-seen order; returns how many (<= max). */
size_t rl_latency_curves(const rl_result *r, const char *device, rl_latency_curve *out, size_t max);

/* The bandwidth kernel a mix's traffic threads run (kernels/stream.h names) and whether its stores
 * are non-temporal: read = load; 3:1 = triad4 (nt); 2:1 = triad (nt); 1:1 = copy (nt);
 * stream-write = store (nt). The byte ratios are of the memory traffic: with non-temporal stores
 * there is no write-allocate read. Returns 0, or -1 when `mix` is not one of them. */
int rl_latency_mix_kernel(const char *mix, const char **kernel, int *nt);

/* The bandwidth row a curve's top is compared with: the same kernel and store kind at DRAM, at
 * the curve's traffic thread count when measured, else at the most threads; NULL when none. */
const rl_bandwidth *rl_latency_curve_reference(const rl_result *r, const rl_latency_curve *c);

/* ---- the NUMA matrix ---- */

#define RL_LATENCY_MAX_NODES 16

typedef struct rl_latency_numa {
    int n;                                                      /* nodes: rows and columns */
    int node[RL_LATENCY_MAX_NODES];                             /* OS node numbers, ascending */
    double ns[RL_LATENCY_MAX_NODES][RL_LATENCY_MAX_NODES];      /* [cpu][mem]; <0 not measured */
    double gbs[RL_LATENCY_MAX_NODES][RL_LATENCY_MAX_NODES];     /* [cpu][mem]; <0 not measured */
    double penalty[RL_LATENCY_MAX_NODES][RL_LATENCY_MAX_NODES]; /* ns / the cpu node's local ns */
    int weak[RL_LATENCY_MAX_NODES]; /* 1: its local latency is RL_LATENCY_FLAG_THRESHOLD above, or
                                       its local bandwidth as far below, the median of the other
                                       nodes' local figures */
} rl_latency_numa;

/* The matrix of the "numa" rows of `device`; returns the node count (0: none). */
int rl_latency_numa_of(const rl_result *r, const char *device, rl_latency_numa *out);

#endif
