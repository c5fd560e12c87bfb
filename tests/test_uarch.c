/* test_uarch.c: the microarchitecture table against every CPUID dump in ../shared/fixtures/cpuid/,
 * the Skylake-SP SKU rule, and the traps the fixtures README names (Zen 4's 256-bit datapath, Zen 5
 * client vs server, hybrid parts and early Alder Lake AVX-512, misnamed parts).
 *
 * The expectations come from the file name (VENDOR__FOLDER__[CORE__]MODEL.raw), not from the code
 * under test: a table maps name patterns to the expected microarchitecture and the best FP32 / FP64
 * FLOPs per cycle per core (non-mix). Pre-Haswell and odd cores expect the fallback, whose figure
 * follows from the ISA alone. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/cpu_x86.h"
#include "probes/uarch.h"
#include "tests/helpers.h"

typedef struct expect {
    const char *pattern;    /* substring of the file name; first match wins */
    const char *uarch[2];   /* accepted names */
    double fp32, fp64;      /* best non-mix FLOPs/cycle/core; 0: the fallback rule; -1: the
                               Bulldozer rule (8 / 4 with AVX2 and FMA, else 4 / 2) */
    int avx512_equals_avx2; /* Zen 4 / Zen 5 mobile: AVX-512 FLOPs = AVX2's */
    int no_avx512;          /* hybrid: AVX-512 never counted */
} expect;

static const expect table[] = {
    {"__zen5__amd-ryzen-ai", {"zen5-mobile", NULL}, 32, 16, 1, 0},
    {"__zen5__", {"zen5", NULL}, 64, 32, 0, 0},
    {"__zen4__", {"zen4", NULL}, 32, 16, 1, 0},
    {"__zen3+__", {"zen3+", NULL}, 32, 16, 0, 0},
    {"__zen3__", {"zen3", NULL}, 32, 16, 0, 0},
    {"__zen2__", {"zen2", NULL}, 32, 16, 0, 0},
    {"__zen+__", {"zen+", NULL}, 16, 8, 0, 0},
    {"__zen__", {"zen", NULL}, 16, 8, 0, 0},
    {"hygon__dhyana", {"zen", NULL}, 16, 8, 0, 0},
    {"__skylake__intel-pentium", {"skylake", NULL}, 8, 4, 0, 0}, /* no AVX: SSE2 mul+add */
    {"-10940x", {"cascade-lake", NULL}, 64, 32, 0, 0},
    {"-9820x", {"skylake-sp", NULL}, 64, 32, 0, 0},
    {"-7980xe", {"skylake-sp", NULL}, 64, 32, 0, 0},
    {"-7900x", {"skylake-sp", NULL}, 64, 32, 0, 0},
    {"-7800x", {"skylake-sp", NULL}, 64, 32, 0, 0},
    {"__skylake__", {"skylake", NULL}, 32, 16, 0, 0},
    {"__haswell__", {"haswell", "broadwell"}, 32, 16, 0, 0},
    {"__sandy-bridge__intel-celeron", {"sandy-bridge", NULL}, 8, 4, 0, 0},
    {"__sandy-bridge__", {"sandy-bridge", "ivy-bridge"}, 16, 8, 0, 0},
    {"__palm-cove__", {"cannon-lake", NULL}, 32, 16, 0, 0},
    {"__sunny-cove__", {"ice-lake", NULL}, 32, 16, 0, 0},
    {"__willow-cove__", {"tiger-lake", NULL}, 32, 16, 0, 0},
    {"__cypress-cove__", {"rocket-lake", NULL}, 32, 16, 0, 0},
    {"__golden-cove__", {"alder-lake", NULL}, 32, 16, 0, 1},
    {"__raptor-cove__", {"raptor-lake", NULL}, 32, 16, 0, 1},
    {"__redwood-cove__", {"meteor-lake", "arrow-lake-u"}, 32, 16, 0, 1},
    {"__lion-cove__", {"arrow-lake", "lunar-lake"}, 32, 16, 0, 1},
    {"__gracemont__", {"gracemont", NULL}, 16, 8, 0, 0},
    {"__tremont__", {"tremont", "lakefield"}, 8, 4, 0, 0}, /* SSE: one 128-bit mul + one add */
    {"__jaguar__", {"jaguar", "puma"}, 8, 2, 0, 0},        /* FP64 multiplies iterate */
    /* Bulldozer family: one 128-bit FMAC per core; FMA counted only with AVX2 (Excavator) */
    {"__bulldozer__", {"bulldozer", "steamroller"}, -1, -1, 0, 0},
    {"", {"fallback", NULL}, 0, 0, 0, 0}, /* everything older or odd */
};

