/* view.c: shared derivations for the renderers (see view.h). */
#include "report/view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *rl_view_num(char *out, size_t size, double v, const char *missing)
{
    if (!(v >= 0) || !isfinite(v))
        snprintf(out, size, "%s", missing);
    else if (v >= 1000)
        snprintf(out, size, "%.0f", v);
    else if (v >= 100)
        snprintf(out, size, "%.1f", v);
    else if (v >= 1 || v == 0)
        snprintf(out, size, "%.2f", v);
    else if (v >= 0.01)
        snprintf(out, size, "%.3f", v);
    else
        snprintf(out, size, "%.2g", v);
    return out;
}

const char *rl_view_pct(char *out, size_t size, double ratio, const char *missing)
{
    if (!(ratio >= 0) || !isfinite(ratio))
        snprintf(out, size, "%s", missing);
    else
        snprintf(out, size, "%.1f%%", ratio * 100.0);
    return out;
}

double rl_view_spread(double best, double worst)
{
    if (!(best > 0) || !(worst >= 0) || worst > best)
        return -1;
    return (best - worst) / best;
}

static int max_flops_threads(const rl_result *r, const char *isa, const char *precision)
{
    int t = 0;
    for (size_t i = 0; i < r->n_flops; i++)
        if (!r->flops[i].core_type[0] && strcmp(r->flops[i].isa, isa) == 0 &&
            strcmp(r->flops[i].precision, precision) == 0 && r->flops[i].threads > t)
            t = r->flops[i].threads;
    return t;
}

const rl_flops *rl_view_best_flops(const rl_result *r, const char *isa, const char *precision,
                                   int threads)
{
    const rl_flops *best = NULL;
    if (threads <= 0)
        threads = max_flops_threads(r, isa, precision);
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        if (f->core_type[0] || strcmp(f->isa, isa) != 0 || strcmp(f->precision, precision) != 0 ||
            f->threads != threads)
            continue; /* a hybrid CPU's per-core-type rows are not the machine's ceiling */
        if (!best || f->gflops > best->gflops)
            best = f;
    }
    return best;
}

static int bw_matches(const rl_bandwidth *b, const char *level, const char *kernel)
{
    return strcmp(b->level, level) == 0 && (!kernel || strcmp(b->kernel, kernel) == 0);
}

const rl_bandwidth *rl_view_best_bandwidth(const rl_result *r, const char *level,
                                           const char *kernel, int threads)
{
    const rl_bandwidth *best = NULL;
    if (threads <= 0)
        for (size_t i = 0; i < r->n_bandwidth; i++)
            if (bw_matches(&r->bandwidth[i], level, kernel) && r->bandwidth[i].threads > threads)
                threads = r->bandwidth[i].threads;
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        if (!bw_matches(b, level, kernel) || b->threads != threads)
            continue;
        if (!best || b->gbs > best->gbs)
            best = b;
    }
    return best;
}

const rl_ridge *rl_view_theory_ridge(const rl_result *r, const char *isa, const char *precision,
                                     const char *level, int threads)
{
    const rl_ridge *most = NULL;
    for (size_t i = 0; i < r->theory.n_ridge; i++) {
        const rl_ridge *t = &r->theory.ridge[i];
        if (strcmp(t->isa, isa) != 0 || strcmp(t->precision, precision) != 0 ||
            strcmp(t->level, level) != 0)
            continue;
        if (t->threads == threads)
            return t;
        if (!most || t->threads > most->threads)
            most = t;
    }
    return most;
}

