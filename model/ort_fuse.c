/* ort_fuse.c: ONNX Runtime's default-optimisation view of a graph (see ort_fuse.h).
 *
 * The passes follow ORT's order: constant folding, then the basic and extended fusions (each a
 * pattern anchored on one node, needing single consumers where ORT does), then the NCHWc layout
 * pass, then the figures of each executed group. A group is a head (the node that stays) and the
 * nodes fused into it; its output is the last member's output (`tail`). */
#include "model/ort_fuse.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct ctx {
    const rl_graph *g;
    rl_fuse_view *v;
    unsigned char *cst; /* per tensor: a constant at load time */
    size_t *ncons;      /* per tensor: consuming nodes, folded ones excluded */
    long *cons1;        /* per tensor: the first of them */
    size_t *tail;       /* per node: the output tensor of the group it heads */
} ctx;

/* ---- small queries ------------------------------------------------------------------------ */

static int default_domain(const rl_onnx_node *s)
{
    return !s->domain || !s->domain[0] || !strcmp(s->domain, "ai.onnx");
}

/* Node i is op `op` of the default domain and still runs on its own. */
static int is(const ctx *c, long i, const char *op)
{
    if (i < 0 || (size_t)i >= c->g->n_nodes || c->v->n[i].state != RL_FUSE_RUN ||
        c->g->nodes[i].qdq == RL_QDQ_CORE) /* a QDQ core runs as its quantized op (fuse_qdq) */
        return 0;
    const rl_onnx_node *s = c->g->nodes[i].src;
    return default_domain(s) && !strcmp(s->op_type, op);
}

static size_t in(const ctx *c, long i, size_t k)
{
    const rl_node *n = &c->g->nodes[i];
    return k < n->src->n_inputs ? n->in[k] : SIZE_MAX;
}

static size_t out(const ctx *c, long i, size_t k)
{
    const rl_node *n = &c->g->nodes[i];
    return k < n->src->n_outputs ? n->out[k] : SIZE_MAX;
}

static int konst(const ctx *c, size_t t)
{
    return t != SIZE_MAX && c->cst[t];
}

static int64_t elems(const ctx *c, size_t t)
{
    return t == SIZE_MAX ? -1 : rl_tensor_elems(&c->g->t[t]);
}

static int scalar(const ctx *c, size_t t)
{
    return konst(c, t) && elems(c, t) == 1;
}

/* The one node consuming t, when t has exactly one and is no graph output; else -1. */
static long sole(const ctx *c, size_t t)
{
    if (t == SIZE_MAX || c->g->t[t].graph_output || c->ncons[t] != 1)
        return -1;
    return c->cons1[t];
}

static long producer(const ctx *c, size_t t)
{
    return t == SIZE_MAX ? -1 : c->g->t[t].producer;
}

/* The input of binary node i that is not t, or SIZE_MAX. */
static size_t other(const ctx *c, long i, size_t t)
{
    if (c->g->nodes[i].src->n_inputs != 2)
        return SIZE_MAX;
    size_t a = in(c, i, 0), b = in(c, i, 1);
    return a == t ? b : b == t ? a : SIZE_MAX;
}

static void fuse(ctx *c, long head, long m)
{
    c->v->n[m].state = RL_FUSE_FUSED;
    c->v->n[m].into = head;
}

static long root(const rl_fuse_view *v, long i)
{
    for (int hops = 0; v->n[i].state == RL_FUSE_FUSED && v->n[i].into >= 0 && hops < 64; hops++)
        i = v->n[i].into;
    return i;
}

static int in_list(const char *op, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(op, *list))
            return 1;
    return 0;
}

static const char *const VIEWS[] = {"Reshape",  "Flatten", "Squeeze", "Unsqueeze",
                                    "Identity", "Dropout", NULL};
/* not folded by ORT even with constant inputs: quantization patterns keep them, random ops */
static const char *const NOT_FOLDED[] = {
    "DequantizeLinear", "QuantizeLinear",    "RandomNormal", "RandomUniform",
    "RandomNormalLike", "RandomUniformLike", "Multinomial",  NULL};

/* ---- constant folding and views ----------------------------------------------------------- */

static void fold_constants(ctx *c)
{
    const rl_graph *g = c->g;
    for (size_t t = 0; t < g->n_t; t++)
        c->cst[t] = g->t[t].kind == RL_T_INIT;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        const rl_onnx_node *s = n->src;
        int fold = n->folded || (default_domain(s) && !strcmp(s->op_type, "Constant"));
        if (!fold && s->n_inputs > 0 && !(default_domain(s) && in_list(s->op_type, NOT_FOLDED))) {
            fold = 1;
            for (size_t k = 0; k < s->n_inputs && fold; k++)
                if (n->in[k] != SIZE_MAX && !c->cst[n->in[k]])
                    fold = 0;
        }
        if (fold) {
            c->v->n[i].state = RL_FUSE_FOLDED;
            for (size_t k = 0; k < s->n_outputs; k++)
                if (n->out[k] != SIZE_MAX)
                    c->cst[n->out[k]] = 1;
        } else if (default_domain(s) && in_list(s->op_type, VIEWS)) {
            c->v->n[i].state = RL_FUSE_VIEW;
        }
    }
    /* consumers that exist at run time */
    for (size_t i = 0; i < g->n_nodes; i++) {
        if (c->v->n[i].state == RL_FUSE_FOLDED)
            continue;
        const rl_node *n = &g->nodes[i];
        for (size_t k = 0; k < n->src->n_inputs; k++) {
            size_t t = n->in[k];
            int seen = 0;
            for (size_t j = 0; j < k && !seen; j++)
                seen = n->in[j] == t;
            if (t == SIZE_MAX || seen)
                continue;
            if (c->ncons[t]++ == 0)
                c->cons1[t] = (long)i;
        }
    }
}

