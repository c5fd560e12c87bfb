/* shape_layout.c: shape rules for the ops that rearrange a tensor without computing on it: Reshape,
 * Flatten, Squeeze, Unsqueeze, Transpose, Concat, Split, Slice, Expand, Tile, Pad. Small tensors
 * pass their folded values through, complete or partial (views, Concat, and Slice, Transpose,
 * Expand, Tile of any rank: the reversed pads pairs of a window padding), which is how a Shape ->
 * Gather -> Concat -> Reshape chain ends with a known shape, or with the symbol it started from. */
#include "model/shape_int.h"

#include <stdint.h>
#include <string.h>

/* A view keeps its input's values, complete or partial, in the same order. */
static int pass_value(rl_shape_ctx *c, const rl_tensor *x)
{
    rl_tensor *o = rl_shape_out(c, 0);
    if (!o)
        return RL_SHAPE_OK;
    if (!x->has_value) {
        if (x->pv && rl_tensor_elems(o) == (int64_t)x->npv)
            return rl_shape_set_pvals(c, 0, x->pv, x->npv);
        return RL_SHAPE_OK;
    }
    if (rl_tensor_elems(o) != (int64_t)x->nv)
        return RL_SHAPE_OK;
    return rl_shape_ints_of(x) ? rl_shape_set_value(c, 0, x->iv, NULL, x->nv)
                               : rl_shape_set_value(c, 0, NULL, x->dv, x->nv);
}

/* Strides of a known shape, in elements; 0 when it is not known or too large to fold. */
static int64_t strides_of(const rl_tensor *x, int64_t *st)
{
    int64_t n = rl_tensor_elems(x);
    if (n < 0 || n > RL_SHAPE_MAX_FOLD)
        return 0;
    int64_t s = 1;
    for (int i = x->rank - 1; i >= 0; i--) {
        st[i] = s;
        s *= x->dims[i].v;
    }
    return n;
}

/* Infers a Reshape's -1 from what the symbols say when some dims are unknown: the input's element
 * count as a monomial divided by the other output dims' ([batch, seq, 768] to [-1, 768] gives
 * batch*seq; [batch, 197, 768] to [batch, -1, 64] gives 2364). */
static int reshape_infer_sym(rl_shape_ctx *c, const rl_tensor *x, const rl_dim *od, size_t n,
                             int infer, rl_dim *out)
{
    rl_pval num = {1, NULL, 1}, den = {1, NULL, 1}, q;
    int r;
    for (int i = 0; i < x->rank; i++)
        if ((r = rl_shape_sym_arith(c, num, rl_shape_pval_of_dim(x->dims[i]), '*', &num)))
            return r;
    for (size_t i = 0; i < n; i++)
        if ((int)i != infer &&
            (r = rl_shape_sym_arith(c, den, rl_shape_pval_of_dim(od[i]), '*', &den)))
            return r;
    if ((r = rl_shape_sym_arith(c, num, den, '/', &q)))
        return r;
    *out = rl_shape_dim_of_pval(q);
    return RL_SHAPE_OK;
}

