/* fma_neonfp16.c: 128-bit NEON FMLA on fp16 (FMLA Vd.8H), compiled with -march=armv8.2-a+fp16:
 * cores with FEAT_FP16 (asimdhp) do 8 fp16 lanes where fp32 does 4. 24 chains x = x + A*M. */
#include <arm_neon.h>

#include "kernels/arm/fma_arm.h"

#define ACC RL_ARM_CHAINS

static double fma_neon_f16(uint64_t iters)
{
    const float16x8_t m = vdupq_n_f16((float16_t)RL_FMA_M), a = vdupq_n_f16((float16_t)RL_FMA_A);
    float16_t v[ACC * 8];
    for (int k = 0; k < ACC * 8; k++)
        v[k] = (float16_t)RL_FMA_INIT(k);
#define DECL(i) float16x8_t x##i = vld1q_f16(v + 8 * (i));
#define STEP(i) x##i = vfmaq_f16(x##i, a, m);
#define SAVE(i) vst1q_f16(v + 8 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    double s = 0;
    for (int k = 0; k < ACC * 8; k++)
        s += (double)v[k];
    return s;
}

static const rl_fma_kernel k_f16 = {
    .name = "fma_neon_f16",
    .source = __FILE__,
    .isa = "neon",
    .precision = "fp16",
    .unit = "FLOP",
    .requires = RL_ISA_NEON | RL_ISA_ASIMDHP,
    .flops_per_iter = ACC * 8 * 2,
    .insn = {{"fmla", ACC}, {NULL, 0}},
    .reg = ".8h",
    .width_bits = 128,
    .math = RL_FMA_MATH_FMLA,
    .accumulators = ACC,
    .lanes = 8,
    .run = fma_neon_f16,
};

const rl_fma_kernel *const rl_fma_list_neonfp16[] = {&k_f16};
const size_t rl_fma_list_neonfp16_count =
    sizeof rl_fma_list_neonfp16 / sizeof rl_fma_list_neonfp16[0];
