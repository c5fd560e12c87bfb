/* test_fleet.c: the fleet without MPI: the model, its summary (groups, medians, the flags that
 * name the slow nodes), the JSON round trip and its reader's errors (result/fleet.h), the fleet
 * report (report/fleet.h), `roofline report` on a fleet file, and one node's measurement in a
 * child process under a time limit (runner/child.h). The nodes are tests/data/zen3.json with some
 * figures scaled; the runs over real Open MPI are tests/fleet/run-fleet-tests.sh. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "report/fleet.h"
#include "result/fleet.h"
#include "result/result.h"
#include "runner/bandwidth.h"
#include "runner/child.h"
#include "runner/job.h"
#include "tests/helpers.h"

#define ZEN3 "tests/data/zen3.json"

/* zen3.json with its fp64 figures scaled by `fp64` and its DRAM figures by `dram`. */
static rl_result *node_result(double fp64, double dram)
{
    rl_err err = {0};
    rl_result *r = rl_result_read(ZEN3, &err);
    cr_assert_not_null(r, "%s", err.msg);
    for (size_t i = 0; i < r->n_flops; i++)
        if (!strcmp(r->flops[i].precision, "fp64"))
            r->flops[i].gflops *= fp64;
    for (size_t i = 0; i < r->n_bandwidth; i++)
        if (!strcmp(r->bandwidth[i].level, "DRAM"))
            r->bandwidth[i].gbs *= dram;
    return r;
}

/* Five nodes: n1 as measured, n2 at half its fp64 peak, n3 2% faster everywhere, n4 failed,
 * n5 the same CPU with 4 cores (another hardware group). */
static rl_fleet *sample_fleet(void)
{
    rl_fleet *f = rl_fleet_new();
    rl_err err = {0};
    cr_assert_not_null(f);
    cr_assert_eq(rl_fleet_add_node(f, "n1", "ok", 2.0, node_result(1, 1), &err), 0);
    cr_assert_eq(rl_fleet_add_node(f, "n2", "ok", 2.0, node_result(0.5, 1), &err), 0);
    cr_assert_eq(rl_fleet_add_node(f, "n3", "ok", 2.0, node_result(1.02, 1.02), &err), 0);
    cr_assert_eq(
        rl_fleet_add_node(f, "n4", "failed: the measurement process was killed", -1, NULL, &err),
        0);
    rl_result *other = node_result(1, 1);
    other->machine.cores = 4;
    cr_assert_eq(rl_fleet_add_node(f, "n5", NULL, 2.0, other, &err), 0);
    snprintf(f->command_line, sizeof f->command_line, "mpirun -np 5 roofline-fleet --quick");
    return f;
}

static const rl_fleet_flag *find_flag(const rl_fleet_summary *s, size_t node, int c, int theory)
{
    for (size_t k = 0; k < s->n_flags; k++)
        if (s->flags[k].node == node && s->flags[k].ceiling == c && s->flags[k].below == theory)
            return &s->flags[k];
    return NULL;
}

Test(fleet_summary, nodes_are_grouped_by_hardware_and_the_slow_one_is_named)
{
    rl_fleet *f = sample_fleet();
    rl_fleet_summary s;
    rl_err err = {0};
    cr_assert_eq(rl_fleet_summarize(f, &s, &err), 0, "%s", err.msg);
    cr_assert_eq(s.n_ok, 4);
    cr_assert_eq(s.n_failed, 1);
    cr_assert_eq(s.n_groups, 2);
    cr_assert_eq(s.groups[0].n_nodes, 3);
    cr_assert_eq(s.groups[1].n_nodes, 1);
    cr_assert_eq(s.group_of[3], -1, "a failed node is in no group");
    cr_assert_eq(s.group_of[4], 1);
    cr_assert(strstr(s.groups[0].hardware, "2 cores"), "%s", s.groups[0].hardware);
    cr_assert(strstr(s.groups[1].hardware, "4 cores"), "%s", s.groups[1].hardware);
    /* fp64 at the most threads, FMA+ADD mixes left out: avx2-fma at 2 threads, 91.27 */
    cr_assert_float_eq(s.figures[0].value[RL_FLEET_FP64], 91.27, 1e-9);
    cr_assert_float_eq(s.groups[0].median[RL_FLEET_FP64], 91.27, 1e-9);
    cr_assert_float_eq(s.figures[0].value[RL_FLEET_DRAM], 33.6, 1e-9);
    cr_assert_float_eq(s.figures[0].imax, 91.27 / 33.6, 1e-9);
    cr_assert_float_eq(s.groups[0].median[RL_FLEET_DRAM], 33.6, 1e-9);

    const rl_fleet_flag *fl = find_flag(&s, 1, RL_FLEET_FP64, 0);
    cr_assert_not_null(fl, "n2's fp64 peak is flagged against its group's median");
    cr_assert_float_eq(fl->shortfall, 0.5, 1e-9);
    cr_assert_float_eq(fl->reference, 91.27, 1e-9);
    for (size_t k = 0; k < s.n_flags; k++)
        cr_assert(!(s.flags[k].node != 1 && s.flags[k].below == RL_FLEET_BELOW_GROUP),
                  "only n2 is below its group's median (node %zu, ceiling %d)", s.flags[k].node,
                  s.flags[k].ceiling);
    rl_fleet_summary_free(&s);
    rl_fleet_free(f);
}

