/* fma_avx512vnni.c: int8 dot products accumulated in int32 (vpdpbusd on zmm), compiled with
 * -mavx512vnni (Cascade Lake and later, Zen 4). One instruction does, in each of 16 int32 lanes,
 * x += u0*s0 + u1*s1 + u2*s2 + u3*s3 (unsigned x signed bytes): 4 multiplies and 4 adds, 128
 * integer OPs per instruction, reported in GOP/s. a = 1 and b = (1, 1, 1, -2) add exactly 1 per
 * step; lanes wrap modulo 2^32 in long runs, as the instruction defines (no saturation). 24 chains.
 */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 24

/* Bytes 1, 1, 1, -2 (0xFE) from the lowest up: 0xFE010101 as a signed 32-bit value. */
#define B_BYTES (-33488639)

static double fma_avx512vnni_i8(uint64_t iters)
{
    const __m512i a = _mm512_set1_epi8(1), b = _mm512_set1_epi32(B_BYTES);
    int32_t v[ACC * 16];
    for (int k = 0; k < ACC * 16; k++)
        v[k] = k % 64;
#define DECL(i) __m512i x##i = _mm512_loadu_si512(v + 16 * (i));
#define STEP(i) x##i = _mm512_dpbusd_epi32(x##i, a, b);
#define SAVE(i) _mm512_storeu_si512(v + 16 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    double s = 0;
    for (int k = 0; k < ACC * 16; k++)
        s += (double)v[k];
    return s;
}

static const rl_fma_kernel k_i8 = {
    .name = "fma_avx512vnni_i8",
    .source = __FILE__,
    .isa = "avx512_vnni",
    .precision = "int8",
    .unit = "OP",
    .requires = RL_ISA_AVX512F | RL_ISA_AVX512VL | RL_ISA_AVX512BW | RL_ISA_AVX512_VNNI,
    .flops_per_iter = ACC * 16 * 8, /* 24 vpdpbusd, 16 int32 lanes, 4 mul + 4 add each */
    .insn = {{"vpdpbusd", ACC}, {NULL, 0}},
    .reg = "zmm",
    .width_bits = 512,
    .math = RL_FMA_MATH_DOT_INT8,
    .accumulators = ACC,
    .lanes = 16,
    .run = fma_avx512vnni_i8,
};

const rl_fma_kernel *const rl_fma_list_avx512vnni[] = {&k_i8};
const size_t rl_fma_list_avx512vnni_count =
    sizeof rl_fma_list_avx512vnni / sizeof rl_fma_list_avx512vnni[0];
