/* test_report.c: the report writers against golden files, the chart rendered in Chromium, and the
 * report/compare commands' contract (bad input files, usage errors, atomic writes).
 *
 * Goldens live in tests/data/golden/ and come from the fixed results tests/data/zen3.json (this
 * 2-core Zen 3 KVM box) and tests/data/icx-2s.json (a 2-socket AVX-512 server); their meta (date,
 * version, compiler) is fixed, so the goldens are stable. After an intended change of a writer,
 * regenerate them with `RL_UPDATE_GOLDEN=1 make test` and review the diff. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/outfile.h"
#include "report/compare.h"
#include "report/csv.h"
#include "report/latency_svg.h"
#include "report/markdown.h"
#include "report/summary.h"
#include "report/svg.h"
#include "result/fleet.h"
#include "result/result.h"
#include "tests/helpers.h"

#define DATA   "tests/data/"
#define GOLDEN "tests/data/golden/"

static rl_result *load(const char *name)
{
    char path[256];
    rl_err err = {0};
    snprintf(path, sizeof path, DATA "%s", name);
    rl_result *r = rl_result_read(path, &err);
    cr_assert(r, "%s: %s", path, err.msg);
    return r;
}

/* Compares `text` with the golden file, or rewrites it when RL_UPDATE_GOLDEN is set. */
static void check_golden(const char *golden, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, GOLDEN "%s", golden);
    if (getenv("RL_UPDATE_GOLDEN")) {
        rl_err err = {0};
        cr_assert_eq(rl_outfile_write(path, text, len, &err), 0, "%s", err.msg);
        return;
    }
    size_t glen = 0;
    char *want = rl_test_slurp(path, &glen);
    cr_assert(want, "%s missing (RL_UPDATE_GOLDEN=1 make test writes it)", path);
    if (glen != len || memcmp(want, text, len) != 0) {
        size_t line = 1, i = 0;
        while (i < len && i < glen && want[i] == text[i])
            line += text[i++] == '\n';
        char actual[256];
        snprintf(actual, sizeof actual, "/tmp/roofline-golden-%s", golden);
        FILE *f = fopen(actual, "wb");
        if (f) {
            fwrite(text, 1, len, f);
            fclose(f);
        }
        free(want);
        cr_assert_fail("%s differs from the output at line %zu (output saved in %s)", path, line,
                       actual);
    }
    free(want);
}

typedef int (*render_fn)(rl_buf *b, const rl_result *r, rl_err *err);

static void golden_render(const char *fixture, render_fn render, const char *golden)
{
    rl_result *r = load(fixture);
    rl_buf b = {0};
    rl_err err = {0};
    cr_assert_eq(render(&b, r, &err), 0, "%s", err.msg);
    cr_assert(b.len > 0);
    check_golden(golden, b.data, b.len);
    rl_buf_free(&b);
    rl_result_free(r);
}

/* A row measured with one of its ISA's kernel shapes names it in a shape column; results without
 * shapes (the goldens above) have no such column. */
Test(report, summary_names_the_kernel_shape)
{
    rl_result *r = load("zen3.json");
    cr_assert_gt(r->n_flops, 1);
    snprintf(r->flops[0].variant, sizeof r->flops[0].variant, "square8+add8");
    rl_buf b = {0};
    rl_err err = {0};
    cr_assert_eq(rl_report_summary(&b, r, &err), 0, "%s", err.msg);
    cr_assert(strstr(b.data, "shape") && strstr(b.data, "square8+add8"), "%s", b.data);
    rl_buf_free(&b);
    r->flops[0].variant[0] = '\0';
    cr_assert_eq(rl_report_summary(&b, r, &err), 0, "%s", err.msg);
    cr_assert_null(strstr(b.data, "square8+add8"));
    rl_buf_free(&b);
    rl_result_free(r);
}

/* A result with every kind of latency row (zen3.json plus idle levels on 4k and thp, a sweep,
 * two loaded curves and a 2-node NUMA matrix): the latency section's goldens. The goldens above
 * come from results without latency rows and stay as they were. */
