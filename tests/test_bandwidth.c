/* test_bandwidth.c: working-set sizing from synthetic topologies (tests/data/topo-*.xml and
 * hand-made machines), plateau detection on synthetic curves, and a short real run whose figures
 * must be consistent with the declared byte counts (never with any speed). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/stream.h"
#include "probes/topology.h"
#include "result/sweep.h"
#include "runner/bandwidth.h"
#include "tests/helpers.h"

#define KIB (1ull << 10)
#define MIB (1ull << 20)
#define GIB (1ull << 30)

static rl_machine from_xml(const char *path)
{
    rl_topology *t = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_topology_load(path, &t, &err), 0, "%s: %s", path, err.msg);
    rl_machine m;
    memset(&m, 0, sizeof m);
    rl_topology_describe(t, &m);
    rl_topology_free(t);
    return m;
}

static void add_cache(rl_machine *m, int level, const char *type, uint64_t size, int sharing,
                      int instances)
{
    rl_cache *c = &m->caches[m->n_caches++];
    c->level = level;
    snprintf(c->type, sizeof c->type, "%s", type);
    c->size_bytes = size;
    c->cores_sharing = sharing;
    c->instances = instances;
}

Test(bandwidth_size, two_socket_64_core_machine)
{
    rl_machine m = from_xml("tests/data/topo-2x32-numa4.xml");
    char note[256];
    /* L1d 48 KiB, L2 1 MiB, L3 32 MiB per 8 cores, 8 instances. */
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_L1, 1, 0, note, sizeof note), 24 * KIB);
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_L2, 1, 0, note, sizeof note), 512 * KIB);
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_L3, 1, 0, note, sizeof note), 2 * MIB);
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_L3, 64, 0, note, sizeof note), 2 * MIB);
    cr_assert_str_eq(note, "");
    /* DRAM: 4 x 256 MiB of L3 in all, shared by the threads; every L3 sees 4x its size. */
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_DRAM, 1, 0, note, sizeof note), GIB);
    uint64_t per = rl_bw_level_size(&m, RL_BW_DRAM, 64, 0, note, sizeof note);
    cr_assert_eq(per, 16 * MIB);
    cr_assert_geq(per * 8, 4 * 32 * MIB, "8 threads on one L3 hold 4x it");
    cr_assert_eq(rl_bw_classify(&m, 16 * KIB, 1), RL_BW_L1);
    cr_assert_eq(rl_bw_classify(&m, 256 * KIB, 1), RL_BW_L2);
    cr_assert_eq(rl_bw_classify(&m, 4 * MIB, 1), RL_BW_L3);
    cr_assert_eq(rl_bw_classify(&m, 4 * MIB, 64), RL_BW_L3, "4 MiB <= 32/8 + 1 MiB");
    cr_assert_eq(rl_bw_classify(&m, 8 * MIB, 64), RL_BW_DRAM, "8 MiB > 32/8 + 1 MiB");
    cr_assert_eq(rl_bw_classify(&m, GIB, 1), RL_BW_DRAM);
}

Test(bandwidth_size, part_with_512_mib_of_l3)
{
    rl_machine m = from_xml("tests/data/topo-1x64-l3-512m.xml");
    char note[256];
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_L3, 1, 0, note, sizeof note), 4 * MIB);
    /* DRAM must leave a 512 MiB L3 far behind: 2 GiB for one thread, 4x in all for 64. */
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_DRAM, 1, 0, note, sizeof note), 2 * GIB);
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_DRAM, 64, 0, note, sizeof note), 32 * MIB);
    /* Capped by free memory, and said so. */
    uint64_t capped = rl_bw_level_size(&m, RL_BW_DRAM, 1, GIB, note, sizeof note);
    cr_assert_eq(capped, 512 * MIB);
    cr_assert(strstr(note, "capped by free memory"), "note: %s", note);
    cr_assert(strstr(note, "2 GiB wanted"), "note: %s", note);
}

