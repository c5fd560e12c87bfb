/* cost.c: per-node costs and totals (see cost.h for the convention). */
#include "model/cost.h"

#include <stdlib.h>
#include <string.h>

#include "model/quant.h"

static const struct {
    const char *op;
    double per_elem;
} flop_table[] = {
    /* 1 FLOP per output element: arithmetic, comparisons, simple activations, transcendental
     * functions (one evaluation counted as one operation) */
    {"Add", 1},
    {"Sub", 1},
    {"Mul", 1},
    {"Div", 1},
    {"Pow", 1},
    {"Mod", 1},
    {"PRelu", 1},
    {"Equal", 1},
    {"Less", 1},
    {"Greater", 1},
    {"LessOrEqual", 1},
    {"GreaterOrEqual", 1},
    {"And", 1},
    {"Or", 1},
    {"Xor", 1},
    {"Not", 1},
    {"Where", 1},
    {"BitShift", 1},
    {"BitwiseAnd", 1},
    {"BitwiseOr", 1},
    {"BitwiseXor", 1},
    {"BitwiseNot", 1},
    {"Relu", 1},
    {"LeakyRelu", 1},
    {"Clip", 1},
    {"Abs", 1},
    {"Neg", 1},
    {"Sign", 1},
    {"Floor", 1},
    {"Ceil", 1},
    {"Round", 1},
    {"Sqrt", 1},
    {"Reciprocal", 1},
    {"Exp", 1},
    {"Log", 1},
    {"Erf", 1},
    {"Sigmoid", 1},
    {"Tanh", 1},
    {"Sin", 1},
    {"Cos", 1},
    {"Tan", 1},
    {"Asin", 1},
    {"Acos", 1},
    {"Atan", 1},
    {"Sinh", 1},
    {"Cosh", 1},
    {"Asinh", 1},
    {"Acosh", 1},
    {"Atanh", 1},
    {"Elu", 1},
    {"Selu", 1},
    {"Celu", 1},
    {"Softplus", 1},
    {"Softsign", 1},
    {"ThresholdedRelu", 1},
    {"Shrink", 1},
    {"IsNaN", 1},
    {"IsInf", 1},
    {"CumSum", 1},
    /* compound activations: their elementary steps */
    {"HardSigmoid", 3}, /* mul, add, clamp */
    {"HardSwish", 4},   /* HardSigmoid, mul */
    {"Gelu", 5},        /* div, erf, add, mul, mul */
    {"Mish", 3},        /* softplus, tanh, mul */
    /* normalization, per element */
    {"BatchNormalization", 2}, /* inference: one scale, one shift */
    {"LayerNormalization", 8},
    {"InstanceNormalization", 8},
    {"GroupNormalization", 8},
    {"MeanVarianceNormalization", 8},
    {"LRN", 4},
    /* softmax family, per element: max, exp, sum, divide */
    {"Softmax", 4},
    {"LogSoftmax", 4},
    {"Hardmax", 2},
    /* quantization: scale and zero point */
    {"QuantizeLinear", 2},
    {"DequantizeLinear", 2},
    /* ONNX Runtime's quantized elementwise ops (com.microsoft): the op itself, as for the float
     * ones; the requantization is a table lookup or one multiply-add they share */
    {"QLinearAdd", 1},
    {"QLinearMul", 1},
    {"QLinearSigmoid", 1},
    {"QLinearLeakyRelu", 1},
};

static const char *const movement_ops[] = {"Reshape",
                                           "Flatten",
                                           "Squeeze",
                                           "Unsqueeze",
                                           "Identity",
                                           "Dropout",
                                           "Transpose",
                                           "Concat",
                                           "Split",
                                           "Slice",
                                           "Gather",
                                           "GatherElements",
                                           "GatherND",
                                           "ScatterElements",
                                           "ScatterND",
                                           "Scatter",
                                           "Expand",
                                           "Tile",
                                           "Pad",
                                           "Cast",
                                           "CastLike",
                                           "Shape",
                                           "Size",
                                           "Constant",
                                           "ConstantOfShape",
                                           "Range",
                                           "DepthToSpace",
                                           "SpaceToDepth",
                                           "OneHot",
                                           "NonZero",
                                           "Trilu",
                                           "ReverseSequence",
                                           "EyeLike",
                                           "TopK",
                                           "ArgMax",
                                           "ArgMin",
                                           "QLinearConcat"};