Test(report, latency_goldens)
{
    golden_render("zen3-latency.json", rl_report_summary, "zen3-latency.summary.txt");
    golden_render("zen3-latency.json", rl_report_markdown, "zen3-latency.md");
    golden_render("zen3-latency.json", rl_report_csv, "zen3-latency.csv");
    golden_render("zen3-latency.json", rl_report_svg_staircase, "zen3-latency-staircase.svg");
    golden_render("zen3-latency.json", rl_report_svg_loaded, "zen3-latency-loaded.svg");
}

Test(report, summary_golden_zen3)
{
    golden_render("zen3.json", rl_report_summary, "zen3.summary.txt");
}
Test(report, summary_golden_server)
{
    golden_render("icx-2s.json", rl_report_summary, "icx-2s.summary.txt");
}
Test(report, markdown_golden_zen3)
{
    golden_render("zen3.json", rl_report_markdown, "zen3.md");
}
Test(report, markdown_golden_server)
{
    golden_render("icx-2s.json", rl_report_markdown, "icx-2s.md");
}
Test(report, csv_golden_zen3)
{
    golden_render("zen3.json", rl_report_csv, "zen3.csv");
}
Test(report, csv_golden_server)
{
    golden_render("icx-2s.json", rl_report_csv, "icx-2s.csv");
}
Test(report, svg_golden_server)
{
    golden_render("icx-2s.json", rl_report_svg, "icx-2s.svg");
}

/* The JSON writer's output of a fixture is a golden, and reading it back writes the same bytes. */
/* A GPU result (an H200 measured by `roofline gpu`, tests/data/gpu-h200.json): its device
 * sections in every writer, and its own chart. */
Test(report, summary_golden_gpu)
{
    golden_render("gpu-h200.json", rl_report_summary, "gpu-h200.summary.txt");
}
Test(report, markdown_golden_gpu)
{
    golden_render("gpu-h200.json", rl_report_markdown, "gpu-h200.md");
}
Test(report, csv_golden_gpu)
{
    golden_render("gpu-h200.json", rl_report_csv, "gpu-h200.csv");
}
static int svg_device0(rl_buf *b, const rl_result *r, rl_err *err)
{
    return rl_report_svg_device(b, r, 0, err);
}
Test(report, svg_golden_gpu)
{
    golden_render("gpu-h200.json", svg_device0, "gpu-h200.svg");
}

/* A hybrid machine (tests/data/alder-lake-hybrid.json: an i9-12900K's theory, 8 Golden Cove P-
 * and 8 Gracemont E-cores, with illustrative rows measured on any cores and on each core type
 * alone): rows per core type in every writer. */
Test(report, summary_golden_hybrid)
{
    golden_render("alder-lake-hybrid.json", rl_report_summary, "alder-lake-hybrid.summary.txt");
}
Test(report, markdown_golden_hybrid)
{
    golden_render("alder-lake-hybrid.json", rl_report_markdown, "alder-lake-hybrid.md");
}
Test(report, csv_golden_hybrid)
{
    golden_render("alder-lake-hybrid.json", rl_report_csv, "alder-lake-hybrid.csv");
}
Test(report, svg_golden_hybrid)
{
    golden_render("alder-lake-hybrid.json", rl_report_svg, "alder-lake-hybrid.svg");
}
Test(report, json_golden_hybrid)
{
    rl_err err = {0};
    rl_result *r = load("alder-lake-hybrid.json");
    char *once = rl_result_to_json(r, &err);
    cr_assert(once, "%s", err.msg);
    check_golden("alder-lake-hybrid.json", once, strlen(once));
    cr_assert(strstr(once, "\"core_types\"") && strstr(once, "\"core_type\":\t\"gracemont\""),
              "core types in the JSON");
    rl_result *back = rl_result_from_json(once, strlen(once), "round-trip", &err);
    cr_assert(back, "%s", err.msg);
    cr_assert_eq(back->theory.n_core_types, 2);
    cr_assert_eq(back->theory.core_types[1].cores, 8);
    char *twice = rl_result_to_json(back, &err);
    cr_assert_str_eq(once, twice);
    free(once);
    free(twice);
    rl_result_free(back);
    rl_result_free(r);
}

/* A GPU server of eight (tests/data/gpu-server8.json, from tests/tools/fake_gpu_plugin.c): host
 * links, power and throttling per row, latency, the GPU-to-GPU matrix and the findings in every
 * writer; gpu5's chart carries the energy roofline beside the time roofline. */
