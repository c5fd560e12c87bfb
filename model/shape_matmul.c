/* shape_matmul.c: shape rules for matrix products and the layers built on them: Gemm, MatMul,
 * MatMulInteger, QLinearMatMul, Einsum, Det, and the recurrent RNN, GRU and LSTM. */
#include "model/shape_int.h"

#include <stdint.h>
#include <string.h>

static int op_gemm(rl_shape_ctx *c)
{
    rl_tensor *a, *b;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &a)) || (r = rl_shape_need_rank(c, 1, &b)))
        return r;
    if (a->rank != 2 || b->rank != 2)
        return rl_shape_note(c, RL_SHAPE_BAD, "Gemm needs 2-D inputs, got ranks %d and %d", a->rank,
                             b->rank);
    int ta = rl_onnx_attr_int(c->o, "transA", 0) != 0,
        tb = rl_onnx_attr_int(c->o, "transB", 0) != 0;
    rl_dim m = a->dims[ta ? 1 : 0], ka = a->dims[ta ? 0 : 1];
    rl_dim kb = b->dims[tb ? 1 : 0], n = b->dims[tb ? 0 : 1];
    if (ka.v >= 0 && kb.v >= 0 && ka.v != kb.v)
        return rl_shape_note(c, RL_SHAPE_BAD, "inner dimensions %lld and %lld differ",
                             (long long)ka.v, (long long)kb.v);
    rl_dim od[2] = {m, n};
    return rl_shape_set_out(c, 0, a->dtype, 2, od);
}

int rl_shape_matmul_out(rl_shape_ctx *c, const rl_tensor *a, const rl_tensor *b, int32_t odt)
{
    if (a->rank < 1 || b->rank < 1)
        return rl_shape_note(c, RL_SHAPE_BAD, "MatMul of a scalar");
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
        return rl_shape_note(c, RL_SHAPE_BAD, "inner dimensions %lld and %lld differ",
                             (long long)ka.v, (long long)kb.v);
    rl_dim od[RL_ONNX_MAX_RANK + 2];
    int ro;
    int r = rl_shape_broadcast(c, ra - 2, ad, rb - 2, bd, &ro, od);
    if (r)
        return r;
    if (!pre)
        od[ro++] = ad[ra - 2];
    if (!app)
        od[ro++] = bd[rb - 1];
    return rl_shape_set_out(c, 0, odt ? odt : a->dtype, ro, od);
}

static int op_matmul(rl_shape_ctx *c)
{
    rl_tensor *a, *b;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &a)) || (r = rl_shape_need_rank(c, 1, &b)))
        return r;
    if ((r = rl_shape_check_quant(c)))
        return r;
    return rl_shape_matmul_out(c, a, b, !strcmp(c->o->op_type, "MatMulInteger") ? RL_DT_INT32 : 0);
}

static int op_qlinear_matmul(rl_shape_ctx *c)
{
    rl_tensor *a, *b;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &a)) || (r = rl_shape_need_rank(c, 3, &b)))
        return r;
    if ((r = rl_shape_check_quant(c)))
        return r;
    rl_tensor *zp = rl_shape_in(c, 7);
    return rl_shape_matmul_out(c, a, b, zp ? zp->dtype : RL_DT_UINT8);
}

static int op_einsum(rl_shape_ctx *c)
{
    const char *eq = rl_onnx_attr_string(c->o, "equation", NULL);
    if (!eq)
        return rl_shape_note(c, RL_SHAPE_BAD, "no equation");
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
            int r = rl_shape_need_rank(c, in, &x);
            if (r)
                return r;
            pos = 0;
            if (*p == ',')
                continue;
        }
        if (*p == ' ')
            continue;
        if (*p == '.')
            return rl_shape_note(c, RL_SHAPE_UNKNOWN, "Einsum ellipsis not inferred");
        unsigned char ch = (unsigned char)*p;
        if (ch >= 128 || pos >= x->rank)
            return rl_shape_note(c, RL_SHAPE_BAD, "equation does not match input %zu", in);
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
                    return rl_shape_note(c, RL_SHAPE_BAD, "output rank too large");
                od[ro++] = (rl_dim){letter[ch], NULL};
            }
        rl_tensor *x0 = rl_shape_in(c, 0);
        return rl_shape_set_out(c, 0, x0 ? x0->dtype : RL_DT_FLOAT, ro, od);
    }
    for (const char *p = arrow + 2; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == ' ')
            continue;
        if (ch >= 128 || letter[ch] == -2 || ro >= RL_ONNX_MAX_RANK)
            return rl_shape_note(c, RL_SHAPE_BAD, "bad output subscript");
        od[ro++] = (rl_dim){letter[ch], NULL};
    }
    rl_tensor *x0 = rl_shape_in(c, 0);
    return rl_shape_set_out(c, 0, x0 ? x0->dtype : RL_DT_FLOAT, ro, od);
}

static int op_det(rl_shape_ctx *c)
{
    rl_tensor *x;
    int r = rl_shape_need_rank(c, 0, &x);
    if (r)
        return r;
    if (x->rank < 2)
        return rl_shape_note(c, RL_SHAPE_BAD, "rank %d", x->rank);
    return rl_shape_set_out(c, 0, x->dtype, x->rank - 2, x->dims);
}

/* RNN, GRU, LSTM: X [seq, batch, input] (layout 0) or [batch, seq, input] (layout 1) */
static int op_rnn(rl_shape_ctx *c)
{
    rl_tensor *x, *w;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &x)) || (r = rl_shape_need_rank(c, 1, &w)))
        return r;
    if (x->rank != 3 || w->rank != 3)
        return rl_shape_note(c, RL_SHAPE_BAD, "X rank %d, W rank %d, expected 3", x->rank, w->rank);
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
    if ((r = rl_shape_set_out(c, 0, x->dtype, 4, y)) ||
        (r = rl_shape_set_out(c, 1, x->dtype, 3, yh)) ||
        (r = rl_shape_set_out(c, 2, x->dtype, 3, yh)))
        return r;
    return RL_SHAPE_OK;
}

/* The ops this file owns; shape.c looks an op_type up in every family's table. */
const rl_shape_rule rl_shape_rules_matmul[] = {
    {"Gemm", op_gemm},
    {"MatMul", op_matmul},
    {"MatMulInteger", op_matmul},
    {"QLinearMatMul", op_qlinear_matmul},
    {"RNN", op_rnn},
    {"GRU", op_rnn},
    {"LSTM", op_rnn},
    {"Det", op_det},
    {"Einsum", op_einsum},
    {NULL, NULL},
};
