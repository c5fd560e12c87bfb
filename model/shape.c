/* shape.c: shape inference and small-tensor constant folding (see shape.h).
 *
 * One function per op family; each reads its inputs' shapes (and folded values where the op takes
 * shapes, axes or sizes as tensors), checks them, and sets its outputs. They return OK, UNKNOWN
 * (an input shape or value is not known: outputs stay unknown, a note says why), BAD (the inputs
 * contradict the op: a note says how) or FATAL (out of memory). Opset differences (attributes that
 * became inputs: Squeeze/Unsqueeze/ReduceSum axes at 13, Slice at 10, Pad at 11, Split at 13,
 * Clip at 11) follow the model's default-domain opset. */
#include "model/shape.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OK = 0, UNKNOWN = 1, BAD = 2, FATAL = -1 };

typedef struct ictx {
    rl_graph *g;
    rl_node *n;
    const rl_onnx_node *o;
    int64_t opset;
    char note[256];
} ictx;

static int note(ictx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int note(ictx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->note, sizeof c->note, fmt, ap);
    va_end(ap);
    return code;
}

/* ---------------------------------------------------------------- tensors and the name table */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

rl_tensor *rl_graph_find(const rl_graph *g, const char *name)
{
    if (!g->hash_cap)
        return NULL;
    size_t i = hash_str(name) & (g->hash_cap - 1);
    while (g->hash[i]) {
        rl_tensor *t = &g->t[g->hash[i] - 1];
        if (strcmp(t->name, name) == 0)
            return t;
        i = (i + 1) & (g->hash_cap - 1);
    }
    return NULL;
}

/* Finds or adds; returns the index, or SIZE_MAX when out of room. `added` says which. */
static size_t tensor_get(rl_graph *g, const char *name, size_t cap, int *added)
{
    size_t i = hash_str(name) & (g->hash_cap - 1);
    *added = 0;
    while (g->hash[i]) {
        size_t k = g->hash[i] - 1;
        if (strcmp(g->t[k].name, name) == 0)
            return k;
        i = (i + 1) & (g->hash_cap - 1);
    }
    if (g->n_t >= cap)
        return SIZE_MAX;
    size_t k = g->n_t++;
    rl_tensor *t = &g->t[k];
    memset(t, 0, sizeof *t);
    t->name = name;
    t->rank = -1;
    t->producer = -1;
    t->last_use = -1;
    t->kind = RL_T_MISSING;
    g->hash[i] = k + 1;
    *added = 1;
    return k;
}

int64_t rl_tensor_elems(const rl_tensor *t)
{
    if (t->rank < 0)
        return -1;
    int64_t n = 1;
    for (int i = 0; i < t->rank; i++) {
        if (t->dims[i].v < 0)
            return -1;
        if (t->dims[i].v != 0 && n > INT64_MAX / t->dims[i].v)
            return -1;
        n *= t->dims[i].v;
    }
    return n;
}

void rl_tensor_shape_str(const rl_tensor *t, char *out, size_t size)
{
    size_t used = 0;
    if (size == 0)
        return;
    out[0] = '\0';
    if (t->rank < 0) {
        snprintf(out, size, "?");
        return;
    }
    if (t->rank == 0) {
        snprintf(out, size, "scalar");
        return;
    }
    for (int i = 0; i < t->rank && used < size; i++) {
        int k;
        if (t->dims[i].v >= 0)
            k = snprintf(out + used, size - used, "%s%lld", i ? "x" : "", (long long)t->dims[i].v);
        else if (t->dims[i].sym)
            k = snprintf(out + used, size - used, "%s%s", i ? "x" : "", t->dims[i].sym);
        else
            k = snprintf(out + used, size - used, "%s?", i ? "x" : "");
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

static int known_shape(const rl_tensor *t)
{
    return t && rl_tensor_elems(t) >= 0;
}

/* ---------------------------------------------------------------- inputs, outputs, values */

static rl_tensor *IN(ictx *c, size_t i)
{
    if (i >= c->o->n_inputs || c->n->in[i] == SIZE_MAX)
        return NULL;
    return &c->g->t[c->n->in[i]];
}

static rl_tensor *OUT(ictx *c, size_t i)
{
    if (i >= c->o->n_outputs || c->n->out[i] == SIZE_MAX)
        return NULL;
    return &c->g->t[c->n->out[i]];
}

static int need_rank(ictx *c, size_t i, rl_tensor **t)
{
    *t = IN(c, i);
    if (!*t)
        return note(c, BAD, "input %zu is missing", i);
    if ((*t)->rank < 0)
        return note(c, UNKNOWN, "shape of input '%s' unknown", (*t)->name);
    return OK;
}

/* Sets output k's type and shape (dims copied). */
static int set_out(ictx *c, size_t k, int32_t dtype, int rank, const rl_dim *dims)
{
    rl_tensor *t = OUT(c, k);
    if (!t)
        return OK;
    if (rank > RL_ONNX_MAX_RANK)
        return note(c, BAD, "output rank %d too large", rank);
    t->dtype = dtype;
    t->rank = rank;
    t->dims = rl_arena_array(c->g->a, rank > 0 ? (size_t)rank : 1, sizeof(rl_dim));
    if (!t->dims)
        return FATAL;
    for (int i = 0; i < rank; i++) {
        t->dims[i] = dims[i];
        if (t->dims[i].v < 0)
            t->dims[i].v = -1;
        else
            t->dims[i].sym = NULL;
    }
    return OK;
}

static int set_like(ictx *c, size_t k, const rl_tensor *src, int32_t dtype)
{
    return set_out(c, k, dtype, src->rank, src->dims);
}

/* Folded value for output k (n must match its element count). Exactly one of iv/dv. */
static int set_value(ictx *c, size_t k, const int64_t *iv, const double *dv, size_t n)
{
    rl_tensor *t = OUT(c, k);
    if (!t || n > RL_SHAPE_MAX_FOLD)
        return OK;
    if (iv) {
        t->iv = rl_arena_array(c->g->a, n ? n : 1, sizeof(int64_t));
        if (!t->iv)
            return FATAL;
        memcpy(t->iv, iv, n * sizeof(int64_t));
    } else {
        t->dv = rl_arena_array(c->g->a, n ? n : 1, sizeof(double));
        if (!t->dv)
            return FATAL;
        memcpy(t->dv, dv, n * sizeof(double));
    }
    t->nv = n;
    t->has_value = 1;
    return OK;
}

static int is_float_dtype(int32_t dt)
{
    return dt == RL_DT_FLOAT || dt == RL_DT_DOUBLE || dt == RL_DT_FLOAT16 || dt == RL_DT_BFLOAT16;
}

/* Integer values of input i (shapes, axes, indices); UNKNOWN when not folded. */
static int in_ints(ictx *c, size_t i, const int64_t **v, size_t *n)
{
    rl_tensor *t = IN(c, i);
    if (!t)
        return note(c, BAD, "input %zu is missing", i);
    if (!t->has_value)
        return note(c, UNKNOWN, "values of input '%s' unknown", t->name);
    if (!t->iv) {
        /* a float tensor used as integers (rare): convert */
        int64_t *iv = rl_arena_array(c->g->a, t->nv ? t->nv : 1, sizeof(int64_t));
        if (!iv)
            return FATAL;
        for (size_t k = 0; k < t->nv; k++)
            iv[k] = isfinite(t->dv[k]) && fabs(t->dv[k]) < 9e18 ? (int64_t)t->dv[k] : 0;
        t->iv = iv;
    }
    *v = t->iv;
    *n = t->nv;
    return OK;
}

static int in_doubles(ictx *c, size_t i, const double **v, size_t *n)
{
    rl_tensor *t = IN(c, i);
    if (!t)
        return note(c, BAD, "input %zu is missing", i);
    if (!t->has_value)
        return note(c, UNKNOWN, "values of input '%s' unknown", t->name);
    if (!t->dv) {
        double *dv = rl_arena_array(c->g->a, t->nv ? t->nv : 1, sizeof(double));
        if (!dv)
            return FATAL;
        for (size_t k = 0; k < t->nv; k++)
            dv[k] = (double)t->iv[k];
        t->dv = dv;
    }
    *v = t->dv;
    *n = t->nv;
    return OK;
}

/* Integer list from an attribute (older opsets) or an input (newer). present=0 when neither. */
static int ints_attr_or_input(ictx *c, const char *attr, size_t input, int64_t input_since,
                              const int64_t **v, size_t *n, int *present)
{
    *present = 0;
    if (c->opset >= input_since || !rl_onnx_attr_find(c->o, attr)) {
        if (IN(c, input)) {
            *present = 1;
            return in_ints(c, input, v, n);
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
    return OK;
}

static int norm_axis(ictx *c, int64_t axis, int rank, int64_t *out)
{
    *out = 0;
    if (axis < -(int64_t)rank || axis >= rank)
        return note(c, BAD, "axis %lld out of range for rank %d", (long long)axis, rank);
    *out = axis < 0 ? axis + rank : axis;
    return OK;
}

/* A size computed in floating point, or -1 when it is not a sane dimension. */
static int64_t dbl_to_dim(double v)
{
    return v >= 0 && v < 9e18 ? (int64_t)v : -1;
}

static int64_t mul_dim(int64_t a, int64_t b)
{
    if (a < 0 || b < 0)
        return -1;
    if (a != 0 && b > INT64_MAX / a)
        return -1;
    return a * b;
}

/* ---------------------------------------------------------------- elementwise */

static int op_unary(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const char *op = c->o->op_type;
    int32_t dt = x->dtype;
    if (!strcmp(op, "IsNaN") || !strcmp(op, "IsInf") || !strcmp(op, "Not"))
        dt = RL_DT_BOOL;
    if ((r = set_like(c, 0, x, dt)))
        return r;
    if (x->has_value && (!strcmp(op, "Identity") || !strcmp(op, "Neg") || !strcmp(op, "Abs"))) {
        if (x->iv) {
            int64_t tmp[RL_SHAPE_MAX_FOLD];
            for (size_t i = 0; i < x->nv; i++)
                tmp[i] = op[0] == 'I' ? x->iv[i]
                         : op[0] == 'N'
                             ? (x->iv[i] == INT64_MIN ? x->iv[i] : -x->iv[i])
                             : (x->iv[i] < 0 && x->iv[i] != INT64_MIN ? -x->iv[i] : x->iv[i]);
            return set_value(c, 0, tmp, NULL, x->nv);
        }
        double tmp[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < x->nv; i++)
            tmp[i] = op[0] == 'I' ? x->dv[i] : op[0] == 'N' ? -x->dv[i] : fabs(x->dv[i]);
        return set_value(c, 0, NULL, tmp, x->nv);
    }
    return OK;
}

static int broadcast2(ictx *c, int ra, const rl_dim *a, int rb, const rl_dim *b, int *ro, rl_dim *o)
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
                return note(c, BAD, "cannot broadcast dim %lld with %lld", (long long)da.v,
                            (long long)db.v);
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
    return OK;
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

static int fold_binary(ictx *c, const char *op, rl_tensor **ins, size_t nin, int ro,
                       const rl_dim *od, int32_t odt)
{
    for (size_t i = 0; i < nin; i++)
        if (!ins[i]->has_value || !known_shape(ins[i]))
            return OK;
    int64_t n = 1;
    for (int i = 0; i < ro; i++)
        n = mul_dim(n, od[i].v);
    if (n < 0 || n > RL_SHAPE_MAX_FOLD)
        return OK;
    int isf = is_float_dtype(odt);
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
                return OK; /* leave it unfolded */
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
            return OK;
        }
        if (isf)
            dv[p] = inf ? rd : (double)ri;
        else
            iv[p] =
                inf && odt != RL_DT_BOOL ? (isfinite(rd) && fabs(rd) < 9e18 ? (int64_t)rd : 0) : ri;
    }
    return isf ? set_value(c, 0, NULL, dv, (size_t)n) : set_value(c, 0, iv, NULL, (size_t)n);
}

static int op_broadcast(ictx *c)
{
    const char *op = c->o->op_type;
    size_t nin = c->o->n_inputs;
    if (nin == 0)
        return note(c, BAD, "no inputs");
    if (nin > 64)
        return note(c, BAD, "too many inputs");
    rl_tensor *ins[64];
    for (size_t i = 0; i < nin; i++) {
        int r = need_rank(c, i, &ins[i]);
        if (r)
            return r;
    }
    rl_dim od[RL_ONNX_MAX_RANK], tmp[RL_ONNX_MAX_RANK];
    int ro = ins[0]->rank;
    memcpy(od, ins[0]->dims, (size_t)ro * sizeof(rl_dim));
    for (size_t i = 1; i < nin; i++) {
        int r = broadcast2(c, ro, od, ins[i]->rank, ins[i]->dims, &ro, tmp);
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
    int r = set_out(c, 0, dt, ro, od);
    if (r)
        return r;
    if ((nin == 2 && strcmp(op, "Where")) || (nin == 3 && !strcmp(op, "Where")))
        return fold_binary(c, op, ins, nin, ro, od, dt);
    return OK;
}

/* ---------------------------------------------------------------- convolution and pooling */

static int64_t pool_dim(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe,
                        int ceil_mode, const char *auto_pad)
{
    if (in < 0 || k < 1 || s < 1 || d < 1)
        return -1;
    int64_t dk = (k - 1) * d + 1;
    if (!strcmp(auto_pad, "SAME_UPPER") || !strcmp(auto_pad, "SAME_LOWER"))
        return (in + s - 1) / s;
    if (!strcmp(auto_pad, "VALID"))
        pb = pe = 0;
    if (in > INT64_MAX / 4 || dk > INT64_MAX / 4)
        return -1;
    int64_t span = in + pb + pe - dk;
    if (span < 0)
        return -2;
    int64_t out = ceil_mode ? (span + s - 1) / s + 1 : span / s + 1;
    if (ceil_mode && (out - 1) * s >= in + pb)
        out--;
    return out;
}

static int get_spatial(ictx *c, const char *name, int ns, int64_t dflt, int64_t *out)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, name);
    for (int i = 0; i < ns; i++)
        out[i] = dflt;
    if (!a)
        return OK;
    if (a->n_ints != (size_t)ns)
        return note(c, BAD, "attribute '%s' has %zu values, expected %d", name, a->n_ints, ns);
    for (int i = 0; i < ns; i++)
        out[i] = a->ints[i];
    return OK;
}

static int get_pads(ictx *c, int ns, int64_t *pads)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, "pads");
    for (int i = 0; i < 2 * ns; i++)
        pads[i] = 0;
    if (!a)
        return OK;
    if (a->n_ints != (size_t)(2 * ns))
        return note(c, BAD, "attribute 'pads' has %zu values, expected %d", a->n_ints, 2 * ns);
    for (int i = 0; i < 2 * ns; i++) {
        if (a->ints[i] < 0 || a->ints[i] > INT32_MAX)
            return note(c, BAD, "pad %lld out of range", (long long)a->ints[i]);
        pads[i] = a->ints[i];
    }
    return OK;
}

