/* runtime.h: a runtime profile (schema roofline-runtime/1): how close one inference runtime (ONNX
 * Runtime from npm, say) gets to the roof on this machine, per class of work and thread count,
 * measured by scripts/calibrate-ort.sh on generated single-operator micro-models; and the
 * prediction of a node's time from it.
 *
 * Each class holds a curve of points (x, time_s): x is the node's FLOPs for the compute classes
 * (conv_*, gemm, matmul) and its bytes (read + written) for the others; time_s is one node of that
 * size inside a running model, the per-node overhead included. A node is predicted as
 *   node_overhead_s + u(x) * x,  u_i = max(time_s_i - node_overhead_s, 0) / x_i,
 * u linear in log(x) between neighbouring points and clamped to the end points outside them.
 * A model is run_overhead_s + the sum over the nodes the runtime executes (model/ort_fuse.h).
 *
 * The reader checks every field and names the first bad one:
 *   p.json: field 'threads[0].classes.gemm[2].time_s': expected a positive number
 * (RL_EXIT_INPUT). Everything is malloc'd; rl_runtime_free releases it. */
#ifndef RL_RUNTIME_H
#define RL_RUNTIME_H

#include <stddef.h>

#include "common/err.h"

#define RL_RUNTIME_SCHEMA "roofline-runtime/1"

typedef struct rl_rt_point {
    double x, time_s, flops, bytes;
    char what[160]; /* "Conv 1x64x56x56 k3 s1 g1 ->64", truncated; "" when the file has none */
} rl_rt_point;

typedef struct rl_rt_curve {
    char name[32]; /* the class: "conv_kxk", "gemm", ... (names outside the contract are kept) */
    rl_rt_point *pts;
    size_t n; /* >= 3, x strictly ascending */
    /* How far the curve misses its own points, computed when the profile is read: each point
     * predicted by the curve without it (leave-one-out), r = ln(time_s / prediction); spread is
     * the root mean square of r over the points. A prediction from this curve is uncertain by a
     * factor of about exp(spread) either way. */
    double spread;
} rl_rt_curve;

typedef struct rl_rt_threads {
    int threads;
    double run_overhead_s;  /* one session.run of a near-empty model */
    double node_overhead_s; /* fixed cost of one executed kernel */
    rl_rt_curve *curves;
    size_t n_curves;
} rl_rt_threads;

typedef struct rl_runtime {
    char file[256];
    char name[64], version[32], optimization[32], provider[32];
    char cpu[128], vendor[32];
    int family, model, logical_cpus;
    char created[40];
    char calibration[256];
    rl_rt_threads *threads;
    size_t n_threads;
} rl_runtime;

/* Reads and checks `path`. Errors: RL_EXIT_INPUT naming the file and the field. */
int rl_runtime_read(const char *path, rl_runtime **out, rl_err *err);
/* The same from a buffer (`name` in messages): the entry point the fuzzer uses. */
int rl_runtime_parse(const char *text, size_t len, const char *name, rl_runtime **out, rl_err *err);
void rl_runtime_free(rl_runtime *p); /* accepts NULL */

/* The entry for `threads`, or NULL. */
const rl_rt_threads *rl_runtime_threads(const rl_runtime *p, int threads);
/* "1, 2" into out: the thread counts the profile holds, for messages. */
void rl_runtime_thread_list(const rl_runtime *p, char *out, size_t size);

/* The curve of class `name`, or NULL. */
const rl_rt_curve *rl_rt_curve_find(const rl_rt_threads *t, const char *name);

/* 1 when the class's curve is indexed by FLOPs (conv_* including conv_int8, gemm, matmul,
 * gemm_int8, matmul_int8: int8 operations for the int8 ones), 0 by bytes. */
int rl_rt_class_by_flops(const char *name);

/* One node of size x (> 0) of curve c: node_overhead + u(x) * x (see above). x <= 0 gives the
 * node overhead alone. */
double rl_rt_curve_predict(const rl_rt_curve *c, double node_overhead_s, double x);

/* The leave-one-out spread of curve c (see rl_rt_curve.spread); 0 for fewer than 3 points. */
double rl_rt_curve_spread(const rl_rt_curve *c, double node_overhead_s);

/* The calibration point of c nearest to x (in log x), and through *ratio (may be NULL) how many
 * times larger or smaller x is than it (>= 1). */
size_t rl_rt_curve_nearest(const rl_rt_curve *c, double x, double *ratio);

/* A node is near its calibration when a point of its curve lies within this factor of its size;
 * the prediction names the others (the curve's end points stretched, or a gap between points). */
#define RL_RT_NEAR_FACTOR 4.0

#endif
