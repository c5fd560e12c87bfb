/* shape_reduce.c: shape rules for the ops that reduce over axes: ReduceMean, ReduceSum, ReduceMax,
 * ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceSumSquare,
 * ArgMax, ArgMin, TopK, and the losses NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss. */
#include "model/shape_int.h"

#include <stdint.h>
#include <string.h>

/* x's dims with those marked in red[] dropped, or kept as 1 with `keep`; returns the rank. */
static int reduced_shape(const rl_tensor *x, const int *red, int keep, rl_dim *od)
{
    int ro = 0;
    for (int i = 0; i < x->rank; i++) {
        if (!red[i])
            od[ro++] = x->dims[i];
        else if (keep)
            od[ro++] = (rl_dim){1, NULL};
    }
    return ro;
}

/* Folds ReduceSum, ReduceProd, ReduceMax and ReduceMin of small integer values (the element count
 * of a shape, as exporters compute it for a Reshape). */
static int fold_reduce(rl_shape_ctx *c, const rl_tensor *x, const int *red)
{
    const char *op = c->o->op_type;
    int kind = !strcmp(op, "ReduceSum")    ? 1
               : !strcmp(op, "ReduceProd") ? 2
               : !strcmp(op, "ReduceMax")  ? 3
               : !strcmp(op, "ReduceMin")  ? 4
                                           : 0;
    rl_tensor *o = rl_shape_out(c, 0);
    int64_t n = rl_tensor_elems(x), no = o ? rl_tensor_elems(o) : -1;
    if (!kind || !rl_shape_ints_of(x) || n < 0 || n > RL_SHAPE_MAX_FOLD || no <= 0 ||
        no > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    int64_t acc[RL_SHAPE_MAX_FOLD];
    int seen[RL_SHAPE_MAX_FOLD] = {0};
    for (int64_t p = 0; p < n; p++) {
        /* the output position: x's coordinates with the reduced ones dropped */
        int64_t rem = p, q = 0, qs = 1;
        for (int i = x->rank - 1; i >= 0; i--) {
            int64_t d = x->dims[i].v, coord = rem % d;
            rem /= d;
            if (!red[i]) {
                q += coord * qs;
                qs *= d;
            }
        }
        int64_t v = x->iv[p], *a = &acc[q];
        if (!seen[q]) {
            *a = v;
            seen[q] = 1;
        } else if (kind == 1)
            *a = (int64_t)((uint64_t)*a + (uint64_t)v);
        else if (kind == 2)
            *a = (int64_t)((uint64_t)*a * (uint64_t)v);
        else if (kind == 3)
            *a = v > *a ? v : *a;
        else
            *a = v < *a ? v : *a;
    }
    for (int64_t q = 0; q < no; q++)
        if (!seen[q]) /* reducing an empty axis: the identity of the op */
            acc[q] = kind == 2 ? 1 : kind == 1 ? 0 : kind == 3 ? INT64_MIN : INT64_MAX;
    return rl_shape_set_value(c, 0, acc, NULL, (size_t)no);
}

static int op_reduce(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const char *op = c->o->op_type;
    int64_t since = !strcmp(op, "ReduceSum") ? 13 : 18;
    const int64_t *axes = NULL;
    size_t na = 0;
    int present;
    if ((r = rl_shape_ints_attr_or_input(c, "axes", 1, since, &axes, &na, &present)))
        return r;
    int keep = rl_onnx_attr_int(c->o, "keepdims", 1) != 0;
    int noop = rl_onnx_attr_int(c->o, "noop_with_empty_axes", 0) != 0;
    int red[RL_ONNX_MAX_RANK] = {0};
    if (!present || na == 0) {
        if (noop)
            return rl_shape_set_like(c, 0, x, x->dtype);
        for (int i = 0; i < x->rank; i++)
            red[i] = 1;
    }
    if ((r = rl_shape_axes_norm(c, axes, na, x->rank, 0, NULL, red)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    if ((r = rl_shape_set_out(c, 0, x->dtype, reduced_shape(x, red, keep, od), od)))
        return r;
    return fold_reduce(c, x, red);
}

static int op_argmax(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t axis;
    if ((r = rl_shape_axis_attr(c, 0, x->rank, &axis)))
        return r;
    int keep = rl_onnx_attr_int(c->o, "keepdims", 1) != 0;
    int red[RL_ONNX_MAX_RANK] = {0};
    red[axis] = 1;
    rl_dim od[RL_ONNX_MAX_RANK];
    return rl_shape_set_out(c, 0, RL_DT_INT64, reduced_shape(x, red, keep, od), od);
}

static int op_topk(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t axis, k;
    if ((r = rl_shape_axis_attr(c, -1, x->rank, &axis)))
        return r;
    if (c->opset < 10)
        k = rl_onnx_attr_int(c->o, "k", -1);
    else {
        const int64_t *v;
        size_t n;
        if ((r = rl_shape_in_ints(c, 1, &v, &n)))
            return r;
        if (n != 1)
            return rl_shape_note(c, RL_SHAPE_BAD, "K must have one value");
        k = v[0];
    }
    if (k < 0)
        return rl_shape_note(c, RL_SHAPE_BAD, "K %lld", (long long)k);
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    od[axis] = (rl_dim){k, NULL};
    if ((r = rl_shape_set_out(c, 0, x->dtype, x->rank, od)))
        return r;
    return rl_shape_set_out(c, 1, RL_DT_INT64, x->rank, od);
}

static int op_loss(rl_shape_ctx *c)
{
    rl_tensor *x, *t;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &x)) || (r = rl_shape_need_rank(c, 1, &t)))
        return r;
    const char *red = rl_onnx_attr_string(c->o, "reduction", "mean");
    if (!strcmp(red, "none"))
        r = rl_shape_set_like(c, 0, t, x->dtype);
    else
        r = rl_shape_set_out(c, 0, x->dtype, 0, NULL);
    if (r)
        return r;
    if (!strcmp(c->o->op_type, "SoftmaxCrossEntropyLoss") && c->o->n_outputs > 1)
        return rl_shape_set_like(c, 1, x, x->dtype);
    return RL_SHAPE_OK;
}

/* The ops this file owns; shape.c looks an op_type up in every family's table. */
const rl_shape_rule rl_shape_rules_reduce[] = {
    {"ReduceMean", op_reduce},
    {"ReduceSum", op_reduce},
    {"ReduceMax", op_reduce},
    {"ReduceMin", op_reduce},
    {"ReduceProd", op_reduce},
    {"ReduceL1", op_reduce},
    {"ReduceL2", op_reduce},
    {"ReduceLogSum", op_reduce},
    {"ReduceLogSumExp", op_reduce},
    {"ReduceSumSquare", op_reduce},
    {"ArgMax", op_argmax},
    {"ArgMin", op_argmax},
    {"TopK", op_topk},
    {"NegativeLogLikelihoodLoss", op_loss},
    {"SoftmaxCrossEntropyLoss", op_loss},
    {NULL, NULL},
};
