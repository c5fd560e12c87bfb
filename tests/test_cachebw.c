/* test_cachebw.c: theoretical cache bandwidth (probes/cachebw.h) against the sources it cites, for
 * CPUs given by their CPUID dumps in ../shared/fixtures/cpuid (Haswell, Skylake-SP, Zen 2, Zen 3,
 * Zen 4, Zen 5) or, where no dump exists, by family and model (Ice Lake-SP 0x6A, Sapphire Rapids
 * 0x8F, Emerald Rapids 0xCF); how a measured row compares with it; the JSON fields, optional both
 * ways; and the flag on a row above 101%. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/cachebw.h"
#include "probes/cpu.h"
#include "probes/uarch.h"
#include "report/summary.h"
#include "result/result.h"
#include "tests/helpers.h"

typedef struct expect {
    const char *dump;   /* fixture file, or NULL for a synthetic CPU */
    const char *vendor; /* synthetic: vendor, family, model */
    int family, model;
    const char *uarch;
    double l1_load, l1_store, l2, l3; /* bytes/cycle/core, -1 unknown */
} expect;

static const expect cases[] = {
    /* Intel optimization manual: Haswell 2x32 B loads + 32 B store, L2 64 B/cycle, L3 no peak */
    {"intel__x86-64__haswell__intel-core-i7-4710mq-cpu.raw", NULL, 0, 0, "haswell", 64, 32, 64, -1},
    /* Skylake client: L3 peak 32 B/cycle */
    {"intel__x86-64__skylake__intel-core-i7-6700k-cpu.raw", NULL, 0, 0, "skylake", 64, 32, 64, 32},
    /* Skylake Server: 2x64 B loads + 64 B store, L2 64 */
    {"intel__x86-64__skylake__intel-core-i9-7900x-cpu.raw", NULL, 0, 0, "skylake-sp", 128, 64, 64,
     -1},
    {NULL, "GenuineIntel", 6, 0x6A, "ice-lake-sp", 128, 64, 64, -1},
    {NULL, "GenuineIntel", 6, 0x8F, "sapphire-rapids", 128, 64, 64, -1},
    {NULL, "GenuineIntel", 6, 0xCF, "emerald-rapids", 128, 64, 64, -1},
    /* Golden Cove P-core without AVX-512: three 256-bit loads */
    {"intel__x86-64__golden-cove__12th-gen-intel-core-i9-12900k.raw", NULL, 0, 0, "alder-lake", 96,
     64, 64, -1},
    /* AMD optimization guides: Zen 2/3/4 2x32 B loads + 32 B store, L2 and L3 32 B/cycle */
    {"amd__zen2__amd-ryzen-7-3700x-8-core-processor.raw", NULL, 0, 0, "zen2", 64, 32, 32, 32},
    {"amd__zen3__amd-ryzen-9-5900x-12-core-processor.raw", NULL, 0, 0, "zen3", 64, 32, 32, 32},
    {"amd__zen4__amd-ryzen-7-7700x-8-core-processor.raw", NULL, 0, 0, "zen4", 64, 32, 32, 32},
    /* Zen 5 desktop: 2x64 B loads + 64 B store, L2 to L1 64 B/cycle (twice Zen 4's) */
    {"amd__zen5__amd-ryzen-9-9950x-16-core-processor.raw", NULL, 0, 0, "zen5", 128, 64, 64, 32},
    /* Zen 1: 128-bit datapath */
    {"amd__zen__amd-ryzen-7-1800x-eight-core-processor.raw", NULL, 0, 0, "zen", 32, 16, 32, 32},
    /* Zen 5 mobile (256-bit datapath): no published load width: unknown, never a guess */
    {"amd__zen5__amd-ryzen-ai-9-hx-370-with-radeon-890m.raw", NULL, 0, 0, "zen5-mobile", -1, -1, -1,
     -1},
};

