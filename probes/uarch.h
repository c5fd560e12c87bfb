/* uarch.h: the microarchitecture table, and FLOPs per cycle per core derived from it.
 *
 * A core is identified by vendor, display family and model (never by libcpuid's codename, which is
 * wrong for several parts), plus the brand string where the SKU decides (Skylake-SP / Cascade Lake
 * Xeons have one or two 512-bit FMA units). Cores not in the table get a lower bound from their ISA
 * that says so in `note`.
 *
 * How FLOPs/cycle follow from a row (W = the instruction's vector width, D = the datapath width,
 * lanes = W / element bits; an instruction wider than D issues over W/D cycles):
 *   scalar       mul+add pipes x 1 lane x 1          (SSE2 scalar mulsd/addsd, no FMA)
 *   sse2         mul+add pipes x lanes(128)           (separate mul and add instructions)
 *   avx          mul+add pipes x lanes(256) x min(1, D/256)   (no FMA)
 *   avx2-fma     fma pipes x lanes(256) x 2 x min(1, D/256)
 *   avx2-fma+add (fma pipes x 2 + add pipes) x lanes(256) x min(1, D/256): cores with separate FP
 * add pipes beside the FMAs (Zen); a mix, is_mix=1, never the ISA's peak avx512f      fma512 x
 * lanes(512) x 2               (fma512: 512-bit FMAs per cycle; 1 on Zen 4, whose 256-bit datapath
 * double-pumps them) avx512f+add  Zen 4/5 mix, as avx2-fma+add at 512 bits avx512_fp16  fma512 x 32
 * x 2 fp16 FLOPs (vfmadd*ph) avx512_bf16  fma512 x 16 x 4 bf16 FLOPs (vdpbf16ps: two products and
 * their sum per fp32 lane) avx512_vnni  fma512 x 16 x 8 int8 OPs (vpdpbusd: four products and their
 * sum per int32 lane) avx_vnni     fma pipes x 8 x 8 x min(1, D/256) int8 OPs (256-bit vpdpbusd)
 * Dot products are assumed to issue on every FMA pipe. Hybrid Intel parts (Alder Lake and later
 * client) report the P-core figure and never count AVX-512, which those parts cannot run with their
 * E-cores enabled (early firmware exposed it; later firmware fused it off). */
#ifndef RL_UARCH_H
#define RL_UARCH_H

#include <stddef.h>

#include "common/isa.h"
#include "result/result.h"

typedef struct rl_uarch {
    char name[32];     /* "zen3", "skylake-sp", ... or "fallback" */
    int known;         /* 0: not in the table, a lower bound from the ISA */
    int datapath_bits; /* native SIMD width of the FP pipes: 128, 256 or 512 */
    int mul_add_pipes; /* FP ops per cycle for a mix of separate multiplies and adds */
    int fma_pipes;     /* FMA pipes (each `datapath_bits` wide), 0 without FMA */
    int add_pipes;     /* FP add pipes separate from the FMA pipes (Zen), 0 on most Intel cores */
    double fma512;     /* 512-bit FMAs per cycle (0: no AVX-512 counted; 0.25 in the fallback) */
    int hybrid;        /* P/E hybrid: figures are for the P-core */
    int amx;           /* AMX tile unit: 2048 int8 OPs, 1024 bf16/fp16 FLOPs per cycle per core */
    char note[256];    /* which row, which rule (SKU, hybrid, fallback) */
} rl_uarch;

/* Finds the row for a CPU. `runnable` (the ISA that can run) only shapes the fallback. */
void rl_uarch_lookup(const char *vendor, int family, int model, int stepping, const char *brand,
                     rl_isa_mask runnable, rl_uarch *out);

/* 512-bit FMA units of a Skylake-SP / Cascade Lake / Cooper Lake part (family 6 model 0x55) from
 * its brand string: Xeon Platinum and Gold 6xxx: 2; Gold 5xxx: 1 except 5122, 5222 and Cooper
 * Lake's Gold 53xxH: 2; Silver and Bronze: 1; Xeon W and Core i7/i9 X-series: 2; Xeon D-2100: 1;
 * anything else: 1 (conservative, *known = 0). */
int rl_uarch_avx512_fma_units(const char *brand, int *known);

/* Fills up to `cap` entries of FLOPs/cycle/core for every ISA in `runnable` and every precision it
 * has. Returns the number of entries written. */
size_t rl_uarch_fpc(const rl_uarch *u, rl_isa_mask runnable, rl_fpc *out, size_t cap);

#endif
