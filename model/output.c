/* output.c: table, CSV and JSON of a model analysis (see output.h). */
#include "model/output.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void rl_model_fmt_si(double x, char *out, size_t size)
{
    static const char *const unit[] = {"", " k", " M", " G", " T", " P"};
    int u = 0;
    double a = fabs(x);
    while (a >= 999.5 && u < 5) {
        a /= 1000;
        x /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(out, size, "%.0f", x);
    else
        snprintf(out, size, "%.*f%s", a < 9.995 ? 2 : a < 99.95 ? 1 : 0, x, unit[u]);
}

void rl_model_wrap(rl_buf *b, const char *text, size_t width, const char *indent)
{
    const char *p = text;
    while (*p) {
        size_t n = strlen(p);
        if (n > width) {
            n = width;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0)
                n = width;
        }
        rl_buf_printf(b, "%s%.*s\n", indent, (int)n, p);
        p += n;
        while (*p == ' ')
            p++;
    }
}

static const char *bound_name(int b)
{
    return b == RL_BOUND_COMPUTE ? "compute" : b == RL_BOUND_MEMORY ? "memory" : "-";
}

static const char *status_name(int s)
{
    switch (s) {
    case RL_NODE_OK:
        return "ok";
    case RL_NODE_UNSUPPORTED:
        return "unsupported";
    case RL_NODE_UNKNOWN:
        return "unknown";
    default:
        return "error";
    }
}

static const rl_tensor *out0(const rl_graph *g, const rl_node *n)
{
    if (n->src->n_outputs < 1 || n->out[0] == SIZE_MAX)
        return NULL;
    return &g->t[n->out[0]];
}

static const char *weights_state(const rl_onnx_model *om)
{
    if (om->weights_absent)
        return "absent";
    return om->n_external ? "external" : "inline";
}

/* The roof node n goes on, for a model with int8 nodes: "int8", the machine's precision, or that
 * precision with "(no int8 roof)" for an int8 node on a machine without one; "-" for a node that
 * moves and computes nothing. */
static const char *roof_name(const rl_roof_machine *mc, const rl_node *n, char *buf, size_t size)
{
    if (n->bound == RL_BOUND_NONE) /* nothing to place: free, absorbed or folded */
        return "-";
    int on8;
    rl_roof_node_peak(n, mc, &on8);
    const char *prec = mc->precision[0] ? mc->precision : "peak";
    if (on8)
        return "int8";
    if (n->int8)
        snprintf(buf, size, "%s (no int8 roof)", prec);
    else
        snprintf(buf, size, "%s", prec);
    return buf;
}

/* A model with int8 nodes (quant.h): where they go on this machine. */
static void int8_line(const rl_model_view *v, rl_buf *b)
{
    const rl_roof_machine *mc = v->machine;
    size_t n8 = v->m->g->n_int8;
    if (!mc || !n8)
        return;
    if (mc->int8_gops > 0)
        rl_buf_printf(b, "int8 roof: %.1f GOP/s (%s), for the %zu int8 node%s\n", mc->int8_gops,
                      mc->int8_source, n8, n8 == 1 ? "" : "s");
    else
        rl_buf_printf(b,
                      "int8 roof: none (the machine has no int8 row, measured or theoretical): "
                      "the %zu int8 node%s on the %s peak above\n",
                      n8, n8 == 1 ? " goes" : "s go", mc->precision[0] ? mc->precision : "given");
}

static double int8_ops(const rl_graph *g)
{
    double ops = 0;
    for (size_t i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].int8 && g->nodes[i].cost_known)
            ops += g->nodes[i].flops;
    return ops;
}

/* Which time the table shows: the roofline bound, or a runtime's predicted time beside it. */
static void time_line(const rl_model_view *v, rl_buf *b)
{
    const rl_prediction *p = v->pred;
    if (!p) {
        if (v->machine)
            rl_buf_printf(b, "time: roofline bound (each node at its roof, summed: a lower "
                             "bound, not a runtime's time)\n");
        return;
    }
    const rl_runtime *rt = p->rt;
    rl_buf_printf(
        b, "time: predicted for %s %s (opt %s, %d thread%s) from runtime profile %s; %s\n",
        rt->name, rt->version, rt->optimization, v->threads, v->threads == 1 ? "" : "s", rt->file,
        v->machine ? "the roofline bound beside it" : "no machine, so no roofline bound");
    if (v->cpu_mismatch)
        rl_buf_printf(b,
                      "WARNING: %s was calibrated on '%s', not on '%s' (--runtime-any-cpu): the "
                      "prediction is for another CPU\n",
                      rt->file, rt->cpu, v->cpu_here ? v->cpu_here : "?");
}