static const char *const view_ops[] = {"Reshape",   "Flatten",  "Squeeze",
                                       "Unsqueeze", "Identity", "Dropout"};

static int in_list(const char *op, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(op, list[i]))
            return 1;
    return 0;
}

double rl_cost_op_flops(const char *op, int *known)
{
    for (size_t i = 0; i < sizeof flop_table / sizeof flop_table[0]; i++)
        if (!strcmp(flop_table[i].op, op)) {
            *known = 1;
            return flop_table[i].per_elem;
        }
    *known = in_list(op, movement_ops, sizeof movement_ops / sizeof movement_ops[0]);
    return 0;
}

const char *rl_cost_convention(void)
{
    return "MACs: Conv, ConvTranspose, Gemm, MatMul (and Einsum, RNN/GRU/LSTM gate products) only; "
           "their "
           "FLOPs = 2 x MACs (bias not counted). Other ops: FLOPs per output element from a fixed "
           "table (1 for arithmetic, "
           "comparisons, Relu, Sigmoid, Tanh, Erf, Exp...; HardSigmoid 3, HardSwish 4, Gelu 5, "
           "BatchNormalization 2, LayerNormalization 8, Softmax 4; pooling: kernel size per "
           "output; reductions and global pooling: 1 per input element; Resize: 0 nearest, 4 "
           "linear, 16 cubic), 0 for data movement. Bytes = distinct inputs (weights + "
           "activations) read + outputs written at their data types; views (Reshape, Flatten, "
           "Squeeze, Unsqueeze, Identity, Dropout) and load-time-folded nodes move nothing. "
           "Parameters = initializer elements, each counted once.";
}

const char *rl_cost_convention_int8(void)
{
    return "int8: QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger, QGemm, "
           "DynamicQuantizeMatMul, MatMulIntegerToFloat and the QLinear elementwise ops compute in "
           "int8, as does a QDQ Conv, MatMul or Gemm (DequantizeLinear of int8/uint8 on its data "
           "and weight; Conv: a QuantizeLinear after it): such a node counts as the quantized "
           "operator a runtime runs, its multiply-adds as int8 operations (2 per multiply-add, "
           "on the int8 roof), its bytes at their stored widths (int8 data and weights, int32 "
           "bias, float scales and the QuantizeLinear's int8 output), and the "
           "DequantizeLinear/QuantizeLinear nodes it absorbs move nothing.";
}

const char *rl_cost_convention_weights(void)
{
    return "Weights: 4-bit types two per byte; MatMulNBits counts K multiply-adds per output and "
           "reads its packed weight, scales and zero points at their stored sizes; a "
           "DequantizeLinear of a weight used only by products (MatMul, Gemm, Conv) moves nothing "
           "itself, the product reads the quantized weight in its place, as runtimes fuse the "
           "pair; Gather reads only the rows it gathers (an embedding table is not read whole).";
}

/* Bytes of `elems` elements at their data type, packed (two 4-bit elements per byte); a type
 * without a fixed size (strings) is counted as one byte per element. Used for every tensor and
 * parameter byte count, so the two always agree. */
static double dtype_bytes(int32_t dtype, uint64_t elems)
{
    uint64_t b;
    if (rl_onnx_dtype_bytes(dtype, elems, &b) == 0)
        return (double)b;
    unsigned bits = rl_onnx_dtype_bits(dtype);
    return (double)elems * (double)(bits ? bits : 8) / 8; /* unsized, or beyond 64 bits */
}

static double tensor_bytes(const rl_tensor *t)
{
    int64_t e = rl_tensor_elems(t);
    if (e < 0)
        return -1;
    return dtype_bytes(t->dtype, (uint64_t)e);
}

static const rl_tensor *in_t(const rl_graph *g, const rl_node *n, size_t i)
{
    if (i >= n->src->n_inputs || n->in[i] == SIZE_MAX)
        return NULL;
    return &g->t[n->in[i]];
}

