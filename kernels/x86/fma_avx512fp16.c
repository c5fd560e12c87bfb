/* fma_avx512fp16.c: half-precision fused multiply-add on zmm (vfmadd*ph, 32 lanes), compiled with
 * -mavx512fp16 (Sapphire Rapids and later). 24 chains x = x*M + A in fp16: M, A and the start
 * values are exact in fp16 and the chains converge to 1, so no lane overflows fp16's 65504 or goes
 * denormal. */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 24

static double fma_avx512fp16_f16(uint64_t iters)
{
    const __m512h m = _mm512_set1_ph((_Float16)RL_FMA_M), a = _mm512_set1_ph((_Float16)RL_FMA_A);
    _Float16 v[ACC * 32];
    for (int k = 0; k < ACC * 32; k++)
        v[k] = (_Float16)RL_FMA_INIT(k);
#define DECL(i) __m512h x##i = _mm512_loadu_ph(v + 32 * (i));
#define STEP(i) x##i = _mm512_fmadd_ph(x##i, m, a);
#define SAVE(i) _mm512_storeu_ph(v + 32 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    double s = 0;
    for (int k = 0; k < ACC * 32; k++)
        s += (double)v[k];
    return s;
}

static const rl_fma_kernel k_f16 = {
    .name = "fma_avx512fp16_f16",
    .source = __FILE__,
    .isa = "avx512_fp16",
    .precision = "fp16",
    .unit = "FLOP",
    .requires = RL_ISA_AVX512F | RL_ISA_AVX512VL | RL_ISA_AVX512BW | RL_ISA_AVX512_FP16,
    .flops_per_iter = ACC * 32 * 2, /* 24 vfmadd*ph, 32 lanes, 2 FLOPs each */
    .insn = {{"vfmadd*ph", ACC}, {NULL, 0}},
    .reg = "zmm",
    .width_bits = 512,
    .math = RL_FMA_MATH_FMA,
    .accumulators = ACC,
    .lanes = 32,
    .run = fma_avx512fp16_f16,
};

const rl_fma_kernel *const rl_fma_list_avx512fp16[] = {&k_f16};
const size_t rl_fma_list_avx512fp16_count =
    sizeof rl_fma_list_avx512fp16 / sizeof rl_fma_list_avx512fp16[0];
