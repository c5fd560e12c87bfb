/* publish.c: the static site's pages and index (see publish.h). */
#include "report/publish.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/html_fleet.h"
#include "report/html_model.h"
#include "report/html_page.h"
#include "report/html_roof.h"
#include "report/view.h"
#include "result/fleet.h"

#define SITE_SCHEMA "roofline-site/1"

/* One row of the index: a machine (a CPU, a GPU, a fleet's node). Unknown figures are <0. */
typedef struct row {
    char href[160];
    char name[160]; /* what the row is called: the file's base name, "file gpu0", a host */
    char hardware[192];
    int units;
    const char *units_word; /* "cores", "SMs" */
    double clock, fp64, fp32, dram, l1, l2, l3, imax, eff;
    const char *date, *version;
} row;

enum {
    COL_UNITS,
    COL_CLOCK,
    COL_FP64,
    COL_FP32,
    COL_DRAM,
    COL_L1,
    COL_L2,
    COL_L3,
    COL_IMAX,
    COL_EFF,
    COL_NUM
};

static const struct {
    const char *head, *json;
    int higher_is_better;
} COLS[COL_NUM] = {
    {"cores / SMs", "units", 1},        {"clock GHz", "clock_ghz", 1},
    {"fp64 GFLOP/s", "fp64_gflops", 1}, {"fp32 GFLOP/s", "fp32_gflops", 1},
    {"DRAM GB/s", "dram_gbs", 1},       {"L1 GB/s", "l1_gbs", 1},
    {"L2 GB/s", "l2_gbs", 1},           {"L3 GB/s", "l3_gbs", 1},
    {"I_max fp64", "imax_fp64", 0},     {"fp64 efficiency", "fp64_efficiency", 1},
};

static double col(const row *r, int c)
{
    switch (c) {
    case COL_UNITS:
        return r->units > 0 ? r->units : -1;
    case COL_CLOCK:
        return r->clock;
    case COL_FP64:
        return r->fp64;
    case COL_FP32:
        return r->fp32;
    case COL_DRAM:
        return r->dram;
    case COL_L1:
        return r->l1;
    case COL_L2:
        return r->l2;
    case COL_L3:
        return r->l3;
    case COL_IMAX:
        return r->imax;
    default:
        return r->eff;
    }
}

typedef struct rows {
    row *v;
    size_t n, cap;
    int failed;
} rows;

static row *add_row(rows *rs)
{
    if (rs->failed)
        return NULL;
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        row *p = realloc(rs->v, cap * sizeof *p);
        if (!p) {
            rs->failed = 1;
            return NULL;
        }
        rs->v = p;
        rs->cap = cap;
    }
    row *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    r->clock = r->fp64 = r->fp32 = r->dram = r->l1 = r->l2 = r->l3 = r->imax = r->eff = -1;
    return r;
}

static double best_gbs(const rl_result *r, const char *level)
{
    const rl_bandwidth *b = rl_view_best_bandwidth(r, level, NULL, 0);
    return b ? b->gbs : -1;
}

static void cpu_row(rows *rs, const rl_result *r, const char *href, const char *name)
{
    row *w = add_row(rs);
    if (!w)
        return;
    rl_fleet_figures fig;
    rl_fleet_figures_of(r, &fig);
    snprintf(w->href, sizeof w->href, "%s", href);
    snprintf(w->name, sizeof w->name, "%s", name);
    rl_view_machine_name(r, w->hardware, sizeof w->hardware);
    w->units = r->machine.cores;
    w->units_word = "cores";
    w->clock = fig.clock_ghz;
    w->fp64 = fig.value[RL_FLEET_FP64];
    w->fp32 = fig.value[RL_FLEET_FP32];
    w->dram = fig.value[RL_FLEET_DRAM];
    w->l3 = fig.value[RL_FLEET_L3];
    w->l1 = best_gbs(r, "L1");
    w->l2 = best_gbs(r, "L2");
    w->imax = fig.imax;
    w->eff = fig.efficiency;
    w->date = r->meta.date;
    w->version = r->meta.tool_version;
}

