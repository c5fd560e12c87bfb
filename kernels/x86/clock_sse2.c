/* clock_sse2.c: the clock under SSE2 load (see kernels/isaclock.h): 16 mulpd + 16 addpd on xmm
 * beside a 48-add chain, compiled with -msse2 (128-bit work is "light" on every licence scheme,
 * so this clock is the scalar one wherever the hardware is honest). */
#include <emmintrin.h>

#include "kernels/x86/clock_x86.h"

static uint64_t clock_sse2(uint64_t iters, double *vsum)
{
    const __m128d m = _mm_set1_pd(RL_FMA_M), a = _mm_set1_pd(RL_FMA_A);
    double v[RL_CLOCK_ACC * 2];
    rl_fma_init_f64(v, RL_CLOCK_ACC * 2);
    __m128d x0 = _mm_loadu_pd(v), x1 = _mm_loadu_pd(v + 2), x2 = _mm_loadu_pd(v + 4),
            x3 = _mm_loadu_pd(v + 6), x4 = _mm_loadu_pd(v + 8), x5 = _mm_loadu_pd(v + 10),
            x6 = _mm_loadu_pd(v + 12), x7 = _mm_loadu_pd(v + 14);
    uint64_t acc = 0, one = rl_clock_one();
    RL_CLOCK_LOOP("x", RL_CLOCK_MULADD_BODY(RL_CLOCK_SSE_MULADD, "mulpd", "addpd"));
    _mm_storeu_pd(v, x0);
    _mm_storeu_pd(v + 2, x1);
    _mm_storeu_pd(v + 4, x2);
    _mm_storeu_pd(v + 6, x3);
    _mm_storeu_pd(v + 8, x4);
    _mm_storeu_pd(v + 10, x5);
    _mm_storeu_pd(v + 12, x6);
    _mm_storeu_pd(v + 14, x7);
    *vsum = rl_fma_sum_f64(v, RL_CLOCK_ACC * 2);
    return acc;
}

static const rl_isaclock_kernel k = {
    .name = "clock_sse2",
    .source = __FILE__,
    .family = "sse2",
    .requires = RL_ISA_SSE2,
    .adds_per_iter = RL_CLOCK_ADDS,
    .insn = {{"mulpd", 16}, {"addpd", 16}},
    .reg = "xmm",
    .math = RL_FMA_MATH_MULADD,
    .accumulators = RL_CLOCK_ACC,
    .lanes = 2,
    .steps = 2,
    .run = clock_sse2,
};

const rl_isaclock_kernel *const rl_isaclock_list_sse2[] = {&k};
const size_t rl_isaclock_list_sse2_count =
    sizeof rl_isaclock_list_sse2 / sizeof rl_isaclock_list_sse2[0];
