/* fma_amx.c: Intel AMX tile dot products (Sapphire Rapids, Emerald Rapids, Granite Rapids):
 * TDPBSSD (int8 -> int32), TDPBF16PS (bf16 -> fp32) and, on Granite Rapids, TDPFP16PS (fp16 ->
 * fp32). Built with the AMX -m flags but written in asm: the tile registers are named by the
 * instruction, never allocated by the compiler, so the loop is exactly what the descriptor says.
 *
 * Tile configuration (LDTILECFG, palette 1): all eight tiles 16 rows x 64 bytes. tmm0-3 are four
 * independent accumulators C (16 x 16 int32 or fp32), tmm4-5 two A tiles, tmm6-7 two B tiles, and
 * one iteration is C0 += A4.B6, C1 += A4.B7, C2 += A5.B6, C3 += A5.B7: each C is written once an
 * iteration, four tile products apart. Intel's optimization manual (chapter "Intel AMX") gives a
 * TDP* throughput of one per 16 cycles per core and a latency of about 52 cycles, so four chains
 * (64 cycles apart) keep the unit busy. One instruction is 16 x 16 x K multiply-adds: K = 64 int8
 * (32768 OPs) or K = 32 bf16/fp16 pairs (16384 FLOPs): 2048 int8 OPs or 1024 FLOPs per cycle.
 *
 * Before any tile instruction, Linux must have granted the process the tile data state
 * (probes/cpu_x86.c asks, and only then counts AMX as runnable); the kernels end with TILERELEASE
 * so the state goes back to its init value between runs.
 *
 * TDPFP16PS is emitted as bytes (VEX.128.F2.0F38.W0 5C /r): GCC 12 has no -mamx-fp16 and older
 * assemblers no mnemonic for it; objdump from binutils 2.40 on decodes it, which is what the
 * disassembly test reads. */
#include <stdint.h>
#include <string.h>

#include "kernels/x86/fma_x86.h"

#define AMX_ACC  4   /* accumulator tiles */
#define AMX_LANE 256 /* 16 x 16 elements per accumulator tile */

/* LDTILECFG's 64-byte operand. */
typedef struct tilecfg {
    uint8_t palette, start_row;
    uint8_t reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} tilecfg;

/* The loop of one TDP* form (STEP(dst, a, b) writes one instruction), between the tile setup and
 * the stores of the four accumulators. */
#define AMX_LOOP(STEP)                                                                             \
    __asm__ volatile("ldtilecfg (%[cfg])\n\t"                                                      \
                     "tileloadd (%[c], %[stride], 1), %%tmm0\n\t"                                  \
                     "tileloadd (%[c], %[stride], 1), %%tmm1\n\t"                                  \
                     "tileloadd (%[c], %[stride], 1), %%tmm2\n\t"                                  \
                     "tileloadd (%[c], %[stride], 1), %%tmm3\n\t"                                  \
                     "tileloadd (%[a], %[stride], 1), %%tmm4\n\t"                                  \
                     "tileloadd (%[a], %[stride], 1), %%tmm5\n\t"                                  \
                     "tileloadd (%[b], %[stride], 1), %%tmm6\n\t"                                  \
                     "tileloadd (%[b], %[stride], 1), %%tmm7\n\t"                                  \
                     "test %[n], %[n]\n\t"                                                         \
                     "jz 2f\n\t"                                                                   \
                     ".p2align 5\n"                                                                \
                     "1:\n\t" STEP(0, 4, 6) STEP(1, 4, 7) STEP(2, 5, 6)                            \
                         STEP(3, 5, 7) "dec %[n]\n\t"                                              \
                                       "jnz 1b\n"                                                  \
                                       "2:\n\t"                                                    \
                                       "tilestored %%tmm0, (%[out], %[stride], 1)\n\t"             \
                                       "tilestored %%tmm1, 1024(%[out], %[stride], 1)\n\t"         \
                                       "tilestored %%tmm2, 2048(%[out], %[stride], 1)\n\t"         \
                                       "tilestored %%tmm3, 3072(%[out], %[stride], 1)\n\t"         \
                                       "tilerelease"                                               \
                     : [n] "+r"(iters)                                                             \
                     : [cfg] "r"(&cfg), [a] "r"(a), [b] "r"(b), [c] "r"(zero), [out] "r"(out),     \
                       [stride] "r"((uint64_t)64)                                                  \
                     : "memory", "cc")

#define TDPBSSD(d, a, b)   "tdpbssd %%tmm" #b ", %%tmm" #a ", %%tmm" #d "\n\t"
#define TDPBF16PS(d, a, b) "tdpbf16ps %%tmm" #b ", %%tmm" #a ", %%tmm" #d "\n\t"
/* C4 E2 [W0 ~vvvv(b) L0 pp=F2] 5C [11 dst a] */
#define TDPFP16PS(d, a, b)                                                                         \
    ".byte 0xc4, 0xe2, 0x03 | ((~" #b " & 15) << 3), 0x5c, 0xc0 | (" #d " << 3) | " #a "\n\t"

