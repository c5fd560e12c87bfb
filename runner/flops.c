/* flops.c: selecting and measuring the compute kernels (see flops.h). */
#include "runner/flops.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/isaclock.h"
#include "probes/clock.h"
#include "probes/theory.h"

static const char *const precisions[] = {"fp64", "fp32", "fp16", "bf16", "int8"};

/* Thresholds for the notes beside a figure (see the issue: noisy hosts, suspicious peaks). */
#define SUSPICIOUS_EFFICIENCY 1.01
/* A clock under load this much below the add chain's is a licence drop worth a note. */
#define RL_ISA_CLOCK_DROP 0.02

/* Is `name` one of the comma-separated items of `list`? */
static int in_list(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* Checks every item of `list` with `known`; on an unknown or empty one sets err and returns -1. */
static int check_items(const char *list, int (*known)(const char *), const char *what,
                       const char *valid, rl_err *err)
{
    char item[64];
    for (const char *p = list;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || n >= sizeof item)
            return rl_err_set(err, RL_EXIT_USAGE, "'%s' is not a list of %ss (valid: %s)", list,
                              what, valid);
        memcpy(item, p, n);
        item[n] = '\0';
        if (!known(item))
            return rl_err_set(err, RL_EXIT_USAGE, "unknown %s '%s' (valid: %s)", what, item, valid);
        if (!end)
            return 0;
        p = end + 1;
    }
}

static int precision_known(const char *p)
{
    for (size_t i = 0; i < sizeof precisions / sizeof precisions[0]; i++)
        if (strcmp(p, precisions[i]) == 0)
            return 1;
    return 0;
}

static int isa_known(const char *isa)
{
    return rl_fma_isa_lookup(isa) != NULL;
}

/* The registry names of a checked --isa list, short forms resolved ("avx2,sse2" ->
 * "avx2-fma,sse2"). */
static void canonical_isas(const char *list, char *out, size_t size)
{
    char item[64];
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        snprintf(item, sizeof item, "%.*s", (int)n, p);
        const char *name = rl_fma_isa_lookup(item);
        int w = snprintf(out + used, size - used, "%s%s", used ? "," : "", name ? name : item);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
        if (!end)
            break;
        p = end + 1;
    }
}

/* The registry names of the kernels this CPU runs, comma-separated. */
static void runnable_isas(rl_isa_mask runnable, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    const rl_fma_kernel *k;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        int seen = rl_fma_missing(k, runnable) != 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(rl_fma_kernel_at(j)->isa, k->isa) == 0;
        if (seen)
            continue;
        int w = snprintf(out + used, size - used, "%s%s", used ? ", " : "", k->isa);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

int rl_flops_plan_make(const char *isa_list, const char *precision, rl_isa_mask runnable,
                       rl_flops_plan *plan, const char **which, rl_err *err)
{
    memset(plan, 0, sizeof *plan);
    *which = NULL;
    char names[256], aliases[128], valid[400], isa[256];
    rl_fma_isa_names(names, sizeof names);
    rl_fma_isa_aliases(aliases, sizeof aliases);
    snprintf(valid, sizeof valid, "%s; short forms %s", names, aliases);
    if (isa_list && check_items(isa_list, isa_known, "ISA", valid, err) < 0) {
        *which = "isa";
        return -1;
    }
    if (isa_list)
        canonical_isas(isa_list, isa, sizeof isa);
    if (precision && check_items(precision, precision_known, "precision",
                                 "fp64, fp32, fp16, bf16, int8", err) < 0) {
        *which = "precision";
        return -1;
    }
    const rl_fma_kernel *k;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        if (k->alternate) /* another shape of a listed row: its trial may pick it */
            continue;
        if ((isa_list && !in_list(isa, k->isa)) || (precision && !in_list(precision, k->precision)))
            continue;
        rl_isa_mask missing = rl_fma_missing(k, runnable);
        if (missing && isa_list) {
            char lacks[256], runs[256];
            rl_isa_format(missing, lacks, sizeof lacks);
            runnable_isas(runnable, runs, sizeof runs);
            *which = "isa";
            return rl_err_set(err, RL_EXIT_USAGE,
                              "%s: this CPU cannot run it (lacks %s; it runs %s)", k->isa, lacks,
                              runs);
        }
        if (missing) {
            if (plan->n_skip < RL_FLOPS_MAX_KERNELS) {
                plan->skip_missing[plan->n_skip] = missing;
                plan->skip[plan->n_skip++] = k;
            }
        } else if (plan->n_run < RL_FLOPS_MAX_KERNELS) {
            plan->run[plan->n_run++] = k;
        }
    }
    if (plan->n_run == 0) {
        *which = precision ? "precision" : "isa";
        return rl_err_set(err, RL_EXIT_USAGE, "no kernel matches --isa %s --precision %s",
                          isa_list ? isa_list : "(all)", precision ? precision : "(all)");
    }
    return 0;
}