static const rl_tensor *out_t(const rl_graph *g, const rl_node *n, size_t i)
{
    if (i >= n->src->n_outputs || n->out[i] == SIZE_MAX)
        return NULL;
    return &g->t[n->out[i]];
}

static double elems_of(const rl_tensor *t)
{
    return t ? (double)rl_tensor_elems(t) : -1;
}

static double kernel_elems(const rl_tensor *w)
{
    if (!w || w->rank < 2)
        return -1;
    double k = 1;
    for (int i = 1; i < w->rank; i++) {
        if (w->dims[i].v < 0)
            return -1;
        k *= (double)w->dims[i].v;
    }
    return k;
}

/* MACs of the product ops; -1 unknown, -2 not a product op. */
static double node_macs(const rl_graph *g, const rl_node *n)
{
    const char *op = n->src->op_type;
    const rl_tensor *y = out_t(g, n, 0);
    if (!strcmp(op, "Conv") || !strcmp(op, "ConvInteger")) {
        double k = kernel_elems(in_t(g, n, 1)), e = elems_of(y);
        return k < 0 || e < 0 ? -1 : e * k;
    }
    if (!strcmp(op, "QLinearConv")) {
        double k = kernel_elems(in_t(g, n, 3)), e = elems_of(y);
        return k < 0 || e < 0 ? -1 : e * k;
    }
    if (!strcmp(op, "ConvTranspose")) {
        double k = kernel_elems(in_t(g, n, 1)), e = elems_of(in_t(g, n, 0));
        return k < 0 || e < 0 ? -1 : e * k;
    }
    if (!strcmp(op, "Gemm") || !strcmp(op, "MatMul") || !strcmp(op, "MatMulInteger") ||
        !strcmp(op, "QLinearMatMul") || !strcmp(op, "QGemm") ||
        !strcmp(op, "DynamicQuantizeMatMul") || !strcmp(op, "MatMulIntegerToFloat")) {
        const rl_tensor *a = in_t(g, n, 0);
        double e = elems_of(y);
        if (!a || a->rank < 1 || e < 0)
            return -1;
        int64_t k;
        if (!strcmp(op, "Gemm") || !strcmp(op, "QGemm"))
            k = a->rank == 2 ? a->dims[rl_onnx_attr_int(n->src, "transA", 0) ? 0 : 1].v : -1;
        else
            k = a->dims[a->rank - 1].v;
        return k < 0 ? -1 : e * (double)k;
    }
    if (!strcmp(op, "MatMulNBits")) {
        /* Y [..., N] = A [..., K] x B: K multiply-adds per output element, at whatever bit width
         * B is stored (its bytes are counted at their real, packed size) */
        double e = elems_of(y), k = (double)rl_onnx_attr_int(n->src, "K", -1);
        return e < 0 || k <= 0 ? -1 : e * k;
    }
    if (!strcmp(op, "Einsum")) {
        /* one multiply-add per point of the full index space: the product of every letter's size */
        const char *eq = rl_onnx_attr_string(n->src, "equation", "");
        int64_t size[128];
        for (int i = 0; i < 128; i++)
            size[i] = 0;
        size_t in = 0;
        int pos = 0;
        for (const char *p = eq; *p && !(p[0] == '-' && p[1] == '>'); p++) {
            if (*p == ',') {
                in++;
                pos = 0;
                continue;
            }
            const rl_tensor *x = in_t(g, n, in);
            unsigned char ch = (unsigned char)*p;
            if (ch == ' ')
                continue;
            if (!x || ch >= 128 || ch == '.' || pos >= x->rank || x->dims[pos].v < 0)
                return -1;
            size[ch] = x->dims[pos++].v;
        }
        double m = 1;
        for (int i = 0; i < 128; i++)
            if (size[i] > 0)
                m *= (double)size[i];
        return n->src->n_inputs > 1 ? m : 0;
    }
    if (!strcmp(op, "RNN") || !strcmp(op, "GRU") || !strcmp(op, "LSTM")) {
        /* every step, every direction: gates x hidden x (input + hidden) multiply-adds */
        const rl_tensor *x = in_t(g, n, 0), *w = in_t(g, n, 1), *r = in_t(g, n, 2);
        if (!x || !w || !r || x->rank != 3 || w->rank != 3 || r->rank != 3)
            return -1;
        double e = 1;
        for (int i = 0; i < 2; i++)
            e *= (double)x->dims[i].v; /* seq x batch, either layout */
        double wk = (double)w->dims[0].v * (double)w->dims[1].v * (double)w->dims[2].v;
        double rk = (double)r->dims[0].v * (double)r->dims[1].v * (double)r->dims[2].v;
        if (x->dims[0].v < 0 || x->dims[1].v < 0 || rl_tensor_elems(w) < 0 ||
            rl_tensor_elems(r) < 0)
            return -1;
        return e * (wk + rk);
    }
    return -2;
}

