/* sweep.c: a model analysed at several values of one symbolic dimension (see sweep.h). */
#include "model/sweep.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cost.h"
#include "model/output.h"

int rl_sweep_parse(const char *spec, rl_sweep *s, rl_err *err)
{
    memset(s, 0, sizeof *s);
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec)
        return rl_err_set(err, RL_EXIT_USAGE,
                          "--sweep: '%s' is not DIM=V1,V2,... (e.g. "
                          "past_sequence=0,128,512)",
                          spec);
    if ((size_t)(eq - spec) >= sizeof s->dim)
        return rl_err_set(err, RL_EXIT_USAGE,
                          "--sweep: the dimension name in '%.60s...' is too "
                          "long",
                          spec);
    memcpy(s->dim, spec, (size_t)(eq - spec));
    s->dim[eq - spec] = '\0';
    const char *p = eq + 1;
    if (!*p)
        return rl_err_set(err, RL_EXIT_USAGE, "--sweep: '%s' has no values", spec);
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char tok[32];
        if (len == 0)
            return rl_err_set(err, RL_EXIT_USAGE, "--sweep: an empty value in '%s'", spec);
        if (len >= sizeof tok)
            return rl_err_set(err, RL_EXIT_USAGE, "--sweep: '%.*s' in '%s' is not a whole number",
                              (int)(len > 40 ? 40 : len), p, spec);
        memcpy(tok, p, len);
        tok[len] = '\0';
        char *stop;
        errno = 0;
        long long v = strtoll(tok, &stop, 10);
        if (*stop || stop == tok || errno || isspace((unsigned char)tok[0]))
            return rl_err_set(err, RL_EXIT_USAGE, "--sweep: '%s' in '%s' is not a whole number",
                              tok, spec);
        if (v < 0)
            return rl_err_set(err, RL_EXIT_USAGE, "--sweep: '%s' in '%s' is negative", tok, spec);
        if (v > (1LL << 40))
            return rl_err_set(err, RL_EXIT_USAGE, "--sweep: '%s' in '%s' is too large", tok, spec);
        if (s->n >= RL_SWEEP_MAX)
            return rl_err_set(err, RL_EXIT_USAGE, "--sweep: more than %d values in '%.60s...'",
                              RL_SWEEP_MAX, spec);
        s->values[s->n++] = v;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* A graph input that holds a KV cache: its name says past or cache (past_key_values.0.key,
 * past_key_0, cache_k, ...). */
static int is_kv_input(const rl_tensor *t)
{
    return t->kind == RL_T_INPUT && (strcasestr(t->name, "past") || strcasestr(t->name, "cache"));
}

static double bytes_of(const rl_tensor *t)
{
    int64_t e = rl_tensor_elems(t);
    uint64_t b;
    if (e < 0 || rl_onnx_dtype_bytes(t->dtype, (uint64_t)e, &b) != 0)
        return 0;
    return (double)b;
}

/* One value's record from an analysed (and, with a machine, placed) graph. */
static void fill_point(const rl_graph *g, const rl_cost_totals *tot, const rl_roof_machine *mc,
                       rl_sweep_point *p)
{
    p->flops = tot->flops;
    p->bytes = tot->bytes_read + tot->bytes_written;
    p->nodes_not_costed = tot->nodes_not_costed;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        if (n->status != RL_NODE_OK)
            continue;
        p->weight_bytes += n->weight_bytes;
        /* a node that moves bytes (views and folded nodes move none) reads each KV input once */
        if (n->bytes_read + n->bytes_written <= 0)
            continue;
        for (size_t k = 0; k < n->src->n_inputs; k++) {
            if (n->in[k] == SIZE_MAX || !is_kv_input(&g->t[n->in[k]]))
                continue;
            int dup = 0;
            for (size_t j = 0; j < k; j++)
                dup |= n->in[j] == n->in[k];
            if (!dup)
                p->kv_bytes += bytes_of(&g->t[n->in[k]]);
        }
        if (mc && n->cost_known && n->bound == RL_BOUND_COMPUTE)
            p->compute_s += n->time_s;
    }
    p->act_bytes = p->bytes - p->weight_bytes - p->kv_bytes;
    p->intensity = p->bytes > 0 ? p->flops / p->bytes : 0;
    p->tokens = -1;
    for (size_t i = 0; i < g->model->n_inputs; i++) {
        const rl_tensor *t = rl_graph_find(g, g->model->inputs[i].name);
        if (t && t->kind == RL_T_INPUT && t->rank == 2 &&
            (t->dtype == RL_DT_INT64 || t->dtype == RL_DT_INT32) && rl_tensor_elems(t) >= 0) {
            p->tokens = (double)rl_tensor_elems(t);
            break;
        }
    }
    p->tokens_per_s = -1;
    p->bound = RL_BOUND_NONE;
    if (mc && p->time_s > 0) {
        p->bound = p->compute_s >= p->time_s - p->compute_s ? RL_BOUND_COMPUTE : RL_BOUND_MEMORY;
        if (p->tokens > 0 && p->time_s > 0)
            p->tokens_per_s = p->tokens / p->time_s;
    }
}

