/* shape_conv.c: shape rules for the spatial ops: Conv, ConvInteger, QLinearConv, ConvTranspose,
 * MaxPool, AveragePool, LpPool, the global pools, MaxUnpool, RoiAlign, GridSample, DepthToSpace,
 * SpaceToDepth, Resize and Upsample. */
#include "model/shape_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

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

static int get_spatial(rl_shape_ctx *c, const char *name, int ns, int64_t dflt, int64_t *out)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, name);
    for (int i = 0; i < ns; i++)
        out[i] = dflt;
    if (!a)
        return RL_SHAPE_OK;
    if (a->n_ints != (size_t)ns)
        return rl_shape_note(c, RL_SHAPE_BAD, "attribute '%s' has %zu values, expected %d", name,
                             a->n_ints, ns);
    for (int i = 0; i < ns; i++)
        out[i] = a->ints[i];
    return RL_SHAPE_OK;
}

static int get_pads(rl_shape_ctx *c, int ns, int64_t *pads)
{
    const rl_onnx_attr *a = rl_onnx_attr_find(c->o, "pads");
    for (int i = 0; i < 2 * ns; i++)
        pads[i] = 0;
    if (!a)
        return RL_SHAPE_OK;
    if (a->n_ints != (size_t)(2 * ns))
        return rl_shape_note(c, RL_SHAPE_BAD, "attribute 'pads' has %zu values, expected %d",
                             a->n_ints, 2 * ns);
    for (int i = 0; i < 2 * ns; i++) {
        if (a->ints[i] < 0 || a->ints[i] > INT32_MAX)
            return rl_shape_note(c, RL_SHAPE_BAD, "pad %lld out of range", (long long)a->ints[i]);
        pads[i] = a->ints[i];
    }
    return RL_SHAPE_OK;
}

/* Conv, ConvInteger, QLinearConv (x at xi, w at wi), pools. */
static int conv_like(rl_shape_ctx *c, size_t xi, size_t wi, int is_pool, int32_t odt)
{
    rl_tensor *x, *w = NULL;
    int r = rl_shape_need_rank(c, xi, &x);
    if (r)
        return r;
    if (x->rank < 3)
        return rl_shape_note(c, RL_SHAPE_BAD, "input rank %d, expected at least 3", x->rank);
    int ns = x->rank - 2;
    int64_t k[RL_ONNX_MAX_RANK], s[RL_ONNX_MAX_RANK], d[RL_ONNX_MAX_RANK], p[2 * RL_ONNX_MAX_RANK];
    rl_dim od[RL_ONNX_MAX_RANK];
    od[0] = x->dims[0];
    if (is_pool) {
        const rl_onnx_attr *ka = rl_onnx_attr_find(c->o, "kernel_shape");
        if (!ka)
            return rl_shape_note(c, RL_SHAPE_BAD, "no kernel_shape");
        od[1] = x->dims[1];
    } else {
        if ((r = rl_shape_need_rank(c, wi, &w)))
            return r;
        if (w->rank != x->rank)
            return rl_shape_note(c, RL_SHAPE_BAD, "weight rank %d, input rank %d", w->rank,
                                 x->rank);
        int64_t group = rl_onnx_attr_int(c->o, "group", 1);
        if (group < 1)
            return rl_shape_note(c, RL_SHAPE_BAD, "group %lld", (long long)group);
        if (x->dims[1].v >= 0 && w->dims[1].v >= 0 &&
            x->dims[1].v != rl_shape_mul_dim(w->dims[1].v, group))
            return rl_shape_note(
                c, RL_SHAPE_BAD, "input has %lld channels, weight expects %lld x group %lld",
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
            return rl_shape_note(c, RL_SHAPE_UNKNOWN, "kernel size unknown");
        if (s[i] < 1 || d[i] < 1 || k[i] > INT32_MAX || s[i] > INT32_MAX || d[i] > INT32_MAX)
            return rl_shape_note(c, RL_SHAPE_BAD, "bad stride, dilation or kernel size");
        int64_t v = pool_dim(x->dims[2 + i].v, k[i], s[i], d[i], p[i], p[ns + i], ceil_mode, ap);
        if (v == -2)
            return rl_shape_note(c, RL_SHAPE_BAD, "kernel larger than padded input");
        od[2 + i] = (rl_dim){v, NULL};
    }
    if ((r = rl_shape_set_out(c, 0, odt ? odt : x->dtype, x->rank, od)))
        return r;
    if (is_pool && c->o->n_outputs > 1) /* MaxPool indices */
        return rl_shape_set_out(c, 1, RL_DT_INT64, x->rank, od);
    return RL_SHAPE_OK;
}

static int op_conv(rl_shape_ctx *c)
{
    return conv_like(c, 0, 1, 0, 0);
}

static int op_pool(rl_shape_ctx *c)
{
    return conv_like(c, 0, 0, 1, 0);
}

static int op_conv_integer(rl_shape_ctx *c)
{
    int r = rl_shape_check_quant(c);
    if (r)
        return r;
    return conv_like(c, 0, 1, 0, RL_DT_INT32);
}

static int op_qlinear_conv(rl_shape_ctx *c)
{
    int r = rl_shape_check_quant(c);
    if (r)
        return r;
    rl_tensor *zp = rl_shape_in(c, 7);
    return conv_like(c, 0, 3, 0, zp ? zp->dtype : RL_DT_UINT8);
}

static int op_conv_transpose(rl_shape_ctx *c)
{
    rl_tensor *x, *w;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &x)) || (r = rl_shape_need_rank(c, 1, &w)))
        return r;
    if (x->rank < 3 || w->rank != x->rank)
        return rl_shape_note(c, RL_SHAPE_BAD, "input rank %d, weight rank %d", x->rank, w->rank);
    int ns = x->rank - 2;
    int64_t group = rl_onnx_attr_int(c->o, "group", 1);
    if (group < 1 || group > INT32_MAX)
        return rl_shape_note(c, RL_SHAPE_BAD, "group %lld", (long long)group);
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
    od[1] = (rl_dim){rl_shape_mul_dim(w->dims[1].v, group), NULL};
    if (osa) {
        if (osa->n_ints < (size_t)ns)
            return rl_shape_note(c, RL_SHAPE_BAD, "output_shape has %zu values", osa->n_ints);
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
            return rl_shape_note(c, RL_SHAPE_BAD, "bad stride, dilation or kernel size");
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
            return rl_shape_note(c, RL_SHAPE_BAD, "negative output size");
        od[2 + i] = (rl_dim){v, NULL};
    }
    return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
}