Test(fleet_summary, thresholds_decide_what_is_flagged)
{
    rl_fleet *f = rl_fleet_new();
    rl_err err = {0};
    cr_assert_eq(rl_fleet_add_node(f, "a", "ok", 1, node_result(1, 1), &err), 0);
    cr_assert_eq(rl_fleet_add_node(f, "b", "ok", 1, node_result(0.93, 0.85), &err), 0);
    cr_assert_eq(rl_fleet_add_node(f, "c", "ok", 1, node_result(1, 1), &err), 0);
    rl_fleet_summary s;
    cr_assert_eq(rl_fleet_summarize(f, &s, &err), 0);
    cr_assert_not_null(find_flag(&s, 1, RL_FLEET_FP64, 0), "7%% below: flagged at 5%%");
    cr_assert_not_null(find_flag(&s, 1, RL_FLEET_DRAM, 0), "15%% below: flagged at 10%%");
    rl_fleet_summary_free(&s);
    f->compute_threshold = 0.10;
    f->bandwidth_threshold = 0.20;
    cr_assert_eq(rl_fleet_summarize(f, &s, &err), 0);
    cr_assert_null(find_flag(&s, 1, RL_FLEET_FP64, 0));
    cr_assert_null(find_flag(&s, 1, RL_FLEET_DRAM, 0));
    rl_fleet_summary_free(&s);
    rl_fleet_free(f);
}

Test(fleet_summary, a_node_below_its_own_theory_is_flagged)
{
    rl_fleet *f = rl_fleet_new();
    rl_err err = {0};
    rl_result *r = node_result(1, 1);
    r->theory.dram_gbs = 100; /* measured 33.6: below half of it */
    cr_assert_eq(rl_fleet_add_node(f, "lonely", "ok", 1, r, &err), 0);
    rl_fleet_summary s;
    cr_assert_eq(rl_fleet_summarize(f, &s, &err), 0);
    const rl_fleet_flag *fl = find_flag(&s, 0, RL_FLEET_DRAM, 1);
    cr_assert_not_null(fl);
    cr_assert_float_eq(fl->reference, 100, 1e-9);
    cr_assert_null(find_flag(&s, 0, RL_FLEET_DRAM, 0), "alone in its group: at its median");
    rl_fleet_summary_free(&s);
    rl_fleet_free(f);
}

/* A two-socket node whose second NUMA node delivers 40% less DRAM bandwidth than its first (a
 * half-populated socket): flagged with the NUMA node, though the node's total is like its peers'.
 */
Test(fleet_summary, a_weak_numa_node_is_flagged_against_its_siblings)
{
    rl_fleet *f = sample_fleet();
    rl_result *r = f->nodes[0].result;
    rl_err err = {0};
    r->machine.numa_nodes = 2;
    rl_bandwidth share = r->bandwidth[0];
    for (size_t i = 0; i < r->n_bandwidth; i++)
        if (!strcmp(r->bandwidth[i].level, "DRAM"))
            share = r->bandwidth[i];
    snprintf(share.level, sizeof share.level, "NUMA0");
    share.gbs = 30;
    cr_assert_eq(rl_result_add_bandwidth(f->nodes[0].result, &share, &err), 0);
    snprintf(share.level, sizeof share.level, "NUMA1");
    share.gbs = 18;
    cr_assert_eq(rl_result_add_bandwidth(f->nodes[0].result, &share, &err), 0);
    rl_fleet_summary s;
    cr_assert_eq(rl_fleet_summarize(f, &s, &err), 0, "%s", err.msg);
    const rl_fleet_flag *fl = find_flag(&s, 0, RL_FLEET_DRAM, RL_FLEET_BELOW_SIBLINGS);
    cr_assert_not_null(fl, "NUMA1 at 18 of a 24 GB/s median is 25%% below: flagged");
    cr_assert_eq(fl->numa, 1);
    cr_assert_float_eq(fl->reference, 24.0, 1e-9);
    rl_buf b = {0};
    cr_assert_eq(rl_report_fleet_text(&b, f, &err), 0, "%s", err.msg);
    cr_assert(strstr(b.data, "n1: NUMA node 1's DRAM share 18.00 GB/s is 25.0% below"), "%s",
              b.data);
    rl_buf_free(&b);
    rl_fleet_summary_free(&s);
    rl_fleet_free(f);
}