void rl_view_roof_of(const rl_result *r, rl_view_roof *roof)
{
    memset(roof, 0, sizeof *roof);
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        size_t k;
        for (k = 0; k < roof->n_compute; k++)
            if (strcmp(roof->compute[k].isa, f->isa) == 0 &&
                strcmp(roof->compute[k].precision, f->precision) == 0)
                break;
        if (k < roof->n_compute ||
            roof->n_compute == sizeof roof->compute / sizeof roof->compute[0])
            continue;
        const rl_flops *best = rl_view_best_flops(r, f->isa, f->precision, 0);
        if (!best || !(best->gflops > 0))
            continue;
        rl_view_compute *c = &roof->compute[roof->n_compute++];
        snprintf(c->isa, sizeof c->isa, "%s", best->isa);
        snprintf(c->precision, sizeof c->precision, "%s", best->precision);
        snprintf(c->unit, sizeof c->unit, "%s", best->unit);
        c->threads = best->threads;
        c->gflops = best->gflops;
        c->theoretical = best->theoretical_gflops;
    }
    /* Hybrid CPUs: each core type's own ceiling per ISA and precision, beside the machine's. */
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        if (!f->core_type[0] || !(f->gflops > 0) ||
            roof->n_compute == sizeof roof->compute / sizeof roof->compute[0])
            continue;
        size_t k;
        for (k = 0; k < roof->n_compute; k++) {
            rl_view_compute *c = &roof->compute[k];
            if (strcmp(c->core_type, f->core_type) == 0 && strcmp(c->isa, f->isa) == 0 &&
                strcmp(c->precision, f->precision) == 0)
                break;
        }
        if (k < roof->n_compute) {
            if (f->gflops > roof->compute[k].gflops) {
                roof->compute[k].gflops = f->gflops;
                roof->compute[k].threads = f->threads;
                roof->compute[k].theoretical = f->theoretical_gflops;
            }
            continue;
        }
        rl_view_compute *c = &roof->compute[roof->n_compute++];
        snprintf(c->core_type, sizeof c->core_type, "%s", f->core_type);
        snprintf(c->isa, sizeof c->isa, "%s", f->isa);
        snprintf(c->precision, sizeof c->precision, "%s", f->precision);
        snprintf(c->unit, sizeof c->unit, "%s", f->unit);
        c->threads = f->threads;
        c->gflops = f->gflops;
        c->theoretical = f->theoretical_gflops;
    }
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        size_t k;
        /* Sweep points are not a level; "NUMA<k>" rows are one node's share of a DRAM run. */
        if (strcmp(b->level, "sweep") == 0 || strncmp(b->level, "NUMA", 4) == 0)
            continue;
        for (k = 0; k < roof->n_memory; k++)
            if (strcmp(roof->memory[k].level, b->level) == 0)
                break;
        if (k < roof->n_memory || roof->n_memory == sizeof roof->memory / sizeof roof->memory[0])
            continue;
        const rl_bandwidth *best = rl_view_best_bandwidth(r, b->level, NULL, 0);
        if (!best || !(best->gbs > 0))
            continue;
        rl_view_memory *m = &roof->memory[roof->n_memory++];
        snprintf(m->level, sizeof m->level, "%s", best->level);
        snprintf(m->kernel, sizeof m->kernel, "%s", best->kernel);
        m->threads = best->threads;
        m->gbs = best->gbs;
    }
}

/* Is every feature an ISA name needs ("avx2-fma" needs avx2 and fma) in the machine's list?
 * Returns -1 when the machine's list is empty (unknown). Underscores are ignored. */
static int isa_runnable(const char *isa_list, const char *isa)
{
    /* AArch64 rows are named after their instruction; the feature each needs: */
    static const struct {
        const char *row, *feature;
    } arm[] = {{"sdot", "asimddp"}, {"bfdot", "bf16"}, {"bfmmla", "bf16"}, {"smmla", "i8mm"}};
    for (size_t i = 0; i < sizeof arm / sizeof arm[0]; i++)
        if (strcmp(isa, arm[i].row) == 0)
            isa = arm[i].feature;
    char want[32], have[520];
    if (!isa_list[0])
        return -1;
    snprintf(have, sizeof have, " %s ", isa_list);
    snprintf(want, sizeof want, "%s", isa);
    for (char *tok = strtok(want, "-+"); tok; tok = strtok(NULL, "-+")) {
        if (strcmp(tok, "add") == 0 || strcmp(tok, "scalar") == 0)
            continue;
        char needle[40];
        snprintf(needle, sizeof needle, " %s ", tok);
        if (!strstr(have, needle)) {
            /* "avx512fp16" vs "avx512_fp16": compare without underscores. */
            char a[520], n[40];
            size_t j = 0;
            for (const char *p = have; *p && j + 1 < sizeof a; p++)
                if (*p != '_')
                    a[j++] = *p;
            a[j] = '\0';
            j = 0;
            for (const char *p = needle; *p && j + 1 < sizeof n; p++)
                if (*p != '_')
                    n[j++] = *p;
            n[j] = '\0';
            if (!strstr(a, n))
                return 0;
        }
    }
    return 1;
}

/* Does one of the result's own warnings contain all of `a` and `b` (b may be NULL)? */
static int has_warning(const rl_result *r, const char *a, const char *b)
{
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strstr(r->warnings[i], a) && (!b || strstr(r->warnings[i], b)))
            return 1;
    return 0;
}

