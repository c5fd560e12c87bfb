/* fma_scalar.c: scalar (one element per instruction) multiply and add, the no-SIMD baseline.
 *
 * Compiled with no -m flags: x86-64's baseline is SSE2, so these are mulsd/addsd (mulss/addss), the
 * scalar instructions every x86-64 compiler emits for plain C arithmetic. A scalar FMA
 * (vfmadd231sd) would need -mfma and an FMA CPU, which is not a baseline any more: the scalar row
 * answers "what does code that was never vectorized get", and FMA is measured by the vector
 * kernels. The chains are separate mul and add (x = x*M; x = x + A), 14 of them: with a 3-cycle mul
 * and a 3-cycle add each chain needs 6 cycles per step, and 2 mul + 2 add pipes (Zen) need 12
 * chains in flight; 14 chains + M + A fill the 16 xmm registers.
 *
 * The loop body is one asm statement (RL_ASM_MULADD14 in fma_x86.h) that fixes the order: chain by
 * chain, each multiply directly followed by its add. Written as intrinsics, gcc's scheduler emitted
 * six multiplies first and then interleaved the rest with adds lagging six chains behind, and that
 * order ran 8-9% slower on Zen 3 although the dependency graph is the same (it is not a hardware
 * limit: scripts/probe-mul-add-mix.sh, 60 rounds on each of the two cores of a Zen 3 EPYC VM, runs
 * the 14 chains in gcc's order at 7.65-7.70 cycles per iteration and in this order, or with all
 * multiplies before all adds, at 7.05-7.16, against a 7.0 floor of 14 multiplies on 2 pipes; the
 * same probe shows 2 MUL + 2 ADD per cycle, 3.9 instructions per cycle, with independent chains).
 * Order does not change the arithmetic, so the scalar reference test still matches bit for bit.
 * sse2 and avx use the same body.
 *
 * It lives in kernels/x86/, not kernels/, although "scalar" sounds portable: what the row promises
 * is a fixed instruction stream the test can count (mulsd/addsd on xmm registers), and that takes
 * x86 asm. Plain C would let each compiler and architecture pick its own instructions and order;
 * another architecture's scalar row is its own file (kernels/arm/fma_scalar.c: fmul/fadd on d
 * registers). */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 14

static double fma_scalar_f64(uint64_t iters)
{
    __m128d m = _mm_set_sd(RL_FMA_M), a = _mm_set_sd(RL_FMA_A);
    double v[ACC];
    rl_fma_init_f64(v, ACC);
#define DECL(i) __m128d x##i = _mm_set_sd(v[i]);
#define STEP(i) RL_ASM_SSE_STEP("mulsd", "addsd", i)
#define SAVE(i) v[i] = _mm_cvtsd_f64(x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14(STEP);
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC);
}

static double fma_scalar_f32(uint64_t iters)
{
    __m128 m = _mm_set_ss((float)RL_FMA_M), a = _mm_set_ss((float)RL_FMA_A);
    float v[ACC];
    rl_fma_init_f32(v, ACC);
#define DECL(i) __m128 x##i = _mm_set_ss(v[i]);
#define STEP(i) RL_ASM_SSE_STEP("mulss", "addss", i)
#define SAVE(i) v[i] = _mm_cvtss_f32(x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14(STEP);
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC);
}

static double fma_scalar_f64_square(uint64_t iters)
{
    double v[RL_SQUARE * 1];
    rl_fma_init_square_f64(v, RL_SQUARE * 1);
#define LOAD(i)    RL_ASM_FIXED_LOAD("movsd", "xmm", 8, i)
#define STEP(i, j) RL_ASM_SQ_SSE_STEP("mulsd", "addsd", i, j)
#define STORE(i)   RL_ASM_FIXED_STORE("movsd", "xmm", 8, i)
    RL_ASM_SQUARE_LOOP(LOAD, STEP, STORE, "");
#undef LOAD
#undef STEP
#undef STORE
    return rl_fma_sum_f64(v, RL_SQUARE * 1);
}

static double fma_scalar_f32_square(uint64_t iters)
{
    float v[RL_SQUARE * 1];
    rl_fma_init_square_f32(v, RL_SQUARE * 1);
#define LOAD(i)    RL_ASM_FIXED_LOAD("movss", "xmm", 4, i)
#define STEP(i, j) RL_ASM_SQ_SSE_STEP("mulss", "addss", i, j)
#define STORE(i)   RL_ASM_FIXED_STORE("movss", "xmm", 4, i)
    RL_ASM_SQUARE_LOOP(LOAD, STEP, STORE, "");
#undef LOAD
#undef STEP
#undef STORE
    return rl_fma_sum_f32(v, RL_SQUARE * 1);
}

static const rl_fma_kernel k_f64 = {
    .name = "fma_scalar_f64",
    .source = __FILE__,
    .isa = "scalar",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = ACC * 2, /* 14 mulsd + 14 addsd, 1 element each */
    .insn = {{"mulsd", ACC}, {"addsd", ACC}},
    .reg = "xmm",
    .width_bits = 64, /* one double of the register */
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 1,
    .variant = "pairs14",
    .run = fma_scalar_f64,
};

