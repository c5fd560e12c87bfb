/* latency_table.c: the latency section (see latency_table.h). */
#include "report/latency_table.h"

#include <stdio.h>
#include <string.h>

#include "common/bytes.h"
#include "report/table.h"
#include "report/view.h"
#include "result/latency.h"

#define MISSING "-"

static void render(rl_buf *b, rl_table *t, rl_latency_style style)
{
    if (style == RL_LATENCY_MARKDOWN)
        rl_table_markdown(t, b);
    else
        rl_table_text(t, b, style == RL_LATENCY_TEXT ? "  " : "");
    rl_table_free(t);
}

/* A paragraph: indented in the summary, plain elsewhere. */
static const char *indent(rl_latency_style style)
{
    return style == RL_LATENCY_TEXT ? "  " : "";
}

static void pages_cell(rl_table *t, const rl_latency *e)
{
    char share[16] = "";
    if (e->huge_share >= 0 && strcmp(e->pages, "4k") != 0)
        snprintf(share, sizeof share, " (%.0f%%)", 100 * e->huge_share);
    rl_table_cell(t, "%s%s", e->pages[0] ? e->pages : MISSING, share);
}

static void idle_table(rl_buf *b, const rl_result *r, const char *device, rl_latency_style style,
                       int sweep)
{
    char a[32], c[32], d[32], g[32], s[32];
    rl_table t;
    rl_table_init(&t, "llrrrrrr");
    rl_table_row(&t);
    rl_table_cell(&t, "level");
    rl_table_cell(&t, "pages (huge)");
    rl_table_cell(&t, "set");
    rl_table_cell(&t, "ns");
    rl_table_cell(&t, "cycles");
    rl_table_cell(&t, "at GHz");
    rl_table_cell(&t, "repeats");
    rl_table_cell(&t, "spread");
    size_t rows = 0;
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        if (strcmp(e->device, device) != 0 || strcmp(e->kind, sweep ? "sweep" : "idle") != 0)
            continue;
        rows++;
        rl_table_row(&t);
        rl_table_cell(&t, "%s", e->level);
        pages_cell(&t, e);
        rl_table_cell(&t, "%s", rl_bytes_format(a, sizeof a, e->bytes));
        rl_table_cell(&t, "%s", rl_view_num(c, sizeof c, e->ns, MISSING));
        rl_table_cell(&t, "%s", rl_view_num(d, sizeof d, e->cycles, MISSING));
        rl_table_cell(&t, "%s", rl_view_num(g, sizeof g, e->clock_ghz, MISSING));
        rl_table_cell(&t, "%d", e->repeats);
        /* Latency's best is its lowest: the spread is how far the slowest repeat rose above it. */
        double spread = e->ns > 0 && e->ns_max > 0 ? (e->ns_max - e->ns) / e->ns : -1;
        rl_table_cell(&t, "%s", rl_view_pct(s, sizeof s, spread, MISSING));
    }
    if (rows == 0) {
        rl_table_free(&t);
        return;
    }
    render(b, &t, style);
    /* The rows' notes, named by level and pages (a list in Markdown). */
    int listed = 0;
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        if (strcmp(e->device, device) != 0 || strcmp(e->kind, sweep ? "sweep" : "idle") != 0 ||
            !e->note[0])
            continue;
        if (style == RL_LATENCY_MARKDOWN && !listed++)
            rl_buf_printf(b, "\n");
        rl_buf_printf(b, "%s%s%s %s, %s: %s\n", style == RL_LATENCY_MARKDOWN ? "- " : "",
                      indent(style), e->level, e->pages, rl_bytes_format(a, sizeof a, e->bytes),
                      e->note);
    }
}

/* The page kinds a device's sweep used, in first-seen order. */
static size_t sweep_pages(const rl_result *r, const char *device, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        if (strcmp(e->device, device) != 0 || strcmp(e->kind, "sweep") != 0)
            continue;
        size_t k;
        for (k = 0; k < n; k++)
            if (strcmp(out[k], e->pages) == 0)
                break;
        if (k == n && n < max)
            out[n++] = e->pages;
    }
    return n;
}