Test(bandwidth_size, small_l3_share_per_core_is_raised_and_noted)
{
    /* A server part with 2 MiB of L2 and 1.875 MiB of L3 per core (56 cores on one L3). */
    rl_machine m;
    memset(&m, 0, sizeof m);
    add_cache(&m, 1, "data", 48 * KIB, 1, 56);
    add_cache(&m, 1, "instruction", 32 * KIB, 1, 56);
    add_cache(&m, 2, "unified", 2 * MIB, 1, 56);
    add_cache(&m, 3, "unified", 105 * MIB, 56, 1);
    char note[256];
    uint64_t one = rl_bw_level_size(&m, RL_BW_L3, 1, 0, note, sizeof note);
    cr_assert_eq(one, 4 * MIB, "one thread may use the whole L3: 2x L2");
    cr_assert(strstr(note, "under 2x L2"), "%s", note);
    uint64_t all = rl_bw_level_size(&m, RL_BW_L3, 56, 0, note, sizeof note);
    cr_assert_lt(all, 4 * MIB);
    cr_assert_gt(all, 2 * MIB, "beyond L2, within L2 + L3 share");
    cr_assert(strstr(note, "partly L2 hits"), "%s", note);
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_L1, 1, 0, NULL, 0), 24 * KIB, "instruction ignored");
}

Test(bandwidth_size, machine_without_l3)
{
    rl_machine m;
    memset(&m, 0, sizeof m);
    add_cache(&m, 1, "data", 32 * KIB, 1, 4);
    add_cache(&m, 2, "unified", 2 * MIB, 2, 2);
    char note[256];
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_L3, 1, 0, note, sizeof note), 0);
    cr_assert_eq(rl_bw_level_size(&m, RL_BW_DRAM, 1, 0, note, sizeof note), 64 * MIB,
                 "at least 64 MiB");
    rl_machine empty;
    memset(&empty, 0, sizeof empty);
    cr_assert_eq(rl_bw_level_size(&empty, RL_BW_L1, 1, 0, note, sizeof note), 0);
    cr_assert_eq(rl_bw_level_from_name("dram"), RL_BW_DRAM);
    cr_assert_eq(rl_bw_level_from_name("L4"), -1);
}

/* ---- plateaus ---- */

/* A curve of `levels` plateaus dropping at `edges` (bytes), smooth over half an octave, with a
 * deterministic +-noise; 4 points per octave from 4 KiB. */
static size_t synth(const double *levels, const double *edges, int n_levels, double noise,
                    double top, double *bytes, double *gbs)
{
    size_t n = 0;
    unsigned seed = 12345;
    for (double b = 4096; b <= top; b *= pow(2, 0.25)) {
        double lg = log(levels[0]);
        for (int k = 0; k + 1 < n_levels; k++) {
            double x = (log2(b) - log2(edges[k])) / 0.15;
            lg += (log(levels[k + 1]) - log(levels[k])) / (1 + exp(-x));
        }
        seed = seed * 1103515245u + 12345u;
        double r = ((seed >> 16) & 0x7fff) / 32767.0 * 2 - 1;
        bytes[n] = b;
        gbs[n] = exp(lg) * (1 + noise * r);
        n++;
    }
    return n;
}

Test(bandwidth_plateaus, three_cache_levels_and_dram)
{
    double levels[] = {180, 90, 45, 12}, edges[] = {32 * KIB, 512 * KIB, 32 * MIB};
    double bytes[128], gbs[128];
    size_t n = synth(levels, edges, 4, 0.03, 256.0 * MIB, bytes, gbs);
    rl_sweep_plateau p[8];
    size_t np = rl_sweep_plateaus(bytes, gbs, n, 0.12, 3, p, 8);
    cr_assert_eq(np, 4, "found %zu plateaus", np);
    for (int k = 0; k < 4; k++)
        cr_assert(fabs(log(p[k].gbs / levels[k])) < 0.05, "level %d: %g vs %g", k, p[k].gbs,
                  levels[k]);
    for (int k = 0; k < 3; k++)
        cr_assert(fabs(log2(p[k].edge_bytes / edges[k])) < 0.5, "edge %d at %g, want %g", k,
                  p[k].edge_bytes, edges[k]);
    cr_assert_eq(p[3].edge_bytes, 0);

    /* And the edges name the probed caches of a matching machine. */
    rl_machine m;
    memset(&m, 0, sizeof m);
    add_cache(&m, 1, "data", 32 * KIB, 1, 8);
    add_cache(&m, 2, "unified", 512 * KIB, 1, 8);
    add_cache(&m, 3, "unified", 32 * MIB, 8, 1);
    char s[64];
    cr_assert_eq(rl_sweep_match_edge(&m, p[0].edge_bytes, 1, s, sizeof s), 1, "%s", s);
    cr_assert_eq(rl_sweep_match_edge(&m, p[1].edge_bytes, 1, s, sizeof s), 2, "%s", s);
    cr_assert_str_eq(s, "L2 (512 KiB)");
    cr_assert_eq(rl_sweep_match_edge(&m, p[2].edge_bytes, 1, s, sizeof s), 3, "%s", s);
    cr_assert_eq(rl_sweep_match_edge(&m, 4.0 * MIB, 1, s, sizeof s), 0);
    cr_assert_str_eq(s, "no probed cache near it");
}