/* Conv, ConvInteger, QLinearConv (x at xi, w at wi), pools. */
static int conv_like(ictx *c, size_t xi, size_t wi, int is_pool, int32_t odt)
{
    rl_tensor *x, *w = NULL;
    int r = need_rank(c, xi, &x);
    if (r)
        return r;
    if (x->rank < 3)
        return note(c, BAD, "input rank %d, expected at least 3", x->rank);
    int ns = x->rank - 2;
    int64_t k[RL_ONNX_MAX_RANK], s[RL_ONNX_MAX_RANK], d[RL_ONNX_MAX_RANK], p[2 * RL_ONNX_MAX_RANK];
    rl_dim od[RL_ONNX_MAX_RANK];
    od[0] = x->dims[0];
    if (is_pool) {
        const rl_onnx_attr *ka = rl_onnx_attr_find(c->o, "kernel_shape");
        if (!ka)
            return note(c, BAD, "no kernel_shape");
        od[1] = x->dims[1];
    } else {
        if ((r = need_rank(c, wi, &w)))
            return r;
        if (w->rank != x->rank)
            return note(c, BAD, "weight rank %d, input rank %d", w->rank, x->rank);
        int64_t group = rl_onnx_attr_int(c->o, "group", 1);
        if (group < 1)
            return note(c, BAD, "group %lld", (long long)group);
        if (x->dims[1].v >= 0 && w->dims[1].v >= 0 && x->dims[1].v != mul_dim(w->dims[1].v, group))
            return note(c, BAD, "input has %lld channels, weight expects %lld x group %lld",
                        (long long)x->dims[1].v, (long long)w->dims[1].v, (long long)group);
        od[1] = w->dims[0];
    }
    if ((r = get_spatial(c, "kernel_shape", ns, -1, k)) ||
        (r = get_spatial(c, "strides", ns, 1, s)) || (r = get_spatial(c, "dilations", ns, 1, d)) ||
        (r = get_pads(c, ns, p)))
        return r;
    int ceil_mode = (int)rl_onnx_attr_int(c->o, "ceil_mode", 0);
    const char *ap = rl_onnx_attr_string(c->o, "auto_pad", "NOTSET");
    for (int i = 0; i < ns; i++) {
        if (k[i] < 0)
            k[i] = w ? w->dims[2 + i].v : -1;
        if (k[i] < 0)
            return note(c, UNKNOWN, "kernel size unknown");
        if (s[i] < 1 || d[i] < 1 || k[i] > INT32_MAX || s[i] > INT32_MAX || d[i] > INT32_MAX)
            return note(c, BAD, "bad stride, dilation or kernel size");
        int64_t v = pool_dim(x->dims[2 + i].v, k[i], s[i], d[i], p[i], p[ns + i], ceil_mode, ap);
        if (v == -2)
            return note(c, BAD, "kernel larger than padded input");
        od[2 + i] = (rl_dim){v, NULL};
    }
    if ((r = set_out(c, 0, odt ? odt : x->dtype, x->rank, od)))
        return r;
    if (is_pool && c->o->n_outputs > 1) /* MaxPool indices */
        return set_out(c, 1, RL_DT_INT64, x->rank, od);
    return OK;
}

static int op_conv(ictx *c)
{
    return conv_like(c, 0, 1, 0, 0);
}

static int op_pool(ictx *c)
{
    return conv_like(c, 0, 0, 1, 0);
}

static int op_conv_transpose(ictx *c)
{
    rl_tensor *x, *w;
    int r;
    if ((r = need_rank(c, 0, &x)) || (r = need_rank(c, 1, &w)))
        return r;
    if (x->rank < 3 || w->rank != x->rank)
        return note(c, BAD, "input rank %d, weight rank %d", x->rank, w->rank);
    int ns = x->rank - 2;
    int64_t group = rl_onnx_attr_int(c->o, "group", 1);
    if (group < 1 || group > INT32_MAX)
        return note(c, BAD, "group %lld", (long long)group);
    int64_t k[RL_ONNX_MAX_RANK], s[RL_ONNX_MAX_RANK], d[RL_ONNX_MAX_RANK], op[RL_ONNX_MAX_RANK],
        p[2 * RL_ONNX_MAX_RANK], os[RL_ONNX_MAX_RANK];
    if ((r = get_spatial(c, "kernel_shape", ns, -1, k)) ||
        (r = get_spatial(c, "strides", ns, 1, s)) || (r = get_spatial(c, "dilations", ns, 1, d)) ||
        (r = get_spatial(c, "output_padding", ns, 0, op)) || (r = get_pads(c, ns, p)))
        return r;
    const rl_onnx_attr *osa = rl_onnx_attr_find(c->o, "output_shape");
    const char *ap = rl_onnx_attr_string(c->o, "auto_pad", "NOTSET");
    rl_dim od[RL_ONNX_MAX_RANK];
    od[0] = x->dims[0];
    od[1] = (rl_dim){mul_dim(w->dims[1].v, group), NULL};
    if (osa) {
        if (osa->n_ints < (size_t)ns)
            return note(c, BAD, "output_shape has %zu values", osa->n_ints);
        for (int i = 0; i < ns; i++)
            os[i] = osa->ints[osa->n_ints - (size_t)ns + (size_t)i];
    }
    for (int i = 0; i < ns; i++) {
        if (k[i] < 0)
            k[i] = w->dims[2 + i].v;
        int64_t in = x->dims[2 + i].v;
        if (osa) {
            od[2 + i] = (rl_dim){os[i], NULL};
            continue;
        }
        if (k[i] < 0 || in < 0) {
            od[2 + i] = (rl_dim){-1, NULL};
            continue;
        }
        if (s[i] < 1 || d[i] < 1 || s[i] > INT32_MAX || d[i] > INT32_MAX || k[i] > INT32_MAX ||
            in > INT32_MAX || op[i] < 0 || op[i] > INT32_MAX)
            return note(c, BAD, "bad stride, dilation or kernel size");
        int64_t v;
        if (!strcmp(ap, "SAME_UPPER") || !strcmp(ap, "SAME_LOWER"))
            v = in * s[i];
        else {
            int64_t pb = p[i], pe = p[ns + i];
            if (!strcmp(ap, "VALID"))
                pb = pe = 0;
            v = s[i] * (in - 1) + op[i] + (k[i] - 1) * d[i] + 1 - pb - pe;
        }
        if (v < 0)
            return note(c, BAD, "negative output size");
        od[2 + i] = (rl_dim){v, NULL};
    }
    return set_out(c, 0, x->dtype, x->rank, od);
}

static int op_global_pool(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    if (x->rank < 2)
        return note(c, BAD, "input rank %d", x->rank);
    rl_dim od[RL_ONNX_MAX_RANK];
    for (int i = 0; i < x->rank; i++)
        od[i] = i < 2 ? x->dims[i] : (rl_dim){1, NULL};
    return set_out(c, 0, x->dtype, x->rank, od);
}

/* ---------------------------------------------------------------- matrix products */

