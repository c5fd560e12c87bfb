/* theory.c: peaks, DRAM bandwidth and ridge points from the machine description (see theory.h). */
#include "probes/theory.h"

#include "probes/cachebw.h"
#include "probes/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double rl_theory_clock(const rl_machine *m)
{
    if (m->measured_ghz > 0)
        return m->measured_ghz;
    return m->nominal_ghz > 0 ? m->nominal_ghz : -1;
}

static void clear_theory(rl_theory *t)
{
    free(t->fpc);
    free(t->peak);
    free(t->ridge);
    free(t->bw);
    t->fpc = NULL;
    t->peak = NULL;
    t->ridge = NULL;
    t->bw = NULL;
    t->n_fpc = t->n_peak = t->n_ridge = t->n_bw = 0;
}

int rl_theory_derive(rl_result *r, const rl_uarch *u, rl_isa_mask runnable, const rl_dram *dram,
                     const int *threads, size_t n_threads, rl_err *err)
{
    rl_theory *t = &r->theory;
    const rl_machine *m = &r->machine;
    clear_theory(t);
    snprintf(t->uarch_note, sizeof t->uarch_note, "%s", u->note);

    rl_fpc fpc[32];
    size_t n = rl_uarch_fpc(u, runnable, fpc, sizeof fpc / sizeof fpc[0]);
    for (size_t i = 0; i < n; i++)
        if (rl_result_add_fpc(r, &fpc[i], err) != 0)
            return -1;

    int max_threads = 0;
    for (size_t k = 0; k < n_threads; k++) {
        int th = threads[k];
        int dup = th <= 0;
        for (size_t j = 0; j < k && !dup; j++)
            dup = threads[j] == th;
        if (dup)
            continue;
        if (th > max_threads)
            max_threads = th;
        for (size_t i = 0; i < n; i++) {
            rl_peak p;
            memset(&p, 0, sizeof p);
            memcpy(p.isa, fpc[i].isa, sizeof p.isa);
            memcpy(p.precision, fpc[i].precision, sizeof p.precision);
            p.threads = th;
            /* The clock under the ISA's own load (--clock ISA=GHZ) where one is known. */
            double ghz = rl_clock_for(m, fpc[i].isa, th, NULL);
            if (ghz <= 0)
                ghz = m->measured_ghz;
            p.gflops_at_measured_clock = ghz > 0 ? th * ghz * fpc[i].per_core : -1;
            p.gflops_at_nominal_clock =
                m->nominal_ghz > 0 ? th * m->nominal_ghz * fpc[i].per_core : -1;
            if (rl_result_add_peak(r, &p, err) != 0)
                return -1;
        }
    }

    /* Cache bandwidth per level, at the same thread counts. */
    rl_cachebw cbw;
    rl_cachebw_lookup(u, &cbw);
    if (rl_cachebw_derive(r, &cbw, threads, n_threads, err) != 0)
        return -1;

    t->dram_gbs = dram->gbs;
    t->mem_channels = dram->channels;
    t->mem_mts = dram->mts;
    t->mem_bus_bits = dram->bus_bits;
    snprintf(t->dram_source, sizeof t->dram_source, "%s", dram->gbs > 0 ? dram->source : "unknown");

    /* DRAM ridge per precision: the best non-mix ISA at the largest thread count (on a tie, the
     * widest, e.g. AVX-512 over AVX2 on a one-FMA Xeon). */
    double ghz = rl_theory_clock(m);
    if (dram->gbs <= 0 || max_threads <= 0)
        return 0;
    static const char *const precs[] = {"fp64", "fp32", "fp16", "bf16", "int8"};
    for (size_t p = 0; p < sizeof precs / sizeof precs[0]; p++) {
        const rl_fpc *best = NULL;
        for (size_t i = 0; i < n; i++)
            if (!fpc[i].is_mix && strcmp(fpc[i].precision, precs[p]) == 0 &&
                (!best || fpc[i].per_core >= best->per_core))
                best = &fpc[i];
        double at = rl_clock_for(m, best ? best->isa : NULL, max_threads, NULL);
        if (at <= 0)
            at = ghz;
        if (!best || at <= 0)
            continue;
        rl_ridge e;
        memset(&e, 0, sizeof e);
        memcpy(e.isa, best->isa, sizeof e.isa);
        memcpy(e.precision, best->precision, sizeof e.precision);
        e.threads = max_threads;
        snprintf(e.level, sizeof e.level, "DRAM");
        e.peak_gflops = max_threads * at * best->per_core;
        e.gbs = dram->gbs;
        e.imax = e.peak_gflops / e.gbs;
        if (rl_result_add_theory_ridge(r, &e, err) != 0)
            return -1;
    }
    return 0;
}

/* FLOPs/cycle/core of an ISA and precision from t->fpc, or -1. */
static double per_core(const rl_theory *t, const char *isa, const char *precision)
{
    for (size_t i = 0; i < t->n_fpc; i++)
        if (strcmp(t->fpc[i].isa, isa) == 0 && strcmp(t->fpc[i].precision, precision) == 0)
            return t->fpc[i].per_core;
    return -1;
}

void rl_theory_apply_isa_clocks(rl_result *r)
{
    rl_theory *t = &r->theory;
    for (size_t i = 0; i < t->n_peak; i++) {
        rl_peak *p = &t->peak[i];
        double ghz = rl_clock_for(&r->machine, p->isa, p->threads, NULL);
        double fpc = per_core(t, p->isa, p->precision);
        if (ghz > 0 && fpc > 0)
            p->gflops_at_measured_clock = p->threads * ghz * fpc;
    }
    for (size_t i = 0; i < t->n_ridge; i++) {
        rl_ridge *e = &t->ridge[i];
        double ghz = rl_clock_for(&r->machine, e->isa, e->threads, NULL);
        double fpc = per_core(t, e->isa, e->precision);
        if (ghz > 0 && fpc > 0 && e->gbs > 0) {
            e->peak_gflops = e->threads * ghz * fpc;
            e->imax = e->peak_gflops / e->gbs;
        }
    }
}
