/* shape_index.c: shape rules for the indexing ops (Gather, GatherElements, GatherND,
 * ScatterElements, ScatterND, Scatter, OneHot) and the ops whose output size depends on the data
 * (NonZero, NonMaxSuppression, Compress, Unique: their rank and type are set, the size is left
 * unknown and noted, never guessed). */
#include "model/shape_int.h"

#include <stdint.h>
#include <string.h>

static int op_gather(rl_shape_ctx *c)
{
    rl_tensor *x, *ix;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &x)) || (r = rl_shape_need_rank(c, 1, &ix)))
        return r;
    if (x->rank < 1)
        return rl_shape_note(c, RL_SHAPE_BAD, "Gather from a scalar");
    int64_t axis;
    if ((r = rl_shape_axis_attr(c, 0, x->rank, &axis)))
        return r;
    int ro = x->rank - 1 + ix->rank;
    if (ro > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "output rank too large");
    rl_dim od[RL_ONNX_MAX_RANK];
    int k = 0;
    for (int i = 0; i < axis; i++)
        od[k++] = x->dims[i];
    for (int i = 0; i < ix->rank; i++)
        od[k++] = ix->dims[i];
    for (int i = (int)axis + 1; i < x->rank; i++)
        od[k++] = x->dims[i];
    if ((r = rl_shape_set_out(c, 0, x->dtype, ro, od)))
        return r;
    /* values: each output element's source in x (a dim picked from a Shape, or a row of a small
     * table) */
    rl_tensor *o = rl_shape_out(c, 0);
    int64_t total = o ? rl_tensor_elems(o) : -1, nx = rl_tensor_elems(x);
    if (!(x->has_value || x->pv) || !ix->has_value || total < 0 || total > RL_SHAPE_MAX_FOLD ||
        nx < 0 || nx > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    const int64_t *iv;
    size_t n;
    if ((r = rl_shape_in_ints(c, 1, &iv, &n)))
        return r;
    int64_t d = x->dims[axis].v, inner = 1;
    for (int i = (int)axis + 1; i < x->rank; i++)
        inner *= x->dims[i].v;
    size_t map[RL_SHAPE_MAX_FOLD];
    /* output = [outer, n indices, inner]; x = [outer, d, inner] */
    for (int64_t p = 0; p < total; p++) {
        int64_t in_i = p % inner, rest = p / inner;
        int64_t ki = n ? rest % (int64_t)n : 0, outer = n ? rest / (int64_t)n : 0;
        int64_t j;
        if (n == 0 || rl_shape_wrap_index(iv[ki], d, 0, &j) != 0)
            return rl_shape_note(c, RL_SHAPE_BAD, "index %lld out of range",
                                 n ? (long long)iv[ki] : 0LL);
        map[p] = (size_t)((outer * d + j) * inner + in_i);
    }
    return rl_shape_set_mapped(c, 0, x, map, (size_t)total);
}

static int op_like_input(rl_shape_ctx *c, size_t which)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, which, &x);
    if (r)
        return r;
    rl_tensor *d = rl_shape_in(c, 0);
    return rl_shape_set_like(c, 0, x, d ? d->dtype : x->dtype);
}

static int op_gather_elements(rl_shape_ctx *c)
{
    return op_like_input(c, 1);
}

static int op_scatter(rl_shape_ctx *c)
{
    return op_like_input(c, 0);
}

static int op_gather_nd(rl_shape_ctx *c)
{
    rl_tensor *x, *ix;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &x)) || (r = rl_shape_need_rank(c, 1, &ix)))
        return r;
    int64_t b = rl_onnx_attr_int(c->o, "batch_dims", 0);
    if (ix->rank < 1)
        return rl_shape_note(c, RL_SHAPE_BAD, "indices rank 0");
    int64_t last = ix->dims[ix->rank - 1].v;
    if (last < 0)
        return rl_shape_note(c, RL_SHAPE_UNKNOWN, "last indices dim unknown");
    if (b < 0 || b + last > x->rank || b >= ix->rank)
        return rl_shape_note(c, RL_SHAPE_BAD, "indices do not fit the data");
    rl_dim od[RL_ONNX_MAX_RANK];
    int k = 0;
    for (int i = 0; i < ix->rank - 1; i++)
        od[k++] = ix->dims[i];
    for (int64_t i = b + last; i < x->rank && k < RL_ONNX_MAX_RANK; i++)
        od[k++] = x->dims[i];
    return rl_shape_set_out(c, 0, x->dtype, k, od);
}