static int op_gemm(ictx *c)
{
    rl_tensor *a, *b;
    int r;
    if ((r = need_rank(c, 0, &a)) || (r = need_rank(c, 1, &b)))
        return r;
    if (a->rank != 2 || b->rank != 2)
        return note(c, BAD, "Gemm needs 2-D inputs, got ranks %d and %d", a->rank, b->rank);
    int ta = rl_onnx_attr_int(c->o, "transA", 0) != 0,
        tb = rl_onnx_attr_int(c->o, "transB", 0) != 0;
    rl_dim m = a->dims[ta ? 1 : 0], ka = a->dims[ta ? 0 : 1];
    rl_dim kb = b->dims[tb ? 1 : 0], n = b->dims[tb ? 0 : 1];
    if (ka.v >= 0 && kb.v >= 0 && ka.v != kb.v)
        return note(c, BAD, "inner dimensions %lld and %lld differ", (long long)ka.v,
                    (long long)kb.v);
    rl_dim od[2] = {m, n};
    return set_out(c, 0, a->dtype, 2, od);
}

static int matmul_shape(ictx *c, rl_tensor *a, rl_tensor *b, int32_t odt)
{
    if (a->rank < 1 || b->rank < 1)
        return note(c, BAD, "MatMul of a scalar");
    rl_dim ad[RL_ONNX_MAX_RANK + 1], bd[RL_ONNX_MAX_RANK + 1];
    int ra = a->rank, rb = b->rank;
    memcpy(ad, a->dims, (size_t)ra * sizeof(rl_dim));
    memcpy(bd, b->dims, (size_t)rb * sizeof(rl_dim));
    int pre = 0, app = 0;
    if (ra == 1) {
        ad[1] = ad[0];
        ad[0] = (rl_dim){1, NULL};
        ra = 2;
        pre = 1;
    }
    if (rb == 1) {
        bd[1] = (rl_dim){1, NULL};
        rb = 2;
        app = 1;
    }
    rl_dim ka = ad[ra - 1], kb = bd[rb - 2];
    if (ka.v >= 0 && kb.v >= 0 && ka.v != kb.v)
        return note(c, BAD, "inner dimensions %lld and %lld differ", (long long)ka.v,
                    (long long)kb.v);
    rl_dim od[RL_ONNX_MAX_RANK + 2];
    int ro;
    int r = broadcast2(c, ra - 2, ad, rb - 2, bd, &ro, od);
    if (r)
        return r;
    if (!pre)
        od[ro++] = ad[ra - 2];
    if (!app)
        od[ro++] = bd[rb - 1];
    return set_out(c, 0, odt ? odt : a->dtype, ro, od);
}

static int op_matmul(ictx *c)
{
    rl_tensor *a, *b;
    int r;
    if ((r = need_rank(c, 0, &a)) || (r = need_rank(c, 1, &b)))
        return r;
    return matmul_shape(c, a, b, !strcmp(c->o->op_type, "MatMulInteger") ? RL_DT_INT32 : 0);
}

static int op_qlinear_matmul(ictx *c)
{
    rl_tensor *a, *b;
    int r;
    if ((r = need_rank(c, 0, &a)) || (r = need_rank(c, 3, &b)))
        return r;
    rl_tensor *zp = IN(c, 7);
    return matmul_shape(c, a, b, zp ? zp->dtype : RL_DT_UINT8);
}

static int op_qlinear_conv(ictx *c)
{
    rl_tensor *zp = IN(c, 7);
    return conv_like(c, 0, 3, 0, zp ? zp->dtype : RL_DT_UINT8);
}

static int op_conv_integer(ictx *c)
{
    return conv_like(c, 0, 1, 0, RL_DT_INT32);
}

/* ---------------------------------------------------------------- normalization and friends */

static int op_norm(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    if ((r = set_like(c, 0, x, x->dtype)))
        return r;
    const char *op = c->o->op_type;
    if (!strcmp(op, "BatchNormalization")) {
        rl_dim ch = x->rank >= 2 ? x->dims[1] : (rl_dim){1, NULL};
        for (size_t k = 1; k < c->o->n_outputs; k++)
            if ((r = set_out(c, k, x->dtype, 1, &ch)))
                return r;
    } else if (!strcmp(op, "LayerNormalization") && c->o->n_outputs > 1) {
        int64_t axis;
        if ((r = norm_axis(c, rl_onnx_attr_int(c->o, "axis", -1), x->rank, &axis)))
            return r;
        rl_dim od[RL_ONNX_MAX_RANK];
        for (int i = 0; i < x->rank; i++)
            od[i] = i < axis ? x->dims[i] : (rl_dim){1, NULL};
        int32_t st = (int32_t)rl_onnx_attr_int(c->o, "stash_type", RL_DT_FLOAT);
        for (size_t k = 1; k < c->o->n_outputs && k < 3; k++)
            if ((r = set_out(c, k, st, x->rank, od)))
                return r;
    } else if (!strcmp(op, "Dropout") && c->o->n_outputs > 1) {
        return set_like(c, 1, x, RL_DT_BOOL);
    }
    return OK;
}

static int op_cast(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    int32_t to;
    if (!strcmp(c->o->op_type, "CastLike")) {
        rl_tensor *t2 = IN(c, 1);
        if (!t2)
            return note(c, BAD, "input 1 is missing");
        to = t2->dtype;
    } else {
        int64_t v = rl_onnx_attr_int(c->o, "to", 0);
        if (v <= 0 || v > 1000)
            return note(c, BAD, "'to' %lld", (long long)v);
        to = (int32_t)v;
    }
    if ((r = set_like(c, 0, x, to)))
        return r;
    if (!x->has_value)
        return OK;
    if (is_float_dtype(to)) {
        const double *dv;
        size_t n;
        if ((r = in_doubles(c, 0, &dv, &n)))
            return r;
        return set_value(c, 0, NULL, dv, n);
    }
    const int64_t *iv;
    size_t n;
    if ((r = in_ints(c, 0, &iv, &n)))
        return r;
    if (to == RL_DT_BOOL) {
        int64_t tmp[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < n; i++)
            tmp[i] = iv[i] != 0;
        return set_value(c, 0, tmp, NULL, n);
    }
    return set_value(c, 0, iv, NULL, n);
}

/* ---------------------------------------------------------------- shape manipulation */

static int op_shape(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t start = rl_onnx_attr_int(c->o, "start", 0),
            end = rl_onnx_attr_int(c->o, "end", x->rank);
    if (start < 0)
        start += x->rank;
    if (end < 0)
        end += x->rank;
    start = start < 0 ? 0 : start > x->rank ? x->rank : start;
    end = end < 0 ? 0 : end > x->rank ? x->rank : end;
    int64_t n = end > start ? end - start : 0;
    rl_dim od = {n, NULL};
    if ((r = set_out(c, 0, RL_DT_INT64, 1, &od)))
        return r;
    int64_t v[RL_ONNX_MAX_RANK];
    for (int64_t i = 0; i < n; i++) {
        v[i] = x->dims[start + i].v;
        if (v[i] < 0)
            return OK;
    }
    return set_value(c, 0, v, NULL, (size_t)n);
}

static int op_size(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    if ((r = set_out(c, 0, RL_DT_INT64, 0, NULL)))
        return r;
    int64_t n = rl_tensor_elems(x);
    return n >= 0 ? set_value(c, 0, &n, NULL, 1) : OK;
}

static int set_from_tensor(ictx *c, const rl_onnx_tensor *t)
{
    rl_dim od[RL_ONNX_MAX_RANK];
    for (int i = 0; i < t->ndims; i++)
        od[i] = (rl_dim){t->dims[i], NULL};
    int r = set_out(c, 0, t->dtype, t->ndims, od);
    if (r || t->elems > RL_SHAPE_MAX_FOLD || t->dtype == RL_DT_STRING)
        return r;
    int64_t iv[RL_SHAPE_MAX_FOLD];
    double dv[RL_SHAPE_MAX_FOLD];
    long n = rl_onnx_tensor_values(t, iv, dv, RL_SHAPE_MAX_FOLD, NULL);
    if (n < 0)
        return OK;
    return is_float_dtype(t->dtype) ? set_value(c, 0, NULL, dv, (size_t)n)
                                    : set_value(c, 0, iv, NULL, (size_t)n);
}

static int op_constant(ictx *c)
{
    const rl_onnx_node *o = c->o;
    for (size_t i = 0; i < o->n_attrs; i++) {
        const rl_onnx_attr *a = &o->attrs[i];
        if (!strcmp(a->name, "value") && a->t)
            return set_from_tensor(c, a->t);
        if (!strcmp(a->name, "value_float") || !strcmp(a->name, "value_int")) {
            int isf = a->name[6] == 'f';
            int r = set_out(c, 0, isf ? RL_DT_FLOAT : RL_DT_INT64, 0, NULL);
            double dv = a->f;
            return r ? r : isf ? set_value(c, 0, NULL, &dv, 1) : set_value(c, 0, &a->i, NULL, 1);
        }
        if (!strcmp(a->name, "value_floats") || !strcmp(a->name, "value_ints")) {
            int isf = a->name[6] == 'f';
            size_t n = isf ? a->n_floats : a->n_ints;
            rl_dim od = {(int64_t)n, NULL};
            int r = set_out(c, 0, isf ? RL_DT_FLOAT : RL_DT_INT64, 1, &od);
            if (r || n > RL_SHAPE_MAX_FOLD)
                return r;
            if (!isf)
                return set_value(c, 0, a->ints, NULL, n);
            double dv[RL_SHAPE_MAX_FOLD];
            for (size_t k = 0; k < n; k++)
                dv[k] = a->floats[k];
            return set_value(c, 0, NULL, dv, n);
        }
        if (!strcmp(a->name, "value_string"))
            return set_out(c, 0, RL_DT_STRING, 0, NULL);
        if (!strcmp(a->name, "value_strings")) {
            rl_dim od = {-1, NULL};
            return set_out(c, 0, RL_DT_STRING, 1, &od);
        }
    }
    return note(c, UNKNOWN, "Constant without a supported value attribute");
}

static int dims_from_values(ictx *c, const int64_t *v, size_t n, rl_dim *od)
{
    if (n > RL_ONNX_MAX_RANK)
        return note(c, BAD, "shape of %zu dims", n);
    for (size_t i = 0; i < n; i++) {
        if (v[i] < 0)
            return note(c, BAD, "negative dimension %lld", (long long)v[i]);
        od[i] = (rl_dim){v[i], NULL};
    }
    return OK;
}

static int op_constant_of_shape(ictx *c)
{
    const int64_t *v;
    size_t n;
    int r = in_ints(c, 0, &v, &n);
    if (r)
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    if ((r = dims_from_values(c, v, n, od)))
        return r;
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, "value");
    int32_t dt = a && a->t ? a->t->dtype : RL_DT_FLOAT;
    if ((r = set_out(c, 0, dt, (int)n, od)))
        return r;
    int64_t e = rl_tensor_elems(OUT(c, 0) ? OUT(c, 0) : IN(c, 0));
    if (!OUT(c, 0) || e < 0 || e > RL_SHAPE_MAX_FOLD)
        return OK;
    int64_t iv0 = 0;
    double dv0 = 0;
    if (a && a->t && rl_onnx_tensor_values(a->t, &iv0, &dv0, 1, NULL) < 0)
        return OK;
    if (is_float_dtype(dt)) {
        double dv[RL_SHAPE_MAX_FOLD];
        for (int64_t i = 0; i < e; i++)
            dv[i] = dv0;
        return set_value(c, 0, NULL, dv, (size_t)e);
    }
    int64_t iv[RL_SHAPE_MAX_FOLD];
    for (int64_t i = 0; i < e; i++)
        iv[i] = iv0;
    return set_value(c, 0, iv, NULL, (size_t)e);
}

