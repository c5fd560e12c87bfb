/* fma_sse2.c: 128-bit packed multiply and add (mulpd/addpd, mulps/addps), compiled with -msse2.
 * SSE2 has no FMA, so each of the 14 chains is x = x*M; x = x + A (see fma_scalar.c for the count
 * and for why the loop body is an asm statement in a fixed order).
 */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 14

static double fma_sse2_f64(uint64_t iters)
{
    __m128d m = _mm_set1_pd(RL_FMA_M), a = _mm_set1_pd(RL_FMA_A);
    double v[ACC * 2];
    rl_fma_init_f64(v, ACC * 2);
#define DECL(i) __m128d x##i = _mm_loadu_pd(v + 2 * (i));
#define STEP(i) RL_ASM_SSE_STEP("mulpd", "addpd", i)
#define SAVE(i) _mm_storeu_pd(v + 2 * (i), x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14(STEP);
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC * 2);
}

static double fma_sse2_f32(uint64_t iters)
{
    __m128 m = _mm_set1_ps((float)RL_FMA_M), a = _mm_set1_ps((float)RL_FMA_A);
    float v[ACC * 4];
    rl_fma_init_f32(v, ACC * 4);
#define DECL(i) __m128 x##i = _mm_loadu_ps(v + 4 * (i));
#define STEP(i) RL_ASM_SSE_STEP("mulps", "addps", i)
#define SAVE(i) _mm_storeu_ps(v + 4 * (i), x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14(STEP);
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * 4);
}

static double fma_sse2_f64_square(uint64_t iters)
{
    double v[RL_SQUARE * 2];
    rl_fma_init_square_f64(v, RL_SQUARE * 2);
#define LOAD(i)    RL_ASM_FIXED_LOAD("movupd", "xmm", 16, i)
#define STEP(i, j) RL_ASM_SQ_SSE_STEP("mulpd", "addpd", i, j)
#define STORE(i)   RL_ASM_FIXED_STORE("movupd", "xmm", 16, i)
    RL_ASM_SQUARE_LOOP(LOAD, STEP, STORE, "");
#undef LOAD
#undef STEP
#undef STORE
    return rl_fma_sum_f64(v, RL_SQUARE * 2);
}

static double fma_sse2_f32_square(uint64_t iters)
{
    float v[RL_SQUARE * 4];
    rl_fma_init_square_f32(v, RL_SQUARE * 4);
#define LOAD(i)    RL_ASM_FIXED_LOAD("movups", "xmm", 16, i)
#define STEP(i, j) RL_ASM_SQ_SSE_STEP("mulps", "addps", i, j)
#define STORE(i)   RL_ASM_FIXED_STORE("movups", "xmm", 16, i)
    RL_ASM_SQUARE_LOOP(LOAD, STEP, STORE, "");
#undef LOAD
#undef STEP
#undef STORE
    return rl_fma_sum_f32(v, RL_SQUARE * 4);
}

static const rl_fma_kernel k_f64 = {
    .name = "fma_sse2_f64",
    .source = __FILE__,
    .isa = "sse2",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = ACC * 2 * 2, /* 14 mulpd + 14 addpd, 2 lanes */
    .insn = {{"mulpd", ACC}, {"addpd", ACC}},
    .reg = "xmm",
    .width_bits = 128,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 2,
    .variant = "pairs14",
    .run = fma_sse2_f64,
};

static const rl_fma_kernel k_f32 = {
    .name = "fma_sse2_f32",
    .source = __FILE__,
    .isa = "sse2",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = ACC * 2 * 4, /* 14 mulps + 14 addps, 4 lanes */
    .insn = {{"mulps", ACC}, {"addps", ACC}},
    .reg = "xmm",
    .width_bits = 128,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 4,
    .variant = "pairs14",
    .run = fma_sse2_f32,
};

/* ---- the other shapes of the same work (grouped14, square8+add8: see fma_x86.h) */