static int flops_has(const rl_result *r, const char *isa, const char *precision)
{
    for (size_t i = 0; i < r->n_flops; i++)
        if (strcmp(r->flops[i].isa, isa) == 0 && strcmp(r->flops[i].precision, precision) == 0)
            return 1;
    return 0;
}

static void warn_not_run(const rl_result *r, rl_buf *out, size_t *n)
{
    /* hybrid CPUs: each ISA and precision once (the first core type's rows) */
    const char *type = r->theory.n_core_types > 0 ? r->theory.core_types[0].name : "";
    for (size_t i = 0; i < r->theory.n_fpc; i++) {
        const rl_fpc *f = &r->theory.fpc[i];
        size_t j;
        if (f->is_mix || strcmp(f->core_type, type) != 0 || flops_has(r, f->isa, f->precision))
            continue;
        char who[40];
        snprintf(who, sizeof who, "%s ", f->isa);
        if (has_warning(r, who, "not run")) /* the runner said why already */
            continue;
        /* One line per ISA: skip an ISA already reported by an earlier entry. */
        for (j = 0; j < i; j++) {
            const rl_fpc *g = &r->theory.fpc[j];
            if (!g->is_mix && strcmp(g->core_type, type) == 0 && strcmp(g->isa, f->isa) == 0 &&
                !flops_has(r, g->isa, g->precision))
                break;
        }
        if (j < i)
            continue;
        rl_buf_printf(out, "not run: %s (", f->isa);
        int first = 1;
        for (j = i; j < r->theory.n_fpc; j++) {
            const rl_fpc *g = &r->theory.fpc[j];
            if (g->is_mix || strcmp(g->core_type, type) != 0 || strcmp(g->isa, f->isa) != 0 ||
                flops_has(r, g->isa, g->precision))
                continue;
            rl_buf_printf(out, "%s%s", first ? "" : ", ", g->precision);
            first = 0;
        }
        int ok = isa_runnable(r->machine.isa, f->isa);
        const char *why = "not measured in this run";
        if (ok == 0)
            why = "this CPU or its OS cannot run it (CPUID/XCR0), so it was skipped";
        else if (r->meta.partial)
            why = "the run was interrupted before it";
        else if (strstr(r->meta.settings, "quick=yes"))
            why = "--quick measures only the widest ISA per precision";
        else if (ok == 1)
            why = "runnable here but not measured in this run";
        rl_buf_printf(out, "): %s\n", why);
        (*n)++;
    }
    if (r->n_flops == 0) {
        rl_buf_printf(out,
                      "no compute measurements%s: compute ceilings and measured ridge "
                      "points are missing\n",
                      r->meta.partial ? " (interrupted)" : "");
        (*n)++;
    }
    if (r->n_bandwidth == 0) {
        rl_buf_printf(out,
                      "no bandwidth measurements%s: memory ceilings and measured ridge "
                      "points are missing\n",
                      r->meta.partial ? " (interrupted)" : "");
        (*n)++;
    } else if (!rl_view_best_bandwidth(r, "DRAM", NULL, 0)) {
        rl_buf_printf(out, "not run: DRAM bandwidth: no DRAM-sized working set was measured, so "
                           "no DRAM ridge point\n");
        (*n)++;
    }
}

/* Sums up the noise notes the runner wrote (result.h's RL_NOISY_* thresholds): the report counts
 * them, it does not re-derive them from the figures. */
