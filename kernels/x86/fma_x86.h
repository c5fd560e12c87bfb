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
 *   grouped14     the 14 chains' multiplies first, then their 14 adds (same chains, another order);
 *   square8+add8  8 multiply-only beside 8 add-only chains with no constant register (below).
 * The trial picks one on the machine at hand. Dropped: split7+7 and split6+6, 7 + 7 or 6 + 6
 * chains that only multiply (x2, x0.5) beside chains that only add (+0.5), two constants in
 * registers. On a Zen 4 guest they reached cpufp's figure in 2-10 ms calls and settled 3-6% lower
 * in the 40 ms calls of a full repeat (6 chains are exactly latency 3 x 2 pipes: no slack), so a
 * short trial could pick them for a long measurement that then fell short; square8+add8 has the
 * same structure with 8 + 8 chains and held the figure in long calls. */
#define RL_ASM_MULADD14_GROUPED(MSTEP, ASTEP)                                                      \
    __asm__(RL_REP14(MSTEP) RL_REP14(ASTEP) : RL_ASM_CHAINS14 : [m] "x"(m), [a] "x"(a))
/* One instruction on one chain with constant operand C ("m", "a"). */
#define RL_ASM_SSE_OP(OP, C, i) OP " %[" C "], %[x" #i "]\n\t"
#define RL_ASM_VEX_OP(OP, C, i) OP " %[" C "], %[x" #i "], %[x" #i "]\n\t"

/* The square8+add8 shape (RL_FMA_MATH_MULADD_SQUARE, every multiply-and-add row): 8 chains
 * x = x * x (from 1.0: exact, and no register holds a constant) beside 8 chains y = y + x that add
 * a square chain's 1.0, two steps of each per iteration. With all 16 registers in chains, each kind
 * has 8: 4 per pipe against a 3-cycle latency (Zen's two MUL and two ADD pipes), a cycle of slack
 * where the dropped split6+6 had none. In 40 ms calls on a Zen 4 guest (2026-11-27,
 * avx fp64) it held 58.6 GFLOP/s where split7+7 held 55.0, split6+6 55.1 and cpufp's 8+8 on
 * zeros 56.4: the slack is what keeps a long call at full rate. Each add comes before its square in
 * the body, so it takes the previous iteration's 1.0 and never waits for a multiply. 16 in-out
 * chains would be 32 asm operands, over gcc's 30, so the whole loop is one asm statement on fixed
 * registers, as the FMA+ADD mix's (fma_avx2.c); the kernel names its accumulator array `v` and its
 * count `iters`. LOAD(i) and STORE(i) move register i, STEP(i, j) is one pair's step. */
#define RL_SQ_PAIRS8(X) X(0, 8) X(1, 9) X(2, 10) X(3, 11) X(4, 12) X(5, 13) X(6, 14) X(7, 15)
#define RL_ASM_SQUARE_LOOP(LOAD, STEP, STORE, TAIL)                                                \
    __asm__ volatile(RL_REP16(LOAD) "test %[n], %[n]\n\t"                                          \
                                    "jz 2f\n\t"                                                    \
                                    ".p2align 5\n"                                                 \
                                    "1:\n\t" RL_SQ_PAIRS8(STEP)                                    \
                                        RL_SQ_PAIRS8(STEP) "dec %[n]\n\t"                          \
                                                           "jnz 1b\n"                              \
                                                           "2:\n\t" RL_REP16(STORE) TAIL           \
                     : [n] "+r"(iters)                                                             \
                     : [v] "r"(v)                                                                  \
                     : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",     \
                       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",        \
                       "xmm15")
/* Register i of kind REG ("xmm", "ymm", "zmm") from and to v + i * SIZE bytes. */
#define RL_ASM_FIXED_LOAD(MOV, REG, SIZE, i)  MOV " " #i "*" #SIZE "(%[v]), %%" REG #i "\n\t"
#define RL_ASM_FIXED_STORE(MOV, REG, SIZE, i) MOV " %%" REG #i ", " #i "*" #SIZE "(%[v])\n\t"
#define RL_ASM_SQ_SSE_STEP(MUL, ADD, i, j)                                                         \
    ADD " %%xmm" #i ", %%xmm" #j "\n\t" MUL " %%xmm" #i ", %%xmm" #i "\n\t"
