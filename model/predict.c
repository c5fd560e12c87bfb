/* predict.c: classes and predicted times (see predict.h). */
#include "model/predict.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "model/cost.h"

static int in_list(const char *op, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(op, *list))
            return 1;
    return 0;
}

static const char *const MATMULS[] = {"MatMul",
                                      "Gemm",
                                      "QGemm",
                                      "FusedGemm",
                                      "FusedMatMul",
                                      "MatMulInteger",
                                      "QLinearMatMul",
                                      "MatMulNBits",
                                      "DynamicQuantizeMatMul",
                                      "MatMulIntegerToFloat",
                                      NULL};
static const char *const POOLS[] = {"MaxPool",       "AveragePool",  "LpPool", "GlobalAveragePool",
                                    "GlobalMaxPool", "GlobalLpPool", NULL};
static const char *const SOFTMAX[] = {"Softmax", "LogSoftmax", NULL};
static const char *const NORMS[] = {"LayerNormalization",
                                    "SkipLayerNormalization",
                                    "SimplifiedLayerNormalization",
                                    "SkipSimplifiedLayerNormalization",
                                    "RMSNormalization",
                                    "BatchNormalization",
                                    "InstanceNormalization",
                                    "GroupNormalization",
                                    "MeanVarianceNormalization",
                                    "LpNormalization",
                                    NULL};
static const char *const REDUCES[] = {"ArgMax", "ArgMin", "TopK", NULL};
static const char *const COPIES[] = {
    "Concat",          "Slice",     "Split",           "Pad",          "Gather",
    "GatherElements",  "GatherND",  "Expand",          "Tile",         "DepthToSpace",
    "SpaceToDepth",    "ScatterND", "ScatterElements", "ReorderInput", "ReorderOutput",
    "ReverseSequence", NULL};
static const char *const ELEMENTWISE[] = {"Cast", "QuickGelu", "BiasGelu", "FastGelu",
                                          "Gelu", "HardSwish", "CastLike", NULL};

/* B is a weight: an initializer, a constant folded at load, or dequantized from one. */
static int weight_input(const rl_graph *g, const rl_fuse_view *v, size_t t)
{
    if (t == SIZE_MAX)
        return 0;
    if (g->t[t].kind == RL_T_INIT)
        return 1;
    long p = g->t[t].producer;
    if (p < 0)
        return 0;
    if (v->n[p].state == RL_FUSE_FOLDED)
        return 1;
    const rl_node *pn = &g->nodes[p];
    return !strcmp(pn->src->op_type, "DequantizeLinear") && pn->src->n_inputs > 0 &&
           pn->in[0] != SIZE_MAX && g->t[pn->in[0]].kind == RL_T_INIT;
}

/* A product by weights with one output row (a classifier's matrix-vector product) streams the
 * whole weight matrix once and does 2 FLOPs per weight: it runs at memory speed, so its own class
 * (gemv, indexed by bytes; profiles without it fall back to gemm in rl_predict). */
static const char *weight_product_class(const rl_graph *g, const rl_node *n)
{
    if (n->src->n_outputs < 1 || n->out[0] == SIZE_MAX)
        return "gemm";
    const rl_tensor *y = &g->t[n->out[0]];
    int64_t rows = 1;
    for (int k = 0; k + 1 < y->rank; k++)
        rows = y->dims[k].v < 0 ? -1 : rows * y->dims[k].v;
    return y->rank >= 1 && rows == 1 ? "gemv" : "gemm";
}