Test(report, summary_golden_gpu_server)
{
    golden_render("gpu-server8.json", rl_report_summary, "gpu-server8.summary.txt");
}
Test(report, markdown_golden_gpu_server)
{
    golden_render("gpu-server8.json", rl_report_markdown, "gpu-server8.md");
}
Test(report, csv_golden_gpu_server)
{
    golden_render("gpu-server8.json", rl_report_csv, "gpu-server8.csv");
}
static int svg_device5(rl_buf *b, const rl_result *r, rl_err *err)
{
    return rl_report_svg_device(b, r, 5, err);
}
Test(report, svg_golden_gpu_server_energy)
{
    golden_render("gpu-server8.json", svg_device5, "gpu-server8-gpu5.svg");
}

Test(report, json_round_trip_golden)
{
    rl_err err = {0};
    rl_result *r = load("zen3.json");
    char *once = rl_result_to_json(r, &err);
    cr_assert(once, "%s", err.msg);
    check_golden("zen3.json", once, strlen(once));
    rl_result *back = rl_result_from_json(once, strlen(once), "round-trip", &err);
    cr_assert(back, "%s", err.msg);
    char *twice = rl_result_to_json(back, &err);
    cr_assert(twice, "%s", err.msg);
    cr_assert_str_eq(once, twice);
    free(once);
    free(twice);
    rl_result_free(back);
    rl_result_free(r);
}

static void golden_compare(rl_compare_format format, const char *golden)
{
    rl_result *a = load("zen3.json"), *b = load("icx-2s.json");
    const rl_result *rs[] = {a, b};
    const char *names[] = {"zen3.json", "icx-2s.json"};
    rl_buf out = {0};
    rl_err err = {0};
    cr_assert_eq(rl_report_compare(&out, rs, names, 2, format, &err), 0, "%s", err.msg);
    check_golden(golden, out.data, out.len);
    rl_buf_free(&out);
    rl_result_free(a);
    rl_result_free(b);
}

Test(report, compare_golden_text)
{
    golden_compare(RL_COMPARE_TEXT, "compare.txt");
}
Test(report, compare_golden_markdown)
{
    golden_compare(RL_COMPARE_MARKDOWN, "compare.md");
}
Test(report, compare_golden_csv)
{
    golden_compare(RL_COMPARE_CSV, "compare.csv");
}

/* What the summary must say, independent of the goldens' exact layout. */
Test(report, summary_labels_and_flags)
{
    rl_result *r = load("zen3.json");
    rl_buf b = {0};
    cr_assert_eq(rl_report_summary(&b, r, NULL), 0);
    const char *must[] = {"measured",
                          "theoretical",
                          "counted",
                          "traffic",
                          "I_max",
                          "101.4% (!)",
                          "suspicious: avx2-fma fp32, 1 thread measured 101.4%",
                          "noisy host",
                          "not run: avx (fp64, fp32)",
                          "theoretical DRAM unknown"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        cr_assert(strstr(b.data, must[i]), "summary lacks '%s'", must[i]);
    rl_buf_free(&b);
    rl_result_free(r);
}

/* Efficiency above theoretical is flagged on an ISA that cannot run here too; a partial result says
 * so first. */
Test(report, partial_and_not_runnable_are_said)
{
    rl_result *r = load("zen3.json");
    rl_err err = {0};
    r->meta.partial = 1;
    rl_fpc f = {.isa = "avx512f", .precision = "fp64", .per_core = 32, .unit = "FLOP"};
    cr_assert_eq(rl_result_add_fpc(r, &f, &err), 0);
    rl_buf b = {0};
    cr_assert_eq(rl_report_summary(&b, r, NULL), 0);
    cr_assert(strstr(b.data, "PARTIAL"));
    cr_assert(strstr(b.data, "! partial result"));
    cr_assert(strstr(b.data, "not run: avx512f (fp64): this CPU or its OS cannot run it"), "%s",
              b.data);
    char *json = rl_result_to_json(r, &err);
    cr_assert(json && strstr(json, "\"partial\":\ttrue"), "%s", json ? json : err.msg);
    free(json);
    rl_buf_free(&b);
    rl_result_free(r);
}

/* An empty result (nothing measured) still renders every format without crashing. */
Test(report, empty_result_renders)
{
    rl_result *r = rl_result_new();
    render_fn fns[] = {rl_report_summary, rl_report_markdown, rl_report_csv, rl_report_svg};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        rl_buf b = {0};
        cr_assert_eq(fns[i](&b, r, NULL), 0);
        cr_assert(b.len > 0);
        rl_buf_free(&b);
    }
    rl_result_free(r);
}

