/* fma_i8mm.c: int8 matrix multiplies into int32 (SMMLA Vd.4S, Vn.16B, Vm.16B), compiled with
 * -march=armv8.2-a+i8mm (FEAT_I8MM, HWCAP2_I8MM). The 2 x 2 int32 matrix in Vd += A (2 x 8
 * int8) . B^T (B 2 x 8): 32 multiply-adds, 64 integer OPs per instruction. a = 1 and every row of
 * b = (1 x 7, -6) add exactly 1 per step; lanes wrap modulo 2^32 in long runs. 24 chains. */
#include <arm_neon.h>

#include "kernels/arm/fma_arm.h"

#define ACC RL_ARM_CHAINS

/* Bytes 1 x 7 then -6 (0xFA), from the lowest up, as one int64. */
#define B_ROW ((int64_t)0xFA01010101010101ull)

static double fma_smmla_i8(uint64_t iters)
{
    const int8x16_t a = vdupq_n_s8(1), b = vreinterpretq_s8_s64(vdupq_n_s64(B_ROW));
    int32_t v[ACC * 4];
    rl_fma_init_i32(v, ACC * 4);
#define DECL(i) int32x4_t x##i = vld1q_s32(v + 4 * (i));
#define STEP(i) x##i = vmmlaq_s32(x##i, a, b);
#define SAVE(i) vst1q_s32(v + 4 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_i32(v, ACC * 4);
}

static const rl_fma_kernel k_i8 = {
    .name = "fma_smmla_i8",
    .source = __FILE__,
    .isa = "smmla",
    .precision = "int8",
    .unit = "OP",
    .requires = RL_ISA_NEON | RL_ISA_I8MM,
    .flops_per_iter = ACC * 4 * 16, /* 4 int32 lanes, 8 multiplies and 8 adds each */
    .insn = {{"smmla", ACC}, {NULL, 0}},
    .reg = ".4s",
    .width_bits = 128,
    .math = RL_FMA_MATH_MMLA_INT8,
    .accumulators = ACC,
    .lanes = 4,
    .run = fma_smmla_i8,
};

const rl_fma_kernel *const rl_fma_list_i8mm[] = {&k_i8};
const size_t rl_fma_list_i8mm_count = sizeof rl_fma_list_i8mm / sizeof rl_fma_list_i8mm[0];