/* The class and predicted time of node i (table). */
static void pred_cells(const rl_model_view *v, size_t i, rl_buf *b)
{
    const rl_prediction *p = v->pred;
    const rl_fuse_node *f = &p->fuse.n[i];
    char cls[32];
    if (f->state == RL_FUSE_FUSED)
        snprintf(cls, sizeof cls, "free(->%ld)", f->into);
    else
        snprintf(cls, sizeof cls, "%s%s", p->n[i].cls, f->nchwc ? "*" : "");
    rl_buf_printf(b, " %-16s", cls);
    const rl_pred_node *pn = &p->n[i];
    if (f->state == RL_FUSE_RUN) {
        rl_buf_printf(b, " %10.1f%s", pn->predicted_s * 1e6,
                      pn->from_bound ? "b"
                      : pn->far      ? "?"
                                     : " ");
        if (pn->curve)
            rl_buf_printf(b, " %4.0f%%", 100 * (exp(pn->curve->spread) - 1));
    } else {
        rl_buf_printf(b, " %10s", "-");
    }
}

/* The executed nodes far from their calibration, by name: the first few in the text. */
static void far_lines(const rl_model_view *v, rl_buf *b)
{
    const rl_prediction *p = v->pred;
    const rl_graph *g = v->m->g;
    enum { SHOWN = 8 };
    size_t shown = 0;
    if (!p->n_far)
        return;
    rl_buf_printf(b,
                  "  far from calibration %zu executed node%s (marked ? or b): no calibration "
                  "point of their curve within %gx of their size, or no curve\n",
                  p->n_far, p->n_far == 1 ? "" : "s", RL_RT_NEAR_FACTOR);
    for (size_t i = 0; i < g->n_nodes && shown < SHOWN; i++) {
        const rl_pred_node *pn = &p->n[i];
        if (p->fuse.n[i].state != RL_FUSE_RUN || !pn->far)
            continue;
        shown++;
        const char *name = g->nodes[i].src->name[0] ? g->nodes[i].src->name : "(unnamed)";
        if (pn->curve)
            rl_buf_printf(b, "    %zu %s (%s): %.3g is %.1fx from '%s'\n", i, name, pn->cls, pn->x,
                          pn->near_ratio, pn->curve->pts[pn->nearest].what);
        else if (pn->from_bound)
            rl_buf_printf(b, "    %zu %s (%s): no curve in the profile\n", i, name, pn->cls);
        else
            rl_buf_printf(b, "    %zu %s (%s): size unknown\n", i, name, pn->cls);
    }
    if (p->n_far > shown)
        rl_buf_printf(b, "    ... and %zu more (--json: runtime.far_nodes)\n", p->n_far - shown);
}

static void pred_totals(const rl_model_view *v, rl_buf *b)
{
    const rl_prediction *p = v->pred;
    rl_buf_printf(b,
                  "  predicted (runtime)  %.3f ms for %s %s, %d thread%s: run overhead %.3f ms + "
                  "%zu executed nodes %.3f ms + %zu layout reorders %.3f ms\n",
                  p->total_s * 1e3, p->rt->name, p->rt->version, v->threads,
                  v->threads == 1 ? "" : "s", p->th->run_overhead_s * 1e3, p->fuse.n_run,
                  p->nodes_s * 1e3, p->fuse.n_reorders, p->reorders_s * 1e3);
    rl_buf_printf(b,
                  "  interval             %.3f .. %.3f ms (each curve's leave-one-out residuals: "
                  "summed within a class, classes independent)\n",
                  p->lo_s * 1e3, p->hi_s * 1e3);
    far_lines(v, b);
    if (v->machine && v->time_s > 0)
        rl_buf_printf(b, "  predicted / bound    %.2fx\n", p->total_s / v->time_s);
    for (size_t k = 0; k < p->n_missing; k++)
        rl_buf_printf(b, "%s%s", k ? ", " : "  not in the profile  ", p->missing[k]);
    if (p->n_missing)
        rl_buf_printf(b, " (those nodes are predicted at their roofline bound, marked b)\n");
    if (p->n_uncosted)
        rl_buf_printf(b,
                      "  not predicted        %zu executed nodes of unknown size (node overhead "
                      "only)\n",
                      p->n_uncosted);
    rl_buf_printf(b, "  (class column: * runs in ORT's NCHWc layout; free(->N) is fused into node "
                     "N; +-: the class curve's spread)\n");
}

