/* fma_avx.c: 256-bit packed multiply and add as separate instructions (vmulpd/vaddpd,
 * vmulps/vaddps), compiled with -mavx: AVX without FMA (Sandy Bridge, Ivy Bridge, and what code
 * built for plain AVX gets on any CPU). 14 chains x = x*M; x = x + A (see fma_scalar.c for the
 * count and for why the loop body is an asm statement in a fixed order). */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 14

static double fma_avx_f64(uint64_t iters)
{
    __m256d m = _mm256_set1_pd(RL_FMA_M), a = _mm256_set1_pd(RL_FMA_A);
    double v[ACC * 4];
    rl_fma_init_f64(v, ACC * 4);
#define DECL(i) __m256d x##i = _mm256_loadu_pd(v + 4 * (i));
#define STEP(i) RL_ASM_VEX_STEP("vmulpd", "vaddpd", i)
#define SAVE(i) _mm256_storeu_pd(v + 4 * (i), x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14(STEP);
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC * 4);
}

static double fma_avx_f32(uint64_t iters)
{
    __m256 m = _mm256_set1_ps((float)RL_FMA_M), a = _mm256_set1_ps((float)RL_FMA_A);
    float v[ACC * 8];
    rl_fma_init_f32(v, ACC * 8);
#define DECL(i) __m256 x##i = _mm256_loadu_ps(v + 8 * (i));
#define STEP(i) RL_ASM_VEX_STEP("vmulps", "vaddps", i)
#define SAVE(i) _mm256_storeu_ps(v + 8 * (i), x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14(STEP);
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * 8);
}

static double fma_avx_f64_square(uint64_t iters)
{
    double v[RL_SQUARE * 4];
    rl_fma_init_square_f64(v, RL_SQUARE * 4);
#define LOAD(i)    RL_ASM_FIXED_LOAD("vmovupd", "ymm", 32, i)
#define STEP(i, j) RL_ASM_SQ_VEX_STEP("vmulpd", "vaddpd", i, j)
#define STORE(i)   RL_ASM_FIXED_STORE("vmovupd", "ymm", 32, i)
    RL_ASM_SQUARE_LOOP(LOAD, STEP, STORE, "vzeroupper");
#undef LOAD
#undef STEP
#undef STORE
    return rl_fma_sum_f64(v, RL_SQUARE * 4);
}

static double fma_avx_f32_square(uint64_t iters)
{
    float v[RL_SQUARE * 8];
    rl_fma_init_square_f32(v, RL_SQUARE * 8);
#define LOAD(i)    RL_ASM_FIXED_LOAD("vmovups", "ymm", 32, i)
#define STEP(i, j) RL_ASM_SQ_VEX_STEP("vmulps", "vaddps", i, j)
#define STORE(i)   RL_ASM_FIXED_STORE("vmovups", "ymm", 32, i)
    RL_ASM_SQUARE_LOOP(LOAD, STEP, STORE, "vzeroupper");
#undef LOAD
#undef STEP
#undef STORE
    return rl_fma_sum_f32(v, RL_SQUARE * 8);
}

