/* test_isaclock.c: the clock under each ISA's load (kernels/isaclock.h, probes/clock.h's families,
 * runner/flops.c's measurement, --clock ISA=GHZ), never asserting a speed:
 *  - every clock kernel this CPU runs returns exactly its chain (iters x adds) and lanes equal to
 *    kernels/fma.h's scalar reference (the disassembly is checked in test_fma_kernels.c);
 *  - the family of every ISA name, and the per-ISA lookup with its fallbacks;
 *  - a Cascade Lake Xeon Silver 4210 class machine (tests/data/cpuid-xeon-silver-4210.raw: the
 *    i9-10940X dump with the Silver 4210's brand string, so one AVX-512 FMA unit; 2 x 10 cores)
 *    given --clock avx512f=1.5,scalar=2.2 shows the seed's 960 GFLOP/s FP32 and its scalar rows at
 *    2.2 GHz;
 *  - a measured run records per-ISA clocks for the thread counts it ran, and its rows say which
 *    clock they are quoted at. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/isaclock.h"
#include "probes/clock.h"
#include "result/result.h"
#include "tests/helpers.h"

static rl_isa_mask host_mask(void)
{
    rl_isa_mask m = 0;
    __builtin_cpu_init();
    m |= __builtin_cpu_supports("sse2") ? RL_ISA_SSE2 : 0;
    m |= __builtin_cpu_supports("avx") ? RL_ISA_AVX : 0;
    m |= __builtin_cpu_supports("avx2") ? RL_ISA_AVX2 : 0;
    m |= __builtin_cpu_supports("fma") ? RL_ISA_FMA : 0;
    m |= __builtin_cpu_supports("avx512f") ? RL_ISA_AVX512F : 0;
    m |= __builtin_cpu_supports("avx512vl") ? RL_ISA_AVX512VL : 0;
    m |= __builtin_cpu_supports("avx512bw") ? RL_ISA_AVX512BW : 0;
    m |= __builtin_cpu_supports("avx512dq") ? RL_ISA_AVX512DQ : 0;
    return m;
}

static double reference(const rl_isaclock_kernel *k, uint64_t iters)
{
    double sum = 0;
    for (int lane = 0; lane < k->accumulators * k->lanes; lane++) {
        double x = RL_FMA_INIT(lane);
        for (uint64_t n = 0; n < iters * (uint64_t)k->steps; n++)
            x = k->math == RL_FMA_MATH_FMA ? fma(x, RL_FMA_M, RL_FMA_A) : x * RL_FMA_M + RL_FMA_A;
        sum += x;
    }
    return sum;
}

Test(isaclock, kernels_run_their_chain_and_match_the_reference)
{
    rl_isa_mask host = host_mask();
    const rl_isaclock_kernel *k;
    int ran = 0;
    size_t n = 0;
    for (size_t i = 0; (k = rl_isaclock_at(i)) != NULL; i++, n++) {
        cr_assert_eq(rl_isaclock_for(k->family), k, "%s: family lookup", k->name);
        cr_assert_str_eq(rl_clock_family(k->family), k->family, "%s", k->name);
        cr_assert_eq(k->adds_per_iter, 48, "%s", k->name);
        /* the vector work must fit in the chain's 48 cycles on a one-512-bit-FMA core */
        cr_assert_leq(k->insn[0].per_iter + k->insn[1].per_iter, 32, "%s", k->name);
        if (k->requires & ~host)
            continue;
        ran++;
        const uint64_t counts[] = {0, 1, 7, 100};
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            double vsum = -1;
            uint64_t chain = k->run(counts[c], &vsum);
            cr_assert_eq(chain, counts[c] * 48, "%s: chain %llu after %llu iterations", k->name,
                         (unsigned long long)chain, (unsigned long long)counts[c]);
            double want = reference(k, counts[c]);
            cr_assert(vsum == want, "%s: lanes %.17g, reference %.17g", k->name, vsum, want);
        }
    }
    cr_assert_eq(n, 5, "scalar, sse2, avx, avx2-fma, avx512f");
    cr_assert_geq(ran, 2, "scalar and sse2 run on every x86-64");
}

