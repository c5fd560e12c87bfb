/* test_flops.c: runner/flops: rates from the declared FLOPs, theoretical peak and efficiency from
 * the theory rows and the measured clock, notes, not-run warnings, and a clean stop. Never on
 * speed. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "runner/flops.h"

static double fake_clock(void)
{
    return 2.5;
}

static rl_flops_opts tiny_opts(const int *threads, int n)
{
    rl_flops_opts o = rl_flops_opts_default();
    o.threads = threads;
    o.n_threads = n;
    o.repeats = 3;
    o.min_time = 0.0005;
    o.clock_ghz = fake_clock;
    return o;
}

Test(flops, rows_theory_efficiency_and_not_run)
{
    rl_flops_plan plan;
    const char *which;
    rl_err err = {0};
    /* Only the scalar kernels run; everything else is "not run" on this pretend CPU. */
    cr_assert_eq(rl_flops_plan_make(NULL, NULL, RL_ISA_SSE2, &plan, &which, &err), 0);
    rl_flops_plan scalar_only = plan;
    scalar_only.n_run = 0;
    for (size_t i = 0; i < plan.n_run; i++)
        if (strcmp(plan.run[i]->isa, "scalar") == 0)
            scalar_only.run[scalar_only.n_run++] = plan.run[i];
    cr_assert_eq(scalar_only.n_run, 2);

    /* A theory with a row for scalar fp64 only, absurdly low so efficiency is > 101%. */
    rl_fpc fpc = {.isa = "scalar", .precision = "fp64", .per_core = 1e-6, .unit = "FLOP"};
    rl_theory theory;
    memset(&theory, 0, sizeof theory);
    theory.fpc = &fpc;
    theory.n_fpc = 1;

    int threads[] = {1, 2};
    rl_flops_opts o = tiny_opts(threads, 2);
    rl_result *r = rl_result_new();
    cr_assert_eq(rl_flops_measure(&scalar_only, NULL, &theory, &o, r, &err), 0, "%s", err.msg);
    cr_assert_eq(r->n_flops, 4, "2 kernels x 2 thread counts");
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        cr_assert_eq(f->repeats, 3);
        cr_assert(f->gflops > 0 && f->gflops >= f->gflops_median &&
                  f->gflops_median >= f->gflops_min);
        cr_assert_eq(f->clock_ghz_before, 2.5);
        cr_assert_eq(f->clock_ghz_after, 2.5);
        if (strcmp(f->precision, "fp64") == 0) {
            cr_assert_float_eq(f->theoretical_gflops, 1e-6 * 2.5 * f->threads, 1e-15);
            cr_assert_float_eq(f->efficiency, f->gflops / f->theoretical_gflops, 1e-6);
            cr_assert(strstr(f->note, "suspicious"), "note: %s", f->note);
        } else {
            cr_assert_lt(f->theoretical_gflops, 0, "no theory row: unknown, not a guess");
            cr_assert_lt(f->efficiency, 0);
        }
    }
    cr_assert_eq(r->flops[0].threads, 1);
    cr_assert_eq(r->flops[1].threads, 2);
    int avx512 = 0;
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strstr(r->warnings[i], "avx512f fp64: not run: CPU lacks AVX-512F"))
            avx512 = 1;
    cr_assert(avx512, "the AVX-512 kernels are listed as not run");
    rl_result_free(r);
}

