/* fma_sme.c: SME outer products in streaming mode (FMOPA ZAd.S, Pn/M, Pm/M, Zn.S, Zm.S): each
 * instruction adds the outer product of two streaming vectors of fp32 to one ZA tile, (SVL/32)^2
 * multiply-adds. GCC 12 has no SME intrinsics and no +sme, so the whole kernel is one asm
 * statement with the assembler's `.arch_extension sme` (binutils 2.40): SMSTART, ZERO {ZA}, the
 * loop of FMOPA into the four fp32 tiles ZA0-ZA3 (independent accumulators) twice per iteration,
 * then the first row of each tile read back (MOVA) and stored, and SMSTOP. Entering and leaving
 * streaming mode zeroes the vector registers, so the asm clobbers all of them (the compiler saves
 * the callee-saved d8-d15 around it).
 *
 * Arithmetic (kernels/fma.h does not cover it: tests/test_fma_aarch64.c has its reference): every
 * tile element starts at 0 and gains a * b = 2^-6 per instruction (a = b = 0.125, FMOV
 * immediates), exact while below 2^18. The kernel returns the sum of row 0 of the four tiles:
 * 4 x SVL/32 x 2 x iters x 2^-6. The FLOPs follow the streaming vector length squared
 * (rl_fma_kernel.vl_power = 2), declared at SVL = 128 bits: 8 FMOPA x 4 x 4 elements x 2. */
#include "kernels/arm/fma_arm.h"

#define TILES 4
#define STEPS 2 /* FMOPA per tile per iteration */

static unsigned sme_svl_bits(void)
{
    uint64_t svl;
    __asm__(".arch_extension sme\n\trdsvl %0, #1" : "=r"(svl));
    return (unsigned)svl * 8;
}

#define RL_FMOPA4                                                                                  \
    "fmopa za0.s, p0/m, p0/m, z0.s, z1.s\n\t"                                                      \
    "fmopa za1.s, p0/m, p0/m, z0.s, z1.s\n\t"                                                      \
    "fmopa za2.s, p0/m, p0/m, z0.s, z1.s\n\t"                                                      \
    "fmopa za3.s, p0/m, p0/m, z0.s, z1.s\n\t"

static double fma_sme_f32(uint64_t iters)
{
    float out[TILES * 64]; /* a row of each tile: up to 64 fp32 at SVL 2048 */
    __asm__ volatile(".arch_extension sme\n\t"
                     "smstart\n\t"
                     "ptrue p0.s\n\t"
                     "fmov z0.s, #0.125\n\t"
                     "fmov z1.s, #0.125\n\t"
                     "zero {za}\n\t"
                     "cbz %[n], 2f\n"
                     "1:\n\t" RL_FMOPA4 RL_FMOPA4 "subs %[n], %[n], #1\n\t"
                     "b.ne 1b\n"
                     "2:\n\t"
                     "mov w12, #0\n\t"
                     "mova z2.s, p0/m, za0h.s[w12, 0]\n\t"
                     "mova z3.s, p0/m, za1h.s[w12, 0]\n\t"
                     "mova z4.s, p0/m, za2h.s[w12, 0]\n\t"
                     "mova z5.s, p0/m, za3h.s[w12, 0]\n\t"
                     "st1w {z2.s}, p0, [%[o]]\n\t"
                     "st1w {z3.s}, p0, [%[o], #1, mul vl]\n\t"
                     "st1w {z4.s}, p0, [%[o], #2, mul vl]\n\t"
                     "st1w {z5.s}, p0, [%[o], #3, mul vl]\n\t"
                     "smstop"
                     : [n] "+r"(iters)
                     : [o] "r"(out)
                     : "memory", "cc", "x12", "p0", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7",
                       "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18",
                       "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29",
                       "v30", "v31");
    int lanes = (int)(sme_svl_bits() / 32);
    double s = 0;
    for (int i = 0; i < TILES * lanes; i++)
        s += (double)out[i];
    return s;
}

static const rl_fma_kernel k_f32 = {
    .name = "fma_sme_f32",
    .source = __FILE__,
    .isa = "sme",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_SME,
    .flops_per_iter = TILES * STEPS * 4 * 4 * 2, /* at SVL 128: 4 x 4 elements per tile */
    .insn = {{"fmopa", TILES *STEPS}, {NULL, 0}},
    .reg = ".s",
    .width_bits = 128,
    .math = RL_FMA_MATH_MOPA,
    .accumulators = TILES,
    .lanes = 4,
    .steps = STEPS,
    .run = fma_sme_f32,
    .vl_bits = sme_svl_bits,
    .vl_power = 2,
};

const rl_fma_kernel *const rl_fma_list_sme[] = {&k_f32};
const size_t rl_fma_list_sme_count = sizeof rl_fma_list_sme / sizeof rl_fma_list_sme[0];
