/* fma_avx2.c: 256-bit fused multiply-add (vfmadd*pd, vfmadd*ps), compiled with -mavx2 -mfma: the
 * peak of every x86 core from Haswell and Zen 1 on that lacks AVX-512 (and of Zen 2/3 in any case).
 *
 * Peak kernels: 14 chains x = x*M + A. FMA latency is 4 cycles on Skylake and Zen 3 with 2 FMA
 * pipes, so 8 chains in flight saturate the pipes; 14 (+ M + A = all 16 ymm registers) leave room
 * for scheduling slack, as likwid-bench and cpufp do.
 *
 * FMA+ADD mix: Zen cores have two FP add pipes beside the two FMA pipes, so an FMA stream with
 * independent adds beside it can exceed the FMA-only peak: 2 FMA + 2 ADD per cycle. 15 chains, each
 * x = x*M + M then x = x + M (converging to 2M / (1 - M) = 126), M in the 16th register. A chain's
 * step takes FMA + ADD latency (4 + 3 = 7 cycles on Zen 3, 5 + 3 = 8 on Zen 1/2) and the 15 FMAs
 * take 7.5 cycles on two pipes, so the pipes stay busy on Zen 3 and at least 94% busy on Zen 2.
 * (It used to be 8 FMA chains beside 7 add-only chains: 8 FMA chains are exactly latency x pipes on
 * Zen 3, leaving no slack, only 80% of what Zen 2's 5-cycle FMA needs, and 8 FMAs with 7 adds
 * capped the kernel at 23/24 of the figure. scripts/probe-mul-add-mix.sh measures both forms.)
 * It is reported as isa "avx2-fma+add", never as the AVX2 peak. */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 14
#define MIX 15

static double fma_avx2_f64(uint64_t iters)
{
    const __m256d m = _mm256_set1_pd(RL_FMA_M), a = _mm256_set1_pd(RL_FMA_A);
    double v[ACC * 4];
    rl_fma_init_f64(v, ACC * 4);
#define DECL(i) __m256d x##i = _mm256_loadu_pd(v + 4 * (i));
#define STEP(i) x##i = _mm256_fmadd_pd(x##i, m, a);
#define SAVE(i) _mm256_storeu_pd(v + 4 * (i), x##i);
    RL_REP14(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP14(STEP)
    }
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC * 4);
}

static double fma_avx2_f32(uint64_t iters)
{
    const __m256 m = _mm256_set1_ps((float)RL_FMA_M), a = _mm256_set1_ps((float)RL_FMA_A);
    float v[ACC * 8];
    rl_fma_init_f32(v, ACC * 8);
#define DECL(i) __m256 x##i = _mm256_loadu_ps(v + 8 * (i));
#define STEP(i) x##i = _mm256_fmadd_ps(x##i, m, a);
#define SAVE(i) _mm256_storeu_ps(v + 8 * (i), x##i);
    RL_REP14(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP14(STEP)
    }
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * 8);
}

/* Mix: 15 chains, each x = x*M + M (vfmadd213, x in place) then x = x + M (vaddpd/vaddps), in that
 * order chain by chain; M in ymm15. The whole loop is one asm statement with the chains in fixed
 * registers: 15 in-out operands and M would be 31 asm operands, one more than gcc takes, and the
 * order must not be left to the compiler (with the adds grouped after all the FMAs the probe ran
 * 15 chains at 8.4 cycles per iteration instead of 7.9). The body is the 15 steps twice
 * (MIX_STEPS): on a Zen 4 guest (2026-11-27, 40 ms calls, best of 7) the single body ran at 93-96%
 * of 2 FMA + 2 ADD per cycle, moving with the loop's alignment (89-99% over 8 placements), and the
 * doubled one at 98-99.8%; three copies ran at 87%, four at 93-97%. */
#define MIX_STEPS         2
#define MIX_LOAD(MOV, i)  MOV " " #i "*32(%[v]), %%ymm" #i "\n\t"
#define MIX_STORE(MOV, i) MOV " %%ymm" #i ", " #i "*32(%[v])\n\t"
#define MIX_STEP(FMA, ADD, i)                                                                      \
    FMA " %%ymm15, %%ymm15, %%ymm" #i "\n\t" ADD " %%ymm15, %%ymm" #i ", %%ymm" #i "\n\t"
