/* shape_quant.c: shape rules and checks for quantized graphs: QuantizeLinear, DequantizeLinear and
 * DynamicQuantizeLinear (the QDQ format), and the quantization parameters of the QOperator ops,
 * default domain (QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger: their shapes are in
 * shape_conv.c and shape_matmul.c, which call rl_shape_check_quant first) and ONNX Runtime's
 * contrib domain (QGemm, QLinearAdd, QLinearMul, QLinearSigmoid, QLinearLeakyRelu,
 * QLinearGlobalAveragePool, QLinearConcat, DynamicQuantizeMatMul, MatMulIntegerToFloat: their
 * rules are here, in rl_shape_rules_contrib_quant).
 *
 * A quantized operand is data (int8 or uint8 for the compute ops), a scale (a float type) and an
 * optional zero point of the data's own type; a quantized output takes its type from its zero
 * point. A graph that breaks this (a missing scale, a zero point of another type than its data,
 * int32 where int8 is meant) gets a note naming the input by position and role, and the node is
 * not costed:
 *   QLinearConv 'conv1': x_zero_point (input 2) is int8, expected uint8 like x (input 0) */
#include "model/shape_int.h"

#include <string.h>

/* ---- what each op's inputs are ------------------------------------------------------------- */

/* One quantized operand: its data, scale and zero point inputs (-1: none; data -1 is the op's
 * output), the role names used in messages, and whether its scale is required. */
typedef struct qoperand {
    int x, scale, zp;
    const char *name; /* "x": the inputs are named x, x_scale, x_zero_point */
    int optional;     /* the scale may be absent (QGemm's y: then Y is float) */
} qoperand;

typedef struct qsig {
    const char *op;
    int contrib; /* com.microsoft */
    qoperand q[3];
    int n_q;
    int bias;       /* an int32 bias input, or -1 */
    int float_data; /* an input that stays float (DynamicQuantizeMatMul's A), or -1 */
} qsig;

static const qsig SIGS[] = {
    {"QLinearConv", 0, {{0, 1, 2, "x", 0}, {3, 4, 5, "w", 0}, {-1, 6, 7, "y", 0}}, 3, 8, -1},
    {"QLinearMatMul", 0, {{0, 1, 2, "a", 0}, {3, 4, 5, "b", 0}, {-1, 6, 7, "y", 0}}, 3, -1, -1},
    {"ConvInteger", 0, {{0, -1, 2, "x", 0}, {1, -1, 3, "w", 0}}, 2, -1, -1},
    {"MatMulInteger", 0, {{0, -1, 2, "a", 0}, {1, -1, 3, "b", 0}}, 2, -1, -1},
    {"QGemm", 1, {{0, 1, 2, "a", 0}, {3, 4, 5, "b", 0}, {-1, 7, 8, "y", 1}}, 3, 6, -1},
    {"QLinearAdd", 1, {{0, 1, 2, "a", 0}, {3, 4, 5, "b", 0}, {-1, 6, 7, "c", 0}}, 3, -1, -1},
    {"QLinearMul", 1, {{0, 1, 2, "a", 0}, {3, 4, 5, "b", 0}, {-1, 6, 7, "c", 0}}, 3, -1, -1},
    {"QLinearSigmoid", 1, {{0, 1, 2, "x", 0}, {-1, 3, 4, "y", 0}}, 2, -1, -1},
    {"QLinearLeakyRelu", 1, {{0, 1, 2, "x", 0}, {-1, 3, 4, "y", 0}}, 2, -1, -1},
    {"QLinearGlobalAveragePool", 1, {{0, 1, 2, "x", 0}, {-1, 3, 4, "y", 0}}, 2, -1, -1},
    {"DynamicQuantizeMatMul", 1, {{1, 2, 3, "b", 0}}, 1, -1, 0},
    {"MatMulIntegerToFloat", 1, {{0, 2, 4, "a", 0}, {1, 3, 5, "b", 0}}, 2, -1, -1},
};

