/* fma_arm.h: private to kernels/arm/fma_<isa>.c and the registry (kernels/fma.c): what the AArch64
 * compute kernels share beyond kernels/fma_int.h, and the AArch64 tables the registry lists.
 *
 * Chains: 24 independent accumulators in every kernel (of the 32 vector registers, the rest hold
 * the constants). The widest known need is A64FX's: FMLA latency 9 on two pipes, 18 in flight
 * (Fujitsu's A64FX Microarchitecture Manual); Neoverse V1/V2 need 4 x 4 = 16 (latency 4, four
 * pipes). cpufp uses 24 too. */
#ifndef RL_FMA_ARM_H
#define RL_FMA_ARM_H

#include "kernels/fma_int.h"

#define RL_ARM_CHAINS 24

/* Per-ISA tables, defined in kernels/arm/fma_<isa>.c. */
extern const rl_fma_kernel *const rl_fma_list_neon[];
extern const size_t rl_fma_list_neon_count;
extern const rl_fma_kernel *const rl_fma_list_neonfp16[];
extern const size_t rl_fma_list_neonfp16_count;
extern const rl_fma_kernel *const rl_fma_list_dotprod[];
extern const size_t rl_fma_list_dotprod_count;
extern const rl_fma_kernel *const rl_fma_list_bf16[];
extern const size_t rl_fma_list_bf16_count;
extern const rl_fma_kernel *const rl_fma_list_i8mm[];
extern const size_t rl_fma_list_i8mm_count;
extern const rl_fma_kernel *const rl_fma_list_sve[];
extern const size_t rl_fma_list_sve_count;
extern const rl_fma_kernel *const rl_fma_list_sme[];
extern const size_t rl_fma_list_sme_count;

/* The int32 start values of the integer kernels' lanes (k mod 64, as on x86), and their sum. */
static inline void rl_fma_init_i32(int32_t *v, int n)
{
    for (int k = 0; k < n; k++)
        v[k] = k % 64;
}

static inline double rl_fma_sum_i32(const int32_t *v, int n)
{
    double s = 0;
    for (int k = 0; k < n; k++)
        s += (double)v[k];
    return s;
}

#endif