/* --quick: per precision (fp64, fp32) only the widest non-mix floating-point kernel of the plan
 * (rl_fma_wider: the declared width, never the registry's order). */
void rl_flops_plan_quick(rl_flops_plan *plan)
{
    const rl_fma_kernel *keep[2] = {NULL, NULL};
    static const char *const precs[2] = {"fp64", "fp32"};
    for (size_t i = 0; i < plan->n_run; i++) {
        const rl_fma_kernel *k = plan->run[i];
        for (int p = 0; p < 2; p++)
            if (!k->is_mix && strcmp(k->unit, "FLOP") == 0 && strcmp(k->precision, precs[p]) == 0 &&
                (!keep[p] || !rl_fma_wider(keep[p], k)))
                keep[p] = k;
    }
    plan->n_run = 0;
    for (int p = 0; p < 2; p++)
        if (keep[p])
            plan->run[plan->n_run++] = keep[p];
}

rl_flops_opts rl_flops_opts_default(void)
{
    rl_flops_opts o;
    memset(&o, 0, sizeof o);
    o.repeats = 5;
    o.min_time = RL_FLOPS_MIN_TIME;
    o.clock_ghz = rl_clock_measure_quick;
    o.isa_clocks = 1;
    o.clock_repeats = 8;
    o.clock_min_time = 0.003;
    o.core_kind = -1;
    return o;
}

double rl_flops_per_cycle(const rl_theory *theory, const rl_fma_kernel *k)
{
    if (!theory)
        return -1;
    for (size_t i = 0; i < theory->n_fpc; i++)
        if (strcmp(theory->fpc[i].isa, k->isa) == 0 &&
            strcmp(theory->fpc[i].precision, k->precision) == 0)
            return theory->fpc[i].per_core > 0 ? theory->fpc[i].per_core : -1;
    return -1;
}

static double kernel_work(void *ctx, int tid, uint64_t iters)
{
    (void)tid;
    const rl_fma_kernel *k = ctx;
    return k->run(iters);
}

int rl_flops_choose(const rl_fma_kernel *const *cands, int n, int rounds, rl_flops_trial_fn trial,
                    void *user, double *gflops, rl_err *err)
{
    for (int i = 0; i < n; i++)
        gflops[i] = 0;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < n; i++) {
            double g = 0;
            int rc = trial(user, cands[i], &g, err);
            if (rc != 0)
                return rc < 0 ? -1 : -2;
            if (g > gflops[i])
                gflops[i] = g;
        }
    int best = -1;
    for (int i = 0; i < n; i++)
        if (best < 0 || gflops[i] > gflops[best]) /* a tie keeps the earlier (the row's first) */
            best = i;
    return best;
}

/* The shapes of row `k` this CPU runs: k first, then its alternates in registry order. */
static int row_shapes(const rl_fma_kernel *k, rl_isa_mask runnable, const rl_fma_kernel **out,
                      int max)
{
    int n = 0;
    out[n++] = k;
    const rl_fma_kernel *v;
    for (size_t i = 0; (v = rl_fma_kernel_at(i)) != NULL && n < max; i++)
        if (v->alternate && v->is_mix == k->is_mix && strcmp(v->isa, k->isa) == 0 &&
            strcmp(v->precision, k->precision) == 0 && !rl_fma_missing(v, runnable))
            out[n++] = v;
    return n;
}

