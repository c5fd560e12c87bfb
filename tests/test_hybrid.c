/* test_hybrid.c: hybrid CPUs end to end through `roofline probe`: every core type's figures, the
 * machine's peak as the sum over the types, from a dump that records every logical CPU (leaf 0x1A
 * per core: tests/data/cpuid-extra/, from libcpuid's public test data) and from a topology with CPU
 * kinds (tests/data/topo-hybrid-2p4e.xml); a P-core-only model (hybrid bit clear) keeps one type.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/result.h"
#include "tests/helpers.h"

static rl_result *probe_json(const char *args)
{
    char cmd[2048], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "probe --json - %s", args);
    int st = rl_test_run(cmd, &out, &err);
    cr_assert_eq(st, 0, "exit %d: %s", st, err ? err : "");
    rl_err e = {0};
    rl_result *r = rl_result_from_json(out, strlen(out), "stdout", &e);
    cr_assert_not_null(r, "%s", e.msg);
    free(out);
    free(err);
    return r;
}

static double fpc(const rl_result *r, const char *isa, const char *prec, const char *type)
{
    for (size_t i = 0; i < r->theory.n_fpc; i++) {
        const rl_fpc *f = &r->theory.fpc[i];
        if (!strcmp(f->isa, isa) && !strcmp(f->precision, prec) && !strcmp(f->core_type, type))
            return f->per_core;
    }
    return -1;
}

static double peak(const rl_result *r, const char *isa, const char *prec, int threads,
                   const char *type)
{
    for (size_t i = 0; i < r->theory.n_peak; i++) {
        const rl_peak *p = &r->theory.peak[i];
        if (!strcmp(p->isa, isa) && !strcmp(p->precision, prec) && p->threads == threads &&
            !strcmp(p->core_type, type))
            return p->gflops_at_measured_clock;
    }
    return -1;
}

static const char *extra(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "tests/data/cpuid-extra/%s", name);
    return path;
}

/* Arrow Lake-U (6/0xB5): 2 Redwood Cove P-cores and 10 Crestmont E-cores, counted from the dump's
 * per-CPU leaf 0x1A with no topology of its own. */
Test(hybrid, arrow_lake_u_dump_lists_both_types_and_sums_them)
{
    char args[1200];
    snprintf(args, sizeof args, "--cpuid-dump %s --clock 4",
             extra("intel__x86-64__lion-cove__intel-core-ultra-7-265u.raw"));
    rl_result *r = probe_json(args);
    cr_assert_str_eq(r->machine.uarch, "arrow-lake-u");
    cr_assert_eq(r->theory.n_core_types, 2);
    cr_assert_str_eq(r->theory.core_types[0].name, "redwood-cove");
    cr_assert_str_eq(r->theory.core_types[0].role, "P");
    cr_assert_eq(r->theory.core_types[0].cores, 2);
    cr_assert_str_eq(r->theory.core_types[1].name, "crestmont");
    cr_assert_eq(r->theory.core_types[1].cores, 10);
    cr_assert_eq(fpc(r, "avx2-fma", "fp32", "redwood-cove"), 32, "the P-core does 32, not 16");
    cr_assert_eq(fpc(r, "avx2-fma", "fp64", "redwood-cove"), 16);
    cr_assert_eq(fpc(r, "avx2-fma", "fp32", "crestmont"), 16);
    for (size_t i = 0; i < r->theory.n_fpc; i++)
        cr_assert(r->theory.fpc[i].core_type[0], "every row of a hybrid names its core type");
    /* the machine: 2 x 32 + 10 x 16 = 224 FP32 FLOPs/cycle at 4 GHz */
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 12, ""), 896, 1e-6);
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 2, "redwood-cove"), 256, 1e-6);
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 10, "crestmont"), 640, 1e-6);
    /* one core: the fastest, a P-core */
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 1, ""), 128, 1e-6);
    rl_result_free(r);
}

/* Meteor Lake (6/0xAA), P-cores with two threads each: 6 P + 10 E (8 E + 2 LP E). */
Test(hybrid, meteor_lake_dump_counts_cores_not_threads)
{
    char args[1200];
    snprintf(args, sizeof args, "--cpuid-dump %s --clock 3",
             extra("intel__x86-64__redwood-cove__intel-core-ultra-7-155h.raw"));
    rl_result *r = probe_json(args);
    cr_assert_str_eq(r->machine.uarch, "meteor-lake");
    cr_assert_eq(r->theory.core_types[0].cores, 6);
    cr_assert_eq(r->theory.core_types[1].cores, 10);
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 16, ""), 3 * (6 * 32 + 10 * 16), 1e-6);
    rl_result_free(r);
}

/* Lunar Lake (fixtures/cpuid): Lion Cove + Skymont, whose four 128-bit FMAs match the P-core's
 * FP32 rate per cycle. */
Test(hybrid, lunar_lake_skymont_has_four_fma_pipes)
{
    char args[1200];
    snprintf(args, sizeof args,
             "--cpuid-dump %s/fixtures/cpuid/intel__x86-64__lion-cove__intel-core-ultra-9-288v.raw "
             "--clock 2",
             rl_test_shared());
    rl_result *r = probe_json(args);
    cr_assert_str_eq(r->machine.uarch, "lunar-lake");
    cr_assert_str_eq(r->theory.core_types[1].name, "skymont");
    cr_assert_eq(fpc(r, "avx2-fma", "fp32", "skymont"), 32);
    cr_assert_eq(fpc(r, "avx2-fma", "fp32", "lion-cove"), 32);
    rl_result_free(r);
}