/* ---- the basic and extended fusions -------------------------------------------------------- */

/* QDQ groups (quant.h): a core runs as the quantized op ORT's QDQ transformer makes of it
 * (QLinearConv; QGemm; QLinearMatMul with a QuantizeLinear after it, MatMulIntegerToFloat
 * without), with its absorbed DequantizeLinear inputs and QuantizeLinear output inside. */
static void fuse_qdq(ctx *c)
{
    const rl_graph *g = c->g;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        if (n->qdq != RL_QDQ_CORE || c->v->n[i].state != RL_FUSE_RUN)
            continue;
        const char *op = n->src->op_type;
        c->v->n[i].exec_op = !strcmp(op, "Conv")   ? "QLinearConv"
                             : !strcmp(op, "Gemm") ? "QGemm"
                             : n->qdq_out >= 0     ? "QLinearMatMul"
                                                   : "MatMulIntegerToFloat";
        for (size_t k = 0; k < 3 && k < n->src->n_inputs; k++) {
            long p = producer(c, in(c, (long)i, k));
            if (p >= 0 && g->nodes[p].qdq == RL_QDQ_ABSORBED && c->v->n[p].state == RL_FUSE_RUN)
                fuse(c, (long)i, p);
        }
        long q = n->qdq_out;
        if (q >= 0 && c->v->n[q].state == RL_FUSE_RUN) {
            fuse(c, (long)i, q);
            c->tail[i] = out(c, q, 0);
        }
    }
}

/* A constant that broadcasts per output channel onto an NCHW Conv output: a scalar, or
 * [C,1,1] / [1,C,1,1]. */
static int per_channel(const ctx *c, size_t t, int64_t cout)
{
    if (!konst(c, t))
        return 0;
    const rl_tensor *x = &c->g->t[t];
    int64_t e = rl_tensor_elems(x);
    if (e == 1)
        return 1;
    return e == cout && x->rank >= 3 && x->dims[x->rank - 1].v == 1 && x->dims[x->rank - 2].v == 1;
}

static int64_t conv_cout(const ctx *c, long i)
{
    size_t w = in(c, i, 1);
    if (!konst(c, w) || c->g->t[w].rank < 3)
        return -1;
    return c->g->t[w].dims[0].v;
}

/* Conv + BatchNormalization, Conv + Mul/Add by a per-channel constant (ORT ConvBNFusion,
 * ConvMulFusion, ConvAddFusion), repeatedly. */
static void fuse_conv_affine(ctx *c, long i)
{
    int64_t cout = conv_cout(c, i);
    if (cout <= 0)
        return;
    for (;;) {
        long n = sole(c, c->tail[i]);
        int ok = 0;
        if (is(c, n, "BatchNormalization") && c->g->nodes[n].src->n_outputs == 1) {
            ok = 1;
            for (size_t k = 1; k < 5; k++)
                ok &= konst(c, in(c, n, k));
        } else if (is(c, n, "Mul") || is(c, n, "Add")) {
            ok = per_channel(c, other(c, n, c->tail[i]), cout);
        }
        if (!ok)
            return;
        fuse(c, i, n);
        c->tail[i] = out(c, n, 0);
    }
}

static const char *const CONV_ACTS[] = {"Relu", "Clip",        "LeakyRelu", "Sigmoid",
                                        "Tanh", "HardSigmoid", "HardSwish", NULL};
static const char *const GEMM_ACTS[] = {"Relu", "LeakyRelu", "Sigmoid", "Tanh", NULL};

/* Conv + activation (ConvActivationFusion), HardSigmoid + Mul as HardSwish; Gemm + activation
 * (GemmActivationFusion -> FusedGemm). */
static void fuse_activation(ctx *c, long i, const char *const *acts)
{
    size_t t = c->tail[i];
    long n = sole(c, t);
    if (n >= 0 && c->v->n[n].state == RL_FUSE_RUN && default_domain(c->g->nodes[n].src) &&
        in_list(c->g->nodes[n].src->op_type, acts)) {
        /* Clip with bounds computed at run time stays apart */
        if (is(c, n, "Clip") && ((in(c, n, 1) != SIZE_MAX && !konst(c, in(c, n, 1))) ||
                                 (in(c, n, 2) != SIZE_MAX && !konst(c, in(c, n, 2)))))
            return;
        fuse(c, i, n);
        c->v->n[i].act = c->g->nodes[n].src->op_type;
        c->tail[i] = out(c, n, 0);
        return;
    }
    /* x * HardSigmoid(x) right after a Conv: one Conv with a HardSwish activation */
    if (acts != CONV_ACTS || t == SIZE_MAX || c->g->t[t].graph_output || c->ncons[t] != 2)
        return;
    /* the two consumers are the HardSigmoid (first, in execution order) and the Mul */
    long hs = c->cons1[t];
    if (!is(c, hs, "HardSigmoid"))
        return;
    /* only HardSigmoid(x / 6 + 0.5) makes x * HardSigmoid(x) a HardSwish */
    const rl_onnx_node *src = c->g->nodes[hs].src;
    if (fabsf(rl_onnx_attr_float(src, "alpha", 0.2f) - 1.0f / 6) > 1e-4f ||
        fabsf(rl_onnx_attr_float(src, "beta", 0.5f) - 0.5f) > 1e-6f)
        return;
    long m = sole(c, out(c, hs, 0));
    if (!is(c, m, "Mul") || other(c, m, out(c, hs, 0)) != t)
        return;
    fuse(c, i, hs);
    fuse(c, i, m);
    c->v->n[i].act = "HardSwish";
    c->tail[i] = out(c, m, 0);
}