enum { MAX_SHAPES = 8 };

typedef struct shape_trial {
    const rl_run_team *team;
    const rl_flops_opts *opts;
    uint64_t iters_hint;
    /* Each shape's calibrated call, so its later rounds run it as it is (no calibration). */
    const rl_fma_kernel *known[MAX_SHAPES];
    uint64_t known_iters[MAX_SHAPES];
    int n_known;
} shape_trial;

/* A trial round runs one call of each shape, 1/TRIAL_TIME_SHARE of a full repeat long (the first
 * round calibrates it first); a shape scores its best call over TRIAL_ROUNDS rounds, taken shape by
 * shape in turn so that a slow spell of a shared host does not fall on one shape's every call.
 * The calls are long because shapes can differ over long calls only: on a Zen 4 guest (2026-11-27)
 * the split shapes (since dropped, kernels/x86/fma_x86.h) reached the peer's figure in 2 ms calls
 * and settled 3-6% lower in the 40 ms calls of a full repeat, while square8+add8 held it; with
 * 2.5 ms trial calls, 4 of 6 rows picked a shape 2.4-5.2% below the best in at least one of 5 runs
 * (scripts/check-shape-choice.sh). Best of calls, like the full run's repeats. */
#define TRIAL_TIME_SHARE 4
#define TRIAL_ROUNDS     3

static int shape_trial_run(void *user, const rl_fma_kernel *k, double *gflops, rl_err *err)
{
    shape_trial *t = user;
    int known = -1;
    for (int i = 0; i < t->n_known; i++)
        if (t->known[i] == k)
            known = i;
    char label[80];
    snprintf(label, sizeof label, "flops %s %s, %s trial", k->isa, k->precision, k->variant);
    rl_run_opts ro = rl_run_opts_default();
    ro.repeats = 1;
    ro.min_time = t->opts->min_time / TRIAL_TIME_SHARE;
    ro.start_iters = t->iters_hint;
    if (known >= 0)
        ro.fixed_iters = t->known_iters[known];
    ro.label = label;
    ro.progress = t->opts->progress;
    ro.progress_user = t->opts->progress_user;
    ro.stop = t->opts->stop;
    rl_run_stats st;
    if (rl_run_timed(t->team, kernel_work, (void *)k, &ro, &st, err) < 0)
        return t->opts->stop && *t->opts->stop ? 1 : -1;
    *gflops = rl_fma_flops_per_iter(k) * (double)st.iters * st.threads / st.best_secs / 1e9;
    t->iters_hint = st.iters;
    if (known < 0 && t->n_known < MAX_SHAPES) {
        t->known[t->n_known] = k;
        t->known_iters[t->n_known++] = st.iters;
    }
    rl_run_stats_free(&st);
    return 0;
}

/* The clock a row is quoted at (see rl_flops_opts). */
typedef struct row_clock {
    double ghz; /* <0: none */
    const char *method;
} row_clock;