static int pass_value(ictx *c, const rl_tensor *x)
{
    rl_tensor *o = OUT(c, 0);
    if (!x->has_value || !o || rl_tensor_elems(o) != (int64_t)x->nv)
        return OK;
    return x->iv ? set_value(c, 0, x->iv, NULL, x->nv) : set_value(c, 0, NULL, x->dv, x->nv);
}

static int op_reshape(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *v;
    size_t n;
    const rl_onnx_attr *sa = rl_onnx_attr_find(c->o, "shape");
    if (c->opset < 5 && sa) {
        v = sa->ints;
        n = sa->n_ints;
    } else if ((r = in_ints(c, 1, &v, &n)))
        return r;
    if (n > RL_ONNX_MAX_RANK)
        return note(c, BAD, "shape of %zu dims", n);
    int allowzero = (int)rl_onnx_attr_int(c->o, "allowzero", 0);
    rl_dim od[RL_ONNX_MAX_RANK];
    int infer = -1;
    int64_t known = 1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == -1) {
            if (infer >= 0)
                return note(c, BAD, "more than one -1 in shape");
            infer = (int)i;
            od[i] = (rl_dim){-1, NULL};
            continue;
        }
        if (v[i] < -1)
            return note(c, BAD, "shape value %lld", (long long)v[i]);
        if (v[i] == 0 && !allowzero) {
            if ((int)i >= x->rank)
                return note(c, BAD, "shape copies dim %zu of a rank-%d input", i, x->rank);
            od[i] = x->dims[i];
        } else
            od[i] = (rl_dim){v[i], NULL};
        known = od[i].v < 0 ? -1 : known < 0 ? -1 : mul_dim(known, od[i].v);
    }
    if (infer >= 0) {
        int64_t total = rl_tensor_elems(x);
        if (total >= 0 && known > 0) {
            if (total % known)
                return note(c, BAD, "cannot reshape %lld elements", (long long)total);
            od[infer].v = total / known;
        } else if (total == 0 && known >= 0)
            od[infer].v = 0;
    } else {
        int64_t total = rl_tensor_elems(x);
        if (total >= 0 && known >= 0 && total != known)
            return note(c, BAD, "cannot reshape %lld elements into %lld", (long long)total,
                        (long long)known);
    }
    if ((r = set_out(c, 0, x->dtype, (int)n, od)))
        return r;
    return pass_value(c, x);
}

static int op_flatten(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t axis = rl_onnx_attr_int(c->o, "axis", 1);
    if (axis < 0)
        axis += x->rank;
    if (axis < 0 || axis > x->rank)
        return note(c, BAD, "axis out of range");
    rl_dim od[2] = {{1, NULL}, {1, NULL}};
    for (int i = 0; i < x->rank; i++) {
        rl_dim *d = &od[i < axis ? 0 : 1];
        d->v = mul_dim(d->v, x->dims[i].v);
    }
    if ((r = set_out(c, 0, x->dtype, 2, od)))
        return r;
    return pass_value(c, x);
}

static int op_squeeze(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *axes = NULL;
    size_t na = 0;
    int present;
    if ((r = ints_attr_or_input(c, "axes", 1, 13, &axes, &na, &present)))
        return r;
    int drop[RL_ONNX_MAX_RANK] = {0};
    if (present) {
        for (size_t i = 0; i < na; i++) {
            int64_t a;
            if ((r = norm_axis(c, axes[i], x->rank, &a)))
                return r;
            if (x->dims[a].v >= 0 && x->dims[a].v != 1)
                return note(c, BAD, "cannot squeeze dim %lld of size %lld", (long long)a,
                            (long long)x->dims[a].v);
            drop[a] = 1;
        }
    } else {
        for (int i = 0; i < x->rank; i++) {
            if (x->dims[i].v < 0)
                return note(c, UNKNOWN, "squeezing an unknown dim");
            drop[i] = x->dims[i].v == 1;
        }
    }
    rl_dim od[RL_ONNX_MAX_RANK];
    int ro = 0;
    for (int i = 0; i < x->rank; i++)
        if (!drop[i])
            od[ro++] = x->dims[i];
    if ((r = set_out(c, 0, x->dtype, ro, od)))
        return r;
    return pass_value(c, x);
}

static int op_unsqueeze(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *axes = NULL;
    size_t na = 0;
    int present;
    if ((r = ints_attr_or_input(c, "axes", 1, 13, &axes, &na, &present)))
        return r;
    if (!present)
        return note(c, BAD, "no axes");
    int ro = x->rank + (int)na;
    if (na > RL_ONNX_MAX_RANK || ro > RL_ONNX_MAX_RANK)
        return note(c, BAD, "output rank too large");
    int ins[RL_ONNX_MAX_RANK] = {0};
    for (size_t i = 0; i < na; i++) {
        int64_t a;
        if ((r = norm_axis(c, axes[i], ro, &a)))
            return r;
        if (ins[a])
            return note(c, BAD, "axis %lld repeated", (long long)a);
        ins[a] = 1;
    }
    rl_dim od[RL_ONNX_MAX_RANK];
    int k = 0;
    for (int i = 0; i < ro; i++)
        od[i] = ins[i] ? (rl_dim){1, NULL} : x->dims[k++];
    if ((r = set_out(c, 0, x->dtype, ro, od)))
        return r;
    return pass_value(c, x);
}

static int op_transpose(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const rl_onnx_attr *pa = rl_onnx_attr_find(c->o, "perm");
    rl_dim od[RL_ONNX_MAX_RANK];
    int seen[RL_ONNX_MAX_RANK] = {0};
    if (pa && pa->n_ints != (size_t)x->rank)
        return note(c, BAD, "perm has %zu values for rank %d", pa->n_ints, x->rank);
    for (int i = 0; i < x->rank; i++) {
        int64_t p = pa ? pa->ints[i] : x->rank - 1 - i;
        if (p < 0 || p >= x->rank || seen[p])
            return note(c, BAD, "bad perm");
        seen[p] = 1;
        od[i] = x->dims[p];
    }
    if ((r = set_out(c, 0, x->dtype, x->rank, od)))
        return r;
    if (x->rank <= 1)
        return pass_value(c, x);
    return OK;
}

static int op_concat(ictx *c)
{
    size_t nin = c->o->n_inputs;
    rl_tensor *x0;
    int r = need_rank(c, 0, &x0);
    if (r)
        return r;
    int64_t axis;
    if ((r = norm_axis(c, rl_onnx_attr_int(c->o, "axis", 0), x0->rank, &axis)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x0->dims, (size_t)x0->rank * sizeof(rl_dim));
    int fold = x0->has_value && x0->rank == 1;
    for (size_t i = 1; i < nin; i++) {
        rl_tensor *x;
        if ((r = need_rank(c, i, &x)))
            return r;
        if (x->rank != x0->rank)
            return note(c, BAD, "input %zu has rank %d, input 0 rank %d", i, x->rank, x0->rank);
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
                return note(c, BAD, "input %zu dim %d is %lld, input 0 has %lld", i, k,
                            (long long)x->dims[k].v, (long long)od[k].v);
        }
        fold = fold && x->has_value;
    }
    if ((r = set_out(c, 0, x0->dtype, x0->rank, od)))
        return r;
    if (!fold || od[0].v < 0 || od[0].v > RL_SHAPE_MAX_FOLD)
        return OK;
    size_t k = 0;
    if (is_float_dtype(x0->dtype)) {
        double dv[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < nin; i++) {
            const double *v;
            size_t n;
            if ((r = in_doubles(c, i, &v, &n)))
                return r;
            for (size_t j = 0; j < n && k < RL_SHAPE_MAX_FOLD; j++)
                dv[k++] = v[j];
        }
        return k == (size_t)od[0].v ? set_value(c, 0, NULL, dv, k) : OK;
    }
    int64_t iv[RL_SHAPE_MAX_FOLD];
    for (size_t i = 0; i < nin; i++) {
        const int64_t *v;
        size_t n;
        if ((r = in_ints(c, i, &v, &n)))
            return r;
        for (size_t j = 0; j < n && k < RL_SHAPE_MAX_FOLD; j++)
            iv[k++] = v[j];
    }
    return k == (size_t)od[0].v ? set_value(c, 0, iv, NULL, k) : OK;
}

static int op_split(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t axis;
    if ((r = norm_axis(c, rl_onnx_attr_int(c->o, "axis", 0), x->rank, &axis)))
        return r;
    size_t no = c->o->n_outputs;
    const int64_t *sp = NULL;
    size_t ns = 0;
    int present;
    if ((r = ints_attr_or_input(c, "split", 1, 13, &sp, &ns, &present)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    int64_t total = x->dims[axis].v;
    if (present) {
        if (ns != no)
            return note(c, BAD, "split has %zu sizes for %zu outputs", ns, no);
        int64_t sum = 0;
        for (size_t i = 0; i < ns; i++) {
            if (sp[i] < 0 || sp[i] > INT32_MAX)
                return note(c, BAD, "split size %lld", (long long)sp[i]);
            sum += sp[i];
        }
        if (total >= 0 && sum != total)
            return note(c, BAD, "split sizes sum to %lld, dim is %lld", (long long)sum,
                        (long long)total);
    }
    int64_t nparts = rl_onnx_attr_int(c->o, "num_outputs", (int64_t)no);
    if (nparts < 1)
        return note(c, BAD, "num_outputs %lld", (long long)nparts);
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
                return note(c, BAD, "dim %lld does not split evenly into %zu", (long long)total,
                            no);
        }
        if ((r = set_out(c, i, x->dtype, x->rank, od)))
            return r;
    }
    return OK;
}