void rl_model_table(const rl_model_view *v, rl_buf *b)
{
    const rl_model *m = v->m;
    const rl_graph *g = m->g;
    const rl_onnx_model *om = m->onnx;
    const rl_cost_totals *t = &m->tot;
    char s1[32], s2[32], s3[32], s4[32], shape[96];

    rl_buf_printf(b, "%s: ONNX IR %lld, opset %lld, %zu nodes, %zu initializers, producer '%s'\n",
                  om->file, (long long)om->ir_version, (long long)om->opset, om->n_nodes,
                  om->n_inits, om->producer);
    if (om->weights_absent)
        rl_buf_printf(b,
                      "weights absent: %zu of %zu external initializers have no data file "
                      "(dims and data types are enough for this analysis)\n",
                      om->n_external_missing, om->n_external);
    if (v->machine)
        rl_buf_printf(b,
                      "machine: %s: peak %.1f GFLOP/s (%s), bandwidth %.1f GB/s (%s), ridge "
                      "%.2f FLOP/B\n",
                      v->machine->name, v->machine->peak_gflops, v->machine->peak_source,
                      v->machine->bw_gbs, v->machine->bw_source,
                      v->machine->peak_gflops / v->machine->bw_gbs);
    int8_line(v, b);
    time_line(v, b);
    int roof_col = v->machine && g->n_int8;
    char rbuf[48];
    rl_buf_printf(b, "\n%4s  %-36s %-18s %-18s %9s %9s %9s %9s %8s", "#", "node", "op", "output",
                  "params", "MACs", "FLOPs", "bytes", "FLOP/B");
    if (v->machine)
        rl_buf_printf(b, " %-8s %10s", "bound", "time us");
    if (roof_col)
        rl_buf_printf(b, " %-20s", "roof");
    if (v->prof)
        rl_buf_printf(b, " %10s %9s %6s", "meas. us", "GFLOP/s", "%roof");
    if (v->pred)
        rl_buf_printf(b, " %-16s %10s  %5s", "class", "pred. us", "+-");
    rl_buf_printf(b, "\n");
    size_t hidden = 0;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        if (!v->all_nodes && n->status == RL_NODE_OK && n->folded) {
            hidden++;
            continue;
        }
        const rl_tensor *y = out0(g, n);
        if (y)
            rl_tensor_shape_str(y, shape, sizeof shape);
        else
            snprintf(shape, sizeof shape, "-");
        const char *name = n->src->name[0] ? n->src->name : "(unnamed)";
        size_t nl = strlen(name);
        if (nl > 36)
            rl_buf_printf(b, "%4zu  ...%-33.33s", i, name + nl - 33);
        else
            rl_buf_printf(b, "%4zu  %-36.36s", i, name);
        rl_buf_printf(b, " %-18.18s %-18.18s", n->src->op_type, shape);
        if (n->status != RL_NODE_OK) {
            rl_buf_printf(b, " %s: %s\n", status_name(n->status),
                          n->note ? n->note : "op not supported");
            continue;
        }
        rl_model_fmt_si((double)n->params, s1, sizeof s1);
        rl_model_fmt_si(n->macs, s2, sizeof s2);
        rl_model_fmt_si(n->flops, s3, sizeof s3);
        rl_model_fmt_si(n->bytes_read + n->bytes_written, s4, sizeof s4);
        rl_buf_printf(b, " %9s %9s %9s %9s %8.2f", n->params ? s1 : "-", n->macs ? s2 : "-",
                      n->flops ? s3 : "-", s4, n->intensity);
        if (v->machine)
            rl_buf_printf(b, " %-8s %10.1f", bound_name(n->bound), n->time_s * 1e6);
        if (roof_col)
            rl_buf_printf(b, " %-20s", roof_name(v->machine, n, rbuf, sizeof rbuf));
        if (v->prof && n->measured_s >= 0) {
            double ach = n->measured_s > 0 ? n->flops / n->measured_s / 1e9 : 0;
            rl_buf_printf(b, " %10.1f %9.2f", n->measured_s * 1e6, ach);
            if (n->attainable_gflops > 0 && n->flops > 0)
                rl_buf_printf(b, " %5.0f%%", 100 * ach / n->attainable_gflops);
            else if (v->pred)
                rl_buf_printf(b, " %6s", "");
        } else if (v->prof) {
            rl_buf_printf(b, v->pred ? " %10s %9s %6s" : " %10s", "-", "", "");
        }
        if (v->pred)
            pred_cells(v, i, b);
        rl_buf_printf(b, "\n");
    }
    if (hidden)
        rl_buf_printf(b,
                      "(%zu nodes folded at load time, Constant and shape arithmetic, not shown; "
                      "--all shows them)\n",
                      hidden);

    rl_model_fmt_si((double)t->params, s1, sizeof s1);
    rl_model_fmt_si(t->macs, s2, sizeof s2);
    rl_model_fmt_si(t->flops, s3, sizeof s3);
    rl_buf_printf(b, "\nTotals%s:\n",
                  t->incomplete ? " (INCOMPLETE: see the nodes marked above)" : "");
    rl_buf_printf(b, "  parameters           %s (%llu, %.1f MB)\n", s1,
                  (unsigned long long)t->params, (double)t->param_bytes / 1e6);
    rl_buf_printf(b, "  multiply-adds        %s (%.0f)\n", s2, t->macs);
    rl_buf_printf(b, "  FLOPs                %s (2 per multiply-add + elementwise table)\n", s3);
    if (g->n_int8) {
        rl_model_fmt_si(int8_ops(g), s4, sizeof s4);
        rl_buf_printf(b, "  of which int8        %s operations in %zu int8 node%s\n", s4, g->n_int8,
                      g->n_int8 == 1 ? "" : "s");
    }
    rl_buf_printf(b, "  bytes read/written   %.2f MB / %.2f MB\n", t->bytes_read / 1e6,
                  t->bytes_written / 1e6);
    double bytes = t->bytes_read + t->bytes_written;
    rl_buf_printf(b, "  intensity            %.2f FLOP/byte\n", bytes > 0 ? t->flops / bytes : 0);
    rl_buf_printf(b, "  peak activations     %.2f MB\n", t->peak_activation_bytes / 1e6);
    if (v->machine) {
        /* with a runtime's prediction below, the bound says it is one */
        rl_buf_printf(b, "  %-20s %.3f ms (sum of per-node roofline times)\n",
                      v->pred ? "roofline bound" : "predicted time", v->time_s * 1e3);
        double whole = rl_roof_time(t->flops, bytes, v->machine, NULL, NULL);
        rl_buf_printf(b, "  whole-model bound    %.3f ms (totals only)\n", whole * 1e3);
    }
    if (v->prof)
        rl_buf_printf(b,
                      "  measured (profile)   %.3f ms in %zu matched nodes, %.3f ms in %zu "
                      "profile names not in the graph (fused or renamed), %d runs\n",
                      v->prof->matched_s * 1e3, v->prof->nodes_matched, v->prof->unmatched_s * 1e3,
                      v->prof->names_unmatched, v->prof->runs);
    if (v->pred)
        pred_totals(v, b);
    if (t->nodes_not_costed)
        rl_buf_printf(b, "  not costed           %zu nodes\n", t->nodes_not_costed);
    for (size_t i = 0; i < g->n_unsupported; i++)
        rl_buf_printf(b, "%s%s x%zu", i ? ", " : "  unsupported ops      ", g->unsupported[i].op,
                      g->unsupported[i].count);
    if (g->n_unsupported)
        rl_buf_printf(b, "\n");
    for (size_t i = 0; i < g->n_unknown_dims; i++)
        rl_buf_printf(b, "  unknown dim          %s (set it with --dim or --input)\n",
                      g->unknown_dims[i]);
    rl_buf_printf(b, "\nConvention:\n");
    rl_model_wrap(b, rl_cost_convention(), 96, "  ");
    if (g->n_int8)
        rl_model_wrap(b, rl_cost_convention_int8(), 96, "  ");
}