#define MIX_LOOP(BCAST, MOV, FMA, ADD)                                                             \
    __asm__ volatile(                                                                              \
        BCAST " %[m], %%ymm15\n\t" RL_REP15(LOAD) "test %[n], %[n]\n\t"                            \
                                                  "jz 2f\n\t"                                      \
                                                  ".p2align 5\n"                                   \
                                                  "1:\n\t" RL_REP15(STEP) RL_REP15(                \
                                                      STEP) "dec %[n]\n\t"                         \
                                                            "jnz 1b\n"                             \
                                                            "2:\n\t" RL_REP15(STORE) "vzeroupper"  \
        : [n] "+r"(iters)                                                                          \
        : [v] "r"(v), [m] "m"(mval)                                                                \
        : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",  \
          "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15")

static double fma_avx2_mix_f64(uint64_t iters)
{
    const double mval = RL_FMA_M;
    double v[MIX * 4];
    rl_fma_init_f64(v, MIX * 4);
#define LOAD(i)  MIX_LOAD("vmovupd", i)
#define STORE(i) MIX_STORE("vmovupd", i)
#define STEP(i)  MIX_STEP("vfmadd213pd", "vaddpd", i)
    MIX_LOOP("vbroadcastsd", "vmovupd", "vfmadd213pd", "vaddpd");
#undef LOAD
#undef STORE
#undef STEP
    return rl_fma_sum_f64(v, MIX * 4);
}

static double fma_avx2_mix_f32(uint64_t iters)
{
    const float mval = (float)RL_FMA_M;
    float v[MIX * 8];
    rl_fma_init_f32(v, MIX * 8);
#define LOAD(i)  MIX_LOAD("vmovups", i)
#define STORE(i) MIX_STORE("vmovups", i)
#define STEP(i)  MIX_STEP("vfmadd213ps", "vaddps", i)
    MIX_LOOP("vbroadcastss", "vmovups", "vfmadd213ps", "vaddps");
#undef LOAD
#undef STORE
#undef STEP
    return rl_fma_sum_f32(v, MIX * 8);
}

static const rl_fma_kernel k_f64 = {
    .name = "fma_avx2_f64",
    .source = __FILE__,
    .isa = "avx2-fma",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_AVX2 | RL_ISA_FMA,
    .flops_per_iter = ACC * 4 * 2, /* 14 vfmadd*pd, 4 lanes, 2 FLOPs each */
    .insn = {{"vfmadd*pd", ACC}, {NULL, 0}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_FMA,
    .accumulators = ACC,
    .lanes = 4,
    .run = fma_avx2_f64,
};

static const rl_fma_kernel k_f32 = {
    .name = "fma_avx2_f32",
    .source = __FILE__,
    .isa = "avx2-fma",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_AVX2 | RL_ISA_FMA,
    .flops_per_iter = ACC * 8 * 2, /* 14 vfmadd*ps, 8 lanes, 2 FLOPs each */
    .insn = {{"vfmadd*ps", ACC}, {NULL, 0}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_FMA,
    .accumulators = ACC,
    .lanes = 8,
    .run = fma_avx2_f32,
};

static const rl_fma_kernel k_mix_f64 = {
    .name = "fma_avx2_mix_f64",
    .source = __FILE__,
    .isa = "avx2-fma+add",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_AVX2 | RL_ISA_FMA,
    .is_mix = 1,
    .flops_per_iter = MIX_STEPS * (MIX * 4 * 2 + MIX * 4), /* 2 x (15 vfmadd*pd + 15 vaddpd) */
    .insn = {{"vfmadd*pd", MIX_STEPS *MIX}, {"vaddpd", MIX_STEPS *MIX}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MIX,
    .accumulators = MIX,
    .adders = MIX,
    .steps = MIX_STEPS,
    .lanes = 4,
    .run = fma_avx2_mix_f64,
};

static const rl_fma_kernel k_mix_f32 = {
    .name = "fma_avx2_mix_f32",
    .source = __FILE__,
    .isa = "avx2-fma+add",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_AVX2 | RL_ISA_FMA,
    .is_mix = 1,
    .flops_per_iter = MIX_STEPS * (MIX * 8 * 2 + MIX * 8), /* 2 x (15 vfmadd*ps + 15 vaddps) */
    .insn = {{"vfmadd*ps", MIX_STEPS *MIX}, {"vaddps", MIX_STEPS *MIX}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MIX,
    .accumulators = MIX,
    .adders = MIX,
    .steps = MIX_STEPS,
    .lanes = 8,
    .run = fma_avx2_mix_f32,
};

const rl_fma_kernel *const rl_fma_list_avx2[] = {&k_f64, &k_f32, &k_mix_f64, &k_mix_f32};
const size_t rl_fma_list_avx2_count = sizeof rl_fma_list_avx2 / sizeof rl_fma_list_avx2[0];
