/* shape_layout.c: shape rules for the ops that rearrange a tensor without computing on it: Reshape,
 * Flatten, Squeeze, Unsqueeze, Transpose, Concat, Split, Slice, Expand, Tile, Pad. Small shape
 * tensors pass their folded values through (Reshape, Squeeze, Concat, Slice, ...), which is how a
 * Shape -> Gather -> Concat -> Reshape chain ends with a known shape. */
#include "model/shape_int.h"

#include <stdint.h>
#include <string.h>

static int pass_value(rl_shape_ctx *c, const rl_tensor *x)
{
    rl_tensor *o = rl_shape_out(c, 0);
    if (!x->has_value || !o || rl_tensor_elems(o) != (int64_t)x->nv)
        return RL_SHAPE_OK;
    return x->iv ? rl_shape_set_value(c, 0, x->iv, NULL, x->nv)
                 : rl_shape_set_value(c, 0, NULL, x->dv, x->nv);
}

static int op_reshape(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *v;
    size_t n;
    const rl_onnx_attr *sa = rl_onnx_attr_find(c->o, "shape");
    if (c->opset < 5 && sa) {
        v = sa->ints;
        n = sa->n_ints;
    } else if ((r = rl_shape_in_ints(c, 1, &v, &n)))
        return r;
    if (n > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "shape of %zu dims", n);
    int allowzero = (int)rl_onnx_attr_int(c->o, "allowzero", 0);
    rl_dim od[RL_ONNX_MAX_RANK];
    int infer = -1;
    int64_t known = 1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == -1) {
            if (infer >= 0)
                return rl_shape_note(c, RL_SHAPE_BAD, "more than one -1 in shape");
            infer = (int)i;
            od[i] = (rl_dim){-1, NULL};
            continue;
        }
        if (v[i] < -1)
            return rl_shape_note(c, RL_SHAPE_BAD, "shape value %lld", (long long)v[i]);
        if (v[i] == 0 && !allowzero) {
            if ((int)i >= x->rank)
                return rl_shape_note(c, RL_SHAPE_BAD, "shape copies dim %zu of a rank-%d input", i,
                                     x->rank);
            od[i] = x->dims[i];
        } else
            od[i] = (rl_dim){v[i], NULL};
        known = od[i].v < 0 ? -1 : known < 0 ? -1 : rl_shape_mul_dim(known, od[i].v);
    }
    if (infer >= 0) {
        int64_t total = rl_tensor_elems(x);
        if (total >= 0 && known > 0) {
            if (total % known)
                return rl_shape_note(c, RL_SHAPE_BAD, "cannot reshape %lld elements",
                                     (long long)total);
            od[infer].v = total / known;
        } else if (total == 0 && known >= 0)
            od[infer].v = 0;
    } else {
        int64_t total = rl_tensor_elems(x);
        if (total >= 0 && known >= 0 && total != known)
            return rl_shape_note(c, RL_SHAPE_BAD, "cannot reshape %lld elements into %lld",
                                 (long long)total, (long long)known);
    }
    if ((r = rl_shape_set_out(c, 0, x->dtype, (int)n, od)))
        return r;
    return pass_value(c, x);
}

static int op_flatten(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t axis; /* between dims: 0 .. rank */
    if (rl_shape_wrap_index(rl_onnx_attr_int(c->o, "axis", 1), x->rank, 1, &axis) != 0)
        return rl_shape_note(c, RL_SHAPE_BAD, "axis out of range");
    rl_dim od[2] = {{1, NULL}, {1, NULL}};
    for (int i = 0; i < x->rank; i++) {
        rl_dim *d = &od[i < axis ? 0 : 1];
        d->v = rl_shape_mul_dim(d->v, x->dims[i].v);
    }
    if ((r = rl_shape_set_out(c, 0, x->dtype, 2, od)))
        return r;
    return pass_value(c, x);
}

