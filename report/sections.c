/* sections.c: the report's tables (see sections.h). */
#include "report/sections.h"

#include <stdio.h>
#include <string.h>

#include "common/bytes.h"
#include "report/view.h"

#define MISSING "-"

const char *rl_sections_clock_how(const char *method)
{
    if (!method || !method[0])
        return "";
    if (strstr(method, "load"))
        return "L";
    return strncmp(method, "--", 2) == 0 ? "C" : "A";
}

void rl_sections_clock_legend(rl_buf *b, const rl_result *r)
{
    for (size_t i = 0; i < r->n_flops; i++)
        if (r->flops[i].clock_method[0]) {
            rl_buf_printf(b, "at GHz: the clock each theoretical figure is quoted at: L = measured "
                             "under that ISA's load on the row's cores, C = --clock, A = the add "
                             "chain before/after the kernel\n");
            return;
        }
}

void rl_sections_compute(rl_table *t, const rl_result *r)
{
    char a[32], b[32], c[32], d[32], e[32];
    /* The kernel shape column only where some row's ISA has several (rl_flops.variant). */
    int shapes = 0, types = 0;
    for (size_t i = 0; i < r->n_flops; i++) {
        shapes |= r->flops[i].variant[0] != '\0';
        types |= r->flops[i].core_type[0] != '\0';
    }
    /* Hybrid CPUs: a cores column (which core type the row ran on) where some row has one. */
    char align[16];
    snprintf(align, sizeof align, "%s%sll%srrrrrlrr", types ? "l" : "", "", shapes ? "l" : "");
    rl_table_init(t, align);
    rl_table_row(t);
    if (types)
        rl_table_cell(t, "cores");
    rl_table_cell(t, "ISA");
    rl_table_cell(t, "precision");
    if (shapes)
        rl_table_cell(t, "shape");
    rl_table_cell(t, "threads");
    rl_table_cell(t, "measured");
    rl_table_cell(t, "theoretical");
    rl_table_cell(t, "at GHz");
    rl_table_cell(t, "efficiency");
    rl_table_cell(t, "unit");
    rl_table_cell(t, "repeats");
    rl_table_cell(t, "spread");
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        rl_table_row(t);
        if (types)
            rl_table_cell(t, "%s", f->core_type[0] ? f->core_type : "any");
        rl_table_cell(t, "%s", f->isa);
        rl_table_cell(t, "%s", f->precision);
        if (shapes)
            rl_table_cell(t, "%s", f->variant[0] ? f->variant : MISSING);
        rl_table_cell(t, "%d", f->threads);
        rl_table_cell(t, "%s", rl_view_num(a, sizeof a, f->gflops, MISSING));
        rl_table_cell(t, "%s", rl_view_num(b, sizeof b, f->theoretical_gflops, MISSING));
        if (f->clock_method[0] && f->clock_ghz > 0)
            snprintf(e, sizeof e, "%.2f %s", f->clock_ghz, rl_sections_clock_how(f->clock_method));
        else
            snprintf(e, sizeof e, "%s", MISSING);
        rl_table_cell(t, "%s", e);
        rl_table_cell(t, "%s%s", rl_view_pct(c, sizeof c, f->efficiency, MISSING),
                      f->efficiency > RL_VIEW_SUSPICIOUS ? " (!)" : "");
        rl_table_cell(t, "%s", f->unit);
        rl_table_cell(t, "%d", f->repeats);
        rl_table_cell(t, "%s",
                      rl_view_pct(d, sizeof d, rl_view_spread(f->gflops, f->gflops_min), MISSING));
    }
}