Test(bandwidth_plateaus, one_stray_point_does_not_split_a_plateau)
{
    double levels[] = {100, 20}, edges[] = {1 * MIB};
    double bytes[128], gbs[128];
    size_t n = synth(levels, edges, 2, 0.02, 16.0 * MIB, bytes, gbs);
    gbs[8] *= 0.6; /* a preempted measurement at 64 KiB */
    rl_sweep_plateau p[8];
    size_t np = rl_sweep_plateaus(bytes, gbs, n, 0.12, 3, p, 8);
    cr_assert_eq(np, 2, "found %zu", np);
    cr_assert_eq(p[0].first, 0);
    cr_assert_gt(p[0].last, 8);
}

Test(bandwidth_plateaus, flat_and_sloped_curves)
{
    double bytes[64], gbs[64];
    for (int i = 0; i < 40; i++) {
        bytes[i] = 4096 * pow(2, i / 4.0);
        gbs[i] = 50 * (1 + 0.02 * ((i % 3) - 1));
    }
    rl_sweep_plateau p[8];
    cr_assert_eq(rl_sweep_plateaus(bytes, gbs, 40, 0.12, 3, p, 8), 1);
    cr_assert_eq(p[0].first, 0);
    cr_assert_eq(p[0].last, 39);
    /* A steady 15% drop per point has no flat stretch at all. */
    for (int i = 0; i < 40; i++)
        gbs[i] = 200 * pow(0.85, i);
    cr_assert_eq(rl_sweep_plateaus(bytes, gbs, 40, 0.12, 3, p, 8), 0);
    cr_assert_eq(rl_sweep_plateaus(bytes, gbs, 0, 0.12, 3, p, 8), 0);
}

/* ---- a short real run: figures must follow the declared bytes ---- */

Test(bandwidth_run, every_kernel_at_l1_with_both_store_kinds)
{
    rl_topology *t = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_topology_load(NULL, &t, &err), 0, "%s", err.msg);
    rl_result *r = rl_result_new();
    rl_topology_describe(t, &r->machine);
    rl_bw_opts o = rl_bw_opts_default();
    int threads[] = {1};
    o.threads = threads;
    o.n_threads = 1;
    o.levels = 1u << RL_BW_L1;
    o.kinds = (1u << RL_STREAM_KINDS_) - 1;
    o.nt_mode = RL_BW_NT_ALL;
    o.repeats = 2;
    o.min_time = 0.002;
    o.runnable = RL_ISA_SSE2; /* the sse2 kernels run everywhere */
    if (r->machine.n_caches == 0)
        o.size = 16 * KIB, o.levels = 0;
    cr_assert_eq(rl_bw_run(t, &o, r, &err), 0, "%s", err.msg);
    cr_assert_eq(r->n_bandwidth, 13, "7 kernels, 6 with a non-temporal variant: %zu",
                 r->n_bandwidth);
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        cr_assert_str_eq(b->isa, "sse2");
        cr_assert_eq(b->threads, 1);
        cr_assert_gt(b->gbs, 0);
        cr_assert_geq(b->gbs, b->gbs_median);
        cr_assert_geq(b->gbs_median, b->gbs_min);
        cr_assert_eq(b->repeats, 2);
        int kind = rl_stream_kind_from_name(b->kernel);
        cr_assert_geq(kind, 0, "%s", b->kernel);
        const rl_stream_kernel *k = rl_stream_pick(kind, b->nt_stores, RL_ISA_SSE2, "sse2");
        /* L1-resident: stores hit lines already in L1, no write-allocate read. */
        double ratio = strcmp(b->level, "L1") == 0
                           ? 1.0
                           : (double)k->traffic_words / (k->words_loaded + k->words_stored);
        cr_assert(fabs(b->gbs_traffic - b->gbs * ratio) < 1e-9 * b->gbs, "%s %s", b->level,
                  b->kernel);
        cr_assert_leq(b->bytes_per_thread, 64 * KIB);
        cr_assert_eq(b->bytes_per_thread % (uint64_t)(64 * k->arrays), 0);
    }
    rl_result_free(r);
    rl_topology_free(t);
}

