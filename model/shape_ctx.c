/* shape_ctx.c: what every shape rule works through (declared in shape_int.h): the node's inputs
 * and outputs, folded values, and the axis and broadcast handling the op families share, written
 * once here so that a negative axis, an out-of-range one or a broadcast mismatch is handled and
 * worded the same for every op. Owns no op. */
#include "model/shape_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- notes, inputs, outputs */

int rl_shape_note(rl_shape_ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->note, sizeof c->note, fmt, ap);
    va_end(ap);
    return code;
}

rl_tensor *rl_shape_in(rl_shape_ctx *c, size_t i)
{
    if (i >= c->o->n_inputs || c->n->in[i] == SIZE_MAX)
        return NULL;
    return &c->g->t[c->n->in[i]];
}

rl_tensor *rl_shape_out(rl_shape_ctx *c, size_t i)
{
    if (i >= c->o->n_outputs || c->n->out[i] == SIZE_MAX)
        return NULL;
    return &c->g->t[c->n->out[i]];
}

int rl_shape_need_rank(rl_shape_ctx *c, size_t i, rl_tensor **t)
{
    *t = rl_shape_in(c, i);
    if (!*t)
        return rl_shape_note(c, RL_SHAPE_BAD, "input %zu is missing", i);
    if ((*t)->rank < 0)
        return rl_shape_note(c, RL_SHAPE_UNKNOWN, "shape of input '%s' unknown", (*t)->name);
    return RL_SHAPE_OK;
}

int rl_shape_set_out(rl_shape_ctx *c, size_t k, int32_t dtype, int rank, const rl_dim *dims)
{
    rl_tensor *t = rl_shape_out(c, k);
    if (!t)
        return RL_SHAPE_OK;
    if (rank > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "output rank %d too large", rank);
    t->dtype = dtype;
    t->rank = rank;
    t->dims = rl_arena_array(c->g->a, rank > 0 ? (size_t)rank : 1, sizeof(rl_dim));
    if (!t->dims)
        return RL_SHAPE_FATAL;
    for (int i = 0; i < rank; i++) {
        t->dims[i] = dims[i];
        if (t->dims[i].v < 0)
            t->dims[i].v = -1;
        else
            t->dims[i].sym = NULL;
    }
    return RL_SHAPE_OK;
}

int rl_shape_set_like(rl_shape_ctx *c, size_t k, const rl_tensor *src, int32_t dtype)
{
    return rl_shape_set_out(c, k, dtype, src->rank, src->dims);
}

int rl_shape_set_value(rl_shape_ctx *c, size_t k, const int64_t *iv, const double *dv, size_t n)
{
    rl_tensor *t = rl_shape_out(c, k);
    if (!t || n > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    if (iv) {
        t->iv = rl_arena_array(c->g->a, n ? n : 1, sizeof(int64_t));
        if (!t->iv)
            return RL_SHAPE_FATAL;
        memcpy(t->iv, iv, n * sizeof(int64_t));
    } else {
        t->dv = rl_arena_array(c->g->a, n ? n : 1, sizeof(double));
        if (!t->dv)
            return RL_SHAPE_FATAL;
        memcpy(t->dv, dv, n * sizeof(double));
    }
    t->nv = n;
    t->has_value = 1;
    return RL_SHAPE_OK;
}

int rl_shape_in_ints(rl_shape_ctx *c, size_t i, const int64_t **v, size_t *n)
{
    rl_tensor *t = rl_shape_in(c, i);
    if (!t)
        return rl_shape_note(c, RL_SHAPE_BAD, "input %zu is missing", i);
    if (!t->has_value)
        return rl_shape_note(c, RL_SHAPE_UNKNOWN, "values of input '%s' unknown", t->name);
    if (!t->iv) {
        /* a float tensor used as integers (rare): convert */
        int64_t *iv = rl_arena_array(c->g->a, t->nv ? t->nv : 1, sizeof(int64_t));
        if (!iv)
            return RL_SHAPE_FATAL;
        for (size_t k = 0; k < t->nv; k++)
            iv[k] = isfinite(t->dv[k]) && fabs(t->dv[k]) < 9e18 ? (int64_t)t->dv[k] : 0;
        t->iv = iv;
    }
    *v = t->iv;
    *n = t->nv;
    return RL_SHAPE_OK;
}

const int64_t *rl_shape_ints_of(const rl_tensor *t)
{
    if (!t->has_value || !t->iv || (t->dv && rl_shape_is_float(t->dtype)))
        return NULL;
    return t->iv;
}

int rl_shape_in_doubles(rl_shape_ctx *c, size_t i, const double **v, size_t *n)
{
    rl_tensor *t = rl_shape_in(c, i);
    if (!t)
        return rl_shape_note(c, RL_SHAPE_BAD, "input %zu is missing", i);
    if (!t->has_value)
        return rl_shape_note(c, RL_SHAPE_UNKNOWN, "values of input '%s' unknown", t->name);
    if (!t->dv) {
        double *dv = rl_arena_array(c->g->a, t->nv ? t->nv : 1, sizeof(double));
        if (!dv)
            return RL_SHAPE_FATAL;
        for (size_t k = 0; k < t->nv; k++)
            dv[k] = (double)t->iv[k];
        t->dv = dv;
    }
    *v = t->dv;
    *n = t->nv;
    return RL_SHAPE_OK;
}

int rl_shape_ints_attr_or_input(rl_shape_ctx *c, const char *attr, size_t input,
                                int64_t input_since, const int64_t **v, size_t *n, int *present)
{
    *present = 0;
    if (c->opset >= input_since || !rl_onnx_attr_find(c->o, attr)) {
        if (rl_shape_in(c, input)) {
            *present = 1;
            return rl_shape_in_ints(c, input, v, n);
        }
    }
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, attr);
    if (a) {
        *present = 1;
        if (a->type == RL_AT_INT) {
            *v = &a->i;
            *n = 1;
        } else {
            *v = a->ints;
            *n = a->n_ints;
        }
    }
    return RL_SHAPE_OK;
}

