/* sweep.h: what a bandwidth-vs-size sweep measured, read back as levels: the flat stretches
 * (plateaus) of the curve, where it leaves each one (the edge), and which probed cache that edge
 * matches. Pure functions of a result or of arrays: the runner measures the points, the report
 * prints what these find, and neither needs the other. */
#ifndef RL_SWEEP_H
#define RL_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "result/result.h"

/* The most points one curve holds: the runner stops its sweep there and the analysis reads no
 * more. */
#define RL_SWEEP_MAX_POINTS 256

typedef struct rl_sweep_plateau {
    size_t first, last; /* indexes of the sweep points it spans */
    double gbs;         /* median of its points */
    double edge_bytes;  /* where the curve leaves it for the next plateau: the size at which it
                           crosses the geometric mean of the two levels; 0 for the last one */
} rl_sweep_plateau;

/* Finds the flat stretches of a bandwidth-vs-size curve (bytes ascending). A plateau is a run of
 * at least `min_points` points within `tol` (relative, e.g. 0.12) of its median; one stray point
 * inside a run does not break it; neighbouring plateaus within `tol` of each other are merged.
 * Reads at most RL_SWEEP_MAX_POINTS points. Returns how many were found (at most `max` are
 * written). */
size_t rl_sweep_plateaus(const double *bytes, const double *gbs, size_t n, double tol,
                         size_t min_points, rl_sweep_plateau *out, size_t max);

/* Names the probed cache an edge matches: the cache level whose capacity per thread (for `threads`
 * threads) is within a factor of 2 of `edge_bytes`, e.g. "L2 (512 KiB)"; returns its level or 0
 * and writes "no probed cache near it" when none is. */
int rl_sweep_match_edge(const rl_machine *m, double edge_bytes, int threads, char *out,
                        size_t size);

/* The plateaus of the sweep entries of `r` (level "sweep", regular stores) for one kernel and
 * thread count, found within 12% and over at least 3 points, each edge matched against the probed
 * caches of r->machine. Writes up to `max` (16 at most are found) and returns how many. */
typedef struct rl_sweep_level {
    rl_sweep_plateau p;
    uint64_t from_bytes, to_bytes; /* sizes of its first and last point */
    char match[64];                /* rl_sweep_match_edge's text for its edge; "" for the last */
} rl_sweep_level;
size_t rl_sweep_levels(const rl_result *r, const char *kernel, int threads, rl_sweep_level *out,
                       size_t max);

#endif