static int is_8bit(int32_t dt)
{
    return dt == RL_DT_INT8 || dt == RL_DT_UINT8;
}

/* The types QuantizeLinear may produce and DequantizeLinear read (opsets 10 to 23). */
static int is_quantized_type(int32_t dt)
{
    switch (dt) {
    case RL_DT_INT8:
    case RL_DT_UINT8:
    case RL_DT_INT16:
    case RL_DT_UINT16:
    case RL_DT_INT4:
    case RL_DT_UINT4:
    case RL_DT_FLOAT8E4M3FN:
    case RL_DT_FLOAT8E4M3FNUZ:
    case RL_DT_FLOAT8E5M2:
    case RL_DT_FLOAT8E5M2FNUZ:
        return 1;
    default:
        return 0;
    }
}

static const char *dt_name(int32_t dt)
{
    return rl_onnx_dtype_name(dt);
}

/* A known dtype: graph inputs without a type leave the checks to the runtime. */
static int known_dt(const rl_tensor *t)
{
    return t && t->dtype != RL_DT_UNDEFINED;
}

/* Scale `si` of operand `name`: present unless optional, a float type, and as many elements as
 * its zero point `zi`. Returns RL_SHAPE_OK or a note. */
static int check_scale(rl_shape_ctx *c, const char *name, int si, int zi, int optional)
{
    rl_tensor *s = rl_shape_in(c, (size_t)si);
    if (!s) {
        if (optional)
            return RL_SHAPE_OK;
        return rl_shape_note(c, RL_SHAPE_BAD, "no %s_scale (input %d): a quantized %s needs one",
                             name, si, name);
    }
    if (known_dt(s) && !rl_shape_is_float(s->dtype))
        return rl_shape_note(c, RL_SHAPE_BAD, "%s_scale (input %d) is %s, expected a float type",
                             name, si, dt_name(s->dtype));
    rl_tensor *z = zi >= 0 ? rl_shape_in(c, (size_t)zi) : NULL;
    int64_t se = s ? rl_tensor_elems(s) : -1, ze = z ? rl_tensor_elems(z) : -1;
    if (se >= 0 && ze >= 0 && se != ze)
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "%s_scale (input %d) has %lld elements, %s_zero_point (input %d) "
                             "%lld: they must match",
                             name, si, (long long)se, name, zi, (long long)ze);
    return RL_SHAPE_OK;
}

int rl_shape_check_quant(rl_shape_ctx *c)
{
    const qsig *sig = NULL;
    int contrib = !strcmp(c->o->domain, "com.microsoft");
    for (size_t i = 0; i < sizeof SIGS / sizeof SIGS[0] && !sig; i++)
        if (!strcmp(SIGS[i].op, c->o->op_type) && SIGS[i].contrib == contrib)
            sig = &SIGS[i];
    if (!sig)
        return RL_SHAPE_OK;
    int r;
    for (int k = 0; k < sig->n_q; k++) {
        const qoperand *q = &sig->q[k];
        rl_tensor *x = q->x >= 0 ? rl_shape_in(c, (size_t)q->x) : NULL;
        if (q->x >= 0 && !x)
            return rl_shape_note(c, RL_SHAPE_BAD, "no %s (input %d)", q->name, q->x);
        if (x && known_dt(x) && !is_8bit(x->dtype))
            return rl_shape_note(c, RL_SHAPE_BAD, "%s (input %d) is %s, expected int8 or uint8",
                                 q->name, q->x, dt_name(x->dtype));
        if (q->scale >= 0 && (r = check_scale(c, q->name, q->scale, q->zp, q->optional)))
            return r;
        rl_tensor *z = q->zp >= 0 ? rl_shape_in(c, (size_t)q->zp) : NULL;
        if (!z || !known_dt(z))
            continue;
        if (x && known_dt(x) && z->dtype != x->dtype)
            return rl_shape_note(
                c, RL_SHAPE_BAD, "%s_zero_point (input %d) is %s, expected %s like %s (input %d)",
                q->name, q->zp, dt_name(z->dtype), dt_name(x->dtype), q->name, q->x);
        if (!x && !is_8bit(z->dtype))
            return rl_shape_note(c, RL_SHAPE_BAD,
                                 "%s_zero_point (input %d) is %s, expected int8 or uint8 (it sets "
                                 "the output's type)",
                                 q->name, q->zp, dt_name(z->dtype));
    }
    rl_tensor *b = sig->bias >= 0 ? rl_shape_in(c, (size_t)sig->bias) : NULL;
    if (b && known_dt(b) && b->dtype != RL_DT_INT32)
        return rl_shape_note(c, RL_SHAPE_BAD, "bias (input %d) is %s, expected int32", sig->bias,
                             dt_name(b->dtype));
    rl_tensor *f = sig->float_data >= 0 ? rl_shape_in(c, (size_t)sig->float_data) : NULL;
    if (f && known_dt(f) && !rl_shape_is_float(f->dtype))
        return rl_shape_note(c, RL_SHAPE_BAD, "input %d is %s, expected a float type",
                             sig->float_data, dt_name(f->dtype));
    return RL_SHAPE_OK;
}