static const char *conv_class(const rl_graph *g, const rl_node *n)
{
    const rl_onnx_node *s = n->src;
    int64_t group = rl_onnx_attr_int(s, "group", 1);
    int64_t cin = -1;
    if (s->n_inputs > 0 && n->in[0] != SIZE_MAX && g->t[n->in[0]].rank >= 2)
        cin = g->t[n->in[0]].dims[1].v;
    const rl_tensor *w = s->n_inputs > 1 && n->in[1] != SIZE_MAX ? &g->t[n->in[1]] : NULL;
    if (cin < 0 && w && w->rank >= 2 && w->dims[1].v >= 0)
        cin = w->dims[1].v * group;
    if (group > 1 && group == cin)
        return "conv_depthwise";
    if (group > 1)
        return "conv_grouped";
    if (cin >= 0 && cin < 8)
        return "conv_stem";
    const rl_onnx_attr *st = rl_onnx_attr_find(s, "strides");
    for (size_t k = 0; st && k < st->n_ints; k++)
        if (st->ints[k] > 1)
            return "conv_strided";
    const rl_onnx_attr *ks = rl_onnx_attr_find(s, "kernel_shape");
    if (ks) {
        for (size_t k = 0; k < ks->n_ints; k++)
            if (ks->ints[k] > 1)
                return "conv_kxk";
    } else if (w) {
        for (int k = 2; k < w->rank; k++)
            if (w->dims[k].v > 1)
                return "conv_kxk";
    }
    return "conv_pointwise";
}

/* Nodes that compute in int8 (quant.h), and the quantize/dequantize steps around them. */
static const char *int8_class(const rl_graph *g, const rl_fuse_view *v, size_t i)
{
    const rl_node *n = &g->nodes[i];
    const char *op = v->n[i].exec_op;
    if (!strcmp(op, "QLinearConv") || !strcmp(op, "ConvInteger")) {
        /* QLinearConv has its weight at input 3, ConvInteger (and a QDQ core) at 1 */
        size_t wi = strcmp(n->src->op_type, "QLinearConv") ? 1 : 3;
        int64_t group = rl_onnx_attr_int(n->src, "group", 1);
        const rl_tensor *w =
            wi < n->src->n_inputs && n->in[wi] != SIZE_MAX ? &g->t[n->in[wi]] : NULL;
        return group > 1 && w && w->rank >= 2 && w->dims[1].v == 1 ? "conv_int8_depthwise"
                                                                   : "conv_int8";
    }
    if (in_list(op, MATMULS)) {
        /* B: input 3 of QLinearMatMul/QGemm, 1 of the others and of a QDQ core */
        size_t bi =
            !strcmp(n->src->op_type, "QLinearMatMul") || !strcmp(n->src->op_type, "QGemm") ? 3 : 1;
        int weight = bi < n->src->n_inputs && weight_input(g, v, n->in[bi]);
        return weight ? "gemm_int8" : "matmul_int8";
    }
    if (!strcmp(op, "QLinearGlobalAveragePool"))
        return "pool";
    if (!strcmp(op, "QLinearConcat"))
        return "concat";
    return "elementwise_int8";
}

/* An elementwise node whose inputs do not all have its output's shape: a broadcast (SE gating
 * x * s[N,C,1,1], a bias row), which runs a slower loop than same-shape operands. */
static int broadcasts(const rl_graph *g, const rl_node *n)
{
    if (n->src->n_inputs < 2 || n->src->n_outputs < 1 || n->out[0] == SIZE_MAX)
        return 0;
    int64_t ey = rl_tensor_elems(&g->t[n->out[0]]);
    for (size_t k = 0; k < n->src->n_inputs; k++) {
        if (n->in[k] == SIZE_MAX)
            continue;
        int64_t e = rl_tensor_elems(&g->t[n->in[k]]);
        if (e > 1 && ey > 0 && e != ey)
            return 1;
    }
    return 0;
}

