/* quant.c: int8 nodes and QDQ patterns (see quant.h). */
#include "model/quant.h"

#include <stdlib.h>
#include <string.h>

static int default_domain(const char *d)
{
    return !d || !d[0] || !strcmp(d, "ai.onnx");
}

int rl_quant_op_int8(const char *op, const char *domain)
{
    static const char *const std_ops[] = {"QLinearConv", "QLinearMatMul", "ConvInteger",
                                          "MatMulInteger", NULL};
    static const char *const ms_ops[] = {"QGemm",
                                         "QLinearAdd",
                                         "QLinearMul",
                                         "QLinearSigmoid",
                                         "QLinearLeakyRelu",
                                         "QLinearGlobalAveragePool",
                                         "QLinearConcat",
                                         "DynamicQuantizeMatMul",
                                         "MatMulIntegerToFloat",
                                         NULL};
    const char *const *list = default_domain(domain)             ? std_ops
                              : !strcmp(domain, "com.microsoft") ? ms_ops
                                                                 : NULL;
    for (; list && *list; list++)
        if (!strcmp(op, *list))
            return 1;
    return 0;
}

static int is_op(const rl_node *n, const char *op)
{
    return n->status == RL_NODE_OK && default_domain(n->src->domain) &&
           !strcmp(n->src->op_type, op);
}

static int is_8bit(int32_t dt)
{
    return dt == RL_DT_INT8 || dt == RL_DT_UINT8;
}

/* The DequantizeLinear producing input k of node n from `from_type` data (8-bit, or int32 for a
 * bias), or -1. */
static long dq_input(const rl_graph *g, const rl_node *n, size_t k, int bias)
{
    if (k >= n->src->n_inputs || n->in[k] == SIZE_MAX)
        return -1;
    long p = g->t[n->in[k]].producer;
    if (p < 0 || !is_op(&g->nodes[p], "DequantizeLinear"))
        return -1;
    const rl_node *d = &g->nodes[p];
    if (d->src->n_inputs < 1 || d->in[0] == SIZE_MAX)
        return -1;
    int32_t dt = g->t[d->in[0]].dtype;
    return (bias ? dt == RL_DT_INT32 : is_8bit(dt)) ? p : -1;
}

/* The QuantizeLinear to 8 bits that is the only consumer of node n's output, or -1. */
static long q_output(const rl_graph *g, const rl_node *n, const size_t *ncons, const long *cons1)
{
    if (n->src->n_outputs != 1 || n->out[0] == SIZE_MAX)
        return -1;
    size_t y = n->out[0];
    if (g->t[y].graph_output || ncons[y] != 1)
        return -1;
    const rl_node *q = &g->nodes[cons1[y]];
    if (!is_op(q, "QuantizeLinear") || q->src->n_outputs < 1 || q->out[0] == SIZE_MAX ||
        !is_8bit(g->t[q->out[0]].dtype) || q->in[0] != y)
        return -1;
    return cons1[y];
}

void rl_quant_mark(rl_graph *g)
{
    g->n_int8 = 0;
    for (size_t i = 0; i < g->n_nodes; i++) {
        rl_node *n = &g->nodes[i];
        n->int8 = n->status == RL_NODE_OK && rl_quant_op_int8(n->src->op_type, n->src->domain);
        n->qdq = RL_QDQ_NONE;
        n->qdq_out = -1;
    }
    size_t nt = g->n_t ? g->n_t : 1;
    size_t *ncons = calloc(nt, sizeof *ncons);
    long *cons1 = malloc(nt * sizeof *cons1);
    unsigned char *other_use = calloc(nt, 1); /* a DequantizeLinear output used by a non-core */
    if (!ncons || !cons1 || !other_use)
        goto done; /* out of memory: the QDQ patterns stay float, which is what the graph says */
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        for (size_t k = 0; k < n->src->n_inputs; k++) {
            size_t t = n->in[k];
            int seen = 0;
            for (size_t j = 0; j < k && !seen; j++)
                seen = n->in[j] == t;
            if (t == SIZE_MAX || seen)
                continue;
            if (ncons[t]++ == 0)
                cons1[t] = (long)i;
        }
    }
    for (size_t i = 0; i < g->n_nodes; i++) {
        rl_node *n = &g->nodes[i];
        int conv = is_op(n, "Conv"), mm = is_op(n, "MatMul"), gemm = is_op(n, "Gemm");
        if (!conv && !mm && !gemm)
            continue;
        if (dq_input(g, n, 0, 0) < 0 || dq_input(g, n, 1, 0) < 0)
            continue;
        long q = q_output(g, n, ncons, cons1);
        if (conv && q < 0)
            continue;
        n->qdq = RL_QDQ_CORE;
        n->int8 = 1;
        n->qdq_out = q;
        if (q >= 0)
            g->nodes[q].qdq = RL_QDQ_ABSORBED;
    }
    /* a DequantizeLinear is absorbed when every use of its output is a core's data, weight or
     * int32 bias (ONNX Runtime gives each consumer its own copy otherwise, and runs the rest) */
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        for (size_t k = 0; k < n->src->n_inputs; k++) {
            size_t t = n->in[k];
            if (t == SIZE_MAX)
                continue;
            int ok = n->qdq == RL_QDQ_CORE &&
                     (k < 2 ? dq_input(g, n, k, 0) >= 0 : k == 2 && dq_input(g, n, k, 1) >= 0);
            if (!ok)
                other_use[t] = 1;
        }
    }
    for (size_t i = 0; i < g->n_nodes; i++) {
        rl_node *n = &g->nodes[i];
        if (!is_op(n, "DequantizeLinear") || n->src->n_outputs < 1 || n->out[0] == SIZE_MAX)
            continue;
        size_t y = n->out[0];
        if (ncons[y] > 0 && !other_use[y] && !g->t[y].graph_output)
            n->qdq = RL_QDQ_ABSORBED;
    }
done:
    for (size_t i = 0; i < g->n_nodes; i++)
        g->n_int8 += g->nodes[i].int8 != 0;
    free(ncons);
    free(cons1);
    free(other_use);
}