static int op_reshape(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const rl_pval *v;
    size_t n;
    rl_pval attr[RL_ONNX_MAX_RANK];
    const rl_onnx_attr *sa = rl_onnx_attr_find(c->o, "shape");
    if (c->opset < 5 && sa) {
        if (sa->n_ints > RL_ONNX_MAX_RANK)
            return rl_shape_note(c, RL_SHAPE_BAD, "shape of %zu dims", sa->n_ints);
        for (size_t i = 0; i < sa->n_ints; i++)
            attr[i] = (rl_pval){sa->ints[i], NULL, 1};
        v = attr;
        n = sa->n_ints;
    } else if ((r = rl_shape_in_pvals(c, 1, &v, &n)))
        return r;
    if (n > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "shape of %zu dims", n);
    int allowzero = (int)rl_onnx_attr_int(c->o, "allowzero", 0);
    rl_dim od[RL_ONNX_MAX_RANK];
    int infer = -1;
    int64_t known = 1;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].known) {
            /* a symbolic dim (never 0 or -1: those are constants in exported graphs) */
            od[i] = (rl_dim){-1, v[i].sym};
            known = -1;
            continue;
        }
        if (v[i].v == -1) {
            if (infer >= 0)
                return rl_shape_note(c, RL_SHAPE_BAD, "more than one -1 in shape");
            infer = (int)i;
            od[i] = (rl_dim){-1, NULL};
            continue;
        }
        if (v[i].v < -1)
            return rl_shape_note(c, RL_SHAPE_BAD, "shape value %lld", (long long)v[i].v);
        if (v[i].v == 0 && !allowzero) {
            if ((int)i >= x->rank)
                return rl_shape_note(c, RL_SHAPE_BAD, "shape copies dim %zu of a rank-%d input", i,
                                     x->rank);
            od[i] = x->dims[i];
        } else
            od[i] = (rl_dim){v[i].v, NULL};
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
        else if ((r = reshape_infer_sym(c, x, od, n, infer, &od[infer])))
            return r;
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
    rl_pval prod[2] = {{1, NULL, 1}, {1, NULL, 1}}; /* known, or a monomial of symbols */
    for (int i = 0; i < x->rank; i++) {
        rl_pval *p = &prod[i < axis ? 0 : 1];
        if ((r = rl_shape_sym_arith(c, *p, rl_shape_pval_of_dim(x->dims[i]), '*', p)))
            return r;
    }
    rl_dim od[2] = {rl_shape_dim_of_pval(prod[0]), rl_shape_dim_of_pval(prod[1])};
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
    int64_t st[RL_ONNX_MAX_RANK];
    int64_t total = (x->has_value || x->pv) ? strides_of(x, st) : 0;
    if (!total)
        return RL_SHAPE_OK;
    size_t map[RL_SHAPE_MAX_FOLD];
    for (int64_t p = 0; p < total; p++) {
        int64_t rem = p, src = 0;
        for (int i = x->rank - 1; i >= 0; i--) {
            int64_t d = od[i].v, coord = rem % d;
            rem /= d;
            src += coord * st[pa ? pa->ints[i] : x->rank - 1 - i];
        }
        map[p] = (size_t)src;
    }
    return rl_shape_set_mapped(c, 0, x, map, (size_t)total);
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
    int fold = (x0->has_value || x0->pv) && x0->rank == 1;
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
        fold = fold && (x->has_value || x->pv);
    }
    if ((r = rl_shape_set_out(c, 0, x0->dtype, x0->rank, od)))
        return r;
    if (!fold || od[0].v < 0 || od[0].v > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    size_t k = 0;
    int partial = 0;
    for (size_t i = 0; i < nin; i++)
        partial |= !rl_shape_in(c, i)->has_value;
    if (partial) {
        /* [batch, -1, 768] from a Shape of a symbolic input: the symbol travels on */
        rl_pval pv[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < nin; i++) {
            const rl_pval *v;
            size_t n;
            if ((r = rl_shape_in_pvals(c, i, &v, &n)))
                return r;
            for (size_t j = 0; j < n && k < RL_SHAPE_MAX_FOLD; j++)
                pv[k++] = v[j];
        }
        return k == (size_t)od[0].v ? rl_shape_set_pvals(c, 0, pv, k) : RL_SHAPE_OK;
    }
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

/* Slice's starts or ends as partial values: attribute ints before opset 10, else an input. */
static int slice_bounds(rl_shape_ctx *c, const char *attr, size_t input, rl_pval *buf,
                        const rl_pval **v, size_t *n)
{
    if (c->opset >= 10)
        return rl_shape_in_pvals(c, input, v, n);
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, attr);
    if (!a)
        return rl_shape_note(c, RL_SHAPE_BAD, "no %s", attr);
    if (a->n_ints > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "%zu %s", a->n_ints, attr);
    for (size_t i = 0; i < a->n_ints; i++)
        buf[i] = (rl_pval){a->ints[i], NULL, 1};
    *v = buf;
    *n = a->n_ints;
    return RL_SHAPE_OK;
}

