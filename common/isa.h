/* isa.h: instruction-set feature bits, shared by the probes (which detect them) and the kernels
 * (which declare what they need). A feature is "runnable" only when CPUID reports it and the OS
 * saves the register state it needs (XCR0): probes/cpu decides that, kernels only name their
 * requirements. */
#ifndef RL_ISA_H
#define RL_ISA_H

#include <stdint.h>

typedef uint64_t rl_isa_mask;

enum {
    RL_ISA_SSE2 = 1u << 0,
    RL_ISA_AVX = 1u << 1,
    RL_ISA_AVX2 = 1u << 2,
    RL_ISA_FMA = 1u << 3, /* FMA3 */
    RL_ISA_AVX512F = 1u << 4,
    RL_ISA_AVX512VL = 1u << 5,
    RL_ISA_AVX512BW = 1u << 6,
    RL_ISA_AVX512DQ = 1u << 7,
    RL_ISA_AVX512_FP16 = 1u << 8,
    RL_ISA_AVX512_BF16 = 1u << 9,
    RL_ISA_AVX512_VNNI = 1u << 10,
    RL_ISA_AVX_VNNI = 1u << 11,
    RL_ISA_F16C = 1u << 12,
    RL_ISA_COUNT_ = 13
};

/* Lower-case names ("sse2", "avx512f", "avx512_fp16", ...); NULL for an unknown single bit. */
const char *rl_isa_name(rl_isa_mask bit);

/* Parses a name as printed by rl_isa_name; returns 0 when unknown. */
rl_isa_mask rl_isa_from_name(const char *name);

/* Writes the space-separated names of every bit in `mask` into out. */
void rl_isa_format(rl_isa_mask mask, char *out, unsigned long size);

#endif
