/* predict.h: a model's time as one runtime will take it, from a runtime profile (runtime.h) and
 * the graph that runtime executes (ort_fuse.h).
 *
 * Every node gets a class (the contract's: conv_pointwise, conv_kxk, conv_strided, conv_stem,
 * conv_depthwise, conv_grouped, conv_transpose, gemm, matmul, pool, elementwise, softmax, norm,
 * reduce, copy; "free" for views, nodes folded at load and nodes fused into another) and a
 * predicted time: the profile's curve for its class at its size (FLOPs for the compute classes,
 * bytes otherwise, of the node with everything fused into it); 0 for free nodes. A class the
 * profile lacks is predicted at the node's roofline bound (its time_s, when the graph was placed
 * on a machine) and listed. Layout reorders are copies. The model:
 *   predicted_s = run_overhead_s + sum over nodes + sum over reorders.
 *
 * Classes beyond the contract, each with a fallback where a profile lacks it: gemv (gemm),
 * transpose, resize, concat, split (copy), broadcast (elementwise whose inputs differ in shape),
 * quantize (Quantize/DequantizeLinear run on their own), elementwise_int8 (the QLinear
 * elementwise ops) (elementwise), conv_int8_depthwise (conv_int8); and conv_int8, gemm_int8,
 * matmul_int8 (int8 products, by int8 operations), which a profile without them predicts at the
 * roofline bound. */
#ifndef RL_PREDICT_H
#define RL_PREDICT_H

#include "common/err.h"
#include "model/ort_fuse.h"
#include "model/roof.h"
#include "model/runtime.h"
#include "model/shape.h"

typedef struct rl_pred_node {
    const char *cls;    /* class name (the curve's: a class the profile lacks takes its fallback) */
    double x;           /* the size its curve is read at (FLOPs or bytes); 0 for free nodes */
    double predicted_s; /* 0 for free nodes */
    int from_bound;     /* its class is not in the profile: the roofline bound (or 0) was used */
    /* the curve that predicted it (NULL: free, from the bound, or of unknown size), its spread
     * (rl_rt_curve.spread) and the interval predicted_s x exp(-+spread) */
    const rl_rt_curve *curve;
    double lo_s, hi_s;
    size_t nearest;    /* the curve's calibration point nearest to x */
    double near_ratio; /* x against that point's (>= 1) */
    int far;           /* no calibration point within RL_RT_NEAR_FACTOR of x, or no curve at all */
} rl_pred_node;

typedef struct rl_prediction {
    const rl_runtime *rt;
    const rl_rt_threads *th;
    rl_fuse_view fuse;
    rl_pred_node *n;      /* one per graph node (graph's arena) */
    double *reorder_s;    /* one per fuse.reorders */
    double nodes_s;       /* sum over nodes */
    double reorders_s;    /* sum over reorders */
    double total_s;       /* run overhead + nodes + reorders */
    const char **missing; /* classes met that the profile lacks */
    size_t n_missing;
    size_t n_uncosted; /* executed nodes whose size is unknown: node overhead only */
    /* How sure: the total's interval. Within a class the nodes' errors add up (one curve, one
     * bias), so a class's half-width is the sum of its nodes'; classes are independent, so the
     * total's half-width is the root of the sum of their squares. Nodes predicted from the bound
     * or of unknown size have no calibration and add nothing: they are counted in n_far. */
    double lo_s, hi_s;
    size_t n_far; /* executed nodes with far set (names: the nodes' own) */
} rl_prediction;

/* The class of node i given the fused view. */
const char *rl_predict_class(const rl_graph *g, const rl_fuse_view *v, size_t i);

/* Builds the fused view (nchwc_block as in rl_ort_fuse) and predicts every node with the
 * profile's entry for `threads`. mc: the machine the graph was placed on (rl_roof_place), whose
 * bound stands in for a class the profile lacks; NULL: none (such nodes get the node overhead).
 * Errors: out of memory; no entry for `threads` (RL_EXIT_USAGE). */
int rl_predict(const rl_graph *g, const rl_runtime *rt, int threads, int nchwc_block,
               const rl_roof_machine *mc, rl_prediction *p, rl_err *err);

#endif
