/* uarch.c: the x86 microarchitecture table (see uarch.h for how FLOPs/cycle follow from a row).
 *
 * Two tables: the core microarchitectures with their FP figures (cores[]), and the models that map
 * a vendor, family and model range to a core, or on hybrid parts to a P-core and an E-core
 * (models[]). Every row names its public sources by the keys of docs/sources.md (a test checks
 * that each key is there); the model list itself is the Linux kernel's (tests/data/x86-models.txt
 * is walked against it). Facts worth remembering beside the numbers:
 *  - Zen 1 has 128-bit pipes: a 256-bit instruction takes two of them.
 *  - Zen 4 runs AVX-512 on its 256-bit pipes (one 512-bit FMA per cycle): AVX-512 FLOPs = AVX2's.
 *  - Zen 5 desktop (Granite Ridge) and server (Turin) have 512-bit pipes; the mobile parts (Strix
 *    Point, Krackan Point) keep 256-bit ones.
 *  - Ice Lake / Tiger Lake / Rocket Lake client cores fuse their two 256-bit FMAs into one
 *    512-bit FMA; Ice Lake-SP and later Xeons add a second 512-bit FMA on port 5.
 *  - Sapphire Rapids (and Emerald and Granite Rapids, the same port layout) run a 512-bit
 *    VDPBF16PS as 2 uops on port 0 and 2 on port 5, latency 8: one every two cycles, 32 bf16
 *    FLOPs/cycle, not the 128 an FMA-rate guess gives (LLVM's Sapphire Rapids model,
 *    SPRWriteResGroup289). An Emerald Rapids host measured 26% of 128: the kernel was right.
 *  - Bulldozer-family modules share two 128-bit FMACs between two cores: per core (all cores
 *    busy) one 128-bit FMA, 4 FP64 FLOPs/cycle (AMD's Opteron 6200 tuning guide).
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

/* A core microarchitecture's FP figures. bf16 < 0: at the fma512 rate (no document gives one). */
typedef struct core_row {
    const char *name;
    int datapath_bits, mul_add_pipes, fma_pipes, add_pipes;
    double fma512, bf16, fp64_scale;
    int amx;
    const char *note;
    const char *source; /* docs/sources.md keys */
} core_row;

#define AT_FMA (-1.0)