static void warn_noise(const rl_result *r, rl_buf *out, size_t *n)
{
    size_t noisy = 0, total = 0, drift = 0;
    double worst = -1, worst_drift = -1;
    char worst_name[96] = "", drift_name[160] = "";
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        total++;
        if (strstr(f->note, "noisy host")) {
            noisy++;
            double s = rl_view_spread(f->gflops, f->gflops_min);
            if (s > worst) {
                worst = s;
                snprintf(worst_name, sizeof worst_name, "%s %s, %d thread%s", f->isa, f->precision,
                         f->threads, f->threads == 1 ? "" : "s");
            }
        }
        if (strstr(f->note, "clock moved")) {
            drift++;
            double d = f->clock_ghz_before > 0 && f->clock_ghz_after > 0
                           ? fabs(f->clock_ghz_after - f->clock_ghz_before) / f->clock_ghz_before
                           : 0;
            if (d > worst_drift) {
                worst_drift = d;
                snprintf(drift_name, sizeof drift_name, "%.2f -> %.2f GHz on %s %s, %d thread%s",
                         f->clock_ghz_before, f->clock_ghz_after, f->isa, f->precision, f->threads,
                         f->threads == 1 ? "" : "s");
            }
        }
    }
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        total++;
        if (strstr(b->note, "noisy host")) {
            noisy++;
            double s = rl_view_spread(b->gbs, b->gbs_min);
            if (s > worst) {
                worst = s;
                snprintf(worst_name, sizeof worst_name, "%s %s, %d thread%s", b->level, b->kernel,
                         b->threads, b->threads == 1 ? "" : "s");
            }
        }
    }
    if (noisy > 0) {
        char w[32];
        rl_buf_printf(out,
                      "noisy host: %zu of %zu measurements had repeats spreading more than %.0f%% "
                      "or threads disagreeing by more than %.0f%% (widest repeat spread %s: %s); "
                      "the best run is shown, rerun on an idle machine before publishing\n",
                      noisy, total, RL_NOISY_REPEAT_SPREAD * 100, RL_NOISY_THREAD_SPREAD * 100,
                      rl_view_pct(w, sizeof w, worst, "?"), worst_name);
        (*n)++;
    }
    if (drift > 0) {
        rl_buf_printf(out,
                      "clock moved during %zu compute measurements (largest: %s): turbo, "
                      "thermal limits or a busy host\n",
                      drift, drift_name);
        (*n)++;
    }
}

static void warn_suspicious(const rl_result *r, rl_buf *out, size_t *n)
{
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        if (!(f->efficiency > RL_VIEW_SUSPICIOUS) || strstr(f->note, "suspicious"))
            continue;
        char a[32], b[32];
        rl_buf_printf(out,
                      "suspicious: %s %s, %d thread%s measured %.1f%% of theoretical (%s vs %s "
                      "%s): the clock or the FLOPs/cycle figure is likely wrong, not the "
                      "hardware faster\n",
                      f->isa, f->precision, f->threads, f->threads == 1 ? "" : "s",
                      f->efficiency * 100, rl_view_num(a, sizeof a, f->gflops, "?"),
                      rl_view_num(b, sizeof b, f->theoretical_gflops, "?"), f->unit);
        (*n)++;
    }
    const rl_bandwidth *d = rl_view_best_bandwidth(r, "DRAM", NULL, 0);
    if (d && r->theory.dram_gbs > 0 && d->gbs_traffic > r->theory.dram_gbs * RL_VIEW_SUSPICIOUS) {
        rl_buf_printf(out,
                      "suspicious: DRAM %s traffic %.1f GB/s is above the theoretical %.1f GB/s: "
                      "the working set may fit in a cache, or the DRAM figure is wrong\n",
                      d->kernel, d->gbs_traffic, r->theory.dram_gbs);
        (*n)++;
    }
}

/* Is every ';'-separated part of a note about noise (spread, disagreement, clock drift)? */
static int only_noise(const char *note)
{
    char copy[256], *save = NULL;
    snprintf(copy, sizeof copy, "%s", note);
    for (char *part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save))
        if (!strstr(part, "spread") && !strstr(part, "disagree") && !strstr(part, "noisy") &&
            !strstr(part, "clock moved") && !strstr(part, "not the ISA's peak"))
            return 0;
    return 1;
}

