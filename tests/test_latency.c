/* test_latency.c: the pointer chase (one cycle through every line; the built loop a chain of
 * dependent loads), the page allocator and its smaps reader, the latency working sets on fixture
 * topologies, the staircase's steps on a synthetic curve, the latency rows in JSON, and
 * `roofline latency` (a short real run, its usage errors, Ctrl-C keeping the rows done). Nothing
 * here asserts on speed. */
#include <cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/buf.h"
#include "kernels/chase.h"
#include "probes/topology.h"
#include "report/compare.h"
#include "result/latency.h"
#include "result/result.h"
#include "runner/latency.h"
#include "runner/pages.h"
#include "tests/helpers.h"

#define KIB (1ull << 10)
#define MIB (1ull << 20)

static void *lines_of(size_t lines)
{
    void *m = NULL;
    cr_assert_eq(posix_memalign(&m, RL_CHASE_LINE, lines * RL_CHASE_LINE), 0);
    return m;
}

Test(chase, the_links_form_one_cycle_through_every_line)
{
    const size_t sizes[] = {1, 2, 3, 7, 64, 1000, 4096, 65537};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        void *m = lines_of(n);
        rl_err err = {0};
        cr_assert_eq(rl_chase_link(m, n, 42 + k, &err), 0, "%s", err.msg);
        cr_assert_eq(rl_chase_cycle_length(m, n), n, "%zu lines: not one cycle", n);
        /* Every line visited once: walking n steps from line 0 comes back to it, and no sooner. */
        char *p = m;
        size_t back = 0;
        for (size_t s = 1; s <= n; s++) {
            memcpy(&p, p, sizeof p);
            if (p == (char *)m) {
                back = s;
                break;
            }
        }
        cr_assert_eq(back, n, "%zu lines: back at the start after %zu steps", n, back);
        free(m);
    }
}

Test(chase, the_order_is_random_within_and_across_pages)
{
    /* 64 pages of 64 lines: consecutive steps should rarely stay in a page or move by one line. */
    size_t n = 64 * 64;
    char *m = lines_of(n);
    rl_err err = {0};
    cr_assert_eq(rl_chase_link(m, n, 7, &err), 0);
    size_t same_page = 0, next_line = 0;
    char *p = m;
    for (size_t s = 0; s < n; s++) {
        char *q;
        memcpy(&q, p, sizeof q);
        same_page += (size_t)(q - m) / 4096 == (size_t)(p - m) / 4096;
        next_line += q - p == RL_CHASE_LINE;
        p = q;
    }
    /* A random order stays in its page 1 time in 64 and steps to the next line 1 in 4096. */
    cr_assert_lt(same_page, n / 16, "%zu of %zu steps stayed in their page", same_page, n);
    cr_assert_lt(next_line, 16, "%zu steps went to the next line", next_line);
    free(m);
}

Test(chase, a_broken_chain_is_caught)
{
    size_t n = 100;
    char *m = lines_of(n);
    rl_err err = {0};
    cr_assert_eq(rl_chase_link(m, n, 1, &err), 0);
    /* Line 0 points to itself: a cycle of one, the other 99 lines never visited. */
    void *self = m;
    memcpy(m, &self, sizeof self);
    cr_assert_eq(rl_chase_cycle_length(m, n), 0);
    /* A link into the middle of a line. */
    cr_assert_eq(rl_chase_link(m, n, 1, &err), 0);
    void *mid = m + 8;
    memcpy(m, &mid, sizeof mid);
    cr_assert_eq(rl_chase_cycle_length(m, n), 0);
    free(m);
}

Test(chase, the_unrolled_run_stops_where_the_scalar_walk_does)
{
    size_t n = 777;
    void *m = lines_of(n);
    rl_err err = {0};
    cr_assert_eq(rl_chase_link(m, n, 3, &err), 0);
    const uint64_t steps[] = {0, 1, 16, 17, 1000, 777 * 16};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
        cr_assert_eq(rl_chase_run(m, steps[k]), rl_chase_walk(m, steps[k]), "%llu steps",
                     (unsigned long long)steps[k]);
    free(m);
}

/* The loop as built: every load's address register is the previous load's destination, so the
 * compiler kept the dependence (no two loads can overlap). */
