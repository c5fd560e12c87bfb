/* shape_elementwise.c: shape rules for ops whose output has an input's shape, or the broadcast of
 * their inputs' shapes: the unary ops (Relu, Exp, Softmax, Identity, ...; Identity, Neg and Abs
 * fold), the broadcasting ones (Add, Mul, Where, Equal, ...; folded for small constant inputs),
 * Cast and CastLike (fold), QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, and the
 * normalizations (BatchNormalization, InstanceNormalization, LayerNormalization,
 * GroupNormalization, Dropout). */
#include "model/shape_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static int op_unary(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const char *op = c->o->op_type;
    int32_t dt = x->dtype;
    if (!strcmp(op, "IsNaN") || !strcmp(op, "IsInf") || !strcmp(op, "Not"))
        dt = RL_DT_BOOL;
    if ((r = rl_shape_set_like(c, 0, x, dt)))
        return r;
    if (x->has_value && (!strcmp(op, "Identity") || !strcmp(op, "Neg") || !strcmp(op, "Abs"))) {
        if (x->iv) {
            int64_t tmp[RL_SHAPE_MAX_FOLD];
            for (size_t i = 0; i < x->nv; i++)
                tmp[i] = op[0] == 'I' ? x->iv[i]
                         : op[0] == 'N'
                             ? (x->iv[i] == INT64_MIN ? x->iv[i] : -x->iv[i])
                             : (x->iv[i] < 0 && x->iv[i] != INT64_MIN ? -x->iv[i] : x->iv[i]);
            return rl_shape_set_value(c, 0, tmp, NULL, x->nv);
        }
        double tmp[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < x->nv; i++)
            tmp[i] = op[0] == 'I' ? x->dv[i] : op[0] == 'N' ? -x->dv[i] : fabs(x->dv[i]);
        return rl_shape_set_value(c, 0, NULL, tmp, x->nv);
    }
    return RL_SHAPE_OK;
}

/* Index into a broadcast input for flat output position `pos`. */
static size_t bcast_index(const rl_tensor *in, int ro, const rl_dim *od, size_t pos)
{
    size_t idx = 0, stride = 1;
    for (int i = ro - 1; i >= 0; i--) {
        size_t d = (size_t)od[i].v;
        size_t coord = d ? pos % d : 0;
        pos = d ? pos / d : 0;
        int ii = i - (ro - in->rank);
        if (ii >= 0) {
            size_t di = (size_t)in->dims[ii].v;
            if (di != 1)
                idx += coord * stride;
            stride *= di;
        }
    }
    return idx;
}

