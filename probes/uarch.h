/* uarch.h: the microarchitecture table, and FLOPs per cycle per core derived from it.
 *
 * A core is identified by vendor, display family and model (never by libcpuid's codename, which is
 * wrong for several parts), plus the brand string where the SKU decides (Skylake-SP / Cascade Lake
 * Xeons have one or two 512-bit FMA units). The models come from the authoritative lists (the
 * Linux kernel's intel-family.h and its AMD Zen model ranges: tests/data/x86-models.txt, walked by
 * tests/test_uarch.c); each row names its sources (docs/sources.md). Cores not in the table get a
 * lower bound from their ISA that says so in `note`.
 *
 * How FLOPs/cycle follow from a row (W = the instruction's vector width, D = the datapath width,
 * lanes = W / element bits; an instruction wider than D issues over W/D cycles):
 *   scalar       mul+add pipes x 1 lane x 1          (SSE2 scalar mulsd/addsd, no FMA)
 *   sse2         mul+add pipes x lanes(128)           (separate mul and add instructions)
 *   avx          mul+add pipes x lanes(256) x min(1, D/256)   (no FMA)
 *   avx2-fma     fma pipes x lanes(256) x 2 x min(1, D/256)
 *   avx2-fma+add (fma pipes x 2 + add pipes) x lanes(256) x min(1, D/256): cores with separate FP
 *                add pipes beside the FMAs (Zen); a mix, is_mix=1, never the ISA's peak
 *   avx512f      fma512 x lanes(512) x 2   (fma512: 512-bit FMAs per cycle; 1 on Zen 4, whose
 *                256-bit datapath double-pumps them)
 *   avx512f+add  Zen 4/5 mix, as avx2-fma+add at 512 bits
 *   avx512_fp16  fma512 x 32 x 2 fp16 FLOPs (vfmadd*ph)
 *   avx512_bf16  bf16_dp512 x 16 x 4 bf16 FLOPs (vdpbf16ps: two products and their sum per fp32
 *                lane; Sapphire/Emerald/Granite Rapids issue one every two cycles)
 *   avx512_vnni  fma512 x 16 x 8 int8 OPs (vpdpbusd: four products and their sum per int32 lane)
 *   avx_vnni     fma pipes x 8 x 8 x min(1, D/256) int8 OPs (256-bit vpdpbusd)
 * FP64 rows are scaled by fp64_scale (Jaguar's multiplier iterates on FP64). Dot products are
 * assumed to issue on every FMA pipe unless the row says otherwise.
 *
 * Hybrid Intel parts (Alder Lake and later client) list each core type (types[]: the P-core's and
 * the E-core's microarchitecture and figures); the flat figures are the P-core's. AVX-512 is never
 * counted on them: those parts cannot run it with their E-cores enabled (early firmware exposed it;
 * later firmware fused it off). */
#ifndef RL_UARCH_H
#define RL_UARCH_H

#include <stddef.h>

#include "common/isa.h"
#include "result/result.h"

/* One core type of a hybrid part (Intel's P and E cores): its own microarchitecture and figures. */
typedef struct rl_uarch_type {
    char name[24];  /* core microarchitecture: "golden-cove", "gracemont", ... */
    char role[4];   /* "P" or "E" */
    int cpuid_type; /* CPUID leaf 0x1A EAX[31:24] of these cores: 0x40 Core, 0x20 Atom */
    int datapath_bits, mul_add_pipes, fma_pipes, add_pipes;
    double fma512, bf16_dp512, fp64_scale;
    int amx;
    char source[96];
    int cores; /* of this type in the described CPU when its CPUID dump tells (every logical
                  CPU's leaf 0x1A recorded); -1 unknown */
} rl_uarch_type;

#define RL_UARCH_MAX_TYPES 2