static void device_row(rows *rs, const rl_result *r, const rl_device *d, const char *href,
                       const char *name)
{
    row *w = add_row(rs);
    if (!w)
        return;
    rl_view_roof roof;
    rl_view_device_roof(d, &roof);
    snprintf(w->href, sizeof w->href, "%s#%s", href, d->id);
    snprintf(w->name, sizeof w->name, "%s %s", name, d->id);
    snprintf(w->hardware, sizeof w->hardware, "%s (%s)", d->name, d->arch);
    w->units = d->units;
    w->units_word = "SMs";
    w->clock = d->measured_clock_ghz;
    double fp64_theory = -1;
    for (size_t i = 0; i < roof.n_compute; i++) {
        const rl_view_compute *k = &roof.compute[i];
        if (strcmp(k->unit, "GFLOP/s") != 0)
            continue;
        if (!strcmp(k->precision, "fp64") && k->gflops > w->fp64) {
            w->fp64 = k->gflops;
            fp64_theory = k->theoretical;
        }
        if (!strcmp(k->precision, "fp32") && k->gflops > w->fp32)
            w->fp32 = k->gflops;
    }
    for (size_t i = 0; i < roof.n_memory; i++) {
        const rl_view_memory *m = &roof.memory[i];
        if (!strcmp(m->level, "DRAM"))
            w->dram = m->gbs;
        else if (!strcmp(m->level, "L1"))
            w->l1 = m->gbs;
        else if (!strcmp(m->level, "L2"))
            w->l2 = m->gbs;
    }
    if (w->fp64 > 0 && w->dram > 0)
        w->imax = w->fp64 / w->dram;
    if (w->fp64 > 0 && fp64_theory > 0)
        w->eff = w->fp64 / fp64_theory;
    w->date = r->meta.date;
    w->version = r->meta.tool_version;
}

static void result_rows(rows *rs, const rl_result *r, const char *href, const char *name)
{
    if (rl_html_has_cpu(r))
        cpu_row(rs, r, href, name);
    for (size_t i = 0; i < r->n_devices; i++)
        device_row(rs, r, &r->devices[i], href, name);
}