int rl_shape_dims_from_values(rl_shape_ctx *c, const int64_t *v, size_t n, rl_dim *od)
{
    if (n > RL_ONNX_MAX_RANK)
        return rl_shape_note(c, RL_SHAPE_BAD, "shape of %zu dims", n);
    for (size_t i = 0; i < n; i++) {
        if (v[i] < 0)
            return rl_shape_note(c, RL_SHAPE_BAD, "negative dimension %lld", (long long)v[i]);
        od[i] = (rl_dim){v[i], NULL};
    }
    return RL_SHAPE_OK;
}

int rl_shape_is_float(int32_t dt)
{
    return dt == RL_DT_FLOAT || dt == RL_DT_DOUBLE || dt == RL_DT_FLOAT16 || dt == RL_DT_BFLOAT16;
}

int rl_shape_known(const rl_tensor *t)
{
    return t && rl_tensor_elems(t) >= 0;
}

int64_t rl_shape_mul_dim(int64_t a, int64_t b)
{
    if (a < 0 || b < 0)
        return -1;
    if (a != 0 && b > INT64_MAX / a)
        return -1;
    return a * b;
}

/* ---------------------------------------------------------------- axes and broadcasting */

int rl_shape_wrap_index(int64_t i, int64_t n, int inclusive, int64_t *out)
{
    *out = 0;
    if (i < -n || i > (inclusive ? n : n - 1))
        return -1;
    *out = i < 0 ? i + n : i;
    return 0;
}

int64_t rl_shape_clamp_index(int64_t i, int64_t n, int64_t lo, int64_t hi)
{
    if (i < 0)
        i += n;
    if (i < lo)
        i = lo;
    if (i > hi)
        i = hi;
    return i;
}

int rl_shape_axis_norm(rl_shape_ctx *c, int64_t axis, int rank, int64_t *out)
{
    if (rl_shape_wrap_index(axis, rank, 0, out) != 0)
        return rl_shape_note(c, RL_SHAPE_BAD, "axis %lld out of range for rank %d", (long long)axis,
                             rank);
    return RL_SHAPE_OK;
}

int rl_shape_axis_attr(rl_shape_ctx *c, int64_t dflt, int rank, int64_t *out)
{
    return rl_shape_axis_norm(c, rl_onnx_attr_int(c->o, "axis", dflt), rank, out);
}

int rl_shape_axes_norm(rl_shape_ctx *c, const int64_t *axes, size_t n, int rank, int unique,
                       int64_t *out, int *seen)
{
    for (size_t i = 0; i < n; i++) {
        int64_t a;
        int r = rl_shape_axis_norm(c, axes[i], rank, &a);
        if (r)
            return r;
        if (unique && seen[a])
            return rl_shape_note(c, RL_SHAPE_BAD, "axis %lld repeated", (long long)a);
        if (seen)
            seen[a] = 1;
        if (out)
            out[i] = a;
    }
    return RL_SHAPE_OK;
}