/* x * Sigmoid(x) -> QuickGelu (ORT QuickGeluFusion): one elementwise node. */
static void fuse_silu(ctx *c, long s)
{
    size_t x = in(c, s, 0), y = out(c, s, 0);
    long m = sole(c, y);
    if (!is(c, m, "Mul") || other(c, m, y) != x)
        return;
    fuse(c, s, m);
    c->v->n[s].exec_op = "QuickGelu";
    c->tail[s] = out(c, m, 0);
}

/* Every consumer of node d's outputs runs inside group `head`. */
static int feeds_only(const ctx *c, long d, long head)
{
    const rl_graph *g = c->g;
    for (size_t j = 0; j < g->n_nodes; j++) {
        if (c->v->n[j].state == RL_FUSE_FOLDED)
            continue;
        for (size_t k = 0; k < g->nodes[j].src->n_inputs; k++) {
            long p = producer(c, g->nodes[j].in[k]);
            if (p == d && root(c->v, (long)j) != head)
                return 0;
        }
    }
    for (size_t k = 0; k < g->nodes[d].src->n_outputs; k++)
        if (out(c, d, k) != SIZE_MAX && c->g->t[out(c, d, k)].graph_output)
            return 0;
    return 1;
}

/* Dynamic quantization as onnxruntime.quantization.quantize_dynamic writes it: MatMulInteger of
 * a DynamicQuantizeLinear's output, Cast to float, times the scale (the dynamic scale, or its
 * product with the weight's constant scale) [+ a constant bias] -> one MatMulIntegerToFloat
 * (ORT's MatMulIntegerToFloatFusion); with the DynamicQuantizeLinear inside too when this product
 * is its only consumer -> DynamicQuantizeMatMul (DynamicQuantizeMatMulFusion). Checked against
 * ORT 1.30's optimised graphs of both forms. */
static void fuse_dynamic_quant(ctx *c, long i)
{
    size_t a = in(c, i, 0);
    long d = producer(c, a);
    if (!is(c, d, "DynamicQuantizeLinear") || out(c, d, 0) != a)
        return;
    long cast = sole(c, out(c, i, 0));
    if (!is(c, cast, "Cast") || rl_onnx_attr_int(c->g->nodes[cast].src, "to", 0) != RL_DT_FLOAT)
        return;
    long mul = sole(c, out(c, cast, 0));
    if (!is(c, mul, "Mul"))
        return;
    size_t s = other(c, mul, out(c, cast, 0)), ds = out(c, d, 1);
    long sm = producer(c, s);
    int direct = s != SIZE_MAX && s == ds;
    int product = !direct && is(c, sm, "Mul") && sole(c, s) == mul &&
                  other(c, sm, ds) != SIZE_MAX && konst(c, other(c, sm, ds));
    if (!direct && !product)
        return;
    fuse(c, i, cast);
    fuse(c, i, mul);
    if (product)
        fuse(c, i, sm);
    c->tail[i] = out(c, mul, 0);
    long add = sole(c, c->tail[i]);
    if (is(c, add, "Add") && konst(c, other(c, add, c->tail[i]))) {
        fuse(c, i, add);
        c->tail[i] = out(c, add, 0);
    }
    c->v->n[i].exec_op = "MatMulIntegerToFloat";
    if (feeds_only(c, d, i)) {
        fuse(c, i, d);
        c->v->n[i].exec_op = "DynamicQuantizeMatMul";
    }
}

/* MatMul with a constant 2-D B + bias Add of N elements -> Gemm (MatMulAddFusion). */
static void fuse_matmul_bias(ctx *c, long i)
{
    size_t b = in(c, i, 1);
    if (!konst(c, b) || c->g->t[b].rank != 2)
        return;
    long a = sole(c, c->tail[i]);
    if (!is(c, a, "Add"))
        return;
    size_t bias = other(c, a, c->tail[i]);
    if (!konst(c, bias) || elems(c, bias) != c->g->t[b].dims[1].v)
        return;
    fuse(c, i, a);
    c->v->n[i].exec_op = "Gemm";
    /* Gemm is 2-D: ORT reshapes a batched A before and the result after (views) */
    if (c->g->t[in(c, i, 0)].rank > 2)
        c->v->n_extra_views += 2;
    c->tail[i] = out(c, a, 0);
}

/* A Transpose FusedMatMul can take as transA/transB/transBatch: swaps the last two axes, or a
 * rank-3 [1,0,2] / [1,2,0]. */
static int matmul_perm(const ctx *c, long tr)
{
    const rl_onnx_attr *p = rl_onnx_attr_find(c->g->nodes[tr].src, "perm");
    if (!p || p->n_ints < 2)
        return 0;
    size_t r = p->n_ints;
    const int64_t *q = p->ints;
    if (r == 3 && ((q[0] == 1 && q[1] == 0 && q[2] == 2) || (q[0] == 1 && q[1] == 2 && q[2] == 0)))
        return 1;
    for (size_t k = 0; k + 2 < r; k++)
        if (q[k] != (int64_t)k)
            return 0;
    return q[r - 2] == (int64_t)r - 1 && q[r - 1] == (int64_t)r - 2;
}

/* MatMul + scalar Mul/Div on its output or inputs, and Transposes of its inputs
 * (MatMulScaleFusion, MatmulTransposeFusion) -> FusedMatMul. */
