/* html_model.c: a model's page (see html_model.h). */
#include "report/html_model.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_chart.h"
#include "report/html_page.h"
#include "report/view.h"

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* "4.09 G", "25.5 M", "812 k", "12"; unknown "-". */
static const char *si(char *out, size_t size, double x)
{
    static const char *const UNITS[] = {"", " k", " M", " G", " T", " P"};
    int u = 0;
    if (!(x >= 0)) {
        snprintf(out, size, "-");
        return out;
    }
    while (x >= 1000 && u < 5) {
        x /= 1000;
        u++;
    }
    char v[32];
    snprintf(out, size, "%s%s", rl_view_num(v, sizeof v, x, "-"), UNITS[u]);
    return out;
}

/* A numeric cell: the figure for the eye, the exact value for sorting and for the tests. */
static void cell(rl_buf *b, double v, const char *shown)
{
    if (v >= 0)
        rl_buf_printf(b, "<td class=\"num\" data-v=\"%.17g\">", v);
    else
        rl_buf_printf(b, "<td class=\"num\">");
    rl_html_text(b, shown);
    rl_buf_printf(b, "</td>");
}

/* The machine's two roofs; returns 1 when the JSON names a machine. */
static int machine_roofs(rl_hchart *c, const cJSON *root, rl_buf *b)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "machine");
    double peak = m ? num(m, "peak_gflops") : num(root, "peak_gflops");
    double bw = m ? num(m, "bandwidth_gbs") : num(root, "bandwidth_gbs");
    const cJSON *src = m ? m : root;
    char a[32], d[32];
    if (!(peak > 0) || !(bw > 0))
        return 0;
    rl_hc_roof *r = rl_hchart_roof(c);
    if (r) {
        r->value = peak;
        snprintf(r->cls, sizeof r->cls, "c0");
        snprintf(r->tags, sizeof r->tags, "kind:roof");
        snprintf(r->label, sizeof r->label, "peak %s GFLOP/s", rl_view_num(a, sizeof a, peak, "?"));
        snprintf(r->tip, sizeof r->tip, "compute roof: %s GFLOP/s (%s)",
                 rl_view_num(a, sizeof a, peak, "?"), str(src, "peak_source"));
    }
    r = rl_hchart_roof(c);
    if (r) {
        r->slanted = 1;
        r->value = bw;
        snprintf(r->cls, sizeof r->cls, "m0");
        snprintf(r->tags, sizeof r->tags, "kind:roof");
        snprintf(r->label, sizeof r->label, "DRAM %s GB/s", rl_view_num(a, sizeof a, bw, "?"));
        snprintf(r->tip, sizeof r->tip, "memory roof: %s GB/s (%s); ridge at %s FLOP/byte",
                 rl_view_num(a, sizeof a, bw, "?"), str(src, "bandwidth_source"),
                 rl_view_num(d, sizeof d, peak / bw, "?"));
    }
    /* A model with int8 nodes: their own roof (GOP/s), where the machine has one. */
    double int8 = m ? num(m, "int8_peak_gops") : -1;
    if (int8 > 0 && (r = rl_hchart_roof(c))) {
        r->value = int8;
        snprintf(r->cls, sizeof r->cls, "c1");
        snprintf(r->tags, sizeof r->tags, "kind:roof");
        snprintf(r->label, sizeof r->label, "int8 %s GOP/s", rl_view_num(a, sizeof a, int8, "?"));
        snprintf(r->tip, sizeof r->tip, "int8 roof: %s GOP/s (%s), for the int8 layers",
                 rl_view_num(a, sizeof a, int8, "?"), str(m, "int8_peak_source"));
    }
    rl_html_kv_begin(b);
    rl_html_kv(b, "machine", m ? str(m, "name") : "");
    snprintf(d, sizeof d, "%s GFLOP/s", rl_view_num(a, sizeof a, peak, "?"));
    char line[256];
    snprintf(line, sizeof line, "%s (%s)", d, str(src, "peak_source"));
    rl_html_kv(b, "peak", line);
    snprintf(d, sizeof d, "%s GB/s", rl_view_num(a, sizeof a, bw, "?"));
    snprintf(line, sizeof line, "%s (%s)", d, str(src, "bandwidth_source"));
    rl_html_kv(b, "bandwidth", line);
    snprintf(line, sizeof line, "%s FLOP/byte", rl_view_num(a, sizeof a, peak / bw, "?"));
    rl_html_kv(b, "ridge point", line);
    if (int8 > 0) {
        snprintf(d, sizeof d, "%s GOP/s", rl_view_num(a, sizeof a, int8, "?"));
        snprintf(line, sizeof line, "%s (%s)", d, str(m, "int8_peak_source"));
        rl_html_kv(b, "int8 roof", line);
    }
    rl_html_kv_end(b);
    return 1;
}

