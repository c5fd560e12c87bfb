/* html_fleet.c: the fleet page (see html_fleet.h). */
#include "report/html_fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fleet.h"
#include "report/html.h"
#include "report/html_page.h"
#include "report/table.h"
#include "report/view.h"

/* The flags of node i on ceiling c (a NUMA share counts for DRAM); RL_FLEET_BELOW_* or -1. */
static int flag_of(const rl_fleet_summary *s, size_t i, int c)
{
    int below = -1;
    for (size_t k = 0; k < s->n_flags; k++)
        if (s->flags[k].node == i && s->flags[k].ceiling == c &&
            (below < 0 || s->flags[k].below != RL_FLEET_BELOW_THEORY))
            below = s->flags[k].below;
    return below;
}

static int node_flagged(const rl_fleet_summary *s, size_t i)
{
    for (size_t k = 0; k < s->n_flags; k++)
        if (s->flags[k].node == i)
            return 1;
    return 0;
}

static void num_cell(rl_buf *b, double v, const char *extra_cls, const char *marker)
{
    char a[32];
    rl_buf_printf(b, "<td class=\"num%s%s\"", extra_cls ? " " : "", extra_cls ? extra_cls : "");
    if (v >= 0)
        rl_buf_printf(b, " data-v=\"%.17g\"", v);
    rl_buf_printf(b, ">%s%s</td>", rl_view_num(a, sizeof a, v, "-"), marker ? marker : "");
}

static void flag_text(rl_buf *b, const rl_fleet *f, const rl_fleet_flag *fl)
{
    rl_buf line = {0};
    rl_report_fleet_flag_line(&line, f, fl); /* worded as in every other rendering */
    rl_html_text(b, line.data);
    b->failed |= line.failed;
    rl_buf_free(&line);
}

static void node_table(rl_buf *b, const rl_fleet *f, const rl_fleet_summary *s)
{
    int gpus = s->n_ceilings > RL_FLEET_CPU_CEILINGS;
    static const char *const HEAD[] = {"host",         "status",       "group",     "CPU",
                                       "cores",        "sockets/NUMA", "clock GHz", "fp64 GFLOP/s",
                                       "fp32 GFLOP/s", "DRAM GB/s",    "L3 GB/s"};
    rl_buf_printf(b, "<div class=\"scroll\"><table id=\"nodes\" class=\"sortable filterable\">\n"
                     "<thead><tr>");
    for (size_t c = 0; c < sizeof HEAD / sizeof HEAD[0]; c++)
        rl_buf_printf(b, "<th scope=\"col\"%s>%s</th>",
                      (c >= 4 && c != 5) || c == 2 ? " class=\"num\"" : "", HEAD[c]);
    if (gpus)
        rl_buf_printf(b, "<th scope=\"col\" class=\"num\">GPUs</th><th scope=\"col\" "
                         "class=\"num\">slowest GPU GFLOP/s</th><th scope=\"col\" "
                         "class=\"num\">slowest GPU DRAM GB/s</th>");
    rl_buf_printf(b, "<th scope=\"col\" class=\"num\">I_max fp64</th><th scope=\"col\" "
                     "class=\"num\">fp64 eff</th><th scope=\"col\">flags</th></tr></thead>\n"
                     "<tbody>\n");
    for (size_t i = 0; i < f->n_nodes; i++) {
        const rl_fleet_node *n = &f->nodes[i];
        const rl_fleet_figures *fig = &s->figures[i];
        int flagged = node_flagged(s, i);
        rl_buf_printf(b, "<tr%s data-host=\"", flagged ? " class=\"flagged\"" : "");
        rl_html_text(b, n->host);
        rl_buf_printf(b, "\"><td>");
        if (n->result && i < RL_HTML_FLEET_NODE_CHARTS) {
            rl_buf_printf(b, "<a href=\"#node-%zu\">", i);
            rl_html_text(b, n->host);
            rl_buf_printf(b, "</a>");
        } else {
            rl_html_text(b, n->host);
        }
        rl_buf_printf(b, "</td><td>%s</td>", rl_fleet_node_ok(n) ? "ok" : "failed");
        if (s->group_of[i] >= 0)
            rl_buf_printf(b, "<td class=\"num\">%d</td>", s->group_of[i] + 1);
        else
            rl_buf_printf(b, "<td class=\"num\">-</td>");
        if (n->result) {
            const rl_machine *m = &n->result->machine;
            rl_buf_printf(b, "<td>");
            rl_html_text(b, m->brand[0] ? m->brand : "?");
            rl_buf_printf(b, "</td><td class=\"num\">%d</td><td>%d/%d</td>", m->cores, m->packages,
                          m->numa_nodes);
        } else {
            rl_buf_printf(b, "<td>-</td><td class=\"num\">-</td><td>-</td>");
        }
        num_cell(b, fig->clock_ghz, NULL, NULL);
        for (int c = 0; c < s->n_ceilings; c++) {
            int below = flag_of(s, i, c);
            if (c == RL_FLEET_CPU_CEILINGS) /* the GPU columns */
                rl_buf_printf(b, "<td class=\"num\">%d</td>", fig->gpus);
            num_cell(b, fig->value[c], below >= 0 ? "flag" : NULL,
                     below < 0                          ? NULL
                     : below == RL_FLEET_BELOW_THEORY   ? " \xe2\x96\xbc theory"
                     : below == RL_FLEET_BELOW_SIBLINGS ? " \xe2\x96\xbc NUMA"
                                                        : " \xe2\x96\xbc");
        }
        num_cell(b, fig->imax, NULL, NULL);
        char e[32];
        rl_buf_printf(b, "<td class=\"num\">%s</td><td>",
                      rl_view_pct(e, sizeof e, fig->efficiency, "-"));
        char flags[512];
        rl_report_fleet_node_flags(s, i, flags, sizeof flags);
        if (flags[0]) {
            rl_buf_printf(b, "<span class=\"flag\">");
            rl_html_text(b, flags);
            rl_buf_printf(b, "</span>");
        }
        rl_buf_printf(b, "</td></tr>\n");
    }
    rl_buf_printf(b, "</tbody></table></div>\n");
}