static void fuse_matmul_scale(ctx *c, long i)
{
    int fused = 0;
    long n = sole(c, c->tail[i]);
    if ((is(c, n, "Mul") || is(c, n, "Div")) && in(c, n, 0) == c->tail[i] &&
        scalar(c, in(c, n, 1))) {
        fuse(c, i, n);
        c->tail[i] = out(c, n, 0);
        fused = 1;
    } else if (is(c, n, "Mul") && scalar(c, other(c, n, c->tail[i]))) {
        fuse(c, i, n);
        c->tail[i] = out(c, n, 0);
        fused = 1;
    }
    for (size_t k = 0; k < 2; k++) {
        size_t t = in(c, i, k);
        for (int step = 0; step < 2 && !konst(c, t); step++) {
            long p = producer(c, t);
            if (p < 0 || sole(c, t) < 0)
                break;
            int scale = (is(c, p, "Div") || is(c, p, "Mul")) && scalar(c, in(c, p, 1));
            int trans = is(c, p, "Transpose") && matmul_perm(c, p);
            if (!scale && !trans)
                break;
            fuse(c, i, p);
            fused = 1;
            t = in(c, p, 0);
        }
    }
    if (fused)
        c->v->n[i].exec_op = "FusedMatMul";
}

/* Div(x, c) or Mul(x, c) -> Erf -> Add(1) -> Mul(x) -> Mul(0.5), or with the 0.5 taken first:
 * one Gelu (GeluFusion). The head is the first node. */
static void fuse_gelu(ctx *c, long e)
{
    long d = producer(c, in(c, e, 0));
    if (!(is(c, d, "Div") || is(c, d, "Mul")) || !scalar(c, in(c, d, 1)) ||
        sole(c, out(c, d, 0)) != e)
        return;
    size_t x = in(c, d, 0);
    long a = sole(c, out(c, e, 0));
    if (!is(c, a, "Add") || !scalar(c, other(c, a, out(c, e, 0))))
        return;
    long m1 = sole(c, out(c, a, 0));
    if (!is(c, m1, "Mul"))
        return;
    size_t o = other(c, m1, out(c, a, 0));
    long m2 = -1, h = -1;
    if (o == x) {
        m2 = sole(c, out(c, m1, 0));
        if (!is(c, m2, "Mul") || !scalar(c, other(c, m2, out(c, m1, 0))))
            return;
    } else {
        h = producer(c, o);
        if (!is(c, h, "Mul") || sole(c, o) != m1 || other(c, h, x) == SIZE_MAX ||
            !scalar(c, other(c, h, x)))
            return;
    }
    long head = h >= 0 && h < d ? h : d;
    long mem[5] = {d, e, a, m1, m2 >= 0 ? m2 : h};
    for (int k = 0; k < 5; k++)
        if (mem[k] != head)
            fuse(c, head, mem[k]);
    c->v->n[head].exec_op = "Gelu";
    c->tail[head] = out(c, m2 >= 0 ? m2 : m1, 0);
}

/* A normalisation between two Transposes that undo each other (ConvNeXt's LayerNorm2d: permute,
 * LayerNorm, permute back): ORT 1.30 leaves such a LayerNorm pattern wholly unfused, its nine
 * nodes each a kernel (the Transposes stay in ConvNeXt; in a lone such pattern ORT even cancels
 * them). t1: the first Transpose; dv: the pattern's Div. 1 when so. */
static int between_permutes(ctx *c, long t1, long dv)
{
    size_t end = out(c, dv, 0);
    for (int k = 0; k < 2; k++) { /* through the scale Mul and the bias Add */
        long n = sole(c, end);
        if (!(is(c, n, "Mul") || is(c, n, "Add")) || !konst(c, other(c, n, end)))
            break;
        end = out(c, n, 0);
    }
    long t2 = sole(c, end);
    const rl_onnx_attr *p1 = rl_onnx_attr_find(c->g->nodes[t1].src, "perm");
    const rl_onnx_attr *p2 =
        is(c, t2, "Transpose") ? rl_onnx_attr_find(c->g->nodes[t2].src, "perm") : NULL;
    if (!p1 || !p2 || p1->n_ints != p2->n_ints || c->ncons[out(c, t1, 0)] != 2)
        return 0;
    for (size_t i = 0; i < p1->n_ints; i++)
        if (p1->ints[i] < 0 || (size_t)p1->ints[i] >= p2->n_ints ||
            p2->ints[p1->ints[i]] != (int64_t)i)
            return 0;
    return 1;
}

/* ReduceMean -> Sub -> Pow(2) -> ReduceMean -> Add(eps) -> Sqrt -> Div [-> Mul(g) -> Add(b)]:
 * LayerNormalization (LayerNormFusion); the head is the first ReduceMean. */
static void fuse_layernorm(ctx *c, long r1)
{
    size_t x = in(c, r1, 0), mean = out(c, r1, 0);
    long s = sole(c, mean);
    if (!is(c, s, "Sub") || in(c, s, 0) != x || in(c, s, 1) != mean)
        return;
    size_t d = out(c, s, 0);
    if (d == SIZE_MAX || c->g->t[d].graph_output || c->ncons[d] != 2)
        return;
    long p = c->cons1[d];
    if (!(is(c, p, "Pow") && scalar(c, in(c, p, 1))) &&
        !(is(c, p, "Mul") && in(c, p, 0) == d && in(c, p, 1) == d))
        return;
    long r2 = sole(c, out(c, p, 0));
    if (!is(c, r2, "ReduceMean"))
        return;
    long a = sole(c, out(c, r2, 0));
    if (!is(c, a, "Add") || !scalar(c, other(c, a, out(c, r2, 0))))
        return;
    long q = sole(c, out(c, a, 0));
    if (!is(c, q, "Sqrt"))
        return;
    long dv = sole(c, out(c, q, 0));
    if (!is(c, dv, "Div") || in(c, dv, 0) != d || in(c, dv, 1) != out(c, q, 0))
        return;
    /* Fed by a Transpose (a permute to channels-last, as ConvNeXt's), ORT's transpose optimizer
     * first moves the Transpose through ReduceMean and Sub, so the mean is no longer over the last
     * axis and LayerNormFusion fails: ReduceMean and Sub stay, the rest becomes a
     * SimplifiedLayerNormalization and the bias Add stays (seen in ORT 1.30's saved graphs). */
    long t1 = producer(c, x);
    int moved = is(c, t1, "Transpose");
    if (moved && between_permutes(c, t1, dv))
        return;
    long head = moved ? p : r1;
    long mem[6] = {s, p, r2, a, q, dv};
    for (int k = moved ? 2 : 0; k < 6; k++)
        fuse(c, head, mem[k]);
    c->tail[head] = out(c, dv, 0);
    long m = sole(c, c->tail[head]);
    if (is(c, m, "Mul") && konst(c, other(c, m, c->tail[head]))) {
        fuse(c, head, m);
        c->tail[head] = out(c, m, 0);
        long b = sole(c, c->tail[head]);
        if (!moved && is(c, b, "Add") && konst(c, other(c, b, c->tail[head]))) {
            fuse(c, head, b);
            c->tail[head] = out(c, b, 0);
        }
    }
    c->v->n[head].exec_op = moved ? "SimplifiedLayerNormalization" : "LayerNormalization";
}

