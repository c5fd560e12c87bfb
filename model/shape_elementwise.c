/* shape_elementwise.c: shape rules for ops whose output has an input's shape, or the broadcast of
 * their inputs' shapes: the unary ops (Relu, Exp, Softmax, Identity, ...; Identity, Neg, Abs,
 * Floor, Ceil, Round, Sqrt, Reciprocal, Relu, Sign and Not fold), the broadcasting ones (Add, Sub,
 * Mul, Div, Mod, Pow, Min, Max, Where, the comparisons and logic ops fold small inputs, and partly
 * known shape vectors element by element, symbols included), Cast and CastLike (fold), and the
 * normalizations
 * (BatchNormalization, InstanceNormalization, LayerNormalization, GroupNormalization, Dropout). */
#include "model/shape_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Unary ops folded on small values: the ones exporters put in shape arithmetic. */
static int fold_unary(const char *op, double x, double *y)
{
    if (!strcmp(op, "Identity"))
        *y = x;
    else if (!strcmp(op, "Neg"))
        *y = -x;
    else if (!strcmp(op, "Abs"))
        *y = fabs(x);
    else if (!strcmp(op, "Floor"))
        *y = floor(x);
    else if (!strcmp(op, "Ceil"))
        *y = ceil(x);
    else if (!strcmp(op, "Round"))
        *y = nearbyint(x); /* ONNX rounds half to even, as the default rounding mode does */
    else if (!strcmp(op, "Sqrt"))
        *y = sqrt(x);
    else if (!strcmp(op, "Reciprocal"))
        *y = 1 / x;
    else if (!strcmp(op, "Relu"))
        *y = x > 0 ? x : 0;
    else if (!strcmp(op, "Sign"))
        *y = x > 0 ? 1 : x < 0 ? -1 : 0;
    else if (!strcmp(op, "Not"))
        *y = x == 0;
    else
        return 0;
    return 1;
}

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
    double probe;
    if (!fold_unary(op, 0, &probe))
        return RL_SHAPE_OK;
    if (!x->has_value) {
        /* a partly known shape vector keeps its symbols through Identity */
        if (x->pv && !strcmp(op, "Identity"))
            return rl_shape_set_pvals(c, 0, x->pv, x->npv);
        return RL_SHAPE_OK;
    }
    if (x->iv && !rl_shape_is_float(dt)) {
        /* integers stay exact: only the ops that cannot leave the integers */
        int64_t tmp[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < x->nv; i++) {
            int64_t v = x->iv[i];
            if (op[0] == 'N' && op[1] == 'e')
                v = v == INT64_MIN ? v : -v;
            else if (op[0] == 'A')
                v = v < 0 && v != INT64_MIN ? -v : v;
            else if (!strcmp(op, "Relu"))
                v = v > 0 ? v : 0;
            else if (!strcmp(op, "Sign"))
                v = v > 0 ? 1 : v < 0 ? -1 : 0;
            else if (!strcmp(op, "Not"))
                v = v == 0;
            else if (strcmp(op, "Identity") && strcmp(op, "Floor") && strcmp(op, "Ceil") &&
                     strcmp(op, "Round"))
                return RL_SHAPE_OK; /* Sqrt, Reciprocal of integers: not in shape arithmetic */
            tmp[i] = v;
        }
        return rl_shape_set_value(c, 0, tmp, NULL, x->nv);
    }
    const double *dv;
    size_t n;
    if ((r = rl_shape_in_doubles(c, 0, &dv, &n)))
        return r;
    double tmp[RL_SHAPE_MAX_FOLD];
    for (size_t i = 0; i < n; i++)
        fold_unary(op, dv[i], &tmp[i]);
    return rl_shape_set_value(c, 0, NULL, tmp, n);
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

/* Integer arithmetic as ONNX Runtime does it (wrapping two's complement; Div truncates; Mod with
 * fmod=0 takes the divisor's sign, with fmod=1 the dividend's). 0 when the result is undefined
 * (division by zero, INT64_MIN / -1, a negative or overflowing power) or the op is not folded. */