/* ---- QDQ: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear ---------------------------- */

static int op_quantize(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if ((r = check_scale(c, "y", 1, 2, 0)))
        return r;
    rl_tensor *zp = rl_shape_in(c, 2);
    int32_t want = (int32_t)rl_onnx_attr_int(c->o, "output_dtype", 0); /* opset 21 */
    if (zp && known_dt(zp) && !is_quantized_type(zp->dtype))
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "y_zero_point (input 2) is %s, expected an 8-, 16- or 4-bit integer "
                             "or float8 type (it sets the output's type)",
                             dt_name(zp->dtype));
    if (zp && known_dt(zp) && want && want != zp->dtype)
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "attribute output_dtype is %s but y_zero_point (input 2) is %s",
                             dt_name(want), dt_name(zp->dtype));
    int32_t dt = zp && known_dt(zp) ? zp->dtype : want ? want : RL_DT_UINT8;
    return rl_shape_set_like(c, 0, x, dt);
}

static int op_dequantize(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if (known_dt(x) && !is_quantized_type(x->dtype) && x->dtype != RL_DT_INT32)
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "x (input 0) is %s, expected a quantized integer (or int32) type",
                             dt_name(x->dtype));
    if ((r = check_scale(c, "x", 1, 2, 0)))
        return r;
    rl_tensor *zp = rl_shape_in(c, 2), *s = rl_shape_in(c, 1);
    if (zp && known_dt(zp) && known_dt(x) && zp->dtype != x->dtype)
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "x_zero_point (input 2) is %s, expected %s like x (input 0)",
                             dt_name(zp->dtype), dt_name(x->dtype));
    return rl_shape_set_like(c, 0, x, known_dt(s) ? s->dtype : RL_DT_FLOAT);
}

static int op_dynamic_quantize(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if ((r = rl_shape_set_like(c, 0, x, RL_DT_UINT8)) ||
        (r = rl_shape_set_out(c, 1, RL_DT_FLOAT, 0, NULL)))
        return r;
    return rl_shape_set_out(c, 2, RL_DT_UINT8, 0, NULL);
}

/* ---- com.microsoft quantized ops ----------------------------------------------------------- */

/* The output type of a quantized output whose zero point is input zi: the zero point's, else
 * the data input xi's (ORT's kernels: the output has A's type when its zero point is absent). */
static int32_t qout_type(rl_shape_ctx *c, int zi, int xi)
{
    rl_tensor *z = rl_shape_in(c, (size_t)zi), *x = rl_shape_in(c, (size_t)xi);
    return z && known_dt(z) ? z->dtype : x && known_dt(x) ? x->dtype : RL_DT_UINT8;
}