/* The graph inputs' dims left unknown, each named once: a symbol ("batch") or, without one,
 * "input 'x' dim 1". */
static void note_unknown_dims(const rl_graph *g, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < g->model->n_inputs; i++) {
        const rl_tensor *t = rl_graph_find(g, g->model->inputs[i].name);
        for (int d = 0; t && t->kind == RL_T_INPUT && d < t->rank; d++) {
            if (t->dims[d].v >= 0)
                continue;
            char what[160];
            if (t->dims[d].sym)
                snprintf(what, sizeof what, "%s", t->dims[d].sym);
            else
                snprintf(what, sizeof what, "input '%.100s' dim %d", t->name, d);
            /* already listed: as a whole entry between ", " separators */
            size_t wl = strlen(what);
            int seen = 0;
            for (const char *p = out; (p = strstr(p, what)) != NULL; p += wl)
                if ((p == out || p[-1] == ' ') && (p[wl] == ',' || p[wl] == '\0'))
                    seen = 1;
            size_t used = strlen(out);
            if (!seen)
                snprintf(out + used, size - used, "%s%s", used ? ", " : "", what);
        }
    }
}

int rl_sweep_run(rl_sweep *s, const char *path, rl_shape_opts *opts, const rl_roof_machine *mc,
                 rl_err *err)
{
    size_t nd = opts ? opts->n_dims : 0;
    for (size_t i = 0; i < nd; i++)
        if (!strcmp(opts->dims[i].name, s->dim))
            return rl_err_set(err, RL_EXIT_USAGE,
                              "--sweep: '%s' is also given with --dim (sweep it or fix it)",
                              s->dim);
    rl_onnx_model *om = NULL;
    if (rl_onnx_load(path, &om, err) != 0)
        return -1;
    rl_shape_dim_opt *dims = calloc(nd + 1, sizeof *dims);
    if (!dims) {
        rl_onnx_free(om);
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    }
    for (size_t i = 0; i < nd; i++)
        dims[i] = opts->dims[i];
    rl_shape_opts so = {dims, nd + 1, opts ? opts->inputs : NULL, opts ? opts->n_inputs : 0};
    const char *slash = strrchr(path, '/'); /* the name the model's own messages use */
    s->file = slash ? slash + 1 : path;
    s->machine = mc;
    s->fixed = opts;
    int rc = 0;
    for (size_t v = 0; v < s->n; v++) {
        dims[nd] = (rl_shape_dim_opt){s->dim, s->values[v], 0};
        for (size_t i = 0; i < so.n_inputs; i++)
            so.inputs[i].used = 0;
        rl_graph *g = NULL;
        if (rl_shape_infer(om, &so, &g, err) != 0) {
            rc = -1;
            break;
        }
        if (!dims[nd].used) {
            rl_graph_free(g);
            rc = rl_err_set(err, RL_EXIT_USAGE,
                            "--sweep: %s has no input with a dimension '%s' (value %lld)", om->file,
                            s->dim, (long long)s->values[v]);
            break;
        }
        if (v == 0)
            note_unknown_dims(g, s->unknown_dims, sizeof s->unknown_dims);
        rl_cost_totals tot;
        rl_cost_compute(g, &tot);
        rl_sweep_point *p = &s->pts[v];
        memset(p, 0, sizeof *p);
        p->value = s->values[v];
        if (mc)
            p->time_s = rl_roof_place(g, mc);
        fill_point(g, &tot, mc, p);
        rl_graph_free(g);
    }
    for (size_t i = 0; i < nd; i++)
        opts->dims[i].used |= dims[i].used;
    free(dims);
    rl_onnx_free(om);
    return rc;
}

/* ---------------------------------------------------------------- renderings */

static const char *bound_name(int b)
{
    return b == RL_BOUND_COMPUTE ? "compute" : b == RL_BOUND_MEMORY ? "memory" : "-";
}

static double ridge(const rl_sweep *s)
{
    return s->machine && s->machine->bw_gbs > 0 ? s->machine->peak_gflops / s->machine->bw_gbs : 0;
}