static void csv_field(rl_buf *b, const char *s)
{
    rl_buf_append(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            rl_buf_append(b, "\"", 1);
        rl_buf_append(b, s, 1);
    }
    rl_buf_append(b, "\"", 1);
}

void rl_model_csv(const rl_model_view *v, rl_buf *b)
{
    const rl_graph *g = v->m->g;
    char shape[256];
    /* a model with int8 nodes has two more columns: whether the node is int8, and its roof */
    int q = g->n_int8 > 0;
    char rbuf[48];
    rl_buf_printf(b,
                  "index,name,op,status,output_shape,params,macs,flops,bytes_read,bytes_written,"
                  "intensity,bound,attainable_gflops,time_s,measured_s%s\n",
                  q ? ",int8,roof" : "");
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        const rl_tensor *y = out0(g, n);
        if (y)
            rl_tensor_shape_str(y, shape, sizeof shape);
        else
            snprintf(shape, sizeof shape, "-");
        rl_buf_printf(b, "%zu,", i);
        csv_field(b, n->src->name);
        rl_buf_printf(b, ",");
        csv_field(b, n->src->op_type);
        rl_buf_printf(b, ",%s,%s,%llu,%.0f,%.0f,%.0f,%.0f,%.6g,%s,", status_name(n->status), shape,
                      (unsigned long long)n->params, n->macs, n->flops, n->bytes_read,
                      n->bytes_written, n->intensity, v->machine ? bound_name(n->bound) : "");
        if (v->machine && n->cost_known)
            rl_buf_printf(b, "%.6g,%.6g,", n->attainable_gflops, n->time_s);
        else
            rl_buf_printf(b, ",,");
        if (n->measured_s >= 0)
            rl_buf_printf(b, "%.6g", n->measured_s);
        if (q)
            rl_buf_printf(b, ",%d,%s", n->int8 != 0,
                          v->machine && n->cost_known ? roof_name(v->machine, n, rbuf, sizeof rbuf)
                                                      : "");
        rl_buf_printf(b, "\n");
    }
}

static int add_num(cJSON *o, const char *k, double x)
{
    return cJSON_AddNumberToObject(o, k, x) ? 0 : -1;
}

