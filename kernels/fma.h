/* fma.h: the compute kernels behind `roofline flops`, declared as data.
 *
 * Every kernel is a loop of independent arithmetic chains on registers, written with intrinsics in
 * a translation unit of its own ISA (kernels/<arch>/fma_<isa>.c, compiled with only its -m flags),
 * and a `static const` descriptor beside it that says what one loop iteration executes: which
 * instruction, how many times, and therefore how many FLOPs (or integer OPs). Rates are computed
 * from that declaration in one place (runner/flops.c); tests/test_fma_kernels.c disassembles the
 * built objects and checks the loop really contains the declared instructions, and compares every
 * kernel's result with a scalar reference that follows the arithmetic described here.
 *
 * The arithmetic (identical for every ISA, so one reference covers all):
 *   lane k of the accumulators starts at RL_FMA_INIT(k) = 1 + (k mod 64) / 128
 *   FMA     x = x * M + A                       fused, one rounding      (M = 1 - 2^-6, A = 2^-6)
 *   MULADD  x = x * M; x = x + A                 separate mul and add, two roundings
 *   MULADD_SQUARE  the first half of the chains square (x = x * x from 1.0: stays 1.0 exactly,
 *           with no constant register), the second half add the value of a square chain
 *           (x = x + 1.0), twice per iteration: +2 per iteration until 1.0 is below half an ulp
 *   MIX     x = x * M + M (fused), then x = x + M, in every chain (converging to 2M / (1 - M) =
 *           126), `steps` times per iteration
 *   BF16    x += a0*b0 + a1*b1 per fp32 lane     a = 2^-4, b = 2^-8 (bf16): +2^-11 per iteration
 *   INT8    x += sum of 4 u8*s8 per int32 lane   a = 1, b = (1, 1, 1, -2): +1 per iteration
 *   AMX     tile C (16 x 16 int32 or fp32 "lanes") += A (16 x K) . B (K x 16), from C = 0: int8
 *           A = B = 1, K = 64: +64 per instruction; bf16/fp16 A = 2^-4, B = 2^-8, K = 32: +2^-7
 *   FMLA    x = x + A * M, fused (AArch64's FMLA and SVE's FMLA accumulate into the destination,
 *           so x*M + A would cost a copy per step): +A*M = 2^-6 - 2^-12 per iteration, one
 *           rounding, until the addend falls below half an ulp; then the lane stays put (finite)
 *   MMLA    AArch64 BFMMLA / SMMLA on every 128-bit segment: C (2 x 2 fp32 or int32) += A (2 x 4
 *           bf16 or 2 x 8 int8) . B^T; bf16 a = 2^-4, b = 2^-8: +2^-10 per instruction; int8
 *           a = 1, b = (1 x 7, -6): +1 per instruction
 * The FMA/MULADD chains converge to A / (1 - M) = 1, so values stay near 1: never denormal, never
 * infinite, however long the run; the MIX chains likewise stay near 126. BF16 lanes grow until the
 * addend falls below half an ulp and then stay put (finite); INT8 lanes wrap modulo 2^32 as the
 * instruction defines. A kernel returns the sum, in double and in lane order, of all accumulator
 * lanes after `iters` iterations (INT8: of the int32 lanes), so its work cannot be optimized away
 * and a test can check it.
 */
#ifndef RL_FMA_H
#define RL_FMA_H

#include <stddef.h>
#include <stdint.h>

#include "common/isa.h"

#define RL_FMA_M       0.984375 /* 1 - 2^-6, exact in fp16, bf16, fp32, fp64 */
#define RL_FMA_A       0.015625 /* 2^-6 */
#define RL_FMA_INIT(k) (1.0 + (double)((k) % 64) * 0.0078125)
#define RL_FMA_BF16_A  0.0625     /* 2^-4 */
#define RL_FMA_BF16_B  0.00390625 /* 2^-8 */

typedef enum rl_fma_math {
    RL_FMA_MATH_FMA,
    RL_FMA_MATH_MULADD,
    RL_FMA_MATH_MULADD_SQUARE,
    RL_FMA_MATH_MIX,
    RL_FMA_MATH_DOT_BF16,
    RL_FMA_MATH_DOT_INT8,
    RL_FMA_MATH_AMX_INT8, /* tile dot products: see kernels/x86/fma_amx.c */
    RL_FMA_MATH_AMX_BF16,
    RL_FMA_MATH_AMX_FP16,
    RL_FMA_MATH_FMLA,      /* AArch64 FMLA accumulates into its destination: see below */
    RL_FMA_MATH_MMLA_BF16, /* AArch64 BFMMLA: see kernels/arm/fma_arm.h */
    RL_FMA_MATH_MMLA_INT8, /* AArch64 SMMLA */
    RL_FMA_MATH_MOPA,      /* AArch64 SME FMOPA: see kernels/arm/fma_sme.c */
} rl_fma_math;