/* clang-format off */
static const core_row cores[] = {
    /* name            D  mul+add fma add fma512 bf16  fp64 amx */
    {"sandy-bridge",  256, 2, 0, 0, 0, 0, 1, 0, "AVX mul (p0) + add (p1), no FMA", "intel-opt"},
    {"ivy-bridge",    256, 2, 0, 0, 0, 0, 1, 0, "AVX mul (p0) + add (p1), no FMA", "intel-opt"},
    {"haswell",       256, 2, 2, 0, 0, 0, 1, 0, "two 256-bit FMA units (p0, p1)", "intel-opt"},
    {"broadwell",     256, 2, 2, 0, 0, 0, 1, 0, "two 256-bit FMA units (p0, p1)", "intel-opt"},
    {"skylake",       256, 2, 2, 0, 0, 0, 1, 0, "two 256-bit FMA units (p0, p1)", "intel-opt"},
    {"skylake-sp",    512, 2, 2, 0, 2, AT_FMA, 1, 0, "", "intel-opt intel-skx-sku"},
    {"cannon-lake",   512, 2, 2, 0, 1, 0, 1, 0, "client core: one 512-bit FMA (p0+p1 fused)", "intel-opt"},
    {"sunny-cove",    512, 2, 2, 0, 1, 0, 1, 0, "client core: one 512-bit FMA (p0+p1 fused)", "intel-opt"},
    {"willow-cove",   512, 2, 2, 0, 1, 0, 1, 0, "client core: one 512-bit FMA (p0+p1 fused)", "intel-opt"},
    {"cypress-cove",  512, 2, 2, 0, 1, 0, 1, 0, "client core: one 512-bit FMA (p0+p1 fused)", "intel-opt"},
    {"sunny-cove-sp", 512, 2, 2, 0, 2, 0, 1, 0, "two 512-bit FMA units (p0+p1, p5)", "intel-opt"},
    /* AMX: one tile unit per core, a 16 x 16 x K TDP* every 16 cycles (Intel optimization manual,
     * "Intel AMX"; Intel's Sapphire Rapids disclosures: 2048 int8 / 1024 bf16 ops per cycle per
     * core); Granite Rapids adds AMX-FP16 at the bf16 rate. */
    {"golden-cove-sp", 512, 2, 2, 0, 2, 0.5, 1, 1,
     "two 512-bit FMA units; VDPBF16PS zmm one per two cycles; AMX 2048 int8 OPs / 1024 bf16 FLOPs "
     "per cycle", "intel-opt llvm-spr-sched"},
    {"raptor-cove-sp", 512, 2, 2, 0, 2, 0.5, 1, 1,
     "two 512-bit FMA units; VDPBF16PS zmm one per two cycles; AMX 2048 int8 OPs / 1024 bf16 FLOPs "
     "per cycle", "intel-opt llvm-spr-sched linux-intel-family"},
    {"redwood-cove-sp", 512, 2, 2, 0, 2, 0.5, 1, 1,
     "two 512-bit FMA units; VDPBF16PS zmm one per two cycles; AMX 2048 int8 OPs / 1024 bf16 and "
     "fp16 FLOPs per cycle", "intel-opt llvm-spr-sched linux-intel-family"},
    /* Hybrid P-cores: two 256-bit FMA units on ports 0 and 1; AVX-512 off. */
    {"golden-cove",   256, 2, 2, 0, 0, 0, 1, 0, "two 256-bit FMA units", "intel-opt anandtech-alder-lake"},
    {"raptor-cove",   256, 2, 2, 0, 0, 0, 1, 0, "two 256-bit FMA units", "intel-opt anandtech-alder-lake"},
    {"redwood-cove",  256, 2, 2, 0, 0, 0, 1, 0, "two 256-bit FMA units", "intel-opt chipsandcheese-lion-cove"},
    {"lion-cove",     256, 2, 2, 0, 0, 0, 1, 0, "two 256-bit FMA units", "intel-opt chipsandcheese-lion-cove"},
    {"cougar-cove",   256, 2, 2, 0, 0, 0, 1, 0, "two 256-bit FMA units (Lion Cove's FP)", "linux-intel-family"},
    /* E-cores */
    {"tremont",       128, 2, 0, 0, 0, 0, 1, 0, "one 128-bit FP multiply and one FP add pipe, no FMA", "wikichip-tremont"},
    {"gracemont",     128, 2, 2, 0, 0, 0, 1, 0, "two 128-bit FMA units", "intel-opt hwcooling-gracemont"},
    {"crestmont",     128, 2, 2, 0, 0, 0, 1, 0, "two 128-bit FMA units (Gracemont's FP)", "intel-opt chipsandcheese-crestmont"},
    {"skymont",       128, 4, 4, 0, 0, 0, 1, 0, "four 128-bit FMA units", "anandtech-lunar-lake"},
    {"darkmont",      128, 4, 4, 0, 0, 0, 1, 0, "four 128-bit FMA units (Skymont's FP)", "anandtech-lunar-lake linux-intel-family"},
    /* AMD */
    {"bulldozer",     128, 1, 1, 0, 0, 0, 1, 0,
     "two 128-bit FMACs per two-core module: one 128-bit FMA per core", "amd-sog-15h amd-opteron-6200"},
    {"jaguar",        128, 2, 0, 0, 0, 0, 0.5, 0,
     "128-bit FP multiply + 128-bit FP add pipes; FP64 multiplies iterate (half rate)", "amd-sog-16h"},
    {"zen",           128, 4, 2, 2, 0, 0, 1, 0, "128-bit pipes: 256-bit ops take two", "amd-sog-17h"},
    {"zen2",          256, 4, 2, 2, 0, 0, 1, 0, "two 256-bit FMA + two FP add pipes", "amd-sog-17h-30h"},
    {"zen3",          256, 4, 2, 2, 0, 0, 1, 0, "two 256-bit FMA + two FP add pipes", "amd-sog-19h"},
    {"zen4",          256, 4, 2, 2, 1, AT_FMA, 1, 0,
     "AVX-512 double-pumped on 256-bit pipes: AVX-512 FLOPs = AVX2's", "amd-sog-19h numberworld-zen-avx512"},
    {"zen5",          512, 4, 2, 2, 2, AT_FMA, 1, 0, "512-bit FP pipes, two FMA + two add", "amd-sog-1ah numberworld-zen-avx512"},
    {"zen5-mobile",   256, 4, 2, 2, 1, AT_FMA, 1, 0,
     "256-bit FP pipes, AVX-512 double-pumped", "amd-sog-1ah chipsandcheese-strix-point"},
};
/* clang-format on */