typedef struct rl_uarch {
    char name[32];     /* "zen3", "skylake-sp", "alder-lake", ... or "fallback" */
    char core[24];     /* the core microarchitecture of the figures below ("golden-cove" on
                          Alder Lake; the same as name on parts with one kind of core) */
    int known;         /* 0: not in the table, a lower bound from the ISA */
    int datapath_bits; /* native SIMD width of the FP pipes: 128, 256 or 512 */
    int mul_add_pipes; /* FP ops per cycle for a mix of separate multiplies and adds */
    int fma_pipes;     /* FMA pipes (each `datapath_bits` wide), 0 without FMA */
    int add_pipes;     /* FP add pipes separate from the FMA pipes (Zen), 0 on most Intel cores */
    double fma512;     /* 512-bit FMAs per cycle (0: no AVX-512 counted; 0.25 in the fallback) */
    double bf16_dp512; /* 512-bit VDPBF16PS per cycle (0.5 on Sapphire Rapids: 2 uops on p0 and
                          2 on p5); the fma512 rate where no document gives one */
    double fp64_scale; /* FP64 rate relative to the lanes (1; 0.5 where FP64 multiplies iterate) */
    int hybrid;        /* P/E hybrid: the figures above are the P-core's; types[] has both */
    int amx;           /* AMX tile unit: 2048 int8 OPs, 1024 bf16/fp16 FLOPs per cycle per core */
    char source[96];   /* docs/sources.md keys the row's figures come from */
    char note[256];    /* which row, which rule (SKU, hybrid, fallback) */
    int n_types;       /* hybrid parts: the core types (P first); 0 otherwise */
    rl_uarch_type types[RL_UARCH_MAX_TYPES];
    /* AArch64 rows (probes/uarch_arm.c; the x86 fields above are 0 there). Pipes are FMLA
     * instructions per cycle; a lower bound may count a fraction (a 64-bit datapath runs one
     * 128-bit FMLA every two cycles). */
    int arm;
    double neon_pipes; /* 128-bit NEON FMLA per cycle (also SDOT, BFDOT, SMMLA, BFMMLA) */
    int sve_bits;      /* SVE vector length: the row's, or the thread's (prctl) on this machine */
    double sve_pipes;  /* SVE FMLA per cycle at sve_bits */
    int neon_fp16;     /* fp16 FMLA at twice fp32's lanes (FEAT_FP16, asimdhp) */
    char detail[400];  /* what the row's sources say, for the text report (AArch64 rows) */
} rl_uarch;

/* Finds the row for a CPU. `runnable` (the ISA that can run) only shapes the fallback. */
void rl_uarch_lookup(const char *vendor, int family, int model, int stepping, const char *brand,
                     rl_isa_mask runnable, rl_uarch *out);

/* 512-bit FMA units of a Skylake-SP / Cascade Lake / Cooper Lake part (family 6 model 0x55) from
 * its brand string: Xeon Platinum and Gold 6xxx: 2; Gold 5xxx: 1 except 5122, 5222 and Cooper
 * Lake's Gold 53xxH: 2; Silver and Bronze: 1; Xeon W and Core i7/i9 X-series: 2; Xeon D-2100: 1;
 * anything else: 1 (conservative, *known = 0). */
int rl_uarch_avx512_fma_units(const char *brand, int *known);

/* Keeps only the P-core type of a hybrid model whose CPU says it is not hybrid (CPUID leaf 7 EDX
 * bit 15 clear: a P-core-only SKU such as an i5-12400, or E-cores disabled); says so in note. */
void rl_uarch_apply_hybrid_bit(rl_uarch *u, int cpu_is_hybrid);

/* A copy of u with the figures, name and core of core type i (0 <= i < u->n_types). */
void rl_uarch_type_view(const rl_uarch *u, size_t i, rl_uarch *out);

/* The table's rows, for the sources test: row i's name and its docs/sources.md keys (space
 * separated). Returns 0 past the last row. */
int rl_uarch_row_source(size_t i, const char **name, const char **source);

/* Fills up to `cap` entries of FLOPs/cycle/core for every ISA in `runnable` and every precision it
 * has. Returns the number of entries written. AArch64 rows (u->arm) give, with P = neon_pipes and
 * S = sve_pipes x sve_bits / 128:
 *   neon    fp64 4P, fp32 8P, fp16 16P (asimdhp)        FMLA: lanes x 2
 *   sdot    int8 32P OPs (asimddp)   4 int32 lanes x 4 products and their sums
 *   bfdot   bf16 16P (bf16)          4 fp32 lanes x 2 products and their sums
 *   bfmmla  bf16 32P (bf16)          a 2x4 by 4x2 bf16 product into 2x2 fp32: 16 MACs
 *   smmla   int8 64P OPs (i8mm)      a 2x8 by 8x2 int8 product into 2x2 int32: 32 MACs
 *   sve     fp64 4S, fp32 8S, fp16 16S
 * The dot-product and matrix instructions are counted at the FMLA pipes' rate, as on x86. */
size_t rl_uarch_fpc(const rl_uarch *u, rl_isa_mask runnable, rl_fpc *out, size_t cap);

#endif
