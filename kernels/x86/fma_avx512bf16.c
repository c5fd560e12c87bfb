/* fma_avx512bf16.c: bfloat16 dot products accumulated in fp32 (vdpbf16ps on zmm), compiled with
 * -mavx512bf16 (Cooper Lake, Sapphire Rapids, Zen 4). One instruction does, in each of 16 fp32
 * lanes, x += a0*b0 + a1*b1: 2 multiplies and 2 adds, 64 FLOPs per instruction.
 * 24 chains; a = 2^-4 and b = 2^-8 make each step add exactly 2^-11, so for small counts the result
 * is exact, and long runs stop growing (finite) once 2^-12 falls below half an ulp. */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 24

static double fma_avx512bf16_bf16(uint64_t iters)
{
    const __m512bh a = _mm512_cvtne2ps_pbh(_mm512_set1_ps((float)RL_FMA_BF16_A),
                                           _mm512_set1_ps((float)RL_FMA_BF16_A));
    const __m512bh b = _mm512_cvtne2ps_pbh(_mm512_set1_ps((float)RL_FMA_BF16_B),
                                           _mm512_set1_ps((float)RL_FMA_BF16_B));
    float v[ACC * 16];
    rl_fma_init_f32(v, ACC * 16);
#define DECL(i) __m512 x##i = _mm512_loadu_ps(v + 16 * (i));
#define STEP(i) x##i = _mm512_dpbf16_ps(x##i, a, b);
#define SAVE(i) _mm512_storeu_ps(v + 16 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * 16);
}

static const rl_fma_kernel k_bf16 = {
    .name = "fma_avx512bf16_bf16",
    .source = __FILE__,
    .isa = "avx512_bf16",
    .precision = "bf16",
    .unit = "FLOP",
    .requires = RL_ISA_AVX512F | RL_ISA_AVX512VL | RL_ISA_AVX512BW | RL_ISA_AVX512_BF16,
    .flops_per_iter = ACC * 16 * 4, /* 24 vdpbf16ps, 16 fp32 lanes, 2 mul + 2 add each */
    .insn = {{"vdpbf16ps", ACC}, {NULL, 0}},
    .reg = "zmm",
    .width_bits = 512,
    .math = RL_FMA_MATH_DOT_BF16,
    .accumulators = ACC,
    .lanes = 16,
    .run = fma_avx512bf16_bf16,
};

const rl_fma_kernel *const rl_fma_list_avx512bf16[] = {&k_bf16};
const size_t rl_fma_list_avx512bf16_count =
    sizeof rl_fma_list_avx512bf16 / sizeof rl_fma_list_avx512bf16[0];
