/* clock_avx512.c: the clock under AVX-512 load (see kernels/isaclock.h): 32 vfmadd213pd on zmm
 * beside a 48-add chain, compiled with the AVX-512 F/VL/BW/DQ flags like fma_avx512.c. On a core
 * with two 512-bit FMA units the FMAs fill a third of them, on Zen 4 or a one-FMA Xeon two thirds:
 * dense enough for the heavy-AVX-512 licence (Intel lowers the clock for any sustained stream of
 * 512-bit FP multiplies), never enough to bind the loop. */
#include <immintrin.h>

#include "kernels/x86/clock_x86.h"

static uint64_t clock_avx512(uint64_t iters, double *vsum)
{
    const __m512d m = _mm512_set1_pd(RL_FMA_M), a = _mm512_set1_pd(RL_FMA_A);
    double v[RL_CLOCK_ACC * 8];
    rl_fma_init_f64(v, RL_CLOCK_ACC * 8);
    __m512d x0 = _mm512_loadu_pd(v), x1 = _mm512_loadu_pd(v + 8), x2 = _mm512_loadu_pd(v + 16),
            x3 = _mm512_loadu_pd(v + 24), x4 = _mm512_loadu_pd(v + 32),
            x5 = _mm512_loadu_pd(v + 40), x6 = _mm512_loadu_pd(v + 48),
            x7 = _mm512_loadu_pd(v + 56);
    uint64_t acc = 0, one = rl_clock_one();
    RL_CLOCK_LOOP("v", RL_CLOCK_FMA_BODY("vfmadd213pd"));
    _mm512_storeu_pd(v, x0);
    _mm512_storeu_pd(v + 8, x1);
    _mm512_storeu_pd(v + 16, x2);
    _mm512_storeu_pd(v + 24, x3);
    _mm512_storeu_pd(v + 32, x4);
    _mm512_storeu_pd(v + 40, x5);
    _mm512_storeu_pd(v + 48, x6);
    _mm512_storeu_pd(v + 56, x7);
    *vsum = rl_fma_sum_f64(v, RL_CLOCK_ACC * 8);
    return acc;
}

static const rl_isaclock_kernel k = {
    .name = "clock_avx512",
    .source = __FILE__,
    .family = "avx512f",
    .requires = RL_ISA_AVX512F | RL_ISA_AVX512VL | RL_ISA_AVX512BW | RL_ISA_AVX512DQ,
    .adds_per_iter = RL_CLOCK_ADDS,
    .insn = {{"vfmadd*pd", 32}, {NULL, 0}},
    .reg = "zmm",
    .math = RL_FMA_MATH_FMA,
    .accumulators = RL_CLOCK_ACC,
    .lanes = 8,
    .steps = 4,
    .run = clock_avx512,
};

const rl_isaclock_kernel *const rl_isaclock_list_avx512[] = {&k};
const size_t rl_isaclock_list_avx512_count =
    sizeof rl_isaclock_list_avx512 / sizeof rl_isaclock_list_avx512[0];