size_t rl_view_warnings(const rl_result *r, rl_buf *out)
{
    size_t n = 0;
    if (r->meta.partial) {
        rl_buf_printf(out, "partial result: the run was interrupted; only the measurements that "
                           "finished are shown\n");
        n++;
    }
    if (strstr(r->meta.settings, "quick=yes")) {
        rl_buf_printf(out, "quick run (--quick): fewer repeats and sizes than the default run; "
                           "use the default run for numbers you publish\n");
        n++;
    }
    for (size_t i = 0; i < r->n_warnings; i++) {
        rl_buf_printf(out, "%s\n", r->warnings[i]);
        n++;
    }
    warn_suspicious(r, out, &n);
    warn_noise(r, out, &n);
    warn_not_run(r, out, &n);
    if (!(r->machine.measured_ghz > 0) && !has_warning(r, "clock not measured", NULL)) {
        rl_buf_printf(out, "core clock not measured: theoretical peaks at the measured clock and "
                           "efficiencies are unknown\n");
        n++;
    }
    if (!(r->theory.dram_gbs > 0) && !has_warning(r, "DRAM bandwidth unknown", NULL)) {
        rl_buf_printf(out,
                      "theoretical DRAM bandwidth %s: give --mem-channels and --mem-mts to "
                      "compare DRAM and get a theoretical ridge point\n",
                      strncmp(r->theory.dram_source, "unknown", 7) == 0 ? r->theory.dram_source
                                                                        : "unknown");
        n++;
    }
    /* Each measurement's note, except those only about noise: the "noisy host" line above sums
     * them up and the CSV and JSON keep every one. */
    size_t noise_only = 0;
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        if (!f->note[0])
            continue;
        if (only_noise(f->note)) {
            noise_only++;
            continue;
        }
        rl_buf_printf(out, "%s %s, %d thread%s: %s\n", f->isa, f->precision, f->threads,
                      f->threads == 1 ? "" : "s", f->note);
        n++;
    }
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        if (!b->note[0])
            continue;
        if (only_noise(b->note)) {
            noise_only++;
            continue;
        }
        rl_buf_printf(out, "%s %s, %d thread%s: %s\n", b->level, b->kernel, b->threads,
                      b->threads == 1 ? "" : "s", b->note);
        n++;
    }
    if (noise_only > 0) {
        rl_buf_printf(out,
                      "%zu more notes on noise (repeat spread, threads disagreeing, clock "
                      "moving) are in the CSV and JSON\n",
                      noise_only);
        n++;
    }
    return n;
}

void rl_view_machine_name(const rl_result *r, char *out, size_t size)
{
    const rl_machine *m = &r->machine;
    const char *brand = m->brand;
    while (*brand == ' ')
        brand++;
    size_t len = strlen(brand);
    while (len > 0 && brand[len - 1] == ' ')
        len--;
    if (len == 0) {
        brand = "unknown CPU";
        len = strlen(brand);
    }
    if (m->uarch[0] && strcmp(m->uarch, "unknown") != 0)
        snprintf(out, size, "%.*s (%s)", (int)len, brand, m->uarch);
    else
        snprintf(out, size, "%.*s", (int)len, brand);
}

/* The device's ceilings as a roof: `energy` 0 their best rates, 1 their rates per joule. */
static void device_roof(const rl_device *d, rl_view_roof *roof, int energy)
{
    memset(roof, 0, sizeof *roof);
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *c = &d->ceiling[i];
        double best = energy ? c->power.per_joule : c->best;
        double theoretical = energy ? -1 : c->theoretical;
        if (best <= 0)
            continue;
        if (!strcmp(c->kind, "compute")) {
            size_t j;
            for (j = 0; j < roof->n_compute; j++)
                if (!strcmp(roof->compute[j].isa, c->path) &&
                    !strcmp(roof->compute[j].precision, c->precision))
                    break;
            if (j == roof->n_compute) {
                if (j == sizeof roof->compute / sizeof roof->compute[0])
                    continue;
                roof->n_compute++;
            } else if (roof->compute[j].gflops >= best) {
                continue;
            }
            rl_view_compute *k = &roof->compute[j];
            snprintf(k->isa, sizeof k->isa, "%s", c->path);
            snprintf(k->precision, sizeof k->precision, "%s", c->precision);
            snprintf(k->unit, sizeof k->unit, "%s", c->unit);
            k->threads = d->units;
            k->gflops = best;
            k->theoretical = theoretical;
        } else {
            size_t j;
            for (j = 0; j < roof->n_memory; j++)
                if (!strcmp(roof->memory[j].level, c->path))
                    break;
            if (j == roof->n_memory) {
                if (j == sizeof roof->memory / sizeof roof->memory[0])
                    continue;
                roof->n_memory++;
            } else if (roof->memory[j].gbs >= best) {
                continue;
            }
            rl_view_memory *m = &roof->memory[j];
            snprintf(m->level, sizeof m->level, "%.7s", c->path);
            snprintf(m->kernel, sizeof m->kernel, "%s", c->op);
            m->threads = d->units;
            m->gbs = best;
        }
    }
}

void rl_view_device_roof(const rl_device *d, rl_view_roof *roof)
{
    device_roof(d, roof, 0);
}

void rl_view_device_energy_roof(const rl_device *d, rl_view_roof *roof)
{
    device_roof(d, roof, 1);
}