static int arith_int(const char *op, int fmod, int64_t a, int64_t b, int64_t *o)
{
    if (!strcmp(op, "Add"))
        *o = (int64_t)((uint64_t)a + (uint64_t)b);
    else if (!strcmp(op, "Sub"))
        *o = (int64_t)((uint64_t)a - (uint64_t)b);
    else if (!strcmp(op, "Mul"))
        *o = (int64_t)((uint64_t)a * (uint64_t)b);
    else if (!strcmp(op, "Div")) {
        if (b == 0 || (a == INT64_MIN && b == -1))
            return 0;
        *o = a / b;
    } else if (!strcmp(op, "Mod")) {
        if (b == 0)
            return 0;
        int64_t m = b == -1 ? 0 : a % b;
        if (!fmod && m != 0 && (m < 0) != (b < 0))
            m += b;
        *o = m;
    } else if (!strcmp(op, "Pow")) {
        if (b < 0)
            return 0;
        if (a == INT64_MIN)
            return 0;
        if (a >= -1 && a <= 1) { /* no loop of b steps for these */
            *o = a == 1 ? 1 : a == 0 ? b == 0 : (b % 2 ? -1 : 1);
            return 1;
        }
        /* |a| >= 2: at most 63 steps before |p| would pass INT64_MAX */
        int64_t p = 1, mag = a < 0 ? -a : a;
        for (int64_t i = 0; i < b; i++) {
            int64_t pm = p < 0 ? -p : p;
            if (pm > INT64_MAX / mag)
                return 0;
            p *= a;
        }
        *o = p;
    } else if (!strcmp(op, "Max"))
        *o = a > b ? a : b;
    else if (!strcmp(op, "Min"))
        *o = a < b ? a : b;
    else if (!strcmp(op, "Equal"))
        *o = a == b;
    else if (!strcmp(op, "Less"))
        *o = a < b;
    else if (!strcmp(op, "Greater"))
        *o = a > b;
    else if (!strcmp(op, "LessOrEqual"))
        *o = a <= b;
    else if (!strcmp(op, "GreaterOrEqual"))
        *o = a >= b;
    else if (!strcmp(op, "And") || !strcmp(op, "BitwiseAnd"))
        *o = op[0] == 'A' ? (a != 0 && b != 0) : (a & b);
    else if (!strcmp(op, "Or") || !strcmp(op, "BitwiseOr"))
        *o = op[0] == 'O' ? (a != 0 || b != 0) : (a | b);
    else if (!strcmp(op, "Xor") || !strcmp(op, "BitwiseXor"))
        *o = op[0] == 'X' ? ((a != 0) != (b != 0)) : (a ^ b);
    else
        return 0;
    return 1;
}

/* The same in floating point (IEEE: a division by zero gives an infinity, as the runtime does). */
static int arith_double(const char *op, int fmod_, double a, double b, double *o)
{
    if (!strcmp(op, "Add"))
        *o = a + b;
    else if (!strcmp(op, "Sub"))
        *o = a - b;
    else if (!strcmp(op, "Mul"))
        *o = a * b;
    else if (!strcmp(op, "Div"))
        *o = a / b;
    else if (!strcmp(op, "Mod")) {
        double m = fmod(a, b);
        if (!fmod_ && m != 0 && (m < 0) != (b < 0))
            m += b;
        *o = m;
    } else if (!strcmp(op, "Pow"))
        *o = pow(a, b);
    else if (!strcmp(op, "Max"))
        *o = a > b ? a : b;
    else if (!strcmp(op, "Min"))
        *o = a < b ? a : b;
    else if (!strcmp(op, "Equal"))
        *o = a == b;
    else if (!strcmp(op, "Less"))
        *o = a < b;
    else if (!strcmp(op, "Greater"))
        *o = a > b;
    else if (!strcmp(op, "LessOrEqual"))
        *o = a <= b;
    else if (!strcmp(op, "GreaterOrEqual"))
        *o = a >= b;
    else if (!strcmp(op, "And"))
        *o = a != 0 && b != 0;
    else if (!strcmp(op, "Or"))
        *o = a != 0 || b != 0;
    else if (!strcmp(op, "Xor"))
        *o = (a != 0) != (b != 0);
    else
        return 0;
    return 1;
}

