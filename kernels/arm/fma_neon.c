/* fma_neon.c: 128-bit NEON FMLA on fp64 and fp32 (vfmaq: FMLA Vd.2D/4S), compiled for plain
 * Armv8-A: every AArch64 core has it. 24 chains x = x + A*M (kernels/fma.h, FMLA), A and M in
 * two more registers. */
#include <arm_neon.h>

#include "kernels/arm/fma_arm.h"

#define ACC RL_ARM_CHAINS

static double fma_neon_f64(uint64_t iters)
{
    const float64x2_t m = vdupq_n_f64(RL_FMA_M), a = vdupq_n_f64(RL_FMA_A);
    double v[ACC * 2];
    rl_fma_init_f64(v, ACC * 2);
#define DECL(i) float64x2_t x##i = vld1q_f64(v + 2 * (i));
#define STEP(i) x##i = vfmaq_f64(x##i, a, m);
#define SAVE(i) vst1q_f64(v + 2 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC * 2);
}

static double fma_neon_f32(uint64_t iters)
{
    const float32x4_t m = vdupq_n_f32((float)RL_FMA_M), a = vdupq_n_f32((float)RL_FMA_A);
    float v[ACC * 4];
    rl_fma_init_f32(v, ACC * 4);
#define DECL(i) float32x4_t x##i = vld1q_f32(v + 4 * (i));
#define STEP(i) x##i = vfmaq_f32(x##i, a, m);
#define SAVE(i) vst1q_f32(v + 4 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * 4);
}

static const rl_fma_kernel k_f64 = {
    .name = "fma_neon_f64",
    .source = __FILE__,
    .isa = "neon",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_NEON,
    .flops_per_iter = ACC * 2 * 2, /* 24 FMLA, 2 lanes, multiply + add */
    .insn = {{"fmla", ACC}, {NULL, 0}},
    .reg = ".2d",
    .width_bits = 128,
    .math = RL_FMA_MATH_FMLA,
    .accumulators = ACC,
    .lanes = 2,
    .run = fma_neon_f64,
};

static const rl_fma_kernel k_f32 = {
    .name = "fma_neon_f32",
    .source = __FILE__,
    .isa = "neon",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_NEON,
    .flops_per_iter = ACC * 4 * 2,
    .insn = {{"fmla", ACC}, {NULL, 0}},
    .reg = ".4s",
    .width_bits = 128,
    .math = RL_FMA_MATH_FMLA,
    .accumulators = ACC,
    .lanes = 4,
    .run = fma_neon_f32,
};

const rl_fma_kernel *const rl_fma_list_neon[] = {&k_f64, &k_f32};
const size_t rl_fma_list_neon_count = sizeof rl_fma_list_neon / sizeof rl_fma_list_neon[0];