Test(bandwidth_run, unsupported_isa_is_a_usage_error)
{
    rl_err err = {0};
    rl_result *r = rl_result_new();
    rl_bw_opts o = rl_bw_opts_default();
    int threads[] = {1};
    o.threads = threads;
    o.n_threads = 1;
    o.size = 16 * KIB;
    o.runnable = RL_ISA_SSE2;
    o.isa = "avx512";
    cr_assert_eq(rl_bw_run(NULL, &o, r, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_USAGE);
    cr_assert(strstr(err.msg, "avx512"), "%s", err.msg);
    rl_result_free(r);
}

/* ---- the command line ---- */

static void expect_usage_error(const char *args, const char *flag)
{
    char cmd[256], *err = NULL;
    snprintf(cmd, sizeof cmd, "bandwidth %s", args);
    cr_assert_eq(rl_test_run(cmd, NULL, &err), 2, "'%s' exits 2: %s", args, err);
    cr_assert(strstr(err, flag), "'%s' names %s: %s", args, flag, err);
    cr_assert(strchr(err, '\n') == strrchr(err, '\n'), "one line: '%s'", err);
    free(err);
}

Test(bandwidth_cli, argument_errors_name_the_flag)
{
    expect_usage_error("--level L5", "--level");
    expect_usage_error("--level L1,,L2", "--level");
    expect_usage_error("--kernel memcpy", "--kernel");
    expect_usage_error("--threads 0", "--threads");
    expect_usage_error("--threads 100000", "--threads");
    expect_usage_error("--size abc", "--size");
    expect_usage_error("--size 1k2", "--size");
    expect_usage_error("--size 100", "--size");
    expect_usage_error("--repeat 0", "--repeat");
    expect_usage_error("--min-time never", "--min-time");
    expect_usage_error("--isa mmx", "--isa");
    expect_usage_error("--nt --no-nt", "--nt");
    expect_usage_error("--sweep --size 1M", "--sweep");
    expect_usage_error("--size 1M --level L1", "--size");
    expect_usage_error("--json", "--json");
    expect_usage_error("--frobnicate", "--frobnicate");
}

Test(bandwidth_cli, help_has_groups_defaults_and_examples)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("bandwidth --help", &out, NULL), 0);
    cr_assert(strstr(out, "What to measure:") && strstr(out, "Timing:") && strstr(out, "Output:"));
    cr_assert(strstr(out, "default: load,copy,triad") && strstr(out, "Examples:"), "%s", out);
    cr_assert(strstr(out, "write-allocate"), "says counted vs traffic");
    free(out);
}