Test(chase, the_built_loop_is_a_chain_of_dependent_loads)
{
#if defined(__x86_64__)
    if (system("objdump --version >/dev/null 2>&1") != 0)
        cr_skip_test("objdump is not installed");
    const char *build = getenv("RL_BUILD");
    char cmd[512], line[512];
    snprintf(cmd, sizeof cmd, "objdump -d --no-show-raw-insn '%s/kernels/chase.o' 2>/dev/null",
             build ? build : "build/rel");
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    int in = 0, loads = 0, chained = 0;
    char prev_dst[16] = "";
    while (fgets(line, sizeof line, p)) {
        if (!in) {
            in = strstr(line, "<rl_chase_run>:") != NULL;
            continue;
        }
        if (line[0] == '\n')
            break;
        char *mov = strstr(line, "mov ");
        char src[16], dst[16];
        /* "mov    (%rax),%rax": a plain 64-bit load through a register. */
        if (!mov || sscanf(mov, "mov (%%%15[a-z0-9]),%%%15[a-z0-9]", src, dst) != 2) {
            if (mov && sscanf(mov + 4, " (%%%15[a-z0-9]),%%%15[a-z0-9]", src, dst) != 2)
                continue;
            if (!mov)
                continue;
        }
        loads++;
        if (prev_dst[0] && strcmp(src, prev_dst) == 0)
            chained++;
        snprintf(prev_dst, sizeof prev_dst, "%s", dst);
    }
    pclose(p);
    cr_assert(in, "rl_chase_run not found in chase.o");
    cr_assert_geq(loads, RL_CHASE_UNROLL, "%d loads in the loop", loads);
    cr_assert_eq(chained, loads - 1, "%d of %d loads take the previous load's value as address",
                 chained, loads);
#else
    cr_skip_test("the loop check reads x86 assembly");
#endif
}

/* ---- pages ---- */

Test(pages, smaps_gives_the_mapping_s_anon_huge_pages)
{
    const char *smaps = "00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/x\n"
                        "Size:                328 kB\n"
                        "AnonHugePages:         0 kB\n"
                        "7f0000000000-7f0000800000 rw-p 00000000 00:00 0\n"
                        "Size:               8192 kB\n"
                        "Rss:                8192 kB\n"
                        "AnonHugePages:      6144 kB\n"
                        "VmFlags: rd wr mr mw me ac hg\n";
    uint64_t size = 0;
    cr_assert_eq(rl_pages_smaps_anon_huge(smaps, 0x7f0000100000u, &size), 6144 * 1024);
    cr_assert_eq(size, 8 * MIB);
    cr_assert_eq(rl_pages_smaps_anon_huge(smaps, 0x401000u, &size), 0);
    cr_assert_eq(rl_pages_smaps_anon_huge(smaps, 0x1000u, &size), -1, "no mapping holds it");
    cr_assert_eq(rl_pages_smaps_anon_huge("garbage\n\n", 0x1000u, &size), -1);
}

Test(pages, each_kind_maps_or_says_why_not)
{
    for (int k = 0; k < RL_PAGES_KINDS_; k++) {
        rl_pages pg;
        rl_err err = {0};
        int rc = rl_pages_alloc(3 * MIB, (rl_pages_kind)k, &pg, &err);
        if (k == RL_PAGES_1G && rc != 0) {
            cr_assert(strstr(err.msg, "nr_hugepages"), "%s", err.msg);
            continue;
        }
        cr_assert_eq(rc, 0, "%s: %s", rl_pages_name((rl_pages_kind)k), err.msg);
        cr_assert_geq(pg.bytes, 3 * MIB);
        memset(pg.mem, 1, pg.bytes);
        double share = rl_pages_huge_share(&pg);
        cr_assert(share == -1 || (share >= 0 && share <= 1), "%g", share);
        if (k == RL_PAGES_4K)
            cr_assert(share <= 0, "4k asked, %g on huge pages", share);
        if (k == RL_PAGES_THP)
            cr_assert_eq((uintptr_t)pg.mem % (2 * MIB), 0, "2 MiB aligned");
        rl_pages_free(&pg);
    }
    cr_assert_eq(rl_pages_from_name("thp"), RL_PAGES_THP);
    cr_assert_eq(rl_pages_from_name("2m"), -1);
}

/* ---- sizing and the staircase ---- */

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

