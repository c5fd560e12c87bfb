/* shape_source.c: shape rules for the ops that make a tensor rather than transform one: Constant,
 * ConstantOfShape, Shape, Size, Range (these fold their values), RandomNormal, RandomUniform, their
 * -Like forms and Bernoulli, and the windows (HannWindow, HammingWindow, BlackmanWindow). */
#include "model/shape_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static int op_shape(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t start = rl_shape_clamp_index(rl_onnx_attr_int(c->o, "start", 0), x->rank, 0, x->rank);
    int64_t end = rl_shape_clamp_index(rl_onnx_attr_int(c->o, "end", x->rank), x->rank, 0, x->rank);
    int64_t n = end > start ? end - start : 0;
    rl_dim od = {n, NULL};
    if ((r = rl_shape_set_out(c, 0, RL_DT_INT64, 1, &od)))
        return r;
    /* partly known when a dim is symbolic: the symbol travels on to the Reshape that uses it */
    rl_pval v[RL_ONNX_MAX_RANK];
    for (int64_t i = 0; i < n; i++)
        v[i] = rl_shape_pval_of_dim(x->dims[start + i]);
    return rl_shape_set_pvals(c, 0, v, (size_t)n);
}

static int op_size(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if ((r = rl_shape_set_out(c, 0, RL_DT_INT64, 0, NULL)))
        return r;
    rl_pval n = {1, NULL, 1}; /* known, or a monomial of the symbolic dims */
    for (int i = 0; i < x->rank; i++)
        if ((r = rl_shape_sym_arith(c, n, rl_shape_pval_of_dim(x->dims[i]), '*', &n)))
            return r;
    return rl_shape_set_pvals(c, 0, &n, 1);
}

static int set_from_tensor(rl_shape_ctx *c, const rl_onnx_tensor *t)
{
    rl_dim od[RL_ONNX_MAX_RANK];
    for (int i = 0; i < t->ndims; i++)
        od[i] = (rl_dim){t->dims[i], NULL};
    int r = rl_shape_set_out(c, 0, t->dtype, t->ndims, od);
    if (r || t->elems > RL_SHAPE_MAX_FOLD || t->dtype == RL_DT_STRING)
        return r;
    int64_t iv[RL_SHAPE_MAX_FOLD];
    double dv[RL_SHAPE_MAX_FOLD];
    long n = rl_onnx_tensor_values(t, iv, dv, RL_SHAPE_MAX_FOLD, NULL);
    if (n < 0)
        return RL_SHAPE_OK;
    return rl_shape_is_float(t->dtype) ? rl_shape_set_value(c, 0, NULL, dv, (size_t)n)
                                       : rl_shape_set_value(c, 0, iv, NULL, (size_t)n);
}

static int op_constant(rl_shape_ctx *c)
{
    const rl_onnx_node *o = c->o;
    for (size_t i = 0; i < o->n_attrs; i++) {
        const rl_onnx_attr *a = &o->attrs[i];
        if (!strcmp(a->name, "value") && a->t)
            return set_from_tensor(c, a->t);
        if (!strcmp(a->name, "value_float") || !strcmp(a->name, "value_int")) {
            int isf = a->name[6] == 'f';
            int r = rl_shape_set_out(c, 0, isf ? RL_DT_FLOAT : RL_DT_INT64, 0, NULL);
            double dv = a->f;
            return r     ? r
                   : isf ? rl_shape_set_value(c, 0, NULL, &dv, 1)
                         : rl_shape_set_value(c, 0, &a->i, NULL, 1);
        }
        if (!strcmp(a->name, "value_floats") || !strcmp(a->name, "value_ints")) {
            int isf = a->name[6] == 'f';
            size_t n = isf ? a->n_floats : a->n_ints;
            rl_dim od = {(int64_t)n, NULL};
            int r = rl_shape_set_out(c, 0, isf ? RL_DT_FLOAT : RL_DT_INT64, 1, &od);
            if (r || n > RL_SHAPE_MAX_FOLD)
                return r;
            if (!isf)
                return rl_shape_set_value(c, 0, a->ints, NULL, n);
            double dv[RL_SHAPE_MAX_FOLD];
            for (size_t k = 0; k < n; k++)
                dv[k] = a->floats[k];
            return rl_shape_set_value(c, 0, NULL, dv, n);
        }
        if (!strcmp(a->name, "value_string"))
            return rl_shape_set_out(c, 0, RL_DT_STRING, 0, NULL);
        if (!strcmp(a->name, "value_strings")) {
            rl_dim od = {-1, NULL};
            return rl_shape_set_out(c, 0, RL_DT_STRING, 1, &od);
        }
    }
    return rl_shape_note(c, RL_SHAPE_UNKNOWN, "Constant without a supported value attribute");
}