static const rl_fma_kernel k_f64 = {
    .name = "fma_avx_f64",
    .source = __FILE__,
    .isa = "avx",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_AVX,
    .flops_per_iter = ACC * 2 * 4, /* 14 vmulpd + 14 vaddpd, 4 lanes */
    .insn = {{"vmulpd", ACC}, {"vaddpd", ACC}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 4,
    .variant = "pairs14",
    .run = fma_avx_f64,
};

static const rl_fma_kernel k_f32 = {
    .name = "fma_avx_f32",
    .source = __FILE__,
    .isa = "avx",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_AVX,
    .flops_per_iter = ACC * 2 * 8, /* 14 vmulps + 14 vaddps, 8 lanes */
    .insn = {{"vmulps", ACC}, {"vaddps", ACC}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 8,
    .variant = "pairs14",
    .run = fma_avx_f32,
};

/* ---- the other shapes of the same work (grouped14, square8+add8: see fma_x86.h) */

static double fma_avx_f64_grouped(uint64_t iters)
{
    __m256d m = _mm256_set1_pd(RL_FMA_M), a = _mm256_set1_pd(RL_FMA_A);
    double v[ACC * 4];
    rl_fma_init_f64(v, ACC * 4);
#define DECL(i)  __m256d x##i = _mm256_loadu_pd(v + 4 * (i));
#define MSTEP(i) RL_ASM_VEX_OP("vmulpd", "m", i)
#define ASTEP(i) RL_ASM_VEX_OP("vaddpd", "a", i)
#define SAVE(i)  _mm256_storeu_pd(v + 4 * (i), x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14_GROUPED(MSTEP, ASTEP);
    RL_REP14(SAVE)
#undef DECL
#undef MSTEP
#undef ASTEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC * 4);
}

static double fma_avx_f32_grouped(uint64_t iters)
{
    __m256 m = _mm256_set1_ps((float)RL_FMA_M), a = _mm256_set1_ps((float)RL_FMA_A);
    float v[ACC * 8];
    rl_fma_init_f32(v, ACC * 8);
#define DECL(i)  __m256 x##i = _mm256_loadu_ps(v + 8 * (i));
#define MSTEP(i) RL_ASM_VEX_OP("vmulps", "m", i)
#define ASTEP(i) RL_ASM_VEX_OP("vaddps", "a", i)
#define SAVE(i)  _mm256_storeu_ps(v + 8 * (i), x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14_GROUPED(MSTEP, ASTEP);
    RL_REP14(SAVE)
#undef DECL
#undef MSTEP
#undef ASTEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * 8);
}

static const rl_fma_kernel k_f64_grouped = {
    .name = "fma_avx_f64_grouped",
    .source = __FILE__,
    .isa = "avx",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_AVX,
    .flops_per_iter = ACC * 2 * 4, /* 14 vmulpd + 14 vaddpd */
    .insn = {{"vmulpd", ACC}, {"vaddpd", ACC}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 4,
    .variant = "grouped14",
    .alternate = 1,
    .run = fma_avx_f64_grouped,
};

static const rl_fma_kernel k_f32_grouped = {
    .name = "fma_avx_f32_grouped",
    .source = __FILE__,
    .isa = "avx",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_AVX,
    .flops_per_iter = ACC * 2 * 8, /* 14 vmulps + 14 vaddps */
    .insn = {{"vmulps", ACC}, {"vaddps", ACC}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 8,
    .variant = "grouped14",
    .alternate = 1,
    .run = fma_avx_f32_grouped,
};

static const rl_fma_kernel k_f64_square = {
    .name = "fma_avx_f64_square",
    .source = __FILE__,
    .isa = "avx",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_AVX,
    .flops_per_iter = RL_SQUARE * 2 * 4, /* 8 chains x 2 vmulpd + 8 chains x 2 vaddpd */
    .insn = {{"vmulpd", RL_SQUARE}, {"vaddpd", RL_SQUARE}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MULADD_SQUARE,
    .accumulators = RL_SQUARE,
    .lanes = 4,
    .variant = "square8+add8",
    .alternate = 1,
    .run = fma_avx_f64_square,
};

static const rl_fma_kernel k_f32_square = {
    .name = "fma_avx_f32_square",
    .source = __FILE__,
    .isa = "avx",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_AVX,
    .flops_per_iter = RL_SQUARE * 2 * 8, /* 8 chains x 2 vmulps + 8 chains x 2 vaddps */
    .insn = {{"vmulps", RL_SQUARE}, {"vaddps", RL_SQUARE}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_MULADD_SQUARE,
    .accumulators = RL_SQUARE,
    .lanes = 8,
    .variant = "square8+add8",
    .alternate = 1,
    .run = fma_avx_f32_square,
};

const rl_fma_kernel *const rl_fma_list_avx[] = {&k_f64,         &k_f32,        &k_f64_grouped,
                                                &k_f32_grouped, &k_f64_square, &k_f32_square};
const size_t rl_fma_list_avx_count = sizeof rl_fma_list_avx / sizeof rl_fma_list_avx[0];
