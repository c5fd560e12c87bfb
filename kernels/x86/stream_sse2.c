/* stream_sse2.c: the memory kernels with SSE2 (every x86-64 CPU): 2 doubles per register, no FMA
 * (the triads multiply, then add). The body is kernels/stream_impl.h. */
#include <emmintrin.h>

#include "kernels/x86/stream_x86.h"

#define RL_SUFFIX   sse2
#define RL_ISA_STR  "sse2"
#define RL_REQUIRES ((rl_isa_mask)RL_ISA_SSE2)
#define RL_V        __m128d
#define RL_W        2
/* Plain dereferences, not the load/store intrinsics: those are UBSan-checked in sanitizer builds.
 */
#define RL_LOAD(p)      (*(const __m128d *)(p))
#define RL_STORE(p, v)  (*(__m128d *)(p) = (v))
#define RL_STREAM(p, v) _mm_stream_pd(p, v)
#define RL_SET1(x)      _mm_set1_pd(x)
#define RL_ZERO()       _mm_setzero_pd()
#define RL_ADD(a, b)    _mm_add_pd(a, b)
#define RL_MUL(a, b)    _mm_mul_pd(a, b)
#define RL_FMA(a, b, c) _mm_add_pd(_mm_mul_pd(a, b), c)
#define RL_FMA_OPS      0
#define RL_FMA_ADDS     1
#define RL_FMA_MULS     1

__attribute__((no_sanitize("address", "undefined"))) static inline double rl_hsum_sse2(__m128d v)
{
    double t[2];
    _mm_storeu_pd(t, v);
    return t[0] + t[1];
}
#define RL_HSUM(v) rl_hsum_sse2(v)

#include "kernels/stream_impl.h"