static int op_global_pool(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if (x->rank < 2)
        return rl_shape_note(c, RL_SHAPE_BAD, "input rank %d", x->rank);
    rl_dim od[RL_ONNX_MAX_RANK];
    for (int i = 0; i < x->rank; i++)
        od[i] = i < 2 ? x->dims[i] : (rl_dim){1, NULL};
    return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
}

static int op_max_unpool(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if (x->rank < 3)
        return rl_shape_note(c, RL_SHAPE_BAD, "rank %d", x->rank);
    rl_dim od[RL_ONNX_MAX_RANK];
    if (rl_shape_in(c, 2)) {
        const int64_t *v;
        size_t n;
        if ((r = rl_shape_in_ints(c, 2, &v, &n)))
            return r;
        if (n != (size_t)x->rank)
            return rl_shape_note(c, RL_SHAPE_BAD, "output_shape of %zu values", n);
        if ((r = rl_shape_dims_from_values(c, v, n, od)))
            return r;
        return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
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
            return rl_shape_note(c, RL_SHAPE_BAD, "bad kernel or stride");
        int64_t v = in < 0 ? -1 : (in - 1) * s[i] + k[i] - p[i] - p[ns + i];
        if (in >= 0 && v < 0)
            return rl_shape_note(c, RL_SHAPE_BAD, "negative output size");
        od[2 + i] = (rl_dim){v, NULL};
    }
    return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
}

static int op_roi_align(rl_shape_ctx *c)
{
    rl_tensor *x, *rois;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &x)) || (r = rl_shape_need_rank(c, 1, &rois)))
        return r;
    if (x->rank != 4 || rois->rank != 2)
        return rl_shape_note(c, RL_SHAPE_BAD, "X rank %d, rois rank %d", x->rank, rois->rank);
    rl_dim od[4] = {rois->dims[0],
                    x->dims[1],
                    {rl_onnx_attr_int(c->o, "output_height", 1), NULL},
                    {rl_onnx_attr_int(c->o, "output_width", 1), NULL}};
    return rl_shape_set_out(c, 0, x->dtype, 4, od);
}

static int op_grid_sample(rl_shape_ctx *c)
{
    rl_tensor *x, *grid;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &x)) || (r = rl_shape_need_rank(c, 1, &grid)))
        return r;
    if (x->rank < 3 || grid->rank != x->rank)
        return rl_shape_note(c, RL_SHAPE_BAD, "X rank %d, grid rank %d", x->rank, grid->rank);
    rl_dim od[RL_ONNX_MAX_RANK];
    od[0] = x->dims[0];
    od[1] = x->dims[1];
    for (int i = 2; i < x->rank; i++)
        od[i] = grid->dims[i - 1];
    return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
}

static int op_depth_space(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if (x->rank != 4)
        return rl_shape_note(c, RL_SHAPE_BAD, "rank %d, expected 4", x->rank);
    int64_t b = rl_onnx_attr_int(c->o, "blocksize", 0);
    if (b < 1 || b > INT32_MAX)
        return rl_shape_note(c, RL_SHAPE_BAD, "blocksize %lld", (long long)b);
    rl_dim od[4] = {x->dims[0], {-1, NULL}, {-1, NULL}, {-1, NULL}};
    int d2s = !strcmp(c->o->op_type, "DepthToSpace");
    if (x->dims[1].v >= 0)
        od[1].v = d2s ? x->dims[1].v / rl_shape_mul_dim(b, b)
                      : rl_shape_mul_dim(x->dims[1].v, rl_shape_mul_dim(b, b));
    for (int i = 2; i < 4; i++)
        if (x->dims[i].v >= 0)
            od[i].v = d2s ? rl_shape_mul_dim(x->dims[i].v, b) : x->dims[i].v / b;
    return rl_shape_set_out(c, 0, x->dtype, 4, od);
}

