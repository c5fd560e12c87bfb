/* clock_avx.c: the clock under AVX load (see kernels/isaclock.h): 16 vmulpd + 16 vaddpd on ymm
 * beside a 48-add chain, compiled with -mavx (Sandy Bridge has no FMA; 256-bit multiplies count as
 * heavy AVX on the cores that have licence levels). */
#include <immintrin.h>

#include "kernels/x86/clock_x86.h"

static uint64_t clock_avx(uint64_t iters, double *vsum)
{
    const __m256d m = _mm256_set1_pd(RL_FMA_M), a = _mm256_set1_pd(RL_FMA_A);
    double v[RL_CLOCK_ACC * 4];
    rl_fma_init_f64(v, RL_CLOCK_ACC * 4);
    __m256d x0 = _mm256_loadu_pd(v), x1 = _mm256_loadu_pd(v + 4), x2 = _mm256_loadu_pd(v + 8),
            x3 = _mm256_loadu_pd(v + 12), x4 = _mm256_loadu_pd(v + 16),
            x5 = _mm256_loadu_pd(v + 20), x6 = _mm256_loadu_pd(v + 24),
            x7 = _mm256_loadu_pd(v + 28);
    uint64_t acc = 0, one = rl_clock_one();
    RL_CLOCK_LOOP("x", RL_CLOCK_MULADD_BODY(RL_CLOCK_VEX_MULADD, "vmulpd", "vaddpd"));
    _mm256_storeu_pd(v, x0);
    _mm256_storeu_pd(v + 4, x1);
    _mm256_storeu_pd(v + 8, x2);
    _mm256_storeu_pd(v + 12, x3);
    _mm256_storeu_pd(v + 16, x4);
    _mm256_storeu_pd(v + 20, x5);
    _mm256_storeu_pd(v + 24, x6);
    _mm256_storeu_pd(v + 28, x7);
    _mm256_zeroupper();
    *vsum = rl_fma_sum_f64(v, RL_CLOCK_ACC * 4);
    return acc;
}

static const rl_isaclock_kernel k = {
    .name = "clock_avx",
    .source = __FILE__,
    .family = "avx",
    .requires = RL_ISA_AVX,
    .adds_per_iter = RL_CLOCK_ADDS,
    .insn = {{"vmulpd", 16}, {"vaddpd", 16}},
    .reg = "ymm",
    .math = RL_FMA_MATH_MULADD,
    .accumulators = RL_CLOCK_ACC,
    .lanes = 4,
    .steps = 2,
    .run = clock_avx,
};

const rl_isaclock_kernel *const rl_isaclock_list_avx[] = {&k};
const size_t rl_isaclock_list_avx_count =
    sizeof rl_isaclock_list_avx / sizeof rl_isaclock_list_avx[0];