static void steps(rl_buf *b, const rl_result *r, const char *device, rl_latency_style style)
{
    const char *pages[4];
    size_t np = sweep_pages(r, device, pages, 4);
    char from[32], to[32], edge[32], ns[32];
    for (size_t p = 0; p < np; p++) {
        rl_sweep_level lv[16];
        size_t n = rl_latency_steps(r, device, pages[p], lv, 16);
        int md = style == RL_LATENCY_MARKDOWN;
        rl_buf_printf(b, "\n%sstaircase (%s pages): steps flat within 12%%, at least 3 points\n%s",
                      indent(style), pages[p], md ? "\n" : "");
        /* Each step a line: indented in the terminal, a list item in Markdown. */
        const char *item = md ? "- " : "  ";
        if (n == 0)
            rl_buf_printf(b, "%s%snone found (a noisy host, or too few points)\n", indent(style),
                          item);
        for (size_t k = 0; k < n; k++) {
            rl_bytes_format(from, sizeof from, lv[k].from_bytes);
            rl_bytes_format(to, sizeof to, lv[k].to_bytes);
            rl_buf_printf(b, "%s%s%zu: %9s - %-9s %8s ns", indent(style), item, k + 1, from, to,
                          rl_view_num(ns, sizeof ns, lv[k].p.gbs, MISSING));
            if (k + 1 < n) {
                rl_bytes_format(edge, sizeof edge, (uint64_t)lv[k].p.edge_bytes);
                rl_buf_printf(b, "   edge at %s: %s", edge, lv[k].match);
            }
            rl_buf_printf(b, "\n");
        }
    }
}

static void loaded(rl_buf *b, const rl_result *r, const char *device, rl_latency_style style)
{
    rl_latency_curve cv[8];
    size_t n = rl_latency_curves(r, device, cv, 8);
    char a[32], c[32], d[32], e[32];
    for (size_t k = 0; k < n; k++) {
        const rl_latency *first = &r->latency[cv[k].first];
        rl_buf_printf(
            b, "\n%sloaded latency, mix %s: %d traffic thread%s, chase over %s (%s pages)\n",
            indent(style), cv[k].mix, first->load_threads, first->load_threads == 1 ? "" : "s",
            rl_bytes_format(a, sizeof a, first->bytes), first->pages);
        if (style == RL_LATENCY_MARKDOWN)
            rl_buf_printf(b, "\n");
        rl_table t;
        rl_table_init(&t, "rrrr");
        rl_table_row(&t);
        rl_table_cell(&t, "delay");
        rl_table_cell(&t, "traffic GB/s");
        rl_table_cell(&t, "ns");
        rl_table_cell(&t, "cycles");
        for (size_t i = cv[k].first; i < r->n_latency; i++) {
            const rl_latency *q = &r->latency[i];
            if (strcmp(q->device, device) || strcmp(q->kind, "loaded") || strcmp(q->mix, cv[k].mix))
                continue;
            rl_table_row(&t);
            rl_table_cell(&t, "%llu", (unsigned long long)q->delay);
            rl_table_cell(&t, "%s", rl_view_num(a, sizeof a, q->gbs, MISSING));
            rl_table_cell(&t, "%s", rl_view_num(c, sizeof c, q->ns, MISSING));
            rl_table_cell(&t, "%s", rl_view_num(d, sizeof d, q->cycles, MISSING));
        }
        render(b, &t, style);
        if (style == RL_LATENCY_MARKDOWN)
            rl_buf_printf(b, "\n");
        if (cv[k].knee_gbs > 0)
            rl_buf_printf(b,
                          "%sknee (derived: the most traffic with latency under %.1fx the least "
                          "loaded): %s GB/s at %s ns\n",
                          indent(style), RL_LATENCY_KNEE,
                          rl_view_num(a, sizeof a, cv[k].knee_gbs, "?"),
                          rl_view_num(c, sizeof c, cv[k].knee_ns, "?"));
        if (style == RL_LATENCY_MARKDOWN && cv[k].knee_gbs > 0)
            rl_buf_printf(b, "\n"); /* its own paragraph */
        const rl_bandwidth *ref = rl_latency_curve_reference(r, &cv[k]);
        if (ref && cv[k].top_gbs > 0 && ref->gbs > 0) {
            double ratio = cv[k].top_gbs / ref->gbs;
            int agree = ratio >= 0.95 && ratio <= 1.05;
            rl_buf_printf(b,
                          "%stop traffic %s GB/s = %.0f%% of the bandwidth kernels' DRAM %s%s "
                          "(%s GB/s, %d thread%s)%s\n",
                          indent(style), rl_view_num(a, sizeof a, cv[k].top_gbs, "?"), 100 * ratio,
                          ref->kernel, ref->nt_stores ? " (nt)" : "",
                          rl_view_num(e, sizeof e, ref->gbs, "?"), ref->threads,
                          ref->threads == 1 ? "" : "s",
                          agree ? ": they agree (within 5%)"
                                : ": they DISAGREE by more than 5% (different thread counts, a "
                                  "noisy host, or traffic threads that cannot saturate)");
        } else if (cv[k].top_gbs > 0) {
            rl_buf_printf(b,
                          "%stop traffic %s GB/s; no bandwidth-kernel DRAM figure for this mix "
                          "to compare with\n",
                          indent(style), rl_view_num(a, sizeof a, cv[k].top_gbs, "?"));
        }
    }
}