static double best(const rl_fpc *f, size_t n, const char *prec)
{
    double b = 0;
    for (size_t i = 0; i < n; i++)
        if (!f[i].is_mix && strcmp(f[i].precision, prec) == 0 && f[i].per_core > b)
            b = f[i].per_core;
    return b;
}

static double find(const rl_fpc *f, size_t n, const char *isa, const char *prec)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].isa, isa) == 0 && strcmp(f[i].precision, prec) == 0)
            return f[i].per_core;
    return -1;
}

/* The fallback, a lower bound from the ISA: one 256-bit FMA pipe with AVX2 and FMA, one 256-bit
 * multiply-or-add with AVX, else one 128-bit FP operation per cycle. */
static void fallback_expect(rl_isa_mask isa, double *fp32, double *fp64)
{
    if ((isa & RL_ISA_AVX2) && (isa & RL_ISA_FMA)) {
        *fp32 = 16;
        *fp64 = 8;
    } else if (isa & RL_ISA_AVX) {
        *fp32 = 8;
        *fp64 = 4;
    } else if (isa & RL_ISA_SSE2) {
        *fp32 = 4;
        *fp64 = 2;
    } else {
        *fp32 = 1;
        *fp64 = 1;
    }
}

static int check_dump(const char *dir, const char *name, char *why, size_t why_size)
{
    char path[2048];
    snprintf(path, sizeof path, "%.1000s/%.1000s", dir, name);
    rl_cpu cpu;
    rl_err err = {0};
    if (rl_cpu_identify(path, &cpu, &err) != 0) {
        snprintf(why, why_size, "identify failed: %.400s", err.msg);
        return 0;
    }
    const expect *e = table;
    while (!strstr(name, e->pattern))
        e++;
    rl_uarch u;
    rl_uarch_lookup(cpu.vendor, cpu.family, cpu.model, cpu.stepping, cpu.brand, cpu.runnable_isa,
                    &u);
    int excavator = strcmp(u.name, "excavator") == 0 && strcmp(e->pattern, "__bulldozer__") == 0;
    if (strcmp(u.name, e->uarch[0]) != 0 && !(e->uarch[1] && strcmp(u.name, e->uarch[1]) == 0) &&
        !excavator) {
        snprintf(why, why_size, "uarch '%s', expected '%s' (family 0x%x model 0x%x)", u.name,
                 e->uarch[0], (unsigned)cpu.family, (unsigned)cpu.model);
        return 0;
    }
    rl_fpc f[32];
    size_t n = rl_uarch_fpc(&u, cpu.runnable_isa, f, 32);
    double want32 = e->fp32, want64 = e->fp64;
    if (want32 == 0)
        fallback_expect(cpu.runnable_isa, &want32, &want64);
    if (want32 < 0) {
        int fma = (cpu.runnable_isa & RL_ISA_AVX2) && (cpu.runnable_isa & RL_ISA_FMA);
        want32 = fma ? 8 : 4;
        want64 = fma ? 4 : 2;
    }
    double got32 = best(f, n, "fp32"), got64 = best(f, n, "fp64");
    if (got32 != want32 || got64 != want64) {
        snprintf(why, why_size, "%s: FP32 %g FP64 %g FLOPs/cycle, expected %g / %g", u.name, got32,
                 got64, want32, want64);
        return 0;
    }
    if (e->avx512_equals_avx2 && find(f, n, "avx512f", "fp32") != find(f, n, "avx2-fma", "fp32")) {
        snprintf(why, why_size, "%s: AVX-512 FP32 %g != AVX2 %g", u.name,
                 find(f, n, "avx512f", "fp32"), find(f, n, "avx2-fma", "fp32"));
        return 0;
    }
    if (e->no_avx512 && find(f, n, "avx512f", "fp32") >= 0) {
        snprintf(why, why_size, "%s: hybrid part counts AVX-512", u.name);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (f[i].is_mix && (strcmp(u.name, "fallback") == 0 || strncmp(u.name, "zen", 3) != 0)) {
            snprintf(why, why_size, "%s: FMA+ADD mix row on a core without separate add pipes",
                     u.name);
            return 0;
        }
    return 1;
}

Test(uarch, every_fixture_dump_matches_its_microarchitecture)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/fixtures/cpuid", rl_test_shared());
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    struct dirent *de;
    int total = 0, failed = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".raw") != 0)
            continue;
        total++;
        char why[512];
        if (!check_dump(dir, de->d_name, why, sizeof why)) {
            failed++;
            cr_log_error("%s: %s", de->d_name, why);
        }
    }
    closedir(d);
    cr_assert_geq(total, 300, "expected the 307 fixture dumps, found %d", total);
    cr_assert_eq(failed, 0, "%d of %d dumps do not match their microarchitecture", failed, total);
}