size_t rl_sections_memory(rl_table *t, const rl_result *r)
{
    char a[32], b[32], c[32], d[32], e[32], f[32];
    size_t sweep = 0;
    rl_table_init(t, "lllrrrrrrrr");
    rl_table_row(t);
    rl_table_cell(t, "level");
    rl_table_cell(t, "kernel");
    rl_table_cell(t, "ISA");
    rl_table_cell(t, "threads");
    rl_table_cell(t, "set/thread");
    rl_table_cell(t, "counted GB/s");
    rl_table_cell(t, "traffic GB/s");
    rl_table_cell(t, "theoretical");
    rl_table_cell(t, "efficiency");
    rl_table_cell(t, "repeats");
    rl_table_cell(t, "spread");
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *w = &r->bandwidth[i];
        if (strcmp(w->level, "sweep") == 0) {
            sweep++;
            continue;
        }
        rl_table_row(t);
        rl_table_cell(t, "%s", w->level);
        rl_table_cell(t, "%s%s", w->kernel, w->nt_stores ? " (nt)" : "");
        rl_table_cell(t, "%s", w->isa);
        rl_table_cell(t, "%d", w->threads);
        rl_table_cell(t, "%s", rl_bytes_format(a, sizeof a, w->bytes_per_thread));
        rl_table_cell(t, "%s", rl_view_num(b, sizeof b, w->gbs, MISSING));
        rl_table_cell(t, "%s", rl_view_num(c, sizeof c, w->gbs_traffic, MISSING));
        /* Files from before the rows carried it: DRAM still has the machine's figure. */
        double th = w->theoretical_gbs, eff = w->efficiency;
        if (!(th > 0) && strcmp(w->level, "DRAM") == 0 && r->theory.dram_gbs > 0) {
            th = r->theory.dram_gbs;
            eff = w->gbs_traffic > 0 ? w->gbs_traffic / th : -1;
        }
        int known = th > 0;
        rl_table_cell(t, "%s", rl_view_num(e, sizeof e, known ? th : -1, MISSING));
        rl_table_cell(t, "%s%s", rl_view_pct(f, sizeof f, known ? eff : -1, MISSING),
                      known && eff > RL_VIEW_SUSPICIOUS ? " (!)" : "");
        rl_table_cell(t, "%d", w->repeats);
        rl_table_cell(t, "%s",
                      rl_view_pct(d, sizeof d, rl_view_spread(w->gbs, w->gbs_min), MISSING));
    }
    return sweep;
}

static void ridge_row(rl_table *t, const rl_ridge *m, const rl_ridge *th)
{
    char a[32], b[32], c[32], d[32];
    const rl_ridge *any = m ? m : th;
    rl_table_row(t);
    rl_table_cell(t, "%s", any->precision);
    rl_table_cell(t, "%s", any->isa);
    rl_table_cell(t, "%d", any->threads);
    rl_table_cell(t, "%s", any->level);
    rl_table_cell(t, "%s", rl_view_num(a, sizeof a, m ? m->peak_gflops : -1, MISSING));
    rl_table_cell(t, "%s", rl_view_num(b, sizeof b, m ? m->gbs : -1, MISSING));
    rl_table_cell(t, "%s", rl_view_num(c, sizeof c, m ? m->imax : -1, MISSING));
    rl_table_cell(t, "%s", rl_view_num(d, sizeof d, th ? th->imax : -1, MISSING));
}

/* Has an earlier entry of `list` (before index i) the same precision? */
static int seen_precision(const rl_ridge *list, size_t i, const char *precision)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(list[j].precision, precision) == 0)
            return 1;
    return 0;
}

static int measured_precision(const rl_result *r, const char *precision)
{
    return seen_precision(r->ridge, r->n_ridge, precision);
}

void rl_sections_ridge(rl_table *t, const rl_result *r)
{
    rl_table_init(t, "llrlrrrr");
    rl_table_row(t);
    rl_table_cell(t, "precision");
    rl_table_cell(t, "ISA");
    rl_table_cell(t, "threads");
    rl_table_cell(t, "level");
    rl_table_cell(t, "peak GFLOP/s");
    rl_table_cell(t, "GB/s");
    rl_table_cell(t, "I_max measured");
    rl_table_cell(t, "I_max theoretical");
    for (size_t i = 0; i < r->n_ridge; i++) {
        const rl_ridge *p = &r->ridge[i];
        if (seen_precision(r->ridge, i, p->precision))
            continue;
        /* The best ISA for this precision: most threads first, then highest peak. */
        const rl_ridge *best = p;
        for (size_t j = i + 1; j < r->n_ridge; j++) {
            const rl_ridge *q = &r->ridge[j];
            if (strcmp(q->precision, p->precision) != 0)
                continue;
            if (q->threads > best->threads ||
                (q->threads == best->threads && q->peak_gflops > best->peak_gflops))
                best = q;
        }
        for (size_t j = i; j < r->n_ridge; j++) {
            const rl_ridge *q = &r->ridge[j];
            if (strcmp(q->precision, best->precision) == 0 && strcmp(q->isa, best->isa) == 0 &&
                q->threads == best->threads)
                ridge_row(t, q,
                          rl_view_theory_ridge(r, q->isa, q->precision, q->level, q->threads));
        }
    }
    /* Precisions with a theoretical ridge but nothing measured: the best theoretical one. */
    for (size_t i = 0; i < r->theory.n_ridge; i++) {
        const rl_ridge *p = &r->theory.ridge[i];
        if (measured_precision(r, p->precision) || seen_precision(r->theory.ridge, i, p->precision))
            continue;
        const rl_ridge *best = p;
        for (size_t j = i + 1; j < r->theory.n_ridge; j++) {
            const rl_ridge *q = &r->theory.ridge[j];
            if (strcmp(q->precision, p->precision) == 0 &&
                (q->threads > best->threads ||
                 (q->threads == best->threads && q->peak_gflops > best->peak_gflops)))
                best = q;
        }
        ridge_row(t, NULL, best);
    }
}

