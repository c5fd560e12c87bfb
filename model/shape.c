/* shape.c: shape inference and small-tensor constant folding (see shape.h): the tensor name
 * table, the graph walk that runs one op rule per node in file order, and the dispatch from an
 * op_type to its rule. Owns no op: the rules live by family in shape_*.c (listed in shape_int.h),
 * each with its own table. */
#include "model/shape_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---------------------------------------------------------------- the op rules */

/* Every family's table; an op_type appears in one of them only. */
static const rl_shape_rule *const families[] = {
    rl_shape_rules_elementwise, rl_shape_rules_conv,   rl_shape_rules_matmul, rl_shape_rules_layout,
    rl_shape_rules_index,       rl_shape_rules_reduce, rl_shape_rules_source, rl_shape_rules_quant,
};

static rl_shape_rule_fn find_op(const char *op)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const rl_shape_rule *r = families[f]; r->op; r++)
            if (!strcmp(r->op, op))
                return r->fn;
    return NULL;
}

/* A com.microsoft (ONNX Runtime contrib) op: its own table, so a contrib op never takes a
 * default-domain rule of the same name or the reverse. */
static rl_shape_rule_fn find_contrib_op(const char *op)
{
    for (const rl_shape_rule *r = rl_shape_rules_contrib; r->op; r++)
        if (!strcmp(r->op, op))
            return r->fn;
    for (const rl_shape_rule *r = rl_shape_rules_contrib_quant; r->op; r++)
        if (!strcmp(r->op, op))
            return r->fn;
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
            if (rl_shape_is_float(o->dtype))
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
        rl_shape_ctx c = {.g = g, .n = n, .o = o, .opset = m->opset ? m->opset : 1};
        c.note[0] = '\0';
        int r;
        rl_shape_rule_fn fn = (o->domain[0] == '\0' || !strcmp(o->domain, "ai.onnx"))
                                  ? find_op(o->op_type)
                              : !strcmp(o->domain, "com.microsoft") ? find_contrib_op(o->op_type)
                                                                    : NULL;
        if (!fn) {
            n->status = RL_NODE_UNSUPPORTED;
            add_unsupported(g, o->op_type, m->n_nodes + 1);
            g->n_unknown_nodes++;
            continue;
        }
        if (missing_input) {
            r = rl_shape_note(&c, RL_SHAPE_BAD, "an input is produced by no earlier node");
        } else {
            r = fn(&c);
        }
        if (r == RL_SHAPE_FATAL)
            goto oom;
        if (r == RL_SHAPE_OK) {
            /* an output left without a shape (optional outputs of multi-output ops) */
            for (size_t k = 0; k < o->n_outputs; k++) {
                rl_tensor *t = rl_shape_out(&c, k);
                if (t && t->rank < 0 && k == 0)
                    r = rl_shape_note(&c, RL_SHAPE_UNKNOWN, "output shape not inferred");
            }
        }
        if (r != RL_SHAPE_OK) {
            n->status = r == RL_SHAPE_BAD ? RL_NODE_ERROR : RL_NODE_UNKNOWN;
            n->note = rl_arena_strdup(a, c.note);
            if (!n->note)
                goto oom;
            g->n_unknown_nodes++;
            continue;
        }
        int all_known = 1, folded = o->n_outputs > 0;
        for (size_t k = 0; k < o->n_outputs; k++) {
            rl_tensor *t = rl_shape_out(&c, k);
            if (!t)
                continue;
            if (!rl_shape_known(t))
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