/* Every node's result with an idle DRAM latency row; n2's 30% above the others'. */
static void add_dram_latency(rl_result *r, double ns)
{
    rl_latency e = rl_latency_blank();
    snprintf(e.kind, sizeof e.kind, "idle");
    snprintf(e.level, sizeof e.level, "DRAM");
    snprintf(e.pages, sizeof e.pages, "thp");
    e.bytes = 256u << 20;
    e.ns = ns;
    rl_err err = {0};
    cr_assert_eq(rl_result_add_latency(r, &e, &err), 0);
}

Test(fleet_summary, a_node_whose_dram_latency_stands_out_is_flagged)
{
    rl_fleet *f = sample_fleet();
    add_dram_latency(f->nodes[0].result, 90);
    add_dram_latency(f->nodes[1].result, 117);
    add_dram_latency(f->nodes[2].result, 92);
    rl_fleet_summary s;
    rl_err err = {0};
    cr_assert_eq(rl_fleet_summarize(f, &s, &err), 0, "%s", err.msg);
    cr_assert_float_eq(s.figures[1].dram_ns, 117, 1e-9);
    cr_assert_float_eq(s.groups[0].median_dram_ns, 92, 1e-9);
    const rl_fleet_flag *fl = find_flag(&s, 1, RL_FLEET_DRAM_LATENCY, RL_FLEET_ABOVE_GROUP);
    cr_assert_not_null(fl, "n2's DRAM latency is 27%% above its group's median");
    cr_assert(!find_flag(&s, 0, RL_FLEET_DRAM_LATENCY, RL_FLEET_ABOVE_GROUP));
    cr_assert(!find_flag(&s, 2, RL_FLEET_DRAM_LATENCY, RL_FLEET_ABOVE_GROUP));
    rl_buf b = {0};
    cr_assert_eq(rl_report_fleet_text(&b, f, &err), 0, "%s", err.msg);
    cr_assert(strstr(b.data, "n2: DRAM latency 117.0 ns is 27.2% above its group's median (92.00 "
                             "ns)"),
              "%s", b.data);
    cr_assert(strstr(b.data, "DRAM latency +27%"), "%s", b.data);
    rl_buf_free(&b);
    char *json = rl_fleet_to_json(f, &err);
    cr_assert(strstr(json, "\"dram_latency_ns\""), "the group median");
    cr_assert(strstr(json, "latency above it"), "the flag, with the \"below\" every flag has");
    free(json);
    rl_fleet_summary_free(&s);
    rl_fleet_free(f);
}

Test(fleet_summary, fleets_without_latency_render_as_before)
{
    rl_fleet *f = sample_fleet();
    rl_err err = {0};
    rl_buf b = {0};
    cr_assert_eq(rl_report_fleet_text(&b, f, &err), 0, "%s", err.msg);
    cr_assert_null(strstr(b.data, "latency"), "%s", b.data);
    rl_buf_free(&b);
    char *json = rl_fleet_to_json(f, &err);
    cr_assert_null(strstr(json, "latency"));
    free(json);
    rl_fleet_free(f);
}

Test(fleet_json, round_trip_keeps_nodes_results_and_thresholds)
{
    rl_fleet *f = sample_fleet();
    f->serial = 1;
    f->compute_threshold = 0.07;
    f->gather_s = 0.25;
    rl_err err = {0};
    char *text = rl_fleet_to_json(f, &err);
    cr_assert_not_null(text, "%s", err.msg);
    cr_assert(strstr(text, "\"schema\":\t\"roofline-fleet/1\""), "%.200s", text);
    cr_assert(strstr(text, "\"below\":\t\"group median\""));
    cr_assert(rl_fleet_is_fleet_json(text, strlen(text)));
    rl_fleet *g = rl_fleet_from_json(text, strlen(text), "fleet.json", &err);
    cr_assert_not_null(g, "%s", err.msg);
    cr_assert_eq(g->n_nodes, 5);
    cr_assert_str_eq(g->nodes[1].host, "n2");
    cr_assert_str_eq(g->nodes[3].status, "failed: the measurement process was killed");
    cr_assert_null(g->nodes[3].result);
    cr_assert_not_null(g->nodes[1].result);
    cr_assert_float_eq(g->nodes[1].result->flops[3].gflops, f->nodes[1].result->flops[3].gflops,
                       1e-9);
    cr_assert(g->serial);
    cr_assert_float_eq(g->compute_threshold, 0.07, 1e-12);
    cr_assert_float_eq(g->gather_s, 0.25, 1e-12);
    char *again = rl_fleet_to_json(g, &err);
    cr_assert_str_eq(again, text, "the file reads back to the same file");
    free(again);
    free(text);
    rl_fleet_free(g);
    rl_fleet_free(f);
}