/* A topology with CPU kinds tells the counts: 2 IntelCore + 4 IntelAtom. */
Test(hybrid, topology_kinds_give_the_counts)
{
    char args[1200];
    snprintf(args, sizeof args,
             "--cpuid-dump %s/fixtures/cpuid/intel__x86-64__golden-cove__12th-gen-intel-core-i9-"
             "12900k.raw --topology tests/data/topo-hybrid-2p4e.xml --clock 2",
             rl_test_shared());
    rl_result *r = probe_json(args);
    cr_assert_eq(r->theory.core_types[0].cores, 2);
    cr_assert_eq(r->theory.core_types[1].cores, 4);
    cr_assert_str_eq(r->theory.core_types[1].name, "gracemont");
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 6, ""), 2 * (2 * 32 + 4 * 16), 1e-6);
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 4, "gracemont"), 2 * 4 * 16, 1e-6);
    rl_result_free(r);
}

/* The text report: a section per core type. */
Test(hybrid, text_report_has_rows_per_core_type)
{
    char args[1200], *out = NULL;
    snprintf(args, sizeof args, "probe --cpuid-dump %s --clock 4",
             extra("intel__x86-64__lion-cove__intel-core-ultra-7-265u.raw"));
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert(strstr(out, "Per core type"), "%s", out);
    cr_assert(strstr(out, "redwood-cove (P)") && strstr(out, "crestmont (E)"), "%s", out);
    cr_assert(strstr(out, "2 redwood-cove P-cores and 10 crestmont E-cores"), "%s", out);
    free(out);
}

/* An Alder Lake model with P-cores only (i5-12400: hybrid bit clear): one type, no core_types. */
Test(hybrid, p_core_only_sku_has_one_type)
{
    char args[1200];
    snprintf(args, sizeof args, "--cpuid-dump %s --clock 4",
             extra("intel__x86-64__golden-cove__12th-gen-intel-core-i5-12400.raw"));
    rl_result *r = probe_json(args);
    cr_assert_str_eq(r->machine.uarch, "alder-lake");
    cr_assert_eq(r->theory.n_core_types, 0);
    cr_assert_eq(fpc(r, "avx2-fma", "fp32", ""), 32);
    rl_result_free(r);
}

/* Zen 5 mobile (Krackan Point, 1Ah/0x60): 256-bit datapath, AVX-512 at the AVX2 rate. */
Test(hybrid, krackan_point_is_zen5_mobile)
{
    char args[1200];
    snprintf(args, sizeof args, "--cpuid-dump %s --clock 2",
             extra("amd__zen5__amd-ryzen-ai-7-pro-360-with-radeon-880m.raw"));
    rl_result *r = probe_json(args);
    cr_assert_str_eq(r->machine.uarch, "zen5-mobile");
    cr_assert_eq(fpc(r, "avx512f", "fp32", ""), 32);
    cr_assert_eq(r->theory.n_core_types, 0);
    rl_result_free(r);
}

/* Server parts of 2023-2026 from dumps made of real ones with their signature and brand string
 * (tests/data/cpuid-xeon-6980p.raw: an i9-10940X's AVX-512 leaves as a Granite Rapids 6/0xAD;
 * cpuid-xeon-6780e.raw: an N95's as a Sierra Forest 6/0xAF; cpuid-epyc-9654.raw: a Ryzen 9
 * 7900X's as a Genoa 19h/0x11): the table knows each, and the platform memory its SKU's. */
Test(hybrid, granite_rapids_sierra_forest_genoa_dumps)
{
    rl_result *r = probe_json("--cpuid-dump tests/data/cpuid-xeon-6980p.raw --clock 2");
    cr_assert_str_eq(r->machine.uarch, "granite-rapids");
    cr_assert_eq(fpc(r, "avx512f", "fp32", ""), 64, "two 512-bit FMA units");
    cr_assert_eq(r->theory.platform.channels, 12, "Xeon 6 6900P: 12 channels");
    rl_result_free(r);
    r = probe_json("--cpuid-dump tests/data/cpuid-xeon-6780e.raw --clock 2");
    cr_assert_str_eq(r->machine.uarch, "sierra-forest");
    cr_assert_eq(fpc(r, "avx2-fma", "fp32", ""), 16, "Crestmont: two 128-bit FMA units");
    cr_assert_eq(r->theory.platform.channels, 8, "Xeon 6 6700E: 8 channels");
    rl_result_free(r);
    r = probe_json("--cpuid-dump tests/data/cpuid-epyc-9654.raw --clock 2");
    cr_assert_str_eq(r->machine.uarch, "zen4");
    cr_assert_eq(fpc(r, "avx512f", "fp32", ""), 32, "Zen 4: 512-bit ops on 256-bit pipes");
    cr_assert_float_eq(r->theory.platform.gbs_per_socket, 460.8, 1e-9);
    rl_result_free(r);
}

/* hwloc may split one core type into kinds by frequency (Meteor Lake's 2 low-power E-cores beside
 * its 8 E-cores): the counts sum kinds by their CoreType, and a team of one type takes all of its
 * kinds. */
Test(hybrid, meteor_lake_three_kinds_two_types)
{
    char args[1200];
    snprintf(args, sizeof args,
             "--cpuid-dump %s --topology tests/data/topo-meteor-lake-6p8e2lp.xml "
             "--clock 3",
             extra("intel__x86-64__redwood-cove__intel-core-ultra-7-155h.raw"));
    rl_result *r = probe_json(args);
    cr_assert_eq(r->machine.n_core_kinds, 3);
    cr_assert_eq(r->theory.core_types[0].cores, 6);
    cr_assert_eq(r->theory.core_types[1].cores, 10);
    cr_assert_float_eq(peak(r, "avx2-fma", "fp32", 16, ""), 3 * (6 * 32 + 10 * 16), 1e-6);
    rl_result_free(r);
}
