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
