/* stream_avx512.c: the memory kernels with AVX-512F: 8 doubles per register (64-byte lines, one
 * register per cache line). The body is kernels/stream_impl.h. */
#include <immintrin.h>

#include "kernels/x86/stream_x86.h"

#define RL_SUFFIX   avx512
#define RL_ISA_STR  "avx512"
#define RL_REQUIRES ((rl_isa_mask)RL_ISA_AVX512F)
#define RL_V        __m512d
#define RL_W        8
/* Plain dereferences, not the load/store intrinsics: those are UBSan-checked in sanitizer builds.
 */
#define RL_LOAD(p)      (*(const __m512d *)(p))
#define RL_STORE(p, v)  (*(__m512d *)(p) = (v))
#define RL_STREAM(p, v) _mm512_stream_pd(p, v)
#define RL_SET1(x)      _mm512_set1_pd(x)
#define RL_ZERO()       _mm512_setzero_pd()
#define RL_ADD(a, b)    _mm512_add_pd(a, b)
#define RL_MUL(a, b)    _mm512_mul_pd(a, b)
#define RL_FMA(a, b, c) _mm512_fmadd_pd(a, b, c)
#define RL_FMA_OPS      1
#define RL_FMA_ADDS     0
#define RL_FMA_MULS     0

__attribute__((no_sanitize("address", "undefined"))) static inline double rl_hsum_avx512(__m512d v)
{
    double t[8];
    _mm512_storeu_pd(t, v);
    return ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
}
#define RL_HSUM(v) rl_hsum_avx512(v)

#include "kernels/stream_impl.h"
