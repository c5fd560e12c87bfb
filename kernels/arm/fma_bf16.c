/* fma_bf16.c: bf16 dot products and matrix multiplies into fp32, compiled with
 * -march=armv8.2-a+bf16 (FEAT_BF16, HWCAP2_BF16).
 *  - BFDOT Vd.4S, Vn.8H, Vm.8H: per fp32 lane x += a0*b0 + a1*b1: 8 multiply-adds, 16 FLOPs.
 *  - BFMMLA Vd.4S, Vn.8H, Vm.8H: the 2 x 2 fp32 matrix in Vd += A (2 x 4 bf16) . B^T (B 2 x 4):
 *    16 multiply-adds, 32 FLOPs per instruction.
 * a = 2^-4 and b = 2^-8 (exact in bf16): BFDOT adds 2^-11 per step, BFMMLA 2^-10 (kernels/fma.h).
 * 24 chains each. */
#include <arm_neon.h>

#include "kernels/arm/fma_arm.h"

#define ACC RL_ARM_CHAINS

/* 2^-4 and 2^-8 as bf16 bit patterns (the top halves of their fp32 patterns). */
#define BF16_A 0x3D80
#define BF16_B 0x3B80

static double fma_bfdot_bf16(uint64_t iters)
{
    const bfloat16x8_t a = vreinterpretq_bf16_u16(vdupq_n_u16(BF16_A)),
                       b = vreinterpretq_bf16_u16(vdupq_n_u16(BF16_B));
    float v[ACC * 4];
    rl_fma_init_f32(v, ACC * 4);
#define DECL(i) float32x4_t x##i = vld1q_f32(v + 4 * (i));
#define STEP(i) x##i = vbfdotq_f32(x##i, a, b);
#define SAVE(i) vst1q_f32(v + 4 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
    return rl_fma_sum_f32(v, ACC * 4);
}

static double fma_bfmmla_bf16(uint64_t iters)
{
    const bfloat16x8_t a = vreinterpretq_bf16_u16(vdupq_n_u16(BF16_A)),
                       b = vreinterpretq_bf16_u16(vdupq_n_u16(BF16_B));
    float v[ACC * 4];
    rl_fma_init_f32(v, ACC * 4);
#undef STEP
#define STEP(i) x##i = vbfmmlaq_f32(x##i, a, b);
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

static const rl_fma_kernel k_bfdot = {
    .name = "fma_bfdot_bf16",
    .source = __FILE__,
    .isa = "bfdot",
    .precision = "bf16",
    .unit = "FLOP",
    .requires = RL_ISA_NEON | RL_ISA_BF16,
    .flops_per_iter = ACC * 4 * 4, /* 4 fp32 lanes, 2 products and 2 adds each */
    .insn = {{"bfdot", ACC}, {NULL, 0}},
    .reg = ".4s",
    .width_bits = 128,
    .math = RL_FMA_MATH_DOT_BF16,
    .accumulators = ACC,
    .lanes = 4,
    .run = fma_bfdot_bf16,
};

static const rl_fma_kernel k_bfmmla = {
    .name = "fma_bfmmla_bf16",
    .source = __FILE__,
    .isa = "bfmmla",
    .precision = "bf16",
    .unit = "FLOP",
    .requires = RL_ISA_NEON | RL_ISA_BF16,
    .flops_per_iter = ACC * 4 * 8, /* 4 fp32 lanes, 4 products and 4 adds each */
    .insn = {{"bfmmla", ACC}, {NULL, 0}},
    .reg = ".4s",
    .width_bits = 128,
    .math = RL_FMA_MATH_MMLA_BF16,
    .accumulators = ACC,
    .lanes = 4,
    .run = fma_bfmmla_bf16,
};

const rl_fma_kernel *const rl_fma_list_bf16[] = {&k_bfdot, &k_bfmmla};
const size_t rl_fma_list_bf16_count = sizeof rl_fma_list_bf16 / sizeof rl_fma_list_bf16[0];