Test(bandwidth_cli, json_run_at_a_given_size)
{
    char *out = NULL, *err = NULL;
    int rc = rl_test_run("bandwidth --size 16K --kernel copy --threads 1 --nt --repeat 2 "
                         "--min-time 0.001 --json -",
                         &out, &err);
    cr_assert_eq(rc, 0, "stderr: %s", err);
    rl_err e = {0};
    rl_result *r = rl_result_from_json(out, strlen(out), "stdout", &e);
    cr_assert_not_null(r, "%s", e.msg);
    cr_assert_eq(r->n_bandwidth, 2, "regular and nt copy");
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        cr_assert_str_eq(b->kernel, "copy");
        cr_assert_eq(b->nt_stores, (int)i);
        cr_assert_eq(b->bytes_per_thread, 16 * KIB);
        cr_assert_eq(b->threads, 1);
        cr_assert_gt(b->gbs, 0);
        /* 16 KiB is L1 wherever L1d is 32 KiB or more: no write-allocate read there. */
        double ratio = i || strcmp(b->level, "L1") == 0 ? 1.0 : 1.5;
        cr_assert_float_eq(b->gbs_traffic, b->gbs * ratio, 1e-6 * b->gbs, "%s", b->level);
    }
    rl_result_free(r);
    free(out);
    free(err);
}

Test(bandwidth_cli, traffic_adds_write_allocate_beyond_l1_only)
{
    /* 2 MiB is beyond any L1d: a regular store misses and first reads its line. */
    char *out = NULL, *err = NULL;
    int rc = rl_test_run("bandwidth --size 2M --kernel copy --threads 1 --nt --repeat 1 "
                         "--min-time 0.001 --json -",
                         &out, &err);
    cr_assert_eq(rc, 0, "stderr: %s", err);
    rl_err e = {0};
    rl_result *r = rl_result_from_json(out, strlen(out), "stdout", &e);
    cr_assert_not_null(r, "%s", e.msg);
    cr_assert_eq(r->n_bandwidth, 2, "regular and nt copy");
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        cr_assert_str_neq(b->level, "L1");
        cr_assert_float_eq(b->gbs_traffic, b->gbs * (b->nt_stores ? 1.0 : 1.5), 1e-6 * b->gbs,
                           "%s nt=%d", b->level, b->nt_stores);
    }
    rl_result_free(r);
    free(out);
    free(err);
}

Test(bandwidth_cli, sweep_prints_points_and_plateaus)
{
    char *out = NULL, *err = NULL;
    int rc = rl_test_run("bandwidth --sweep --repeat 1 --min-time 0.0005 --quiet", &out, &err);
    cr_assert_eq(rc, 0, "stderr: %s", err);
    cr_assert(strstr(out, "sweep: load, 1 thread"), "%s", out);
    cr_assert(strstr(out, "plateaus"), "%s", out);
    cr_assert(strstr(out, "4 KiB"), "starts at 4 KiB: %s", out);
    free(out);
    free(err);
}

Test(bandwidth_numa, node_shares_sum_their_threads_rates)
{
    int node_of[] = {0, 0, 1, 1, 7, 99};
    double secs[] = {1.0, 2.0, 1.0, 0.5, 0.0, 1.0};
    double gbs[8];
    int nthreads[8];
    int used = rl_bw_node_shares(node_of, secs, 6, 10e9, gbs, nthreads, 8);
    cr_assert_eq(used, 2, "node 7 has no timed thread, node 99 is out of range");
    cr_assert_float_eq(gbs[0], 15.0, 1e-9);
    cr_assert_float_eq(gbs[1], 30.0, 1e-9);
    cr_assert_eq(nthreads[0], 2);
    cr_assert_eq(nthreads[1], 2);
    cr_assert_eq(nthreads[7], 0);
    cr_assert_eq(gbs[2], 0);
}

Test(bandwidth_cli, an_isa_this_cpu_cannot_run_is_a_usage_error)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        cr_skip_test("this CPU runs AVX-512");
    expect_usage_error("--isa avx512 --size 16K --threads 1", "--isa");
}

/* ---- the ISA trial's choice, with synthetic timings ---- */

typedef struct fake_trial {
    const double *gbs; /* per candidate, in order */
    int calls;
    int fail_at; /* -1: never; else this call fails (or stops, when stop) */
    int stop;
} fake_trial;

static int fake_trial_fn(void *user, const rl_stream_kernel *k, double *gbs, rl_err *err)
{
    (void)k;
    fake_trial *f = user;
    int i = f->calls++;
    if (i == f->fail_at)
        return f->stop ? 1 : rl_err_set(err, RL_EXIT_RUNTIME, "trial %d failed", i);
    *gbs = f->gbs[i];
    return 0;
}