static int op_onehot(rl_shape_ctx *c)
{
    rl_tensor *ix, *vals;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &ix)) || (r = rl_shape_need_rank(c, 2, &vals)))
        return r;
    const double *dv;
    size_t n;
    if ((r = rl_shape_in_doubles(c, 1, &dv, &n)))
        return r;
    if (n != 1 || !(dv[0] >= 0) || dv[0] > 1e12)
        return rl_shape_note(c, RL_SHAPE_BAD, "depth must be one non-negative value");
    int ro = ix->rank + 1;
    if (ro > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "rank too large");
    int64_t axis;
    if ((r = rl_shape_axis_attr(c, -1, ro, &axis)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    int k = 0;
    for (int i = 0; i < ro; i++)
        od[i] = i == axis ? (rl_dim){(int64_t)dv[0], NULL} : ix->dims[k++];
    return rl_shape_set_out(c, 0, vals->dtype, ro, od);
}

static int op_data_dependent(rl_shape_ctx *c)
{
    rl_tensor *x = rl_shape_in(c, 0);
    const char *op = c->o->op_type;
    rl_dim od[2] = {{-1, NULL}, {-1, NULL}};
    int r;
    if (!strcmp(op, "NonZero")) {
        if (!x || x->rank < 0)
            return rl_shape_note(c, RL_SHAPE_UNKNOWN, "input shape unknown");
        od[0] = (rl_dim){x->rank, NULL};
        r = rl_shape_set_out(c, 0, RL_DT_INT64, 2, od);
    } else { /* NonMaxSuppression */
        od[1] = (rl_dim){3, NULL};
        r = rl_shape_set_out(c, 0, RL_DT_INT64, 2, od);
    }
    return r ? r : rl_shape_note(c, RL_SHAPE_UNKNOWN, "output size depends on the data");
}

static int op_data_dependent_1d(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const char *op = c->o->op_type;
    rl_dim od[RL_ONNX_MAX_RANK];
    int has_axis = rl_onnx_attr_find(c->o, "axis") != NULL;
    int64_t axis = 0;
    if (has_axis && (r = rl_shape_axis_attr(c, 0, x->rank, &axis)))
        return r;
    if (has_axis) {
        memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
        od[axis] = (rl_dim){-1, NULL};
        r = rl_shape_set_out(c, 0, x->dtype, x->rank, od);
    } else {
        od[0] = (rl_dim){-1, NULL};
        r = rl_shape_set_out(c, 0, x->dtype, 1, od);
    }
    if (!r && !strcmp(op, "Unique"))
        for (size_t k = 1; k < c->o->n_outputs && !r; k++)
            r = rl_shape_set_out(c, k, RL_DT_INT64, 1, od + (has_axis ? axis : 0));
    return r ? r : rl_shape_note(c, RL_SHAPE_UNKNOWN, "output size depends on the data");
}

/* The ops this file owns; shape.c looks an op_type up in every family's table. */
const rl_shape_rule rl_shape_rules_index[] = {
    {"Gather", op_gather},
    {"GatherElements", op_gather_elements},
    {"GatherND", op_gather_nd},
    {"ScatterElements", op_scatter},
    {"ScatterND", op_scatter},
    {"Scatter", op_scatter},
    {"OneHot", op_onehot},
    {"NonZero", op_data_dependent},
    {"NonMaxSuppression", op_data_dependent},
    {"Compress", op_data_dependent_1d},
    {"Unique", op_data_dependent_1d},
    {NULL, NULL},
};