enum { F_SKX_SKU = 1 };

/* One model range. name is what the result calls the part (its platform or core name); p is its
 * core, e its E-core on hybrid parts (NULL otherwise). */
typedef struct model_row {
    const char *vendor;
    int family, model_lo, model_hi;
    const char *name, *p, *e;
    int flags;
    const char *source; /* where the model list and the core mapping come from */
} model_row;

#define INTEL "GenuineIntel"
#define AMD   "AuthenticAMD"
#define HYGON "HygonGenuine"
#define LNX   "linux-intel-family"
#define LNXA  "linux-amd-zen"

/* One row per model range; the first match wins. */
/* clang-format off */
static const model_row models[] = {
    /* Intel family 6, in intel-family.h's order */
    {INTEL, 6, 0x2A, 0x2A, "sandy-bridge", "sandy-bridge", NULL, 0, LNX},
    {INTEL, 6, 0x2D, 0x2D, "sandy-bridge", "sandy-bridge", NULL, 0, LNX},
    {INTEL, 6, 0x3A, 0x3A, "ivy-bridge", "ivy-bridge", NULL, 0, LNX},
    {INTEL, 6, 0x3E, 0x3E, "ivy-bridge", "ivy-bridge", NULL, 0, LNX},
    {INTEL, 6, 0x3C, 0x3C, "haswell", "haswell", NULL, 0, LNX},
    {INTEL, 6, 0x3F, 0x3F, "haswell", "haswell", NULL, 0, LNX},
    {INTEL, 6, 0x45, 0x46, "haswell", "haswell", NULL, 0, LNX},
    {INTEL, 6, 0x3D, 0x3D, "broadwell", "broadwell", NULL, 0, LNX},
    {INTEL, 6, 0x47, 0x47, "broadwell", "broadwell", NULL, 0, LNX},
    {INTEL, 6, 0x4F, 0x4F, "broadwell", "broadwell", NULL, 0, LNX},
    {INTEL, 6, 0x56, 0x56, "broadwell", "broadwell", NULL, 0, LNX},
    {INTEL, 6, 0x4E, 0x4E, "skylake", "skylake", NULL, 0, LNX},
    {INTEL, 6, 0x5E, 0x5E, "skylake", "skylake", NULL, 0, LNX},
    {INTEL, 6, 0x8E, 0x8E, "skylake", "skylake", NULL, 0, LNX}, /* Kaby/Coffee/Whiskey/Amber Lake */
    {INTEL, 6, 0x9E, 0x9E, "skylake", "skylake", NULL, 0, LNX}, /* Kaby/Coffee Lake */
    {INTEL, 6, 0xA5, 0xA6, "skylake", "skylake", NULL, 0, LNX}, /* Comet Lake */
    {INTEL, 6, 0x55, 0x55, "skylake-sp", "skylake-sp", NULL, F_SKX_SKU, LNX},
    {INTEL, 6, 0x66, 0x66, "cannon-lake", "cannon-lake", NULL, 0, LNX},
    {INTEL, 6, 0x6A, 0x6A, "ice-lake-sp", "sunny-cove-sp", NULL, 0, LNX},
    {INTEL, 6, 0x6C, 0x6C, "ice-lake-sp", "sunny-cove-sp", NULL, 0, LNX},
    {INTEL, 6, 0x7D, 0x7E, "ice-lake", "sunny-cove", NULL, 0, LNX},
    {INTEL, 6, 0x9D, 0x9D, "ice-lake", "sunny-cove", NULL, 0, LNX}, /* NNP-I's Sunny Cove cores */
    {INTEL, 6, 0xA7, 0xA7, "rocket-lake", "cypress-cove", NULL, 0, LNX},
    {INTEL, 6, 0x8C, 0x8D, "tiger-lake", "willow-cove", NULL, 0, LNX},
    {INTEL, 6, 0x8F, 0x8F, "sapphire-rapids", "golden-cove-sp", NULL, 0, LNX},
    {INTEL, 6, 0xCF, 0xCF, "emerald-rapids", "raptor-cove-sp", NULL, 0, LNX},
    {INTEL, 6, 0xAD, 0xAE, "granite-rapids", "redwood-cove-sp", NULL, 0, LNX},
    {INTEL, 6, 0xD7, 0xD7, "bartlett-lake", "raptor-cove", "gracemont", 0, LNX},
    /* Hybrid */
    {INTEL, 6, 0x8A, 0x8A, "lakefield", "sunny-cove", "tremont", 0, LNX},
    {INTEL, 6, 0x97, 0x97, "alder-lake", "golden-cove", "gracemont", 0, LNX},
    {INTEL, 6, 0x9A, 0x9A, "alder-lake", "golden-cove", "gracemont", 0, LNX},
    {INTEL, 6, 0xB7, 0xB7, "raptor-lake", "raptor-cove", "gracemont", 0, LNX},
    {INTEL, 6, 0xBA, 0xBA, "raptor-lake", "raptor-cove", "gracemont", 0, LNX},
    {INTEL, 6, 0xBF, 0xBF, "raptor-lake", "raptor-cove", "gracemont", 0, LNX},
    {INTEL, 6, 0xAA, 0xAA, "meteor-lake", "redwood-cove", "crestmont", 0, LNX},
    {INTEL, 6, 0xAC, 0xAC, "meteor-lake", "redwood-cove", "crestmont", 0, LNX},
    {INTEL, 6, 0xB5, 0xB5, "arrow-lake-u", "redwood-cove", "crestmont", 0, LNX}, /* Meteor Lake's die */
    {INTEL, 6, 0xC5, 0xC6, "arrow-lake", "lion-cove", "skymont", 0, LNX},
    {INTEL, 6, 0xBD, 0xBD, "lunar-lake", "lion-cove", "skymont", 0, LNX},
    {INTEL, 6, 0xCC, 0xCC, "panther-lake", "cougar-cove", "darkmont", 0, LNX},
    {INTEL, 6, 0xE5, 0xE5, "panther-lake", "cougar-cove", "darkmont", 0, LNX},
    {INTEL, 6, 0xD5, 0xD5, "wildcat-lake", "cougar-cove", "darkmont", 0, LNX},
    /* Atom / E-core only */
    {INTEL, 6, 0x86, 0x86, "tremont", "tremont", NULL, 0, LNX},
    {INTEL, 6, 0x96, 0x96, "tremont", "tremont", NULL, 0, LNX},
    {INTEL, 6, 0x9C, 0x9C, "tremont", "tremont", NULL, 0, LNX},
    {INTEL, 6, 0xBE, 0xBE, "gracemont", "gracemont", NULL, 0, LNX}, /* Alder Lake-N */
    {INTEL, 6, 0xAF, 0xAF, "sierra-forest", "crestmont", NULL, 0, LNX},
    {INTEL, 6, 0xB6, 0xB6, "grand-ridge", "crestmont", NULL, 0, LNX},
    {INTEL, 6, 0xDD, 0xDD, "clearwater-forest", "darkmont", NULL, 0, LNX},
    /* AMD families 15h and 16h (revision guides), 17h-1Ah (the kernel's Zen model ranges) */
    {AMD, 0x15, 0x00, 0x1F, "bulldozer", "bulldozer", NULL, 0, "amd-sog-15h"}, /* and Piledriver */
    {AMD, 0x15, 0x30, 0x3F, "steamroller", "bulldozer", NULL, 0, "amd-sog-15h"},
    {AMD, 0x15, 0x60, 0x7F, "excavator", "bulldozer", NULL, 0, "amd-sog-15h"},
    {AMD, 0x16, 0x00, 0x0F, "jaguar", "jaguar", NULL, 0, "amd-sog-16h"},
    {AMD, 0x16, 0x30, 0x3F, "puma", "jaguar", NULL, 0, "amd-sog-16h"},
    {AMD, 0x17, 0x00, 0x07, "zen", "zen", NULL, 0, LNXA},
    {AMD, 0x17, 0x08, 0x0F, "zen+", "zen", NULL, 0, LNXA},
    {AMD, 0x17, 0x10, 0x17, "zen", "zen", NULL, 0, LNXA},
    {AMD, 0x17, 0x18, 0x1F, "zen+", "zen", NULL, 0, LNXA},
    {AMD, 0x17, 0x20, 0x2F, "zen", "zen", NULL, 0, LNXA},
    {AMD, 0x17, 0x50, 0x5F, "zen", "zen", NULL, 0, LNXA},
    {AMD, 0x17, 0x30, 0x4F, "zen2", "zen2", NULL, 0, LNXA},
    {AMD, 0x17, 0x60, 0x7F, "zen2", "zen2", NULL, 0, LNXA},
    {AMD, 0x17, 0x84, 0x84, "zen2", "zen2", NULL, 0, "fixture-4800s"}, /* 4700S/4800S kits */
    {AMD, 0x17, 0x90, 0x91, "zen2", "zen2", NULL, 0, LNXA},
    {AMD, 0x17, 0xA0, 0xAF, "zen2", "zen2", NULL, 0, LNXA},
    {HYGON, 0x18, 0x00, 0xFF, "zen", "zen", NULL, 0, "amd-sog-17h"}, /* Hygon Dhyana */
    {AMD, 0x19, 0x00, 0x0F, "zen3", "zen3", NULL, 0, LNXA},
    {AMD, 0x19, 0x10, 0x1F, "zen4", "zen4", NULL, 0, LNXA},
    {AMD, 0x19, 0x20, 0x3F, "zen3", "zen3", NULL, 0, LNXA},
    {AMD, 0x19, 0x40, 0x4F, "zen3+", "zen3", NULL, 0, LNXA},
    {AMD, 0x19, 0x50, 0x5F, "zen3", "zen3", NULL, 0, LNXA},
    {AMD, 0x19, 0x60, 0xAF, "zen4", "zen4", NULL, 0, LNXA}, /* Raphael, Phoenix, Bergamo (Zen 4c) */
    {AMD, 0x1A, 0x00, 0x1F, "zen5-server", "zen5", NULL, 0, LNXA}, /* Turin, Turin Dense */
    {AMD, 0x1A, 0x20, 0x2F, "zen5-mobile", "zen5-mobile", NULL, 0, LNXA}, /* Strix Point */
    {AMD, 0x1A, 0x40, 0x4F, "zen5", "zen5", NULL, 0, LNXA},               /* Granite Ridge */
    {AMD, 0x1A, 0x60, 0x6F, "zen5-mobile", "zen5-mobile", NULL, 0, LNXA}, /* Krackan Point */
    {AMD, 0x1A, 0x70, 0x7F, "zen5", "zen5", NULL, 0, LNXA},               /* Strix Halo */
};
/* clang-format on */