/* One element where a or b is not known: what a symbol still tells. A symbol stands for a dim, so
 * it is never negative: `batch == -1` (torch's Expand pattern) is false. */
static int arith_sym(rl_shape_ctx *c, const char *op, rl_pval a, rl_pval b, rl_pval *o)
{
    int r = RL_SHAPE_OK;
    *o = (rl_pval){-1, NULL, 0};
    rl_pval x = a.known ? b : a, y = a.known ? a : b; /* x unknown; y maybe known */
    int same = !a.known && !b.known && a.sym && b.sym && !strcmp(a.sym, b.sym);
    if (!strcmp(op, "Add") || !strcmp(op, "Sub")) {
        if (b.known && b.v == 0)
            *o = a;
        else if (op[0] == 'A' && a.known && a.v == 0)
            *o = b;
        else if (op[0] == 'S' && same)
            *o = (rl_pval){0, NULL, 1};
    } else if (!strcmp(op, "Mul")) {
        if (y.known && y.v == 1)
            *o = x;
        else if (y.known && y.v == 0)
            *o = (rl_pval){0, NULL, 1};
        else
            r = rl_shape_sym_arith(c, a, b, '*', o);
    } else if (!strcmp(op, "Div")) {
        if (b.known && b.v == 1)
            *o = a;
        else
            r = rl_shape_sym_arith(c, a, b, '/', o);
    } else if (!strcmp(op, "Max") || !strcmp(op, "Min")) {
        if (same)
            *o = a;
    } else if (!strcmp(op, "Equal")) {
        if (same || (x.sym && y.known && y.v < 0))
            *o = (rl_pval){same, NULL, 1};
    } else if (!strcmp(op, "Less") || !strcmp(op, "GreaterOrEqual")) {
        int ge = op[0] == 'G';
        if (same || (a.sym && b.known && b.v <= 0))
            *o = (rl_pval){ge, NULL, 1}; /* a >= b */
    } else if (!strcmp(op, "Greater") || !strcmp(op, "LessOrEqual")) {
        int le = op[0] == 'L';
        if (same || (b.sym && a.known && a.v <= 0))
            *o = (rl_pval){le, NULL, 1}; /* a <= b */
    }
    return r;
}

/* Element k of a folded or partly known input, as a partial value. */
static rl_pval elem_of(const rl_tensor *t, size_t k)
{
    if (t->has_value) {
        if (rl_shape_ints_of(t))
            return (rl_pval){t->iv[k], NULL, 1};
        double d = t->dv[k];
        if (d == floor(d) && fabs(d) < 9e18)
            return (rl_pval){(int64_t)d, NULL, 1};
        return (rl_pval){-1, NULL, 0};
    }
    return t->pv[k];
}

/* Folding where an input is only partly known (shape arithmetic on a symbolic dim): elements
 * known on every side are computed as integers, the rest as arith_sym says. */
static int fold_partial(rl_shape_ctx *c, const char *op, rl_tensor **ins, size_t nin, int ro,
                        const rl_dim *od, int64_t n)
{
    rl_pval pv[RL_SHAPE_MAX_FOLD];
    int fmod_ = (int)rl_onnx_attr_int(c->o, "fmod", 0);
    int isf = rl_shape_is_float(ins[0]->dtype);
    for (int64_t p = 0; p < n; p++) {
        rl_pval e[3];
        for (size_t i = 0; i < nin; i++)
            e[i] = elem_of(ins[i], bcast_index(ins[i], ro, od, (size_t)p));
        rl_pval *o = &pv[p];
        *o = (rl_pval){-1, NULL, 0};
        if (nin == 3) { /* Where */
            if (e[0].known)
                *o = e[0].v ? e[1] : e[2];
            continue;
        }
        if (e[0].known && e[1].known) {
            if (isf && !strcmp(op, "Div")) { /* a float quotient must stay whole to be kept */
                if (e[1].v != 0 && e[0].v % e[1].v == 0 && !(e[0].v == INT64_MIN && e[1].v == -1))
                    *o = (rl_pval){e[0].v / e[1].v, NULL, 1};
            } else if (arith_int(op, fmod_, e[0].v, e[1].v, &o->v)) {
                o->known = 1;
            }
            continue;
        }
        int r = arith_sym(c, op, e[0], e[1], o);
        if (r)
            return r;
    }
    return rl_shape_set_pvals(c, 0, pv, (size_t)n);
}