static void layers(rl_buf *b, rl_hchart *c, const cJSON *root, int placed)
{
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(root, "totals");
    double total_flops = num(tot, "flops"), total_time = num(tot, "time_s");
    const cJSON *n;
    char a[32], f[32], y[32], t[32], s[32];
    cJSON_ArrayForEach(n, nodes)
    {
        double flops = num(n, "flops"), intensity = num(n, "intensity");
        double att = num(n, "attainable_gflops");
        if (!placed || !(flops > 0) || !(intensity > 0) || !(att > 0))
            continue;
        rl_hc_point *p = rl_hchart_point(c);
        if (!p)
            return;
        int compute = !strcmp(str(n, "bound"), "compute");
        double share = total_flops > 0 ? flops / total_flops : 0;
        p->x = intensity;
        p->y = att;
        p->triangle = compute;
        p->radius = 3 + 9 * sqrt(share);
        snprintf(p->cls, sizeof p->cls, "%s", compute ? "c0" : "m0");
        int is_int8 = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(n, "int8"));
        snprintf(p->tags, sizeof p->tags, "bound:%s op:%.40s%s", compute ? "compute" : "memory",
                 str(n, "op"), is_int8 ? " roof:int8" : "");
        double bytes = num(n, "bytes_read") + num(n, "bytes_written");
        snprintf(p->tip, sizeof p->tip,
                 "layer %.0f %.120s (%.40s): %s%s, %sB, intensity %s %s/byte, %s-bound, "
                 "%s %s attainable, roofline time %s us",
                 num(n, "index"), str(n, "name"), str(n, "op"), si(f, sizeof f, flops),
                 is_int8 ? "OP (int8)" : "FLOP", si(y, sizeof y, bytes),
                 rl_view_num(a, sizeof a, intensity, "?"), is_int8 ? "OP" : "FLOP",
                 compute ? "compute" : "memory", rl_view_num(s, sizeof s, att, "?"),
                 is_int8 ? "GOP/s" : "GFLOP/s",
                 rl_view_num(t, sizeof t, num(n, "time_s") * 1e6, "?"));
    }
    rl_buf_printf(b, "<h2 id=\"layers\">Layers</h2>\n<p class=\"note\">Every node the analysis "
                     "costed; click a heading to sort, type to filter.</p>\n");
    rl_buf_printf(b, "<div class=\"scroll\"><table id=\"layer-table\" class=\"sortable "
                     "filterable\">\n<thead><tr><th scope=\"col\" class=\"num\">#</th><th "
                     "scope=\"col\">name</th><th scope=\"col\">op</th><th scope=\"col\" "
                     "class=\"num\">FLOPs</th><th scope=\"col\" class=\"num\">bytes</th><th "
                     "scope=\"col\" class=\"num\">FLOP/byte</th>");
    if (placed)
        rl_buf_printf(b, "<th scope=\"col\">bound</th><th scope=\"col\" class=\"num\">GFLOP/s "
                         "attainable</th><th scope=\"col\" class=\"num\">time us</th><th "
                         "scope=\"col\" class=\"num\">share of time</th>");
    rl_buf_printf(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(n, nodes)
    {
        if (!cJSON_GetObjectItemCaseSensitive(n, "flops"))
            continue; /* not costed (folded at load time, or shapes unknown) */
        double flops = num(n, "flops");
        double bytes = num(n, "bytes_read") + num(n, "bytes_written");
        rl_buf_printf(b, "<tr>");
        snprintf(a, sizeof a, "%.0f", num(n, "index"));
        cell(b, num(n, "index"), a);
        rl_buf_printf(b, "<td>");
        rl_html_text(b, str(n, "name"));
        rl_buf_printf(b, "</td><td>");
        rl_html_text(b, str(n, "op"));
        rl_buf_printf(b, "</td>");
        cell(b, flops, si(f, sizeof f, flops));
        cell(b, bytes, si(y, sizeof y, bytes));
        cell(b, num(n, "intensity"), rl_view_num(a, sizeof a, num(n, "intensity"), "-"));
        if (placed) {
            double time = num(n, "time_s");
            rl_buf_printf(b, "<td>");
            rl_html_text(b, str(n, "bound"));
            rl_buf_printf(b, "</td>");
            cell(b, num(n, "attainable_gflops"),
                 rl_view_num(s, sizeof s, num(n, "attainable_gflops"), "-"));
            cell(b, time >= 0 ? time * 1e6 : -1, rl_view_num(t, sizeof t, time * 1e6, "-"));
            cell(b, total_time > 0 && time >= 0 ? time / total_time : -1,
                 rl_view_pct(a, sizeof a, total_time > 0 ? time / total_time : -1, "-"));
        }
        rl_buf_printf(b, "</tr>\n");
    }
    rl_buf_printf(b, "</tbody></table></div>\n");
}