static double pool_kernel(const rl_node *n)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(n->src, "kernel_shape");
    double k = 1;
    for (size_t i = 0; a && i < a->n_ints; i++)
        k *= (double)(a->ints[i] > 0 ? a->ints[i] : 1);
    return k;
}

/* FLOPs of non-product ops; -1 unknown. */
static double node_other_flops(const rl_graph *g, const rl_node *n)
{
    const char *op = n->src->op_type;
    const rl_tensor *x = in_t(g, n, 0), *y = out_t(g, n, 0);
    double ey = elems_of(y);
    if (!strcmp(op, "MaxPool") || !strcmp(op, "AveragePool") || !strcmp(op, "LpPool"))
        return ey < 0 ? -1 : ey * pool_kernel(n);
    if (!strncmp(op, "Global", 6) || !strncmp(op, "Reduce", 6) ||
        !strcmp(op, "QLinearGlobalAveragePool"))
        return elems_of(x);
    if (!strcmp(op, "Sum") || !strcmp(op, "Mean") || !strcmp(op, "Max") || !strcmp(op, "Min")) {
        size_t k = n->src->n_inputs;
        return ey < 0 ? -1 : ey * (double)(k > 1 ? k - 1 : 1);
    }
    if (!strcmp(op, "Resize") || !strcmp(op, "Upsample")) {
        const char *mode = rl_onnx_attr_string(n->src, "mode", "nearest");
        double per = !strcmp(mode, "nearest") ? 0 : !strcmp(mode, "cubic") ? 16 : 4;
        return ey < 0 ? -1 : ey * per;
    }
    int known;
    double per = rl_cost_op_flops(op, &known);
    if (per == 0)
        return 0;
    return ey < 0 ? -1 : ey * per;
}

/* Bytes of every distinct input of a node, -1 when one is unknown. */
static double node_input_bytes(const rl_graph *g, const rl_node *n)
{
    double sum = 0;
    for (size_t k = 0; k < n->src->n_inputs; k++) {
        const rl_tensor *t = in_t(g, n, k);
        int dup = 0;
        for (size_t j = 0; j < k; j++)
            dup |= n->in[j] == n->in[k];
        double b = t && !dup ? tensor_bytes(t) : 0;
        if (b < 0)
            return -1;
        sum += b;
    }
    return sum;
}

static int is_product(const char *op)
{
    return !strcmp(op, "MatMul") || !strcmp(op, "Gemm") || !strcmp(op, "Conv") ||
           !strcmp(op, "ConvTranspose");
}

/* Flags (per node, malloc'd; NULL when out of memory or none) the DequantizeLinear nodes that
 * decompress a weight for products only: input 0 an initializer, the output used by MatMul, Gemm
 * or Conv as their weight (input 1) and nowhere else. Runtimes fuse these (ONNX Runtime turns
 * blocked int4 DequantizeLinear + MatMul into MatMulNBits, int8 QDQ pairs into quantized
 * kernels), so the full-precision weight is never written to memory: the product reads the
 * packed weight, scales and zero points instead. */
static char *find_weight_dq(const rl_graph *g)
{
    char *other_use = calloc(g->n_t ? g->n_t : 1, 1);
    char *flag = calloc(g->n_nodes ? g->n_nodes : 1, 1);
    size_t found = 0;
    if (!other_use || !flag)
        goto none;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        for (size_t k = 0; k < n->src->n_inputs; k++)
            if (n->in[k] != SIZE_MAX && !(k == 1 && is_product(n->src->op_type)))
                other_use[n->in[k]] = 1;
    }
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        const rl_tensor *x = in_t(g, n, 0), *y = out_t(g, n, 0);
        if (n->status != RL_NODE_OK || strcmp(n->src->op_type, "DequantizeLinear") != 0 || !x ||
            x->kind != RL_T_INIT || !y || y->graph_output || y->last_use < 0 ||
            other_use[n->out[0]])
            continue;
        flag[i] = 1;
        found++;
    }
