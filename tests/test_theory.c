/* test_theory.c: the seed document's figures, exactly, through the theory functions with synthetic
 * machines: Xeon Silver 4210 (Cascade Lake, one AVX-512 FMA) 2 x 10 cores at 1.5 GHz = 960 GFLOP/s
 * FP32; 4 channels of DDR4-2400 = 76.8 GB/s; I_max = 12.5; i5-6300U (Skylake) 2 cores at 2.4 GHz =
 * 153.6 GFLOP/s FP32. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "probes/memory.h"
#include "probes/theory.h"
#include "probes/uarch.h"

static const rl_peak *peak(const rl_result *r, const char *isa, const char *prec, int threads)
{
    for (size_t i = 0; i < r->theory.n_peak; i++) {
        const rl_peak *p = &r->theory.peak[i];
        if (strcmp(p->isa, isa) == 0 && strcmp(p->precision, prec) == 0 && p->threads == threads)
            return p;
    }
    return NULL;
}

static const rl_ridge *ridge(const rl_result *r, const char *prec)
{
    for (size_t i = 0; i < r->theory.n_ridge; i++)
        if (strcmp(r->theory.ridge[i].precision, prec) == 0)
            return &r->theory.ridge[i];
    return NULL;
}

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9 * (fabs(b) + 1))

Test(theory, xeon_silver_4210_seed_figures)
{
    rl_isa_mask isa = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA | RL_ISA_AVX512F |
                      RL_ISA_AVX512VL | RL_ISA_AVX512BW | RL_ISA_AVX512DQ | RL_ISA_AVX512_VNNI;
    rl_uarch u;
    rl_uarch_lookup("GenuineIntel", 6, 0x55, 7, "Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz", isa,
                    &u);
    rl_result *r = rl_result_new();
    cr_assert_not_null(r);
    r->machine.cores = 20;
    r->machine.packages = 2;
    r->machine.measured_ghz = 1.5; /* the seed's measured AVX-512 clock (--clock 1.5) */
    r->machine.nominal_ghz = 2.2;
    rl_dram d;
    rl_dram_init(&d);
    rl_memory_override(&d, 4, 2400);
    cr_assert(NEAR(d.gbs, 76.8), "DRAM %g GB/s", d.gbs);
    int threads[] = {1, 20};
    rl_err err = {0};
    cr_assert_eq(rl_theory_derive(r, &u, isa, &d, threads, 2, &err), 0, "%s", err.msg);
    const rl_peak *p = peak(r, "avx512f", "fp32", 20);
    cr_assert_not_null(p);
    cr_assert(NEAR(p->gflops_at_measured_clock, 960.0), "%g", p->gflops_at_measured_clock);
    cr_assert(NEAR(p->gflops_at_nominal_clock, 20 * 2.2 * 32), "%g", p->gflops_at_nominal_clock);
    cr_assert(NEAR(peak(r, "avx512f", "fp32", 1)->gflops_at_measured_clock, 48.0));
    cr_assert(NEAR(r->theory.dram_gbs, 76.8));
    cr_assert_str_eq(r->theory.dram_source, "--mem-channels/--mem-mts");
    const rl_ridge *e = ridge(r, "fp32");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->isa, "avx512f");
    cr_assert_str_eq(e->level, "DRAM");
    cr_assert(NEAR(e->imax, 12.5), "I_max %g", e->imax);
    cr_assert(NEAR(ridge(r, "fp64")->imax, 6.25));
    rl_result_free(r);
}

Test(theory, i5_6300u_seed_figure)
{
    rl_isa_mask isa = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA;
    rl_uarch u;
    rl_uarch_lookup("GenuineIntel", 6, 0x4E, 3, "Intel(R) Core(TM) i5-6300U CPU @ 2.40GHz", isa,
                    &u);
    cr_assert_str_eq(u.name, "skylake");
    rl_result *r = rl_result_new();
    r->machine.cores = 2;
    r->machine.nominal_ghz = 2.4; /* base clock, no measurement */
    rl_dram d;
    rl_dram_init(&d);
    int threads[] = {1, 2};
    rl_err err = {0};
    cr_assert_eq(rl_theory_derive(r, &u, isa, &d, threads, 2, &err), 0);
    const rl_peak *p = peak(r, "avx2-fma", "fp32", 2);
    cr_assert_not_null(p);
    cr_assert(NEAR(p->gflops_at_nominal_clock, 153.6), "%g", p->gflops_at_nominal_clock);
    cr_assert_lt(p->gflops_at_measured_clock, 0, "no measured clock: unknown, not a guess");
    cr_assert_lt(r->theory.dram_gbs, 0);
    cr_assert_str_eq(r->theory.dram_source, "unknown");
    cr_assert_eq(r->theory.n_ridge, 0, "no ridge without DRAM bandwidth");
    rl_result_free(r);
}

Test(theory, duplicate_and_invalid_thread_counts_are_skipped)
{
    rl_isa_mask isa = RL_ISA_SSE2;
    rl_uarch u;
    rl_uarch_lookup("GenuineIntel", 6, 0x4E, 3, "x", isa, &u);
    rl_result *r = rl_result_new();
    r->machine.cores = 4;
    r->machine.nominal_ghz = 1;
    rl_dram d;
    rl_dram_init(&d);
    int threads[] = {1, 0, 4, 1, -3};
    rl_err err = {0};
    cr_assert_eq(rl_theory_derive(r, &u, isa, &d, threads, 5, &err), 0);
    /* scalar + sse2, two precisions, two thread counts */
    cr_assert_eq(r->theory.n_fpc, 4);
    cr_assert_eq(r->theory.n_peak, 8);
    rl_result_free(r);
}