Test(isaclock, families_and_lookup)
{
    static const char *const map[][2] = {
        {"scalar", "scalar"},       {"sse2", "sse2"},           {"avx", "avx"},
        {"avx2", "avx2-fma"},       {"avx2-fma", "avx2-fma"},   {"avx2-fma+add", "avx2-fma"},
        {"avx_vnni", "avx2-fma"},   {"avx512", "avx512f"},      {"avx512f+add", "avx512f"},
        {"avx512_bf16", "avx512f"}, {"avx512_fp16", "avx512f"}, {"amx-bf16", "amx"},
        {"amx-int8", "amx"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        cr_assert_str_eq(rl_clock_family(map[i][0]), map[i][1], "%s", map[i][0]);
    cr_assert_null(rl_clock_family("avx3"));
    cr_assert_null(rl_clock_family(NULL));

    rl_result *r = rl_result_new();
    rl_err err = {0};
    rl_isa_clock c = {"avx512f", 4, 2.0, "under load (vector ops + add chain)"};
    cr_assert_eq(rl_result_add_isa_clock(r, &c, &err), 0);
    rl_isa_clock o = {"avx512f", 0, 1.5, "--clock"};
    cr_assert_eq(rl_result_add_isa_clock(r, &o, &err), 0);
    c.ghz = 2.1; /* the same family and threads: replaced, not added */
    cr_assert_eq(rl_result_add_isa_clock(r, &c, &err), 0);
    cr_assert_eq(r->machine.n_per_isa, 2);
    const char *how = NULL;
    cr_assert_float_eq(rl_clock_for(&r->machine, "avx512f", 4, &how), 2.1, 1e-12);
    cr_assert(strstr(how, "under load"), "%s", how);
    cr_assert_float_eq(rl_clock_for(&r->machine, "avx512_bf16", 1, &how), 1.5, 1e-12);
    cr_assert_str_eq(how, "--clock");
    cr_assert_float_eq(rl_clock_for(&r->machine, "amx-bf16", 4, &how), 2.1, 1e-12);
    cr_assert(strstr(how, "AMX"), "AMX borrows the AVX-512 clock and says so: %s", how);
    cr_assert_lt(rl_clock_for(&r->machine, "scalar", 4, NULL), 0);

    /* JSON: per_isa and the rows' clock fields round-trip; a file without them reads as before */
    rl_flops f;
    memset(&f, 0, sizeof f);
    snprintf(f.isa, sizeof f.isa, "avx512f");
    snprintf(f.precision, sizeof f.precision, "fp32");
    snprintf(f.unit, sizeof f.unit, "GFLOP/s");
    f.threads = 4;
    f.gflops = f.gflops_median = f.gflops_min = 100;
    f.repeats = 1;
    f.clock_ghz_before = f.clock_ghz_after = f.theoretical_gflops = f.efficiency = -1;
    f.clock_ghz = 2.1;
    snprintf(f.clock_method, sizeof f.clock_method, "under load (vector ops + add chain)");
    cr_assert_eq(rl_result_add_flops(r, &f, &err), 0);
    char *json = rl_result_to_json(r, &err);
    cr_assert_not_null(json);
    rl_result *back = rl_result_from_json(json, strlen(json), "mem", &err);
    cr_assert_not_null(back, "%s", err.msg);
    cr_assert_eq(back->machine.n_per_isa, 2);
    cr_assert_str_eq(back->machine.per_isa[1].method, "--clock");
    cr_assert_eq(back->machine.per_isa[1].threads, 0);
    cr_assert_float_eq(back->flops[0].clock_ghz, 2.1, 1e-12);
    cr_assert_str_eq(back->flops[0].clock_method, f.clock_method);
    free(json);
    rl_result_free(back);
    rl_result_free(r);
}

static rl_result *run_json(const char *args, int want_status)
{
    char *out = NULL, *err = NULL;
    int st = rl_test_run(args, &out, &err);
    cr_assert_eq(st, want_status, "%s: exit %d: %s", args, st, err ? err : "");
    rl_result *r = NULL;
    if (st == 0) {
        rl_err e = {0};
        r = rl_result_from_json(out, strlen(out), "stdout", &e);
        cr_assert_not_null(r, "%s", e.msg);
    }
    free(out);
    free(err);
    return r;
}

static const rl_peak *peak(const rl_result *r, const char *isa, const char *prec, int threads)
{
    for (size_t i = 0; i < r->theory.n_peak; i++) {
        const rl_peak *p = &r->theory.peak[i];
        if (strcmp(p->isa, isa) == 0 && strcmp(p->precision, prec) == 0 && p->threads == threads)
            return p;
    }
    return NULL;
}

#define SILVER                                                                                     \
    "probe --json - --cpuid-dump tests/data/cpuid-xeon-silver-4210.raw --topology "                \
    "tests/data/topo-2x10-cascade-lake.xml --mem-channels 4 --mem-mts 2400 "

Test(isaclock, silver_4210_per_isa_clock_override)
{
    rl_result *r = run_json(SILVER "--clock avx512f=1.5,scalar=2.2", 0);
    cr_assert_str_eq(r->machine.uarch, "cascade-lake");
    cr_assert_eq(r->machine.cores, 20);
    const rl_peak *p = peak(r, "avx512f", "fp32", 20);
    cr_assert_not_null(p);
    cr_assert_float_eq(p->gflops_at_measured_clock, 960.0, 1e-9, "%g", p->gflops_at_measured_clock);
    /* scalar: 2 FLOPs/cycle (mul + add ports) at 2.2 GHz */
    cr_assert_float_eq(peak(r, "scalar", "fp64", 20)->gflops_at_measured_clock, 20 * 2.2 * 2, 1e-9);
    cr_assert_float_eq(peak(r, "scalar", "fp32", 1)->gflops_at_measured_clock, 2.2 * 2, 1e-9);
    /* AVX2 has no clock of its own here and none for the machine: unknown, never a guess */
    cr_assert_lt(peak(r, "avx2-fma", "fp32", 20)->gflops_at_measured_clock, 0);
    cr_assert_eq(r->machine.n_per_isa, 2);
    cr_assert_str_eq(r->machine.per_isa[0].isa, "avx512f");
    cr_assert_str_eq(r->machine.per_isa[0].method, "--clock");
    /* the seed's ridge: 960 / 76.8 = 12.5 FLOP/byte */
    int found = 0;
    for (size_t i = 0; i < r->theory.n_ridge; i++)
        if (strcmp(r->theory.ridge[i].precision, "fp32") == 0) {
            cr_assert_float_eq(r->theory.ridge[i].imax, 12.5, 1e-9);
            found = 1;
        }
    cr_assert(found);
    rl_result_free(r);

    /* A bare GHZ is every other ISA's clock; the per-ISA one still rules its rows. */
    r = run_json(SILVER "--clock avx512=1.5,2.2", 0);
    cr_assert_float_eq(peak(r, "avx512f", "fp32", 20)->gflops_at_measured_clock, 960.0, 1e-9);
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 20)->gflops_at_measured_clock, 20 * 2.2 * 32,
                       1e-9);
    cr_assert_float_eq(r->machine.measured_ghz, 2.2, 1e-12);
    rl_result_free(r);

    /* The plain form is unchanged: one clock for everything, no per-ISA entries. */
    r = run_json(SILVER "--clock 1.5", 0);
    cr_assert_float_eq(peak(r, "avx512f", "fp32", 20)->gflops_at_measured_clock, 960.0, 1e-9);
    cr_assert_eq(r->machine.n_per_isa, 0);
    rl_result_free(r);

    /* The summary lists the clocks under load. */
    char *out = NULL;
    cr_assert_eq(rl_test_run("probe --cpuid-dump tests/data/cpuid-xeon-silver-4210.raw --topology "
                             "tests/data/topo-2x10-cascade-lake.xml --clock avx512f=1.5,scalar=2.2",
                             &out, NULL),
                 0);
    cr_assert(strstr(out, "Under load  avx512f 1.500 GHz (--clock); scalar 2.200 GHz (--clock)"),
              "%s", out);
    free(out);
}