Test(cachebw, table_matches_the_cited_sources)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const expect *e = &cases[i];
        rl_uarch u;
        if (e->dump) {
            char path[1024];
            snprintf(path, sizeof path, "%s/fixtures/cpuid/%s", rl_test_shared(), e->dump);
            rl_cpu cpu;
            rl_err err = {0};
            cr_assert_eq(rl_cpu_identify(path, &cpu, &err), 0, "%s: %s", e->dump, err.msg);
            rl_uarch_lookup(cpu.vendor, cpu.family, cpu.model, cpu.stepping, cpu.brand,
                            cpu.runnable_isa, &u);
        } else {
            rl_uarch_lookup(e->vendor, e->family, e->model, 0, "", 0, &u);
        }
        cr_assert_str_eq(u.name, e->uarch, "%s", e->dump ? e->dump : e->uarch);
        rl_cachebw bw;
        rl_cachebw_lookup(&u, &bw);
        cr_expect(bw.l1_load == e->l1_load && bw.l1_store == e->l1_store && bw.l2 == e->l2 &&
                      bw.l3 == e->l3,
                  "%s: L1 %g/%g L2 %g L3 %g, expected %g/%g %g %g", u.name, bw.l1_load, bw.l1_store,
                  bw.l2, bw.l3, e->l1_load, e->l1_store, e->l2, e->l3);
        cr_expect_neq(strcmp(bw.source, "unknown") == 0, e->l1_load > 0, "%s: source %s", u.name,
                      bw.source);
    }
    rl_uarch fb;
    rl_uarch_lookup("GenuineIntel", 5, 2, 0, "", RL_ISA_SSE2, &fb);
    rl_cachebw bw;
    rl_cachebw_lookup(&fb, &bw);
    cr_assert(bw.l1_load < 0 && bw.l2 < 0 && strcmp(bw.source, "unknown") == 0);
}

static rl_bandwidth row(const char *level, const char *kernel, int threads, double gbs, int nt)
{
    rl_bandwidth b;
    memset(&b, 0, sizeof b);
    snprintf(b.level, sizeof b.level, "%s", level);
    snprintf(b.kernel, sizeof b.kernel, "%s", kernel);
    snprintf(b.isa, sizeof b.isa, "avx2");
    b.threads = threads;
    b.gbs = b.gbs_median = b.gbs_min = gbs;
    b.gbs_traffic = gbs * (strcmp(level, "L1") && strcmp(kernel, "load") ? 4.0 / 3 : 1);
    b.nt_stores = nt;
    b.repeats = 1;
    b.bytes_per_thread = 4096;
    return b;
}

/* A Zen 3 at 3 GHz with 8 cores, from the table: how rows compare. */
static rl_result *zen3_result(void)
{
    rl_result *r = rl_result_new();
    r->machine.cores = 8;
    r->machine.measured_ghz = 3.0;
    rl_uarch u;
    rl_uarch_lookup("AuthenticAMD", 0x19, 0x21, 0, "", 0, &u);
    rl_cachebw bw;
    rl_cachebw_lookup(&u, &bw);
    int threads[] = {1, 8};
    rl_err err = {0};
    cr_assert_eq(rl_cachebw_derive(r, &bw, threads, 2, &err), 0);
    r->theory.dram_gbs = 51.2;
    return r;
}

#define NEAR(a, b) ((a) > (b)-1e-9 && (a) < (b) + 1e-9)