Test(uarch, skylake_sp_sku_rule)
{
    static const struct {
        const char *brand;
        int units, known;
    } cases[] = {
        {"Intel(R) Xeon(R) Platinum 8180 CPU @ 2.50GHz", 2, 1},
        {"Intel(R) Xeon(R) Platinum 8280L CPU @ 2.70GHz", 2, 1},
        {"Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz", 2, 1},
        {"Intel(R) Xeon(R) Gold 6230R CPU @ 2.10GHz", 2, 1},
        {"Intel(R) Xeon(R) Gold 5118 CPU @ 2.30GHz", 1, 1},
        {"Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", 1, 1},
        {"Intel(R) Xeon(R) Gold 5122 CPU @ 3.60GHz", 2, 1},
        {"Intel(R) Xeon(R) Gold 5222 CPU @ 3.80GHz", 2, 1},
        {"Intel(R) Xeon(R) Gold 5318H CPU @ 2.50GHz", 2, 1},
        {"Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz", 1, 1},
        {"Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz", 1, 1},
        {"Intel(R) Xeon(R) Bronze 3106 CPU @ 1.70GHz", 1, 1},
        {"Intel(R) Xeon(R) W-2145 CPU @ 3.70GHz", 2, 1},
        {"Intel(R) Core(TM) i9-7900X CPU @ 3.30GHz", 2, 1},
        {"Intel(R) Xeon(R) CPU @ 2.00GHz", 1, 0}, /* cloud VM: SKU hidden */
        {"", 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int known = -1;
        int units = rl_uarch_avx512_fma_units(cases[i].brand, &known);
        cr_expect_eq(units, cases[i].units, "'%s': %d units", cases[i].brand, units);
        cr_expect_eq(known, cases[i].known, "'%s'", cases[i].brand);
    }
}

static const rl_isa_mask AVX512_SET = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA |
                                      RL_ISA_AVX512F | RL_ISA_AVX512VL | RL_ISA_AVX512BW |
                                      RL_ISA_AVX512DQ;

Test(uarch, cascade_lake_one_and_two_fma_units)
{
    rl_uarch u;
    rl_fpc f[32];
    rl_uarch_lookup("GenuineIntel", 6, 0x55, 7, "Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz",
                    AVX512_SET, &u);
    cr_assert_str_eq(u.name, "cascade-lake");
    size_t n = rl_uarch_fpc(&u, AVX512_SET, f, 32);
    cr_assert_eq(find(f, n, "avx512f", "fp32"), 32);
    cr_assert_eq(find(f, n, "avx512f", "fp64"), 16);
    cr_assert_eq(find(f, n, "avx2-fma", "fp32"), 32);
    rl_uarch_lookup("GenuineIntel", 6, 0x55, 7, "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz",
                    AVX512_SET, &u);
    n = rl_uarch_fpc(&u, AVX512_SET, f, 32);
    cr_assert_eq(find(f, n, "avx512f", "fp32"), 64);
    rl_uarch_lookup("GenuineIntel", 6, 0x55, 4, "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz",
                    AVX512_SET, &u);
    cr_assert_str_eq(u.name, "skylake-sp");
}

Test(uarch, ice_lake_client_one_fma_server_two)
{
    rl_uarch u;
    rl_fpc f[32];
    /* i7-11800H (Tiger Lake-H, model 0x8D): libcpuid 0.6.2 calls it "Broadwell-U"; we ignore it */
    rl_uarch_lookup("GenuineIntel", 6, 0x8D, 1, "11th Gen Intel(R) Core(TM) i7-11800H @ 2.30GHz",
                    AVX512_SET, &u);
    cr_assert_str_eq(u.name, "tiger-lake");
    size_t n = rl_uarch_fpc(&u, AVX512_SET, f, 32);
    cr_assert_eq(find(f, n, "avx512f", "fp32"), 32);
    rl_uarch_lookup("GenuineIntel", 6, 0x6A, 6, "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz",
                    AVX512_SET, &u);
    cr_assert_str_eq(u.name, "ice-lake-sp");
    n = rl_uarch_fpc(&u, AVX512_SET, f, 32);
    cr_assert_eq(find(f, n, "avx512f", "fp32"), 64);
    cr_assert_eq(find(f, n, "avx512f", "fp64"), 32);
}

Test(uarch, sapphire_rapids_fp16_bf16_int8)
{
    rl_isa_mask isa =
        AVX512_SET | RL_ISA_AVX512_FP16 | RL_ISA_AVX512_BF16 | RL_ISA_AVX512_VNNI | RL_ISA_AVX_VNNI;
    rl_uarch u;
    rl_fpc f[32];
    rl_uarch_lookup("GenuineIntel", 6, 0x8F, 8, "Intel(R) Xeon(R) Platinum 8480+", isa, &u);
    cr_assert_str_eq(u.name, "sapphire-rapids");
    size_t n = rl_uarch_fpc(&u, isa, f, 32);
    cr_assert_eq(find(f, n, "avx512_fp16", "fp16"), 128);
    /* VDPBF16PS zmm: one per two cycles (2 uops on p0 + 2 on p5), 16 lanes x 4 FLOPs */
    cr_assert_eq(find(f, n, "avx512_bf16", "bf16"), 32);
    cr_assert_eq(find(f, n, "avx512_vnni", "int8"), 256);
    cr_assert_eq(find(f, n, "avx_vnni", "int8"), 128);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(f[i].is_mix, 0, "no FMA+ADD mix on Intel");
}

Test(uarch, zen_mix_rows_are_never_the_peak)
{
    rl_isa_mask isa = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA;
    rl_uarch u;
    rl_fpc f[32];
    rl_uarch_lookup("AuthenticAMD", 0x19, 0x01, 1, "AMD EPYC 7763 64-Core Processor", isa, &u);
    cr_assert_str_eq(u.name, "zen3");
    size_t n = rl_uarch_fpc(&u, isa, f, 32);
    cr_assert_eq(find(f, n, "avx2-fma", "fp32"), 32);
    cr_assert_eq(find(f, n, "avx2-fma", "fp64"), 16);
    cr_assert_eq(find(f, n, "avx2-fma+add", "fp32"), 48);
    cr_assert_eq(best(f, n, "fp32"), 32, "the mix is not the ISA peak");
    int mixes = 0;
    for (size_t i = 0; i < n; i++)
        mixes += f[i].is_mix && strcmp(f[i].isa, "avx2-fma+add") == 0;
    cr_assert_eq(mixes, 2, "one mix row per precision");
}

Test(uarch, zen5_server_and_desktop_512_mobile_256)
{
    rl_isa_mask isa = AVX512_SET;
    rl_uarch u;
    rl_fpc f[32];
    rl_uarch_lookup("AuthenticAMD", 0x1A, 0x02, 0, "AMD EPYC 9755 128-Core Processor", isa, &u);
    cr_assert_str_eq(u.name, "zen5-server");
    size_t n = rl_uarch_fpc(&u, isa, f, 32);
    cr_assert_eq(find(f, n, "avx512f", "fp32"), 64);
    cr_assert_eq(find(f, n, "avx2-fma", "fp32"), 32);
    rl_uarch_lookup("AuthenticAMD", 0x1A, 0x24, 0, "AMD Ryzen AI 9 HX 370", isa, &u);
    n = rl_uarch_fpc(&u, isa, f, 32);
    cr_assert_eq(find(f, n, "avx512f", "fp32"), 32);
}

Test(uarch, early_alder_lake_avx512_is_not_counted)
{
    char path[1024];
    snprintf(path, sizeof path,
             "%s/fixtures/cpuid/intel__x86-64__golden-cove__12th-gen-intel-core-i9-12900k.raw",
             rl_test_shared());
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_identify(path, &cpu, &err), 0, "%s", err.msg);
    /* What early firmware exposed: AVX-512 F/DQ/BW/VL and FP16 in CPUID. */
    cpu.leaf7_ebx |= (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
    cpu.leaf7_edx |= 1u << 23;
    rl_cpu_x86_decide_isa(&cpu);
    cr_assert(cpu.runnable_isa & RL_ISA_AVX512F);
    rl_uarch u;
    rl_uarch_lookup(cpu.vendor, cpu.family, cpu.model, cpu.stepping, cpu.brand, cpu.runnable_isa,
                    &u);
    cr_assert(u.hybrid);
    cr_assert(strstr(u.note, "AVX-512 not counted"), "%s", u.note);
    rl_fpc f[32];
    size_t n = rl_uarch_fpc(&u, cpu.runnable_isa, f, 32);
    for (size_t i = 0; i < n; i++)
        cr_assert(strncmp(f[i].isa, "avx512", 6) != 0, "counted %s", f[i].isa);
    cr_assert_eq(best(f, n, "fp32"), 32, "P-core figure");
}

Test(uarch, unknown_cpu_falls_back_and_says_so)
{
    rl_isa_mask isa = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA;
    rl_uarch u;
    rl_uarch_lookup("GenuineIntel", 6, 0xFE, 0, "Future CPU", isa, &u);
    cr_assert_eq(u.known, 0);
    cr_assert_str_eq(u.name, "fallback");
    cr_assert(strstr(u.note, "not in the microarchitecture table"), "%s", u.note);
    cr_assert(strstr(u.note, "lower bound") && strstr(u.note, "256-bit FMA"), "%s", u.note);
    rl_fpc f[32];
    size_t n = rl_uarch_fpc(&u, isa, f, 32);
    cr_assert_eq(best(f, n, "fp32"), 16, "AVX2+FMA: at least one 256-bit FMA pipe");
    cr_assert_eq(best(f, n, "fp64"), 8);
    rl_uarch_lookup("GenuineIntel", 6, 0xFE, 0, "Future CPU", isa | AVX512_SET, &u);
    n = rl_uarch_fpc(&u, isa | AVX512_SET, f, 32);
    cr_assert_eq(find(f, n, "avx512f", "fp32"), 16, "AVX-512 on one double-pumped 256-bit pipe");
    rl_uarch_lookup("GenuineIntel", 6, 0xFE, 0, "", RL_ISA_SSE2, &u);
    n = rl_uarch_fpc(&u, RL_ISA_SSE2, f, 32);
    cr_assert_eq(best(f, n, "fp32"), 4, "SSE2 only: one 128-bit operation");
}

/* CPUs of 2023-2026 by their documented family/model (no fixture dumps yet). */
Test(uarch, recent_cpus_by_family_and_model)
{
    rl_isa_mask avx2 = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA;
    static const struct {
        const char *vendor;
        int family, model;
        const char *name;
        double fp32; /* best non-mix FLOPs/cycle/core with `isa` */
        int avx512;
    } cpus[] = {
        {"GenuineIntel", 6, 0xAA, "meteor-lake", 32, 0},
        {"GenuineIntel", 6, 0xC6, "arrow-lake", 32, 0},
        {"GenuineIntel", 6, 0xBD, "lunar-lake", 32, 0},
        {"GenuineIntel", 6, 0xCC, "panther-lake", 32, 0},
        {"GenuineIntel", 6, 0xAF, "sierra-forest", 16, 0},
        {"GenuineIntel", 6, 0xB6, "grand-ridge", 16, 0},
        {"GenuineIntel", 6, 0xDD, "clearwater-forest", 32, 0},
        {"GenuineIntel", 6, 0xCF, "emerald-rapids", 64, 1},
        {"GenuineIntel", 6, 0xAD, "granite-rapids", 64, 1},
        {"AuthenticAMD", 0x19, 0xA0, "zen4", 32, 1},        /* Zen 4c (Bergamo) */
        {"AuthenticAMD", 0x1A, 0x02, "zen5-server", 64, 1}, /* Turin */
        {"AuthenticAMD", 0x1A, 0x11, "zen5-server", 64, 1}, /* Turin Dense (Zen 5c) */
        {"AuthenticAMD", 0x1A, 0x24, "zen5-mobile", 32, 1}, /* Strix Point */
        {"AuthenticAMD", 0x1A, 0x70, "zen5", 64, 1},        /* Strix Halo */
    };
    for (size_t i = 0; i < sizeof cpus / sizeof cpus[0]; i++) {
        rl_isa_mask isa = avx2 | (cpus[i].avx512 ? AVX512_SET : 0);
        rl_uarch u;
        rl_uarch_lookup(cpus[i].vendor, cpus[i].family, cpus[i].model, 0, "", isa, &u);
        cr_expect_str_eq(u.name, cpus[i].name, "0x%x", (unsigned)cpus[i].model);
        cr_expect_eq(u.known, 1);
        rl_fpc f[32];
        size_t n = rl_uarch_fpc(&u, isa, f, 32);
        cr_expect_eq(best(f, n, "fp32"), cpus[i].fp32, "%s: %g", u.name, best(f, n, "fp32"));
    }
    /* The new family numbering (Intel family 18/19, unannounced FP units): the ISA's lower bound */
    rl_uarch u;
    rl_uarch_lookup("GenuineIntel", 19, 0x01, 0, "", avx2, &u);
    cr_assert_str_eq(u.name, "fallback");
    cr_assert(strstr(u.note, "family 0x13"), "%s", u.note);
}

/* The kernel's model list (tests/data/x86-models.txt) walked against the table: every model of
 * 2013-2026 ("in") must map to a row, the excluded ones must still fall back (so the list stays
 * honest when a row is added: move the line to "in"), the pre-2013 ones are counted as skipped. */
Test(uarch, every_listed_model_of_2013_2026_is_in_the_table)
{
    const char *path = "tests/data/x86-models.txt";
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[512];
    int in = 0, excluded = 0, skipped = 0, bad = 0, lineno = 0;
    rl_isa_mask isa = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char vendor[16], range[32], name[64], scope[32];
        unsigned family;
        cr_assert_eq(
            sscanf(line, "%15s %i %31s %63s %31s", vendor, (int *)&family, range, name, scope), 5,
            "%s:%d: malformed line", path, lineno);
        unsigned lo, hi;
        if (sscanf(range, "%x-%x", &lo, &hi) != 2)
            hi = lo = (unsigned)strtoul(range, NULL, 16);
        cr_assert(lo <= hi && hi <= 0xFF, "%s:%d: bad model range %s", path, lineno, range);
        const char *v = strcmp(vendor, "intel") == 0 ? "GenuineIntel" : "AuthenticAMD";
        if (strcmp(scope, "pre-2013") == 0) {
            skipped++;
            continue;
        }
        int is_in = strcmp(scope, "in") == 0;
        cr_assert(is_in || strcmp(scope, "excluded:") == 0, "%s:%d: scope '%s'", path, lineno,
                  scope);
        for (unsigned m = lo; m <= hi; m++) {
            rl_uarch u;
            rl_uarch_lookup(v, (int)family, (int)m, 0, "", isa, &u);
            if (is_in && !u.known) {
                bad++;
                cr_log_error("%s:%d: %s family 0x%x model 0x%x (%s) falls to the fallback", path,
                             lineno, vendor, family, m, name);
            } else if (!is_in && u.known) {
                bad++;
                cr_log_error("%s:%d: %s model 0x%x is excluded but now in the table (%s): mark it "
                             "in",
                             path, lineno, name, m, u.name);
            } else if (!is_in && !strstr(u.note, "fallback")) {
                bad++;
                cr_log_error("%s:%d: the fallback does not say it is one: %s", path, lineno,
                             u.note);
            }
            if (is_in && u.known && (!u.source[0] || !u.core[0])) {
                bad++;
                cr_log_error("%s:%d: %s: row without a source or core", path, lineno, u.name);
            }
            is_in ? in++ : excluded++;
        }
    }
    fclose(f);
    cr_log_info("x86 models: %d in the table, %d excluded (fallback), %d pre-2013 skipped", in,
                excluded, skipped);
    cr_assert_geq(in, 400, "the list lost most of its models (%d)", in);
    cr_assert_eq(bad, 0, "%d listed models disagree with the table", bad);
}