static void totals(rl_buf *b, const cJSON *root)
{
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(root, "totals");
    char a[32], line[128];
    if (!tot)
        return;
    rl_buf_printf(b, "<h2 id=\"totals\">Totals</h2>\n");
    rl_html_kv_begin(b);
    rl_html_kv(b, "file", str(root, "file"));
    snprintf(line, sizeof line, "%sFLOP", si(a, sizeof a, num(tot, "flops")));
    rl_html_kv(b, "FLOPs", line);
    snprintf(line, sizeof line, "%sB read, ", si(a, sizeof a, num(tot, "bytes_read")));
    size_t used = strlen(line);
    snprintf(line + used, sizeof line - used, "%sB written",
             si(a, sizeof a, num(tot, "bytes_written")));
    rl_html_kv(b, "bytes", line);
    snprintf(line, sizeof line, "%s FLOP/byte",
             rl_view_num(a, sizeof a, num(tot, "intensity"), "-"));
    rl_html_kv(b, "intensity", line);
    snprintf(line, sizeof line, "%s", si(a, sizeof a, num(tot, "params")));
    rl_html_kv(b, "parameters", line);
    if (num(tot, "time_s") >= 0) {
        snprintf(line, sizeof line, "%s ms (the sum of every layer's roofline time)",
                 rl_view_num(a, sizeof a, num(tot, "time_s") * 1e3, "-"));
        rl_html_kv(b, "roofline time", line);
    }
    if (num(tot, "predicted_s") >= 0) {
        snprintf(line, sizeof line, "%s ms (runtime profile)",
                 rl_view_num(a, sizeof a, num(tot, "predicted_s") * 1e3, "-"));
        rl_html_kv(b, "predicted time", line);
    }
    snprintf(line, sizeof line, "%.0f of %.0f%s", num(tot, "nodes_not_costed"), num(tot, "nodes"),
             cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tot, "incomplete"))
                 ? " (totals are a lower bound)"
                 : "");
    rl_html_kv(b, "nodes not costed", line);
    rl_html_kv(b, "weights", str(root, "weights"));
    rl_html_kv(b, "convention", str(root, "convention"));
    rl_html_kv_end(b);
}