static const core_row *core_named(const char *name)
{
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++)
        if (strcmp(cores[i].name, name) == 0)
            return &cores[i];
    return NULL;
}

int rl_uarch_row_source(size_t i, const char **name, const char **source)
{
    size_t nc = sizeof cores / sizeof cores[0], nm = sizeof models / sizeof models[0];
    if (i < nc) {
        *name = cores[i].name;
        *source = cores[i].source;
        return 1;
    }
    if (i - nc < nm) {
        *name = models[i - nc].name;
        *source = models[i - nc].source;
        return 1;
    }
    return 0;
}

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

static void set_type(rl_uarch_type *t, const core_row *c, const char *role, int cpuid_type)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", c->name);
    snprintf(t->role, sizeof t->role, "%s", role);
    t->cpuid_type = cpuid_type;
    t->datapath_bits = c->datapath_bits;
    t->mul_add_pipes = c->mul_add_pipes;
    t->fma_pipes = c->fma_pipes;
    t->add_pipes = c->add_pipes;
    t->fma512 = c->fma512;
    t->bf16_dp512 = c->bf16 == AT_FMA ? c->fma512 : c->bf16;
    t->fp64_scale = c->fp64_scale;
    t->amx = c->amx;
    snprintf(t->source, sizeof t->source, "%s", c->source);
    t->cores = -1;
}