Test(flops, stop_flag_keeps_finished_rows_and_marks_partial)
{
    rl_flops_plan plan;
    const char *which;
    rl_err err = {0};
    cr_assert_eq(rl_flops_plan_make("scalar", NULL, RL_ISA_SSE2, &plan, &which, &err), 0);
    int threads[] = {1};
    rl_flops_opts o = tiny_opts(threads, 1);
    volatile sig_atomic_t stop = 1;
    o.stop = &stop;
    rl_result *r = rl_result_new();
    cr_assert_eq(rl_flops_measure(&plan, NULL, NULL, &o, r, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_RUNTIME);
    cr_assert(strstr(err.msg, "interrupted"), "%s", err.msg);
    cr_assert_eq(r->meta.partial, 1);
    rl_result_free(r);
}

Test(flops, quick_plan_keeps_the_widest_fp64_and_fp32)
{
    rl_flops_plan plan;
    const char *which;
    rl_err err = {0};
    /* SSE2 and AVX: scalar, sse2 and avx kernels run, fp64 and fp32 each. */
    cr_assert_eq(rl_flops_plan_make(NULL, NULL, RL_ISA_SSE2 | RL_ISA_AVX, &plan, &which, &err), 0,
                 "%s", err.msg);
    cr_assert_gt(plan.n_run, 2);
    rl_flops_plan_quick(&plan);
    cr_assert_eq(plan.n_run, 2);
    cr_assert_str_eq(plan.run[0]->precision, "fp64");
    cr_assert_str_eq(plan.run[1]->precision, "fp32");
    for (size_t i = 0; i < plan.n_run; i++) {
        cr_assert_str_eq(plan.run[i]->isa, "avx");
        cr_assert_eq(plan.run[i]->is_mix, 0);
    }
}

/* ---- the shape trial's choice, with synthetic timings ---- */

typedef struct fake_shapes {
    const double *gflops;
    int calls;
} fake_shapes;

static int fake_shape_trial(void *user, const rl_fma_kernel *k, double *gflops, rl_err *err)
{
    (void)k, (void)err;
    fake_shapes *f = user;
    *gflops = f->gflops[f->calls++];
    return 0;
}

static int stopped_trial(void *user, const rl_fma_kernel *k, double *gflops, rl_err *err)
{
    (void)user, (void)k, (void)gflops, (void)err;
    return 1;
}

Test(flops_shapes, the_fastest_synthetic_timing_wins)
{
    /* The avx fp32 row and its alternates, as the registry lists them. */
    const rl_fma_kernel *shapes[8], *k;
    int n = 0;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL && n < 8; i++)
        if (!strcmp(k->isa, "avx") && !strcmp(k->precision, "fp32"))
            shapes[n++] = k;
    if (n < 3)
        cr_skip_test("the avx kernels are not built on this target");
    cr_assert(!shapes[0]->alternate && shapes[0]->variant, "the row's first shape comes first");
    for (int i = 1; i < n; i++)
        cr_assert(shapes[i]->alternate && shapes[i]->variant, "%s", shapes[i]->name);
    static const double cases[][3] = {
        {103.5, 110.0, 117.4}, {117.4, 103.5, 110.0}, {100.0, 117.4, 117.3}, {100.0, 100.0, 100.0}};
    static const int want[] = {2, 0, 1, 0};
    for (size_t c = 0; c < sizeof want / sizeof want[0]; c++) {
        fake_shapes f = {cases[c], 0};
        double g[3];
        rl_err err = {0};
        cr_assert_eq(rl_flops_choose(shapes, 3, 1, fake_shape_trial, &f, g, &err), want[c],
                     "case %zu", c);
        cr_assert_eq(f.calls, 3);
    }
    /* Two rounds, each shape in turn: the fastest shape had a slow spell in the first round (82.0)
     * and still wins on its second; each keeps its best round. */
    static const double rounds[] = {110.0, 82.0, 103.5, 109.8, 117.4, 103.0};
    fake_shapes f = {rounds, 0};
    double g[3];
    rl_err err = {0};
    cr_assert_eq(rl_flops_choose(shapes, 3, 2, fake_shape_trial, &f, g, &err), 1);
    cr_assert_eq(f.calls, 6);
    cr_assert(g[0] == 110.0 && g[1] == 117.4 && g[2] == 103.5, "best round per shape: %g %g %g",
              g[0], g[1], g[2]);
    cr_assert_eq(rl_flops_choose(shapes, 3, 2, stopped_trial, NULL, g, &err), -2);
}

/* The plan lists each row once: alternates are only ever picked by its trial. */
Test(flops_shapes, the_plan_never_lists_an_alternate)
{
    rl_flops_plan plan;
    const char *which = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_flops_plan_make(NULL, NULL, ~(rl_isa_mask)0, &plan, &which, &err), 0, "%s",
                 err.msg);
    for (size_t i = 0; i < plan.n_run; i++)
        cr_assert(!plan.run[i]->alternate, "%s", plan.run[i]->name);
}
