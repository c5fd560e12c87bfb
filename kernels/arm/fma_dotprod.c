/* fma_dotprod.c: int8 dot products into int32 (SDOT Vd.4S, Vn.16B, Vm.16B), compiled with
 * -march=armv8.2-a+dotprod (asimddp). One instruction does, in each of 4 int32 lanes,
 * x += a0*b0 + a1*b1 + a2*b2 + a3*b3 (signed bytes): 32 integer OPs. a = 1, b = (1, 1, 1, -2) add
 * exactly 1 per step (kernels/fma.h, INT8); lanes wrap modulo 2^32 in long runs. 24 chains. */
#include <arm_neon.h>

#include "kernels/arm/fma_arm.h"

#define ACC RL_ARM_CHAINS

/* Bytes 1, 1, 1, -2 from the lowest up, as one int32. */
#define B_BYTES (-33488639)

static double fma_sdot_i8(uint64_t iters)
{
    const int8x16_t a = vdupq_n_s8(1), b = vreinterpretq_s8_s32(vdupq_n_s32(B_BYTES));
    int32_t v[ACC * 4];
    rl_fma_init_i32(v, ACC * 4);
#define DECL(i) int32x4_t x##i = vld1q_s32(v + 4 * (i));
#define STEP(i) x##i = vdotq_s32(x##i, a, b);
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
    .name = "fma_sdot_i8",
    .source = __FILE__,
    .isa = "sdot",
    .precision = "int8",
    .unit = "OP",
    .requires = RL_ISA_NEON | RL_ISA_ASIMDDP,
    .flops_per_iter = ACC * 4 * 8, /* 4 int32 lanes, 4 multiplies and 4 adds each */
    .insn = {{"sdot", ACC}, {NULL, 0}},
    .reg = ".4s",
    .width_bits = 128,
    .math = RL_FMA_MATH_DOT_INT8,
    .accumulators = ACC,
    .lanes = 4,
    .run = fma_sdot_i8,
};

const rl_fma_kernel *const rl_fma_list_dotprod[] = {&k_i8};
const size_t rl_fma_list_dotprod_count = sizeof rl_fma_list_dotprod / sizeof rl_fma_list_dotprod[0];
