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

static double fma_avx2_mix_f64(uint64_t iters)
{
    const double mval = RL_FMA_M;
    double v[RL_MIX * 4];
    rl_fma_init_f64(v, RL_MIX * 4);
#define LOAD(i)  RL_ASM_FIXED_LOAD("vmovupd", "ymm", 32, i)
#define STORE(i) RL_ASM_FIXED_STORE("vmovupd", "ymm", 32, i)
#define STEP(i)  RL_ASM_MIX_STEP("vfmadd213pd", "vaddpd", "ymm", "ymm15", i)
    RL_ASM_MIX_LOOP("vbroadcastsd", "ymm15", RL_REP15, RL_TWICE, LOAD, STEP, STORE,
                    RL_ASM_CLOBBER16);
#undef LOAD
#undef STORE
#undef STEP
    return rl_fma_sum_f64(v, RL_MIX * 4);
}

static double fma_avx2_mix_f32(uint64_t iters)
{
    const float mval = (float)RL_FMA_M;
    float v[RL_MIX * 8];
    rl_fma_init_f32(v, RL_MIX * 8);
#define LOAD(i)  RL_ASM_FIXED_LOAD("vmovups", "ymm", 32, i)
#define STORE(i) RL_ASM_FIXED_STORE("vmovups", "ymm", 32, i)
#define STEP(i)  RL_ASM_MIX_STEP("vfmadd213ps", "vaddps", "ymm", "ymm15", i)
    RL_ASM_MIX_LOOP("vbroadcastss", "ymm15", RL_REP15, RL_TWICE, LOAD, STEP, STORE,
                    RL_ASM_CLOBBER16);
#undef LOAD
#undef STORE
#undef STEP
    return rl_fma_sum_f32(v, RL_MIX * 8);
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
    .flops_per_iter =
        RL_MIX_STEPS * (RL_MIX * 4 * 2 + RL_MIX * 4), /* 2 x (15 vfmadd*pd + 15 vaddpd) */
    .insn = {{"vfmadd*pd", RL_MIX_STEPS *RL_MIX}, {"vaddpd", RL_MIX_STEPS *RL_MIX}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MIX,
    .accumulators = RL_MIX,
    .adders = RL_MIX,
    .steps = RL_MIX_STEPS,
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
    .flops_per_iter =
        RL_MIX_STEPS * (RL_MIX * 8 * 2 + RL_MIX * 8), /* 2 x (15 vfmadd*ps + 15 vaddps) */
    .insn = {{"vfmadd*ps", RL_MIX_STEPS *RL_MIX}, {"vaddps", RL_MIX_STEPS *RL_MIX}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MIX,
    .accumulators = RL_MIX,
    .adders = RL_MIX,
    .steps = RL_MIX_STEPS,
    .lanes = 8,
    .run = fma_avx2_mix_f32,
};

const rl_fma_kernel *const rl_fma_list_avx2[] = {&k_f64, &k_f32, &k_mix_f64, &k_mix_f32};
const size_t rl_fma_list_avx2_count = sizeof rl_fma_list_avx2 / sizeof rl_fma_list_avx2[0];