static void sweep(rl_buf *b, rl_hchart *c, const cJSON *root, int placed)
{
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(root, "sweep"), *p;
    const char *dim = str(root, "sweep_dim");
    char a[32], f[32], y[32], t[32], s[32];
    cJSON_ArrayForEach(p, pts)
    {
        double time = num(p, "time_s"), flops = num(p, "flops");
        if (!placed || !(time > 0) || !(flops > 0) || !(num(p, "intensity") > 0))
            continue;
        rl_hc_point *e = rl_hchart_point(c);
        if (!e)
            return;
        int compute = !strcmp(str(p, "bound"), "compute");
        e->x = num(p, "intensity");
        e->y = flops / time / 1e9;
        e->triangle = compute;
        snprintf(e->cls, sizeof e->cls, "%s", compute ? "c0" : "m0");
        snprintf(e->tags, sizeof e->tags, "bound:%s", compute ? "compute" : "memory");
        snprintf(e->label, sizeof e->label, "%.40s=%.0f", dim, num(p, "value"));
        snprintf(e->tip, sizeof e->tip,
                 "%.60s = %.0f: %sFLOP, %sB, intensity %s FLOP/byte, %s-bound, %s ms, %s "
                 "tokens/s",
                 dim, num(p, "value"), si(f, sizeof f, flops), si(y, sizeof y, num(p, "bytes")),
                 rl_view_num(a, sizeof a, e->x, "?"), compute ? "compute" : "memory",
                 rl_view_num(t, sizeof t, time * 1e3, "?"),
                 rl_view_num(s, sizeof s, num(p, "tokens_per_s"), "?"));
    }
    rl_buf_printf(b, "<h2 id=\"sweep-table\">Sweep of ");
    rl_html_text(b, dim);
    rl_buf_printf(b, "</h2>\n<div class=\"scroll\"><table id=\"sweep\" class=\"sortable\">\n"
                     "<thead><tr><th scope=\"col\" class=\"num\">");
    rl_html_text(b, dim);
    rl_buf_printf(b, "</th><th scope=\"col\" class=\"num\">FLOPs</th><th scope=\"col\" "
                     "class=\"num\">bytes</th><th scope=\"col\" class=\"num\">weights</th><th "
                     "scope=\"col\" class=\"num\">KV cache</th><th scope=\"col\" "
                     "class=\"num\">activations</th><th scope=\"col\" "
                     "class=\"num\">FLOP/byte</th>");
    if (placed)
        rl_buf_printf(b, "<th scope=\"col\">bound</th><th scope=\"col\" class=\"num\">time "
                         "ms</th><th scope=\"col\" class=\"num\">tokens/s</th><th "
                         "scope=\"col\">ridge</th>");
    rl_buf_printf(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(p, pts)
    {
        rl_buf_printf(b, "<tr>");
        cell(b, num(p, "value"), rl_view_num(a, sizeof a, num(p, "value"), "-"));
        cell(b, num(p, "flops"), si(f, sizeof f, num(p, "flops")));
        cell(b, num(p, "bytes"), si(y, sizeof y, num(p, "bytes")));
        cell(b, num(p, "weight_bytes"), si(s, sizeof s, num(p, "weight_bytes")));
        cell(b, num(p, "kv_bytes"), si(t, sizeof t, num(p, "kv_bytes")));
        cell(b, num(p, "activation_bytes"), si(s, sizeof s, num(p, "activation_bytes")));
        cell(b, num(p, "intensity"), rl_view_num(a, sizeof a, num(p, "intensity"), "-"));
        if (placed) {
            double time = num(p, "time_s");
            rl_buf_printf(b, "<td>");
            rl_html_text(b, str(p, "bound"));
            rl_buf_printf(b, "</td>");
            cell(b, time >= 0 ? time * 1e3 : -1, rl_view_num(t, sizeof t, time * 1e3, "-"));
            cell(b, num(p, "tokens_per_s"), rl_view_num(s, sizeof s, num(p, "tokens_per_s"), "-"));
            rl_buf_printf(b, "<td>");
            rl_html_text(b, str(p, "ridge_side"));
            rl_buf_printf(b, "</td>");
        }
        rl_buf_printf(b, "</tr>\n");
    }
    rl_buf_printf(b, "</tbody></table></div>\n");
}

static void quick(rl_hchart *c, const cJSON *root)
{
    char a[32], f[32], y[32], t[32];
    double x = num(root, "intensity"), att = num(root, "attainable_gflops");
    if (!(x > 0) || !(att > 0))
        return;
    rl_hc_point *p = rl_hchart_point(c);
    if (!p)
        return;
    int compute = !strcmp(str(root, "bound"), "compute");
    p->x = x;
    p->y = att;
    p->triangle = compute;
    p->radius = 7;
    snprintf(p->cls, sizeof p->cls, "%s", compute ? "c0" : "m0");
    snprintf(p->tags, sizeof p->tags, "bound:%s", compute ? "compute" : "memory");
    snprintf(p->label, sizeof p->label, "the workload");
    snprintf(p->tip, sizeof p->tip,
             "the workload: %sFLOP, %sB, intensity %s FLOP/byte, %s-bound, %s ms at %s GFLOP/s",
             si(f, sizeof f, num(root, "flops")), si(y, sizeof y, num(root, "bytes")),
             rl_view_num(a, sizeof a, x, "?"), compute ? "compute" : "memory",
             rl_view_num(t, sizeof t, num(root, "time_s") * 1e3, "?"),
             rl_view_num(a, sizeof a, att, "?"));
}

int rl_report_model_html(rl_buf *b, const char *json, size_t len, const char *name, rl_err *err)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsObject(root) || !cJSON_IsString(schema) ||
        strcmp(schema->valuestring, RL_HTML_MODEL_SCHEMA) != 0) {
        cJSON_Delete(root);
        return rl_err_set(err, RL_EXIT_INPUT, "%s: not a model analysis (schema %s)", name,
                          RL_HTML_MODEL_SCHEMA);
    }
    rl_buf body = {0}, mach = {0};
    rl_hchart c = {0};
    const char *file = str(root, "file");
    int is_sweep = cJSON_GetObjectItemCaseSensitive(root, "sweep") != NULL;
    int is_quick = cJSON_GetObjectItemCaseSensitive(root, "nodes") == NULL && !is_sweep;
    snprintf(c.id, sizeof c.id, "chart-model");
    snprintf(c.title, sizeof c.title, "%s on the machine's roofline",
             is_quick  ? "The workload"
             : file[0] ? file
                       : "The model");
    int placed = machine_roofs(&c, root, &mach);
    rl_buf_printf(&body, "<p class=\"lead\">");
    if (is_quick)
        rl_html_text(&body, "One workload placed on a machine's roofline.");
    else
        rl_html_textf(&body, "%s: %s%s", file, is_sweep ? "a sweep of " : "every layer",
                      is_sweep ? str(root, "sweep_dim") : " on the machine's roofline");
    rl_buf_printf(&body, "</p>\n");
    if (placed) {
        rl_buf_printf(&body, "<h2 id=\"machine\">Machine</h2>\n");
        rl_buf_append(&body, mach.data ? mach.data : "", mach.len);
    }
    rl_buf table = {0};
    if (is_quick)
        quick(&c, root);
    else if (is_sweep)
        sweep(&table, &c, root, placed);
    else
        layers(&table, &c, root, placed);
    if (placed) {
        snprintf(c.desc, sizeof c.desc,
                 "Log-log roofline chart: the machine's compute and memory roofs and %zu points "
                 "(%s); the table lists every one.",
                 c.n_points, is_sweep ? "one per value of the sweep" : "one per costed layer");
        rl_buf_printf(&body, "<h2 id=\"roofline\">On the roofline</h2>\n");
        rl_hchart_render(&body, &c,
                         "Triangles: compute-bound; circles: memory-bound (size: share of the "
                         "FLOPs). Each point sits at its attainable performance, min(peak, "
                         "intensity x bandwidth). Hover or focus a point for its figures.");
    } else {
        rl_buf_printf(&body, "<p class=\"note\">No machine was given (--machine or "
                             "--peak/--bandwidth), so the layers are not placed on a "
                             "roofline.</p>\n");
    }
    rl_buf_append(&body, table.data ? table.data : "", table.len);
    body.failed |= table.failed || mach.failed;
    if (!is_quick && !is_sweep)
        totals(&body, root);
    rl_buf_free(&table);
    rl_buf_free(&mach);
    rl_hchart_free(&c);
    char title[256];
    snprintf(title, sizeof title, "Model on the roofline: %s",
             is_quick  ? "one workload"
             : file[0] ? file
                       : "model");
    int rc = rl_html_page(b, "model", title, &body, json, err);
    rl_buf_free(&body);
    cJSON_Delete(root);
    return rc;
}