static int fold_binary(rl_shape_ctx *c, const char *op, rl_tensor **ins, size_t nin, int ro,
                       const rl_dim *od, int32_t odt)
{
    for (size_t i = 0; i < nin; i++)
        if (!ins[i]->has_value || !rl_shape_known(ins[i]))
            return RL_SHAPE_OK;
    int64_t n = 1;
    for (int i = 0; i < ro; i++)
        n = rl_shape_mul_dim(n, od[i].v);
    if (n < 0 || n > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    int isf = rl_shape_is_float(odt);
    int64_t iv[RL_SHAPE_MAX_FOLD];
    double dv[RL_SHAPE_MAX_FOLD];
    for (int64_t p = 0; p < n; p++) {
        if (!strcmp(op, "Where")) {
            size_t k0 = bcast_index(ins[0], ro, od, (size_t)p);
            size_t k1 = bcast_index(ins[1], ro, od, (size_t)p);
            size_t k2 = bcast_index(ins[2], ro, od, (size_t)p);
            int cond = ins[0]->iv ? ins[0]->iv[k0] != 0 : ins[0]->dv[k0] != 0;
            rl_tensor *s = cond ? ins[1] : ins[2];
            size_t k = cond ? k1 : k2;
            if (isf)
                dv[p] = s->dv ? s->dv[k] : (double)s->iv[k];
            else
                iv[p] = s->iv ? s->iv[k] : (int64_t)s->dv[k];
            continue;
        }
        size_t ka = bcast_index(ins[0], ro, od, (size_t)p);
        size_t kb = bcast_index(ins[1], ro, od, (size_t)p);
        int inf = !ins[0]->iv || !ins[1]->iv;
        double a = ins[0]->iv ? (double)ins[0]->iv[ka] : ins[0]->dv[ka];
        double b = ins[1]->iv ? (double)ins[1]->iv[kb] : ins[1]->dv[kb];
        int64_t ia = ins[0]->iv ? ins[0]->iv[ka] : 0, ib = ins[1]->iv ? ins[1]->iv[kb] : 0;
        double rd = 0;
        int64_t ri = 0;
        if (!strcmp(op, "Add")) {
            rd = a + b;
            ri = (int64_t)((uint64_t)ia + (uint64_t)ib);
        } else if (!strcmp(op, "Sub")) {
            rd = a - b;
            ri = (int64_t)((uint64_t)ia - (uint64_t)ib);
        } else if (!strcmp(op, "Mul")) {
            rd = a * b;
            ri = (int64_t)((uint64_t)ia * (uint64_t)ib);
        } else if (!strcmp(op, "Div")) {
            rd = a / b;
            if (!inf && (ib == 0 || (ia == INT64_MIN && ib == -1)))
                return RL_SHAPE_OK; /* leave it unfolded */
            ri = inf ? 0 : ia / ib;
        } else if (!strcmp(op, "Max") || !strcmp(op, "Min")) {
            int mx = op[1] == 'a';
            rd = mx ? (a > b ? a : b) : (a < b ? a : b);
            ri = mx ? (ia > ib ? ia : ib) : (ia < ib ? ia : ib);
        } else if (!strcmp(op, "Equal")) {
            ri = inf ? a == b : ia == ib;
        } else if (!strcmp(op, "Less")) {
            ri = inf ? a < b : ia < ib;
        } else if (!strcmp(op, "Greater")) {
            ri = inf ? a > b : ia > ib;
        } else {
            return RL_SHAPE_OK;
        }
        if (isf)
            dv[p] = inf ? rd : (double)ri;
        else
            iv[p] =
                inf && odt != RL_DT_BOOL ? (isfinite(rd) && fabs(rd) < 9e18 ? (int64_t)rd : 0) : ri;
    }
    return isf ? rl_shape_set_value(c, 0, NULL, dv, (size_t)n)
               : rl_shape_set_value(c, 0, iv, NULL, (size_t)n);
}

static int op_broadcast(rl_shape_ctx *c)
{
    const char *op = c->o->op_type;
    size_t nin = c->o->n_inputs;
    if (nin == 0)
        return rl_shape_note(c, RL_SHAPE_BAD, "no inputs");
    if (nin > 64)
        return rl_shape_note(c, RL_SHAPE_BAD, "too many inputs");
    rl_tensor *ins[64];
    for (size_t i = 0; i < nin; i++) {
        int r = rl_shape_need_rank(c, i, &ins[i]);
        if (r)
            return r;
    }
    rl_dim od[RL_ONNX_MAX_RANK], tmp[RL_ONNX_MAX_RANK];
    int ro = ins[0]->rank;
    memcpy(od, ins[0]->dims, (size_t)ro * sizeof(rl_dim));
    for (size_t i = 1; i < nin; i++) {
        int r = rl_shape_broadcast(c, ro, od, ins[i]->rank, ins[i]->dims, &ro, tmp);
        if (r)
            return r;
        memcpy(od, tmp, (size_t)ro * sizeof(rl_dim));
    }
    int32_t dt = ins[0]->dtype;
    if (!strcmp(op, "Where"))
        dt = nin > 1 ? ins[1]->dtype : dt;
    static const char *const boolops[] = {"Equal",          "Less", "Greater", "LessOrEqual",
                                          "GreaterOrEqual", "And",  "Or",      "Xor"};
    for (size_t i = 0; i < sizeof boolops / sizeof boolops[0]; i++)
        if (!strcmp(op, boolops[i]))
            dt = RL_DT_BOOL;
    int r = rl_shape_set_out(c, 0, dt, ro, od);
    if (r)
        return r;
    if ((nin == 2 && strcmp(op, "Where")) || (nin == 3 && !strcmp(op, "Where")))
        return fold_binary(c, op, ins, nin, ro, od, dt);
    return RL_SHAPE_OK;
}

static int op_cast(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    int32_t to;
    if (!strcmp(c->o->op_type, "CastLike")) {
        rl_tensor *t2 = rl_shape_in(c, 1);
        if (!t2)
            return rl_shape_note(c, RL_SHAPE_BAD, "input 1 is missing");
        to = t2->dtype;
    } else {
        int64_t v = rl_onnx_attr_int(c->o, "to", 0);
        if (v <= 0 || v > 1000)
            return rl_shape_note(c, RL_SHAPE_BAD, "'to' %lld", (long long)v);
        to = (int32_t)v;
    }
    if ((r = rl_shape_set_like(c, 0, x, to)))
        return r;
    if (!x->has_value)
        return RL_SHAPE_OK;
    if (rl_shape_is_float(to)) {
        const double *dv;
        size_t n;
        if ((r = rl_shape_in_doubles(c, 0, &dv, &n)))
            return r;
        return rl_shape_set_value(c, 0, NULL, dv, n);
    }
    const int64_t *iv;
    size_t n;
    if ((r = rl_shape_in_ints(c, 0, &iv, &n)))
        return r;
    if (to == RL_DT_BOOL) {
        int64_t tmp[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < n; i++)
            tmp[i] = iv[i] != 0;
        return rl_shape_set_value(c, 0, tmp, NULL, n);
    }
    return rl_shape_set_value(c, 0, iv, NULL, n);
}

static int op_quant(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    int32_t dt;
    if (!strcmp(c->o->op_type, "DequantizeLinear")) {
        rl_tensor *s = rl_shape_in(c, 1);
        dt = s ? s->dtype : RL_DT_FLOAT;
    } else {
        rl_tensor *zp = rl_shape_in(c, 2);
        dt = zp ? zp->dtype : RL_DT_UINT8;
    }
    return rl_shape_set_like(c, 0, x, dt);
}

static int op_dynamic_quant(rl_shape_ctx *c)
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

static int op_norm(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if ((r = rl_shape_set_like(c, 0, x, x->dtype)))
        return r;
    const char *op = c->o->op_type;
    if (!strcmp(op, "BatchNormalization")) {
        rl_dim ch = x->rank >= 2 ? x->dims[1] : (rl_dim){1, NULL};
        for (size_t k = 1; k < c->o->n_outputs; k++)
            if ((r = rl_shape_set_out(c, k, x->dtype, 1, &ch)))
                return r;
    } else if (!strcmp(op, "LayerNormalization") && c->o->n_outputs > 1) {
        int64_t axis;
        if ((r = rl_shape_axis_attr(c, -1, x->rank, &axis)))
            return r;
        rl_dim od[RL_ONNX_MAX_RANK];
        for (int i = 0; i < x->rank; i++)
            od[i] = i < axis ? x->dims[i] : (rl_dim){1, NULL};
        int32_t st = (int32_t)rl_onnx_attr_int(c->o, "stash_type", RL_DT_FLOAT);
        for (size_t k = 1; k < c->o->n_outputs && k < 3; k++)
            if ((r = rl_shape_set_out(c, k, st, x->rank, od)))
                return r;
    } else if (!strcmp(op, "Dropout") && c->o->n_outputs > 1) {
        return rl_shape_set_like(c, 1, x, RL_DT_BOOL);
    }
    return RL_SHAPE_OK;
}

/* The ops this file owns; shape.c looks an op_type up in every family's table. */
const rl_shape_rule rl_shape_rules_elementwise[] = {
    {"Abs", op_unary},
    {"Acos", op_unary},
    {"Acosh", op_unary},
    {"Asin", op_unary},
    {"Asinh", op_unary},
    {"Atan", op_unary},
    {"Atanh", op_unary},
    {"BitwiseNot", op_unary},
    {"Ceil", op_unary},
    {"Celu", op_unary},
    {"Clip", op_unary},
    {"Cos", op_unary},
    {"Cosh", op_unary},
    {"CumSum", op_unary},
    {"Elu", op_unary},
    {"Erf", op_unary},
    {"Exp", op_unary},
    {"Floor", op_unary},
    {"Gelu", op_unary},
    {"HardSigmoid", op_unary},
    {"HardSwish", op_unary},
    {"Hardmax", op_unary},
    {"Identity", op_unary},
    {"IsInf", op_unary},
    {"IsNaN", op_unary},
    {"LeakyRelu", op_unary},
    {"Log", op_unary},
    {"LogSoftmax", op_unary},
    {"LRN", op_unary},
    {"MeanVarianceNormalization", op_unary},
    {"Mish", op_unary},
    {"Neg", op_unary},
    {"Not", op_unary},
    {"Reciprocal", op_unary},
    {"Relu", op_unary},
    {"ReverseSequence", op_unary},
    {"Round", op_unary},
    {"Selu", op_unary},
    {"Shrink", op_unary},
    {"Sigmoid", op_unary},
    {"Sign", op_unary},
    {"Sin", op_unary},
    {"Sinh", op_unary},
    {"Softmax", op_unary},
    {"Softplus", op_unary},
    {"Softsign", op_unary},
    {"Sqrt", op_unary},
    {"Tan", op_unary},
    {"Tanh", op_unary},
    {"ThresholdedRelu", op_unary},
    {"Trilu", op_unary},
    {"EyeLike", op_unary},
    {"Add", op_broadcast},
    {"And", op_broadcast},
    {"BitShift", op_broadcast},
    {"BitwiseAnd", op_broadcast},
    {"BitwiseOr", op_broadcast},
    {"BitwiseXor", op_broadcast},
    {"Div", op_broadcast},
    {"Equal", op_broadcast},
    {"Greater", op_broadcast},
    {"GreaterOrEqual", op_broadcast},
    {"Less", op_broadcast},
    {"LessOrEqual", op_broadcast},
    {"Max", op_broadcast},
    {"Mean", op_broadcast},
    {"Min", op_broadcast},
    {"Mod", op_broadcast},
    {"Mul", op_broadcast},
    {"Or", op_broadcast},
    {"Pow", op_broadcast},
    {"PRelu", op_broadcast},
    {"Sub", op_broadcast},
    {"Sum", op_broadcast},
    {"Where", op_broadcast},
    {"Xor", op_broadcast},
    {"BatchNormalization", op_norm},
    {"InstanceNormalization", op_norm},
    {"LayerNormalization", op_norm},
    {"GroupNormalization", op_norm},
    {"Dropout", op_norm},
    {"Cast", op_cast},
    {"CastLike", op_cast},
    {"DynamicQuantizeLinear", op_dynamic_quant},
    {"QuantizeLinear", op_quant},
    {"DequantizeLinear", op_quant},
    {NULL, NULL},
};