/* Fills one result row from the run statistics. */
static void fill_row(const rl_fma_kernel *k, const rl_run_stats *st, double per_cycle, int cores,
                     int repeats_asked, row_clock rc, rl_flops *row)
{
    memset(row, 0, sizeof *row);
    snprintf(row->isa, sizeof row->isa, "%s", k->isa);
    snprintf(row->precision, sizeof row->precision, "%s", k->precision);
    snprintf(row->unit, sizeof row->unit, "%s", strcmp(k->unit, "OP") == 0 ? "GOP/s" : "GFLOP/s");
    row->threads = st->threads;
    /* The one place a rate is computed: declared FLOPs per iteration x iterations x threads. */
    double work = rl_fma_flops_per_iter(k) * (double)st->iters * st->threads / 1e9;
    row->gflops = work / st->best_secs;
    row->gflops_median = work / st->median_secs;
    row->gflops_min = work / st->worst_secs;
    row->repeats = st->repeats;
    row->clock_ghz_before = st->clock_ghz_before;
    row->clock_ghz_after = st->clock_ghz_after;

    /* The higher of the two readings: a preempted probe only ever reads low (a busy host), so the
     * maximum is the robust estimate, and it keeps efficiency conservative when the clock moved. */
    double chain =
        st->clock_ghz_before > st->clock_ghz_after ? st->clock_ghz_before : st->clock_ghz_after;
    if (!(chain > 0))
        chain = -1;
    double ghz = rc.ghz > 0 ? rc.ghz : chain;
    row->clock_ghz = ghz;
    snprintf(row->clock_method, sizeof row->clock_method, "%s",
             rc.ghz > 0  ? rc.method
             : chain > 0 ? "add chain before/after"
                         : "none");
    /* Theoretical peak is per core: SMT siblings share their core's pipes. */
    row->theoretical_gflops = per_cycle > 0 && ghz > 0 ? per_cycle * ghz * cores : -1;
    row->efficiency = row->theoretical_gflops > 0 ? row->gflops / row->theoretical_gflops : -1;

    /* A licence drop: the core ran slower under this ISA than with the add chain alone. */
    if (rc.ghz > 0 && chain > 0 && strcmp(rc.method, "--clock") != 0 &&
        rc.ghz < chain * (1 - RL_ISA_CLOCK_DROP))
        rl_run_note_add(row->note, sizeof row->note,
                        "clock under %s load %.2f GHz, %.0f%% below the add chain's %.2f GHz",
                        k->isa, rc.ghz, (1 - rc.ghz / chain) * 100, chain);
    if (row->efficiency > SUSPICIOUS_EFFICIENCY)
        rl_run_note_add(
            row->note, sizeof row->note,
            "suspicious: %.1f%% of theoretical (the clock probe read low, cores boosted above "
            "it between probes, or the FLOPs/cycle table is wrong for this CPU)",
            row->efficiency * 100);
    rl_run_note_noise(st, row->note, sizeof row->note);
    if (st->clock_ghz_before > 0 && st->clock_ghz_after > 0 &&
        fabs(st->clock_ghz_after - st->clock_ghz_before) >
            RL_NOISY_CLOCK_DRIFT * st->clock_ghz_before)
        rl_run_note_add(row->note, sizeof row->note, "clock moved %.2f -> %.2f GHz during the run",
                        st->clock_ghz_before, st->clock_ghz_after);
    if (st->stopped)
        rl_run_note_add(row->note, sizeof row->note, "interrupted after %d of %d repeats",
                        st->repeats, repeats_asked);
    if (k->is_mix)
        rl_run_note_add(row->note, sizeof row->note, "FMA+ADD mix, not the ISA's peak");
}