Test(latency_size, levels_from_fixture_topologies)
{
    rl_machine m = from_xml("tests/data/topo-2x32-numa4.xml"); /* 32 MiB L3 per 8 cores */
    char note[256];
    cr_assert_eq(rl_lat_level_size(&m, RL_BW_L1, 0, 0, note, sizeof note), 24 * KIB);
    cr_assert_eq(rl_lat_level_size(&m, RL_BW_L2, 0, 0, note, sizeof note), 512 * KIB);
    cr_assert_eq(rl_lat_level_size(&m, RL_BW_DRAM, 0, 0, note, sizeof note), 256 * MIB);
    cr_assert(strstr(note, "12% of steps may hit"), "%s", note);
    cr_assert_eq(rl_lat_level_size(&m, RL_BW_DRAM, 1, 0, note, sizeof note), 64 * MIB);
    cr_assert(strstr(note, "50%"), "quick: %s", note);
    /* Capped at a quarter of the free memory, said. */
    cr_assert_eq(rl_lat_level_size(&m, RL_BW_DRAM, 0, 400 * MIB, note, sizeof note), 100 * MIB);
    cr_assert(strstr(note, "capped by free memory"), "%s", note);
    rl_machine big = from_xml("tests/data/topo-1x64-l3-512m.xml");
    cr_assert_eq(rl_lat_level_size(&big, RL_BW_DRAM, 0, 0, note, sizeof note), 4096 * MIB,
                 "8x a 512 MiB L3");
    rl_machine none = from_xml("tests/data/topo-nocache.xml");
    cr_assert_eq(rl_lat_level_size(&none, RL_BW_L1, 0, 0, NULL, 0), 0);
    cr_assert_eq(rl_lat_level_size(&none, RL_BW_DRAM, 0, 0, NULL, 0), 256 * MIB);
    uint64_t sizes[256];
    size_t n = rl_lat_sweep_sizes(&m, 0, sizes, 256);
    cr_assert_eq(n, 4 * 16 + 1, "4 KiB to 256 MiB, 4 per octave");
    cr_assert_eq(sizes[0], 4 * KIB);
    cr_assert_eq(sizes[n - 1], 256 * MIB);
}

static void add_cache(rl_machine *m, int level, uint64_t size)
{
    rl_cache *c = &m->caches[m->n_caches++];
    c->level = level;
    snprintf(c->type, sizeof c->type, "%s", level == 1 ? "data" : "unified");
    c->size_bytes = size;
    c->cores_sharing = 1;
    c->instances = 1;
}

/* A synthetic lat_mem_rd curve: 1.2 ns in a 32 KiB L1, 4 ns in a 1 MiB L2, 15 ns in a 32 MiB L3,
 * 90 ns beyond, with a sloped stretch after each edge as random sets spill. */
static double synthetic_ns(double bytes)
{
    const double cap[3] = {32.0 * KIB, 1.0 * MIB, 32.0 * MIB}, lat[4] = {1.2, 4, 15, 90};
    for (int l = 0; l < 3; l++) {
        if (bytes <= cap[l])
            return lat[l];
        if (bytes < 2 * cap[l]) { /* the hit share falls as cap/bytes */
            double hit = cap[l] / bytes;
            return hit * lat[l] + (1 - hit) * lat[l + 1];
        }
    }
    return lat[3];
}

Test(latency_steps, the_staircase_steps_match_the_cache_levels)
{
    rl_result *r = rl_result_new();
    add_cache(&r->machine, 1, 32 * KIB);
    add_cache(&r->machine, 2, MIB);
    add_cache(&r->machine, 3, 32 * MIB);
    rl_err err = {0};
    uint64_t sizes[256];
    size_t n = rl_lat_sweep_sizes(&r->machine, 0, sizes, 256);
    for (size_t i = 0; i < n; i++) {
        rl_latency e = rl_latency_blank();
        snprintf(e.kind, sizeof e.kind, "sweep");
        snprintf(e.level, sizeof e.level, "sweep");
        snprintf(e.pages, sizeof e.pages, "thp");
        e.bytes = sizes[i];
        /* 3% of noise, alternating */
        e.ns = synthetic_ns((double)sizes[i]) * (i % 2 ? 1.03 : 0.98);
        cr_assert_eq(rl_result_add_latency(r, &e, &err), 0);
    }
    rl_sweep_level lv[16];
    size_t k = rl_latency_steps(r, "cpu", "thp", lv, 16);
    cr_assert_eq(k, 4, "%zu steps", k);
    const double want[4] = {1.2, 4, 15, 90};
    for (size_t i = 0; i < 4; i++)
        cr_assert(lv[i].p.gbs > want[i] * 0.95 && lv[i].p.gbs < want[i] * 1.05, "step %zu: %g", i,
                  lv[i].p.gbs);
    cr_assert(strstr(lv[0].match, "L1"), "%s", lv[0].match);
    cr_assert(strstr(lv[1].match, "L2"), "%s", lv[1].match);
    cr_assert(strstr(lv[2].match, "L3"), "%s", lv[2].match);
    cr_assert_eq(rl_latency_steps(r, "cpu", "4k", lv, 16), 0, "no 4k sweep");
    rl_result_free(r);
}

