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
    .run = fma_avx_f32,
};

const rl_fma_kernel *const rl_fma_list_avx[] = {&k_f64, &k_f32};
const size_t rl_fma_list_avx_count = sizeof rl_fma_list_avx / sizeof rl_fma_list_avx[0];
