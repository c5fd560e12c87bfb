/* stream_avx2.c: the memory kernels with AVX2 and FMA: 4 doubles per register. The body is
 * kernels/stream_impl.h. */
#include <immintrin.h>

#include "kernels/x86/stream_x86.h"

#define RL_SUFFIX   avx2
#define RL_ISA_STR  "avx2"
#define RL_REQUIRES ((rl_isa_mask)(RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA))
#define RL_V        __m256d
#define RL_W        4
/* Plain dereferences, not the load/store intrinsics: those are UBSan-checked in sanitizer builds.
 */
#define RL_LOAD(p)      (*(const __m256d *)(p))
#define RL_STORE(p, v)  (*(__m256d *)(p) = (v))
#define RL_STREAM(p, v) _mm256_stream_pd(p, v)
#define RL_SET1(x)      _mm256_set1_pd(x)
#define RL_ZERO()       _mm256_setzero_pd()
#define RL_ADD(a, b)    _mm256_add_pd(a, b)
#define RL_MUL(a, b)    _mm256_mul_pd(a, b)
#define RL_FMA(a, b, c) _mm256_fmadd_pd(a, b, c)
#define RL_FMA_OPS      1
#define RL_FMA_ADDS     0
#define RL_FMA_MULS     0

__attribute__((no_sanitize("address", "undefined"))) static inline double rl_hsum_avx2(__m256d v)
{
    double t[4];
    _mm256_storeu_pd(t, v);
    return (t[0] + t[1]) + (t[2] + t[3]);
}
#define RL_HSUM(v) rl_hsum_avx2(v)

#include "kernels/stream_impl.h"