static int op_slice(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *st, *en, *ax = NULL, *stp = NULL;
    size_t nst, nen, nax = 0, nstp = 0;
    if (c->opset < 10) {
        const rl_onnx_attr *a = rl_onnx_attr_find(c->o, "starts"),
                           *b = rl_onnx_attr_find(c->o, "ends"),
                           *d = rl_onnx_attr_find(c->o, "axes");
        if (!a || !b)
            return note(c, BAD, "no starts/ends");
        st = a->ints, nst = a->n_ints, en = b->ints, nen = b->n_ints;
        if (d)
            ax = d->ints, nax = d->n_ints;
    } else {
        if ((r = in_ints(c, 1, &st, &nst)) || (r = in_ints(c, 2, &en, &nen)))
            return r;
        if (IN(c, 3) && (r = in_ints(c, 3, &ax, &nax)))
            return r;
        if (IN(c, 4) && (r = in_ints(c, 4, &stp, &nstp)))
            return r;
    }
    if (nst != nen || (ax && nax != nst) || (stp && nstp != nst))
        return note(c, BAD, "starts, ends, axes and steps differ in length");
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    int64_t sv[RL_ONNX_MAX_RANK], ev[RL_ONNX_MAX_RANK], stv[RL_ONNX_MAX_RANK];
    int touched[RL_ONNX_MAX_RANK] = {0};
    for (int i = 0; i < x->rank; i++)
        sv[i] = 0, ev[i] = x->dims[i].v, stv[i] = 1;
    for (size_t i = 0; i < nst; i++) {
        int64_t a = ax ? ax[i] : (int64_t)i;
        if ((r = norm_axis(c, a, x->rank, &a)))
            return r;
        if (touched[a])
            return note(c, BAD, "axis %lld repeated", (long long)a);
        touched[a] = 1;
        int64_t step = stp ? stp[i] : 1;
        if (step == 0 || step == INT64_MIN)
            return note(c, BAD, "step %lld", (long long)step);
        int64_t d = x->dims[a].v;
        if (d < 0) {
            od[a] = (rl_dim){-1, NULL};
            continue;
        }
        int64_t s = st[i], e = en[i];
        if (s < 0)
            s = s < -d ? 0 : s + d;
        if (e < 0)
            e = e < -d ? (step > 0 ? 0 : -1) : e + d;
        if (step > 0) {
            s = s > d ? d : s;
            e = e > d ? d : e;
        } else {
            s = s > d - 1 ? d - 1 : s;
            e = e > d - 1 ? d - 1 : e;
        }
        int64_t len;
        if (step > 0)
            len = e > s ? (e - s - 1) / step + 1 : 0;
        else
            len = s > e ? (s - e - 1) / (-step) + 1 : 0;
        od[a] = (rl_dim){len, NULL};
        sv[a] = s, ev[a] = e, stv[a] = step;
    }
    if ((r = set_out(c, 0, x->dtype, x->rank, od)))
        return r;
    if (x->has_value && x->rank == 1 && od[0].v >= 0) {
        size_t n = (size_t)od[0].v;
        if (x->iv) {
            int64_t iv[RL_SHAPE_MAX_FOLD];
            for (size_t k = 0; k < n; k++) {
                int64_t idx = sv[0] + (int64_t)k * stv[0];
                if (idx < 0 || (size_t)idx >= x->nv)
                    return OK;
                iv[k] = x->iv[idx];
            }
            return set_value(c, 0, iv, NULL, n);
        }
        double dv[RL_SHAPE_MAX_FOLD];
        for (size_t k = 0; k < n; k++) {
            int64_t idx = sv[0] + (int64_t)k * stv[0];
            if (idx < 0 || (size_t)idx >= x->nv)
                return OK;
            dv[k] = x->dv[idx];
        }
        return set_value(c, 0, NULL, dv, n);
    }
    (void)ev;
    return OK;
}

static int op_gather(ictx *c)
{
    rl_tensor *x, *ix;
    int r;
    if ((r = need_rank(c, 0, &x)) || (r = need_rank(c, 1, &ix)))
        return r;
    if (x->rank < 1)
        return note(c, BAD, "Gather from a scalar");
    int64_t axis;
    if ((r = norm_axis(c, rl_onnx_attr_int(c->o, "axis", 0), x->rank, &axis)))
        return r;
    int ro = x->rank - 1 + ix->rank;
    if (ro > RL_ONNX_MAX_RANK)
        return note(c, BAD, "output rank too large");
    rl_dim od[RL_ONNX_MAX_RANK];
    int k = 0;
    for (int i = 0; i < axis; i++)
        od[k++] = x->dims[i];
    for (int i = 0; i < ix->rank; i++)
        od[k++] = ix->dims[i];
    for (int i = (int)axis + 1; i < x->rank; i++)
        od[k++] = x->dims[i];
    if ((r = set_out(c, 0, x->dtype, ro, od)))
        return r;
    if (x->has_value && ix->has_value && x->rank == 1 && known_shape(ix)) {
        const int64_t *iv;
        size_t n;
        if ((r = in_ints(c, 1, &iv, &n)))
            return r;
        int64_t ov[RL_SHAPE_MAX_FOLD];
        double odv[RL_SHAPE_MAX_FOLD];
        for (size_t i = 0; i < n; i++) {
            int64_t j = iv[i] < 0 ? iv[i] + (int64_t)x->nv : iv[i];
            if (j < 0 || (size_t)j >= x->nv)
                return note(c, BAD, "index %lld out of range", (long long)iv[i]);
            if (x->iv)
                ov[i] = x->iv[j];
            else
                odv[i] = x->dv[j];
        }
        return x->iv ? set_value(c, 0, ov, NULL, n) : set_value(c, 0, NULL, odv, n);
    }
    return OK;
}

static int op_like_input(ictx *c, size_t which)
{
    rl_tensor *x;
    int r = need_rank(c, which, &x);
    if (r)
        return r;
    rl_tensor *d = IN(c, 0);
    return set_like(c, 0, x, d ? d->dtype : x->dtype);
}

static int op_gather_elements(ictx *c)
{
    return op_like_input(c, 1);
}

static int op_scatter(ictx *c)
{
    return op_like_input(c, 0);
}

static int op_gather_nd(ictx *c)
{
    rl_tensor *x, *ix;
    int r;
    if ((r = need_rank(c, 0, &x)) || (r = need_rank(c, 1, &ix)))
        return r;
    int64_t b = rl_onnx_attr_int(c->o, "batch_dims", 0);
    if (ix->rank < 1)
        return note(c, BAD, "indices rank 0");
    int64_t last = ix->dims[ix->rank - 1].v;
    if (last < 0)
        return note(c, UNKNOWN, "last indices dim unknown");
    if (b < 0 || b + last > x->rank || b >= ix->rank)
        return note(c, BAD, "indices do not fit the data");
    rl_dim od[RL_ONNX_MAX_RANK];
    int k = 0;
    for (int i = 0; i < ix->rank - 1; i++)
        od[k++] = ix->dims[i];
    for (int64_t i = b + last; i < x->rank && k < RL_ONNX_MAX_RANK; i++)
        od[k++] = x->dims[i];
    return set_out(c, 0, x->dtype, k, od);
}

static int op_expand(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *v;
    size_t n;
    if ((r = in_ints(c, 1, &v, &n)))
        return r;
    rl_dim sd[RL_ONNX_MAX_RANK], od[RL_ONNX_MAX_RANK];
    if ((r = dims_from_values(c, v, n, sd)))
        return r;
    int ro;
    if ((r = broadcast2(c, x->rank, x->dims, (int)n, sd, &ro, od)))
        return r;
    return set_out(c, 0, x->dtype, ro, od);
}

static int op_tile(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const int64_t *v;
    size_t n;
    if ((r = in_ints(c, 1, &v, &n)))
        return r;
    if (n != (size_t)x->rank)
        return note(c, BAD, "%zu repeats for rank %d", n, x->rank);
    rl_dim od[RL_ONNX_MAX_RANK];
    for (int i = 0; i < x->rank; i++) {
        if (v[i] < 0)
            return note(c, BAD, "negative repeat");
        od[i] = (rl_dim){mul_dim(x->dims[i].v, v[i]), NULL};
    }
    return set_out(c, 0, x->dtype, x->rank, od);
}

static int op_range(ictx *c)
{
    const double *s, *l, *d;
    size_t n1, n2, n3;
    int r;
    rl_tensor *x0 = IN(c, 0);
    if (!x0)
        return note(c, BAD, "input 0 missing");
    if ((r = in_doubles(c, 0, &s, &n1)) || (r = in_doubles(c, 1, &l, &n2)) ||
        (r = in_doubles(c, 2, &d, &n3))) {
        if (r == UNKNOWN) {
            rl_dim od = {-1, NULL};
            int r2 = set_out(c, 0, x0->dtype, 1, &od);
            return r2 ? r2 : UNKNOWN;
        }
        return r;
    }
    if (n1 != 1 || n2 != 1 || n3 != 1 || d[0] == 0)
        return note(c, BAD, "Range needs scalar start, limit and a non-zero delta");
    double cnt = ceil((l[0] - s[0]) / d[0]);
    if (!(cnt >= 0))
        cnt = 0;
    if (cnt > 1e15)
        return note(c, BAD, "Range of %g elements", cnt);
    rl_dim od = {(int64_t)cnt, NULL};
    if ((r = set_out(c, 0, x0->dtype, 1, &od)))
        return r;
    if (cnt > RL_SHAPE_MAX_FOLD)
        return OK;
    if (is_float_dtype(x0->dtype)) {
        double dv[RL_SHAPE_MAX_FOLD];
        for (int64_t i = 0; i < od.v; i++)
            dv[i] = s[0] + (double)i * d[0];
        return set_value(c, 0, NULL, dv, (size_t)od.v);
    }
    int64_t iv[RL_SHAPE_MAX_FOLD];
    for (int64_t i = 0; i < od.v; i++) {
        double v = s[0] + (double)i * d[0];
        if (!(fabs(v) < 9e18))
            return OK;
        iv[i] = (int64_t)v;
    }
    return set_value(c, 0, iv, NULL, (size_t)od.v);
}

static int op_pad(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
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
            return note(c, BAD, "no pads");
    }
    if (pa) {
        p = pa->ints;
        n = pa->n_ints;
    } else if ((r = in_ints(c, 1, &p, &n)))
        return r;
    const int64_t *ax = NULL;
    size_t nax = 0;
    if (c->opset >= 18 && IN(c, 3) && (r = in_ints(c, 3, &ax, &nax)))
        return r;
    int64_t axes[RL_ONNX_MAX_RANK];
    if (!ax) {
        nax = (size_t)x->rank;
        for (int i = 0; i < x->rank; i++)
            axes[i] = i;
    } else {
        if (nax > RL_ONNX_MAX_RANK)
            return note(c, BAD, "too many axes");
        for (size_t i = 0; i < nax; i++)
            if ((r = norm_axis(c, ax[i], x->rank, &axes[i])))
                return r;
    }
    if (n != 2 * nax)
        return note(c, BAD, "%zu pads for %zu axes", n, nax);
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    for (size_t i = 0; i < nax; i++) {
        int64_t a = axes[i];
        if (od[a].v < 0)
            continue;
        if (p[i] < -INT32_MAX || p[i] > INT32_MAX || p[nax + i] < -INT32_MAX ||
            p[nax + i] > INT32_MAX)
            return note(c, BAD, "pad out of range");
        if (od[a].v > INT64_MAX / 2)
            return note(c, BAD, "dimension too large");
        int64_t v = od[a].v + p[i] + p[nax + i];
        if (v < 0)
            return note(c, BAD, "negative size after padding");
        od[a] = (rl_dim){v, NULL};
    }
    return set_out(c, 0, x->dtype, x->rank, od);
}

