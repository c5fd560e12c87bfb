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

/* Cores of each core type of a hybrid CPU from the topology's CPU kinds: hwloc names Intel's
 * kinds by CoreType ("IntelCore" the P-cores, "IntelAtom" the E-cores); kinds without a name are
 * taken fastest first (the order probes/topology lists them). Where the topology does not tell
 * them apart (one kind, or a dump described with another machine's topology): the dump's own
 * counts, or -1. */
static void type_cores(const rl_machine *m, const rl_uarch *u, int *cores)
{
    for (int i = 0; i < u->n_types; i++)
        cores[i] = u->types[i].cores; /* a dump's own count, or -1 */
    if (m->n_core_kinds < u->n_types)
        return;
    /* Named kinds, summed by name: hwloc can split one core type into several kinds by their
     * frequency (Meteor Lake's low-power E-cores beside its E-cores). */
    int named = 1, sum[RL_UARCH_MAX_TYPES] = {0};
    for (int k = 0; k < m->n_core_kinds && named; k++) {
        int hit = 0;
        for (int i = 0; i < u->n_types; i++) {
            const char *want = strcmp(u->types[i].role, "P") == 0 ? "IntelCore" : "IntelAtom";
            if (strcmp(m->core_kinds[k].name, want) == 0) {
                sum[i] += m->core_kinds[k].cores;
                hit = 1;
            }
        }
        named = hit;
    }
    if (named) {
        for (int i = 0; i < u->n_types; i++)
            cores[i] = sum[i];
        return;
    }
    if (m->n_core_kinds == u->n_types) /* unnamed kinds: fastest first, as the types are */
        for (int i = 0; i < u->n_types; i++)
            cores[i] = m->core_kinds[i].cores;
}

/* FLOPs/cycle/core of an ISA and precision for one core type ("" : the first row, the P-core's on
 * hybrid CPUs), 0 when absent. */
static double type_fpc(const rl_theory *t, const char *isa, const char *precision,
                       const char *core_type)
{
    for (size_t i = 0; i < t->n_fpc; i++)
        if (strcmp(t->fpc[i].isa, isa) == 0 && strcmp(t->fpc[i].precision, precision) == 0 &&
            (!core_type[0] || strcmp(t->fpc[i].core_type, core_type) == 0))
            return t->fpc[i].per_core;
    return 0;
}

/* FLOPs/cycle of `threads` cores together. A core type's row: its cores alone. The machine's row
 * on a hybrid CPU whose core counts are known: the fastest cores first (P, then E), summed over
 * the types; else threads x the (P-)core's figure. */
