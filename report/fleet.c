/* fleet.c: the fleet report (see fleet.h). */
#include "report/fleet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"
#include "report/html_fleet.h"
#include "report/table.h"
#include "report/view.h"

/* The run in one line: version, date, mode, time limit, thresholds. */
static void preamble(rl_buf *b, const rl_fleet *f, const char *indent)
{
    char lim[32] = "";
    if (f->node_timeout_s > 0)
        snprintf(lim, sizeof lim, "; per-node time limit %.0f s", f->node_timeout_s);
    rl_buf_printf(b, "%sroofline %s, %s; nodes measured %s%s\n", indent, f->tool_version, f->date,
                  f->serial ? "one after another (--serial)" : "at the same time", lim);
    rl_buf_printf(b,
                  "%sflagged: a ceiling more than %.0f%% (compute) or %.0f%% (bandwidth) below "
                  "its group's median, compute more than %.0f%% below its theory, DRAM more "
                  "than %.0f%% below its theory\n",
                  indent, f->compute_threshold * 100, f->bandwidth_threshold * 100,
                  f->theory_compute_threshold * 100, f->theory_dram_threshold * 100);
}

static void headline(rl_buf *b, const rl_fleet *f, const rl_fleet_summary *s)
{
    rl_buf_printf(b, "%zu node%s: %zu ok, %zu failed; %zu hardware group%s%s", f->n_nodes,
                  f->n_nodes == 1 ? "" : "s", s->n_ok, s->n_failed, s->n_groups,
                  s->n_groups == 1 ? "" : "s",
                  f->partial ? " (PARTIAL: interrupted before every node answered)" : "");
}

void rl_report_fleet_node_flags(const rl_fleet_summary *s, size_t i, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t k = 0; k < s->n_flags; k++) {
        const rl_fleet_flag *fl = &s->flags[k];
        if (fl->node != i)
            continue;
        static const char *const SHORT[] = {"fp64", "fp32",     "DRAM",        "L3",
                                            "GPU",  "GPU DRAM", "DRAM latency"};
        size_t used = strlen(out);
        char what[40];
        if (fl->below == RL_FLEET_GPU_FINDING)
            snprintf(what, sizeof what, "%s", fl->gpu);
        else if (fl->below == RL_FLEET_BELOW_SIBLINGS)
            snprintf(what, sizeof what, "NUMA%d", fl->numa);
        else
            snprintf(what, sizeof what, "%s", SHORT[fl->ceiling]);
        snprintf(out + used, size - used, "%s%s %s%.0f%%%s", used ? ", " : "", what,
                 fl->below == RL_FLEET_ABOVE_GROUP ? "+" : "-", fabs(fl->shortfall) * 100,
                 fl->below == RL_FLEET_BELOW_THEORY ? " (theory)" : "");
    }
}