/* QGemm: Y = alpha A' B' + C, A' = A or A^T (transA), B' likewise; quantized with y_scale, else
 * float. */
static int op_qgemm(rl_shape_ctx *c)
{
    int r;
    rl_tensor *a, *b;
    if ((r = rl_shape_check_quant(c)) || (r = rl_shape_need_rank(c, 0, &a)) ||
        (r = rl_shape_need_rank(c, 3, &b)))
        return r;
    if (a->rank != 2 || b->rank != 2)
        return rl_shape_note(c, RL_SHAPE_BAD, "A has rank %d and B rank %d, expected 2 and 2",
                             a->rank, b->rank);
    int ta = rl_onnx_attr_int(c->o, "transA", 0) != 0,
        tb = rl_onnx_attr_int(c->o, "transB", 0) != 0;
    rl_dim m = a->dims[ta ? 1 : 0], ka = a->dims[ta ? 0 : 1];
    rl_dim kb = b->dims[tb ? 1 : 0], n = b->dims[tb ? 0 : 1];
    if (ka.v >= 0 && kb.v >= 0 && ka.v != kb.v)
        return rl_shape_note(c, RL_SHAPE_BAD, "inner dimensions %lld and %lld differ",
                             (long long)ka.v, (long long)kb.v);
    rl_dim od[2] = {m, n};
    int32_t dt = rl_shape_in(c, 7) ? qout_type(c, 8, 0) : RL_DT_FLOAT;
    return rl_shape_set_out(c, 0, dt, 2, od);
}