/* Add of two same-size tensors feeding only a LayerNormalization -> SkipLayerNormalization. */
static void fuse_skip_layernorm(ctx *c, long ln)
{
    size_t x = in(c, ln, 0);
    long a = producer(c, x);
    if (!is(c, a, "Add") || x == SIZE_MAX || c->g->t[x].graph_output)
        return;
    /* every consumer of the sum is inside the LayerNorm group */
    size_t users = 0;
    for (size_t i = (size_t)ln; i < c->g->n_nodes; i++) {
        if (root(c->v, (long)i) != ln)
            continue;
        for (size_t k = 0; k < c->g->nodes[i].src->n_inputs; k++)
            if (c->g->nodes[i].in[k] == x) {
                users++;
                break;
            }
    }
    size_t u = in(c, a, 0), w = in(c, a, 1);
    int64_t ex = elems(c, x);
    if (users != c->ncons[x] || konst(c, u) || ex <= 0 || elems(c, u) != ex || elems(c, w) != ex)
        return;
    fuse(c, ln, a);
    c->v->n[ln].exec_op = "SkipLayerNormalization";
}

/* Slice parameters: the one axis it cuts, with constant starts/ends and unit steps; -1 else. */
static int64_t slice_axis(const ctx *c, long s)
{
    const rl_onnx_node *src = c->g->nodes[s].src;
    if (src->n_inputs < 3 || !konst(c, in(c, s, 1)) || !konst(c, in(c, s, 2)) ||
        elems(c, in(c, s, 1)) != 1)
        return -1;
    int64_t axis = 0;
    if (src->n_inputs >= 4 && in(c, s, 3) != SIZE_MAX) {
        const rl_tensor *ax = &c->g->t[in(c, s, 3)];
        if (!konst(c, in(c, s, 3)) || !ax->has_value || ax->nv != 1 || !ax->iv)
            return -1;
        axis = ax->iv[0];
    }
    if (src->n_inputs >= 5 && in(c, s, 4) != SIZE_MAX) {
        const rl_tensor *st = &c->g->t[in(c, s, 4)];
        if (!st->has_value || st->nv != 1 || !st->iv || st->iv[0] != 1)
            return -1;
    }
    int rank = c->g->t[in(c, s, 0)].rank;
    if (axis < 0 && rank > 0)
        axis += rank;
    return axis >= 0 ? axis : -1;
}

/* Slices of one tensor along one axis -> one Split (SliceToSplit / GatherSliceToSplitFusion). */
static void fuse_slices(ctx *c, long s)
{
    size_t x = in(c, s, 0);
    int64_t axis = slice_axis(c, s);
    if (x == SIZE_MAX || konst(c, x) || axis < 0 || c->ncons[x] < 2)
        return;
    int any = 0;
    for (size_t j = (size_t)s + 1; j < c->g->n_nodes; j++)
        if (is(c, (long)j, "Slice") && in(c, (long)j, 0) == x && slice_axis(c, (long)j) == axis) {
            fuse(c, s, (long)j);
            any = 1;
        }
    if (any)
        c->v->n[s].exec_op = "Split";
}

/* ---- NCHWc ---------------------------------------------------------------------------------- */

typedef struct nchwc {
    unsigned char *nc; /* per tensor: in blocked layout */
    unsigned char *ri; /* per tensor: a ReorderInput made */
    long *rem;         /* per tensor: plain-layout uses left */
    long *uses;        /* per tensor: uses at the start (groups, graph output) */
    long *conv;        /* per tensor: the blocked Conv that produced it, or -1 */
} nchwc;

static int add_reorder(ctx *c, const char *op, size_t t, long node)
{
    rl_fuse_view *v = c->v;
    rl_fuse_reorder *r = rl_arena_array(c->g->a, v->n_reorders + 1, sizeof *r);
    if (!r)
        return -1;
    if (v->n_reorders)
        memcpy(r, v->reorders, v->n_reorders * sizeof *r);
    uint64_t b = 0;
    int64_t e = elems(c, t);
    if (e < 0 || rl_onnx_dtype_bytes(c->g->t[t].dtype, (uint64_t)e, &b) != 0)
        b = 0;
    r[v->n_reorders] =
        (rl_fuse_reorder){.op = op, .tensor = t, .node = node, .bytes = 2.0 * (double)b};
    v->reorders = r;
    v->n_reorders++;
    return 0;
}

/* The blocked operator reads t: a blocked tensor loses one plain use; a plain one is reordered
 * (once per tensor). */