static int triad_kernels(const rl_stream_kernel **out, int max)
{
    int n = 0;
    for (size_t i = 0; i < rl_stream_count() && n < max; i++)
        if (rl_stream_at(i)->kind == RL_STREAM_TRIAD && !rl_stream_at(i)->nt_stores)
            out[n++] = rl_stream_at(i);
    return n;
}

Test(bandwidth_choose, the_fastest_synthetic_timing_wins_whatever_its_width)
{
    const rl_stream_kernel *k[3];
    int n = triad_kernels(k, 3);
    if (n < 3)
        cr_skip_test("fewer than 3 triad kernels built on this target");
    static const double cases[][3] = {
        {50, 98, 94},   /* Zen 4's L3: avx2 beats avx512 */
        {50, 60, 120},  /* the widest */
        {130, 98, 94},  /* the narrowest */
        {98, 98, 97.9}, /* a tie keeps the earlier */
    };
    static const int want[] = {1, 2, 0, 0};
    for (size_t c = 0; c < sizeof want / sizeof want[0]; c++) {
        fake_trial f = {cases[c], 0, -1, 0};
        double gbs[3] = {0, 0, 0};
        rl_err err = {0};
        cr_assert_eq(rl_bw_choose(k, n, fake_trial_fn, &f, gbs, &err), want[c], "case %zu", c);
        cr_assert_eq(f.calls, 3, "every candidate is tried");
        for (int i = 0; i < 3; i++)
            cr_assert_eq(gbs[i], cases[c][i]);
    }
}

Test(bandwidth_choose, a_failed_or_stopped_trial_is_reported)
{
    const rl_stream_kernel *k[3];
    int n = triad_kernels(k, 3);
    if (n < 2)
        cr_skip_test("fewer than 2 triad kernels built on this target");
    static const double g[] = {1, 2, 3};
    double gbs[3];
    rl_err err = {0};
    fake_trial f = {g, 0, 1, 0};
    cr_assert_eq(rl_bw_choose(k, n, fake_trial_fn, &f, gbs, &err), -1);
    cr_assert(strstr(err.msg, "trial 1 failed"), "%s", err.msg);
    fake_trial s = {g, 0, 0, 1};
    cr_assert_eq(rl_bw_choose(k, n, fake_trial_fn, &s, gbs, &err), -2);
}

/* Without --isa, each row is the fastest ISA of a short trial: a real run names one of them. */
Test(bandwidth_run, without_isa_each_row_names_a_runnable_isa)
{
    rl_topology *t = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_topology_load(NULL, &t, &err), 0, "%s", err.msg);
    rl_result *r = rl_result_new();
    rl_topology_describe(t, &r->machine);
    rl_bw_opts o = rl_bw_opts_default();
    int threads[] = {1};
    o.threads = threads;
    o.n_threads = 1;
    o.size = 16 * KIB, o.levels = 0;
    o.kinds = 1u << RL_STREAM_TRIAD;
    o.nt_mode = RL_BW_NT_NONE;
    o.repeats = 1;
    o.min_time = 0.002;
    __builtin_cpu_init(); /* this CPU's features, the compiler's detection (XCR0 checked) */
    o.runnable = RL_ISA_SSE2;
    o.runnable |= __builtin_cpu_supports("avx") ? RL_ISA_AVX : 0;
    o.runnable |= __builtin_cpu_supports("avx2") ? RL_ISA_AVX2 : 0;
    o.runnable |= __builtin_cpu_supports("fma") ? RL_ISA_FMA : 0;
    o.runnable |= __builtin_cpu_supports("avx512f") ? RL_ISA_AVX512F : 0;
    cr_assert_eq(rl_bw_run(t, &o, r, &err), 0, "%s", err.msg);
    cr_assert_eq(r->n_bandwidth, 1);
    const rl_stream_kernel *k = rl_stream_pick(RL_STREAM_TRIAD, 0, o.runnable, r->bandwidth[0].isa);
    cr_assert_not_null(k, "%s", r->bandwidth[0].isa);
    cr_assert_gt(r->bandwidth[0].gbs, 0);
    rl_result_free(r);
    rl_topology_free(t);
}
