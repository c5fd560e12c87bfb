/* stream_neon.c: the memory kernels with 128-bit NEON registers, 2 doubles each, for every
 * AArch64 core (plain Armv8-A). The body is kernels/stream_impl.h.
 *
 * Non-temporal stores: AArch64 has only the pair form, STNP, which stores two registers; the
 * body stores one 128-bit register at a time, so each is stored as its two 64-bit halves
 * (STNP Dt1, Dt2: the low half as is, the high half moved down by one DUP). The DUP runs on a
 * vector pipe, which these DRAM-bound kernels leave idle. */
#include <arm_neon.h>

#include "kernels/arm/stream_arm.h"

#define RL_SUFFIX      neon
#define RL_ISA_STR     "neon"
#define RL_REQUIRES    ((rl_isa_mask)RL_ISA_NEON)
#define RL_V           float64x2_t
#define RL_W           2
#define RL_LOAD(p)     (*(const float64x2_t *)(p))
#define RL_STORE(p, v) (*(float64x2_t *)(p) = (v))
#define RL_STREAM(p, v)                                                                            \
    __asm__ volatile("stnp %d[lo], %d[hi], [%[dst]]"                                               \
                     :                                                                             \
                     : [lo] "w"(v), [hi] "w"(vdupq_laneq_f64(v, 1)), [dst] "r"(p)                  \
                     : "memory")
#define RL_SET1(x)      vdupq_n_f64(x)
#define RL_ZERO()       vdupq_n_f64(0.0)
#define RL_ADD(a, b)    vaddq_f64(a, b)
#define RL_MUL(a, b)    vmulq_f64(a, b)
#define RL_FMA(a, b, c) vfmaq_f64(c, a, b)
#define RL_FMA_OPS      1
#define RL_FMA_ADDS     0
#define RL_FMA_MULS     0
#define RL_HSUM(v)      vaddvq_f64(v)

#include "kernels/stream_impl.h"