static int take_input(ctx *c, nchwc *w, size_t t, long node)
{
    if (w->nc[t]) {
        w->rem[t]--;
        return 0;
    }
    if (w->ri[t])
        return 0;
    w->ri[t] = 1;
    return add_reorder(c, "ReorderInput", t, node);
}

static int float4d(const ctx *c, size_t t)
{
    return t != SIZE_MAX && c->g->t[t].dtype == RL_DT_FLOAT && c->g->t[t].rank == 4;
}

/* TransformConv: which Conv nodes become blocked, and whether they reorder their input. */
static int nchwc_conv_ok(const ctx *c, long i, int block, int *reorder_in)
{
    size_t w = in(c, i, 1), b = in(c, i, 2);
    if (!float4d(c, in(c, i, 0)) || !konst(c, w) || c->g->t[w].rank != 4 ||
        c->g->t[w].dtype != RL_DT_FLOAT || (b != SIZE_MAX && !konst(c, b)))
        return 0;
    int64_t cout = c->g->t[w].dims[0].v, cin = c->g->t[w].dims[1].v;
    int64_t group = rl_onnx_attr_int(c->g->nodes[i].src, "group", 1);
    if (cout <= 0 || cin <= 0 || group <= 0)
        return 0;
    *reorder_in = 1;
    if (group > 1) {
        if (cout % 4)
            return 0;
        if (cin == 1 && cout == group)
            return 1;
        return cin % block == 0 && cout % group == 0 && (cout / group) % block == 0;
    }
    if (cin < block) {
        *reorder_in = 0;
        return 1;
    }
    return cin % 4 == 0;
}

static int same_shape(const ctx *c, size_t a, size_t b)
{
    const rl_tensor *x = &c->g->t[a], *y = &c->g->t[b];
    if (x->rank != y->rank || x->rank < 0)
        return 0;
    for (int k = 0; k < x->rank; k++)
        if (x->dims[k].v < 0 || x->dims[k].v != y->dims[k].v)
            return 0;
    return 1;
}

static int64_t channels(const ctx *c, size_t t)
{
    return c->g->t[t].rank >= 2 ? c->g->t[t].dims[1].v : -1;
}

/* Resize/Upsample the blocked kernel supports: nearest (asymmetric, floor) or linear
 * (align_corners, half_pixel). */
static int nchwc_resize_ok(const ctx *c, long i)
{
    const rl_onnx_node *s = c->g->nodes[i].src;
    const char *mode = rl_onnx_attr_string(s, "mode", "nearest");
    if (!strcmp(s->op_type, "Upsample"))
        return !strcmp(mode, "nearest") || !strcmp(mode, "linear");
    const char *ctm = rl_onnx_attr_string(s, "coordinate_transformation_mode", "half_pixel");
    if (!strcmp(mode, "nearest"))
        return !strcmp(ctm, "asymmetric") &&
               !strcmp(rl_onnx_attr_string(s, "nearest_mode", "round_prefer_floor"), "floor");
    return !strcmp(mode, "linear") && (!strcmp(ctm, "align_corners") || !strcmp(ctm, "half_pixel"));
}

/* One executed group in the NCHWc pass. */
static int nchwc_node(ctx *c, nchwc *w, long i, int block)
{
    rl_fuse_node *f = &c->v->n[i];
    const char *op = f->exec_op;
    size_t x = in(c, i, 0), y = c->tail[i];
    if (x == SIZE_MAX || y == SIZE_MAX)
        return 0;
    int reorder_in = 0, blocked = 0;
    long conv = -1;
    if (!strcmp(op, "Conv") && nchwc_conv_ok(c, i, block, &reorder_in)) {
        if (reorder_in && take_input(c, w, x, i) != 0)
            return -1;
        blocked = 1;
        conv = i;
    } else if ((!strcmp(op, "MaxPool") || !strcmp(op, "AveragePool")) && float4d(c, x) &&
               c->g->nodes[i].src->n_outputs == 1 && channels(c, x) > 0 &&
               channels(c, x) % block == 0) {
        if (take_input(c, w, x, i) != 0)
            return -1;
        blocked = 1;
    } else if ((!strcmp(op, "GlobalAveragePool") || !strcmp(op, "GlobalMaxPool")) && w->nc[x] &&
               channels(c, x) > 0 && channels(c, x) % block == 0) {
        w->rem[x]--;
        blocked = 1;
    } else if (!strcmp(op, "Add") || !strcmp(op, "Sum") || !strcmp(op, "Mul")) {
        size_t n_in = c->g->nodes[i].src->n_inputs;
        blocked = n_in >= 1;
        for (size_t k = 0; k < n_in && blocked; k++) {
            size_t t = in(c, i, k);
            blocked = t != SIZE_MAX && w->nc[t] && same_shape(c, t, x);
        }
        if (!blocked)
            return 0;
        for (size_t k = 0; k < n_in; k++)
            w->rem[in(c, i, k)]--;
        /* a residual Add folds into the single-use, activation-free Conv feeding it */
        for (size_t k = 0; k < 2 && n_in == 2 && strcmp(op, "Mul"); k++) {
            size_t t = in(c, i, k);
            long p = w->conv[t];
            if (p >= 0 && w->uses[t] == 1 && !c->v->n[p].act && !c->v->n[p].sum) {
                fuse(c, p, i);
                c->v->n[p].sum = 1;
                c->tail[p] = y;
                conv = p;
                break;
            }
        }
    } else if (!strcmp(op, "Concat") && w->nc[x] &&
               rl_onnx_attr_int(c->g->nodes[i].src, "axis", 0) == 1) {
        size_t n_in = c->g->nodes[i].src->n_inputs;
        blocked = 1;
        for (size_t k = 0; k < n_in && blocked; k++) {
            size_t t = in(c, i, k);
            blocked =
                t != SIZE_MAX && w->nc[t] && channels(c, t) > 0 && channels(c, t) % block == 0;
        }
        for (size_t k = 0; k < n_in && blocked; k++)
            w->rem[in(c, i, k)]--;
    } else if ((!strcmp(op, "Relu") || !strcmp(op, "Sigmoid") || !strcmp(op, "Tanh") ||
                !strcmp(op, "QuickGelu") || !strcmp(op, "HardSigmoid")) &&
               w->nc[x]) {
        /* elementwise on blocked data; the classic three also fold into a lone Conv */
        w->rem[x]--;
        blocked = 1;
        long p = w->conv[x];
        int foldable = !strcmp(op, "Relu") || !strcmp(op, "Sigmoid") || !strcmp(op, "Tanh");
        if (foldable && p >= 0 && w->uses[x] == 1 && !c->v->n[p].act) {
            fuse(c, p, i);
            c->v->n[p].act = op;
            c->tail[p] = y;
            conv = p;
        }
    } else if (!strcmp(op, "BatchNormalization") && w->nc[x]) {
        w->rem[x]--;
        blocked = 1;
        conv = i; /* runs as a depthwise 1x1 blocked Conv, so an activation can follow into it */
    } else if ((!strcmp(op, "Resize") || !strcmp(op, "Upsample")) && w->nc[x] &&
               nchwc_resize_ok(c, i)) {
        w->rem[x]--;
        blocked = 1;
        f->exec_op = "Upsample"; /* the blocked kernel's name */
    } else if (!strcmp(op, "Transpose") && w->nc[x]) {
        const rl_onnx_attr *p = rl_onnx_attr_find(c->g->nodes[i].src, "perm");
        if (p && p->n_ints == 4 && p->ints[0] == 0 && p->ints[1] == 2 && p->ints[2] == 3 &&
            p->ints[3] == 1) {
            w->rem[x]--; /* becomes a channels-last ReorderOutput: still one copy */
            f->exec_op = "ReorderOutput";
        }
        return 0;
    }
    if (!blocked)
        return 0;
    long owner = root(c->v, i);
    c->v->n[owner].nchwc = 1;
    w->nc[y] = 1;
    w->conv[y] = conv;
    return 0;
}