Test(isaclock, bad_per_isa_clocks_are_usage_errors)
{
    static const char *const bad[] = {
        "avx9=1.5",    "avx512f=0",     "avx512f=1.5,avx512=2", "1.5,2.0,avx=1",
        "avx512f=",    "=1.5",          "avx512f=1.5,",         "avx512f=1.5,,scalar=2",
        "avx512f=0x2", "avx512f=1e400", "avx512f=1.5GHz",       "scalar=101",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char cmd[256], *err = NULL;
        snprintf(cmd, sizeof cmd, "probe --clock '%s'", bad[i]);
        cr_assert_eq(rl_test_run(cmd, NULL, &err), 2, "%s", cmd);
        cr_assert(strstr(err, "--clock"), "%s: %s", cmd, err);
        free(err);
    }
}

/* A short measured run: the compute rows quote the clock measured under their ISA's load at their
 * thread count, and the JSON lists it (a plausibility band only: this host is shared). */
Test(isaclock, measured_run_records_clocks_under_load)
{
    rl_result *r = run_json(
        "flops --isa scalar,sse2 --precision fp64 --threads 1 --repeat 1 --min-time 0.005 -q "
        "--json -",
        0);
    cr_assert_geq(r->n_flops, 1);
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        const char *family = rl_clock_family(f->isa);
        const rl_isa_clock *c = rl_clock_find(&r->machine, family, f->threads);
        cr_assert_not_null(c, "%s: no clock under %s load at %d threads", f->isa, family,
                           f->threads);
        cr_assert(c->ghz > 0.2 && c->ghz < 10, "%g GHz", c->ghz);
        cr_assert_float_eq(f->clock_ghz, c->ghz, 1e-12);
        cr_assert(strstr(f->clock_method, "under load"), "%s", f->clock_method);
    }
    rl_result_free(r);
}