static void groups_table(rl_buf *b, const rl_fleet *f, const rl_fleet_summary *s)
{
    rl_table t;
    rl_table_init(&t, s->n_ceilings > RL_FLEET_CPU_CEILINGS ? "llrrrrrr" : "llrrrr");
    rl_table_row(&t);
    rl_table_cell(&t, "group");
    rl_table_cell(&t, "hardware (hosts)");
    for (int c = 0; c < s->n_ceilings; c++)
        rl_table_cell(&t, "median %s %s", rl_fleet_ceiling_name(c), rl_fleet_ceiling_unit(c));
    for (size_t g = 0; g < s->n_groups; g++) {
        rl_buf hosts = {0};
        for (size_t k = 0; k < s->groups[g].n_nodes; k++)
            rl_buf_printf(&hosts, "%s%s", k ? ", " : "", f->nodes[s->groups[g].nodes[k]].host);
        rl_table_row(&t);
        rl_table_cell(&t, "%zu", g + 1);
        rl_table_cell(&t, "%s (%s)", s->groups[g].hardware, hosts.data ? hosts.data : "");
        rl_buf_free(&hosts);
        for (int c = 0; c < s->n_ceilings; c++) {
            char v[32];
            rl_table_cell(&t, "%s", rl_view_num(v, sizeof v, s->groups[g].median[c], "-"));
        }
    }
    if (t.rows > 1)
        rl_html_table(b, &t, "groups", "sortable");
    else
        rl_buf_printf(b, "<p class=\"note\">None: no node reported a result.</p>\n");
    b->failed |= t.failed;
    rl_table_free(&t);
}

/* Each node's DRAM share per NUMA node ("NUMA<k>" bandwidth rows), where a node measured them. */
static void numa_table(rl_buf *b, const rl_fleet *f)
{
    rl_table t;
    char v[32];
    rl_table_init(&t, "llrlr");
    rl_table_row(&t);
    rl_table_cell(&t, "host");
    rl_table_cell(&t, "NUMA node");
    rl_table_cell(&t, "GB/s");
    rl_table_cell(&t, "kernel");
    rl_table_cell(&t, "threads");
    for (size_t i = 0; i < f->n_nodes; i++) {
        const rl_result *r = f->nodes[i].result;
        for (size_t k = 0; r && k < r->n_bandwidth; k++) {
            const rl_bandwidth *w = &r->bandwidth[k];
            if (strncmp(w->level, "NUMA", 4) != 0)
                continue;
            rl_table_row(&t);
            rl_table_cell(&t, "%s", f->nodes[i].host);
            rl_table_cell(&t, "%s", w->level + 4);
            rl_table_cell(&t, "%s", rl_view_num(v, sizeof v, w->gbs, "-"));
            rl_table_cell(&t, "%s", w->kernel);
            rl_table_cell(&t, "%d", w->threads);
        }
    }
    if (t.rows > 1) {
        rl_buf_printf(b, "<h2 id=\"numa\">DRAM share per NUMA node</h2>\n");
        rl_html_table(b, &t, "numa-shares", "sortable filterable");
    }
    b->failed |= t.failed;
    rl_table_free(&t);
}