static int nchwc_pass(ctx *c, int block)
{
    const rl_graph *g = c->g;
    rl_fuse_view *v = c->v;
    nchwc w;
    w.nc = rl_arena_array(g->a, g->n_t + 1, 1);
    w.ri = rl_arena_array(g->a, g->n_t + 1, 1);
    w.rem = rl_arena_array(g->a, g->n_t + 1, sizeof *w.rem);
    w.uses = rl_arena_array(g->a, g->n_t + 1, sizeof *w.uses);
    w.conv = rl_arena_array(g->a, g->n_t + 1, sizeof *w.conv);
    if (!w.nc || !w.ri || !w.rem || !w.uses || !w.conv)
        return -1;
    /* uses of each tensor by groups other than its producer's, and graph outputs */
    for (size_t t = 0; t < g->n_t; t++) {
        w.uses[t] = g->t[t].graph_output ? 1 : 0;
        w.conv[t] = -1;
    }
    long *last = rl_arena_array(g->a, g->n_t + 1, sizeof *last);
    if (!last)
        return -1;
    for (size_t t = 0; t < g->n_t; t++)
        last[t] = -1;
    for (size_t i = 0; i < g->n_nodes; i++) {
        if (v->n[i].state == RL_FUSE_FOLDED)
            continue;
        long r = root(v, (long)i);
        for (size_t k = 0; k < g->nodes[i].src->n_inputs; k++) {
            size_t t = g->nodes[i].in[k];
            if (t == SIZE_MAX || last[t] == r)
                continue;
            long p = producer(c, t);
            if (p >= 0 && root(v, p) == r)
                continue;
            last[t] = r;
            w.uses[t]++;
        }
    }
    for (size_t i = 0; i < g->n_nodes; i++) {
        if (v->n[i].state != RL_FUSE_RUN)
            continue;
        /* a residual Add fused into an earlier Conv makes that Conv's output the Add's */
        size_t y = c->tail[i];
        if (y != SIZE_MAX)
            w.rem[y] = w.uses[y];
        if (nchwc_node(c, &w, (long)i, block) != 0)
            return -1;
    }
    for (size_t t = 0; t < g->n_t; t++)
        if (w.nc[t] && w.rem[t] > 0) {
            long p = producer(c, t);
            if (add_reorder(c, "ReorderOutput", t, p >= 0 ? root(v, p) : -1) != 0)
                return -1;
        }
    return 0;
}

/* ---- the executed groups' figures ----------------------------------------------------------- */

static double tensor_bytes(const rl_graph *g, size_t t)
{
    int64_t e = rl_tensor_elems(&g->t[t]);
    uint64_t b;
    if (e < 0 || rl_onnx_dtype_bytes(g->t[t].dtype, (uint64_t)e, &b) != 0)
        return 0;
    return (double)b;
}