int rl_shape_broadcast(rl_shape_ctx *c, int ra, const rl_dim *a, int rb, const rl_dim *b, int *ro,
                       rl_dim *o)
{
    int r = ra > rb ? ra : rb;
    for (int i = 0; i < r; i++) {
        int ia = i - (r - ra), ib = i - (r - rb);
        rl_dim da = ia >= 0 ? a[ia] : (rl_dim){1, NULL};
        rl_dim db = ib >= 0 ? b[ib] : (rl_dim){1, NULL};
        if (da.v == 1)
            o[i] = db;
        else if (db.v == 1)
            o[i] = da;
        else if (da.v >= 0 && db.v >= 0) {
            if (da.v != db.v)
                return rl_shape_note(c, RL_SHAPE_BAD, "cannot broadcast dim %lld with %lld",
                                     (long long)da.v, (long long)db.v);
            o[i] = da;
        } else if (da.v > 1)
            o[i] = da;
        else if (db.v > 1)
            o[i] = db;
        else if (da.sym && db.sym && !strcmp(da.sym, db.sym))
            o[i] = da;
        else
            o[i] = (rl_dim){-1, NULL};
    }
    *ro = r;
    return RL_SHAPE_OK;
}

/* ---------------------------------------------------------------- partial values and symbols */

rl_pval rl_shape_pval_of_dim(rl_dim d)
{
    if (d.v >= 0)
        return (rl_pval){d.v, NULL, 1};
    return (rl_pval){-1, d.sym, 0};
}

rl_dim rl_shape_dim_of_pval(rl_pval p)
{
    if (p.known)
        return (rl_dim){p.v, NULL};
    return (rl_dim){-1, p.sym};
}

int rl_shape_in_pvals(rl_shape_ctx *c, size_t i, const rl_pval **v, size_t *n)
{
    rl_tensor *t = rl_shape_in(c, i);
    if (!t)
        return rl_shape_note(c, RL_SHAPE_BAD, "input %zu is missing", i);
    if (t->pv) {
        *v = t->pv;
        *n = t->npv;
        return RL_SHAPE_OK;
    }
    if (!t->has_value)
        return rl_shape_note(c, RL_SHAPE_UNKNOWN, "values of input '%s' unknown", t->name);
    const int64_t *iv;
    size_t nv;
    int r = rl_shape_in_ints(c, i, &iv, &nv);
    if (r)
        return r;
    rl_pval *pv = rl_arena_array(c->g->a, nv ? nv : 1, sizeof(rl_pval));
    if (!pv)
        return RL_SHAPE_FATAL;
    for (size_t k = 0; k < nv; k++)
        pv[k] = (rl_pval){iv[k], NULL, 1};
    /* kept beside iv: has_value still says the values are complete */
    t->pv = pv;
    t->npv = nv;
    *v = pv;
    *n = nv;
    return RL_SHAPE_OK;
}

int rl_shape_set_pvals(rl_shape_ctx *c, size_t k, const rl_pval *v, size_t n)
{
    rl_tensor *t = rl_shape_out(c, k);
    if (!t || n > RL_SHAPE_MAX_FOLD || rl_tensor_elems(t) != (int64_t)n)
        return RL_SHAPE_OK;
    int all = 1;
    for (size_t i = 0; i < n; i++)
        all &= v[i].known;
    if (all) {
        if (rl_shape_is_float(t->dtype)) {
            double dv[RL_SHAPE_MAX_FOLD];
            for (size_t i = 0; i < n; i++)
                dv[i] = (double)v[i].v;
            return rl_shape_set_value(c, k, NULL, dv, n);
        }
        int64_t iv[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < n; i++)
            iv[i] = t->dtype == RL_DT_BOOL ? v[i].v != 0 : v[i].v;
        return rl_shape_set_value(c, k, iv, NULL, n);
    }
    /* kept even when nothing is known: a Concat with known parts still tells those */
    t->pv = rl_arena_array(c->g->a, n ? n : 1, sizeof(rl_pval));
    if (!t->pv)
        return RL_SHAPE_FATAL;
    memcpy(t->pv, v, n * sizeof(rl_pval));
    t->npv = n;
    return RL_SHAPE_OK;
}

/* A symbol as a monomial: K x base1 x base2 ..., bases sorted, K >= 1, written "K*a*b" ("a*b"
 * when K is 1). A graph input's symbol is a monomial of one base whatever characters it holds,
 * unless it already reads like one we wrote. */
#define SYM_MAX_BASES 8
typedef struct mono {
    int64_t k;
    int n;
    const char *b[SYM_MAX_BASES];
    size_t len[SYM_MAX_BASES];
} mono;

static int base_cmp(const char *a, size_t la, const char *b, size_t lb)
{
    int r = memcmp(a, b, la < lb ? la : lb);
    return r ? r : la < lb ? -1 : la > lb;
}