/* "below 52x", "above 3.1x", "at": where the intensity sits against the ridge */
static void ridge_side(const rl_sweep *s, const rl_sweep_point *p, char *out, size_t size)
{
    double r = ridge(s);
    if (r <= 0 || p->intensity <= 0) {
        snprintf(out, size, "-");
        return;
    }
    double f = p->intensity / r;
    if (f >= 0.995 && f <= 1.005)
        snprintf(out, size, "at");
    else if (f > 1)
        snprintf(out, size, "above %.*fx", f < 9.95 ? 1 : 0, f);
    else
        snprintf(out, size, "below %.*fx", 1 / f < 9.95 ? 1 : 0, 1 / f);
}

static void fixed_dims(const rl_sweep *s, rl_buf *b)
{
    for (size_t i = 0; s->fixed && i < s->fixed->n_dims; i++)
        rl_buf_printf(b, "%s%s=%lld", i ? ", " : " (with ", s->fixed->dims[i].name,
                      (long long)s->fixed->dims[i].value);
    if (s->fixed && s->fixed->n_dims)
        rl_buf_printf(b, ")");
}

void rl_sweep_text(const rl_sweep *s, rl_buf *b)
{
    char fl[32], tps[32], side[32];
    rl_buf_printf(b, "%s: sweep of %s", s->file, s->dim);
    fixed_dims(s, b);
    rl_buf_printf(b, "\n");
    if (s->machine)
        rl_buf_printf(b,
                      "machine: %s: peak %.1f GFLOP/s (%s), bandwidth %.1f GB/s (%s), ridge "
                      "%.2f FLOP/B\n",
                      s->machine->name, s->machine->peak_gflops, s->machine->peak_source,
                      s->machine->bw_gbs, s->machine->bw_source, ridge(s));
    int w = (int)strlen(s->dim);
    if (w < 6)
        w = 6;
    rl_buf_printf(b, "\n%*s %9s %11s %11s %11s %11s %8s", w, s->dim, "FLOPs", "weights MB",
                  "KV cache MB", "activ. MB", "total MB", "FLOP/B");
    if (s->machine)
        rl_buf_printf(b, " %-8s %11s %10s  %s", "bound", "time ms", "tokens/s", "vs ridge");
    rl_buf_printf(b, "\n");
    size_t incomplete = 0;
    for (size_t i = 0; i < s->n; i++) {
        const rl_sweep_point *p = &s->pts[i];
        rl_model_fmt_si(p->flops, fl, sizeof fl);
        rl_buf_printf(b, "%*lld %9s %11.2f %11.2f %11.2f %11.2f %8.2f", w, (long long)p->value, fl,
                      p->weight_bytes / 1e6, p->kv_bytes / 1e6, p->act_bytes / 1e6, p->bytes / 1e6,
                      p->intensity);
        if (s->machine) {
            if (p->tokens_per_s >= 0)
                snprintf(tps, sizeof tps, "%.1f", p->tokens_per_s);
            else
                snprintf(tps, sizeof tps, "-");
            ridge_side(s, p, side, sizeof side);
            rl_buf_printf(b, " %-8s %11.3f %10s  %s", bound_name(p->bound), p->time_s * 1e3, tps,
                          side);
        }
        if (p->nodes_not_costed) {
            rl_buf_printf(b, "  (%zu nodes not costed)", p->nodes_not_costed);
            incomplete++;
        }
        rl_buf_printf(b, "\n");
    }
    rl_buf_printf(b, "\nweights: bytes read from initializers at their data types; KV cache: "
                     "bytes read from the\npast/cache inputs; activations: every other byte read "
                     "or written.");
    if (s->machine)
        rl_buf_printf(b, " time: sum of per-node\nroofline times (a lower bound); bound: the "
                         "side where most of that time is; tokens/s:\ntokens per run (the "
                         "integer [batch, sequence] input) / time.");
    rl_buf_printf(b, "\n");
    if (incomplete)
        rl_buf_printf(b, "INCOMPLETE: %zu of %zu rows have nodes not costed (lower bounds)\n",
                      incomplete, s->n);
    if (s->unknown_dims[0])
        rl_buf_printf(b, "unknown dims: %s (set them with --dim or --input)\n", s->unknown_dims);
}