/* QLinearAdd, QLinearMul: C = A op B, broadcast, quantized with C's scale. */
static int op_qlinear_binary(rl_shape_ctx *c)
{
    int r;
    rl_tensor *a, *b;
    if ((r = rl_shape_check_quant(c)) || (r = rl_shape_need_rank(c, 0, &a)) ||
        (r = rl_shape_need_rank(c, 3, &b)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    int ro;
    if ((r = rl_shape_broadcast(c, a->rank, a->dims, b->rank, b->dims, &ro, od)))
        return r;
    return rl_shape_set_out(c, 0, qout_type(c, 7, 0), ro, od);
}

/* QLinearSigmoid, QLinearLeakyRelu: Y has X's shape. */
static int op_qlinear_unary(rl_shape_ctx *c)
{
    int r;
    rl_tensor *x;
    if ((r = rl_shape_check_quant(c)) || (r = rl_shape_need_rank(c, 0, &x)))
        return r;
    return rl_shape_set_like(c, 0, x, qout_type(c, 4, 0));
}

/* QLinearGlobalAveragePool: NCHW, or NHWC with channels_last = 1; every spatial dim becomes 1. */
static int op_qlinear_global_pool(rl_shape_ctx *c)
{
    int r;
    rl_tensor *x;
    if ((r = rl_shape_check_quant(c)) || (r = rl_shape_need_rank(c, 0, &x)))
        return r;
    if (x->rank < 3)
        return rl_shape_note(c, RL_SHAPE_BAD, "input rank %d, expected at least 3", x->rank);
    int last = rl_onnx_attr_int(c->o, "channels_last", 0) != 0;
    rl_dim od[RL_ONNX_MAX_RANK];
    for (int i = 0; i < x->rank; i++)
        od[i] = (i == 0 || i == (last ? x->rank - 1 : 1)) ? x->dims[i] : (rl_dim){1, NULL};
    return rl_shape_set_out(c, 0, qout_type(c, 4, 0), x->rank, od);
}

/* QLinearConcat: inputs Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per tensor;
 * joined along `axis`. */
static int op_qlinear_concat(rl_shape_ctx *c)
{
    size_t n_in = c->o->n_inputs;
    if (n_in < 5 || (n_in - 2) % 3 != 0)
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "%zu inputs, expected Y_scale, Y_zero_point and (X, X_scale, "
                             "X_zero_point) per tensor",
                             n_in);
    int r;
    if ((r = check_scale(c, "Y", 0, 1, 0)))
        return r;
    rl_tensor *yz = rl_shape_in(c, 1);
    rl_tensor *x0;
    if ((r = rl_shape_need_rank(c, 2, &x0)))
        return r;
    int64_t axis;
    if ((r = rl_shape_axis_attr(c, 0, x0->rank, &axis)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    for (int i = 0; i < x0->rank; i++)
        od[i] = x0->dims[i];
    od[axis] = (rl_dim){x0->dims[axis].v, NULL};
    for (size_t k = 2; k < n_in; k += 3) {
        rl_tensor *x;
        if ((r = rl_shape_need_rank(c, k, &x)))
            return r;
        if (known_dt(x) && !is_8bit(x->dtype))
            return rl_shape_note(c, RL_SHAPE_BAD, "X (input %zu) is %s, expected int8 or uint8", k,
                                 dt_name(x->dtype));
        if ((r = check_scale(c, "X", (int)k + 1, (int)k + 2, 0)))
            return r;
        rl_tensor *z = rl_shape_in(c, k + 2);
        if (z && known_dt(z) && known_dt(x) && z->dtype != x->dtype)
            return rl_shape_note(c, RL_SHAPE_BAD,
                                 "X_zero_point (input %zu) is %s, expected %s like X (input %zu)",
                                 k + 2, dt_name(z->dtype), dt_name(x->dtype), k);
        if (x->rank != x0->rank)
            return rl_shape_note(c, RL_SHAPE_BAD, "input %zu has rank %d, input 2 rank %d", k,
                                 x->rank, x0->rank);
        for (int i = 0; i < x->rank; i++) {
            if (i == axis) {
                if (k > 2)
                    od[i].v = od[i].v < 0 || x->dims[i].v < 0 ? -1 : od[i].v + x->dims[i].v;
            } else if (od[i].v >= 0 && x->dims[i].v >= 0 && od[i].v != x->dims[i].v) {
                return rl_shape_note(c, RL_SHAPE_BAD, "input %zu dim %d is %lld, expected %lld", k,
                                     i, (long long)x->dims[i].v, (long long)od[i].v);
            }
        }
    }
    return rl_shape_set_out(c, 0, yz && known_dt(yz) ? yz->dtype : x0->dtype, x0->rank, od);
}

/* DynamicQuantizeMatMul (A float, B int8 weight), MatMulIntegerToFloat (A and B int8): a MatMul
 * whose output is float (the scale's type). */
static int op_matmul_to_float(rl_shape_ctx *c)
{
    int r;
    rl_tensor *a, *b;
    if ((r = rl_shape_check_quant(c)) || (r = rl_shape_need_rank(c, 0, &a)) ||
        (r = rl_shape_need_rank(c, 1, &b)))
        return r;
    rl_tensor *s = rl_shape_in(c, 2);
    return rl_shape_matmul_out(c, a, b, known_dt(s) ? s->dtype : RL_DT_FLOAT);
}

const rl_shape_rule rl_shape_rules_quant[] = {
    {"QuantizeLinear", op_quantize},
    {"DequantizeLinear", op_dequantize},
    {"DynamicQuantizeLinear", op_dynamic_quantize},
    {NULL, NULL},
};

const rl_shape_rule rl_shape_rules_contrib_quant[] = {
    {"QGemm", op_qgemm},
    {"QLinearAdd", op_qlinear_binary},
    {"QLinearMul", op_qlinear_binary},
    {"QLinearSigmoid", op_qlinear_unary},
    {"QLinearLeakyRelu", op_qlinear_unary},
    {"QLinearGlobalAveragePool", op_qlinear_global_pool},
    {"QLinearConcat", op_qlinear_concat},
    {"DynamicQuantizeMatMul", op_matmul_to_float},
    {"MatMulIntegerToFloat", op_matmul_to_float},
    {NULL, NULL},
};