/* The SVG is self-contained: no scripts, no external references, generic fonts only. */
Test(report, svg_is_self_contained)
{
    rl_result *r = load("icx-2s.json");
    rl_buf b = {0};
    cr_assert_eq(rl_report_svg(&b, r, NULL), 0);
    cr_assert_null(strstr(b.data, "<script"));
    cr_assert_null(strstr(b.data, "@font-face"));
    cr_assert_null(strstr(b.data, "href"));
    cr_assert_null(strstr(b.data, "url(http"));
    cr_assert(strstr(b.data, "font-family=\"sans-serif\""));
    cr_assert(strstr(b.data, "Arithmetic intensity (FLOP/byte)"));
    cr_assert(strstr(b.data, "Performance (GFLOP/s)"));
    cr_assert(strstr(b.data, "Xeon"), "machine named in the title");
    rl_buf_free(&b);
    rl_result_free(r);
}

static int have_chromium(void)
{
    return system("command -v chromium >/dev/null 2>&1") == 0;
}

/* Renders the chart in headless Chromium and checks the picture: mostly white, with a fair amount
 * of drawing and of colour (the ceilings), not a blank or an error page. */
static void render_in_chromium(const char *fixture);

Test(report, svg_renders_in_chromium)
{
    render_in_chromium("icx-2s.json");
}

/* A GPU-only result: `report --svg` writes the GPU's chart itself. */
Test(report, gpu_svg_renders_in_chromium)
{
    render_in_chromium("gpu-h200.json");
}