/* Hybrid parts list both core types, P first; a CPU whose hybrid bit is clear keeps the P-core. */
Test(uarch, hybrid_parts_have_a_type_per_core)
{
    static const struct {
        int model;
        const char *name, *p, *e;
        double p_fp32, e_fp32;
    } parts[] = {
        {0x97, "alder-lake", "golden-cove", "gracemont", 32, 16},
        {0xB7, "raptor-lake", "raptor-cove", "gracemont", 32, 16},
        {0xAA, "meteor-lake", "redwood-cove", "crestmont", 32, 16},
        {0xB5, "arrow-lake-u", "redwood-cove", "crestmont", 32, 16},
        {0xC6, "arrow-lake", "lion-cove", "skymont", 32, 32},
        {0xBD, "lunar-lake", "lion-cove", "skymont", 32, 32},
        {0xCC, "panther-lake", "cougar-cove", "darkmont", 32, 32},
    };
    rl_isa_mask isa = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA | RL_ISA_AVX_VNNI;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        rl_uarch u, t;
        rl_fpc f[32];
        rl_uarch_lookup("GenuineIntel", 6, parts[i].model, 0, "", isa, &u);
        cr_assert_str_eq(u.name, parts[i].name);
        cr_assert(u.hybrid && u.n_types == 2, "%s", u.name);
        cr_assert_str_eq(u.types[0].name, parts[i].p);
        cr_assert_str_eq(u.types[0].role, "P");
        cr_assert_eq(u.types[0].cpuid_type, 0x40);
        cr_assert_str_eq(u.types[1].name, parts[i].e);
        cr_assert_str_eq(u.types[1].role, "E");
        cr_assert_eq(u.types[1].cpuid_type, 0x20);
        rl_uarch_type_view(&u, 0, &t);
        cr_assert_eq(best(f, rl_uarch_fpc(&t, isa, f, 32), "fp32"), parts[i].p_fp32, "%s", t.name);
        rl_uarch_type_view(&u, 1, &t);
        cr_assert_str_eq(t.name, parts[i].e);
        cr_assert_eq(best(f, rl_uarch_fpc(&t, isa, f, 32), "fp32"), parts[i].e_fp32, "%s", t.name);
        rl_uarch_apply_hybrid_bit(&u, 0);
        cr_assert(!u.hybrid && u.n_types == 0, "a P-core-only SKU keeps one type");
        cr_assert(strstr(u.note, "no hybrid cores"), "%s", u.note);
    }
}