static int op_squeeze(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *axes = NULL;
    size_t na = 0;
    int present;
    if ((r = rl_shape_ints_attr_or_input(c, "axes", 1, 13, &axes, &na, &present)))
        return r;
    int drop[RL_ONNX_MAX_RANK] = {0};
    if (present) {
        for (size_t i = 0; i < na; i++) {
            int64_t a;
            if ((r = rl_shape_axis_norm(c, axes[i], x->rank, &a)))
                return r;
            if (x->dims[a].v >= 0 && x->dims[a].v != 1)
                return rl_shape_note(c, RL_SHAPE_BAD, "cannot squeeze dim %lld of size %lld",
                                     (long long)a, (long long)x->dims[a].v);
            drop[a] = 1;
        }
    } else {
        for (int i = 0; i < x->rank; i++) {
            if (x->dims[i].v < 0)
                return rl_shape_note(c, RL_SHAPE_UNKNOWN, "squeezing an unknown dim");
            drop[i] = x->dims[i].v == 1;
        }
    }
    rl_dim od[RL_ONNX_MAX_RANK];
    int ro = 0;
    for (int i = 0; i < x->rank; i++)
        if (!drop[i])
            od[ro++] = x->dims[i];
    if ((r = rl_shape_set_out(c, 0, x->dtype, ro, od)))
        return r;
    return pass_value(c, x);
}