double rl_theory_cores_fpc(const rl_theory *t, const char *isa, const char *precision,
                           const char *core_type, int threads)
{
    if (core_type[0] || t->n_core_types < 2)
        return threads * type_fpc(t, isa, precision, core_type);
    for (int i = 0; i < t->n_core_types; i++)
        if (t->core_types[i].cores < 0)
            return threads * type_fpc(t, isa, precision, "");
    double sum = 0;
    int left = threads;
    for (int i = 0; i < t->n_core_types && left > 0; i++) {
        int use = left < t->core_types[i].cores ? left : t->core_types[i].cores;
        sum += use * type_fpc(t, isa, precision, t->core_types[i].name);
        left -= use;
    }
    return sum + left * type_fpc(t, isa, precision, ""); /* more threads than cores */
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
    /* Hybrid CPUs: every core type's own rows, P first (readers that look a row up by ISA and
     * precision find the P-core's, as before). */
    rl_fpc tf[RL_UARCH_MAX_TYPES][32];
    size_t tn[RL_UARCH_MAX_TYPES] = {0};
    int cores[RL_UARCH_MAX_TYPES] = {0};
    int n_types = u->n_types > 1 ? u->n_types : 0;
    t->n_core_types = 0;
    if (n_types) {
        type_cores(m, u, cores);
        for (int i = 0; i < n_types; i++) {
            rl_uarch tv;
            rl_uarch_type_view(u, (size_t)i, &tv);
            tn[i] = rl_uarch_fpc(&tv, runnable, tf[i], 32);
            for (size_t k = 0; k < tn[i]; k++) {
                snprintf(tf[i][k].core_type, sizeof tf[i][k].core_type, "%s", u->types[i].name);
                if (rl_result_add_fpc(r, &tf[i][k], err) != 0)
                    return -1;
            }
            rl_core_type_theory *ct = &t->core_types[t->n_core_types++];
            memset(ct, 0, sizeof *ct);
            snprintf(ct->name, sizeof ct->name, "%s", u->types[i].name);
            snprintf(ct->role, sizeof ct->role, "%s", u->types[i].role);
            ct->cores = cores[i];
            snprintf(ct->source, sizeof ct->source, "%s", u->types[i].source);
        }
    } else {
        for (size_t i = 0; i < n; i++)
            if (rl_result_add_fpc(r, &fpc[i], err) != 0)
                return -1;
    }

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
            double per_cycle = rl_theory_cores_fpc(t, fpc[i].isa, fpc[i].precision, "", th);
            /* The clock under the ISA's own load (--clock ISA=GHZ) where one is known. */
            double ghz = rl_clock_for(m, fpc[i].isa, th, NULL);
            if (ghz <= 0)
                ghz = m->measured_ghz;
            p.gflops_at_measured_clock = ghz > 0 ? ghz * per_cycle : -1;
            p.gflops_at_nominal_clock = m->nominal_ghz > 0 ? m->nominal_ghz * per_cycle : -1;
            if (rl_result_add_peak(r, &p, err) != 0)
                return -1;
        }
    }
    /* Each core type's own peak over its own cores (hybrid CPUs whose topology tells them). */
    for (int i = 0; i < n_types; i++) {
        if (cores[i] <= 0)
            continue;
        for (size_t k = 0; k < tn[i]; k++) {
            rl_peak p;
            memset(&p, 0, sizeof p);
            memcpy(p.isa, tf[i][k].isa, sizeof p.isa);
            memcpy(p.precision, tf[i][k].precision, sizeof p.precision);
            memcpy(p.core_type, tf[i][k].core_type, sizeof p.core_type);
            p.threads = cores[i];
            double ghz = rl_clock_for(m, p.isa, cores[i], NULL);
            if (ghz <= 0)
                ghz = m->measured_ghz;
            p.gflops_at_measured_clock = ghz > 0 ? ghz * cores[i] * tf[i][k].per_core : -1;
            p.gflops_at_nominal_clock =
                m->nominal_ghz > 0 ? m->nominal_ghz * cores[i] * tf[i][k].per_core : -1;
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
        e.peak_gflops = at * rl_theory_cores_fpc(t, best->isa, best->precision, "", max_threads);
        e.gbs = dram->gbs;
        e.imax = e.peak_gflops / e.gbs;
        if (rl_result_add_theory_ridge(r, &e, err) != 0)
            return -1;
    }
    return 0;
}

void rl_theory_apply_isa_clocks(rl_result *r)
{
    rl_theory *t = &r->theory;
    for (size_t i = 0; i < t->n_peak; i++) {
        rl_peak *p = &t->peak[i];
        double ghz = rl_clock_for(&r->machine, p->isa, p->threads, NULL);
        double fpc = rl_theory_cores_fpc(t, p->isa, p->precision, p->core_type, p->threads);
        if (ghz > 0 && fpc > 0)
            p->gflops_at_measured_clock = ghz * fpc;
    }
    for (size_t i = 0; i < t->n_ridge; i++) {
        rl_ridge *e = &t->ridge[i];
        double ghz = rl_clock_for(&r->machine, e->isa, e->threads, NULL);
        double fpc = rl_theory_cores_fpc(t, e->isa, e->precision, "", e->threads);
        if (ghz > 0 && fpc > 0 && e->gbs > 0) {
            e->peak_gflops = ghz * fpc;
            e->imax = e->peak_gflops / e->gbs;
        }
    }
}