int rl_report_fleet_html_body(rl_buf *b, const rl_fleet *f, rl_err *err)
{
    rl_fleet_summary s;
    if (rl_fleet_summarize(f, &s, err) != 0)
        return -1;
    rl_buf_printf(b, "<p class=\"lead\">");
    rl_html_textf(b,
                  "%zu node%s: %zu ok, %zu failed; %zu hardware group%s%s. roofline %s, %s; "
                  "nodes measured %s.",
                  f->n_nodes, f->n_nodes == 1 ? "" : "s", s.n_ok, s.n_failed, s.n_groups,
                  s.n_groups == 1 ? "" : "s",
                  f->partial ? " (PARTIAL: interrupted before every node answered)" : "",
                  f->tool_version, f->date,
                  f->serial ? "one after another (--serial)" : "at the same time");
    rl_buf_printf(b, "</p>\n<p class=\"note\">");
    rl_html_textf(b,
                  "Flagged: a ceiling more than %.0f%% (compute) or %.0f%% (bandwidth) below its "
                  "group's median, compute more than %.0f%% below its theory, DRAM more than "
                  "%.0f%% below its theory. A flagged row starts with \xe2\x9a\x91; a fallen "
                  "figure ends with \xe2\x96\xbc.",
                  f->compute_threshold * 100, f->bandwidth_threshold * 100,
                  f->theory_compute_threshold * 100, f->theory_dram_threshold * 100);
    rl_buf_printf(b, "</p>\n<h2 id=\"flags\">Flags</h2>\n");
    if (s.n_flags == 0) {
        rl_buf_printf(b, "<p>None: every node is within the thresholds.</p>\n");
    } else {
        rl_buf_printf(b, "<ul class=\"warnings flags\">\n");
        for (size_t k = 0; k < s.n_flags; k++) {
            rl_buf_printf(b, "<li class=\"flag\">");
            flag_text(b, f, &s.flags[k]);
            rl_buf_printf(b, "</li>\n");
        }
        rl_buf_printf(b, "</ul>\n");
    }
    rl_buf_printf(b, "<h2 id=\"nodes-h\">Nodes</h2>\n<p class=\"note\">Measured at the most "
                     "threads each node ran. Click a host for its roofline; click a column "
                     "heading to sort.</p>\n");
    node_table(b, f, &s);
    if (s.n_failed) {
        rl_buf_printf(b, "<h2 id=\"failed\">Failed nodes</h2>\n<ul class=\"warnings\">\n");
        for (size_t i = 0; i < f->n_nodes; i++)
            if (!rl_fleet_node_ok(&f->nodes[i])) {
                rl_buf_printf(b, "<li>");
                rl_html_textf(b, "%s: %s", f->nodes[i].host, f->nodes[i].status);
                rl_buf_printf(b, "</li>\n");
            }
        rl_buf_printf(b, "</ul>\n");
    }
    rl_buf_printf(b, "<h2 id=\"groups-h\">Hardware groups</h2>\n<p class=\"note\">Same CPU model, "
                     "cores, sockets, NUMA nodes and memory configuration.</p>\n");
    groups_table(b, f, &s);
    numa_table(b, f);
    rl_buf_printf(b, "<h2 id=\"rooflines\">Each node's roofline</h2>\n");
    for (size_t i = 0; i < f->n_nodes && i < RL_HTML_FLEET_NODE_CHARTS; i++) {
        const rl_fleet_node *n = &f->nodes[i];
        if (!n->result)
            continue;
        char id[32], name[160];
        snprintf(id, sizeof id, "n%zu-", i);
        rl_view_machine_name(n->result, name, sizeof name);
        rl_buf_printf(b, "<details id=\"node-%zu\"><summary>", i);
        rl_html_textf(b, "%s%s: %s", node_flagged(&s, i) ? "\xe2\x9a\x91 " : "", n->host, name);
        rl_buf_printf(b, "</summary>\n");
        rl_report_html_charts(b, n->result, id, 3);
        rl_buf_printf(b, "</details>\n");
    }
    if (f->n_nodes > RL_HTML_FLEET_NODE_CHARTS)
        rl_buf_printf(b,
                      "<p class=\"note\">The first %d nodes' rooflines are shown; every node's "
                      "result is in the embedded JSON.</p>\n",
                      RL_HTML_FLEET_NODE_CHARTS);
    rl_buf_printf(b, "<h2 id=\"provenance\">Provenance</h2>\n");
    rl_html_kv_begin(b);
    rl_html_kv(b, "tool", f->tool_version);
    rl_html_kv(b, "date", f->date);
    rl_html_kv(b, "command line", f->command_line);
    rl_html_kv(b, "schema", RL_FLEET_SCHEMA);
    rl_html_kv_end(b);
    rl_fleet_summary_free(&s);
    if (b->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing the fleet page");
    return 0;
}

int rl_report_fleet_html(rl_buf *b, const rl_fleet *f, rl_err *err)
{
    char *json = rl_fleet_to_json(f, err);
    if (!json)
        return -1;
    rl_buf body = {0};
    int rc = rl_report_fleet_html_body(&body, f, err);
    if (rc == 0)
        rc = rl_html_page(b, "fleet", "Fleet roofline", &body, json, err);
    rl_buf_free(&body);
    free(json);
    return rc;
}