void rl_sweep_csv(const rl_sweep *s, rl_buf *b)
{
    char side[32];
    rl_buf_printf(b, "dim,value,flops,bytes,weight_bytes,kv_bytes,activation_bytes,intensity,"
                     "bound,time_s,tokens,tokens_per_s,ridge_side,nodes_not_costed\n");
    for (size_t i = 0; i < s->n; i++) {
        const rl_sweep_point *p = &s->pts[i];
        rl_buf_printf(b, "%s,%lld,%.0f,%.0f,%.0f,%.0f,%.0f,%.6g,%s,", s->dim, (long long)p->value,
                      p->flops, p->bytes, p->weight_bytes, p->kv_bytes, p->act_bytes, p->intensity,
                      s->machine ? bound_name(p->bound) : "");
        if (s->machine)
            rl_buf_printf(b, "%.6g", p->time_s);
        rl_buf_printf(b, ",");
        if (p->tokens >= 0)
            rl_buf_printf(b, "%.0f", p->tokens);
        rl_buf_printf(b, ",");
        if (p->tokens_per_s >= 0)
            rl_buf_printf(b, "%.6g", p->tokens_per_s);
        ridge_side(s, p, side, sizeof side);
        rl_buf_printf(b, ",%s,%zu\n", s->machine ? side : "", p->nodes_not_costed);
    }
}

static int add_num(cJSON *o, const char *k, double x)
{
    return cJSON_AddNumberToObject(o, k, x) ? 0 : -1;
}

char *rl_sweep_json(const rl_sweep *s, rl_err *err)
{
    cJSON *root = cJSON_CreateObject(), *o, *arr;
    int bad = !root;
    char side[32];
    if (bad)
        goto fail;
    bad |= !cJSON_AddStringToObject(root, "schema", RL_MODEL_SCHEMA);
    bad |= !cJSON_AddStringToObject(root, "file", s->file ? s->file : "");
    bad |= !cJSON_AddStringToObject(root, "convention", rl_cost_convention());
    bad |= !cJSON_AddStringToObject(root, "convention_weights", rl_cost_convention_weights());
    if (s->machine) {
        bad |= !(o = cJSON_AddObjectToObject(root, "machine"));
        if (o) {
            bad |= !cJSON_AddStringToObject(o, "name", s->machine->name);
            bad |= add_num(o, "peak_gflops", s->machine->peak_gflops);
            bad |= !cJSON_AddStringToObject(o, "peak_source", s->machine->peak_source);
            bad |= add_num(o, "bandwidth_gbs", s->machine->bw_gbs);
            bad |= !cJSON_AddStringToObject(o, "bandwidth_source", s->machine->bw_source);
            bad |= add_num(o, "ridge_flop_per_byte", ridge(s));
        }
    }
    bad |= !cJSON_AddStringToObject(root, "sweep_dim", s->dim);
    bad |= !(o = cJSON_AddObjectToObject(root, "fixed_dims"));
    for (size_t i = 0; o && s->fixed && i < s->fixed->n_dims; i++)
        bad |= add_num(o, s->fixed->dims[i].name, (double)s->fixed->dims[i].value);
    if (s->unknown_dims[0])
        bad |= !cJSON_AddStringToObject(root, "unknown_dims", s->unknown_dims);
    bad |= !(arr = cJSON_AddArrayToObject(root, "sweep"));
    for (size_t i = 0; arr && i < s->n; i++) {
        const rl_sweep_point *p = &s->pts[i];
        cJSON *r = cJSON_CreateObject();
        if (!r || !cJSON_AddItemToArray(arr, r)) {
            cJSON_Delete(r);
            bad = 1;
            break;
        }
        bad |= add_num(r, "value", (double)p->value);
        bad |= add_num(r, "flops", p->flops);
        bad |= add_num(r, "bytes", p->bytes);
        bad |= add_num(r, "weight_bytes", p->weight_bytes);
        bad |= add_num(r, "kv_bytes", p->kv_bytes);
        bad |= add_num(r, "activation_bytes", p->act_bytes);
        bad |= add_num(r, "intensity", p->intensity);
        if (p->tokens >= 0)
            bad |= add_num(r, "tokens", p->tokens);
        else
            bad |= !cJSON_AddNullToObject(r, "tokens");
        if (s->machine) {
            bad |= !cJSON_AddStringToObject(r, "bound", bound_name(p->bound));
            bad |= add_num(r, "time_s", p->time_s);
            bad |= add_num(r, "compute_bound_s", p->compute_s);
            if (p->tokens_per_s >= 0)
                bad |= add_num(r, "tokens_per_s", p->tokens_per_s);
            else
                bad |= !cJSON_AddNullToObject(r, "tokens_per_s");
            ridge_side(s, p, side, sizeof side);
            bad |= add_num(r, "intensity_over_ridge", ridge(s) > 0 ? p->intensity / ridge(s) : 0);
            bad |= !cJSON_AddStringToObject(r, "ridge_side", side);
        }
        bad |= add_num(r, "nodes_not_costed", (double)p->nodes_not_costed);
        bad |= !cJSON_AddBoolToObject(r, "incomplete", p->nodes_not_costed > 0);
    }
    if (bad)
        goto fail;
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    return text;
fail:
    cJSON_Delete(root);
    rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    return NULL;
}