static void render_in_chromium(const char *fixture)
{
    if (!have_chromium()) {
        cr_skip_test(
            "skipped: chromium not installed (scripts/install-deps.sh --test installs it)");
        return;
    }
    char dir[64], cmd[2048], svg[128], png[128], profile[128];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    snprintf(svg, sizeof svg, "%s/chart.svg", dir);
    snprintf(png, sizeof png, "%s/chart.png", dir);
    snprintf(profile, sizeof profile, "%s/profile", dir);
    snprintf(cmd, sizeof cmd, "report " DATA "%s -q --svg %s", fixture, svg);
    cr_assert_eq(rl_test_run(cmd, NULL, NULL), 0);
    char cwd[1024];
    cr_assert(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd,
             "timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic "
             "--no-first-run --disable-background-networking --disable-component-update "
             "--disable-sync --user-data-dir=%s --screenshot=%s --window-size=960,600 "
             "file://%s >/dev/null 2>&1",
             profile, png, svg[0] == '/' ? svg : cwd);
    cr_assert_eq(system(cmd), 0, "chromium failed: %s", cmd);
    snprintf(cmd, sizeof cmd, "python3 tests/tools/png_stats.py %s > %s/stats", png, dir);
    cr_assert_eq(system(cmd), 0, "png_stats failed");
    snprintf(cmd, sizeof cmd, "%s/stats", dir);
    char *stats = rl_test_slurp(cmd, NULL);
    cr_assert(stats);
    long w = 0, h = 0, nonwhite = 0, colored = 0;
    cr_assert_eq(sscanf(stats, "%ld %ld %ld %ld", &w, &h, &nonwhite, &colored), 4, "%s", stats);
    cr_assert_eq(w, 960);
    cr_assert_eq(h, 600);
    cr_assert_gt(nonwhite, w * h / 50, "almost blank: %ld non-white pixels", nonwhite);
    cr_assert_lt(nonwhite, w * h / 2, "mostly dark: %ld non-white pixels", nonwhite);
    cr_assert_gt(colored, 2000, "too little colour: %ld pixels (no ceilings drawn?)", colored);
    free(stats);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ---- the commands ------------------------------------------------------------------------- */

static void expect_input_error(const char *file, const char *field)
{
    char args[256], *err = NULL;
    snprintf(args, sizeof args, "report " DATA "bad/%s", file);
    cr_assert_eq(rl_test_run(args, NULL, &err), 3, "%s: %s", file, err);
    cr_assert(strstr(err, file), "message names the file: %s", err);
    cr_assert(strstr(err, field), "message names '%s': %s", field, err);
    cr_assert(strchr(err, '\n') == strrchr(err, '\n'), "one line: %s", err);
    free(err);
}

Test(report_cli, truncated_file_is_exit_3)
{
    expect_input_error("truncated.json", "not valid JSON");
}
Test(report_cli, wrong_schema_is_exit_3)
{
    expect_input_error("wrong-schema.json", "'schema'");
}
Test(report_cli, missing_field_is_exit_3)
{
    expect_input_error("missing-field.json", "'flops[2].gflops': missing");
}
Test(report_cli, wrong_type_is_exit_3)
{
    expect_input_error("wrong-type.json", "'bandwidth[1].threads'");
}
Test(report_cli, empty_and_non_json_are_exit_3)
{
    expect_input_error("empty.json", "not valid JSON");
    expect_input_error("not-json.json", "not valid JSON");
}

Test(report_cli, missing_file_is_exit_3)
{
    char *err = NULL;
    cr_assert_eq(rl_test_run("report " DATA "no-such.json", NULL, &err), 3);
    cr_assert(strstr(err, "no-such.json"), "%s", err);
    free(err);
}

Test(report_cli, compare_with_a_bad_file_is_exit_3)
{
    char *err = NULL;
    cr_assert_eq(rl_test_run("compare " DATA "zen3.json " DATA "bad/wrong-type.json", NULL, &err),
                 3);
    cr_assert(strstr(err, "wrong-type.json") && strstr(err, "threads"), "%s", err);
    free(err);
}

Test(report_cli, usage_errors_are_exit_2)
{
    char *err = NULL;
    cr_assert_eq(rl_test_run("report", NULL, &err), 2);
    cr_assert(strstr(err, "RESULT.json"), "%s", err);
    free(err);
    cr_assert_eq(
        rl_test_run("report " DATA "zen3.json " DATA "icx-2s.json --svg x.svg", NULL, &err), 2);
    cr_assert(strstr(err, "--svg"), "%s", err);
    free(err);
    cr_assert_eq(rl_test_run("report " DATA "zen3.json --frobnicate", NULL, &err), 2);
    cr_assert(strstr(err, "--frobnicate"), "%s", err);
    free(err);
    cr_assert_eq(rl_test_run("compare " DATA "zen3.json", NULL, &err), 2);
    free(err);
    cr_assert_eq(rl_test_run("report " DATA "zen3.json --csv", NULL, &err), 2);
    cr_assert(strstr(err, "--csv"), "%s", err);
    free(err);
}

/* The terminal summary of `report` is the golden summary; files given are written and complete. */
Test(report_cli, report_writes_every_output)
{
    char *out = NULL, args[512];
    const char *dir = rl_test_tmpdir();
    char d[64];
    snprintf(d, sizeof d, "%s", dir);
    snprintf(args, sizeof args,
             "report " DATA "zen3.json --markdown %s/r.md --csv %s/r.csv --svg %s/r.svg "
             "--json %s/r.json",
             d, d, d, d);
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    char *golden = rl_test_slurp(GOLDEN "zen3.summary.txt", NULL);
    cr_assert(golden);
    cr_assert_str_eq(out, golden);
    const char *names[] = {"r.md", "r.csv", "r.svg", "r.json"};
    for (size_t i = 0; i < 4; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/%s", d, names[i]);
        size_t len = 0;
        char *text = rl_test_slurp(p, &len);
        cr_assert(text && len > 100, "%s not written", p);
        free(text);
        unlink(p);
    }
    rmdir(d);
    free(out);
    free(golden);
}

/* A failed write leaves no temporary or partial file behind and does not clobber what is there:
 * here the target is a directory, so the final rename fails. */
Test(report_cli, failed_write_leaves_nothing_behind)
{
    char d[64], target[128], args[512], *err = NULL;
    snprintf(d, sizeof d, "%s", rl_test_tmpdir());
    snprintf(target, sizeof target, "%s/out.csv", d);
    cr_assert_eq(mkdir(target, 0755), 0);
    snprintf(args, sizeof args, "report " DATA "zen3.json -q --csv %s", target);
    cr_assert_eq(rl_test_run(args, NULL, &err), 1);
    cr_assert(strstr(err, "out.csv"), "%s", err);
    free(err);
    struct stat st;
    cr_assert_eq(stat(target, &st), 0);
    cr_assert(S_ISDIR(st.st_mode), "the existing entry was replaced");
    snprintf(args, sizeof args, "ls -A %s | grep -v '^out.csv$' | wc -l > %s/count", d, target);
    cr_assert_eq(system(args), 0);
    snprintf(args, sizeof args, "%s/count", target);
    char *count = rl_test_slurp(args, NULL);
    cr_assert(count && atoi(count) == 0, "temporary files left in %s: %s", d, count);
    free(count);
    snprintf(args, sizeof args, "rm -rf %s", d);
    cr_assert_eq(system(args), 0);

    /* A directory that does not exist: exit 1, nothing created. */
    cr_assert_eq(
        rl_test_run("report " DATA "zen3.json -q --svg /nonexistent-dir/x.svg", NULL, &err), 1);
    cr_assert(strstr(err, "/nonexistent-dir/x.svg"), "%s", err);
    free(err);
}

/* A bad input file fails before any output is written: an existing output keeps its content. */
Test(report_cli, bad_input_does_not_clobber_outputs)
{
    char d[64], target[128], args[512];
    snprintf(d, sizeof d, "%s", rl_test_tmpdir());
    snprintf(target, sizeof target, "%s/keep.md", d);
    FILE *f = fopen(target, "w");
    cr_assert(f);
    fputs("precious\n", f);
    fclose(f);
    snprintf(args, sizeof args, "report " DATA "bad/truncated.json --markdown %s", target);
    cr_assert_eq(rl_test_run(args, NULL, NULL), 3);
    char *text = rl_test_slurp(target, NULL);
    cr_assert_str_eq(text, "precious\n");
    free(text);
    unlink(target);
    rmdir(d);
}

Test(report_cli, compare_prints_ratios)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("compare " DATA "zen3.json " DATA "icx-2s.json", &out, NULL), 0);
    char *golden = rl_test_slurp(GOLDEN "compare.txt", NULL);
    cr_assert(golden);
    /* The golden names the inputs without their folder; the table itself is the same. */
    const char *table = strstr(golden, "  figure");
    cr_assert(table && strstr(out, table), "%s", out);
    cr_assert(strstr(out, "[1] " DATA "zen3.json: AMD EPYC"), "%s", out);
    free(out);
    free(golden);
}