/* ---- JSON ---- */

Test(latency_json, rows_round_trip_and_older_files_are_unchanged)
{
    rl_result *r = rl_result_new();
    rl_err err = {0};
    char *plain = rl_result_to_json(r, &err);
    cr_assert_null(strstr(plain, "\"latency\""), "no member without rows");
    free(plain);
    rl_latency e = rl_latency_blank();
    snprintf(e.kind, sizeof e.kind, "loaded");
    snprintf(e.level, sizeof e.level, "DRAM");
    snprintf(e.pages, sizeof e.pages, "thp");
    snprintf(e.mix, sizeof e.mix, "2:1");
    e.huge_share = 1, e.bytes = 256 * MIB, e.ns = 95.5, e.ns_median = 96, e.ns_max = 99;
    e.clock_ghz = 3.5, e.cycles = 334.25, e.repeats = 3, e.load_threads = 7, e.delay = 1200;
    e.gbs = 41.5;
    cr_assert_eq(rl_result_add_latency(r, &e, &err), 0);
    char *text = rl_result_to_json(r, &err);
    rl_result *back = rl_result_from_json(text, strlen(text), "t.json", &err);
    cr_assert_not_null(back, "%s", err.msg);
    cr_assert_eq(back->n_latency, 1);
    const rl_latency *b = &back->latency[0];
    cr_assert_str_eq(b->kind, "loaded");
    cr_assert_str_eq(b->mix, "2:1");
    cr_assert_eq(b->bytes, 256 * MIB);
    cr_assert_float_eq(b->ns, 95.5, 1e-9);
    cr_assert_float_eq(b->cycles, 334.25, 1e-9);
    cr_assert_eq(b->delay, 1200);
    cr_assert_eq(b->cpu_node, -1);
    rl_result_free(back);
    /* A mistyped field is named. */
    char *bad = strstr(text, "\"ns\":\t95.5");
    cr_assert_not_null(bad);
    memcpy(bad + 6, "\"xy\"", 4);
    cr_assert_null(rl_result_from_json(text, strlen(text), "t.json", &err));
    cr_assert(strstr(err.msg, "latency[0].ns"), "%s", err.msg);
    free(text);
    rl_result_free(r);
}

/* ---- compare ---- */

Test(latency_compare, idle_rows_only_where_an_input_has_them)
{
    rl_err err = {0};
    rl_result *a = rl_result_read("tests/data/zen3.json", &err);
    rl_result *b = rl_result_read("tests/data/zen3-latency.json", &err);
    cr_assert(a && b, "%s", err.msg);
    const rl_result *both[] = {a, b}, *plain[] = {a, a};
    const char *names[] = {"a.json", "b.json"};
    rl_buf out = {0};
    cr_assert_eq(rl_report_compare(&out, both, names, 2, RL_COMPARE_TEXT, &err), 0, "%s", err.msg);
    cr_assert(strstr(out.data, "latency DRAM thp pages (idle, lower is better)"), "%s", out.data);
    rl_buf_free(&out);
    cr_assert_eq(rl_report_compare(&out, plain, names, 2, RL_COMPARE_TEXT, &err), 0);
    cr_assert_null(strstr(out.data, "latency"), "%s", out.data);
    rl_buf_free(&out);
    rl_result_free(a);
    rl_result_free(b);
}

/* ---- the command ---- */