static double fma_sse2_f64_grouped(uint64_t iters)
{
    __m128d m = _mm_set1_pd(RL_FMA_M), a = _mm_set1_pd(RL_FMA_A);
    double v[ACC * 2];
    rl_fma_init_f64(v, ACC * 2);
#define DECL(i)  __m128d x##i = _mm_loadu_pd(v + 2 * (i));
#define MSTEP(i) RL_ASM_SSE_OP("mulpd", "m", i)
#define ASTEP(i) RL_ASM_SSE_OP("addpd", "a", i)
#define SAVE(i)  _mm_storeu_pd(v + 2 * (i), x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14_GROUPED(MSTEP, ASTEP);
    RL_REP14(SAVE)
#undef DECL
#undef MSTEP
#undef ASTEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC * 2);
}

static double fma_sse2_f32_grouped(uint64_t iters)
{
    __m128 m = _mm_set1_ps((float)RL_FMA_M), a = _mm_set1_ps((float)RL_FMA_A);
    float v[ACC * 4];
    rl_fma_init_f32(v, ACC * 4);
#define DECL(i)  __m128 x##i = _mm_loadu_ps(v + 4 * (i));
#define MSTEP(i) RL_ASM_SSE_OP("mulps", "m", i)
#define ASTEP(i) RL_ASM_SSE_OP("addps", "a", i)
#define SAVE(i)  _mm_storeu_ps(v + 4 * (i), x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14_GROUPED(MSTEP, ASTEP);
    RL_REP14(SAVE)
#undef DECL
#undef MSTEP
#undef ASTEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * 4);
}

static const rl_fma_kernel k_f64_grouped = {
    .name = "fma_sse2_f64_grouped",
    .source = __FILE__,
    .isa = "sse2",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = ACC * 2 * 2, /* 14 mulpd + 14 addpd */
    .insn = {{"mulpd", ACC}, {"addpd", ACC}},
    .reg = "xmm",
    .width_bits = 128,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 2,
    .variant = "grouped14",
    .alternate = 1,
    .run = fma_sse2_f64_grouped,
};

static const rl_fma_kernel k_f32_grouped = {
    .name = "fma_sse2_f32_grouped",
    .source = __FILE__,
    .isa = "sse2",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = ACC * 2 * 4, /* 14 mulps + 14 addps */
    .insn = {{"mulps", ACC}, {"addps", ACC}},
    .reg = "xmm",
    .width_bits = 128,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 4,
    .variant = "grouped14",
    .alternate = 1,
    .run = fma_sse2_f32_grouped,
};

static const rl_fma_kernel k_f64_square = {
    .name = "fma_sse2_f64_square",
    .source = __FILE__,
    .isa = "sse2",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = RL_SQUARE * 2 * 2, /* 8 chains x 2 mulpd + 8 chains x 2 addpd */
    .insn = {{"mulpd", RL_SQUARE}, {"addpd", RL_SQUARE}},
    .reg = "xmm",
    .width_bits = 128,
    .math = RL_FMA_MATH_MULADD_SQUARE,
    .accumulators = RL_SQUARE,
    .lanes = 2,
    .variant = "square8+add8",
    .alternate = 1,
    .run = fma_sse2_f64_square,
};

static const rl_fma_kernel k_f32_square = {
    .name = "fma_sse2_f32_square",
    .source = __FILE__,
    .isa = "sse2",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = RL_SQUARE * 2 * 4, /* 8 chains x 2 mulps + 8 chains x 2 addps */
    .insn = {{"mulps", RL_SQUARE}, {"addps", RL_SQUARE}},
    .reg = "xmm",
    .width_bits = 128,
    .math = RL_FMA_MATH_MULADD_SQUARE,
    .accumulators = RL_SQUARE,
    .lanes = 4,
    .variant = "square8+add8",
    .alternate = 1,
    .run = fma_sse2_f32_square,
};

const rl_fma_kernel *const rl_fma_list_sse2[] = {&k_f64,         &k_f32,        &k_f64_grouped,
                                                 &k_f32_grouped, &k_f64_square, &k_f32_square};
const size_t rl_fma_list_sse2_count = sizeof rl_fma_list_sse2 / sizeof rl_fma_list_sse2[0];
