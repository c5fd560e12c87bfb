/* clock_x86.h: private to kernels/x86/clock_<isa>.c and the registry (kernels/isaclock.c): the loop
 * every clock-under-load kernel shares, and each file's list of kernels.
 *
 * One iteration is 16 groups, each one or two vector instructions on accumulator i mod 8 followed
 * by 3 dependent `add %[one], %[acc]`: 48 adds, so 48 cycles, and 32 (FMA families) or 16 + 16
 * (mul/add families) vector instructions. The whole loop is one asm statement, so neither the
 * order nor the count is the compiler's. `one` comes from the caller at run time, so the chain
 * cannot be folded into a multiply, and it is a register, never an immediate (recent Intel
 * renamers can eliminate add-immediate chains). */
#ifndef RL_CLOCK_X86_H
#define RL_CLOCK_X86_H

#include "kernels/fma_int.h"
#include "kernels/isaclock.h"

#define RL_CLOCK_ADDS 48 /* 16 groups x 3 */
#define RL_CLOCK_ACC  8

#define RL_CLOCK_ADD3 "add %[one], %[acc]\n\tadd %[one], %[acc]\n\tadd %[one], %[acc]\n\t"
/* Two FMAs (x = x*M + A: vfmadd213 with M the multiplier, A the addend) on accumulators i and j. */
#define RL_CLOCK_FMA2(FMA, i, j)                                                                   \
    FMA " %[a], %[m], %[x" #i "]\n\t" FMA " %[a], %[m], %[x" #j "]\n\t" RL_CLOCK_ADD3
/* A multiply and its add on accumulator i, VEX three-operand or SSE two-operand form. */
#define RL_CLOCK_VEX_MULADD(MUL, ADD, i)                                                           \
    MUL " %[m], %[x" #i "], %[x" #i "]\n\t" ADD " %[a], %[x" #i "], %[x" #i "]\n\t" RL_CLOCK_ADD3
#define RL_CLOCK_SSE_MULADD(MUL, ADD, i)                                                           \
    MUL " %[m], %[x" #i "]\n\t" ADD " %[a], %[x" #i "]\n\t" RL_CLOCK_ADD3

/* 16 groups: FMA families pair accumulators (0,1) ... (6,7) twice, so each accumulator takes 4
 * FMAs an iteration; mul/add families visit 0..7 twice, 2 multiply-add steps each. (Left as
 * written: clang-format does not settle on one layout for a long run of macro calls.) */
/* clang-format off */
#define RL_CLOCK_FMA8(FMA)                                                                         \
    RL_CLOCK_FMA2(FMA, 0, 1) RL_CLOCK_FMA2(FMA, 2, 3)                                              \
    RL_CLOCK_FMA2(FMA, 4, 5) RL_CLOCK_FMA2(FMA, 6, 7)
#define RL_CLOCK_FMA_BODY(FMA)                                                                     \
    RL_CLOCK_FMA8(FMA) RL_CLOCK_FMA8(FMA) RL_CLOCK_FMA8(FMA) RL_CLOCK_FMA8(FMA)
#define RL_CLOCK_MULADD8(STEP, MUL, ADD)                                                           \
    STEP(MUL, ADD, 0) STEP(MUL, ADD, 1) STEP(MUL, ADD, 2) STEP(MUL, ADD, 3)                        \
    STEP(MUL, ADD, 4) STEP(MUL, ADD, 5) STEP(MUL, ADD, 6) STEP(MUL, ADD, 7)
#define RL_CLOCK_MULADD_BODY(STEP, MUL, ADD)                                                       \
    RL_CLOCK_MULADD8(STEP, MUL, ADD) RL_CLOCK_MULADD8(STEP, MUL, ADD)
#define RL_CLOCK_ADD48                                                                             \
    RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3            \
    RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3            \
    RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3 RL_CLOCK_ADD3
/* clang-format on */

/* The loop around a body, for accumulators x0..x7 held in registers of constraint C ("x" for
 * xmm/ymm, "v" for zmm, which may use zmm16-31). Skipped when iters is 0 (dec/jnz would wrap). */
#define RL_CLOCK_LOOP(C, BODY)                                                                     \
    if (iters > 0)                                                                                 \
    __asm__ volatile(                                                                              \
        ".p2align 5\n"                                                                             \
        "1:\n\t" BODY "dec %[n]\n\t"                                                               \
        "jnz 1b\n"                                                                                 \
        : [x0] "+" C(x0), [x1] "+" C(x1), [x2] "+" C(x2), [x3] "+" C(x3), [x4] "+" C(x4),          \
          [x5] "+" C(x5), [x6] "+" C(x6), [x7] "+" C(x7), [acc] "+r"(acc), [n] "+r"(iters)         \
        : [m] C(m), [a] C(a), [one] "r"(one)                                                       \
        : "cc")

/* `one` from memory the compiler cannot see through. */
static inline uint64_t rl_clock_one(void)
{
    volatile uint64_t one = 1;
    return one;
}

extern const rl_isaclock_kernel *const rl_isaclock_list_scalar[];
extern const size_t rl_isaclock_list_scalar_count;
extern const rl_isaclock_kernel *const rl_isaclock_list_sse2[];
extern const size_t rl_isaclock_list_sse2_count;
extern const rl_isaclock_kernel *const rl_isaclock_list_avx[];
extern const size_t rl_isaclock_list_avx_count;
extern const rl_isaclock_kernel *const rl_isaclock_list_avx2[];
extern const size_t rl_isaclock_list_avx2_count;
extern const rl_isaclock_kernel *const rl_isaclock_list_avx512[];
extern const size_t rl_isaclock_list_avx512_count;

#endif