#define RL_ASM_SQ_VEX_STEP(MUL, ADD, i, j)                                                         \
    ADD " %%ymm" #i ", %%ymm" #j ", %%ymm" #j "\n\t" MUL " %%ymm" #i ", %%ymm" #i ", %%ymm" #i     \
        "\n\t"
#define RL_SQUARE 16 /* chains of the square8+add8 shape */

/* Its accumulators: the square chains' n/2 lanes at 1.0, the add chains' at RL_FMA_INIT. */
static inline void rl_fma_init_square_f64(double *v, int n)
{
    rl_fma_init_f64(v, n);
    for (int k = 0; k < n / 2; k++)
        v[k] = 1.0;
}

static inline void rl_fma_init_square_f32(float *v, int n)
{
    rl_fma_init_f32(v, n);
    for (int k = 0; k < n / 2; k++)
        v[k] = 1.0f;
}

/* The FMA+ADD mix (fma_avx2.c, fma_avx512.c): 15 chains, each x = x*M + M (vfmadd213, x in
 * place) then x = x + M (vaddpd/vaddps), in that order chain by chain; M in register 15 of kind
 * REG (the avx512 mix: 30 chains, M in zmm31, see fma_avx512.c). The whole loop is one asm
 * statement with the chains in fixed registers: 15 in-out operands and M would be 31 asm operands,
 * one more than gcc takes, and the order must not be left to the compiler (with the adds grouped
 * after all the FMAs the probe ran 15 chains at 8.4 cycles per iteration instead of 7.9). The body
 * is the 15 steps twice (RL_MIX_STEPS): on a Zen 4 guest (2026-11-27, ymm, 40 ms calls, best of 7)
 * the single body ran at 93-96% of 2 FMA + 2 ADD per cycle, moving with the loop's alignment
 * (89-99% over 8 placements), and the doubled one at 98-99.8%; three copies ran at 87%, four at
 * 93-97%. The kernel names its accumulator array `v`, its count `iters` and M's value `mval`. */
#define RL_MIX       15
#define RL_MIX_STEPS 2
/* One step of chain i (register REG i) with M in register MREG ("ymm15", "zmm31"). */
#define RL_ASM_MIX_STEP(FMA, ADD, REG, MREG, i)                                                    \
    FMA " %%" MREG ", %%" MREG ", %%" REG #i "\n\t" ADD " %%" MREG ", %%" REG #i ", %%" REG #i     \
        "\n\t"
#define RL_ONCE(CHAINS, STEP)  CHAINS(STEP)
#define RL_TWICE(CHAINS, STEP) CHAINS(STEP) CHAINS(STEP)
/* CHAINS(X) lists the chains (RL_REP15, RL_REP30), BODY(CHAINS, STEP) how often the loop holds
 * them (RL_ONCE, RL_TWICE); the clobbers follow (the registers CHAINS and MREG use). */
#define RL_ASM_MIX_LOOP(BCAST, MREG, CHAINS, BODY, LOAD, STEP, STORE, ...)                         \
    __asm__ volatile(BCAST " %[m], %%" MREG "\n\t" CHAINS(                                         \
                         LOAD) "test %[n], %[n]\n\t"                                               \
                               "jz 2f\n\t"                                                         \
                               ".p2align 5\n"                                                      \
                               "1:\n\t" BODY(CHAINS, STEP) "dec %[n]\n\t"                          \
                                                           "jnz 1b\n"                              \
                                                           "2:\n\t" CHAINS(STORE) "vzeroupper"     \
                     : [n] "+r"(iters)                                                             \
                     : [v] "r"(v), [m] "m"(mval)                                                   \
                     : "memory", "cc", __VA_ARGS__)
#define RL_ASM_CLOBBER16                                                                           \
    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",       \
        "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

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