static void config(tilecfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->palette = 1;
    for (int t = 0; t < 8; t++) {
        cfg->colsb[t] = 64;
        cfg->rows[t] = 16;
    }
}

static double amx_int8(uint64_t iters)
{
    tilecfg cfg;
    config(&cfg);
    static const int8_t ones[16 * 64] = {[0 ... 16 * 64 - 1] = 1};
    const int8_t *a = ones, *b = ones;
    static const int32_t zero[16 * 16];
    int32_t out[AMX_ACC * AMX_LANE];
    AMX_LOOP(TDPBSSD);
    double s = 0;
    for (int i = 0; i < AMX_ACC * AMX_LANE; i++)
        s += (double)out[i];
    return s;
}

/* bf16 and fp16 runs: A = 2^-4, B = 2^-8 in every element (bf16 0x3D80 / 0x3B80, fp16 0x2C00 /
 * 0x1C00), C from 0. */
static double sum_f32(const float *out)
{
    double s = 0;
    for (int i = 0; i < AMX_ACC * AMX_LANE; i++)
        s += (double)out[i];
    return s;
}

static double amx_bf16(uint64_t iters)
{
    tilecfg cfg;
    config(&cfg);
    static const uint16_t av[16 * 32] = {[0 ... 16 * 32 - 1] = 0x3D80};
    static const uint16_t bv[16 * 32] = {[0 ... 16 * 32 - 1] = 0x3B80};
    const uint16_t *a = av, *b = bv;
    static const float zero[16 * 16];
    float out[AMX_ACC * AMX_LANE];
    AMX_LOOP(TDPBF16PS);
    return sum_f32(out);
}

static double amx_fp16(uint64_t iters)
{
    tilecfg cfg;
    config(&cfg);
    static const uint16_t av[16 * 32] = {[0 ... 16 * 32 - 1] = 0x2C00};
    static const uint16_t bv[16 * 32] = {[0 ... 16 * 32 - 1] = 0x1C00};
    const uint16_t *a = av, *b = bv;
    static const float zero[16 * 16];
    float out[AMX_ACC * AMX_LANE];
    AMX_LOOP(TDPFP16PS);
    return sum_f32(out);
}

static const rl_fma_kernel k_int8 = {
    .name = "amx_int8",
    .source = __FILE__,
    .isa = "amx-int8",
    .precision = "int8",
    .unit = "OP",
    .requires = RL_ISA_AMX_TILE | RL_ISA_AMX_INT8,
    .flops_per_iter = AMX_ACC * AMX_LANE * 64 * 2, /* 4 tdpbssd, 256 int32 x 64 multiply-adds */
    .insn = {{"tdpbssd", AMX_ACC}, {NULL, 0}},
    .reg = "tmm",
    .width_bits = 8192,
    .math = RL_FMA_MATH_AMX_INT8,
    .accumulators = AMX_ACC,
    .lanes = AMX_LANE,
    .run = amx_int8,
};

static const rl_fma_kernel k_bf16 = {
    .name = "amx_bf16",
    .source = __FILE__,
    .isa = "amx-bf16",
    .precision = "bf16",
    .unit = "FLOP",
    .requires = RL_ISA_AMX_TILE | RL_ISA_AMX_BF16,
    .flops_per_iter = AMX_ACC * AMX_LANE * 32 * 2, /* 4 tdpbf16ps, 256 fp32 x 32 multiply-adds */
    .insn = {{"tdpbf16ps", AMX_ACC}, {NULL, 0}},
    .reg = "tmm",
    .width_bits = 8192,
    .math = RL_FMA_MATH_AMX_BF16,
    .accumulators = AMX_ACC,
    .lanes = AMX_LANE,
    .run = amx_bf16,
};

static const rl_fma_kernel k_fp16 = {
    .name = "amx_fp16",
    .source = __FILE__,
    .isa = "amx-fp16",
    .precision = "fp16",
    .unit = "FLOP",
    .requires = RL_ISA_AMX_TILE | RL_ISA_AMX_FP16,
    .flops_per_iter = AMX_ACC * AMX_LANE * 32 * 2, /* 4 tdpfp16ps, 256 fp32 x 32 multiply-adds */
    .insn = {{"tdpfp16ps", AMX_ACC}, {NULL, 0}},
    .reg = "tmm",
    .width_bits = 8192,
    .math = RL_FMA_MATH_AMX_FP16,
    .accumulators = AMX_ACC,
    .lanes = AMX_LANE,
    .run = amx_fp16,
};

const rl_fma_kernel *const rl_fma_list_amx[] = {&k_int8, &k_bf16, &k_fp16};
const size_t rl_fma_list_amx_count = sizeof rl_fma_list_amx / sizeof rl_fma_list_amx[0];
