/* clock_avx2.c: the clock under AVX2 FMA load (see kernels/isaclock.h): 32 vfmadd213pd on ymm
 * beside a 48-add chain, compiled with -mavx2 -mfma. 256-bit FMAs are "heavy" AVX2 in Intel's
 * licence terms (Skylake-SP and later servers drop to the AVX2 clock under them). */
#include <immintrin.h>

#include "kernels/x86/clock_x86.h"

static uint64_t clock_avx2(uint64_t iters, double *vsum)
{
    const __m256d m = _mm256_set1_pd(RL_FMA_M), a = _mm256_set1_pd(RL_FMA_A);
    double v[RL_CLOCK_ACC * 4];
    rl_fma_init_f64(v, RL_CLOCK_ACC * 4);
    __m256d x0 = _mm256_loadu_pd(v), x1 = _mm256_loadu_pd(v + 4), x2 = _mm256_loadu_pd(v + 8),
            x3 = _mm256_loadu_pd(v + 12), x4 = _mm256_loadu_pd(v + 16),
            x5 = _mm256_loadu_pd(v + 20), x6 = _mm256_loadu_pd(v + 24),
            x7 = _mm256_loadu_pd(v + 28);
    uint64_t acc = 0, one = rl_clock_one();
    RL_CLOCK_LOOP("x", RL_CLOCK_FMA_BODY("vfmadd213pd"));
    _mm256_storeu_pd(v, x0);
    _mm256_storeu_pd(v + 4, x1);
    _mm256_storeu_pd(v + 8, x2);
    _mm256_storeu_pd(v + 12, x3);
    _mm256_storeu_pd(v + 16, x4);
    _mm256_storeu_pd(v + 20, x5);
    _mm256_storeu_pd(v + 24, x6);
    _mm256_storeu_pd(v + 28, x7);
    *vsum = rl_fma_sum_f64(v, RL_CLOCK_ACC * 4);
    return acc;
}

static const rl_isaclock_kernel k = {
    .name = "clock_avx2",
    .source = __FILE__,
    .family = "avx2-fma",
    .requires = RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA,
    .adds_per_iter = RL_CLOCK_ADDS,
    .insn = {{"vfmadd*pd", 32}, {NULL, 0}},
    .reg = "ymm",
    .math = RL_FMA_MATH_FMA,
    .accumulators = RL_CLOCK_ACC,
    .lanes = 4,
    .steps = 4,
    .run = clock_avx2,
};

const rl_isaclock_kernel *const rl_isaclock_list_avx2[] = {&k};
const size_t rl_isaclock_list_avx2_count =
    sizeof rl_isaclock_list_avx2 / sizeof rl_isaclock_list_avx2[0];