/* A size computed in floating point, or -1 when it is not a sane dimension. */
static int64_t dbl_to_dim(double v)
{
    return v >= 0 && v < 9e18 ? (int64_t)v : -1;
}

static int op_resize(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
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
            return rl_shape_note(c, RL_SHAPE_BAD, "too many scales");
        for (size_t i = 0; i < ns; i++)
            tmp[i] = sa->floats[i];
        sc = tmp;
    }
    rl_tensor *sizes = sizes_in != SIZE_MAX ? rl_shape_in(c, sizes_in) : NULL;
    if (sizes && sizes->rank == 1 && sizes->dims[0].v == 0)
        sizes = NULL;
    rl_tensor *scales = rl_shape_in(c, scales_in);
    if (scales && scales->rank == 1 && scales->dims[0].v == 0)
        scales = NULL;
    const rl_onnx_attr *axa = rl_onnx_attr_find(c->o, "axes");
    int64_t axes[RL_ONNX_MAX_RANK];
    size_t nax = (size_t)x->rank;
    for (int i = 0; i < x->rank; i++)
        axes[i] = i;
    if (axa) {
        if (axa->n_ints > (size_t)x->rank)
            return rl_shape_note(c, RL_SHAPE_BAD, "too many axes");
        nax = axa->n_ints;
        if ((r = rl_shape_axes_norm(c, axa->ints, nax, x->rank, 0, axes, NULL)))
            return r;
    }
    const char *policy = rl_onnx_attr_string(c->o, "keep_aspect_ratio_policy", "stretch");
    if (sizes) {
        const int64_t *v;
        size_t n;
        if ((r = rl_shape_in_ints(c, sizes_in, &v, &n)))
            return r;
        if (n != nax)
            return rl_shape_note(c, RL_SHAPE_BAD, "%zu sizes for %zu axes", n, nax);
        if (strcmp(policy, "stretch") != 0) {
            double scale = strcmp(policy, "not_larger") == 0 ? 1e300 : 0;
            for (size_t i = 0; i < nax; i++) {
                if (x->dims[axes[i]].v <= 0)
                    return rl_shape_note(c, RL_SHAPE_UNKNOWN, "input dim unknown");
                double s = (double)v[i] / (double)x->dims[axes[i]].v;
                scale = policy[4] == 'l' ? (s < scale ? s : scale) : (s > scale ? s : scale);
            }
            for (size_t i = 0; i < nax; i++)
                od[axes[i]] =
                    (rl_dim){dbl_to_dim(floor((double)x->dims[axes[i]].v * scale + 0.5)), NULL};
            return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
        }
        for (size_t i = 0; i < nax; i++) {
            if (v[i] < 0)
                return rl_shape_note(c, RL_SHAPE_BAD, "negative size");
            od[axes[i]] = (rl_dim){v[i], NULL};
        }
        return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
    }
    if (!sc) {
        if (!scales)
            return rl_shape_note(c, RL_SHAPE_BAD, "neither scales nor sizes");
        if ((r = rl_shape_in_doubles(c, scales_in, &sc, &ns)))
            return r;
    }
    if (ns != nax)
        return rl_shape_note(c, RL_SHAPE_BAD, "%zu scales for %zu axes", ns, nax);
    for (size_t i = 0; i < nax; i++) {
        int64_t d = x->dims[axes[i]].v;
        if (!(sc[i] > 0) || sc[i] > 1e9)
            return rl_shape_note(c, RL_SHAPE_BAD, "scale %g", sc[i]);
        od[axes[i]] = (rl_dim){d < 0 ? -1 : dbl_to_dim(floor((double)d * sc[i] + 1e-9)), NULL};
        if (d >= 0 && !strcmp(op, "Resize") && c->opset >= 11)
            od[axes[i]].v = dbl_to_dim(floor((double)d * sc[i]));
    }
    return rl_shape_set_out(c, 0, x->dtype, x->rank, od);
}

/* The ops this file owns; shape.c looks an op_type up in every family's table. */
const rl_shape_rule rl_shape_rules_conv[] = {
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
    {"Resize", op_resize},
    {"Upsample", op_resize},
    {"DepthToSpace", op_depth_space},
    {"SpaceToDepth", op_depth_space},
    {"GridSample", op_grid_sample},
    {"RoiAlign", op_roi_align},
    {"MaxUnpool", op_max_unpool},
    {NULL, NULL},
};