static int op_resize(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    const char *op = c->o->op_type;
    const double *sc = NULL;
    size_t ns = 0;
    size_t scales_in = 2, sizes_in = 3;
    if (!strcmp(op, "Upsample") || c->opset < 11)
        scales_in = 1, sizes_in = SIZE_MAX;
    const rl_onnx_attr *sa = rl_onnx_attr_find(c->o, "scales");
    double tmp[RL_ONNX_MAX_RANK];
    if (sa && sa->type == RL_AT_FLOATS) {
        ns = sa->n_floats;
        if (ns > RL_ONNX_MAX_RANK)
            return note(c, BAD, "too many scales");
        for (size_t i = 0; i < ns; i++)
            tmp[i] = sa->floats[i];
        sc = tmp;
    }
    rl_tensor *sizes = sizes_in != SIZE_MAX ? IN(c, sizes_in) : NULL;
    if (sizes && sizes->rank == 1 && sizes->dims[0].v == 0)
        sizes = NULL;
    rl_tensor *scales = IN(c, scales_in);
    if (scales && scales->rank == 1 && scales->dims[0].v == 0)
        scales = NULL;
    const rl_onnx_attr *axa = rl_onnx_attr_find(c->o, "axes");
    int64_t axes[RL_ONNX_MAX_RANK];
    size_t nax = (size_t)x->rank;
    for (int i = 0; i < x->rank; i++)
        axes[i] = i;
    if (axa) {
        if (axa->n_ints > (size_t)x->rank)
            return note(c, BAD, "too many axes");
        nax = axa->n_ints;
        for (size_t i = 0; i < nax; i++)
            if ((r = norm_axis(c, axa->ints[i], x->rank, &axes[i])))
                return r;
    }
    const char *policy = rl_onnx_attr_string(c->o, "keep_aspect_ratio_policy", "stretch");
    if (sizes) {
        const int64_t *v;
        size_t n;
        if ((r = in_ints(c, sizes_in, &v, &n)))
            return r;
        if (n != nax)
            return note(c, BAD, "%zu sizes for %zu axes", n, nax);
        if (strcmp(policy, "stretch") != 0) {
            double scale = strcmp(policy, "not_larger") == 0 ? 1e300 : 0;
            for (size_t i = 0; i < nax; i++) {
                if (x->dims[axes[i]].v <= 0)
                    return note(c, UNKNOWN, "input dim unknown");
                double s = (double)v[i] / (double)x->dims[axes[i]].v;
                scale = policy[4] == 'l' ? (s < scale ? s : scale) : (s > scale ? s : scale);
            }
            for (size_t i = 0; i < nax; i++)
                od[axes[i]] =
                    (rl_dim){dbl_to_dim(floor((double)x->dims[axes[i]].v * scale + 0.5)), NULL};
            return set_out(c, 0, x->dtype, x->rank, od);
        }
        for (size_t i = 0; i < nax; i++) {
            if (v[i] < 0)
                return note(c, BAD, "negative size");
            od[axes[i]] = (rl_dim){v[i], NULL};
        }
        return set_out(c, 0, x->dtype, x->rank, od);
    }
    if (!sc) {
        if (!scales)
            return note(c, BAD, "neither scales nor sizes");
        if ((r = in_doubles(c, scales_in, &sc, &ns)))
            return r;
    }
    if (ns != nax)
        return note(c, BAD, "%zu scales for %zu axes", ns, nax);
    for (size_t i = 0; i < nax; i++) {
        int64_t d = x->dims[axes[i]].v;
        if (!(sc[i] > 0) || sc[i] > 1e9)
            return note(c, BAD, "scale %g", sc[i]);
        od[axes[i]] = (rl_dim){d < 0 ? -1 : dbl_to_dim(floor((double)d * sc[i] + 1e-9)), NULL};
        if (d >= 0 && !strcmp(op, "Resize") && c->opset >= 11)
            od[axes[i]].v = dbl_to_dim(floor((double)d * sc[i]));
    }
    return set_out(c, 0, x->dtype, x->rank, od);
}

static int op_reduce(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const char *op = c->o->op_type;
    int64_t since = !strcmp(op, "ReduceSum") ? 13 : 18;
    const int64_t *axes = NULL;
    size_t na = 0;
    int present;
    if ((r = ints_attr_or_input(c, "axes", 1, since, &axes, &na, &present)))
        return r;
    int keep = rl_onnx_attr_int(c->o, "keepdims", 1) != 0;
    int noop = rl_onnx_attr_int(c->o, "noop_with_empty_axes", 0) != 0;
    int red[RL_ONNX_MAX_RANK] = {0};
    if (!present || na == 0) {
        if (noop)
            return set_like(c, 0, x, x->dtype);
        for (int i = 0; i < x->rank; i++)
            red[i] = 1;
    }
    for (size_t i = 0; i < na; i++) {
        int64_t a;
        if ((r = norm_axis(c, axes[i], x->rank, &a)))
            return r;
        red[a] = 1;
    }
    rl_dim od[RL_ONNX_MAX_RANK];
    int ro = 0;
    for (int i = 0; i < x->rank; i++) {
        if (!red[i])
            od[ro++] = x->dims[i];
        else if (keep)
            od[ro++] = (rl_dim){1, NULL};
    }
    return set_out(c, 0, x->dtype, ro, od);
}

static int op_argmax(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t axis;
    if ((r = norm_axis(c, rl_onnx_attr_int(c->o, "axis", 0), x->rank, &axis)))
        return r;
    int keep = rl_onnx_attr_int(c->o, "keepdims", 1) != 0;
    rl_dim od[RL_ONNX_MAX_RANK];
    int ro = 0;
    for (int i = 0; i < x->rank; i++) {
        if (i != axis)
            od[ro++] = x->dims[i];
        else if (keep)
            od[ro++] = (rl_dim){1, NULL};
    }
    return set_out(c, 0, RL_DT_INT64, ro, od);
}

static int op_topk(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    int64_t axis, k;
    if ((r = norm_axis(c, rl_onnx_attr_int(c->o, "axis", -1), x->rank, &axis)))
        return r;
    if (c->opset < 10)
        k = rl_onnx_attr_int(c->o, "k", -1);
    else {
        const int64_t *v;
        size_t n;
        if ((r = in_ints(c, 1, &v, &n)))
            return r;
        if (n != 1)
            return note(c, BAD, "K must have one value");
        k = v[0];
    }
    if (k < 0)
        return note(c, BAD, "K %lld", (long long)k);
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
    od[axis] = (rl_dim){k, NULL};
    if ((r = set_out(c, 0, x->dtype, x->rank, od)))
        return r;
    return set_out(c, 1, RL_DT_INT64, x->rank, od);
}

static int op_depth_space(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    if (x->rank != 4)
        return note(c, BAD, "rank %d, expected 4", x->rank);
    int64_t b = rl_onnx_attr_int(c->o, "blocksize", 0);
    if (b < 1 || b > INT32_MAX)
        return note(c, BAD, "blocksize %lld", (long long)b);
    rl_dim od[4] = {x->dims[0], {-1, NULL}, {-1, NULL}, {-1, NULL}};
    int d2s = !strcmp(c->o->op_type, "DepthToSpace");
    if (x->dims[1].v >= 0)
        od[1].v = d2s ? x->dims[1].v / mul_dim(b, b) : mul_dim(x->dims[1].v, mul_dim(b, b));
    for (int i = 2; i < 4; i++)
        if (x->dims[i].v >= 0)
            od[i].v = d2s ? mul_dim(x->dims[i].v, b) : x->dims[i].v / b;
    return set_out(c, 0, x->dtype, 4, od);
}

static int op_onehot(ictx *c)
{
    rl_tensor *ix, *vals;
    int r;
    if ((r = need_rank(c, 0, &ix)) || (r = need_rank(c, 2, &vals)))
        return r;
    const double *dv;
    size_t n;
    if ((r = in_doubles(c, 1, &dv, &n)))
        return r;
    if (n != 1 || !(dv[0] >= 0) || dv[0] > 1e12)
        return note(c, BAD, "depth must be one non-negative value");
    int ro = ix->rank + 1;
    if (ro > RL_ONNX_MAX_RANK)
        return note(c, BAD, "rank too large");
    int64_t axis;
    if ((r = norm_axis(c, rl_onnx_attr_int(c->o, "axis", -1), ro, &axis)))
        return r;
    rl_dim od[RL_ONNX_MAX_RANK];
    int k = 0;
    for (int i = 0; i < ro; i++)
        od[i] = i == axis ? (rl_dim){(int64_t)dv[0], NULL} : ix->dims[k++];
    return set_out(c, 0, vals->dtype, ro, od);
}

static int op_data_dependent(ictx *c)
{
    rl_tensor *x = IN(c, 0);
    const char *op = c->o->op_type;
    rl_dim od[2] = {{-1, NULL}, {-1, NULL}};
    int r;
    if (!strcmp(op, "NonZero")) {
        if (!x || x->rank < 0)
            return note(c, UNKNOWN, "input shape unknown");
        od[0] = (rl_dim){x->rank, NULL};
        r = set_out(c, 0, RL_DT_INT64, 2, od);
    } else { /* NonMaxSuppression */
        od[1] = (rl_dim){3, NULL};
        r = set_out(c, 0, RL_DT_INT64, 2, od);
    }
    return r ? r : note(c, UNKNOWN, "output size depends on the data");
}

static int op_random(ictx *c)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, "shape");
    if (!a)
        return note(c, BAD, "no shape");
    rl_dim od[RL_ONNX_MAX_RANK];
    int r = dims_from_values(c, a->ints, a->n_ints, od);
    if (r)
        return r;
    return set_out(c, 0, (int32_t)rl_onnx_attr_int(c->o, "dtype", RL_DT_FLOAT), (int)a->n_ints, od);
}

static int op_random_like(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    return set_like(c, 0, x, (int32_t)rl_onnx_attr_int(c->o, "dtype", x->dtype));
}

static int op_quant(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    int32_t dt;
    if (!strcmp(c->o->op_type, "DequantizeLinear")) {
        rl_tensor *s = IN(c, 1);
        dt = s ? s->dtype : RL_DT_FLOAT;
    } else {
        rl_tensor *zp = IN(c, 2);
        dt = zp ? zp->dtype : RL_DT_UINT8;
    }
    return set_like(c, 0, x, dt);
}

static int op_einsum(ictx *c)
{
    const char *eq = rl_onnx_attr_string(c->o, "equation", NULL);
    if (!eq)
        return note(c, BAD, "no equation");
    const char *arrow = strstr(eq, "->");
    const char *end = arrow ? arrow : eq + strlen(eq);
    int64_t letter[128];
    int count[128] = {0};
    for (int i = 0; i < 128; i++)
        letter[i] = -2;
    size_t in = 0;
    int pos = 0;
    rl_tensor *x = NULL;
    for (const char *p = eq; p < end; p++) {
        if (*p == ',' || p == eq) {
            if (*p == ',')
                in++;
            int r = need_rank(c, in, &x);
            if (r)
                return r;
            pos = 0;
            if (*p == ',')
                continue;
        }
        if (*p == ' ')
            continue;
        if (*p == '.')
            return note(c, UNKNOWN, "Einsum ellipsis not inferred");
        unsigned char ch = (unsigned char)*p;
        if (ch >= 128 || pos >= x->rank)
            return note(c, BAD, "equation does not match input %zu", in);
        int64_t d = x->dims[pos++].v;
        if (letter[ch] < 0 || letter[ch] == 1)
            letter[ch] = d;
        count[ch]++;
    }
    rl_dim od[RL_ONNX_MAX_RANK];
    int ro = 0;
    if (!arrow) { /* implicit output: the letters used once, in alphabetical order */
        for (int ch = 0; ch < 128; ch++)
            if (count[ch] == 1) {
                if (ro >= RL_ONNX_MAX_RANK)
                    return note(c, BAD, "output rank too large");
                od[ro++] = (rl_dim){letter[ch], NULL};
            }
        rl_tensor *x0 = IN(c, 0);
        return set_out(c, 0, x0 ? x0->dtype : RL_DT_FLOAT, ro, od);
    }
    for (const char *p = arrow + 2; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == ' ')
            continue;
        if (ch >= 128 || letter[ch] == -2 || ro >= RL_ONNX_MAX_RANK)
            return note(c, BAD, "bad output subscript");
        od[ro++] = (rl_dim){letter[ch], NULL};
    }
    rl_tensor *x0 = IN(c, 0);
    return set_out(c, 0, x0 ? x0->dtype : RL_DT_FLOAT, ro, od);
}