static cJSON *shape_json(const rl_tensor *t)
{
    if (t->rank < 0)
        return cJSON_CreateNull();
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < t->rank; i++) {
        cJSON *d = t->dims[i].v >= 0 ? cJSON_CreateNumber((double)t->dims[i].v)
                   : t->dims[i].sym  ? cJSON_CreateString(t->dims[i].sym)
                                     : cJSON_CreateNull();
        if (!d || !cJSON_AddItemToArray(a, d)) {
            cJSON_Delete(d);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* Adds n to the histogram's count of op (created when absent); 0 ok, 1 out of memory. */
static int add_count(cJSON *ops, const char *op, size_t n)
{
    if (!n)
        return 0;
    cJSON *r = cJSON_GetObjectItemCaseSensitive(ops, op);
    if (!r)
        return add_num(ops, op, (double)n) != 0;
    cJSON_SetNumberValue(r, r->valuedouble + (double)n);
    return 0;
}

/* --runtime, per node: class, fused_into, predicted_s, and what ORT runs it as. */
static int pred_node_json(const rl_model_view *v, size_t i, cJSON *no)
{
    const rl_prediction *p = v->pred;
    const rl_fuse_node *f = &p->fuse.n[i];
    int bad = !cJSON_AddStringToObject(no, "class", p->n[i].cls);
    if (f->state == RL_FUSE_FUSED)
        bad |= add_num(no, "fused_into", (double)f->into);
    else
        bad |= !cJSON_AddNullToObject(no, "fused_into");
    bad |= add_num(no, "predicted_s", p->n[i].predicted_s);
    const char *state = f->state == RL_FUSE_RUN      ? "executed"
                        : f->state == RL_FUSE_VIEW   ? "view"
                        : f->state == RL_FUSE_FOLDED ? "folded"
                                                     : "fused";
    bad |= !cJSON_AddStringToObject(no, "runtime_state", state);
    if (f->state == RL_FUSE_RUN) {
        bad |= !cJSON_AddStringToObject(no, "executed_as", f->exec_op);
        if (f->act)
            bad |= !cJSON_AddStringToObject(no, "activation", f->act);
        if (f->sum)
            bad |= !cJSON_AddBoolToObject(no, "residual_sum", 1);
        bad |= !cJSON_AddBoolToObject(no, "nchwc", f->nchwc);
        bad |= add_num(no, "predicted_x", p->n[i].x);
        if (p->n[i].from_bound)
            bad |= !cJSON_AddBoolToObject(no, "predicted_from_bound", 1);
        const rl_pred_node *pn = &p->n[i];
        if (pn->curve) {
            const rl_rt_point *pt = &pn->curve->pts[pn->nearest];
            bad |= !cJSON_AddStringToObject(no, "curve", pn->curve->name);
            bad |= add_num(no, "curve_spread", pn->curve->spread);
            cJSON *np = cJSON_AddObjectToObject(no, "nearest_point");
            bad |= !np;
            if (np) {
                bad |= add_num(np, "x", pt->x);
                bad |= add_num(np, "ratio", pn->near_ratio);
                bad |= !cJSON_AddStringToObject(np, "what", pt->what);
            }
        } else {
            bad |= !cJSON_AddNullToObject(no, "curve");
        }
        bad |= add_num(no, "predicted_lo_s", pn->lo_s);
        bad |= add_num(no, "predicted_hi_s", pn->hi_s);
        bad |= !cJSON_AddBoolToObject(no, "far_from_calibration", pn->far);
    }
    return bad;
}

/* --runtime: the profile used and what ORT executes. */
static int pred_runtime_json(const rl_model_view *v, cJSON *root)
{
    const rl_prediction *p = v->pred;
    const rl_runtime *rt = p->rt;
    const rl_graph *g = v->m->g;
    cJSON *o = cJSON_AddObjectToObject(root, "runtime");
    if (!o)
        return 1;
    int bad = 0;
    bad |= !cJSON_AddStringToObject(o, "file", rt->file);
    bad |= !cJSON_AddStringToObject(o, "name", rt->name);
    bad |= !cJSON_AddStringToObject(o, "version", rt->version);
    bad |= !cJSON_AddStringToObject(o, "optimization", rt->optimization);
    bad |= !cJSON_AddStringToObject(o, "provider", rt->provider);
    bad |= add_num(o, "threads", v->threads);
    bad |= !cJSON_AddStringToObject(o, "cpu", rt->cpu);
    bad |= !cJSON_AddStringToObject(o, "cpu_predicted_for", v->cpu_here ? v->cpu_here : "");
    bad |= !cJSON_AddBoolToObject(o, "cpu_mismatch", v->cpu_mismatch);
    bad |= add_num(o, "run_overhead_s", p->th->run_overhead_s);
    bad |= add_num(o, "node_overhead_s", p->th->node_overhead_s);
    bad |= add_num(o, "nodes_s", p->nodes_s);
    bad |= add_num(o, "reorders_s", p->reorders_s);
    bad |= add_num(o, "nodes_executed", (double)p->fuse.n_run);
    bad |= add_num(o, "nchwc_block", p->fuse.block);
    cJSON *far = cJSON_AddArrayToObject(o, "far_nodes");
    bad |= !far;
    for (size_t i = 0; far && !bad && i < g->n_nodes; i++) {
        if (p->fuse.n[i].state != RL_FUSE_RUN || !p->n[i].far)
            continue;
        cJSON *fo = cJSON_CreateObject();
        if (!fo || !cJSON_AddItemToArray(far, fo)) {
            cJSON_Delete(fo);
            return 1;
        }
        bad |= add_num(fo, "node", (double)i);
        bad |= !cJSON_AddStringToObject(fo, "name", g->nodes[i].src->name);
        bad |= !cJSON_AddStringToObject(fo, "class", p->n[i].cls);
        bad |= !cJSON_AddStringToObject(fo, "why",
                                        p->n[i].curve        ? "no close calibration point"
                                        : p->n[i].from_bound ? "no curve in the profile"
                                                             : "size unknown");
    }
    cJSON *arr = cJSON_AddArrayToObject(o, "missing_classes");
    bad |= !arr;
    for (size_t k = 0; arr && k < p->n_missing; k++)
        bad |= !cJSON_AddItemToArray(arr, cJSON_CreateString(p->missing[k]));
    arr = cJSON_AddArrayToObject(o, "reorders");
    bad |= !arr;
    for (size_t k = 0; arr && !bad && k < p->fuse.n_reorders; k++) {
        const rl_fuse_reorder *r = &p->fuse.reorders[k];
        cJSON *ro = cJSON_CreateObject();
        if (!ro || !cJSON_AddItemToArray(arr, ro)) {
            cJSON_Delete(ro);
            return 1;
        }
        bad |= !cJSON_AddStringToObject(ro, "op", r->op);
        bad |= !cJSON_AddStringToObject(ro, "tensor", g->t[r->tensor].name);
        if (r->node >= 0)
            bad |= add_num(ro, "node", (double)r->node);
        else
            bad |= !cJSON_AddNullToObject(ro, "node");
        bad |= !cJSON_AddStringToObject(ro, "class", "copy");
        bad |= add_num(ro, "bytes", r->bytes);
        bad |= add_num(ro, "predicted_s", p->reorder_s[k]);
    }
    /* what ORT runs, op by op: the fused view's histogram, to compare with ORT's saved graph */
    cJSON *ops = cJSON_AddObjectToObject(o, "executed_ops");
    bad |= !ops;
    for (size_t i = 0; ops && !bad && i < g->n_nodes; i++) {
        const char *op = rl_fuse_op(g, &p->fuse, i);
        if (!op || cJSON_GetObjectItemCaseSensitive(ops, op))
            continue;
        size_t count = 0;
        for (size_t j = i; j < g->n_nodes; j++) {
            const char *o2 = rl_fuse_op(g, &p->fuse, j);
            count += o2 && !strcmp(o2, op);
        }
        bad |= add_num(ops, op, (double)count);
    }
    size_t n_in = 0, n_out = 0;
    for (size_t k = 0; k < p->fuse.n_reorders; k++)
        *(p->fuse.reorders[k].op[7] == 'I' ? &n_in : &n_out) += 1;
    bad |= ops && add_count(ops, "Reshape", p->fuse.n_extra_views);
    bad |= ops && add_count(ops, "ReorderInput", n_in);
    bad |= ops && add_count(ops, "ReorderOutput", n_out);
    return bad;
}

char *rl_model_json(const rl_model_view *v, rl_err *err)
{
    const rl_model *m = v->m;
    const rl_graph *g = m->g;
    const rl_onnx_model *om = m->onnx;
    const rl_cost_totals *t = &m->tot;
    cJSON *root = cJSON_CreateObject(), *o, *arr;
    int bad = !root;
    if (bad)
        goto fail;
    bad |= !cJSON_AddStringToObject(root, "schema", RL_MODEL_SCHEMA);
    bad |= !cJSON_AddStringToObject(root, "file", om->file);
    bad |= add_num(root, "ir_version", (double)om->ir_version);
    bad |= add_num(root, "opset", (double)om->opset);
    bad |= !cJSON_AddStringToObject(root, "producer", om->producer);
    bad |= !cJSON_AddStringToObject(root, "weights", weights_state(om));
    bad |= !cJSON_AddStringToObject(root, "convention", rl_cost_convention());
    if (v->machine) {
        bad |= !(o = cJSON_AddObjectToObject(root, "machine"));
        if (o) {
            bad |= !cJSON_AddStringToObject(o, "name", v->machine->name);
            bad |= add_num(o, "peak_gflops", v->machine->peak_gflops);
            bad |= !cJSON_AddStringToObject(o, "peak_source", v->machine->peak_source);
            bad |= add_num(o, "bandwidth_gbs", v->machine->bw_gbs);
            bad |= !cJSON_AddStringToObject(o, "bandwidth_source", v->machine->bw_source);
            bad |= add_num(o, "ridge_flop_per_byte", v->machine->peak_gflops / v->machine->bw_gbs);
            if (g->n_int8 && v->machine->int8_gops > 0) {
                bad |= add_num(o, "int8_peak_gops", v->machine->int8_gops);
                bad |= !cJSON_AddStringToObject(o, "int8_peak_source", v->machine->int8_source);
            } else if (g->n_int8) {
                bad |= !cJSON_AddNullToObject(o, "int8_peak_gops");
                bad |= !cJSON_AddNullToObject(o, "int8_peak_source");
            }
        }
    }
    if (g->n_int8)
        bad |= !cJSON_AddStringToObject(root, "convention_int8", rl_cost_convention_int8());
    if (v->pred)
        bad |= pred_runtime_json(v, root);
    bad |= !(o = cJSON_AddObjectToObject(root, "totals"));
    if (o) {
        double bytes = t->bytes_read + t->bytes_written;
        bad |= add_num(o, "params", (double)t->params);
        bad |= add_num(o, "param_bytes", (double)t->param_bytes);
        bad |= add_num(o, "macs", t->macs);
        bad |= add_num(o, "flops", t->flops);
        bad |= add_num(o, "bytes_read", t->bytes_read);
        bad |= add_num(o, "bytes_written", t->bytes_written);
        bad |= add_num(o, "intensity", bytes > 0 ? t->flops / bytes : 0);
        bad |= add_num(o, "peak_activation_bytes", t->peak_activation_bytes);
        if (v->machine)
            bad |= add_num(o, "time_s", v->time_s);
        if (v->pred) {
            bad |= add_num(o, "predicted_s", v->pred->total_s);
            bad |= add_num(o, "predicted_lo_s", v->pred->lo_s);
            bad |= add_num(o, "predicted_hi_s", v->pred->hi_s);
        }
        if (v->prof) {
            bad |= add_num(o, "measured_matched_s", v->prof->matched_s);
            bad |= add_num(o, "measured_unmatched_s", v->prof->unmatched_s);
        }
        if (g->n_int8) {
            bad |= add_num(o, "int8_ops", int8_ops(g));
            bad |= add_num(o, "int8_nodes", (double)g->n_int8);
        }
        bad |= add_num(o, "nodes", (double)g->n_nodes);
        bad |= add_num(o, "nodes_not_costed", (double)t->nodes_not_costed);
        bad |= !cJSON_AddBoolToObject(o, "incomplete", t->incomplete);
    }
    bad |= !(arr = cJSON_AddArrayToObject(root, "nodes"));
    for (size_t i = 0; arr && !bad && i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        cJSON *no = cJSON_CreateObject();
        if (!no || !cJSON_AddItemToArray(arr, no)) {
            cJSON_Delete(no);
            bad = 1;
            break;
        }
        bad |= add_num(no, "index", (double)i);
        bad |= !cJSON_AddStringToObject(no, "name", n->src->name);
        bad |= !cJSON_AddStringToObject(no, "op", n->src->op_type);
        bad |= !cJSON_AddStringToObject(no, "status", status_name(n->status));
        if (n->note)
            bad |= !cJSON_AddStringToObject(no, "note", n->note);
        cJSON *outs = cJSON_AddArrayToObject(no, "outputs");
        bad |= !outs;
        for (size_t k = 0; outs && k < n->src->n_outputs; k++) {
            cJSON *oo = cJSON_CreateObject();
            if (!oo || !cJSON_AddItemToArray(outs, oo)) {
                cJSON_Delete(oo);
                bad = 1;
                break;
            }
            bad |= !cJSON_AddStringToObject(oo, "name", n->src->outputs[k]);
            if (n->out[k] != SIZE_MAX) {
                const rl_tensor *tt = &g->t[n->out[k]];
                cJSON *sh = shape_json(tt);
                bad |= !sh || !cJSON_AddItemToObject(oo, "shape", sh);
                bad |= !cJSON_AddStringToObject(oo, "dtype", rl_onnx_dtype_name(tt->dtype));
            }
        }
        if (g->n_int8) {
            static const char *const role[] = {NULL, "core", "absorbed"};
            bad |= !cJSON_AddBoolToObject(no, "int8", n->int8 != 0);
            if (n->qdq > 0 && n->qdq < 3)
                bad |= !cJSON_AddStringToObject(no, "qdq", role[n->qdq]);
            if (v->machine && n->cost_known && n->bound != RL_BOUND_NONE) {
                char rbuf[48];
                bad |= !cJSON_AddStringToObject(no, "roof",
                                                roof_name(v->machine, n, rbuf, sizeof rbuf));
            }
        }
        if (n->cost_known) {
            bad |= add_num(no, "params", (double)n->params);
            bad |= add_num(no, "macs", n->macs);
            bad |= add_num(no, "flops", n->flops);
            bad |= add_num(no, "bytes_read", n->bytes_read);
            bad |= add_num(no, "bytes_written", n->bytes_written);
            bad |= add_num(no, "intensity", n->intensity);
            if (v->machine) {
                bad |= !cJSON_AddStringToObject(no, "bound", bound_name(n->bound));
                bad |= add_num(no, "attainable_gflops", n->attainable_gflops);
                bad |= add_num(no, "time_s", n->time_s);
            }
        } else {
            bad |= add_num(no, "params", (double)n->params);
        }
        if (v->pred)
            bad |= pred_node_json(v, i, no);
        if (v->prof && n->measured_s >= 0) {
            bad |= add_num(no, "measured_s", n->measured_s);
            double ach = n->measured_s > 0 ? n->flops / n->measured_s / 1e9 : 0;
            bad |= add_num(no, "achieved_gflops", ach);
            if (v->machine && n->attainable_gflops > 0 && n->flops > 0)
                bad |= add_num(no, "fraction_of_roofline", ach / n->attainable_gflops);
        }
    }
    bad |= !(arr = cJSON_AddArrayToObject(root, "unsupported_ops"));
    for (size_t i = 0; arr && !bad && i < g->n_unsupported; i++) {
        cJSON *uo = cJSON_CreateObject();
        if (!uo || !cJSON_AddItemToArray(arr, uo)) {
            cJSON_Delete(uo);
            bad = 1;
            break;
        }
        bad |= !cJSON_AddStringToObject(uo, "op", g->unsupported[i].op);
        bad |= add_num(uo, "count", (double)g->unsupported[i].count);
    }
    bad |= !(arr = cJSON_AddArrayToObject(root, "unknown_dims"));
    for (size_t i = 0; arr && !bad && i < g->n_unknown_dims; i++) {
        cJSON *s = cJSON_CreateString(g->unknown_dims[i]);
        if (!s || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            bad = 1;
        }
    }
    if (bad)
        goto fail;
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory writing JSON");
    return text;
fail:
    cJSON_Delete(root);
    rl_err_set(err, RL_EXIT_RUNTIME, "out of memory writing JSON");
    return NULL;
}

/* ---- the quick form ---- */

void rl_model_quick_text(double flops, double bytes, const rl_roof_machine *mc, rl_buf *b)
{
    int bound;
    double att;
    double t = rl_roof_time(flops, bytes, mc, &bound, &att);
    double intensity = bytes > 0 ? flops / bytes : 0;
    rl_buf_printf(b,
                  "machine: %s: peak %.1f GFLOP/s (%s), bandwidth %.1f GB/s (%s), ridge %.2f "
                  "FLOP/B\n",
                  mc->name, mc->peak_gflops, mc->peak_source, mc->bw_gbs, mc->bw_source,
                  mc->peak_gflops / mc->bw_gbs);
    rl_buf_printf(b, "workload: %.4g FLOPs, %.4g bytes, intensity %.2f FLOP/B\n", flops, bytes,
                  intensity);
    rl_buf_printf(b, "attainable %.1f GFLOP/s, %s-bound, roofline time %.3f ms\n", att,
                  bound == RL_BOUND_COMPUTE ? "compute" : "memory", t * 1e3);
}

char *rl_model_quick_json(double flops, double bytes, const rl_roof_machine *mc, rl_err *err)
{
    int bound;
    double att;
    double t = rl_roof_time(flops, bytes, mc, &bound, &att);
    double intensity = bytes > 0 ? flops / bytes : 0;
    cJSON *o = cJSON_CreateObject();
    int bad = !o;
    bad = bad || !cJSON_AddStringToObject(o, "schema", RL_MODEL_SCHEMA);
    bad = bad || !cJSON_AddNumberToObject(o, "flops", flops);
    bad = bad || !cJSON_AddNumberToObject(o, "bytes", bytes);
    bad = bad || !cJSON_AddNumberToObject(o, "intensity", intensity);
    bad = bad || !cJSON_AddNumberToObject(o, "peak_gflops", mc->peak_gflops);
    bad = bad || !cJSON_AddStringToObject(o, "peak_source", mc->peak_source);
    bad = bad || !cJSON_AddNumberToObject(o, "bandwidth_gbs", mc->bw_gbs);
    bad = bad || !cJSON_AddStringToObject(o, "bandwidth_source", mc->bw_source);
    bad = bad || !cJSON_AddNumberToObject(o, "attainable_gflops", att);
    bad = bad ||
          !cJSON_AddStringToObject(o, "bound", bound == RL_BOUND_COMPUTE ? "compute" : "memory");
    bad = bad || !cJSON_AddNumberToObject(o, "time_s", t);
    char *text = bad ? NULL : cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    return text;
}