static int op_constant_of_shape(rl_shape_ctx *c)
{
    const rl_pval *v;
    size_t n;
    int r = rl_shape_in_pvals(c, 0, &v, &n);
    if (r)
        return r;
    if (n > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "shape of %zu dims", n);
    rl_dim od[RL_ONNX_MAX_RANK];
    for (size_t i = 0; i < n; i++) {
        if (v[i].known && v[i].v < 0)
            return rl_shape_note(c, RL_SHAPE_BAD, "negative dimension %lld", (long long)v[i].v);
        od[i] = rl_shape_dim_of_pval(v[i]);
    }
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, "value");
    int32_t dt = a && a->t ? a->t->dtype : RL_DT_FLOAT;
    if ((r = rl_shape_set_out(c, 0, dt, (int)n, od)))
        return r;
    int64_t e = rl_tensor_elems(rl_shape_out(c, 0) ? rl_shape_out(c, 0) : rl_shape_in(c, 0));
    if (!rl_shape_out(c, 0) || e < 0 || e > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    int64_t iv0 = 0;
    double dv0 = 0;
    if (a && a->t && rl_onnx_tensor_values(a->t, &iv0, &dv0, 1, NULL) < 0)
        return RL_SHAPE_OK;
    if (rl_shape_is_float(dt)) {
        double dv[RL_SHAPE_MAX_FOLD];
        for (int64_t i = 0; i < e; i++)
            dv[i] = dv0;
        return rl_shape_set_value(c, 0, NULL, dv, (size_t)e);
    }
    int64_t iv[RL_SHAPE_MAX_FOLD];
    for (int64_t i = 0; i < e; i++)
        iv[i] = iv0;
    return rl_shape_set_value(c, 0, iv, NULL, (size_t)e);
}

static int op_range(rl_shape_ctx *c)
{
    const double *s, *l, *d;
    size_t n1, n2, n3;
    int r;
    rl_tensor *x0 = rl_shape_in(c, 0);
    if (!x0)
        return rl_shape_note(c, RL_SHAPE_BAD, "input 0 missing");
    if ((r = rl_shape_in_doubles(c, 0, &s, &n1)) || (r = rl_shape_in_doubles(c, 1, &l, &n2)) ||
        (r = rl_shape_in_doubles(c, 2, &d, &n3))) {
        if (r == RL_SHAPE_UNKNOWN) {
            /* Range(0, seq, 1) with seq a symbol is seq long */
            rl_dim od = {-1, NULL};
            rl_tensor *lt = rl_shape_in(c, 1), *dt = rl_shape_in(c, 2);
            if (x0->has_value && x0->nv == 1 && lt && !lt->has_value && lt->pv && lt->npv == 1 &&
                dt && dt->has_value && dt->nv == 1) {
                double s0 = rl_shape_ints_of(x0) ? (double)x0->iv[0] : x0->dv[0];
                double d0 = rl_shape_ints_of(dt) ? (double)dt->iv[0] : dt->dv[0];
                if (s0 == 0 && d0 == 1)
                    od.sym = lt->pv[0].sym;
            }
            int r2 = rl_shape_set_out(c, 0, x0->dtype, 1, &od);
            return r2 ? r2 : RL_SHAPE_UNKNOWN;
        }
        return r;
    }
    if (n1 != 1 || n2 != 1 || n3 != 1 || d[0] == 0)
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "Range needs scalar start, limit and a non-zero delta");
    double cnt = ceil((l[0] - s[0]) / d[0]);
    if (!(cnt >= 0))
        cnt = 0;
    if (cnt > 1e15)
        return rl_shape_note(c, RL_SHAPE_BAD, "Range of %g elements", cnt);
    rl_dim od = {(int64_t)cnt, NULL};
    if ((r = rl_shape_set_out(c, 0, x0->dtype, 1, &od)))
        return r;
    if (cnt > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    if (rl_shape_is_float(x0->dtype)) {
        double dv[RL_SHAPE_MAX_FOLD];
        for (int64_t i = 0; i < od.v; i++)
            dv[i] = s[0] + (double)i * d[0];
        return rl_shape_set_value(c, 0, NULL, dv, (size_t)od.v);
    }
    int64_t iv[RL_SHAPE_MAX_FOLD];
    for (int64_t i = 0; i < od.v; i++) {
        double v = s[0] + (double)i * d[0];
        if (!(fabs(v) < 9e18))
            return RL_SHAPE_OK;
        iv[i] = (int64_t)v;
    }
    return rl_shape_set_value(c, 0, iv, NULL, (size_t)od.v);
}

static int op_random(rl_shape_ctx *c)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, "shape");
    if (!a)
        return rl_shape_note(c, RL_SHAPE_BAD, "no shape");
    rl_dim od[RL_ONNX_MAX_RANK];
    int r = rl_shape_dims_from_values(c, a->ints, a->n_ints, od);
    if (r)
        return r;
    return rl_shape_set_out(c, 0, (int32_t)rl_onnx_attr_int(c->o, "dtype", RL_DT_FLOAT),
                            (int)a->n_ints, od);
}

static int op_random_like(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    return rl_shape_set_like(c, 0, x, (int32_t)rl_onnx_attr_int(c->o, "dtype", x->dtype));
}

static int op_window(rl_shape_ctx *c)
{
    const int64_t *v;
    size_t n;
    int r = rl_shape_in_ints(c, 0, &v, &n);
    if (r)
        return r;
    if (n != 1 || v[0] < 0)
        return rl_shape_note(c, RL_SHAPE_BAD, "size must be one non-negative value");
    rl_dim od = {v[0], NULL};
    return rl_shape_set_out(c, 0, (int32_t)rl_onnx_attr_int(c->o, "output_datatype", RL_DT_FLOAT),
                            1, &od);
}

/* The ops this file owns; shape.c looks an op_type up in every family's table. */
const rl_shape_rule rl_shape_rules_source[] = {
    {"Bernoulli", op_random_like},
    {"Shape", op_shape},
    {"Size", op_size},
    {"Constant", op_constant},
    {"ConstantOfShape", op_constant_of_shape},
    {"Range", op_range},
    {"RandomNormal", op_random},
    {"RandomUniform", op_random},
    {"RandomNormalLike", op_random_like},
    {"RandomUniformLike", op_random_like},
    {"HannWindow", op_window},
    {"HammingWindow", op_window},
    {"BlackmanWindow", op_window},
    {NULL, NULL},
};