static void expect_input_error(const char *json, const char *want)
{
    rl_err err = {0};
    rl_fleet *f = rl_fleet_from_json(json, strlen(json), "f.json", &err);
    cr_assert_null(f, "%s read", json);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, want), "'%s' not in '%s'", want, err.msg);
}

#define HEAD                                                                                       \
    "{\"schema\":\"roofline-fleet/1\",\"tool_version\":\"0.1.0\",\"date\":\"d\","                  \
    "\"command_line\":\"c\",\"partial\":false,\"thresholds\":{\"compute\":0.05,"                   \
    "\"bandwidth\":0.1,\"theory_compute\":0.15,\"theory_dram\":0.5},"

Test(fleet_json, the_reader_names_what_is_wrong)
{
    expect_input_error("{\"schema\":\"roofline/1\"}", "f.json: field 'schema'");
    expect_input_error("[1]", "f.json: field 'schema'");
    expect_input_error("{\"schema\":\"roofline-fleet/1\"", "not valid JSON");
    expect_input_error(HEAD "\"nodes\":{}}", "field 'nodes': expected an array");
    expect_input_error(HEAD "\"nodes\":[{\"host\":\"a\",\"status\":\"fine\",\"result\":null}]}",
                       "field 'nodes[0].status'");
    expect_input_error(HEAD "\"nodes\":[{\"host\":\"a\",\"status\":\"ok\",\"result\":null}]}",
                       "nodes[0].result': missing");
    expect_input_error(HEAD "\"nodes\":[{\"host\":\"a\",\"status\":\"ok\",\"result\":"
                            "{\"schema\":\"roofline/1\"}}]}",
                       "f.json: nodes[0].result: field 'meta': missing");
    expect_input_error("{\"schema\":\"roofline-fleet/1\",\"tool_version\":\"0.1.0\",\"date\":"
                       "\"d\",\"command_line\":\"c\",\"partial\":false,\"thresholds\":{"
                       "\"compute\":2,\"bandwidth\":0.1,\"theory_compute\":0.15,"
                       "\"theory_dram\":0.5},\"nodes\":[]}",
                       "thresholds.compute");
    rl_err err = {0};
    rl_fleet *f = rl_fleet_from_json(HEAD "\"nodes\":[]}", strlen(HEAD "\"nodes\":[]}"), "f", &err);
    cr_assert_not_null(f, "%s", err.msg);
    cr_assert_eq(f->n_nodes, 0);
    rl_fleet_free(f);
}

Test(fleet_report, every_rendering_has_the_rows_the_groups_and_the_flags)
{
    rl_fleet *f = sample_fleet();
    rl_err err = {0};
    rl_buf t = {0}, md = {0}, csv = {0}, svg = {0};
    cr_assert_eq(rl_report_fleet_text(&t, f, &err), 0, "%s", err.msg);
    cr_assert(strstr(t.data, "5 nodes: 4 ok, 1 failed; 2 hardware groups"), "%s", t.data);
    cr_assert(strstr(t.data, "\n  n2    ok "), "%s", t.data);
    cr_assert(strstr(t.data, "  n4: failed: the measurement process was killed\n"), "%s", t.data);
    cr_assert(strstr(t.data, "n2: fp64 peak 45.63 GFLOP/s is 50.0% below its group's median "
                             "(91.27 GFLOP/s)"),
              "%s", t.data);
    cr_assert(strstr(t.data, "median: fp64 peak 91.27 GFLOP/s"), "%s", t.data);
    cr_assert_eq(rl_report_fleet_markdown(&md, f, &err), 0);
    cr_assert(strstr(md.data, "| n2 | ok | 1 |"), "%s", md.data);
    cr_assert(strstr(md.data, "## Flags"));
    cr_assert_eq(rl_report_fleet_csv(&csv, f, &err), 0);
    cr_assert(!strncmp(csv.data, "section,host,status,group,cpu,", 30), "%s", csv.data);
    cr_assert(strstr(csv.data, "\nnode,n4,failed: the measurement process was killed,,"), "%s",
              csv.data);
    cr_assert(strstr(csv.data, "\nmedian,,,1,"), "%s", csv.data);
    cr_assert(strstr(csv.data, "\nflag,n2,ok,1,"), "%s", csv.data);
    cr_assert_eq(rl_report_fleet_svg(&svg, f, &err), 0);
    cr_assert(!strncmp(svg.data, "<svg ", 5));
    cr_assert(strstr(svg.data, "group 2 median"));
    cr_assert(strstr(svg.data, "fill=\"#d62728\"><title>n2: 45.63 GFLOP/s</title>"), "%s",
              svg.data);
    cr_assert(strstr(svg.data, "</svg>\n"));
    rl_buf_free(&t);
    rl_buf_free(&md);
    rl_buf_free(&csv);
    rl_buf_free(&svg);
    rl_fleet_free(f);
}