static int fold_binary(rl_shape_ctx *c, const char *op, rl_tensor **ins, size_t nin, int ro,
                       const rl_dim *od, int32_t odt)
{
    int partial = 0;
    for (size_t i = 0; i < nin; i++) {
        if (!rl_shape_known(ins[i]))
            return RL_SHAPE_OK;
        if (!ins[i]->has_value) {
            if (!ins[i]->pv || ins[i]->npv != (size_t)rl_tensor_elems(ins[i]))
                return RL_SHAPE_OK;
            partial = 1;
        }
    }
    int64_t n = 1;
    for (int i = 0; i < ro; i++)
        n = rl_shape_mul_dim(n, od[i].v);
    if (n < 0 || n > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    if (partial)
        return fold_partial(c, op, ins, nin, ro, od, n);
    int isf = rl_shape_is_float(odt);
    int fmod_ = (int)rl_onnx_attr_int(c->o, "fmod", 0);
    int64_t iv[RL_SHAPE_MAX_FOLD];
    double dv[RL_SHAPE_MAX_FOLD];
    const int64_t *ai = rl_shape_ints_of(ins[0]), *bi = nin > 1 ? rl_shape_ints_of(ins[1]) : NULL;
    for (int64_t p = 0; p < n; p++) {
        if (!strcmp(op, "Where")) {
            size_t k0 = bcast_index(ins[0], ro, od, (size_t)p);
            size_t k1 = bcast_index(ins[1], ro, od, (size_t)p);
            size_t k2 = bcast_index(ins[2], ro, od, (size_t)p);
            int cond = ai ? ai[k0] != 0 : ins[0]->dv[k0] != 0;
            rl_tensor *s = cond ? ins[1] : ins[2];
            size_t k = cond ? k1 : k2;
            const int64_t *si = rl_shape_ints_of(s);
            if (isf)
                dv[p] = si ? (double)si[k] : s->dv[k];
            else
                iv[p] = si ? si[k] : (int64_t)s->dv[k];
            continue;
        }
        size_t ka = bcast_index(ins[0], ro, od, (size_t)p);
        size_t kb = bcast_index(ins[1], ro, od, (size_t)p);
        if (ai && bi) {
            int64_t ri;
            if (!arith_int(op, fmod_, ai[ka], bi[kb], &ri))
                return RL_SHAPE_OK; /* undefined or not folded: leave it unfolded */
            if (isf)
                dv[p] = (double)ri;
            else
                iv[p] = ri;
            continue;
        }
        double a = ai ? (double)ai[ka] : ins[0]->dv[ka];
        double b = bi ? (double)bi[kb] : ins[1]->dv[kb];
        double rd;
        if (!arith_double(op, fmod_, a, b, &rd))
            return RL_SHAPE_OK;
        if (isf)
            dv[p] = rd;
        else
            iv[p] = isfinite(rd) && fabs(rd) < 9e18 ? (int64_t)rd : 0;
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
    if (!x->has_value && x->pv && x->npv <= RL_SHAPE_MAX_FOLD) {
        /* a partly known shape vector through Cast (to float and back, as exporters do) */
        rl_pval tmp[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < x->npv; i++) {
            tmp[i] = x->pv[i];
            if (to == RL_DT_BOOL)
                tmp[i] = tmp[i].known ? (rl_pval){tmp[i].v != 0, NULL, 1} : (rl_pval){-1, NULL, 0};
        }
        return rl_shape_set_pvals(c, 0, tmp, x->npv);
    }
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
    {NULL, NULL},
};