/* ---------------------------------------------------------------- recurrent, losses, misc */

/* RNN, GRU, LSTM: X [seq, batch, input] (layout 0) or [batch, seq, input] (layout 1) */
static int op_rnn(ictx *c)
{
    rl_tensor *x, *w;
    int r;
    if ((r = need_rank(c, 0, &x)) || (r = need_rank(c, 1, &w)))
        return r;
    if (x->rank != 3 || w->rank != 3)
        return note(c, BAD, "X rank %d, W rank %d, expected 3", x->rank, w->rank);
    int64_t hidden = rl_onnx_attr_int(c->o, "hidden_size", -1);
    if (hidden < 0) {
        const char *op = c->o->op_type;
        int gates = !strcmp(op, "LSTM") ? 4 : !strcmp(op, "GRU") ? 3 : 1;
        hidden = w->dims[1].v >= 0 ? w->dims[1].v / gates : -1;
    }
    int layout = (int)rl_onnx_attr_int(c->o, "layout", 0);
    const char *dir = rl_onnx_attr_string(c->o, "direction", "forward");
    rl_dim nd = {strcmp(dir, "bidirectional") ? 1 : 2, NULL};
    rl_dim seq = x->dims[layout ? 1 : 0], batch = x->dims[layout ? 0 : 1], h = {hidden, NULL};
    rl_dim y[4], yh[3];
    if (layout) {
        y[0] = batch, y[1] = seq, y[2] = nd, y[3] = h;
        yh[0] = batch, yh[1] = nd, yh[2] = h;
    } else {
        y[0] = seq, y[1] = nd, y[2] = batch, y[3] = h;
        yh[0] = nd, yh[1] = batch, yh[2] = h;
    }
    if ((r = set_out(c, 0, x->dtype, 4, y)) || (r = set_out(c, 1, x->dtype, 3, yh)) ||
        (r = set_out(c, 2, x->dtype, 3, yh)))
        return r;
    return OK;
}

static int op_loss(ictx *c)
{
    rl_tensor *x, *t;
    int r;
    if ((r = need_rank(c, 0, &x)) || (r = need_rank(c, 1, &t)))
        return r;
    const char *red = rl_onnx_attr_string(c->o, "reduction", "mean");
    if (!strcmp(red, "none"))
        r = set_like(c, 0, t, x->dtype);
    else
        r = set_out(c, 0, x->dtype, 0, NULL);
    if (r)
        return r;
    if (!strcmp(c->o->op_type, "SoftmaxCrossEntropyLoss") && c->o->n_outputs > 1)
        return set_like(c, 1, x, x->dtype);
    return OK;
}

static int op_grid_sample(ictx *c)
{
    rl_tensor *x, *grid;
    int r;
    if ((r = need_rank(c, 0, &x)) || (r = need_rank(c, 1, &grid)))
        return r;
    if (x->rank < 3 || grid->rank != x->rank)
        return note(c, BAD, "X rank %d, grid rank %d", x->rank, grid->rank);
    rl_dim od[RL_ONNX_MAX_RANK];
    od[0] = x->dims[0];
    od[1] = x->dims[1];
    for (int i = 2; i < x->rank; i++)
        od[i] = grid->dims[i - 1];
    return set_out(c, 0, x->dtype, x->rank, od);
}

static int op_dynamic_quant(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    if ((r = set_like(c, 0, x, RL_DT_UINT8)) || (r = set_out(c, 1, RL_DT_FLOAT, 0, NULL)))
        return r;
    return set_out(c, 2, RL_DT_UINT8, 0, NULL);
}

static int op_det(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    if (x->rank < 2)
        return note(c, BAD, "rank %d", x->rank);
    return set_out(c, 0, x->dtype, x->rank - 2, x->dims);
}

static int op_roi_align(ictx *c)
{
    rl_tensor *x, *rois;
    int r;
    if ((r = need_rank(c, 0, &x)) || (r = need_rank(c, 1, &rois)))
        return r;
    if (x->rank != 4 || rois->rank != 2)
        return note(c, BAD, "X rank %d, rois rank %d", x->rank, rois->rank);
    rl_dim od[4] = {rois->dims[0],
                    x->dims[1],
                    {rl_onnx_attr_int(c->o, "output_height", 1), NULL},
                    {rl_onnx_attr_int(c->o, "output_width", 1), NULL}};
    return set_out(c, 0, x->dtype, 4, od);
}

static int op_max_unpool(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    if (x->rank < 3)
        return note(c, BAD, "rank %d", x->rank);
    rl_dim od[RL_ONNX_MAX_RANK];
    if (IN(c, 2)) {
        const int64_t *v;
        size_t n;
        if ((r = in_ints(c, 2, &v, &n)))
            return r;
        if (n != (size_t)x->rank)
            return note(c, BAD, "output_shape of %zu values", n);
        if ((r = dims_from_values(c, v, n, od)))
            return r;
        return set_out(c, 0, x->dtype, x->rank, od);
    }
    int ns = x->rank - 2;
    int64_t k[RL_ONNX_MAX_RANK], s[RL_ONNX_MAX_RANK], p[2 * RL_ONNX_MAX_RANK];
    if ((r = get_spatial(c, "kernel_shape", ns, -1, k)) ||
        (r = get_spatial(c, "strides", ns, 1, s)) || (r = get_pads(c, ns, p)))
        return r;
    od[0] = x->dims[0];
    od[1] = x->dims[1];
    for (int i = 0; i < ns; i++) {
        int64_t in = x->dims[2 + i].v;
        if (k[i] < 1 || s[i] < 1 || k[i] > INT32_MAX || s[i] > INT32_MAX || in > INT32_MAX)
            return note(c, BAD, "bad kernel or stride");
        int64_t v = in < 0 ? -1 : (in - 1) * s[i] + k[i] - p[i] - p[ns + i];
        if (in >= 0 && v < 0)
            return note(c, BAD, "negative output size");
        od[2 + i] = (rl_dim){v, NULL};
    }
    return set_out(c, 0, x->dtype, x->rank, od);
}

static int op_window(ictx *c)
{
    const int64_t *v;
    size_t n;
    int r = in_ints(c, 0, &v, &n);
    if (r)
        return r;
    if (n != 1 || v[0] < 0)
        return note(c, BAD, "size must be one non-negative value");
    rl_dim od = {v[0], NULL};
    return set_out(c, 0, (int32_t)rl_onnx_attr_int(c->o, "output_datatype", RL_DT_FLOAT), 1, &od);
}

static int op_data_dependent_1d(ictx *c)
{
    rl_tensor *x;
    int r = need_rank(c, 0, &x);
    if (r)
        return r;
    const char *op = c->o->op_type;
    rl_dim od[RL_ONNX_MAX_RANK];
    int has_axis = rl_onnx_attr_find(c->o, "axis") != NULL;
    int64_t axis = 0;
    if (has_axis && (r = norm_axis(c, rl_onnx_attr_int(c->o, "axis", 0), x->rank, &axis)))
        return r;
    if (has_axis) {
        memcpy(od, x->dims, (size_t)x->rank * sizeof(rl_dim));
        od[axis] = (rl_dim){-1, NULL};
        r = set_out(c, 0, x->dtype, x->rank, od);
    } else {
        od[0] = (rl_dim){-1, NULL};
        r = set_out(c, 0, x->dtype, 1, od);
    }
    if (!r && !strcmp(op, "Unique"))
        for (size_t k = 1; k < c->o->n_outputs && !r; k++)
            r = set_out(c, k, RL_DT_INT64, 1, od + (has_axis ? axis : 0));
    return r ? r : note(c, UNKNOWN, "output size depends on the data");
}

/* ---------------------------------------------------------------- the op table */

typedef int (*op_fn)(ictx *c);

static const struct {
    const char *op;
    op_fn fn;
} ops[] = {
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
    {"Bernoulli", op_random_like},
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
    {"Conv", op_conv},
    {"ConvInteger", op_conv_integer},
    {"QLinearConv", op_qlinear_conv},
    {"ConvTranspose", op_conv_transpose},
    {"MaxPool", op_pool},
    {"AveragePool", op_pool},
    {"LpPool", op_pool},
    {"GlobalAveragePool", op_global_pool},
    {"GlobalMaxPool", op_global_pool},
    {"GlobalLpPool", op_global_pool},
    {"Gemm", op_gemm},
    {"MatMul", op_matmul},
    {"MatMulInteger", op_matmul},
    {"QLinearMatMul", op_qlinear_matmul},
    {"BatchNormalization", op_norm},
    {"InstanceNormalization", op_norm},
    {"LayerNormalization", op_norm},
    {"GroupNormalization", op_norm},
    {"Dropout", op_norm},
    {"Cast", op_cast},
    {"CastLike", op_cast},
    {"Shape", op_shape},
    {"Size", op_size},
    {"Constant", op_constant},
    {"ConstantOfShape", op_constant_of_shape},
    {"Reshape", op_reshape},
    {"Flatten", op_flatten},
    {"Squeeze", op_squeeze},
    {"Unsqueeze", op_unsqueeze},
    {"Transpose", op_transpose},
    {"Concat", op_concat},
    {"Split", op_split},
    {"Slice", op_slice},
    {"Gather", op_gather},
    {"GatherElements", op_gather_elements},
    {"GatherND", op_gather_nd},
    {"ScatterElements", op_scatter},
    {"ScatterND", op_scatter},
    {"Scatter", op_scatter},
    {"Expand", op_expand},
    {"Tile", op_tile},
    {"Range", op_range},
    {"Pad", op_pad},
    {"Resize", op_resize},
    {"Upsample", op_resize},
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
    {"DepthToSpace", op_depth_space},
    {"SpaceToDepth", op_depth_space},
    {"OneHot", op_onehot},
    {"NonZero", op_data_dependent},
    {"NonMaxSuppression", op_data_dependent},
    {"RandomNormal", op_random},
    {"RandomUniform", op_random},
    {"RandomNormalLike", op_random_like},
    {"RandomUniformLike", op_random_like},
    {"RNN", op_rnn},
    {"GRU", op_rnn},
    {"LSTM", op_rnn},
    {"NegativeLogLikelihoodLoss", op_loss},
    {"SoftmaxCrossEntropyLoss", op_loss},
    {"GridSample", op_grid_sample},
    {"DynamicQuantizeLinear", op_dynamic_quant},
    {"Det", op_det},
    {"RoiAlign", op_roi_align},
    {"MaxUnpool", op_max_unpool},
    {"HannWindow", op_window},
    {"HammingWindow", op_window},
    {"BlackmanWindow", op_window},
    {"Compress", op_data_dependent_1d},
    {"Unique", op_data_dependent_1d},
    {"QuantizeLinear", op_quant},
    {"DequantizeLinear", op_quant},
    {"Einsum", op_einsum},
};