static void set_flat(rl_uarch *out, const rl_uarch_type *t)
{
    snprintf(out->core, sizeof out->core, "%s", t->name);
    out->datapath_bits = t->datapath_bits;
    out->mul_add_pipes = t->mul_add_pipes;
    out->fma_pipes = t->fma_pipes;
    out->add_pipes = t->add_pipes;
    out->fma512 = t->fma512;
    out->bf16_dp512 = t->bf16_dp512;
    out->fp64_scale = t->fp64_scale;
    out->amx = t->amx;
    snprintf(out->source, sizeof out->source, "%s", t->source);
}

void rl_uarch_lookup(const char *vendor, int family, int model, int stepping, const char *brand,
                     rl_isa_mask runnable, rl_uarch *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        const model_row *r = &models[i];
        if (strcmp(vendor, r->vendor) != 0 || family != r->family || model < r->model_lo ||
            model > r->model_hi)
            continue;
        const core_row *p = core_named(r->p), *e = r->e ? core_named(r->e) : NULL;
        if (!p || (r->e && !e))
            break; /* a table typo: the test that walks the models catches it */
        out->known = 1;
        snprintf(out->name, sizeof out->name, "%s", r->name);
        rl_uarch_type pt;
        set_type(&pt, p, e ? "P" : "", e ? 0x40 : 0);
        set_flat(out, &pt);
        snprintf(out->note, sizeof out->note, "%s (%s family 0x%x model 0x%x): %s", r->name, vendor,
                 (unsigned)family, (unsigned)model, p->note);
        if (e) {
            out->hybrid = 1;
            out->n_types = 2;
            out->types[0] = pt;
            set_type(&out->types[1], e, "E", 0x20);
            snprintf(out->note, sizeof out->note,
                     "%s (Intel family 6 model 0x%x): hybrid, %s P-cores (%s) and %s E-cores (%s); "
                     "AVX-512 not counted (disabled on hybrid parts)",
                     r->name, (unsigned)model, p->name, p->note, e->name, e->note);
        }
        if (r->flags & F_SKX_SKU) {
            int sku_known;
            int units = rl_uarch_avx512_fma_units(brand, &sku_known);
            const char *gen = stepping >= 10  ? "cooper-lake"
                              : stepping >= 5 ? "cascade-lake"
                                              : "skylake-sp";
            snprintf(out->name, sizeof out->name, "%s", gen);
            snprintf(out->core, sizeof out->core, "%s", gen);
            out->fma512 = units;
            out->bf16_dp512 = units;
            snprintf(out->note, sizeof out->note,
                     "%s (Intel family 6 model 0x55 stepping %d): %d 512-bit FMA unit%s per core, "
                     "%s",
                     gen, stepping, units, units == 1 ? "" : "s",
                     sku_known
                         ? "from the SKU in the brand string"
                         : "SKU not recognised in the brand string: assumed 1 (conservative)");
        }
        return;
    }
    /* Fallback from the ISA: what the features prove, a lower bound. A core that runs AVX2 and
     * FMA has at least one 256-bit FMA pipe (every such core has shipped with one or two); one that
     * runs AVX at least a 256-bit multiply-or-add; AVX-512 at least one 512-bit FMA per two
     * cycles (a single 256-bit pipe double-pumped); anything else one 128-bit FP operation. */
    snprintf(out->name, sizeof out->name, "fallback");
    snprintf(out->core, sizeof out->core, "fallback");
    snprintf(out->source, sizeof out->source, "isa-lower-bound");
    out->known = 0;
    int fma = (runnable & RL_ISA_AVX2) && (runnable & RL_ISA_FMA);
    out->datapath_bits = fma || (runnable & RL_ISA_AVX) ? 256 : 128;
    out->mul_add_pipes = 1;
    out->fma_pipes = fma ? 1 : (runnable & RL_ISA_FMA) ? 1 : 0;
    out->add_pipes = 0;
    out->fma512 = (runnable & RL_ISA_AVX512F) && out->fma_pipes ? 256.0 / 512.0 : 0;
    out->bf16_dp512 = out->fma512;
    out->fp64_scale = 1;
    snprintf(out->note, sizeof out->note,
             "%s family 0x%x model 0x%x is not in the microarchitecture table: a lower bound "
             "from its ISA alone (the fallback), %s",
             vendor, (unsigned)family, (unsigned)model,
             fma                       ? "one 256-bit FMA pipe (it runs AVX2 and FMA)"
             : (runnable & RL_ISA_AVX) ? "one 256-bit FP operation per cycle (it runs AVX)"
             : (runnable & RL_ISA_FMA) ? "one 128-bit FMA per cycle"
                                       : "one 128-bit FP operation per cycle");
}