Test(cachebw, rows_compare_with_their_level)
{
    rl_result *r = zen3_result();
    cr_assert_eq(r->theory.n_bw, 8, "L1 load/store, L2, L3 at 1 and 8 cores");
    cr_assert(NEAR(r->theory.bw[0].gbs, 64 * 3.0), "%g", r->theory.bw[0].gbs);
    cr_assert(NEAR(r->theory.bw[7].gbs, 32 * 3.0 * 8), "L3 at 8 cores: %g", r->theory.bw[7].gbs);
    rl_bandwidth b = row("L1", "load", 1, 150, 0);
    cr_assert(NEAR(rl_cachebw_row(r, &b), 192), "%g", rl_cachebw_row(r, &b));
    /* triad at L1: 2 loads (16 B on 64 B/cycle) and 1 store (8 B on 32 B/cycle): 0.25 cycle per
     * 24 counted bytes = 96 B/cycle */
    b = row("L1", "triad", 1, 150, 0);
    cr_assert(NEAR(rl_cachebw_row(r, &b), 96 * 3.0), "%g", rl_cachebw_row(r, &b));
    b = row("L1", "store", 8, 150, 0);
    cr_assert(NEAR(rl_cachebw_row(r, &b), 32 * 3.0 * 8), "%g", rl_cachebw_row(r, &b));
    b = row("L2", "triad", 8, 150, 0);
    cr_assert(NEAR(rl_cachebw_row(r, &b), 32 * 3.0 * 8), "%g", rl_cachebw_row(r, &b));
    b = row("L3", "copy", 16, 150, 0); /* SMT: 16 threads on 8 cores */
    cr_assert(NEAR(rl_cachebw_row(r, &b), 32 * 3.0 * 8), "%g", rl_cachebw_row(r, &b));
    b = row("L2", "copy", 1, 150, 1);
    cr_assert_lt(rl_cachebw_row(r, &b), 0, "non-temporal stores: no cache ceiling");
    b = row("DRAM", "triad", 8, 30, 0);
    cr_assert(NEAR(rl_cachebw_row(r, &b), 51.2));
    b = row("sweep", "load", 1, 30, 0);
    cr_assert_lt(rl_cachebw_row(r, &b), 0);

    /* apply: counted bytes in the caches, traffic at DRAM; above 101% flagged in the summary */
    rl_err err = {0};
    rl_bandwidth rows[] = {row("L1", "load", 1, 200, 0), row("L2", "load", 1, 90, 0),
                           row("DRAM", "triad", 8, 30, 0)};
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(rl_result_add_bandwidth(r, &rows[i], &err), 0);
    rl_cachebw_apply(r);
    cr_assert(NEAR(r->bandwidth[0].efficiency, 200.0 / 192));
    cr_assert(NEAR(r->bandwidth[1].efficiency, 90.0 / 96));
    cr_assert(NEAR(r->bandwidth[2].efficiency, 40.0 / 51.2));
    rl_buf out = {0};
    cr_assert_eq(rl_report_summary(&out, r, &err), 0);
    cr_assert(strstr(out.data, "104.2% (!)"), "%s", out.data);
    cr_assert(strstr(out.data, "93.8%"), "%s", out.data);
    cr_assert(strstr(out.data, "L1 load 64; L1 store 32; L2 load 32; L3 load 32"), "%s", out.data);
    rl_buf_free(&out);

    /* JSON: theoretical.bandwidth and the rows' fields round-trip */
    char *json = rl_result_to_json(r, &err);
    cr_assert_not_null(json);
    cr_assert(strstr(json, "\"bytes_per_cycle\""));
    rl_result *back = rl_result_from_json(json, strlen(json), "mem", &err);
    cr_assert_not_null(back, "%s", err.msg);
    cr_assert_eq(back->theory.n_bw, 8);
    cr_assert_str_eq(back->theory.bw[2].level, "L2");
    cr_assert(NEAR(back->bandwidth[1].theoretical_gbs, 96));
    free(json);
    rl_result_free(back);
    rl_result_free(r);
}

/* Files written before this field existed read as "unknown". */
Test(cachebw, older_files_read_without_the_fields)
{
    rl_err err = {0};
    rl_result *r = rl_result_read("tests/data/zen3.json", &err);
    cr_assert_not_null(r, "%s", err.msg);
    cr_assert_eq(r->theory.n_bw, 0);
    cr_assert_gt(r->n_bandwidth, 0);
    for (size_t i = 0; i < r->n_bandwidth; i++)
        cr_assert_lt(r->bandwidth[i].theoretical_gbs, 0);
    for (size_t i = 0; i < r->n_flops; i++)
        cr_assert_str_eq(r->flops[i].clock_method, "");
    rl_result_free(r);
}

/* `roofline probe` on this machine lists the cache levels' theory. */
Test(cachebw, probe_json_lists_the_levels)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("probe --quick --json -", &out, NULL), 0);
    rl_err err = {0};
    rl_result *r = rl_result_from_json(out, strlen(out), "stdout", &err);
    cr_assert_not_null(r, "%s", err.msg);
    const char *want[][2] = {{"L1", "load"}, {"L1", "store"}, {"L2", "load"}, {"L3", "load"}};
    for (size_t k = 0; k < 4; k++) {
        int found = 0;
        for (size_t i = 0; i < r->theory.n_bw; i++)
            found |= strcmp(r->theory.bw[i].level, want[k][0]) == 0 &&
                     strcmp(r->theory.bw[i].op, want[k][1]) == 0 && r->theory.bw[i].threads == 1;
        cr_assert(found, "%s %s", want[k][0], want[k][1]);
    }
    rl_result_free(r);
    free(out);
}