Test(report_cli, output_to_stdout_replaces_the_summary)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("report " DATA "zen3.json --csv -", &out, NULL), 0);
    char *golden = rl_test_slurp(GOLDEN "zen3.csv", NULL);
    cr_assert(golden);
    cr_assert_str_eq(out, golden);
    free(out);
    free(golden);
}

/* A NUMA node's share of a DRAM run is a table row, not a ceiling of its own on the chart. */
Test(report, numa_shares_are_not_chart_ceilings)
{
    rl_result *r = load("icx-2s.json");
    rl_err err = {0};
    rl_bandwidth share = {.level = "NUMA0",
                          .kernel = "load",
                          .isa = "avx512",
                          .bytes_per_thread = 64u << 20,
                          .threads = 80,
                          .gbs = 155.6,
                          .gbs_median = 155,
                          .gbs_min = 154,
                          .gbs_traffic = 155.6,
                          .repeats = 5};
    cr_assert_eq(rl_result_add_bandwidth(r, &share, &err), 0);
    rl_buf svg = {0}, sum = {0};
    cr_assert_eq(rl_report_svg(&svg, r, NULL), 0);
    cr_assert_null(strstr(svg.data, "NUMA0"));
    cr_assert_eq(rl_report_summary(&sum, r, NULL), 0);
    cr_assert(strstr(sum.data, "NUMA0"), "the table still lists it");
    rl_buf_free(&svg);
    rl_buf_free(&sum);
    rl_result_free(r);
}