void rl_uarch_apply_hybrid_bit(rl_uarch *u, int cpu_is_hybrid)
{
    if (u->n_types < 2 || cpu_is_hybrid)
        return;
    u->n_types = 0;
    u->hybrid = 0;
    size_t n = strlen(u->note);
    snprintf(u->note + n, sizeof u->note - n,
             "; this CPU reports no hybrid cores (CPUID 7.EDX[15]): "
             "%s only",
             u->core);
}

void rl_uarch_type_view(const rl_uarch *u, size_t i, rl_uarch *out)
{
    *out = *u;
    if (i >= (size_t)u->n_types)
        return;
    set_flat(out, &u->types[i]);
    snprintf(out->name, sizeof out->name, "%s", u->types[i].name);
    out->hybrid = 0;
    out->n_types = 0;
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

/* The AArch64 rows (see uarch.h for the rules). */
static size_t arm_fpc(const rl_uarch *u, rl_isa_mask runnable, rl_fpc *out, size_t cap)
{
    size_t n = 0;
    double p = u->neon_pipes;
    if (runnable & RL_ISA_NEON) {
        put(out, cap, &n, "neon", "fp64", 4 * p, "FLOP", 0);
        put(out, cap, &n, "neon", "fp32", 8 * p, "FLOP", 0);
        if ((runnable & RL_ISA_ASIMDHP) && u->neon_fp16)
            put(out, cap, &n, "neon", "fp16", 16 * p, "FLOP", 0);
    }
    if ((runnable & RL_ISA_SVE) && u->sve_bits > 0) {
        double s = u->sve_pipes * u->sve_bits / 128.0;
        put(out, cap, &n, "sve", "fp64", 4 * s, "FLOP", 0);
        put(out, cap, &n, "sve", "fp32", 8 * s, "FLOP", 0);
        put(out, cap, &n, "sve", "fp16", 16 * s, "FLOP", 0);
    }
    if (runnable & RL_ISA_ASIMDDP)
        put(out, cap, &n, "sdot", "int8", 32 * p, "OP", 0);
    if (runnable & RL_ISA_BF16) {
        put(out, cap, &n, "bfdot", "bf16", 16 * p, "FLOP", 0);
        put(out, cap, &n, "bfmmla", "bf16", 32 * p, "FLOP", 0);
    }
    if (runnable & RL_ISA_I8MM)
        put(out, cap, &n, "smmla", "int8", 64 * p, "OP", 0);
    return n;
}

size_t rl_uarch_fpc(const rl_uarch *u, rl_isa_mask runnable, rl_fpc *out, size_t cap)
{
    if (u->arm)
        return arm_fpc(u, runnable, out, cap);
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
        /* FP64 at fp64_scale of the lane rate (0 from an old caller's zeroed struct: 1) */
        double sc = p == 0 && u->fp64_scale > 0 ? u->fp64_scale : 1;
        l128 *= sc;
        l256 *= sc;
        l512 *= sc;
        put(out, cap, &n, "scalar", pr, u->mul_add_pipes * sc, "FLOP", 0);
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
            put(out, cap, &n, "avx512_bf16", "bf16", u->bf16_dp512 * 16 * 4, "FLOP", 0);
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
