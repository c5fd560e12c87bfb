/* fma_avxvnni.c: int8 dot products accumulated in int32 with the VEX-encoded AVX-VNNI
 * ({vex} vpdpbusd on ymm), compiled with -mavxvnni (Alder Lake and later, Zen 5): the int8 peak of
 * cores without AVX-512. Same arithmetic as fma_avx512vnni.c on 8 lanes: 64 OPs per instruction.
 * 14 chains + a + b fill the 16 ymm registers. */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 14

/* Bytes 1, 1, 1, -2 (0xFE) from the lowest up: 0xFE010101 as a signed 32-bit value. */
#define B_BYTES (-33488639)

static double fma_avxvnni_i8(uint64_t iters)
{
    const __m256i a = _mm256_set1_epi8(1), b = _mm256_set1_epi32(B_BYTES);
    int32_t v[ACC * 8];
    for (int k = 0; k < ACC * 8; k++)
        v[k] = k % 64;
#define DECL(i) __m256i x##i = _mm256_loadu_si256((const __m256i *)(v + 8 * (i)));
#define STEP(i) x##i = _mm256_dpbusd_avx_epi32(x##i, a, b);
#define SAVE(i) _mm256_storeu_si256((__m256i *)(v + 8 * (i)), x##i);
    RL_REP14(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP14(STEP)
    }
    RL_REP14(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    double s = 0;
    for (int k = 0; k < ACC * 8; k++)
        s += (double)v[k];
    return s;
}

static const rl_fma_kernel k_i8 = {
    .name = "fma_avxvnni_i8",
    .source = __FILE__,
    .isa = "avx_vnni",
    .precision = "int8",
    .unit = "OP",
    .requires = RL_ISA_AVX2 | RL_ISA_FMA | RL_ISA_AVX_VNNI,
    .flops_per_iter = ACC * 8 * 8, /* 14 vpdpbusd, 8 int32 lanes, 4 mul + 4 add each */
    .insn = {{"vpdpbusd", ACC}, {NULL, 0}},
    .reg = "ymm",
    .width_bits = 256,
    .math = RL_FMA_MATH_DOT_INT8,
    .accumulators = ACC,
    .lanes = 8,
    .run = fma_avxvnni_i8,
};

const rl_fma_kernel *const rl_fma_list_avxvnni[] = {&k_i8};
const size_t rl_fma_list_avxvnni_count = sizeof rl_fma_list_avxvnni / sizeof rl_fma_list_avxvnni[0];
