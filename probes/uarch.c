/* uarch.c: the microarchitecture table (see uarch.h for how FLOPs/cycle follow from a row).
 *
 * Sources for the rows: Intel's optimization reference manual (ports and FMA units per core),
 * AMD's software optimization guides for families 17h, 19h and 1Ah (four FP pipes: two
 * FMA/multiply, two add), and Intel's per-SKU "AVX-512 FMA units" specification for
 * Skylake-SP/Cascade Lake. Facts worth remembering beside the numbers:
 *  - Zen 1 has 128-bit pipes: a 256-bit instruction takes two of them.
 *  - Zen 4 runs AVX-512 on its 256-bit pipes (one 512-bit FMA per cycle): AVX-512 FLOPs = AVX2's.
 *  - Zen 5 desktop (Granite Ridge) and server (Turin) have 512-bit pipes; the mobile parts (Strix
 *    Point, Krackan Point) keep 256-bit ones.
 *  - Ice Lake / Tiger Lake / Rocket Lake client cores fuse their two 256-bit FMAs into one
 *    512-bit FMA; Ice Lake-SP and later Xeons add a second 512-bit FMA on port 5.
 *  - Alder Lake and later hybrid client parts: the P-core figure, AVX-512 never counted.
 *  - Zen 3's two multiply (FMA) + two add pipes were checked by measurement on an EPYC Zen 3 VM
 *    (scripts/probe-mul-add-mix.sh, docs/mul-add-limits.md): independent vmulpd + vaddpd
 *    chains run at 3.9 instructions per cycle (2 MUL + 2 ADD: mul_add_pipes 4 holds for
 *    scalar, SSE2 and AVX, and sse2 FP32 = 4 x 4 lanes = 16 FLOPs/cycle), FMA + ADD chains at
 *    1.9 + 1.9 per cycle, with latencies FMUL 3, FADD 3, FMA 4 and no extra delay from a
 *    multiply pipe to an add pipe. Kernels that fell short of these rows did so from their
 *    instruction order and chain count, not from a dispatch or register-file limit. */
#include "probes/uarch.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_HYBRID = 1, F_SKX_SKU = 2, F_AMX = 4 };

typedef struct uarch_row {
    const char *vendor;
    int family, model_lo, model_hi;
    const char *name;
    int datapath_bits, mul_add_pipes, fma_pipes, add_pipes;
    double fma512;
    int flags;
    const char *note;
} uarch_row;

#define INTEL "GenuineIntel"
#define AMD   "AuthenticAMD"
#define HYGON "HygonGenuine"