none:
    free(other_use);
    if (!found) {
        free(flag);
        return NULL;
    }
    return flag;
}

/* Node p moves nothing itself: a weight DequantizeLinear, or a DequantizeLinear or
 * QuantizeLinear absorbed into a QDQ core. */
static int absorbed(const rl_graph *g, const char *weight_dq, long p)
{
    return p >= 0 && ((weight_dq && weight_dq[p]) || g->nodes[p].qdq == RL_QDQ_ABSORBED);
}

/* Node p's inputs stand in for its output in its consumers' byte counts: an absorbed
 * DequantizeLinear (an absorbed QuantizeLinear's output is what its consumers read). */
static int stands_in(const rl_graph *g, const char *weight_dq, long p)
{
    return absorbed(g, weight_dq, p) && !strcmp(g->nodes[p].src->op_type, "DequantizeLinear");
}

void rl_cost_compute(rl_graph *g, rl_cost_totals *tot)
{
    memset(tot, 0, sizeof *tot);
    rl_quant_mark(g);
    const rl_onnx_model *m = g->model;
    for (size_t i = 0; i < m->n_inits; i++) {
        const rl_onnx_tensor *t = &m->inits[i];
        /* duplicate initializer names: the last one wins in the graph; count each name once */
        const rl_tensor *gt = rl_graph_find(g, t->name);
        if (gt && gt->init != t)
            continue;
        tot->params += t->elems;
        double b = dtype_bytes(t->dtype, t->elems);
        tot->param_bytes += b < 0x1p64 ? (uint64_t)b : UINT64_MAX;
    }

    char *counted = calloc(g->n_t ? g->n_t : 1, 1);
    char *weight_dq = find_weight_dq(g);
    for (size_t i = 0; i < g->n_nodes; i++) {
        rl_node *n = &g->nodes[i];
        const char *op = n->src->op_type;
        n->cost_known = 0;
        n->params = 0;
        n->macs = n->flops = n->bytes_read = n->bytes_written = n->intensity = 0;
        n->weight_bytes = 0;
        for (size_t k = 0; k < n->src->n_inputs; k++) {
            if (n->in[k] == SIZE_MAX)
                continue;
            const rl_tensor *t = &g->t[n->in[k]];
            if (t->kind == RL_T_INIT && counted && !counted[n->in[k]]) {
                counted[n->in[k]] = 1;
                n->params += t->init->elems;
            }
        }
        if (n->status != RL_NODE_OK) {
            tot->nodes_not_costed++;
            continue;
        }
        n->cost_known = 1;
        if (n->folded || !strcmp(op, "Constant") ||
            in_list(op, view_ops, sizeof view_ops / sizeof view_ops[0]) ||
            absorbed(g, weight_dq, (long)i))
            continue;
        double macs = node_macs(g, n);
        if (macs >= 0) {
            n->macs = macs;
            n->flops = 2 * macs;
        } else if (macs == -2) {
            double f = node_other_flops(g, n);
            if (f < 0)
                n->cost_known = 0;
            else
                n->flops = f;
        } else {
            n->cost_known = 0;
        }
        /* bytes: distinct inputs; Shape/Size read only metadata */
        int meta = !strcmp(op, "Shape") || !strcmp(op, "Size");
        for (size_t k = 0; k < n->src->n_inputs && !meta; k++) {
            if (n->in[k] == SIZE_MAX)
                continue;
            int dup = 0;
            for (size_t j = 0; j < k; j++)
                dup |= n->in[j] == n->in[k];
            if (dup)
                continue;
            const rl_tensor *t = &g->t[n->in[k]];
            double b;
            int weight = t->kind == RL_T_INIT;
            if (stands_in(g, weight_dq, t->producer)) {
                /* the DequantizeLinear's inputs in its place: int8 (or int32) data, scale, zero
                 * point; weights when its data is an initializer */
                const rl_node *dq = &g->nodes[t->producer];
                b = node_input_bytes(g, dq);
                weight = in_t(g, dq, 0) && in_t(g, dq, 0)->kind == RL_T_INIT;
            } else {
                b = tensor_bytes(t);
            }
            if (k == 0 && !strcmp(op, "Gather") && b >= 0) {
                double rows = tensor_bytes(out_t(g, n, 0) ? out_t(g, n, 0) : t);
                if (rows >= 0 && rows < b)
                    b = rows;
            }
            if (b < 0) {
                n->cost_known = 0;
            } else {
                n->bytes_read += b;
                if (weight)
                    n->weight_bytes += b;
            }
        }
        if (n->qdq_out >= 0) {
            /* a QDQ core writes its QuantizeLinear's int8 output, reading its scale and zero
             * point as a QLinearConv reads y_scale and y_zero_point */
            const rl_node *q = &g->nodes[n->qdq_out];
            for (size_t k = 1; k < q->src->n_inputs; k++) {
                const rl_tensor *t = in_t(g, q, k);
                double b = t ? tensor_bytes(t) : 0;
                if (b < 0) {
                    n->cost_known = 0;
                    continue;
                }
                n->bytes_read += b;
                if (t && t->kind == RL_T_INIT)
                    n->weight_bytes += b;
            }
        }
        for (size_t k = 0; k < n->src->n_outputs; k++) {
            const rl_tensor *t = out_t(g, n, k);
            if (!t)
                continue;
            if (k == 0 && n->qdq_out >= 0)
                t = out_t(g, &g->nodes[n->qdq_out], 0);
            double b = tensor_bytes(t);
            if (b < 0)
                n->cost_known = 0;
            else
                n->bytes_written += b;
        }
        double bytes = n->bytes_read + n->bytes_written;
        n->intensity = bytes > 0 ? n->flops / bytes : 0;
        if (!n->cost_known)
            tot->nodes_not_costed++;
        tot->macs += n->macs;
        tot->flops += n->flops;
        tot->bytes_read += n->bytes_read;
        tot->bytes_written += n->bytes_written;
    }
    free(counted);
    free(weight_dq);
    tot->incomplete = tot->nodes_not_costed > 0;

    /* peak activation memory: lifetimes of buffers (a view shares its input's buffer) */
    size_t nt = g->n_t;
    size_t *root = malloc((nt ? nt : 1) * sizeof *root);
    long *start = malloc((nt ? nt : 1) * sizeof *start);
    long *end = malloc((nt ? nt : 1) * sizeof *end);
    double *delta = calloc(g->n_nodes + 2, sizeof *delta);
    if (!root || !start || !end || !delta) {
        tot->peak_activation_bytes = -1;
        goto done;
    }
    for (size_t i = 0; i < nt; i++) {
        root[i] = i;
        start[i] = g->t[i].producer < 0 ? 0 : g->t[i].producer;
        end[i] = g->t[i].graph_output ? (long)g->n_nodes : g->t[i].last_use;
        if (end[i] < start[i])
            end[i] = start[i];
    }
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        if (!in_list(n->src->op_type, view_ops, sizeof view_ops / sizeof view_ops[0]))
            continue;
        if (n->src->n_inputs < 1 || n->in[0] == SIZE_MAX || n->src->n_outputs < 1 ||
            n->out[0] == SIZE_MAX)
            continue;
        size_t r = root[n->in[0]];
        size_t o = n->out[0];
        root[o] = r;
        if (end[o] > end[r])
            end[r] = end[o];
    }
    for (size_t i = 0; i < nt; i++) {
        const rl_tensor *t = &g->t[i];
        if (root[i] != i || t->kind == RL_T_INIT || t->kind == RL_T_MISSING || t->has_value)
            continue;
        double b = tensor_bytes(t);
        if (b < 0) {
            tot->incomplete = 1;
            continue;
        }
        delta[start[i]] += b;
        delta[end[i] + 1] -= b;
    }
    double live = 0, peak = 0;
    for (size_t i = 0; i <= g->n_nodes; i++) {
        live += delta[i];
        if (live > peak)
            peak = live;
    }
    tot->peak_activation_bytes = peak;
done:
    free(root);
    free(start);
    free(end);
    free(delta);
}
