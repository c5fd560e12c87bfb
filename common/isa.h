/* isa.h: instruction-set feature bits, shared by the probes (which detect them) and the kernels
 * (which declare what they need). A feature is "runnable" only when the CPU reports it and the OS
 * saves the register state it needs (on x86: CPUID and XCR0): probes/cpu decides that, kernels
 * only name their requirements. */
#ifndef RL_ISA_H
#define RL_ISA_H

#include <stdint.h>

/* A set of features, one bit each. Every bit belongs to one architecture, so a mask means the same
 * in every build: a CPU only ever sets its own architecture's bits, and a kernel only requires
 * bits of the architecture it is built for. Only names leave the process (rl_isa_name, in results
 * and on the command line), never bit numbers; still, bits are never renumbered, only appended. */
typedef uint64_t rl_isa_mask;

/* x86 (bits 0-16), decided by probes/cpu_x86.c from CPUID and XCR0 (AMX: and the Linux
 * permission to use the tile data state, arch_prctl(ARCH_REQ_XCOMP_PERM)). */
enum rl_isa_x86 {
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
    RL_ISA_AMX_TILE = 1u << 13,
    RL_ISA_AMX_INT8 = 1u << 14,
    RL_ISA_AMX_BF16 = 1u << 15,
    RL_ISA_AMX_FP16 = 1u << 16,
};

/* AArch64 (bits 17-27), decided by probes/cpu_arm.c from the kernel's HWCAP and HWCAP2 words
 * (getauxval), or from a saved /proc/cpuinfo's Features line (its names are the kernel's for the
 * same bits). The kernel sets a bit only when it enables the state (SVE and SME registers are
 * saved per task), so a reported feature is a runnable one. */
enum rl_isa_arm {
    RL_ISA_NEON = 1u << 17,     /* asimd (HWCAP_ASIMD): 128-bit FMLA on fp64/fp32 */
    RL_ISA_ASIMDHP = 1u << 18,  /* asimdhp (HWCAP_ASIMDHP): fp16 arithmetic in NEON */
    RL_ISA_ASIMDDP = 1u << 19,  /* asimddp (HWCAP_ASIMDDP): SDOT/UDOT int8 */
    RL_ISA_SVE = 1u << 20,      /* sve (HWCAP_SVE) */
    RL_ISA_SVE2 = 1u << 21,     /* sve2 (HWCAP2_SVE2) */
    RL_ISA_BF16 = 1u << 22,     /* bf16 (HWCAP2_BF16): NEON BFDOT, BFMMLA */
    RL_ISA_I8MM = 1u << 23,     /* i8mm (HWCAP2_I8MM): NEON SMMLA, UMMLA */
    RL_ISA_SME = 1u << 24,      /* sme (HWCAP2_SME): streaming mode, ZA tile, FMOPA */
    RL_ISA_SME2 = 1u << 25,     /* sme2 (HWCAP2_SME2) */
    RL_ISA_SVE_BF16 = 1u << 26, /* svebf16 (HWCAP2_SVEBF16) */
    RL_ISA_SVE_I8MM = 1u << 27, /* svei8mm (HWCAP2_SVEI8MM) */
};

/* Another architecture's features take the bits after the last AArch64 one, with their names
 * appended to common/isa.c's table. */
enum {
    RL_ISA_COUNT_ = 28 /* bits in use, every architecture's: 0 .. RL_ISA_COUNT_ - 1 */
};

/* Lower-case names ("sse2", "avx512f", "avx512_fp16", ...); NULL for an unknown single bit. */
const char *rl_isa_name(rl_isa_mask bit);

/* Parses a name as printed by rl_isa_name; returns 0 when unknown. */
rl_isa_mask rl_isa_from_name(const char *name);

/* Writes the space-separated names of every bit in `mask` into out. */
void rl_isa_format(rl_isa_mask mask, char *out, unsigned long size);

#endif