Test(latency_cli, a_short_run_writes_rows_in_ns_and_cycles)
{
    cJSON *j = rl_test_run_json(
        "latency --level L1,DRAM --pages 4k,thp --repeat 1 --min-time 0.001 -q --json -", 0);
    cJSON *lat = cJSON_GetObjectItemCaseSensitive(j, "latency");
    cr_assert(cJSON_IsArray(lat));
    cr_assert_eq(cJSON_GetArraySize(lat), 4, "2 levels x 2 page kinds");
    const cJSON *row;
    cJSON_ArrayForEach(row, lat)
    {
        cr_assert_gt(rl_test_num(row, "ns"), 0);
        const cJSON *cyc = cJSON_GetObjectItemCaseSensitive(row, "cycles");
        cr_assert(cJSON_IsNull(cyc) || cyc->valuedouble > 0);
        cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(row, "kind")->valuestring, "idle");
    }
    cJSON_Delete(j);
}

Test(latency_cli, bad_input_is_a_usage_error_with_the_reason)
{
    const struct {
        const char *args, *needle;
    } cases[] = {
        {"latency --pages 2m", "--pages: '2m' is not 4k, thp or 1g"},
        {"latency --level L4", "--level: 'L4'"},
        {"latency --size 1000G", "--size: 1000 GiB is more than half the free memory"},
        {"latency --size lots", "--size: 'lots' is not a size"},
        {"latency --sweep --level L1", "--sweep: measures its own sizes"},
        {"latency --repeat 0", "--repeat"},
        {"latency --mix 5:3", "--mix: '5:3' is a ratio the traffic kernels cannot make"},
        {"latency --mix fast", "--mix: 'fast' is not a ratio"},
        {"latency --mix read,", "--mix"},
        {"latency --points 0", "--points: '0' is not a count from 1 to 64"},
        {"latency --numa-nodes 7", "--numa-nodes: node 7 does not exist"},
        {"latency --numa-nodes 0,x", "--numa-nodes: '0,x' is not a list"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL, *err = NULL;
        int rc = rl_test_run(cases[i].args, &out, &err);
        cr_assert_eq(rc, 2, "%s: exit %d, stderr %s", cases[i].args, rc, err);
        cr_assert(strstr(err, cases[i].needle), "%s: %s", cases[i].args, err);
        cr_assert_str_empty(out, "%s: nothing on stdout", cases[i].args);
        free(out);
        free(err);
    }
}

Test(latency_cli, svg_draws_the_levels_against_the_caches)
{
    char d[64], args[256], path[160];
    snprintf(d, sizeof d, "%s", rl_test_tmpdir());
    snprintf(args, sizeof args,
             "latency --level L1,L2 --pages 4k --repeat 1 --min-time 0.001 -q --svg %s/l.svg", d);
    char *out = NULL, *err = NULL;
    cr_assert_eq(rl_test_run(args, &out, &err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/l.svg", d);
    char *svg = rl_test_slurp(path, NULL);
    cr_assert_not_null(svg, "the staircase goes to --svg itself when there is no roofline");
    cr_assert(strstr(svg, "<svg") && strstr(svg, "Memory latency of") && strstr(svg, "4k pages"),
              "%s", svg);
    free(svg);
    free(out);
    free(err);
    snprintf(args, sizeof args, "rm -rf %s", d);
    cr_assert_eq(system(args), 0);
}

Test(latency_cli, ctrl_c_keeps_the_rows_done)
{
    char d[64], cmd[1024], path[128];
    snprintf(d, sizeof d, "%s", rl_test_tmpdir());
    snprintf(path, sizeof path, "%s/l.json", d);
    snprintf(cmd, sizeof cmd,
             "%s latency --sweep --repeat 3 --min-time 0.02 -q --json %s >%s/out 2>%s/err "
             "</dev/null & pid=$!; sleep 1.5; kill -INT $pid; wait $pid",
             rl_test_bin(), path, d, d);
    int st = system(cmd);
    cr_assert(WIFEXITED(st));
    cr_assert_eq(WEXITSTATUS(st), 1, "interrupted: exit 1");
    rl_err e = {0};
    rl_result *r = rl_result_read(path, &e);
    cr_assert_not_null(r, "%s", e.msg);
    cr_assert_eq(r->meta.partial, 1);
    cr_assert_gt(r->n_latency, 0, "the rows done are kept");
    rl_result_free(r);
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    cr_assert_eq(system(cmd), 0);
}