static int group_figures(ctx *c)
{
    const rl_graph *g = c->g;
    rl_fuse_view *v = c->v;
    size_t *members = rl_arena_array(g->a, g->n_nodes + 1, sizeof *members);
    long *seen = rl_arena_array(g->a, g->n_t + 1, sizeof *seen);
    unsigned char *outside = rl_arena_array(g->a, g->n_t + 1, 1);
    size_t *count = rl_arena_array(g->a, g->n_nodes + 1, sizeof *count);
    if (!members || !seen || !outside || !count)
        return -1;
    for (size_t t = 0; t < g->n_t; t++) {
        seen[t] = -1;
        outside[t] = (unsigned char)g->t[t].graph_output;
    }
    for (size_t i = 0; i < g->n_nodes; i++) {
        if (v->n[i].state == RL_FUSE_FOLDED)
            continue;
        long r = root(v, (long)i);
        count[r]++;
        for (size_t k = 0; k < g->nodes[i].src->n_inputs; k++) {
            size_t t = g->nodes[i].in[k];
            long p = t == SIZE_MAX ? -1 : producer(c, t);
            if (p >= 0 && root(v, p) != r)
                outside[t] = 1;
        }
    }
    for (size_t h = 0; h < g->n_nodes; h++) {
        rl_fuse_node *f = &v->n[h];
        if (f->state != RL_FUSE_RUN)
            continue;
        const rl_node *hn = &g->nodes[h];
        if (count[h] <= 1) {
            f->flops = hn->flops;
            f->bytes = hn->bytes_read + hn->bytes_written;
            continue;
        }
        size_t nm = 0;
        for (size_t i = 0; i < g->n_nodes; i++)
            if (v->n[i].state != RL_FUSE_FOLDED && root(v, (long)i) == (long)h)
                members[nm++] = i;
        double flops = 0, bytes = 0;
        for (size_t m = 0; m < nm; m++) {
            const rl_node *n = &g->nodes[members[m]];
            flops += n->flops;
            for (size_t k = 0; k < n->src->n_inputs; k++) {
                size_t t = n->in[k];
                long p = t == SIZE_MAX ? -1 : producer(c, t);
                if (t == SIZE_MAX || seen[t] == (long)h || (p >= 0 && root(v, p) == (long)h))
                    continue;
                seen[t] = (long)h;
                bytes += tensor_bytes(g, t);
            }
            for (size_t k = 0; k < n->src->n_outputs; k++) {
                size_t t = n->out[k];
                if (t != SIZE_MAX && outside[t])
                    bytes += tensor_bytes(g, t);
            }
        }
        f->flops = flops;
        f->bytes = bytes;
    }
    return 0;
}

/* ---- entry ---------------------------------------------------------------------------------- */

int rl_ort_fuse(const rl_graph *g, int nchwc_block, rl_fuse_view *v, rl_err *err)
{
    memset(v, 0, sizeof *v);
    v->block = nchwc_block;
    ctx c = {.g = g, .v = v};
    v->n = rl_arena_array(g->a, g->n_nodes + 1, sizeof *v->n);
    c.cst = rl_arena_array(g->a, g->n_t + 1, 1);
    c.ncons = rl_arena_array(g->a, g->n_t + 1, sizeof *c.ncons);
    c.cons1 = rl_arena_array(g->a, g->n_t + 1, sizeof *c.cons1);
    c.tail = rl_arena_array(g->a, g->n_nodes + 1, sizeof *c.tail);
    if (!v->n || !c.cst || !c.ncons || !c.cons1 || !c.tail)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    for (size_t i = 0; i < g->n_nodes; i++) {
        v->n[i] =
            (rl_fuse_node){.state = RL_FUSE_RUN, .into = -1, .exec_op = g->nodes[i].src->op_type};
        c.tail[i] = g->nodes[i].src->n_outputs ? g->nodes[i].out[0] : SIZE_MAX;
    }
    for (size_t t = 0; t < g->n_t; t++)
        c.cons1[t] = -1;
    fold_constants(&c);
    fuse_qdq(&c);

    /* level 1 */
    for (long i = 0; (size_t)i < g->n_nodes; i++)
        if (is(&c, i, "Conv"))
            fuse_conv_affine(&c, i);
    for (long i = 0; (size_t)i < g->n_nodes; i++)
        if (is(&c, i, "MatMul"))
            fuse_matmul_bias(&c, i);
        else if (is(&c, i, "MatMulInteger"))
            fuse_dynamic_quant(&c, i);
    /* level 2 */
    for (long i = 0; (size_t)i < g->n_nodes; i++) {
        if (is(&c, i, "Erf"))
            fuse_gelu(&c, i);
        else if (is(&c, i, "ReduceMean"))
            fuse_layernorm(&c, i);
    }
    for (long i = 0; (size_t)i < g->n_nodes; i++) {
        if (c.v->n[i].state != RL_FUSE_RUN)
            continue;
        const char *x = c.v->n[i].exec_op;
        if (is(&c, i, "Conv"))
            fuse_activation(&c, i, CONV_ACTS);
        else if (!strcmp(x, "Gemm"))
            fuse_activation(&c, i, GEMM_ACTS);
        else if (is(&c, i, "Sigmoid"))
            fuse_silu(&c, i);
        else if (!strcmp(x, "LayerNormalization") && default_domain(g->nodes[i].src))
            fuse_skip_layernorm(&c, i);
        else if (is(&c, i, "MatMul"))
            fuse_matmul_scale(&c, i);
        else if (is(&c, i, "Slice"))
            fuse_slices(&c, i);
    }
    for (size_t i = 0; i < g->n_nodes; i++)
        if (v->n[i].state == RL_FUSE_RUN && v->n[i].act && !strcmp(v->n[i].exec_op, "Gemm"))
            v->n[i].exec_op = "FusedGemm";
    /* level 3 */
    if (nchwc_block > 0 && nchwc_pass(&c, nchwc_block) != 0)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    if (group_figures(&c) != 0)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    for (size_t i = 0; i < g->n_nodes; i++) {
        v->n_run += v->n[i].state == RL_FUSE_RUN;
        v->n_view += v->n[i].state == RL_FUSE_VIEW;
    }
    return 0;
}

const char *rl_fuse_op(const rl_graph *g, const rl_fuse_view *v, size_t i)
{
    if (v->n[i].state == RL_FUSE_RUN)
        return v->n[i].exec_op;
    if (v->n[i].state == RL_FUSE_VIEW)
        return g->nodes[i].src->op_type;
    return NULL;
}