/* The node table: the same cells for the terminal and Markdown. */
static void node_table(rl_table *t, const rl_fleet *f, const rl_fleet_summary *s)
{
    int gpus = s->n_ceilings > RL_FLEET_CPU_CEILINGS;
    rl_table_init(t, gpus ? "llrlrlrrrrrrrrrrl" : "llrlrlrrrrrrrl");
    rl_table_row(t);
    static const char *const HEAD[] = {"host",         "status",       "group",     "CPU",
                                       "cores",        "sockets/NUMA", "clock GHz", "fp64 GFLOP/s",
                                       "fp32 GFLOP/s", "DRAM GB/s",    "L3 GB/s"};
    for (size_t c = 0; c < sizeof HEAD / sizeof HEAD[0]; c++)
        rl_table_cell(t, "%s", HEAD[c]);
    if (gpus) {
        rl_table_cell(t, "GPUs");
        rl_table_cell(t, "slowest GPU GFLOP/s");
        rl_table_cell(t, "slowest GPU DRAM GB/s");
    }
    rl_table_cell(t, "I_max fp64");
    rl_table_cell(t, "fp64 eff");
    rl_table_cell(t, "flags");
    for (size_t i = 0; i < f->n_nodes; i++) {
        const rl_fleet_node *n = &f->nodes[i];
        const rl_fleet_figures *fig = &s->figures[i];
        char v[RL_FLEET_CEILINGS][24], clock[24], imax[24], eff[24], flags[256];
        for (int c = 0; c < RL_FLEET_CEILINGS; c++)
            rl_view_num(v[c], sizeof v[c], fig->value[c], "-");
        rl_table_row(t);
        rl_table_cell(t, "%s", n->host);
        rl_table_cell(t, "%s", rl_fleet_node_ok(n) ? "ok" : "failed");
        if (s->group_of[i] >= 0)
            rl_table_cell(t, "%d", s->group_of[i] + 1);
        else
            rl_table_cell(t, "-");
        if (n->result) {
            const rl_machine *m = &n->result->machine;
            rl_table_cell(t, "%s", m->brand[0] ? m->brand : "?");
            rl_table_cell(t, "%d", m->cores);
            rl_table_cell(t, "%d/%d", m->packages, m->numa_nodes);
        } else {
            rl_table_cell(t, "-");
            rl_table_cell(t, "-");
            rl_table_cell(t, "-");
        }
        rl_table_cell(t, "%s", rl_view_num(clock, sizeof clock, fig->clock_ghz, "-"));
        for (int c = 0; c < RL_FLEET_CPU_CEILINGS; c++)
            rl_table_cell(t, "%s", v[c]);
        if (gpus) {
            rl_table_cell(t, "%d", fig->gpus);
            for (int c = RL_FLEET_CPU_CEILINGS; c < RL_FLEET_CEILINGS; c++)
                rl_table_cell(t, "%s", v[c]);
        }
        rl_table_cell(t, "%s", rl_view_num(imax, sizeof imax, fig->imax, "-"));
        rl_table_cell(t, "%s", rl_view_pct(eff, sizeof eff, fig->efficiency, "-"));
        rl_report_fleet_node_flags(s, i, flags, sizeof flags);
        rl_table_cell(t, "%s", flags);
    }
}

/* "fp64 peak 101 GFLOP/s, fp32 peak 203 GFLOP/s, DRAM bandwidth -, L3 bandwidth 410 GB/s" */
static void medians(rl_buf *b, const rl_fleet_group *g, int n_ceilings)
{
    for (int c = 0; c < n_ceilings; c++) {
        char v[24];
        rl_buf_printf(b, "%s%s %s%s%s", c ? ", " : "", rl_fleet_ceiling_name(c),
                      rl_view_num(v, sizeof v, g->median[c], "-"), g->median[c] > 0 ? " " : "",
                      g->median[c] > 0 ? rl_fleet_ceiling_unit(c) : "");
    }
    if (g->median_dram_ns > 0) { /* only where latency was measured: older fleets unchanged */
        char v[24];
        rl_buf_printf(b, ", %s %s ns", rl_fleet_ceiling_name(RL_FLEET_DRAM_LATENCY),
                      rl_view_num(v, sizeof v, g->median_dram_ns, "-"));
    }
}

static void group_hosts(rl_buf *b, const rl_fleet *f, const rl_fleet_group *g)
{
    for (size_t k = 0; k < g->n_nodes; k++)
        rl_buf_printf(b, "%s%s", k ? ", " : "", f->nodes[g->nodes[k]].host);
}

void rl_report_fleet_flag_line(rl_buf *b, const rl_fleet *f, const rl_fleet_flag *fl)
{
    char v[24], ref[24];
    const char *unit = rl_fleet_ceiling_unit(fl->ceiling);
    if (fl->below == RL_FLEET_GPU_FINDING) {
        rl_buf_printf(b, "%s: %s", f->nodes[fl->node].host, fl->text);
        return;
    }
    if (fl->below == RL_FLEET_BELOW_SIBLINGS) {
        rl_buf_printf(b,
                      "%s: NUMA node %d's DRAM share %s %s is %.1f%% below the median of its NUMA "
                      "nodes (%s %s): a socket with fewer or slower DIMMs?",
                      f->nodes[fl->node].host, fl->numa, rl_view_num(v, sizeof v, fl->value, "?"),
                      unit, fl->shortfall * 100, rl_view_num(ref, sizeof ref, fl->reference, "?"),
                      unit);
        return;
    }
    if (fl->below == RL_FLEET_ABOVE_GROUP) {
        rl_buf_printf(b, "%s: %s %s %s is %.1f%% above its group's median (%s %s)",
                      f->nodes[fl->node].host, rl_fleet_ceiling_name(fl->ceiling),
                      rl_view_num(v, sizeof v, fl->value, "?"), unit, -fl->shortfall * 100,
                      rl_view_num(ref, sizeof ref, fl->reference, "?"), unit);
        return;
    }
    rl_buf_printf(b, "%s: %s %s %s is %.1f%% below %s (%s %s)", f->nodes[fl->node].host,
                  rl_fleet_ceiling_name(fl->ceiling), rl_view_num(v, sizeof v, fl->value, "?"),
                  unit, fl->shortfall * 100,
                  fl->below == RL_FLEET_BELOW_THEORY ? "its own theoretical figure"
                                                     : "its group's median",
                  rl_view_num(ref, sizeof ref, fl->reference, "?"), unit);
}