/* One row per model range; the first match wins. */
static const uarch_row rows[] = {
    /* Intel, family 6 */
    {INTEL, 6, 0x2A, 0x2A, "sandy-bridge", 256, 2, 0, 0, 0, 0, "AVX mul (p0) + add (p1), no FMA"},
    {INTEL, 6, 0x2D, 0x2D, "sandy-bridge", 256, 2, 0, 0, 0, 0, "AVX mul (p0) + add (p1), no FMA"},
    {INTEL, 6, 0x3A, 0x3A, "ivy-bridge", 256, 2, 0, 0, 0, 0, "AVX mul (p0) + add (p1), no FMA"},
    {INTEL, 6, 0x3E, 0x3E, "ivy-bridge", 256, 2, 0, 0, 0, 0, "AVX mul (p0) + add (p1), no FMA"},
    {INTEL, 6, 0x3C, 0x3C, "haswell", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x3F, 0x3F, "haswell", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x45, 0x46, "haswell", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x3D, 0x3D, "broadwell", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x47, 0x47, "broadwell", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x4F, 0x4F, "broadwell", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x56, 0x56, "broadwell", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x4E, 0x4E, "skylake", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x5E, 0x5E, "skylake", 256, 2, 2, 0, 0, 0, "two 256-bit FMA units (p0, p1)"},
    {INTEL, 6, 0x8E, 0x8E, "skylake", 256, 2, 2, 0, 0, 0,
     "Kaby/Coffee/Whiskey/Comet Lake: Skylake core, two 256-bit FMA units"},
    {INTEL, 6, 0x9E, 0x9E, "skylake", 256, 2, 2, 0, 0, 0,
     "Kaby/Coffee Lake: Skylake core, two 256-bit FMA units"},
    {INTEL, 6, 0xA5, 0xA6, "skylake", 256, 2, 2, 0, 0, 0,
     "Comet Lake: Skylake core, two 256-bit FMA units"},
    {INTEL, 6, 0x55, 0x55, "skylake-sp", 512, 2, 2, 0, 2, F_SKX_SKU, ""},
    {INTEL, 6, 0x66, 0x66, "cannon-lake", 512, 2, 2, 0, 1, 0,
     "client core: one 512-bit FMA (p0+p1 fused)"},
    {INTEL, 6, 0x7D, 0x7E, "ice-lake", 512, 2, 2, 0, 1, 0,
     "client core: one 512-bit FMA (p0+p1 fused)"},
    {INTEL, 6, 0x8C, 0x8D, "tiger-lake", 512, 2, 2, 0, 1, 0,
     "client core: one 512-bit FMA (p0+p1 fused)"},
    {INTEL, 6, 0xA7, 0xA7, "rocket-lake", 512, 2, 2, 0, 1, 0,
     "client core: one 512-bit FMA (p0+p1 fused)"},
    {INTEL, 6, 0x6A, 0x6A, "ice-lake-sp", 512, 2, 2, 0, 2, 0, "two 512-bit FMA units (p0+p1, p5)"},
    {INTEL, 6, 0x6C, 0x6C, "ice-lake-sp", 512, 2, 2, 0, 2, 0, "two 512-bit FMA units (p0+p1, p5)"},
    /* AMX: one tile unit per core, a 16 x 16 x K TDP* every 16 cycles (Intel optimization manual,
     * "Intel AMX"; Intel's Sapphire Rapids disclosures: 2048 int8 / 1024 bf16 ops per cycle per
     * core, 8x / 16x AVX-512 VNNI and BF16); Granite Rapids adds AMX-FP16 at the bf16 rate. */
    {INTEL, 6, 0x8F, 0x8F, "sapphire-rapids", 512, 2, 2, 0, 2, F_AMX,
     "two 512-bit FMA units; AMX 2048 int8 OPs / 1024 bf16 FLOPs per cycle"},
    {INTEL, 6, 0xCF, 0xCF, "emerald-rapids", 512, 2, 2, 0, 2, F_AMX,
     "two 512-bit FMA units; AMX 2048 int8 OPs / 1024 bf16 FLOPs per cycle"},
    {INTEL, 6, 0xAD, 0xAE, "granite-rapids", 512, 2, 2, 0, 2, F_AMX,
     "two 512-bit FMA units; AMX 2048 int8 OPs / 1024 bf16 and fp16 FLOPs per cycle"},
    {INTEL, 6, 0x97, 0x97, "alder-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0x9A, 0x9A, "alder-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xB7, 0xB7, "raptor-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xBA, 0xBA, "raptor-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xBF, 0xBF, "raptor-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xAA, 0xAA, "meteor-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xAC, 0xAC, "meteor-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xBD, 0xBD, "lunar-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xC5, 0xC6, "arrow-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xCC, 0xCC, "panther-lake", 256, 2, 2, 0, 0, F_HYBRID, ""},
    {INTEL, 6, 0xBE, 0xBE, "gracemont", 128, 2, 2, 0, 0, 0,
     "Alder Lake-N, E-cores only: two 128-bit FMA units"},
    /* E-core Xeons: Sierra Forest / Grand Ridge (Crestmont, Gracemont's FP: two 128-bit FMA
     * pipes) and Clearwater Forest (Darkmont, Skymont's FP: four 128-bit FMA pipes, Intel's
     * Lunar Lake architecture disclosure); no AVX-512. */
    {INTEL, 6, 0xAF, 0xAF, "sierra-forest", 128, 2, 2, 0, 0, 0,
     "Crestmont E-cores: two 128-bit FMA units"},
    {INTEL, 6, 0xB6, 0xB6, "grand-ridge", 128, 2, 2, 0, 0, 0,
     "Crestmont E-cores: two 128-bit FMA units"},
    {INTEL, 6, 0xDD, 0xDD, "clearwater-forest", 128, 4, 4, 0, 0, 0,
     "Darkmont E-cores: four 128-bit FMA units"},
    /* AMD: four FP pipes, two FMA/multiply and two add */
    {AMD, 0x17, 0x00, 0x07, "zen", 128, 4, 2, 2, 0, 0, "128-bit pipes: 256-bit ops take two"},
    {AMD, 0x17, 0x08, 0x0F, "zen+", 128, 4, 2, 2, 0, 0, "128-bit pipes: 256-bit ops take two"},
    {AMD, 0x17, 0x10, 0x17, "zen", 128, 4, 2, 2, 0, 0, "128-bit pipes: 256-bit ops take two"},
    {AMD, 0x17, 0x18, 0x1F, "zen+", 128, 4, 2, 2, 0, 0, "128-bit pipes: 256-bit ops take two"},
    {AMD, 0x17, 0x20, 0x2F, "zen", 128, 4, 2, 2, 0, 0, "128-bit pipes: 256-bit ops take two"},
    {AMD, 0x17, 0x30, 0xFF, "zen2", 256, 4, 2, 2, 0, 0, "two 256-bit FMA + two FP add pipes"},
    {HYGON, 0x18, 0x00, 0xFF, "zen", 128, 4, 2, 2, 0, 0, "Hygon Dhyana (Zen 1 core)"},
    {AMD, 0x19, 0x00, 0x0F, "zen3", 256, 4, 2, 2, 0, 0, "two 256-bit FMA + two FP add pipes"},
    {AMD, 0x19, 0x10, 0x1F, "zen4", 256, 4, 2, 2, 1, 0,
     "AVX-512 double-pumped on 256-bit pipes: AVX-512 FLOPs = AVX2's"},
    {AMD, 0x19, 0x20, 0x3F, "zen3", 256, 4, 2, 2, 0, 0, "two 256-bit FMA + two FP add pipes"},
    {AMD, 0x19, 0x40, 0x4F, "zen3+", 256, 4, 2, 2, 0, 0, "two 256-bit FMA + two FP add pipes"},
    {AMD, 0x19, 0x50, 0x5F, "zen3", 256, 4, 2, 2, 0, 0, "two 256-bit FMA + two FP add pipes"},
    {AMD, 0x19, 0x60, 0x7F, "zen4", 256, 4, 2, 2, 1, 0,
     "AVX-512 double-pumped on 256-bit pipes: AVX-512 FLOPs = AVX2's"},
    {AMD, 0x19, 0xA0, 0xAF, "zen4", 256, 4, 2, 2, 1, 0,
     "Zen 4c: AVX-512 double-pumped on 256-bit pipes"},
    {AMD, 0x1A, 0x00, 0x0F, "zen5-server", 512, 4, 2, 2, 2, 0,
     "Turin: 512-bit FP pipes, two FMA + two add"},
    {AMD, 0x1A, 0x10, 0x1F, "zen5-server", 512, 4, 2, 2, 2, 0,
     "Turin Dense (Zen 5c): the same 512-bit FP pipes as Zen 5"},
    {AMD, 0x1A, 0x20, 0x2F, "zen5-mobile", 256, 4, 2, 2, 1, 0,
     "Strix Point: 256-bit FP pipes, AVX-512 double-pumped"},
    {AMD, 0x1A, 0x40, 0x4F, "zen5", 512, 4, 2, 2, 2, 0,
     "Granite Ridge desktop: 512-bit FP pipes, two FMA + two add"},
    {AMD, 0x1A, 0x60, 0x6F, "zen5-mobile", 256, 4, 2, 2, 1, 0,
     "Krackan Point: 256-bit FP pipes, AVX-512 double-pumped"},
    {AMD, 0x1A, 0x70, 0x7F, "zen5", 512, 4, 2, 2, 2, 0,
     "Strix Halo: desktop-class 512-bit FP pipes"},
};

/* The number after `word` in the brand string ("Gold 6148" -> 6148), or -1. */
static int sku_number(const char *brand, const char *word, char *suffix)
{
    const char *p = strstr(brand, word);
    if (!p)
        return -1;
    p += strlen(word);
    while (*p == ' ')
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    int n = atoi(p);
    while (isdigit((unsigned char)*p))
        p++;
    if (suffix)
        *suffix = *p;
    return n;
}

int rl_uarch_avx512_fma_units(const char *brand, int *known)
{
    char suffix = 0;
    int n;
    *known = 1;
    if (!brand)
        brand = "";
    if (strstr(brand, "Platinum"))
        return 2;
    if ((n = sku_number(brand, "Gold", &suffix)) >= 0) {
        if (n >= 6000)
            return 2;
        if (n == 5122 || n == 5222)
            return 2;
        if (n >= 5300 && n < 5400 && suffix == 'H') /* Cooper Lake */
            return 2;
        return 1;
    }
    if (strstr(brand, "Silver") || strstr(brand, "Bronze"))
        return 1;
    if (strstr(brand, "Xeon(R) W-") || strstr(brand, "Xeon W-"))
        return 2;
    if (strstr(brand, "Core(TM) i9") || strstr(brand, "Core(TM) i7"))
        return 2; /* Skylake-X / Cascade Lake-X HEDT */
    if (strstr(brand, " D-2"))
        return 1;
    *known = 0;
    return 1;
}

void rl_uarch_lookup(const char *vendor, int family, int model, int stepping, const char *brand,
                     rl_isa_mask runnable, rl_uarch *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const uarch_row *r = &rows[i];
        if (strcmp(vendor, r->vendor) != 0 || family != r->family || model < r->model_lo ||
            model > r->model_hi)
            continue;
        out->known = 1;
        snprintf(out->name, sizeof out->name, "%s", r->name);
        out->datapath_bits = r->datapath_bits;
        out->mul_add_pipes = r->mul_add_pipes;
        out->fma_pipes = r->fma_pipes;
        out->add_pipes = r->add_pipes;
        out->fma512 = r->fma512;
        out->hybrid = (r->flags & F_HYBRID) != 0;
        out->amx = (r->flags & F_AMX) != 0;
        snprintf(out->note, sizeof out->note, "%s (%s family 0x%x model 0x%x): %s", r->name, vendor,
                 (unsigned)family, (unsigned)model, r->note);
        if (r->flags & F_SKX_SKU) {
            int sku_known;
            int units = rl_uarch_avx512_fma_units(brand, &sku_known);
            const char *gen = stepping >= 10  ? "cooper-lake"
                              : stepping >= 5 ? "cascade-lake"
                                              : "skylake-sp";
            snprintf(out->name, sizeof out->name, "%s", gen);
            out->fma512 = units;
            snprintf(out->note, sizeof out->note,
                     "%s (Intel family 6 model 0x55 stepping %d): %d 512-bit FMA unit%s per core, "
                     "%s",
                     gen, stepping, units, units == 1 ? "" : "s",
                     sku_known
                         ? "from the SKU in the brand string"
                         : "SKU not recognised in the brand string: assumed 1 (conservative)");
        }
        if (out->hybrid)
            snprintf(out->note, sizeof out->note,
                     "%s (Intel family 6 model 0x%x): hybrid P/E part, figures are for the P-core "
                     "(two 256-bit FMA units; E-cores have half the FP width); AVX-512 not counted "
                     "(disabled on hybrid parts)",
                     r->name, (unsigned)model);
        return;
    }
    /* Fallback from the ISA: what the features prove, a lower bound. A core that runs AVX2 and
     * FMA has at least one 256-bit FMA pipe (every such core has shipped with one or two); one that
     * runs AVX at least a 256-bit multiply-or-add; AVX-512 at least one 512-bit FMA per two
     * cycles (a single 256-bit pipe double-pumped); anything else one 128-bit FP operation. */
    snprintf(out->name, sizeof out->name, "fallback");
    out->known = 0;
    int fma = (runnable & RL_ISA_AVX2) && (runnable & RL_ISA_FMA);
    out->datapath_bits = fma || (runnable & RL_ISA_AVX) ? 256 : 128;
    out->mul_add_pipes = 1;
    out->fma_pipes = fma ? 1 : (runnable & RL_ISA_FMA) ? 1 : 0;
    out->add_pipes = 0;
    out->fma512 = (runnable & RL_ISA_AVX512F) && out->fma_pipes ? 256.0 / 512.0 : 0;
    snprintf(out->note, sizeof out->note,
             "%s family 0x%x model 0x%x is not in the microarchitecture table: a lower bound "
             "from its ISA alone, %s",
             vendor, (unsigned)family, (unsigned)model,
             fma                       ? "one 256-bit FMA pipe (it runs AVX2 and FMA)"
             : (runnable & RL_ISA_AVX) ? "one 256-bit FP operation per cycle (it runs AVX)"
             : (runnable & RL_ISA_FMA) ? "one 128-bit FMA per cycle"
                                       : "one 128-bit FP operation per cycle");
}