static int op_unsqueeze(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *axes = NULL;
    size_t na = 0;
    int present;
    if ((r = rl_shape_ints_attr_or_input(c, "axes", 1, 13, &axes, &na, &present)))
        return r;
    if (!present)
        return rl_shape_note(c, RL_SHAPE_BAD, "no axes");
    int ro = x->rank + (int)na;
    if (na > RL_ONNX_MAX_RANK || ro > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "output rank too large");
    int ins[RL_ONNX_MAX_RANK] = {0};
    if ((r = rl_shape_axes_norm(c, axes, na, ro, 1, NULL, ins)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    int k = 0;
    for (int i = 0; i < ro; i++)
        od[i] = ins[i] ? (rl_dim){1, NULL} : x->dims[k++];
    if ((r = rl_shape_set_out(c, 0, x->dtype, ro, od)))
        return r;
    return pass_value(c, x);
}

static int op_transpose(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const rl_onnx_attr *pa = rl_onnx_attr_find(c->o, "perm");
    rl_dim od[RL_ONNX_MAX_RANK];
    int seen[RL_ONNX_MAX_RANK] = {0};
    if (pa && pa->n_ints != (size_t)x->rank)
        return rl_shape_note(c, RL_SHAPE_BAD, "perm has %zu values for rank %d", pa->n_ints,
                             x->rank);
    for (int i = 0; i < x->rank; i++) {
        int64_t p = pa ? pa->ints[i] : x->rank - 1 - i;
        if (p < 0 || p >= x->rank || seen[p])
            return rl_shape_note(c, RL_SHAPE_BAD, "bad perm");
        seen[p] = 1;
        od[i] = x->dims[p];
    }
    if ((r = rl_shape_set_out(c, 0, x->dtype, x->rank, od)))
        return r;
    if (x->rank <= 1)
        return pass_value(c, x);
    return RL_SHAPE_OK;
}

static int op_concat(rl_shape_ctx *c)
{
    size_t nin = c->o->n_inputs;
    rl_tensor *x0;
    int r = rl_shape_need_rank(c, 0, &x0);
    if (r)
        return r;
    int64_t axis;
    if ((r = rl_shape_axis_attr(c, 0, x0->rank, &axis)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x0->dims, (size_t)x0->rank * sizeof(rl_dim));
    int fold = x0->has_value && x0->rank == 1;
    for (size_t i = 1; i < nin; i++) {
        rl_tensor *x;
        if ((r = rl_shape_need_rank(c, i, &x)))
            return r;
        if (x->rank != x0->rank)
            return rl_shape_note(c, RL_SHAPE_BAD, "input %zu has rank %d, input 0 rank %d", i,
                                 x->rank, x0->rank);
        for (int k = 0; k < x->rank; k++) {
            if (k == axis)
                od[k] = (rl_dim){od[k].v < 0 || x->dims[k].v < 0 || od[k].v > INT64_MAX / 2 ||
                                         x->dims[k].v > INT64_MAX / 2
                                     ? -1
                                     : od[k].v + x->dims[k].v,
                                 NULL};
            else if (od[k].v < 0)
                od[k] = x->dims[k];
            else if (x->dims[k].v >= 0 && x->dims[k].v != od[k].v)
                return rl_shape_note(c, RL_SHAPE_BAD, "input %zu dim %d is %lld, input 0 has %lld",
                                     i, k, (long long)x->dims[k].v, (long long)od[k].v);
        }
        fold = fold && x->has_value;
    }
    if ((r = rl_shape_set_out(c, 0, x0->dtype, x0->rank, od)))
        return r;
    if (!fold || od[0].v < 0 || od[0].v > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    size_t k = 0;
    if (rl_shape_is_float(x0->dtype)) {
        double dv[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < nin; i++) {
            const double *v;
            size_t n;
            if ((r = rl_shape_in_doubles(c, i, &v, &n)))
                return r;
            for (size_t j = 0; j < n && k < RL_SHAPE_MAX_FOLD; j++)
                dv[k++] = v[j];
        }
        return k == (size_t)od[0].v ? rl_shape_set_value(c, 0, NULL, dv, k) : RL_SHAPE_OK;
    }
    int64_t iv[RL_SHAPE_MAX_FOLD];
    for (size_t i = 0; i < nin; i++) {
        const int64_t *v;
        size_t n;
        if ((r = rl_shape_in_ints(c, i, &v, &n)))
            return r;
        for (size_t j = 0; j < n && k < RL_SHAPE_MAX_FOLD; j++)
            iv[k++] = v[j];
    }
    return k == (size_t)od[0].v ? rl_shape_set_value(c, 0, iv, NULL, k) : RL_SHAPE_OK;
}

static int op_split(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t axis;
    if ((r = rl_shape_axis_attr(c, 0, x->rank, &axis)))
        return r;
    size_t no = c->o->n_outputs;
    const int64_t *sp = NULL;
    size_t ns = 0;
    int present;
    if ((r = rl_shape_ints_attr_or_input(c, "split", 1, 13, &sp, &ns, &present)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    int64_t total = x->dims[axis].v;
    if (present) {
        if (ns != no)
            return rl_shape_note(c, RL_SHAPE_BAD, "split has %zu sizes for %zu outputs", ns, no);
        int64_t sum = 0;
        for (size_t i = 0; i < ns; i++) {
            if (sp[i] < 0 || sp[i] > INT32_MAX)
                return rl_shape_note(c, RL_SHAPE_BAD, "split size %lld", (long long)sp[i]);
            sum += sp[i];
        }
        if (total >= 0 && sum != total)
            return rl_shape_note(c, RL_SHAPE_BAD, "split sizes sum to %lld, dim is %lld",
                                 (long long)sum, (long long)total);
    }
    int64_t nparts = rl_onnx_attr_int(c->o, "num_outputs", (int64_t)no);
    if (nparts < 1)
        return rl_shape_note(c, RL_SHAPE_BAD, "num_outputs %lld", (long long)nparts);
    for (size_t i = 0; i < no; i++) {
        if (present)
            od[axis] = (rl_dim){sp[i], NULL};
        else if (total < 0)
            od[axis] = (rl_dim){-1, NULL};
        else {
            int64_t chunk = (total + nparts - 1) / nparts;
            int64_t left = total - chunk * (int64_t)i;
            od[axis] = (rl_dim){left < 0 ? 0 : left < chunk ? left : chunk, NULL};
            if (!rl_onnx_attr_find(c->o, "num_outputs") && total % (int64_t)no)
                return rl_shape_note(c, RL_SHAPE_BAD, "dim %lld does not split evenly into %zu",
                                     (long long)total, no);
        }
        if ((r = rl_shape_set_out(c, i, x->dtype, x->rank, od)))
            return r;
    }
    return RL_SHAPE_OK;
}

static int op_slice(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *st, *en, *ax = NULL, *stp = NULL;
    size_t nst, nen, nax = 0, nstp = 0;
    if (c->opset < 10) {
        const rl_onnx_attr *a = rl_onnx_attr_find(c->o, "starts"),
                           *b = rl_onnx_attr_find(c->o, "ends"),
                           *d = rl_onnx_attr_find(c->o, "axes");
        if (!a || !b)
            return rl_shape_note(c, RL_SHAPE_BAD, "no starts/ends");
        st = a->ints, nst = a->n_ints, en = b->ints, nen = b->n_ints;
        if (d)
            ax = d->ints, nax = d->n_ints;
    } else {
        if ((r = rl_shape_in_ints(c, 1, &st, &nst)) || (r = rl_shape_in_ints(c, 2, &en, &nen)))
            return r;
        if (rl_shape_in(c, 3) && (r = rl_shape_in_ints(c, 3, &ax, &nax)))
            return r;
        if (rl_shape_in(c, 4) && (r = rl_shape_in_ints(c, 4, &stp, &nstp)))
            return r;
    }
    if (nst != nen || (ax && nax != nst) || (stp && nstp != nst))
        return rl_shape_note(c, RL_SHAPE_BAD, "starts, ends, axes and steps differ in length");
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    int64_t sv[RL_ONNX_MAX_RANK], stv[RL_ONNX_MAX_RANK]; /* start and step, to fold values */
    int touched[RL_ONNX_MAX_RANK] = {0};
    for (int i = 0; i < x->rank; i++)
        sv[i] = 0, stv[i] = 1;
    for (size_t i = 0; i < nst; i++) {
        int64_t a, ai = ax ? ax[i] : (int64_t)i; /* no axes: the first nst in order */
        if ((r = rl_shape_axes_norm(c, &ai, 1, x->rank, 1, &a, touched)))
            return r;
        int64_t step = stp ? stp[i] : 1;
        if (step == 0 || step == INT64_MIN)
            return rl_shape_note(c, RL_SHAPE_BAD, "step %lld", (long long)step);
        int64_t d = x->dims[a].v;
        if (d < 0) {
            od[a] = (rl_dim){-1, NULL};
            continue;
        }
        int64_t s, e; /* a backward slice may end before element 0 */
        if (step > 0) {
            s = rl_shape_clamp_index(st[i], d, 0, d);
            e = rl_shape_clamp_index(en[i], d, 0, d);
        } else {
            s = rl_shape_clamp_index(st[i], d, 0, d - 1);
            e = rl_shape_clamp_index(en[i], d, -1, d - 1);
        }
        int64_t len;
        if (step > 0)
            len = e > s ? (e - s - 1) / step + 1 : 0;
        else
            len = s > e ? (s - e - 1) / (-step) + 1 : 0;
        od[a] = (rl_dim){len, NULL};
        sv[a] = s, stv[a] = step;
    }
    if ((r = rl_shape_set_out(c, 0, x->dtype, x->rank, od)))
        return r;
    if (x->has_value && x->rank == 1 && od[0].v >= 0) {
        size_t n = (size_t)od[0].v;
        if (x->iv) {
            int64_t iv[RL_SHAPE_MAX_FOLD];
            for (size_t k = 0; k < n; k++) {
                int64_t idx = sv[0] + (int64_t)k * stv[0];
                if (idx < 0 || (size_t)idx >= x->nv)
                    return RL_SHAPE_OK;
                iv[k] = x->iv[idx];
            }
            return rl_shape_set_value(c, 0, iv, NULL, n);
        }
        double dv[RL_SHAPE_MAX_FOLD];
        for (size_t k = 0; k < n; k++) {
            int64_t idx = sv[0] + (int64_t)k * stv[0];
            if (idx < 0 || (size_t)idx >= x->nv)
                return RL_SHAPE_OK;
            dv[k] = x->dv[idx];
        }
        return rl_shape_set_value(c, 0, NULL, dv, n);
    }
    return RL_SHAPE_OK;
}

static int op_expand(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *v;
    size_t n;
    if ((r = rl_shape_in_ints(c, 1, &v, &n)))
        return r;
    rl_dim sd[RL_ONNX_MAX_RANK], od[RL_ONNX_MAX_RANK];
    if ((r = rl_shape_dims_from_values(c, v, n, sd)))
        return r;
    int ro;
    if ((r = rl_shape_broadcast(c, x->rank, x->dims, (int)n, sd, &ro, od)))
        return r;
    return rl_shape_set_out(c, 0, x->dtype, ro, od);
}

static int op_tile(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *v;
    size_t n;
    if ((r = rl_shape_in_ints(c, 1, &v, &n)))
        return r;
    if (n != (size_t)x->rank)
        return rl_shape_note(c, RL_SHAPE_BAD, "%zu repeats for rank %d", n, x->rank);
    rl_dim od[RL_ONNX_MAX_RANK];
    for (int i = 0; i < x->rank; i++) {
        if (v[i] < 0)
            return rl_shape_note(c, RL_SHAPE_BAD, "negative repeat");
        od[i] = (rl_dim){rl_shape_mul_dim(x->dims[i].v, v[i]), NULL};
    }
    return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
}

static int op_pad(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *p;
    size_t n;
    const rl_onnx_attr *pa = NULL;
    if (c->opset < 11) {
        pa = rl_onnx_attr_find(c->o, "pads");
        if (!pa)
            pa = rl_onnx_attr_find(c->o, "paddings");
        if (!pa)
            return rl_shape_note(c, RL_SHAPE_BAD, "no pads");
    }
    if (pa) {
        p = pa->ints;
        n = pa->n_ints;
    } else if ((r = rl_shape_in_ints(c, 1, &p, &n)))
        return r;
    const int64_t *ax = NULL;
    size_t nax = 0;
    if (c->opset >= 18 && rl_shape_in(c, 3) && (r = rl_shape_in_ints(c, 3, &ax, &nax)))
        return r;
    int64_t axes[RL_ONNX_MAX_RANK];
    if (!ax) {
        nax = (size_t)x->rank;
        for (int i = 0; i < x->rank; i++)
            axes[i] = i;
    } else {
        if (nax > RL_ONNX_MAX_RANK)
            return rl_shape_note(c, RL_SHAPE_BAD, "too many axes");
        if ((r = rl_shape_axes_norm(c, ax, nax, x->rank, 0, axes, NULL)))
            return r;
    }
    if (n != 2 * nax)
        return rl_shape_note(c, RL_SHAPE_BAD, "%zu pads for %zu axes", n, nax);
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    for (size_t i = 0; i < nax; i++) {
        int64_t a = axes[i];
        if (od[a].v < 0)
            continue;
        if (p[i] < -INT32_MAX || p[i] > INT32_MAX || p[nax + i] < -INT32_MAX ||
            p[nax + i] > INT32_MAX)
            return rl_shape_note(c, RL_SHAPE_BAD, "pad out of range");
        if (od[a].v > INT64_MAX / 2)
            return rl_shape_note(c, RL_SHAPE_BAD, "dimension too large");
        int64_t v = od[a].v + p[i] + p[nax + i];
        if (v < 0)
            return rl_shape_note(c, RL_SHAPE_BAD, "negative size after padding");
        od[a] = (rl_dim){v, NULL};
    }
    return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
}

/* The ops this file owns; shape.c looks an op_type up in every family's table. */
const rl_shape_rule rl_shape_rules_layout[] = {
    {"Reshape", op_reshape},
    {"Flatten", op_flatten},
    {"Squeeze", op_squeeze},
    {"Unsqueeze", op_unsqueeze},
    {"Transpose", op_transpose},
    {"Concat", op_concat},
    {"Split", op_split},
    {"Slice", op_slice},
    {"Expand", op_expand},
    {"Tile", op_tile},
    {"Pad", op_pad},
    {NULL, NULL},
};