int rl_report_fleet_text(rl_buf *b, const rl_fleet *f, rl_err *err)
{
    rl_fleet_summary s;
    if (rl_fleet_summarize(f, &s, err) != 0)
        return -1;
    rl_buf_printf(b, "Fleet roofline: ");
    headline(b, f, &s);
    rl_buf_printf(b, "\n");
    preamble(b, f, "  ");
    rl_buf_printf(b, "\nNodes (measured at the most threads each ran; flags: shortfall against "
                     "the group median, or the node's theory)\n");
    rl_table t;
    node_table(&t, f, &s);
    rl_table_text(&t, b, "  ");
    rl_table_free(&t);
    if (s.n_failed) {
        rl_buf_printf(b, "\nFailed nodes\n");
        for (size_t i = 0; i < f->n_nodes; i++)
            if (!rl_fleet_node_ok(&f->nodes[i]))
                rl_buf_printf(b, "  %s: %s\n", f->nodes[i].host, f->nodes[i].status);
    }
    rl_buf_printf(b,
                  "\nHardware groups (same CPU model, cores, sockets, NUMA nodes and memory "
                  "configuration%s)\n",
                  s.n_ceilings > RL_FLEET_CPU_CEILINGS ? ", and GPUs" : "");
    for (size_t g = 0; g < s.n_groups; g++) {
        rl_buf_printf(b, "  %zu: %s\n     hosts: ", g + 1, s.groups[g].hardware);
        group_hosts(b, f, &s.groups[g]);
        rl_buf_printf(b, "\n     median: ");
        medians(b, &s.groups[g], s.n_ceilings);
        rl_buf_printf(b, "\n");
    }
    if (s.n_groups == 0)
        rl_buf_printf(b, "  (none: no node reported a result)\n");
    rl_buf_printf(b, "\nFlags\n");
    for (size_t k = 0; k < s.n_flags; k++) {
        rl_buf_printf(b, "  ");
        rl_report_fleet_flag_line(b, f, &s.flags[k]);
        rl_buf_printf(b, "\n");
    }
    if (s.n_flags == 0)
        rl_buf_printf(b, "  (none)\n");
    rl_fleet_summary_free(&s);
    if (b->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    return 0;
}

int rl_report_fleet_markdown(rl_buf *b, const rl_fleet *f, rl_err *err)
{
    rl_fleet_summary s;
    if (rl_fleet_summarize(f, &s, err) != 0)
        return -1;
    rl_buf_printf(b, "# Fleet roofline\n\n");
    headline(b, f, &s);
    rl_buf_printf(b, ".\n\n");
    preamble(b, f, "- ");
    rl_buf_printf(b, "- command: `%s`\n\n## Nodes\n\n", f->command_line);
    rl_table t;
    node_table(&t, f, &s);
    rl_table_markdown(&t, b);
    rl_table_free(&t);
    if (s.n_failed) {
        rl_buf_printf(b, "\n## Failed nodes\n\n");
        for (size_t i = 0; i < f->n_nodes; i++)
            if (!rl_fleet_node_ok(&f->nodes[i]))
                rl_buf_printf(b, "- %s: %s\n", f->nodes[i].host, f->nodes[i].status);
    }
    rl_buf_printf(b, "\n## Hardware groups\n\n");
    rl_table_init(&t, s.n_ceilings > RL_FLEET_CPU_CEILINGS ? "llrrrrrr" : "llrrrr");
    rl_table_row(&t);
    rl_table_cell(&t, "group");
    rl_table_cell(&t, "hardware (hosts)");
    for (int c = 0; c < s.n_ceilings; c++)
        rl_table_cell(&t, "median %s %s", rl_fleet_ceiling_name(c), rl_fleet_ceiling_unit(c));
    for (size_t g = 0; g < s.n_groups; g++) {
        rl_buf hosts = {0};
        group_hosts(&hosts, f, &s.groups[g]);
        rl_table_row(&t);
        rl_table_cell(&t, "%zu", g + 1);
        rl_table_cell(&t, "%s (%s)", s.groups[g].hardware, hosts.data ? hosts.data : "");
        rl_buf_free(&hosts);
        for (int c = 0; c < s.n_ceilings; c++) {
            char v[24];
            rl_table_cell(&t, "%s", rl_view_num(v, sizeof v, s.groups[g].median[c], "-"));
        }
    }
    rl_table_markdown(&t, b);
    rl_table_free(&t);
    rl_buf_printf(b, "\n## Flags\n\n");
    for (size_t k = 0; k < s.n_flags; k++) {
        rl_buf_printf(b, "- ");
        rl_report_fleet_flag_line(b, f, &s.flags[k]);
        rl_buf_printf(b, "\n");
    }
    if (s.n_flags == 0)
        rl_buf_printf(b, "None.\n");
    rl_fleet_summary_free(&s);
    if (b->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    return 0;
}

/* CSV numbers at full precision; unknown is empty. */
static void csv_num(rl_table *t, double v)
{
    if (v >= 0)
        rl_table_cell(t, "%.6g", v);
    else
        rl_table_cell(t, "%s", "");
}

int rl_report_fleet_csv(rl_buf *b, const rl_fleet *f, rl_err *err)
{
    rl_fleet_summary s;
    if (rl_fleet_summarize(f, &s, err) != 0)
        return -1;
    static const char *const HEAD[] = {
        "section",    "host",      "status",      "group",       "cpu",      "cores", "sockets",
        "numa_nodes", "clock_ghz", "fp64_gflops", "fp32_gflops", "dram_gbs", "l3_gbs"};
    int gpus = s.n_ceilings > RL_FLEET_CPU_CEILINGS;
    rl_table t;
    rl_table_init(&t, gpus ? "lllllllllllllllllll" : "llllllllllllllll");
    rl_table_row(&t);
    for (size_t c = 0; c < sizeof HEAD / sizeof HEAD[0]; c++)
        rl_table_cell(&t, "%s", HEAD[c]);
    if (gpus) { /* only in fleets with GPUs: a CPU fleet's CSV keeps its columns */
        rl_table_cell(&t, "gpus");
        rl_table_cell(&t, "%s", rl_fleet_ceiling_id(RL_FLEET_GPU_COMPUTE));
        rl_table_cell(&t, "%s", rl_fleet_ceiling_id(RL_FLEET_GPU_DRAM));
    }
    rl_table_cell(&t, "imax_fp64");
    rl_table_cell(&t, "fp64_efficiency");
    rl_table_cell(&t, "text");
    for (size_t i = 0; i < f->n_nodes; i++) {
        const rl_fleet_node *n = &f->nodes[i];
        const rl_fleet_figures *fig = &s.figures[i];
        rl_table_row(&t);
        rl_table_cell(&t, "node");
        rl_table_cell(&t, "%s", n->host);
        rl_table_cell(&t, "%s", n->status);
        if (s.group_of[i] >= 0)
            rl_table_cell(&t, "%d", s.group_of[i] + 1);
        else
            rl_table_cell(&t, "%s", "");
        if (n->result) {
            rl_table_cell(&t, "%s", n->result->machine.brand);
            rl_table_cell(&t, "%d", n->result->machine.cores);
            rl_table_cell(&t, "%d", n->result->machine.packages);
            rl_table_cell(&t, "%d", n->result->machine.numa_nodes);
        } else {
            for (int k = 0; k < 4; k++)
                rl_table_cell(&t, "%s", "");
        }
        csv_num(&t, fig->clock_ghz);
        for (int c = 0; c < RL_FLEET_CPU_CEILINGS; c++)
            csv_num(&t, fig->value[c]);
        if (gpus) {
            rl_table_cell(&t, "%d", fig->gpus);
            for (int c = RL_FLEET_CPU_CEILINGS; c < RL_FLEET_CEILINGS; c++)
                csv_num(&t, fig->value[c]);
        }
        csv_num(&t, fig->imax);
        csv_num(&t, fig->efficiency);
        char flags[256];
        rl_report_fleet_node_flags(&s, i, flags, sizeof flags);
        rl_table_cell(&t, "%s", flags);
    }
    for (size_t g = 0; g < s.n_groups; g++) {
        rl_table_row(&t);
        rl_table_cell(&t, "median");
        rl_table_cell(&t, "%s", "");
        rl_table_cell(&t, "%s", "");
        rl_table_cell(&t, "%zu", g + 1);
        for (int k = 0; k < 5; k++)
            rl_table_cell(&t, "%s", "");
        for (int c = 0; c < RL_FLEET_CPU_CEILINGS; c++)
            csv_num(&t, s.groups[g].median[c]);
        if (gpus) {
            rl_table_cell(&t, "%s", "");
            for (int c = RL_FLEET_CPU_CEILINGS; c < RL_FLEET_CEILINGS; c++)
                csv_num(&t, s.groups[g].median[c]);
        }
        rl_table_cell(&t, "%s", "");
        rl_table_cell(&t, "%s", "");
        rl_table_cell(&t, "%s", s.groups[g].hardware);
    }
    for (size_t k = 0; k < s.n_flags; k++) {
        const rl_fleet_flag *fl = &s.flags[k];
        rl_buf line = {0};
        rl_report_fleet_flag_line(&line, f, fl);
        rl_table_row(&t);
        rl_table_cell(&t, "flag");
        rl_table_cell(&t, "%s", f->nodes[fl->node].host);
        rl_table_cell(&t, "%s", f->nodes[fl->node].status);
        rl_table_cell(&t, "%d", s.group_of[fl->node] + 1);
        for (int c = 0; c < (gpus ? 14 : 11); c++)
            rl_table_cell(&t, "%s", "");
        rl_table_cell(&t, "%s", line.data ? line.data : "");
        rl_buf_free(&line);
    }
    rl_table_csv(&t, b, 1);
    rl_table_free(&t);
    rl_fleet_summary_free(&s);
    if (b->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    return 0;
}

/* ---- SVG: one panel per ceiling, a bar per node ---- */

#define SVG_LEFT    70.0
#define SVG_PANEL_H 190.0
#define SVG_PLOT_H  120.0
#define SVG_TOP     60.0

/* A bar's colour: red below its group's median, orange below only its own theory. */
static const char *bar_color(const rl_fleet_summary *s, size_t node, int c)
{
    int theory = 0;
    for (size_t k = 0; k < s->n_flags; k++)
        if (s->flags[k].node == node && s->flags[k].ceiling == c) {
            if (s->flags[k].below != RL_FLEET_BELOW_THEORY)
                return "#d62728";
            theory = 1;
        }
    return theory ? "#f28e2b" : "#4e79a7";
}

static void svg_text(rl_buf *b, double x, double y, const char *anchor, const char *attrs,
                     const char *s)
{
    rl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
                  attrs[0] ? " " : "", attrs);
    rl_buf_xml_escape(b, s);
    rl_buf_printf(b, "</text>\n");
}

/* The nodes in the order the bars are drawn: group by group, failed nodes last. */
static size_t bar_order(const rl_fleet *f, const rl_fleet_summary *s, size_t *order)
{
    size_t k = 0;
    for (size_t g = 0; g < s->n_groups; g++)
        for (size_t j = 0; j < s->groups[g].n_nodes; j++)
            order[k++] = s->groups[g].nodes[j];
    for (size_t i = 0; i < f->n_nodes; i++)
        if (s->group_of[i] < 0)
            order[k++] = i;
    return k;
}

static void svg_panel(rl_buf *b, const rl_fleet *f, const rl_fleet_summary *s, const size_t *order,
                      size_t n, int c, double y0, double bar_w)
{
    double top = 0;
    for (size_t i = 0; i < f->n_nodes; i++)
        if (s->figures[i].value[c] > top)
            top = s->figures[i].value[c];
    char title[96], v[24];
    snprintf(title, sizeof title, "%s (%s)", rl_fleet_ceiling_name(c), rl_fleet_ceiling_unit(c));
    svg_text(b, SVG_LEFT, y0 + 16, "start", "font-weight=\"bold\"", title);
    double base = y0 + 28 + SVG_PLOT_H;
    rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888888\"/>\n",
                  SVG_LEFT, base, SVG_LEFT + bar_w * (double)n, base);
    if (!(top > 0)) {
        svg_text(b, SVG_LEFT + 8, base - 8, "start", "fill=\"#888888\"", "not measured");
        return;
    }
    svg_text(b, SVG_LEFT - 6, base - SVG_PLOT_H + 4, "end", "", rl_view_num(v, sizeof v, top, "?"));
    svg_text(b, SVG_LEFT - 6, base + 4, "end", "", "0");
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        double x = SVG_LEFT + bar_w * (double)k;
        double val = s->figures[i].value[c];
        if (val > 0) {
            double h = val / top * SVG_PLOT_H;
            rl_buf_printf(b,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                          "fill=\"%s\"><title>",
                          x + bar_w * 0.15, base - h, bar_w * 0.7, h, bar_color(s, i, c));
            rl_buf_xml_escape(b, f->nodes[i].host);
            rl_buf_printf(b, ": %s %s</title></rect>\n", rl_view_num(v, sizeof v, val, "?"),
                          rl_fleet_ceiling_unit(c));
        } else {
            svg_text(b, x + bar_w / 2, base - 4, "middle", "fill=\"#888888\" font-size=\"10\"",
                     "x");
        }
        if (n <= 64)
            svg_text(b, x + bar_w / 2, base + 14, "middle", "font-size=\"10\"", f->nodes[i].host);
    }
    /* Each group's median across its own bars. */
    size_t k = 0;
    for (size_t g = 0; g < s->n_groups; g++) {
        double m = s->groups[g].median[c];
        size_t cnt = s->groups[g].n_nodes;
        if (m > 0) {
            double y = base - m / top * SVG_PLOT_H;
            double x0 = SVG_LEFT + bar_w * (double)k, x1 = x0 + bar_w * (double)cnt;
            rl_buf_printf(b,
                          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#222222\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>\n",
                          x0, y, x1, y);
            char label[64];
            snprintf(label, sizeof label, "group %zu median %s", g + 1,
                     rl_view_num(v, sizeof v, m, "?"));
            svg_text(b, x1 + 4, y + 4, "start", "font-size=\"10\"", label);
        }
        k += cnt;
    }
}

