/* fma_x86.h: private to kernels/x86/fma_<isa>.c and the registry (kernels/fma.c): what the x86
 * compute kernels share beyond kernels/fma_int.h. The asm macros below use the "x" constraint (any
 * SSE/AVX register) and AT&T operand order, so they are x86's own; another architecture keeps its
 * equivalents in its own folder (kernels/arm/fma_arm.h). */
#ifndef RL_FMA_X86_H
#define RL_FMA_X86_H

#include "kernels/fma_int.h"

/* The loop body of the multiply-and-add kernels (fma_scalar.c, fma_sse2.c, fma_avx.c): one asm
 * statement with a fixed instruction order (chain by chain, each multiply followed by its add; see
 * fma_scalar.c for why the order matters). Chains x0..x13 are in-out operands, M and A inputs: 30
 * operands, the most an asm statement takes (an in-out operand counts twice). All 16 stay in
 * registers. RL_ASM_OPAQUE hides M's and A's values from the compiler first: a known constant may
 * be rematerialized from memory inside the loop when registers run short (gcc does it under
 * -fsanitize), an opaque value cannot. */
#define RL_ASM_CHAINS14                                                                            \
    [x0] "+x"(x0), [x1] "+x"(x1), [x2] "+x"(x2), [x3] "+x"(x3), [x4] "+x"(x4), [x5] "+x"(x5),      \
        [x6] "+x"(x6), [x7] "+x"(x7), [x8] "+x"(x8), [x9] "+x"(x9), [x10] "+x"(x10),               \
        [x11] "+x"(x11), [x12] "+x"(x12), [x13] "+x"(x13)
#define RL_ASM_OPAQUE(m, a)   __asm__("" : "+x"(m), "+x"(a))
#define RL_ASM_MULADD14(STEP) __asm__(RL_REP14(STEP) : RL_ASM_CHAINS14 : [m] "x"(m), [a] "x"(a))
/* Two-operand SSE form (mulsd %[m], %[x3]) and three-operand VEX form of one chain's step. */
#define RL_ASM_SSE_STEP(MUL, ADD, i) MUL " %[m], %[x" #i "]\n\t" ADD " %[a], %[x" #i "]\n\t"
#define RL_ASM_VEX_STEP(MUL, ADD, i)                                                               \
    MUL " %[m], %[x" #i "], %[x" #i "]\n\t" ADD " %[a], %[x" #i "], %[x" #i "]\n\t"

/* The other shapes of the same multiply-and-add work (rl_fma_kernel.variant):
 *   grouped14  the 14 chains' multiplies first, then their 14 adds (same chains, another order);
 *   split7+7   7 chains that only multiply (by 2, then by 0.5) beside 7 that only add (0.5
 *              twice): no multiply waits for an add, as in cpufp's kernels;
 *   split6+6   the same with 6 + 6 chains: exactly latency 3 x 2 pipes (Zen) of each, a shorter
 *              loop. On a Zen 4 guest each of the three reached 4.00 instructions per cycle in some
 *              runs and 3.5-3.8 in others, so the trial decides on the machine at hand. */
#define RL_ASM_MULADD14_GROUPED(MSTEP, ASTEP)                                                      \
    __asm__(RL_REP14(MSTEP) RL_REP14(ASTEP) : RL_ASM_CHAINS14 : [m] "x"(m), [a] "x"(a))
/* X(mul chain, add chain) for the 7 pairs of the split shape. */
#define RL_PAIRS7(X) X(0, 7) X(1, 8) X(2, 9) X(3, 10) X(4, 11) X(5, 12) X(6, 13)
#define RL_ASM_CHAINS12                                                                            \
    [x0] "+x"(x0), [x1] "+x"(x1), [x2] "+x"(x2), [x3] "+x"(x3), [x4] "+x"(x4), [x5] "+x"(x5),      \
        [x6] "+x"(x6), [x7] "+x"(x7), [x8] "+x"(x8), [x9] "+x"(x9), [x10] "+x"(x10),               \
        [x11] "+x"(x11)
#define RL_PAIRS6(X) X(0, 6) X(1, 7) X(2, 8) X(3, 9) X(4, 10) X(5, 11)
#define RL_ASM_SPLIT12(STEP2, STEPH)                                                               \
    __asm__(RL_PAIRS6(STEP2) RL_PAIRS6(STEPH) : RL_ASM_CHAINS12 : [two] "x"(two), [half] "x"(half))
#define RL_ASM_SPLIT14(STEP2, STEPH)                                                               \
    __asm__(RL_PAIRS7(STEP2) RL_PAIRS7(STEPH) : RL_ASM_CHAINS14 : [two] "x"(two), [half] "x"(half))
/* One instruction on one chain with constant operand C ("m", "a", "two", "half"). */
#define RL_ASM_SSE_OP(OP, C, i) OP " %[" C "], %[x" #i "]\n\t"
#define RL_ASM_VEX_OP(OP, C, i) OP " %[" C "], %[x" #i "], %[x" #i "]\n\t"

/* Each x86 ISA file's kernels for the registry (kernels/fma.c): an array and its length, the same
 * convention as the memory kernels' rl_stream_kernels_<isa>[] (kernels/x86/stream_x86.h). */
extern const rl_fma_kernel *const rl_fma_list_scalar[];
extern const size_t rl_fma_list_scalar_count;
extern const rl_fma_kernel *const rl_fma_list_sse2[];
extern const size_t rl_fma_list_sse2_count;
extern const rl_fma_kernel *const rl_fma_list_avx[];
extern const size_t rl_fma_list_avx_count;
extern const rl_fma_kernel *const rl_fma_list_avx2[];
extern const size_t rl_fma_list_avx2_count;
extern const rl_fma_kernel *const rl_fma_list_avx512[];
extern const size_t rl_fma_list_avx512_count;
extern const rl_fma_kernel *const rl_fma_list_avx512fp16[];
extern const size_t rl_fma_list_avx512fp16_count;
extern const rl_fma_kernel *const rl_fma_list_avx512bf16[];
extern const size_t rl_fma_list_avx512bf16_count;
extern const rl_fma_kernel *const rl_fma_list_avx512vnni[];
extern const size_t rl_fma_list_avx512vnni_count;
extern const rl_fma_kernel *const rl_fma_list_avxvnni[];
extern const size_t rl_fma_list_avxvnni_count;
extern const rl_fma_kernel *const rl_fma_list_amx[];
extern const size_t rl_fma_list_amx_count;

#endif