static const rl_fma_kernel k_f32 = {
    .name = "fma_scalar_f32",
    .source = __FILE__,
    .isa = "scalar",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = ACC * 2, /* 14 mulss + 14 addss */
    .insn = {{"mulss", ACC}, {"addss", ACC}},
    .reg = "xmm",
    .width_bits = 32, /* one float of the register */
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 1,
    .variant = "pairs14",
    .run = fma_scalar_f32,
};

/* ---- the other shapes of the same work (grouped14, square8+add8: see fma_x86.h) */

static double fma_scalar_f64_grouped(uint64_t iters)
{
    __m128d m = _mm_set_sd(RL_FMA_M), a = _mm_set_sd(RL_FMA_A);
    double v[ACC];
    rl_fma_init_f64(v, ACC);
#define DECL(i)  __m128d x##i = _mm_set_sd(v[i]);
#define MSTEP(i) RL_ASM_SSE_OP("mulsd", "m", i)
#define ASTEP(i) RL_ASM_SSE_OP("addsd", "a", i)
#define SAVE(i)  v[i] = _mm_cvtsd_f64(x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14_GROUPED(MSTEP, ASTEP);
    RL_REP14(SAVE)
#undef DECL
#undef MSTEP
#undef ASTEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC);
}

static double fma_scalar_f32_grouped(uint64_t iters)
{
    __m128 m = _mm_set_ss((float)RL_FMA_M), a = _mm_set_ss((float)RL_FMA_A);
    float v[ACC];
    rl_fma_init_f32(v, ACC);
#define DECL(i)  __m128 x##i = _mm_set_ss(v[i]);
#define MSTEP(i) RL_ASM_SSE_OP("mulss", "m", i)
#define ASTEP(i) RL_ASM_SSE_OP("addss", "a", i)
#define SAVE(i)  v[i] = _mm_cvtss_f32(x##i);
    RL_REP14(DECL)
    RL_ASM_OPAQUE(m, a);
    for (uint64_t n = 0; n < iters; n++)
        RL_ASM_MULADD14_GROUPED(MSTEP, ASTEP);
    RL_REP14(SAVE)
#undef DECL
#undef MSTEP
#undef ASTEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC);
}

static const rl_fma_kernel k_f64_grouped = {
    .name = "fma_scalar_f64_grouped",
    .source = __FILE__,
    .isa = "scalar",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = ACC * 2, /* 14 mulsd + 14 addsd */
    .insn = {{"mulsd", ACC}, {"addsd", ACC}},
    .reg = "xmm",
    .width_bits = 64,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 1,
    .variant = "grouped14",
    .alternate = 1,
    .run = fma_scalar_f64_grouped,
};

static const rl_fma_kernel k_f32_grouped = {
    .name = "fma_scalar_f32_grouped",
    .source = __FILE__,
    .isa = "scalar",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = ACC * 2, /* 14 mulss + 14 addss */
    .insn = {{"mulss", ACC}, {"addss", ACC}},
    .reg = "xmm",
    .width_bits = 32,
    .math = RL_FMA_MATH_MULADD,
    .accumulators = ACC,
    .lanes = 1,
    .variant = "grouped14",
    .alternate = 1,
    .run = fma_scalar_f32_grouped,
};

static const rl_fma_kernel k_f64_square = {
    .name = "fma_scalar_f64_square",
    .source = __FILE__,
    .isa = "scalar",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = RL_SQUARE * 2 * 1, /* 8 chains x 2 mulsd + 8 chains x 2 addsd */
    .insn = {{"mulsd", RL_SQUARE}, {"addsd", RL_SQUARE}},
    .reg = "xmm",
    .width_bits = 64,
    .math = RL_FMA_MATH_MULADD_SQUARE,
    .accumulators = RL_SQUARE,
    .lanes = 1,
    .variant = "square8+add8",
    .alternate = 1,
    .run = fma_scalar_f64_square,
};

static const rl_fma_kernel k_f32_square = {
    .name = "fma_scalar_f32_square",
    .source = __FILE__,
    .isa = "scalar",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_SSE2,
    .flops_per_iter = RL_SQUARE * 2 * 1, /* 8 chains x 2 mulss + 8 chains x 2 addss */
    .insn = {{"mulss", RL_SQUARE}, {"addss", RL_SQUARE}},
    .reg = "xmm",
    .width_bits = 32,
    .math = RL_FMA_MATH_MULADD_SQUARE,
    .accumulators = RL_SQUARE,
    .lanes = 1,
    .variant = "square8+add8",
    .alternate = 1,
    .run = fma_scalar_f32_square,
};

const rl_fma_kernel *const rl_fma_list_scalar[] = {&k_f64,         &k_f32,        &k_f64_grouped,
                                                   &k_f32_grouped, &k_f64_square, &k_f32_square};
const size_t rl_fma_list_scalar_count = sizeof rl_fma_list_scalar / sizeof rl_fma_list_scalar[0];