void rl_sections_cache_theory_line(rl_buf *b, const rl_result *r, const char *prefix)
{
    const rl_theory *t = &r->theory;
    if (t->n_bw == 0)
        return;
    rl_buf_printf(b, "%stheoretical (bytes/cycle/core x clock x cores):", prefix);
    const char *source = "unknown";
    int threads = t->bw[0].threads;
    for (size_t i = 0; i < t->n_bw; i++) {
        const rl_bw_theory *e = &t->bw[i];
        if (e->threads != threads)
            continue;
        if (e->bytes_per_cycle >= 0) {
            rl_buf_printf(b, " %s %s %.0f;", e->level, e->op, e->bytes_per_cycle);
            source = e->source;
        } else {
            rl_buf_printf(b, " %s %s unknown;", e->level, e->op);
        }
    }
    rl_buf_printf(b,
                  " source: %s; L2/L3: the fill path, beside the counted bytes (loads + "
                  "write-allocate reads)\n",
                  source);
}

void rl_sections_dram_line(rl_buf *b, const rl_result *r)
{
    const rl_theory *th = &r->theory;
    const rl_bandwidth *d = rl_view_best_bandwidth(r, "DRAM", NULL, 0);
    char a[32];
    if (th->dram_gbs > 0) {
        rl_buf_printf(b, "theoretical DRAM %s GB/s", rl_view_num(a, sizeof a, th->dram_gbs, "?"));
        if (th->mem_channels > 0 && th->mem_mts > 0)
            rl_buf_printf(b, " (%d channels x %.0f MT/s x %d bit, %s)", th->mem_channels,
                          th->mem_mts, th->mem_bus_bits > 0 ? th->mem_bus_bits : 64,
                          th->dram_source);
        else
            rl_buf_printf(b, " (%s)", th->dram_source);
    } else {
        rl_buf_printf(b, "theoretical DRAM %s",
                      strncmp(th->dram_source, "unknown", 7) == 0 ? th->dram_source : "unknown");
        if (th->dram_source[0] && strncmp(th->dram_source, "unknown", 7) != 0)
            rl_buf_printf(b, " (%s)", th->dram_source);
    }
    const rl_platform_dram *pd = &th->platform;
    int platform_only = th->dram_gbs <= 0 && pd->gbs_per_socket > 0;
    if (platform_only)
        rl_buf_printf(b,
                      "; the platform's (%s, %d x %s per socket, not this machine's share): %s "
                      "GB/s per socket",
                      pd->platform, pd->channels, pd->memory,
                      rl_view_num(a, sizeof a, pd->gbs_per_socket, "?"));
    if (d) {
        /* Hardware moves traffic bytes, so traffic is what compares with the theoretical figure. */
        const rl_bandwidth *bt = d;
        for (size_t i = 0; i < r->n_bandwidth; i++)
            if (strcmp(r->bandwidth[i].level, "DRAM") == 0 &&
                r->bandwidth[i].threads == d->threads &&
                r->bandwidth[i].gbs_traffic > bt->gbs_traffic)
                bt = &r->bandwidth[i];
        rl_buf_printf(b, "; best measured DRAM traffic %s GB/s (%s, %d thread%s)",
                      rl_view_num(a, sizeof a, bt->gbs_traffic, "?"), bt->kernel, bt->threads,
                      bt->threads == 1 ? "" : "s");
        if (th->dram_gbs > 0 && bt->gbs_traffic > 0)
            rl_buf_printf(b, " = %.1f%% of theoretical%s", 100 * bt->gbs_traffic / th->dram_gbs,
                          bt->gbs_traffic > th->dram_gbs * RL_VIEW_SUSPICIOUS ? " (!)" : "");
        else if (platform_only && bt->gbs_traffic > 0)
            rl_buf_printf(b, " = %.1f%% of the platform's %d socket%s",
                          100 * bt->gbs_traffic /
                              (pd->gbs_per_socket * (pd->sockets > 0 ? pd->sockets : 1)),
                          pd->sockets > 0 ? pd->sockets : 1, pd->sockets == 1 ? "" : "s");
    }
    rl_buf_printf(b, "\n");
}

void rl_sections_meta_line(rl_buf *b, const rl_result *r)
{
    const rl_meta *m = &r->meta;
    rl_buf_printf(b, "roofline %s, %s, built with %s", m->tool_version[0] ? m->tool_version : "?",
                  m->date[0] ? m->date : "date unknown", m->compiler[0] ? m->compiler : "?");
    if (m->settings[0])
        rl_buf_printf(b, "; settings: %s", m->settings);
    if (m->partial)
        rl_buf_printf(b, "; PARTIAL (interrupted)");
    rl_buf_printf(b, "\n");
}