static int op_slice(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const rl_pval *st, *en;
    const int64_t *ax = NULL, *stp = NULL;
    size_t nst, nen, nax = 0, nstp = 0;
    rl_pval sbuf[RL_ONNX_MAX_RANK], ebuf[RL_ONNX_MAX_RANK];
    if ((r = slice_bounds(c, "starts", 1, sbuf, &st, &nst)) ||
        (r = slice_bounds(c, "ends", 2, ebuf, &en, &nen)))
        return r;
    if (c->opset < 10) {
        const rl_onnx_attr *d = rl_onnx_attr_find(c->o, "axes");
        if (d)
            ax = d->ints, nax = d->n_ints;
    } else {
        if (rl_shape_in(c, 3) && (r = rl_shape_in_ints(c, 3, &ax, &nax)))
            return r;
        if (rl_shape_in(c, 4) && (r = rl_shape_in_ints(c, 4, &stp, &nstp)))
            return r;
    }
    if (nst != nen || (ax && nax != nst) || (stp && nstp != nst))
        return rl_shape_note(c, RL_SHAPE_BAD, "starts, ends, axes and steps differ in length");
    if (nst > (size_t)x->rank)
        return rl_shape_note(c, RL_SHAPE_BAD, "%zu starts for rank %d", nst, x->rank);
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
        if (!st[i].known || !en[i].known) {
            /* x[:, :seq] with seq a symbol: the slice is seq long (exporters cut position
             * tables and masks to the input's length, which never exceeds them) */
            int from0 = st[i].known && st[i].v == 0 && step == 1;
            od[a] = (rl_dim){-1, from0 && !en[i].known ? en[i].sym : NULL};
            if (od[a].sym && x->dims[a].v < 0 && x->dims[a].sym &&
                strcmp(x->dims[a].sym, od[a].sym))
                od[a].sym = NULL;
            continue;
        }
        if (d < 0) {
            /* the whole of an unknown dim keeps it */
            int whole = st[i].v == 0 && step == 1 && en[i].v >= INT32_MAX;
            od[a] = whole ? x->dims[a] : (rl_dim){-1, NULL};
            continue;
        }
        int64_t s, e; /* a backward slice may end before element 0 */
        if (step > 0) {
            s = rl_shape_clamp_index(st[i].v, d, 0, d);
            e = rl_shape_clamp_index(en[i].v, d, 0, d);
        } else {
            s = rl_shape_clamp_index(st[i].v, d, 0, d - 1);
            e = rl_shape_clamp_index(en[i].v, d, -1, d - 1);
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
    /* values: every output element's source in x (the reversed pads of the window padding) */
    int64_t xst[RL_ONNX_MAX_RANK];
    if (!(x->has_value || x->pv) || !strides_of(x, xst))
        return RL_SHAPE_OK;
    rl_tensor *o = rl_shape_out(c, 0);
    int64_t total = o ? rl_tensor_elems(o) : -1;
    if (total < 0 || total > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    size_t map[RL_SHAPE_MAX_FOLD];
    for (int64_t p = 0; p < total; p++) {
        int64_t rem = p, src = 0;
        for (int i = x->rank - 1; i >= 0; i--) {
            int64_t coord = rem % od[i].v;
            rem /= od[i].v;
            src += (sv[i] + coord * stv[i]) * xst[i];
        }
        map[p] = (size_t)src;
    }
    return rl_shape_set_mapped(c, 0, x, map, (size_t)total);
}

/* Output values of a broadcast of x to od (Expand, and Tile with `tile`): each output element's
 * source in x. */
static int fold_repeat(rl_shape_ctx *c, const rl_tensor *x, int ro, const rl_dim *od, int tile)
{
    int64_t xst[RL_ONNX_MAX_RANK];
    if (!(x->has_value || x->pv) || !strides_of(x, xst))
        return RL_SHAPE_OK;
    int64_t total = 1;
    for (int i = 0; i < ro; i++)
        total = rl_shape_mul_dim(total, od[i].v);
    if (total < 0 || total > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    size_t map[RL_SHAPE_MAX_FOLD];
    for (int64_t p = 0; p < total; p++) {
        int64_t rem = p, src = 0;
        for (int i = ro - 1; i >= 0; i--) {
            int64_t coord = rem % od[i].v;
            rem /= od[i].v;
            int xi = i - (ro - x->rank);
            if (xi < 0)
                continue;
            int64_t d = x->dims[xi].v;
            src += (tile ? coord % d : d == 1 ? 0 : coord) * xst[xi];
        }
        map[p] = (size_t)src;
    }
    return rl_shape_set_mapped(c, 0, x, map, (size_t)total);
}

static int op_expand(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const rl_pval *v;
    size_t n;
    if ((r = rl_shape_in_pvals(c, 1, &v, &n)))
        return r;
    if (n > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "shape of %zu dims", n);
    rl_dim sd[RL_ONNX_MAX_RANK], od[RL_ONNX_MAX_RANK];
    for (size_t i = 0; i < n; i++) {
        if (v[i].known && v[i].v < 0)
            return rl_shape_note(c, RL_SHAPE_BAD, "negative dimension %lld", (long long)v[i].v);
        sd[i] = rl_shape_dim_of_pval(v[i]);
    }
    int ro;
    if ((r = rl_shape_broadcast(c, x->rank, x->dims, (int)n, sd, &ro, od)))
        return r;
    if ((r = rl_shape_set_out(c, 0, x->dtype, ro, od)))
        return r;
    return fold_repeat(c, x, ro, od, 0);
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
        od[i] = v[i] == 1 ? x->dims[i] : (rl_dim){rl_shape_mul_dim(x->dims[i].v, v[i]), NULL};
    }
    if ((r = rl_shape_set_out(c, 0, x->dtype, x->rank, od)))
        return r;
    return fold_repeat(c, x, x->rank, od, 1);
}

static int op_pad(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    const rl_pval *p;
    size_t n;
    rl_pval buf[2 * RL_ONNX_MAX_RANK];
    const rl_onnx_attr *pa = NULL;
    if (c->opset < 11) {
        pa = rl_onnx_attr_find(c->o, "pads");
        if (!pa)
            pa = rl_onnx_attr_find(c->o, "paddings");
        if (!pa)
            return rl_shape_note(c, RL_SHAPE_BAD, "no pads");
    }
    if (pa) {
        if (pa->n_ints > 2 * RL_ONNX_MAX_RANK)
            return rl_shape_note(c, RL_SHAPE_BAD, "%zu pads", pa->n_ints);
        for (size_t i = 0; i < pa->n_ints; i++)
            buf[i] = (rl_pval){pa->ints[i], NULL, 1};
        p = buf;
        n = pa->n_ints;
    } else if ((r = rl_shape_in_pvals(c, 1, &p, &n)))
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
        rl_pval b = p[i], e = p[nax + i];
        if (b.known && e.known && b.v == 0 && e.v == 0)
            continue; /* unpadded: keeps a symbolic dim as it is */
        if (od[a].v < 0 || !b.known || !e.known) {
            /* pads computed from a dim no --dim gave: this dim unknown, the others still hold */
            od[a] = (rl_dim){-1, NULL};
            continue;
        }
        if (b.v < -INT32_MAX || b.v > INT32_MAX || e.v < -INT32_MAX || e.v > INT32_MAX)
            return rl_shape_note(c, RL_SHAPE_BAD, "pad out of range");
        if (od[a].v > INT64_MAX / 2)
            return rl_shape_note(c, RL_SHAPE_BAD, "dimension too large");
        int64_t v = od[a].v + b.v + e.v;
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