int rl_report_fleet_svg(rl_buf *b, const rl_fleet *f, rl_err *err)
{
    rl_fleet_summary s;
    if (rl_fleet_summarize(f, &s, err) != 0)
        return -1;
    size_t n = f->n_nodes;
    size_t order_fixed[1];
    size_t *order = n ? calloc(n, sizeof *order) : order_fixed;
    if (!order) {
        rl_fleet_summary_free(&s);
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    }
    n = bar_order(f, &s, order);
    double bar_w = n <= 16 ? 48 : n <= 64 ? 16 : 4;
    double w = SVG_LEFT + bar_w * (double)(n ? n : 1) + 170;
    if (w < 640)
        w = 640;
    double h = SVG_TOP + SVG_PANEL_H * s.n_ceilings + 20;
    rl_buf_printf(b,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
                  "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
                  w, h, w, h);
    rl_buf title = {0};
    rl_buf_printf(&title, "Fleet roofline: ");
    headline(&title, f, &s);
    svg_text(b, SVG_LEFT, 26, "start", "font-size=\"16\" font-weight=\"bold\"",
             title.data ? title.data : "");
    rl_buf_free(&title);
    svg_text(b, SVG_LEFT, 44, "start", "fill=\"#555555\"",
             "bars: each node's ceiling (red: below its group's median, orange: below its own "
             "theory); dashed: the group's median");
    for (int c = 0; c < s.n_ceilings; c++)
        svg_panel(b, f, &s, order, n, c, SVG_TOP + SVG_PANEL_H * c, bar_w);
    rl_buf_printf(b, "</svg>\n");
    if (order != order_fixed)
        free(order);
    rl_fleet_summary_free(&s);
    if (b->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    return 0;
}

static int render_to(const char *path, int (*render)(rl_buf *, const rl_fleet *, rl_err *),
                     const rl_fleet *f, rl_err *err)
{
    rl_buf b = {0};
    int rc = render(&b, f, err);
    if (rc == 0)
        rc = rl_outfile_write(path, b.data ? b.data : "", b.len, err);
    rl_buf_free(&b);
    return rc;
}

int rl_report_fleet_files(const rl_fleet *f, const rl_outputs *o, rl_err *err)
{
    if (o->json && rl_fleet_write(f, o->json, err) != 0)
        return -1;
    if (o->markdown && render_to(o->markdown, rl_report_fleet_markdown, f, err) != 0)
        return -1;
    if (o->csv && render_to(o->csv, rl_report_fleet_csv, f, err) != 0)
        return -1;
    if (o->svg && render_to(o->svg, rl_report_fleet_svg, f, err) != 0)
        return -1;
    if (o->html && render_to(o->html, rl_report_fleet_html, f, err) != 0)
        return -1;
    return 0;
}