static void mono_add_base(mono *m, const char *b, size_t len, int *ok)
{
    if (m->n >= SYM_MAX_BASES || len == 0) {
        *ok = 0;
        return;
    }
    int i = m->n++;
    while (i > 0 && base_cmp(m->b[i - 1], m->len[i - 1], b, len) > 0) {
        m->b[i] = m->b[i - 1];
        m->len[i] = m->len[i - 1];
        i--;
    }
    m->b[i] = b;
    m->len[i] = len;
}

static int mono_parse(const char *s, mono *m)
{
    int ok = 1;
    m->k = 1;
    m->n = 0;
    const char *p = s;
    if (*p >= '0' && *p <= '9') {
        int64_t k = 0;
        while (*p >= '0' && *p <= '9' && k < INT64_MAX / 10 - 10)
            k = k * 10 + (*p++ - '0');
        if (*p != '*' || k < 2) {
            mono_add_base(m, s, strlen(s), &ok);
            return ok;
        }
        m->k = k;
        p++;
    }
    while (*p && ok) {
        const char *e = strchr(p, '*');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        mono_add_base(m, p, len, &ok);
        p = e ? e + 1 : p + len;
    }
    return ok;
}

int rl_shape_sym_arith(rl_shape_ctx *c, rl_pval a, rl_pval b, char op, rl_pval *out)
{
    *out = (rl_pval){-1, NULL, 0};
    if ((!a.known && !a.sym) || (!b.known && !b.sym) || (a.known && a.v < 0) ||
        (b.known && b.v < 0))
        return RL_SHAPE_OK;
    mono x = {1, 0, {0}, {0}}, y = {1, 0, {0}, {0}};
    if (a.known)
        x.k = a.v;
    else if (!mono_parse(a.sym, &x))
        return RL_SHAPE_OK;
    if (b.known)
        y.k = b.v;
    else if (!mono_parse(b.sym, &y))
        return RL_SHAPE_OK;
    int ok = 1;
    if (op == '*') {
        if (x.k != 0 && y.k > INT64_MAX / x.k)
            return RL_SHAPE_OK;
        x.k *= y.k;
        for (int i = 0; i < y.n && ok; i++)
            mono_add_base(&x, y.b[i], y.len[i], &ok);
    } else {
        if (y.k == 0 || x.k % y.k)
            return RL_SHAPE_OK;
        x.k /= y.k;
        for (int i = 0; i < y.n; i++) { /* each of y's bases must be one of x's */
            int j = 0;
            while (j < x.n && base_cmp(x.b[j], x.len[j], y.b[i], y.len[i]))
                j++;
            if (j == x.n)
                return RL_SHAPE_OK;
            for (; j + 1 < x.n; j++) {
                x.b[j] = x.b[j + 1];
                x.len[j] = x.len[j + 1];
            }
            x.n--;
        }
    }
    if (!ok)
        return RL_SHAPE_OK;
    if (x.n == 0 || x.k == 0) {
        *out = (rl_pval){x.k, NULL, 1};
        return RL_SHAPE_OK;
    }
    char buf[512];
    size_t used = 0;
    if (x.k != 1)
        used = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)x.k);
    for (int i = 0; i < x.n; i++) {
        if (used + x.len[i] + 2 > sizeof buf)
            return RL_SHAPE_OK;
        if (used)
            buf[used++] = '*';
        memcpy(buf + used, x.b[i], x.len[i]);
        used += x.len[i];
    }
    buf[used] = '\0';
    out->sym = rl_arena_strdup(c->g->a, buf);
    return out->sym ? RL_SHAPE_OK : RL_SHAPE_FATAL;
}

int rl_shape_set_mapped(rl_shape_ctx *c, size_t k, const rl_tensor *x, const size_t *map, size_t n)
{
    size_t have = x->has_value ? x->nv : x->pv ? x->npv : 0;
    if (!have || n > RL_SHAPE_MAX_FOLD)
        return RL_SHAPE_OK;
    for (size_t i = 0; i < n; i++)
        if (map[i] >= have)
            return RL_SHAPE_OK;
    const int64_t *xi = rl_shape_ints_of(x);
    if (xi) {
        int64_t iv[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < n; i++)
            iv[i] = xi[map[i]];
        return rl_shape_set_value(c, k, iv, NULL, n);
    }
    if (x->has_value) {
        double dv[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < n; i++)
            dv[i] = x->dv[map[i]];
        return rl_shape_set_value(c, k, NULL, dv, n);
    }
    rl_pval pv[RL_SHAPE_MAX_FOLD];
    for (size_t i = 0; i < n; i++)
        pv[i] = x->pv[map[i]];
    return rl_shape_set_pvals(c, k, pv, n);
}