void rl_publish_page_name(const char *source, const rl_publish_page *taken, size_t n, char *out,
                          size_t size)
{
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    char stem[64];
    size_t len = strlen(base);
    if (len > 5 && (!strcmp(base + len - 5, ".json") || !strcmp(base + len - 5, ".html")))
        len -= 5;
    if (len >= sizeof stem)
        len = sizeof stem - 1;
    for (size_t i = 0; i < len; i++) {
        char c = base[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        stem[i] = ok ? c : '-';
    }
    stem[len] = '\0';
    if (len == 0 || stem[0] == '.')
        snprintf(stem, sizeof stem, "result");
    if (!strcmp(stem, "index"))
        snprintf(stem, sizeof stem, "index-page");
    for (int k = 1;; k++) {
        if (k == 1)
            snprintf(out, size, "%s.html", stem);
        else
            snprintf(out, size, "%s-%d.html", stem, k);
        size_t i;
        for (i = 0; i < n && strcmp(taken[i].name, out) != 0; i++)
            ;
        if (i == n)
            return;
    }
}

static void num_cell(rl_buf *b, double v)
{
    char a[32];
    if (v >= 0)
        rl_buf_printf(b, "<td class=\"num\" data-v=\"%.17g\">%s</td>", v,
                      rl_view_num(a, sizeof a, v, "-"));
    else
        rl_buf_printf(b, "<td class=\"num\">-</td>");
}

static void machines_table(rl_buf *b, const rows *rs)
{
    rl_buf_printf(b, "<div class=\"scroll\"><table id=\"index\" class=\"sortable filterable "
                     "pickable\">\n<thead><tr><th scope=\"col\">machine</th><th "
                     "scope=\"col\">hardware</th>");
    for (int c = 0; c < COL_NUM; c++)
        rl_buf_printf(b, "<th scope=\"col\" class=\"num\"%s>%s</th>",
                      COLS[c].higher_is_better ? " data-better=\"higher\"" : "", COLS[c].head);
    rl_buf_printf(b, "<th scope=\"col\">date</th><th scope=\"col\">version</th></tr></thead>\n"
                     "<tbody>\n");
    for (size_t i = 0; i < rs->n; i++) {
        const row *r = &rs->v[i];
        char e[32];
        rl_buf_printf(b, "<tr><td><a href=\"");
        rl_html_text(b, r->href);
        rl_buf_printf(b, "\">");
        rl_html_text(b, r->name);
        rl_buf_printf(b, "</a></td><td>");
        rl_html_text(b, r->hardware);
        rl_buf_printf(b, "</td>");
        for (int c = 0; c < COL_NUM; c++) {
            if (c == COL_UNITS && r->units > 0)
                rl_buf_printf(b, "<td class=\"num\" data-v=\"%d\">%d %s</td>", r->units, r->units,
                              r->units_word);
            else if (c == COL_EFF && r->eff >= 0)
                rl_buf_printf(b, "<td class=\"num\" data-v=\"%.17g\">%s</td>", r->eff,
                              rl_view_pct(e, sizeof e, r->eff, "-"));
            else
                num_cell(b, col(r, c));
        }
        rl_buf_printf(b, "<td>");
        rl_html_text(b, r->date);
        rl_buf_printf(b, "</td><td>");
        rl_html_text(b, r->version);
        rl_buf_printf(b, "</td></tr>\n");
    }
    rl_buf_printf(b, "</tbody></table></div>\n");
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* One row per model document: what it is, on which machine, its FLOPs, intensity and time. */
static void model_row(rl_buf *b, const char *href, const char *source, const char *json)
{
    cJSON *root = cJSON_Parse(json);
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(root, "totals");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "machine");
    const cJSON *sw = cJSON_GetObjectItemCaseSensitive(root, "sweep");
    char what[192];
    if (sw)
        snprintf(what, sizeof what, "%s: sweep of %s (%d values)", jstr(root, "file"),
                 jstr(root, "sweep_dim"), cJSON_GetArraySize(sw));
    else if (tot)
        snprintf(what, sizeof what, "%s", jstr(root, "file"));
    else
        snprintf(what, sizeof what, "one workload (--flops/--bytes)");
    const cJSON *fig = tot ? tot : root;
    rl_buf_printf(b, "<tr><td><a href=\"");
    rl_html_text(b, href);
    rl_buf_printf(b, "\">");
    rl_html_text(b, source);
    rl_buf_printf(b, "</a></td><td>");
    rl_html_text(b, what);
    rl_buf_printf(b, "</td><td>");
    rl_html_text(b, m ? jstr(m, "name") : jnum(root, "peak_gflops") > 0 ? "typed in" : "-");
    rl_buf_printf(b, "</td>");
    num_cell(b, sw ? -1 : jnum(fig, "flops") / 1e9);
    num_cell(b, sw ? -1 : jnum(fig, "intensity"));
    double t = sw ? -1 : jnum(fig, "time_s");
    num_cell(b, t >= 0 ? t * 1e3 : -1);
    rl_buf_printf(b, "</tr>\n");
    cJSON_Delete(root);
}

static char *index_json(const rl_publish_input *in, size_t n, const rl_publish_site *site,
                        const rows *rs)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "schema", SITE_SCHEMA);
    cJSON *pages = cJSON_AddArrayToObject(root, "pages");
    static const char *const KIND[] = {"result", "fleet", "model"};
    for (size_t i = 0; pages && i < n; i++) {
        cJSON *p = cJSON_CreateObject();
        if (!p || !cJSON_AddItemToArray(pages, p)) {
            cJSON_Delete(p);
            break;
        }
        cJSON_AddStringToObject(p, "page", site->pages[i].name);
        const char *base = strrchr(in[i].source, '/');
        cJSON_AddStringToObject(p, "source", base ? base + 1 : in[i].source);
        cJSON_AddStringToObject(p, "kind", KIND[in[i].doc->kind]);
    }
    cJSON *machines = cJSON_AddArrayToObject(root, "machines");
    for (size_t i = 0; machines && i < rs->n; i++) {
        const row *r = &rs->v[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(machines, o)) {
            cJSON_Delete(o);
            break;
        }
        cJSON_AddStringToObject(o, "href", r->href);
        cJSON_AddStringToObject(o, "name", r->name);
        cJSON_AddStringToObject(o, "hardware", r->hardware);
        for (int c = 0; c < COL_NUM; c++) {
            double v = col(r, c);
            if (v >= 0)
                cJSON_AddNumberToObject(o, COLS[c].json, v);
            else
                cJSON_AddNullToObject(o, COLS[c].json);
        }
        cJSON_AddStringToObject(o, "date", r->date ? r->date : "");
        cJSON_AddStringToObject(o, "version", r->version ? r->version : "");
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

/* A page of the site leads back to the index: a link before the page's <main> (the template's,
 * report/html/page.html), so the same page stays whole on its own too. */
static int add_nav(rl_buf *page, rl_err *err)
{
    static const char MAIN[] = "<main id=\"main\">";
    static const char NAV[] = "<nav class=\"site\"><a href=\"index.html\">All results</a></nav>\n";
    char *at = page->data ? strstr(page->data, MAIN) : NULL;
    if (!at)
        return rl_err_set(err, RL_EXIT_RUNTIME, "page template: no <main> to put the site's link");
    size_t off = (size_t)(at - page->data), tail = page->len - off;
    rl_buf_append(page, NAV, sizeof NAV - 1); /* grows the buffer; the bytes are moved below */
    if (page->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    memmove(page->data + off + sizeof NAV - 1, page->data + off, tail);
    memcpy(page->data + off, NAV, sizeof NAV - 1);
    return 0;
}

static int render_page(const rl_publish_input *in, rl_buf *b, rl_err *err)
{
    const rl_document *d = in->doc;
    int rc;
    switch (d->kind) {
    case RL_DOC_RESULT:
        rc = rl_report_html(b, d->result, err);
        break;
    case RL_DOC_FLEET:
        rc = rl_report_fleet_html(b, d->fleet, err);
        break;
    default:
        rc = rl_report_model_html(b, d->model_json, strlen(d->model_json), in->source, err);
        break;
    }
    return rc == 0 ? add_nav(b, err) : rc;
}

int rl_publish(const rl_publish_input *in, size_t n, rl_publish_site *site, rl_err *err)
{
    memset(site, 0, sizeof *site);
    site->pages = calloc(n + 1, sizeof *site->pages);
    if (!site->pages)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    rows rs = {0};
    rl_buf models = {0};
    size_t n_models = 0;
    for (size_t i = 0; i < n; i++) {
        rl_publish_page *p = &site->pages[i];
        rl_publish_page_name(in[i].source, site->pages, i, p->name, sizeof p->name);
        site->n = i + 1;
        if (render_page(&in[i], &p->data, err) != 0)
            goto fail;
        char stem[96];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(p->name) - 5), p->name);
        const rl_document *d = in[i].doc;
        if (d->kind == RL_DOC_RESULT) {
            result_rows(&rs, d->result, p->name, stem);
        } else if (d->kind == RL_DOC_FLEET) {
            for (size_t k = 0; k < d->fleet->n_nodes; k++) {
                const rl_fleet_node *node = &d->fleet->nodes[k];
                if (!node->result)
                    continue;
                char href[160];
                if (k < RL_HTML_FLEET_NODE_CHARTS)
                    snprintf(href, sizeof href, "%s#node-%zu", p->name, k);
                else
                    snprintf(href, sizeof href, "%s", p->name);
                result_rows(&rs, node->result, href, node->host);
            }
        } else {
            model_row(&models, p->name, stem, d->model_json);
            n_models++;
        }
    }
    if (rs.failed)
        goto oom;

    rl_buf body = {0};
    rl_buf_printf(&body,
                  "<p class=\"lead\">%zu machine%s from %zu file%s. Click a heading to sort, "
                  "type to filter, pick two rows to see them side by side; each machine's page "
                  "holds its tables, its interactive roofline and its data.</p>\n",
                  rs.n, rs.n == 1 ? "" : "s", n, n == 1 ? "" : "s");
    rl_buf_printf(&body, "<h2 id=\"machines\">Machines</h2>\n<p class=\"note\">Measured figures "
                         "at the most threads each machine ran (a GPU: the best launch); "
                         "efficiency: the fp64 peak against its theory; I_max: the fp64 peak "
                         "over DRAM bandwidth, in FLOP/byte.</p>\n");
    if (rs.n)
        machines_table(&body, &rs);
    else
        rl_buf_printf(&body, "<p>None.</p>\n");
    rl_buf_printf(&body, "<section id=\"pair\" aria-live=\"polite\"></section>\n");
    if (n_models) {
        rl_buf_printf(&body,
                      "<h2 id=\"models\">Models</h2>\n<div class=\"scroll\"><table id=\"models-"
                      "table\" class=\"sortable\">\n<thead><tr><th scope=\"col\">page</th><th "
                      "scope=\"col\">model</th><th scope=\"col\">machine</th><th scope=\"col\" "
                      "class=\"num\">GFLOP</th><th scope=\"col\" class=\"num\">FLOP/byte</th>"
                      "<th scope=\"col\" class=\"num\">roofline ms</th></tr></thead>\n<tbody>\n");
        rl_buf_append(&body, models.data, models.len);
        rl_buf_printf(&body, "</tbody></table></div>\n");
    }
    rl_buf_printf(&body, "<h2 id=\"pages\">Pages</h2>\n<ul class=\"pages\">\n");
    for (size_t i = 0; i < n; i++) {
        rl_buf_printf(&body, "<li><a href=\"");
        rl_html_text(&body, site->pages[i].name);
        rl_buf_printf(&body, "\">");
        rl_html_text(&body, site->pages[i].name);
        rl_buf_printf(&body, "</a> (from ");
        const char *base = strrchr(in[i].source, '/');
        rl_html_text(&body, base ? base + 1 : in[i].source);
        rl_buf_printf(&body, ")</li>\n");
    }
    rl_buf_printf(&body, "</ul>\n");
    char *json = index_json(in, n, site, &rs);
    rl_publish_page *idx = &site->pages[n];
    snprintf(idx->name, sizeof idx->name, "index.html");
    site->n = n + 1;
    int rc = json ? rl_html_page(&idx->data, "index", "Roofline results", &body, json, err) : -1;
    free(json);
    rl_buf_free(&body);
    if (rc != 0)
        goto oom;
    free(rs.v);
    rl_buf_free(&models);
    return 0;
oom:
    rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing the site");
fail:
    free(rs.v);
    rl_buf_free(&models);
    rl_publish_free(site);
    return -1;
}

void rl_publish_free(rl_publish_site *site)
{
    if (!site)
        return;
    for (size_t i = 0; i < site->n; i++)
        rl_buf_free(&site->pages[i].data);
    free(site->pages);
    memset(site, 0, sizeof *site);
}