/* One instruction the loop body must contain `per_iter` times. `mnemonic` may contain one '*'
 * matching any characters (vfmadd*pd matches vfmadd132pd, vfmadd213pd and vfmadd231pd). */
typedef struct rl_fma_insn {
    const char *mnemonic;
    int per_iter;
} rl_fma_insn;

typedef struct rl_fma_kernel {
    const char *name;      /* the kernel function's symbol: "fma_avx2_f64" */
    const char *source;    /* its source file (__FILE__): the object the test disassembles */
    const char *isa;       /* result name: "scalar", "sse2", "avx", "avx2-fma", "avx2-fma+add",
                              "avx512f", "avx512_fp16", "avx512_bf16", "avx512_vnni", "avx_vnni" */
    const char *precision; /* "fp64", "fp32", "fp16", "bf16", "int8" */
    const char *unit;      /* "FLOP" or "OP" (integer dot products) */
    rl_isa_mask requires;  /* every bit must be runnable (CPUID and XCR0) */
    int is_mix;            /* FMA+ADD mix: its own row, never the ISA's peak */
    double flops_per_iter; /* declared FLOPs (or OPs) of one loop iteration */
    rl_fma_insn insn[2];   /* what one iteration executes (insn[1].mnemonic may be NULL) */
    const char *reg;       /* register width of those instructions: "xmm", "ymm", "zmm", "tmm" */
    int width_bits;        /* bits of data one instruction works on: the register's (128, 256,
                              512), or one element's for scalar code (64, 32). "The widest kernel"
                              (--quick) is the one with the most, never the registry's order */
    rl_fma_math math;      /* the arithmetic above, for the scalar reference */
    int accumulators;      /* independent chains of the main instruction */
    int adders;            /* MIX only: adds per step (one per chain, after its FMA) */
    int steps;             /* MIX only: steps of every chain per loop iteration (the body
                              unrolled; 0 means 1). insn[] and flops_per_iter count them all */
    int lanes;             /* accumulator elements per register */
    /* Kernel shapes: a row (isa, precision, is_mix) may have several kernels that do the same
     * work in different shapes (chain count, dependent pairs or separate chains, instruction
     * order); runner/flops.c tries each briefly and measures the fastest. `variant` names the
     * shape (NULL: the row has one shape); `alternate` is 1 for every shape but the row's first,
     * which the plan lists (the others are only ever picked by that trial). */
    const char *variant;
    int alternate;
    double (*run)(uint64_t iters);
    /* Scalable (SVE, SME) kernels: flops_per_iter and lanes are declared at 128 bits of vector
     * length, and an iteration does flops_per_iter x (vl_bits() / 128)^vl_power, the length on
     * the calling thread (prctl's, per thread and inherited by the threads a run starts): power 1
     * for SVE's vectors (0 counts as 1), 2 for SME's outer products. NULL: fixed width. */
    unsigned (*vl_bits)(void);
    int vl_power;
} rl_fma_kernel;

/* FLOPs (or OPs) of one iteration of k on this thread: flops_per_iter, scaled by the vector length
 * for a scalable kernel. Every rate is computed from it (runner/flops.c). */
double rl_fma_flops_per_iter(const rl_fma_kernel *k);

/* The registry, one convention for both kinds of kernel (compute here, memory in kernels/stream.h):
 * each ISA file exports an array of descriptors and its length, and the registry walks them.
 * rl_fma_count is how many kernels are built into this binary (runnable here or not); the i-th is
 * rl_fma_kernel_at(i), NULL past the last. The order is fixed (by ISA file, fp64 before fp32) and
 * is the order rows are measured and reported in; it decides nothing else. */
size_t rl_fma_count(void);
const rl_fma_kernel *rl_fma_kernel_at(size_t i);

/* The requirement bits this CPU lacks (0: the kernel may run). */
rl_isa_mask rl_fma_missing(const rl_fma_kernel *k, rl_isa_mask runnable);

/* ISA names, as --isa takes them. rl_fma_isa_lookup returns the registry name `name` stands for:
 * itself when some kernel has that ISA ("avx2-fma"), the full name of a short form ("avx2" ->
 * "avx2-fma", "avx512" -> "avx512f"), or NULL when it is neither. rl_fma_isa_names writes every
 * registry name, comma-separated ("scalar, sse2, ..."), and rl_fma_isa_aliases the short forms
 * ("avx2 = avx2-fma, avx512 = avx512f"), for --help and error messages. */
const char *rl_fma_isa_lookup(const char *name);
void rl_fma_isa_names(char *out, size_t size);
void rl_fma_isa_aliases(char *out, size_t size);

/* 1 when `a` is wider than `b`: more width_bits, or as wide and fused (one FMA instruction does the
 * work of a multiply and an add) while `b` is not. */
int rl_fma_wider(const rl_fma_kernel *a, const rl_fma_kernel *b);

#endif