static op_fn find_op(const char *op)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(ops[i].op, op))
            return ops[i].fn;
    return NULL;
}

int rl_shape_op_supported(const char *op_type)
{
    return find_op(op_type) != NULL;
}

/* ---------------------------------------------------------------- the graph */

static int add_unsupported(rl_graph *g, const char *op, size_t cap)
{
    for (size_t i = 0; i < g->n_unsupported; i++)
        if (!strcmp(g->unsupported[i].op, op)) {
            g->unsupported[i].count++;
            return 0;
        }
    if (g->n_unsupported >= cap)
        return 0;
    g->unsupported[g->n_unsupported++] = (rl_op_count){op, 1};
    return 0;
}

static int add_unknown_dim(rl_graph *g, const char *what, size_t cap)
{
    for (size_t i = 0; i < g->n_unknown_dims; i++)
        if (!strcmp(g->unknown_dims[i], what))
            return 0;
    if (g->n_unknown_dims >= cap)
        return 0;
    char *s = rl_arena_strdup(g->a, what);
    if (!s)
        return -1;
    g->unknown_dims[g->n_unknown_dims++] = s;
    return 0;
}

static int init_tensor_from_onnx(rl_graph *g, rl_tensor *t, const rl_onnx_tensor *o)
{
    t->kind = RL_T_INIT;
    t->init = o;
    t->dtype = o->dtype;
    t->rank = o->ndims;
    t->dims = rl_arena_array(g->a, o->ndims ? (size_t)o->ndims : 1, sizeof(rl_dim));
    if (!t->dims)
        return -1;
    for (int i = 0; i < o->ndims; i++)
        t->dims[i] = (rl_dim){o->dims[i], NULL};
    if (o->elems <= RL_SHAPE_MAX_FOLD && o->dtype != RL_DT_STRING &&
        (o->location == RL_DATA_RAW || o->location == RL_DATA_TYPED)) {
        int64_t *iv = rl_arena_array(g->a, o->elems ? o->elems : 1, sizeof(int64_t));
        double *dv = rl_arena_array(g->a, o->elems ? o->elems : 1, sizeof(double));
        if (!iv || !dv)
            return -1;
        long n = rl_onnx_tensor_values(o, iv, dv, RL_SHAPE_MAX_FOLD, NULL);
        if (n >= 0) {
            t->has_value = 1;
            t->nv = (size_t)n;
            if (is_float_dtype(o->dtype))
                t->dv = dv;
            else
                t->iv = iv;
        }
    }
    return 0;
}

void rl_graph_free(rl_graph *g)
{
    if (!g)
        return;
    rl_arena_free(g->a);
}

int rl_shape_infer(const rl_onnx_model *m, rl_shape_opts *opts, rl_graph **out, rl_err *err)
{
    *out = NULL;
    rl_arena *a = rl_arena_new();
    rl_graph *g = a ? rl_arena_alloc(a, sizeof *g) : NULL;
    if (!g) {
        rl_arena_free(a);
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    }
    g->a = a;
    g->model = m;

    /* upper bound on tensors: every name that can appear */
    size_t cap = m->n_inputs + m->n_inits + 1;
    for (size_t i = 0; i < m->n_nodes; i++)
        cap += m->nodes[i].n_inputs + m->nodes[i].n_outputs;
    g->hash_cap = 16;
    while (g->hash_cap < 2 * cap)
        g->hash_cap *= 2;
    g->t = rl_arena_array(a, cap, sizeof(rl_tensor));
    g->hash = rl_arena_array(a, g->hash_cap, sizeof(size_t));
    g->nodes = rl_arena_array(a, m->n_nodes ? m->n_nodes : 1, sizeof(rl_node));
    g->unsupported = rl_arena_array(a, m->n_nodes + 1, sizeof(rl_op_count));
    size_t ud_cap = 256;
    g->unknown_dims = rl_arena_array(a, ud_cap, sizeof(char *));
    if (!g->t || !g->hash || !g->nodes || !g->unsupported || !g->unknown_dims)
        goto oom;
    g->n_nodes = m->n_nodes;

    int added;
    /* initializers */
    for (size_t i = 0; i < m->n_inits; i++) {
        size_t k = tensor_get(g, m->inits[i].name, cap, &added);
        if (k == SIZE_MAX)
            goto oom;
        if (init_tensor_from_onnx(g, &g->t[k], &m->inits[i]) != 0)
            goto oom;
    }
    /* graph inputs (an input that is also an initializer keeps the initializer: IR < 4 style) */
    for (size_t i = 0; i < m->n_inputs; i++) {
        const rl_onnx_value_info *vi = &m->inputs[i];
        size_t k = tensor_get(g, vi->name, cap, &added);
        if (k == SIZE_MAX)
            goto oom;
        rl_tensor *t = &g->t[k];
        if (t->kind == RL_T_INIT)
            continue;
        t->kind = RL_T_INPUT;
        t->dtype = vi->dtype;
        rl_shape_input_opt *io = NULL;
        for (size_t j = 0; opts && j < opts->n_inputs; j++)
            if (!strcmp(opts->inputs[j].name, vi->name))
                io = &opts->inputs[j];
        if (io && io->value) {
            io->used = 1;
            if (init_tensor_from_onnx(g, t, io->value) != 0)
                goto oom;
            t->kind = RL_T_INPUT;
            t->init = NULL;
            continue;
        }
        int rank = io ? io->rank : vi->rank;
        if (rank < 0)
            continue;
        if (io && vi->rank >= 0 && io->rank != vi->rank) {
            rl_err_set(err, RL_EXIT_USAGE, "--input: '%s' has rank %d in the model, %d given",
                       vi->name, vi->rank, io->rank);
            goto fail;
        }
        t->rank = rank;
        t->dims = rl_arena_array(a, rank ? (size_t)rank : 1, sizeof(rl_dim));
        if (!t->dims)
            goto oom;
        for (int d = 0; d < rank; d++) {
            rl_dim dim = {-1, NULL};
            if (io) {
                io->used = 1;
                dim.v = io->dims[d];
            } else {
                dim = (rl_dim){vi->dims[d].value, vi->dims[d].param};
                if (dim.v < 0 && dim.sym)
                    for (size_t j = 0; opts && j < opts->n_dims; j++)
                        if (!strcmp(opts->dims[j].name, dim.sym)) {
                            dim.v = opts->dims[j].value;
                            opts->dims[j].used = 1;
                        }
            }
            if (dim.v < 0) {
                char what[256];
                snprintf(what, sizeof what, "input '%.80s' dim %d%s%.80s%s", vi->name, d,
                         dim.sym ? " '" : "", dim.sym ? dim.sym : "", dim.sym ? "'" : "");
                if (add_unknown_dim(g, what, ud_cap) != 0)
                    goto oom;
            }
            t->dims[d] = dim;
        }
    }
    for (size_t j = 0; opts && j < opts->n_inputs; j++)
        if (!opts->inputs[j].used) {
            rl_err_set(err, RL_EXIT_USAGE, "--input: the model has no input '%s'",
                       opts->inputs[j].name);
            goto fail;
        }

    /* nodes, in the file's order (ONNX requires topological order) */
    for (size_t i = 0; i < m->n_nodes; i++) {
        const rl_onnx_node *o = &m->nodes[i];
        rl_node *n = &g->nodes[i];
        n->src = o;
        n->measured_s = -1;
        n->in = rl_arena_array(a, o->n_inputs ? o->n_inputs : 1, sizeof(size_t));
        n->out = rl_arena_array(a, o->n_outputs ? o->n_outputs : 1, sizeof(size_t));
        if (!n->in || !n->out)
            goto oom;
        int missing_input = 0;
        for (size_t k = 0; k < o->n_inputs; k++) {
            if (!o->inputs[k][0]) {
                n->in[k] = SIZE_MAX;
                continue;
            }
            n->in[k] = tensor_get(g, o->inputs[k], cap, &added);
            if (n->in[k] == SIZE_MAX)
                goto oom;
            g->t[n->in[k]].last_use = (long)i;
            if (g->t[n->in[k]].kind == RL_T_MISSING)
                missing_input = 1;
        }
        for (size_t k = 0; k < o->n_outputs; k++) {
            if (!o->outputs[k][0]) {
                n->out[k] = SIZE_MAX;
                continue;
            }
            n->out[k] = tensor_get(g, o->outputs[k], cap, &added);
            if (n->out[k] == SIZE_MAX)
                goto oom;
            rl_tensor *t = &g->t[n->out[k]];
            if (!added && t->kind != RL_T_MISSING) {
                n->status = RL_NODE_ERROR;
                n->note = "output name already defined";
                n->out[k] = SIZE_MAX;
                continue;
            }
            t->kind = RL_T_ACT;
            t->producer = (long)i;
        }
        if (n->status == RL_NODE_ERROR) {
            g->n_unknown_nodes++;
            continue;
        }
        ictx c = {.g = g, .n = n, .o = o, .opset = m->opset ? m->opset : 1};
        c.note[0] = '\0';
        int r;
        op_fn fn =
            (o->domain[0] == '\0' || !strcmp(o->domain, "ai.onnx")) ? find_op(o->op_type) : NULL;
        if (!fn) {
            n->status = RL_NODE_UNSUPPORTED;
            add_unsupported(g, o->op_type, m->n_nodes + 1);
            g->n_unknown_nodes++;
            continue;
        }
        if (missing_input) {
            r = note(&c, BAD, "an input is produced by no earlier node");
        } else {
            r = fn(&c);
        }
        if (r == FATAL)
            goto oom;
        if (r == OK) {
            /* an output left without a shape (optional outputs of multi-output ops) */
            for (size_t k = 0; k < o->n_outputs; k++) {
                rl_tensor *t = OUT(&c, k);
                if (t && t->rank < 0 && k == 0)
                    r = note(&c, UNKNOWN, "output shape not inferred");
            }
        }
        if (r != OK) {
            n->status = r == BAD ? RL_NODE_ERROR : RL_NODE_UNKNOWN;
            n->note = rl_arena_strdup(a, c.note);
            if (!n->note)
                goto oom;
            g->n_unknown_nodes++;
            continue;
        }
        int all_known = 1, folded = o->n_outputs > 0;
        for (size_t k = 0; k < o->n_outputs; k++) {
            rl_tensor *t = OUT(&c, k);
            if (!t)
                continue;
            if (!known_shape(t))
                all_known = 0;
            if (!t->has_value)
                folded = 0;
        }
        n->folded = folded;
        if (!all_known) {
            n->status = RL_NODE_UNKNOWN;
            n->note = "some output dims unknown";
            g->n_unknown_nodes++;
        }
    }
    for (size_t i = 0; i < m->n_outputs; i++) {
        rl_tensor *t = rl_graph_find(g, m->outputs[i].name);
        if (t)
            t->graph_output = 1;
    }
    *out = g;
    return 0;
oom:
    rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", m->file);
fail:
    rl_arena_free(a);
    return -1;
}