static double width_factor(const rl_uarch *u, int width)
{
    return u->datapath_bits >= width ? 1.0 : (double)u->datapath_bits / width;
}

static void put(rl_fpc *out, size_t cap, size_t *n, const char *isa, const char *prec, double v,
                const char *unit, int is_mix)
{
    if (*n >= cap || v <= 0)
        return;
    rl_fpc *e = &out[(*n)++];
    memset(e, 0, sizeof *e);
    snprintf(e->isa, sizeof e->isa, "%s", isa);
    snprintf(e->precision, sizeof e->precision, "%s", prec);
    snprintf(e->unit, sizeof e->unit, "%s", unit);
    e->per_core = v;
    e->is_mix = is_mix;
}

size_t rl_uarch_fpc(const rl_uarch *u, rl_isa_mask runnable, rl_fpc *out, size_t cap)
{
    size_t n = 0;
    static const struct {
        const char *name;
        int bits;
    } precs[] = {{"fp64", 64}, {"fp32", 32}};
    for (size_t p = 0; p < 2; p++) {
        const char *pr = precs[p].name;
        double l128 = 128.0 / precs[p].bits, l256 = 256.0 / precs[p].bits,
               l512 = 512.0 / precs[p].bits;
        double f256 = width_factor(u, 256), f512 = width_factor(u, 512);
        put(out, cap, &n, "scalar", pr, u->mul_add_pipes, "FLOP", 0);
        if (runnable & RL_ISA_SSE2)
            put(out, cap, &n, "sse2", pr, u->mul_add_pipes * l128 * width_factor(u, 128), "FLOP",
                0);
        if (runnable & RL_ISA_AVX)
            put(out, cap, &n, "avx", pr, u->mul_add_pipes * l256 * f256, "FLOP", 0);
        if ((runnable & RL_ISA_AVX2) && (runnable & RL_ISA_FMA)) {
            put(out, cap, &n, "avx2-fma", pr, u->fma_pipes * l256 * 2 * f256, "FLOP", 0);
            if (u->add_pipes > 0)
                put(out, cap, &n, "avx2-fma+add", pr,
                    (u->fma_pipes * 2 + u->add_pipes) * l256 * f256, "FLOP", 1);
        }
        if ((runnable & RL_ISA_AVX512F) && u->fma512 > 0) {
            put(out, cap, &n, "avx512f", pr, u->fma512 * l512 * 2, "FLOP", 0);
            if (u->add_pipes > 0)
                put(out, cap, &n, "avx512f+add", pr,
                    u->fma512 * l512 * 2 + u->add_pipes * l512 * f512, "FLOP", 1);
        }
    }
    if (u->fma512 > 0) {
        if (runnable & RL_ISA_AVX512_FP16)
            put(out, cap, &n, "avx512_fp16", "fp16", u->fma512 * 32 * 2, "FLOP", 0);
        if (runnable & RL_ISA_AVX512_BF16)
            put(out, cap, &n, "avx512_bf16", "bf16", u->fma512 * 16 * 4, "FLOP", 0);
        if (runnable & RL_ISA_AVX512_VNNI)
            put(out, cap, &n, "avx512_vnni", "int8", u->fma512 * 16 * 8, "OP", 0);
    }
    if (runnable & RL_ISA_AVX_VNNI)
        put(out, cap, &n, "avx_vnni", "int8", u->fma_pipes * 8 * 8 * width_factor(u, 256), "OP", 0);
    if (u->amx && (runnable & RL_ISA_AMX_TILE)) {
        if (runnable & RL_ISA_AMX_INT8)
            put(out, cap, &n, "amx-int8", "int8", 2048, "OP", 0);
        if (runnable & RL_ISA_AMX_BF16)
            put(out, cap, &n, "amx-bf16", "bf16", 1024, "FLOP", 0);
        if (runnable & RL_ISA_AMX_FP16)
            put(out, cap, &n, "amx-fp16", "fp16", 1024, "FLOP", 0);
    }
    return n;
}