const char *rl_predict_class(const rl_graph *g, const rl_fuse_view *v, size_t i)
{
    if (v->n[i].state != RL_FUSE_RUN)
        return "free";
    const rl_node *n = &g->nodes[i];
    const char *op = v->n[i].exec_op;
    if (n->int8)
        return int8_class(g, v, i);
    if (!strcmp(op, "QuantizeLinear") || !strcmp(op, "DequantizeLinear") ||
        !strcmp(op, "DynamicQuantizeLinear"))
        return "quantize";
    if (!strcmp(op, "Conv") || !strcmp(op, "FusedConv"))
        return conv_class(g, n);
    if (!strcmp(op, "ConvTranspose"))
        return "conv_transpose";
    if (in_list(op, MATMULS))
        return n->src->n_inputs > 1 && weight_input(g, v, n->in[1]) ? weight_product_class(g, n)
                                                                    : "matmul";
    if (in_list(op, POOLS))
        return "pool";
    if (in_list(op, SOFTMAX))
        return "softmax";
    if (in_list(op, NORMS))
        return "norm";
    if (!strncmp(op, "Reduce", 6) || in_list(op, REDUCES))
        return "reduce";
    /* strided copies run up to 10x slower per byte than contiguous ones: their own (optional)
     * classes, copy where the profile lacks them (rl_predict) */
    if (!strcmp(op, "Transpose"))
        return "transpose";
    if (!strcmp(op, "Resize") || !strcmp(op, "Upsample"))
        return "resize";
    /* a Concat writes every input into a new buffer (densenet's growing ones); a Split or Slice
     * reads a part: the two scale differently with their bytes */
    if (!strcmp(op, "Concat"))
        return "concat";
    if (!strcmp(op, "Split") || !strcmp(op, "Slice"))
        return "split";
    if (in_list(op, COPIES))
        return "copy";
    int known = 0;
    if (in_list(op, ELEMENTWISE) || rl_cost_op_flops(op, &known) > 0)
        return broadcasts(g, n) ? "broadcast" : "elementwise";
    return "other";
}

/* The optional classes beyond the contract's, and the contract class a profile without them
 * predicts them with; NULL for a class that has no such fallback. */