static void numa(rl_buf *b, const rl_result *r, const char *device, rl_latency_style style)
{
    rl_latency_numa m;
    if (rl_latency_numa_of(r, device, &m) == 0)
        return;
    char a[32], c[32], d[32];
    rl_buf_printf(b,
                  "\n%sNUMA matrix: rows the cores' node, columns the memory's node; ns (remote "
                  "penalty x local) and GB/s\n",
                  indent(style));
    if (style == RL_LATENCY_MARKDOWN)
        rl_buf_printf(b, "\n");
    char align[RL_TABLE_MAX_COLS + 1];
    int cols = m.n + 1 < RL_TABLE_MAX_COLS ? m.n + 1 : RL_TABLE_MAX_COLS;
    memset(align, 'r', (size_t)cols);
    align[0] = 'l';
    align[cols] = '\0';
    rl_table t;
    rl_table_init(&t, align);
    rl_table_row(&t);
    rl_table_cell(&t, "cpu \\ mem");
    for (int j = 0; j + 1 < cols; j++)
        rl_table_cell(&t, "node %d", m.node[j]);
    for (int i = 0; i < m.n; i++) {
        rl_table_row(&t);
        rl_table_cell(&t, "node %d%s", m.node[i], m.weak[i] ? " (!)" : "");
        for (int j = 0; j + 1 < cols; j++)
            rl_table_cell(&t, "%s ns (%sx), %s GB/s", rl_view_num(a, sizeof a, m.ns[i][j], MISSING),
                          rl_view_num(c, sizeof c, m.penalty[i][j], MISSING),
                          rl_view_num(d, sizeof d, m.gbs[i][j], MISSING));
    }
    render(b, &t, style);
    for (int i = 0; i < m.n; i++)
        if (m.weak[i])
            rl_buf_printf(
                b,
                "%s%s(!) node %d: its local latency or bandwidth is more than %.0f%% "
                "worse than its peers' median (a half-populated socket, a missing DIMM?)\n",
                style == RL_LATENCY_MARKDOWN ? "\n" : "", indent(style), m.node[i],
                100 * RL_LATENCY_FLAG_THRESHOLD);
}

void rl_latency_section(rl_buf *b, const rl_result *r, rl_latency_style style)
{
    if (r->n_latency == 0)
        return;
    const char *devices[24]; /* the CPU and a GPU server's GPUs */
    size_t nd = rl_latency_devices(r, devices, 24);
    if (style == RL_LATENCY_TEXT)
        rl_buf_printf(b,
                      "\nMemory latency (measured: one dependent pointer chase; cycles derived at "
                      "the clock beside them)\n");
    else if (style == RL_LATENCY_MARKDOWN)
        rl_buf_printf(b, "\n### Memory latency\n\nMeasured: one core follows a dependent pointer "
                         "chase over a random cyclic permutation of the set's cache lines; ns per "
                         "step, best of the repeats; cycles derived at the clock beside them. "
                         "Pages: asked for, with the share the kernel granted as huge pages.\n");
    for (size_t k = 0; k < nd; k++) {
        const char *dev = devices[k];
        if (nd > 1 || strcmp(dev, "cpu") != 0)
            rl_buf_printf(b, "\n%s%s%s\n", style == RL_LATENCY_MARKDOWN ? "#### " : indent(style),
                          dev, style == RL_LATENCY_MARKDOWN ? "" : ":");
        if (style == RL_LATENCY_MARKDOWN)
            rl_buf_printf(b, "\n");
        idle_table(b, r, dev, style, 0);
        if (style == RL_LATENCY_COMMAND)
            idle_table(b, r, dev, style, 1);
        steps(b, r, dev, style);
        loaded(b, r, dev, style);
        numa(b, r, dev, style);
    }
}