/* "avx512f avx512vl" -> "AVX-512F, AVX-512VL", the way CPU documentation names features. */
static void feature_names(rl_isa_mask mask, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < RL_ISA_COUNT_ && used + 1 < size; i++) {
        const char *n = rl_isa_name((rl_isa_mask)1 << i);
        if (!(mask & ((rl_isa_mask)1 << i)) || !n)
            continue;
        char pretty[32];
        size_t p = 0;
        const char *rest = n;
        if (strncmp(n, "avx512", 6) == 0) {
            p = (size_t)snprintf(pretty, sizeof pretty, "AVX-512");
            rest = n + 6;
        } else if (strcmp(n, "avx_vnni") == 0) {
            p = (size_t)snprintf(pretty, sizeof pretty, "AVX-");
            rest = n + 4;
        } else if (strncmp(n, "amx_", 4) == 0) { /* "AMX-TILE", "AMX-BF16": Intel's names */
            p = (size_t)snprintf(pretty, sizeof pretty, "AMX-");
            rest = n + 4;
        }
        for (; *rest && p + 1 < sizeof pretty; rest++)
            pretty[p++] =
                *rest == '_' ? ' ' : (char)(*rest >= 'a' && *rest <= 'z' ? *rest - 32 : *rest);
        pretty[p] = '\0';
        int w = snprintf(out + used, size - used, "%s%s", used ? ", " : "", pretty);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static double clock_work(void *ctx, int tid, uint64_t iters)
{
    (void)tid;
    const rl_isaclock_kernel *k = ctx;
    double vsum = 0;
    uint64_t chain = k->run(iters, &vsum);
    return (double)chain + (vsum != vsum ? 0.5 : 0); /* a NaN lane makes the check fail */
}

/* The clock under family `family`'s load on `team` (see kernels/isaclock.h), into
 * r->machine.per_isa: each thread's adds / its own seconds in the fastest repeat, averaged over the
 * team (the theoretical peak sums the cores' clocks). Nothing when the family has no kernel or this
 * CPU cannot run it (the rows keep the add chain's clock), or when --clock gave the family's. */
static int measure_isa_clock(const char *family, rl_run_team *team, rl_isa_mask runnable,
                             const rl_flops_opts *opts, rl_result *r, rl_err *err)
{
    int threads = rl_run_team_size(team);
    const rl_isaclock_kernel *k = rl_isaclock_for(family);
    if (!k || (k->requires & ~runnable) || rl_clock_find(&r->machine, family, threads) ||
        rl_clock_find(&r->machine, family, 0))
        return 0;
    char label[64];
    snprintf(label, sizeof label, "clock under %s load", family);
    rl_run_opts ro = rl_run_opts_default();
    ro.repeats = opts->clock_repeats > 0 ? opts->clock_repeats : 8;
    ro.min_time = opts->clock_min_time > 0 ? opts->clock_min_time : 0.003;
    ro.start_iters = 4096;
    ro.label = label;
    ro.progress = opts->progress;
    ro.progress_user = opts->progress_user;
    ro.stop = opts->stop;
    rl_run_stats st;
    if (rl_run_timed(team, clock_work, (void *)k, &ro, &st, err) < 0)
        return rl_err_prefix(err, "%s", label);
    double cycles = (double)st.iters * k->adds_per_iter;
    int ok = st.check == cycles * threads;
    double sum = 0;
    for (int t = 0; t < threads && ok; t++)
        if (st.thread_secs[t] > 0)
            sum += cycles / st.thread_secs[t] / 1e9;
        else
            ok = 0;
    rl_run_stats_free(&st);
    if (!ok)
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: kernel check failed", label);
    rl_isa_clock c;
    memset(&c, 0, sizeof c);
    snprintf(c.isa, sizeof c.isa, "%s", family);
    c.threads = threads;
    c.ghz = sum / threads;
    snprintf(c.method, sizeof c.method, "%s",
             k->insn[0].mnemonic ? "under load (vector ops + add chain)"
                                 : "under load (add chain alone)");
    return rl_result_add_isa_clock(r, &c, err);
}

/* The clock under one ISA family's load on a team, measured into a scratch result so that it
 * stays out of r->machine.per_isa (rl_flops_opts.core_kind). */
static int type_clock(const char *family, rl_run_team *team, const rl_flops_opts *opts,
                      const rl_result *r, double *ghz, rl_err *err)
{
    *ghz = -1;
    const rl_isa_clock *given = rl_clock_find(&r->machine, family, 0); /* --clock ISA=GHZ */
    if (given) {
        *ghz = given->ghz;
        return 0;
    }
    rl_result *tmp = rl_result_new();
    if (!tmp)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    int rc = measure_isa_clock(family, team, opts->runnable, opts, tmp, err);
    if (rc == 0 && tmp->machine.n_per_isa > 0)
        *ghz = tmp->machine.per_isa[tmp->machine.n_per_isa - 1].ghz;
    rl_result_free(tmp);
    return rc;
}

int rl_flops_isa_clocks(const rl_topology *topo, rl_isa_mask runnable, const int *threads,
                        int n_threads, const rl_flops_opts *opts, rl_result *r, rl_err *err)
{
    for (int t = 0; t < n_threads; t++) {
        int dup = threads[t] <= 0;
        for (int j = 0; j < t && !dup; j++)
            dup = threads[j] == threads[t];
        if (dup)
            continue;
        rl_run_team *team = NULL;
        if (rl_run_team_new(topo, threads[t], 0, 0, &team, err) < 0)
            return -1;
        const rl_isaclock_kernel *k;
        for (size_t i = 0; (k = rl_isaclock_at(i)) != NULL; i++)
            if (measure_isa_clock(k->family, team, runnable, opts, r, err) < 0) {
                rl_run_team_free(team);
                return -1;
            }
        rl_run_team_free(team);
    }
    rl_theory_apply_isa_clocks(r);
    return 0;
}

int rl_flops_measure(const rl_flops_plan *plan, const rl_topology *topo, const rl_theory *theory,
                     const rl_flops_opts *opts, rl_result *r, rl_err *err)
{
    for (size_t i = 0; i < plan->n_skip && opts->core_kind < 0; i++) {
        char names[256];
        feature_names(plan->skip_missing[i], names, sizeof names);
        if (rl_result_add_warning(r, err, "flops: %s %s: not run: CPU lacks %s", plan->skip[i]->isa,
                                  plan->skip[i]->precision, names) < 0)
            return -1;
    }

    rl_run_team **teams = calloc((size_t)opts->n_threads, sizeof *teams);
    if (!teams)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    int rc = -1;
    for (int t = 0; t < opts->n_threads; t++)
        if (rl_run_team_new_kind(topo, opts->core_kind, opts->core_kind_name, opts->threads[t],
                                 opts->scatter, opts->smt, &teams[t], err) < 0)
            goto done;

    for (size_t i = 0; i < plan->n_run; i++) {
        const rl_fma_kernel *k = plan->run[i];
        char shape_note[256] = "";
        /* Several shapes of this row: a short trial on the first thread count picks the fastest
         * on this core, and every thread count measures that one. */
        const rl_fma_kernel *shapes[MAX_SHAPES];
        int n_shapes = k->variant ? row_shapes(k, opts->runnable, shapes, MAX_SHAPES) : 1;
        if (n_shapes > 1 && opts->n_threads > 0) {
            double g[MAX_SHAPES];
            shape_trial tr = {teams[0], opts, 1024, {NULL}, {0}, 0};
            int best =
                rl_flops_choose(shapes, n_shapes, TRIAL_ROUNDS, shape_trial_run, &tr, g, err);
            if (best < 0) {
                if (best == -2) {
                    r->meta.partial = 1;
                    rl_err_set(err, RL_EXIT_RUNTIME, "interrupted");
                }
                rl_err_prefix(err, "%s %s", k->isa, k->precision);
                goto done;
            }
            if (best != 0) {
                int at = snprintf(shape_note, sizeof shape_note,
                                  "shape %s: %.1f%% faster than %s in a trial (",
                                  shapes[best]->variant, (g[best] / g[0] - 1) * 100, k->variant);
                for (int j = 0; j < n_shapes && at > 0 && (size_t)at < sizeof shape_note; j++)
                    at += snprintf(shape_note + at, sizeof shape_note - (size_t)at, "%s%s %.1f",
                                   j ? ", " : "", shapes[j]->variant, g[j]);
                if (at > 0 && (size_t)at < sizeof shape_note)
                    snprintf(shape_note + at, sizeof shape_note - (size_t)at, ")");
            }
            k = shapes[best];
        }
        const char *type = opts->core_type ? opts->core_type : "";
        char label[64];
        snprintf(label, sizeof label, "flops %s%s%s %s", type, type[0] ? " " : "", k->isa,
                 k->precision);
        uint64_t iters_hint = 1024;
        for (int t = 0; t < opts->n_threads; t++) {
            rl_run_opts ro = rl_run_opts_default();
            ro.repeats = opts->repeats;
            ro.min_time = opts->min_time;
            ro.start_iters = iters_hint;
            ro.label = label;
            ro.progress = opts->progress;
            ro.progress_user = opts->progress_user;
            ro.stop = opts->stop;
            ro.clock_ghz = opts->clock_ghz;
            const char *family = rl_clock_family(k->isa);
            /* AMX has no clock kernel: it borrows the AVX-512 one, and its rows say so */
            if (family && strcmp(family, "amx") == 0)
                family = "avx512f";
            row_clock at = {-1, NULL};
            if (opts->core_kind >= 0) {
                /* this core type's own clock under the ISA's load, kept out of the machine's
                 * per-ISA clocks (those are the all-core teams') */
                if (opts->isa_clocks && family &&
                    type_clock(family, teams[t], opts, r, &at.ghz, err) < 0) {
                    if (opts->stop && *opts->stop)
                        r->meta.partial = 1;
                    goto done;
                }
                at.method = "under load on these cores";
                if (at.ghz <= 0) /* no clock kernel for the family, or --clock GHZ */
                    at.ghz = rl_clock_for(&r->machine, k->isa, opts->threads[t], &at.method);
            } else {
                if (opts->isa_clocks && family &&
                    measure_isa_clock(family, teams[t], opts->runnable, opts, r, err) < 0) {
                    if (opts->stop && *opts->stop)
                        r->meta.partial = 1;
                    goto done;
                }
                at.ghz = rl_clock_for(&r->machine, k->isa, opts->threads[t], &at.method);
            }
            if (at.ghz <= 0 && opts->fixed_clock > 0) {
                at.ghz = opts->fixed_clock;
                at.method = "--clock";
            }
            rl_run_stats st;
            if (rl_run_timed(teams[t], kernel_work, (void *)k, &ro, &st, err) < 0) {
                if (opts->stop && *opts->stop)
                    r->meta.partial = 1;
                rl_err_prefix(err, "%s %s, %d thread%s", k->isa, k->precision, opts->threads[t],
                              opts->threads[t] == 1 ? "" : "s");
                goto done;
            }
            if (!isfinite(st.check)) {
                rl_run_stats_free(&st);
                rl_err_set(err, RL_EXIT_RUNTIME, "%s %s: kernel check failed (result %g)", k->isa,
                           k->precision, st.check);
                goto done;
            }
            iters_hint = st.iters;
            char what[64];
            snprintf(what, sizeof what, "%s %s", k->isa, k->precision);
            if (rl_run_warn_interference(teams[t], &st, what, r, err) < 0) {
                rl_run_stats_free(&st);
                goto done;
            }
            rl_flops row;
            /* Threads fill every core before any SMT sibling (rl_topology_pin_list). */
            int cores = opts->threads[t];
            if (topo && opts->smt && cores > rl_topology_cores(topo))
                cores = rl_topology_cores(topo);
            /* per core: the machine's figure over `cores` (on a hybrid CPU the fastest cores
             * first, which is how compact teams fill it), or one core type's */
            double per_cycle =
                theory ? rl_theory_cores_fpc(theory, k->isa, k->precision, type, cores) / cores
                       : -1;
            fill_row(k, &st, per_cycle > 0 ? per_cycle : -1, cores, opts->repeats, at, &row);
            snprintf(row.core_type, sizeof row.core_type, "%s", type);
            if (k->variant)
                snprintf(row.variant, sizeof row.variant, "%s", k->variant);
            if (shape_note[0])
                rl_run_note_add(row.note, sizeof row.note, "%s", shape_note);
            int stopped = st.stopped;
            rl_run_stats_free(&st);
            if (rl_result_add_flops(r, &row, err) < 0)
                goto done;
            if (stopped) {
                r->meta.partial = 1;
                rl_err_set(err, RL_EXIT_RUNTIME, "interrupted");
                goto done;
            }
        }
    }
    rc = 0;
done:
    for (int t = 0; t < opts->n_threads; t++)
        rl_run_team_free(teams[t]);
    free(teams);
    return rc;
}