/* `roofline probe` on this machine lists the clock under every family it runs, at 1 thread and at
 * every core, and quotes the theoretical peaks at them. */
Test(isaclock, probe_lists_per_isa_clocks)
{
    rl_result *r = run_json("probe --quick --json -", 0);
    const rl_isa_clock *one = rl_clock_find(&r->machine, "scalar", 1);
    const rl_isa_clock *all = rl_clock_find(&r->machine, "sse2", r->machine.cores);
    cr_assert_not_null(one);
    cr_assert_not_null(all);
    cr_assert(one->ghz > 0.2 && one->ghz < 10, "%g", one->ghz);
    for (size_t i = 0; i < r->theory.n_peak; i++) {
        const rl_peak *p = &r->theory.peak[i];
        const rl_isa_clock *c = rl_clock_find(&r->machine, rl_clock_family(p->isa), p->threads);
        if (!c)
            continue;
        double per = -1;
        for (size_t j = 0; j < r->theory.n_fpc; j++)
            if (!strcmp(r->theory.fpc[j].isa, p->isa) &&
                !strcmp(r->theory.fpc[j].precision, p->precision))
                per = r->theory.fpc[j].per_core;
        cr_assert_float_eq(p->gflops_at_measured_clock, p->threads * c->ghz * per, 1e-6, "%s %s %d",
                           p->isa, p->precision, p->threads);
    }
    rl_result_free(r);
}