Test(fleet_report, roofline_report_renders_a_fleet_file)
{
    rl_fleet *f = sample_fleet();
    char path[512], cmd[2048], md[512];
    snprintf(path, sizeof path, "%s/fleet.json", rl_test_tmpdir());
    snprintf(md, sizeof md, "%s/fleet.md", rl_test_tmpdir());
    rl_err err = {0};
    cr_assert_eq(rl_fleet_write(f, path, &err), 0, "%s", err.msg);
    rl_fleet_free(f);
    char *out = NULL, *errs = NULL;
    snprintf(cmd, sizeof cmd, "report %s --markdown %s", path, md);
    cr_assert_eq(rl_test_run(cmd, &out, &errs), 0, "%s", errs);
    cr_assert(strstr(out, "Fleet roofline: 5 nodes: 4 ok, 1 failed"), "%s", out);
    char *m = rl_test_slurp(md, NULL);
    cr_assert(m && strstr(m, "# Fleet roofline"));
    free(m);
    free(out);
    free(errs);
    snprintf(cmd, sizeof cmd, "report %s " ZEN3, path);
    cr_assert_eq(rl_test_run(cmd, NULL, &errs), 2);
    cr_assert(strstr(errs, "is a fleet file: it is rendered alone"), "%s", errs);
    free(errs);
    /* an ordinary result still renders as before */
    cr_assert_eq(rl_test_run("report " ZEN3 " -q", NULL, NULL), 0);
}

/* ---- one node's measurement in a child ---- */

static rl_plan tiny_plan(void)
{
    rl_plan p = rl_plan_main();
    p.gpu = 0;
    p.isa = "scalar";
    p.precision = "fp64";
    p.threads = "1";
    p.timing.repeats = 1;
    p.timing.min_time = 0.001;
    p.levels = 1u << RL_BW_L1;
    p.kinds = 1u << RL_BW_KIND_LOAD;
    p.clock_quick = 1;
    return p;
}

Test(fleet_child, the_job_runs_in_a_child_and_its_result_comes_back)
{
    rl_plan p = tiny_plan();
    rl_child_result cr;
    rl_err err = {0};
    cr_assert_eq(rl_child_measure(&p, 60, NULL, "test", &cr, &err), 0, "%s", err.msg);
    cr_assert_str_eq(cr.status, "ok");
    cr_assert_not_null(cr.json);
    rl_result *r = rl_result_from_json(cr.json, cr.len, "child", &err);
    cr_assert_not_null(r, "%s", err.msg);
    cr_assert_eq(r->n_flops, 1);
    cr_assert_str_eq(r->meta.command_line, "test");
    cr_assert_geq(cr.seconds, 0);
    rl_result_free(r);
    free(cr.json);
}

Test(fleet_child, a_plan_the_machine_cannot_run_fails_with_the_reason)
{
    rl_plan p = tiny_plan();
    p.isa = "no-such-isa";
    rl_child_result cr;
    rl_err err = {0};
    cr_assert_eq(rl_child_measure(&p, 60, NULL, "", &cr, &err), 0, "%s", err.msg);
    cr_assert(!strncmp(cr.status, "failed: --isa", 13), "%s", cr.status);
    cr_assert_null(cr.json);
}

Test(fleet_child, a_measurement_past_its_time_limit_is_killed)
{
    rl_plan p = tiny_plan();
    p.timing.min_time = 0.5; /* longer than the limit below */
    p.timing.repeats = 5;
    rl_child_result cr;
    rl_err err = {0};
    cr_assert_eq(rl_child_measure(&p, 0.2, NULL, "", &cr, &err), 0, "%s", err.msg);
    cr_assert(!strncmp(cr.status, "failed: no result within 0.2 s", 30), "%s", cr.status);
    cr_assert_null(cr.json);
    cr_assert_lt(cr.seconds, 30);
}