/* The "noisy host" line counts the notes the runner wrote; the report does not re-derive noise. */
Test(report, noise_line_counts_runner_notes)
{
    rl_result *r = load("zen3.json");
    for (size_t i = 0; i < r->n_flops; i++)
        r->flops[i].note[0] = '\0';
    for (size_t i = 0; i < r->n_bandwidth; i++)
        r->bandwidth[i].note[0] = '\0';
    r->flops[0].gflops_min = r->flops[0].gflops * 0.5; /* a wide spread, but no note */
    rl_buf b = {0};
    cr_assert_eq(rl_report_summary(&b, r, NULL), 0);
    cr_assert_null(strstr(b.data, "noisy host"), "%s", b.data);
    rl_buf_free(&b);

    /* Threads disagreeing is noise too, even with repeats that agree. */
    r->bandwidth[0].gbs_min = r->bandwidth[0].gbs;
    snprintf(r->bandwidth[0].note, sizeof r->bandwidth[0].note,
             "noisy host: threads disagree by 20%%");
    rl_buf c = {0};
    cr_assert_eq(rl_report_summary(&c, r, NULL), 0);
    char want[64];
    snprintf(want, sizeof want, "noisy host: 1 of %zu measurements", r->n_flops + r->n_bandwidth);
    cr_assert(strstr(c.data, want), "%s", c.data);
    rl_buf_free(&c);
    rl_result_free(r);
}

/* A brand string (or any text read back from a result file) with control bytes and markup must
 * still give well-formed XML: the control bytes dropped, the markup escaped. */
Test(report, svg_escapes_control_bytes_and_markup)
{
    rl_result *r = load("icx-2s.json");
    snprintf(r->machine.brand, sizeof r->machine.brand, "Evil\x01<&>\"CPU\x1f");
    rl_buf b = {0};
    rl_err err = {0};
    cr_assert_eq(rl_report_svg(&b, r, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < b.len; i++)
        cr_assert((unsigned char)b.data[i] >= 0x20 || b.data[i] == '\n' || b.data[i] == '\t',
                  "byte 0x%02x at offset %zu", (unsigned char)b.data[i], i);
    cr_assert(strstr(b.data, "Evil&lt;&amp;&gt;&quot;CPU"), "brand escaped");
    rl_buf_free(&b);
    rl_result_free(r);
}

Test(common, xml_escape_drops_control_bytes)
{
    rl_buf b = {0};
    rl_buf_xml_escape(&b, "a\x01<b>\t&\"\n\x7f");
    cr_assert_str_eq(b.data, "a&lt;b&gt;&amp;&quot;\x7f");
    rl_buf_free(&b);
}

/* A fleet file (roofline-fleet --json) in compare: one column per node that answered. */
Test(report_cli, compare_expands_a_fleet_file)
{
    rl_err err = {0};
    rl_fleet *f = rl_fleet_new();
    cr_assert(f);
    rl_result *a = rl_result_read(DATA "zen3.json", &err),
              *b = rl_result_read(DATA "icx-2s.json", &err);
    cr_assert(a && b, "%s", err.msg);
    cr_assert_eq(rl_fleet_add_node(f, "node-a", NULL, 1.0, a, &err), 0);
    cr_assert_eq(rl_fleet_add_node(f, "node-b", NULL, 1.0, b, &err), 0);
    cr_assert_eq(rl_fleet_add_node(f, "node-c", "failed: killed", -1, NULL, &err), 0);
    char dir[64], path[128], args[512];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    snprintf(path, sizeof path, "%s/fleet.json", dir);
    cr_assert_eq(rl_fleet_write(f, path, &err), 0, "%s", err.msg);
    rl_fleet_free(f);
    char *out = NULL, *errs = NULL;
    snprintf(args, sizeof args, "compare %s " DATA "zen3.json", path);
    cr_assert_eq(rl_test_run(args, &out, &errs), 0, "%s", errs);
    cr_assert(strstr(out, "fleet.json:node-a") && strstr(out, "fleet.json:node-b"), "%s", out);
    cr_assert(strstr(errs, "node node-c left out (failed: killed)"), "%s", errs);
    free(out);
    free(errs);
}