static const char *fallback_class(const char *cls)
{
    static const char *const pairs[][2] = {{"gemv", "gemm"},
                                           {"transpose", "copy"},
                                           {"resize", "copy"},
                                           {"concat", "copy"},
                                           {"split", "copy"},
                                           {"broadcast", "elementwise"},
                                           {"quantize", "elementwise"},
                                           {"elementwise_int8", "elementwise"},
                                           {"conv_int8_depthwise", "conv_int8"}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
        if (!strcmp(cls, pairs[k][0]))
            return pairs[k][1];
    return NULL;
}

static int note_missing(const rl_graph *g, rl_prediction *p, const char *cls)
{
    for (size_t k = 0; k < p->n_missing; k++)
        if (!strcmp(p->missing[k], cls))
            return 0;
    const char **m = rl_arena_array(g->a, p->n_missing + 1, sizeof *m);
    if (!m)
        return -1;
    if (p->n_missing)
        memcpy(m, p->missing, p->n_missing * sizeof *m);
    m[p->n_missing++] = cls;
    p->missing = m;
    return 0;
}

/* The total's interval (predict.h): per curve, the sum of its nodes' half-widths below and above;
 * over the curves, the root of the sum of squares. */
static void interval(const rl_graph *g, rl_prediction *p, const rl_rt_curve *copy)
{
    double lo2 = 0, hi2 = 0;
    for (size_t k = 0; k < p->th->n_curves; k++) {
        const rl_rt_curve *c = &p->th->curves[k];
        double lo = 0, hi = 0;
        for (size_t i = 0; i < g->n_nodes; i++)
            if (p->n[i].curve == c) {
                lo += p->n[i].predicted_s - p->n[i].lo_s;
                hi += p->n[i].hi_s - p->n[i].predicted_s;
            }
        for (size_t r = 0; c == copy && r < p->fuse.n_reorders; r++) {
            lo += p->reorder_s[r] * (1 - exp(-c->spread));
            hi += p->reorder_s[r] * (exp(c->spread) - 1);
        }
        lo2 += lo * lo;
        hi2 += hi * hi;
    }
    p->lo_s = p->total_s - sqrt(lo2);
    p->hi_s = p->total_s + sqrt(hi2);
}

int rl_predict(const rl_graph *g, const rl_runtime *rt, int threads, int nchwc_block,
               const rl_roof_machine *mc, rl_prediction *p, rl_err *err)
{
    memset(p, 0, sizeof *p);
    p->rt = rt;
    p->th = rl_runtime_threads(rt, threads);
    if (!p->th) {
        char list[128];
        rl_runtime_thread_list(rt, list, sizeof list);
        return rl_err_set(err, RL_EXIT_USAGE, "%s calibrated %s thread%s, not %d", rt->file, list,
                          rt->n_threads == 1 && rt->threads[0].threads == 1 ? "" : "s", threads);
    }
    if (rl_ort_fuse(g, nchwc_block, &p->fuse, err) != 0)
        return -1;
    const rl_fuse_view *v = &p->fuse;
    const rl_rt_threads *th = p->th;
    p->n = rl_arena_array(g->a, g->n_nodes + 1, sizeof *p->n);
    p->reorder_s = rl_arena_array(g->a, v->n_reorders + 1, sizeof *p->reorder_s);
    double *bound = rl_arena_array(g->a, g->n_nodes + 1, sizeof *bound);
    if (!p->n || !p->reorder_s || !bound)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    /* a group's roofline bound: the sum of its members' */
    for (size_t i = 0; mc && i < g->n_nodes; i++) {
        long r = (long)i;
        for (int hops = 0; v->n[r].state == RL_FUSE_FUSED && v->n[r].into >= 0 && hops < 64; hops++)
            r = v->n[r].into;
        if (g->nodes[i].cost_known && v->n[i].state != RL_FUSE_FOLDED)
            bound[r] += g->nodes[i].time_s;
    }
    for (size_t i = 0; i < g->n_nodes; i++) {
        rl_pred_node *pn = &p->n[i];
        pn->cls = rl_predict_class(g, v, i);
        if (v->n[i].state != RL_FUSE_RUN)
            continue;
        const rl_rt_curve *c = rl_rt_curve_find(th, pn->cls);
        /* a class the profile lacks is read off its fallback's curve, and named by it; when
         * that is missing too the node keeps its own class (the one the profile should have) */
        const char *fallback = c ? NULL : fallback_class(pn->cls);
        const rl_rt_curve *fc = fallback ? rl_rt_curve_find(th, fallback) : NULL;
        if (fc) {
            c = fc;
            pn->cls = fallback;
        }
        if (!g->nodes[i].cost_known) {
            pn->predicted_s = th->node_overhead_s;
            p->n_uncosted++;
        } else if (c) {
            pn->x = rl_rt_class_by_flops(pn->cls) ? v->n[i].flops : v->n[i].bytes;
            pn->predicted_s = rl_rt_curve_predict(c, th->node_overhead_s, pn->x);
            pn->curve = c;
            pn->nearest = rl_rt_curve_nearest(c, pn->x, &pn->near_ratio);
        } else {
            pn->x = rl_rt_class_by_flops(pn->cls) ? v->n[i].flops : v->n[i].bytes;
            pn->from_bound = 1;
            pn->predicted_s = mc ? bound[i] : th->node_overhead_s;
            if (note_missing(g, p, pn->cls) != 0)
                return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        }
        p->nodes_s += pn->predicted_s;
        pn->lo_s = pn->hi_s = pn->predicted_s;
        if (pn->curve) {
            pn->lo_s = pn->predicted_s * exp(-pn->curve->spread);
            pn->hi_s = pn->predicted_s * exp(pn->curve->spread);
        }
        pn->far = !pn->curve || !(pn->near_ratio <= RL_RT_NEAR_FACTOR);
        p->n_far += (size_t)pn->far;
    }
    const rl_rt_curve *copy = rl_rt_curve_find(th, "copy");
    for (size_t k = 0; k < v->n_reorders; k++) {
        double b = v->reorders[k].bytes;
        if (copy)
            p->reorder_s[k] = rl_rt_curve_predict(copy, th->node_overhead_s, b);
        else
            p->reorder_s[k] = (mc ? rl_roof_time(0, b, mc, NULL, NULL) : 0) + th->node_overhead_s;
        p->reorders_s += p->reorder_s[k];
    }
    if (!copy && v->n_reorders && note_missing(g, p, "copy") != 0)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    p->total_s = th->run_overhead_s + p->nodes_s + p->reorders_s;
    interval(g, p, copy);
    return 0;
}
