/* fma_avx2.c: 256-bit fused multiply-add (vfmadd*pd, vfmadd*ps), compiled with -mavx2 -mfma: the
 * peak of every x86 core from Haswell and Zen 1 on that lacks AVX-512 (and of Zen 2/3 in any case).
 *
 * Peak kernels: 14 chains x = x*M + A. FMA latency is 4 cycles on Skylake and Zen 3 with 2 FMA
 * pipes, so 8 chains in flight saturate the pipes; 14 (+ M + A = all 16 ymm registers) leave room
 * for scheduling slack, as likwid-bench and cpufp do.
 *
 * FMA+ADD mix: Zen cores have two FP add pipes beside the two FMA pipes, so an FMA stream with
 * independent adds beside it can exceed the FMA-only peak. 8 FMA chains (exactly latency x pipes)
 * and 7 add-only chains share one constant: x = x*M + M (converging to M / (1 - M) = 63) and
 * s = s + M, so 15 chains + M fill the 16 registers and the adds use 7/8 of the two add pipes.
 * It is reported as isa "avx2-fma+add", never as the AVX2 peak. */
#include <immintrin.h>

#include "kernels/fma_int.h"

#define ACC     14
#define MIX_FMA 8
#define MIX_ADD 7

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

/* Mix: lanes of the FMA chains first (8 registers), then those of the add chains (7). */
static double fma_avx2_mix_f64(uint64_t iters)
{
    const __m256d m = _mm256_set1_pd(RL_FMA_M);
    double v[(MIX_FMA + MIX_ADD) * 4];
    rl_fma_init_f64(v, (MIX_FMA + MIX_ADD) * 4);
#define DECL(i)  __m256d x##i = _mm256_loadu_pd(v + 4 * (i));
#define DECLS(i) __m256d s##i = _mm256_loadu_pd(v + 4 * (MIX_FMA + (i)));
#define STEP(i)  x##i = _mm256_fmadd_pd(x##i, m, m);
#define STEPS(i) s##i = _mm256_add_pd(s##i, m);
#define SAVE(i)  _mm256_storeu_pd(v + 4 * (i), x##i);
#define SAVES(i) _mm256_storeu_pd(v + 4 * (MIX_FMA + (i)), s##i);
    RL_REP8(DECL)
    RL_REP7(DECLS)
    for (uint64_t n = 0; n < iters; n++) {
        /* clang-format off */
        STEP(0) STEPS(0) STEP(1) STEPS(1) STEP(2) STEPS(2) STEP(3) STEPS(3)
        STEP(4) STEPS(4) STEP(5) STEPS(5) STEP(6) STEPS(6) STEP(7)
        /* clang-format on */
    }
    RL_REP8(SAVE)
    RL_REP7(SAVES)
#undef DECL
#undef DECLS
#undef STEP
#undef STEPS
#undef SAVE
#undef SAVES
    return rl_fma_sum_f64(v, (MIX_FMA + MIX_ADD) * 4);
}

static double fma_avx2_mix_f32(uint64_t iters)
{
    const __m256 m = _mm256_set1_ps((float)RL_FMA_M);
    float v[(MIX_FMA + MIX_ADD) * 8];
    rl_fma_init_f32(v, (MIX_FMA + MIX_ADD) * 8);
#define DECL(i)  __m256 x##i = _mm256_loadu_ps(v + 8 * (i));
#define DECLS(i) __m256 s##i = _mm256_loadu_ps(v + 8 * (MIX_FMA + (i)));
#define STEP(i)  x##i = _mm256_fmadd_ps(x##i, m, m);
#define STEPS(i) s##i = _mm256_add_ps(s##i, m);
#define SAVE(i)  _mm256_storeu_ps(v + 8 * (i), x##i);
#define SAVES(i) _mm256_storeu_ps(v + 8 * (MIX_FMA + (i)), s##i);
    RL_REP8(DECL)
    RL_REP7(DECLS)
    for (uint64_t n = 0; n < iters; n++) {
        /* clang-format off */
        STEP(0) STEPS(0) STEP(1) STEPS(1) STEP(2) STEPS(2) STEP(3) STEPS(3)
        STEP(4) STEPS(4) STEP(5) STEPS(5) STEP(6) STEPS(6) STEP(7)
        /* clang-format on */
    }
    RL_REP8(SAVE)
    RL_REP7(SAVES)
#undef DECL
#undef DECLS
#undef STEP
#undef STEPS
#undef SAVE
#undef SAVES
    return rl_fma_sum_f32(v, (MIX_FMA + MIX_ADD) * 8);
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
    .flops_per_iter = MIX_FMA * 4 * 2 + MIX_ADD * 4, /* 8 vfmadd*pd + 7 vaddpd, 4 lanes */
    .insn = {{"vfmadd*pd", MIX_FMA}, {"vaddpd", MIX_ADD}},
    .reg = "ymm",
    .math = RL_FMA_MATH_MIX,
    .accumulators = MIX_FMA,
    .adders = MIX_ADD,
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
    .flops_per_iter = MIX_FMA * 8 * 2 + MIX_ADD * 8, /* 8 vfmadd*ps + 7 vaddps, 8 lanes */
    .insn = {{"vfmadd*ps", MIX_FMA}, {"vaddps", MIX_ADD}},
    .reg = "ymm",
    .math = RL_FMA_MATH_MIX,
    .accumulators = MIX_FMA,
    .adders = MIX_ADD,
    .lanes = 8,
    .run = fma_avx2_mix_f32,
};

const rl_fma_kernel *const rl_fma_list_avx2[] = {&k_f64, &k_f32, &k_mix_f64, &k_mix_f32, NULL};
