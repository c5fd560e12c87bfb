/* cmd_report.c: `roofline report` (re-render saved results) and `roofline compare` (side by side).
 * Parsing and dispatch only: reading is result/, rendering is report/. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmds.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "report/compare.h"
#include "report/fleet.h"
#include "report/html_compare.h"
#include "report/markdown.h"
#include "report/output.h"
#include "report/summary.h"
#include "result/fleet.h"
#include "result/result.h"

static void report_help(void)
{
    printf("Usage: roofline report RESULT.json [RESULT.json ...] [OPTIONS]\n\n"
           "Re-renders results saved with --json, without measuring again. The terminal summary\n"
           "goes to stdout unless an output file is '-' or --quiet is given. A fleet file (from\n"
           "roofline-fleet, schema roofline-fleet/1) is rendered as the fleet report.\n\n"
           "Outputs (FILE '-' is stdout; files are written atomically):\n"
           "  --markdown FILE   publishable Markdown tables (several inputs: one after another)\n"
           "  --csv FILE        every figure as one CSV table (one input)\n"
           "  --svg FILE        the roofline chart (one input)\n"
           "  --json FILE       the checked result, rewritten (one input)\n"
           "  --html FILE       one self-contained web page: tables, interactive charts and the\n"
           "                    result embedded (one input; a fleet file gives the fleet page)\n"
           "  -q, --quiet       no terminal summary\n"
           "  -h, --help        this help\n\n"
           "Examples:\n"
           "  roofline report zen3.json\n"
           "  roofline report zen3.json --svg zen3.svg --markdown zen3.md\n"
           "  roofline report zen3.json --html zen3.html\n"
           "  roofline report zen3.html        (a page written by --html reads back)\n"
           "  roofline report zen3.json --csv - | column -s, -t\n\n"
           "Exit codes: 0 ok, 1 run-time failure (a write failed), 2 usage error,\n"
           "3 bad input file (missing, truncated, malformed, wrong schema: the message names\n"
           "the file and the field).\n");
}

static void compare_help(void)
{
    printf("Usage: roofline compare A.json B.json [C.json ...] [OPTIONS]\n\n"
           "Puts saved results side by side: one column per input and, for each input after\n"
           "the first, its ratio to the first. Compute and memory figures are shown at 1 thread\n"
           "and at the most threads each run used, so different machines line up. A fleet file\n"
           "(roofline-fleet --json) stands for its nodes: one column per node, FILE:host (up to\n"
           "10 columns in all).\n\n"
           "Outputs (FILE '-' is stdout; files are written atomically):\n"
           "  --markdown FILE   the comparison as a Markdown table\n"
           "  --csv FILE        the comparison as CSV (full precision, ratios as plain numbers)\n"
           "  --html FILE       one self-contained web page: the table with the better figure\n"
           "                    marked, the rooflines overlaid, every input embedded\n"
           "  -q, --quiet       no terminal table\n"
           "  -h, --help        this help\n\n"
           "Examples:\n"
           "  roofline compare laptop.json server.json\n"
           "  roofline compare before.json after.json --markdown diff.md\n"
           "  roofline compare laptop.json server.json --html side-by-side.html\n"
           "  roofline compare fleet.json spare-node.json\n\n"
           "Exit codes: 0 ok, 1 run-time failure, 2 usage error, 3 bad input file.\n");
}

enum { OPT_MARKDOWN = 256, OPT_CSV, OPT_SVG, OPT_JSON, OPT_HTML };

static const struct option report_opts[] = {
    {"markdown", required_argument, NULL, OPT_MARKDOWN},
    {"csv", required_argument, NULL, OPT_CSV},
    {"svg", required_argument, NULL, OPT_SVG},
    {"json", required_argument, NULL, OPT_JSON},
    {"html", required_argument, NULL, OPT_HTML},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Parses the options shared by report and compare; returns -1 on a usage error (printed). */
static int parse(int argc, char **argv, const char *cmd, int allow_chart, rl_outputs *o, int *quiet,
                 int *help)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":qh", report_opts, NULL)) != -1) {
        switch (c) {
        case OPT_MARKDOWN:
            o->markdown = optarg;
            break;
        case OPT_CSV:
            o->csv = optarg;
            break;
        case OPT_HTML:
            o->html = optarg;
            break;
        case OPT_SVG:
        case OPT_JSON:
            if (!allow_chart) {
                rl_cli_usage_error(cmd, "--%s: not an option of compare",
                                   c == OPT_SVG ? "svg" : "json");
                return -1;
            }
            if (c == OPT_SVG)
                o->svg = optarg;
            else
                o->json = optarg;
            break;
        case 'q':
            *quiet = 1;
            break;
        case 'h':
            *help = 1;
            return 0;
        case ':':
            rl_cli_usage_error(cmd, "%s: needs a FILE", argv[optind - 1]);
            return -1;
        default:
            rl_cli_unknown_option(cmd, argv);
            return -1;
        }
    }
    return 0;
}

static int fail(const rl_err *err)
{
    rl_cli_error("%s", err->msg);
    return err->code ? err->code : RL_EXIT_RUNTIME;
}

/* A fleet file (schema roofline-fleet/1, from roofline-fleet): the fleet report, the same
 * renderings as roofline-fleet writes (report/fleet.h). */
static int report_fleet(const char *path, const rl_outputs *o, int quiet)
{
    rl_err err = {0};
    rl_fleet *f = rl_fleet_read(path, &err);
    if (!f)
        return fail(&err);
    int rc = RL_EXIT_OK;
    if (!quiet && !rl_output_uses_stdout(o)) {
        rl_buf b = {0};
        if (rl_report_fleet_text(&b, f, &err) != 0 ||
            rl_outfile_write("-", b.data ? b.data : "", b.len, &err) != 0)
            rc = fail(&err);
        rl_buf_free(&b);
    }
    if (rc == RL_EXIT_OK && rl_report_fleet_files(f, o, &err) != 0)
        rc = fail(&err);
    rl_fleet_free(f);
    return rc;
}

int rl_cmd_report(int argc, char **argv)
{
    rl_outputs o = {0};
    int quiet = 0, help = 0, rc = RL_EXIT_OK;
    rl_err err = {0};
    if (parse(argc, argv, "roofline report", 1, &o, &quiet, &help) != 0)
        return RL_EXIT_USAGE;
    if (help) {
        report_help();
        return RL_EXIT_OK;
    }
    int n = argc - optind;
    if (n < 1)
        return rl_cli_usage_error("roofline report", "needs a RESULT.json to render");
    if (n > 1 && (o.csv || o.svg || o.json || o.html))
        return rl_cli_usage_error("roofline report",
                                  "%s takes one input, got %d (use 'roofline compare' for several)",
                                  o.csv    ? "--csv"
                                  : o.svg  ? "--svg"
                                  : o.html ? "--html"
                                           : "--json",
                                  n);
    const rl_cli_output outs[] = {{"--json", o.json},
                                  {"--markdown", o.markdown},
                                  {"--csv", o.csv},
                                  {"--svg", o.svg},
                                  {"--html", o.html}};
    rc = rl_cli_check_outputs("roofline report", outs, 5);
    if (rc != RL_EXIT_OK)
        return rc;
    for (int i = optind; i < argc; i++)
        if (rl_fleet_is_fleet_file(argv[i])) {
            if (n > 1)
                return rl_cli_usage_error("roofline report",
                                          "%s is a fleet file: it is rendered alone", argv[i]);
            return report_fleet(argv[i], &o, quiet);
        }
    int to_terminal = !quiet && !rl_output_uses_stdout(&o);
    rl_buf summary = {0}, markdown = {0};
    for (int i = optind; i < argc && rc == RL_EXIT_OK; i++) {
        rl_result *r = rl_result_read(argv[i], &err);
        if (!r) {
            rc = fail(&err);
            break;
        }
        if (to_terminal) {
            if (summary.len > 0)
                rl_buf_printf(&summary, "\n");
            if (rl_report_summary(&summary, r, &err) != 0)
                rc = fail(&err);
        }
        if (rc == RL_EXIT_OK && o.markdown) {
            if (markdown.len > 0)
                rl_buf_printf(&markdown, "\n");
            if (rl_report_markdown(&markdown, r, &err) != 0)
                rc = fail(&err);
        }
        if (rc == RL_EXIT_OK && n == 1) {
            rl_outputs single = {.json = o.json, .csv = o.csv, .svg = o.svg, .html = o.html};
            if (rl_output_files(r, &single, &err) != 0)
                rc = fail(&err);
        }
        rl_result_free(r);
    }
    if (rc == RL_EXIT_OK && o.markdown &&
        rl_outfile_write(o.markdown, markdown.data ? markdown.data : "", markdown.len, &err) != 0)
        rc = fail(&err);
    if (rc == RL_EXIT_OK && to_terminal &&
        rl_outfile_write("-", summary.data ? summary.data : "", summary.len, &err) != 0)
        rc = fail(&err);
    rl_buf_free(&summary);
    rl_buf_free(&markdown);
    return rc;
}

static int compare_write(const char *path, const rl_result *const *rs, const char *const *names,
                         size_t n, rl_compare_format format, rl_err *err)
{
    rl_buf b = {0};
    int rc = rl_report_compare(&b, rs, names, n, format, err);
    if (rc == 0)
        rc = rl_outfile_write(path, b.data ? b.data : "", b.len, err);
    rl_buf_free(&b);
    return rc;
}

int rl_cmd_compare(int argc, char **argv)
{
    rl_outputs o = {0};
    int quiet = 0, help = 0, rc = RL_EXIT_OK;
    rl_err err = {0};
    rl_result *rs[RL_COMPARE_MAX] = {0};
    const char *names[RL_COMPARE_MAX];
    if (parse(argc, argv, "roofline compare", 0, &o, &quiet, &help) != 0)
        return RL_EXIT_USAGE;
    if (help) {
        compare_help();
        return RL_EXIT_OK;
    }
    int n = argc - optind;
    if (n < 2 || n > RL_COMPARE_MAX)
        return rl_cli_usage_error("roofline compare", "needs 2 to %d RESULT.json files, got %d",
                                  RL_COMPARE_MAX, n);
    const rl_cli_output outs[] = {{"--markdown", o.markdown}, {"--csv", o.csv}, {"--html", o.html}};
    rc = rl_cli_check_outputs("roofline compare", outs, 3);
    if (rc != RL_EXIT_OK)
        return rc;
    /* A fleet file (roofline-fleet) stands for its nodes: one column per node that answered,
     * named FILE:host. */
    char labels[RL_COMPARE_MAX][320];
    int cols = 0;
    for (int i = 0; i < n; i++) {
        const char *path = argv[optind + i];
        if (!rl_fleet_is_fleet_file(path)) {
            if (cols == RL_COMPARE_MAX)
                goto too_many;
            names[cols] = path;
            if (!(rs[cols++] = rl_result_read(path, &err))) {
                rc = fail(&err);
                goto done;
            }
            continue;
        }
        rl_fleet *f = rl_fleet_read(path, &err);
        if (!f) {
            rc = fail(&err);
            goto done;
        }
        for (size_t k = 0; k < f->n_nodes; k++) {
            rl_fleet_node *node = &f->nodes[k];
            if (!rl_fleet_node_ok(node) || !node->result) {
                rl_cli_warn("%s: node %s left out (%s)", path, node->host, node->status);
                continue;
            }
            if (cols == RL_COMPARE_MAX) {
                rl_fleet_free(f);
                goto too_many;
            }
            snprintf(labels[cols], sizeof labels[cols], "%.200s:%.100s", path, node->host);
            names[cols] = labels[cols];
            rs[cols++] = node->result;
            node->result = NULL; /* now owned by rs */
        }
        rl_fleet_free(f);
    }
    if (cols < 2) {
        rc = rl_cli_usage_error("roofline compare", "needs at least 2 results to compare, got %d",
                                cols);
        goto done;
    }
    n = cols;
    const rl_result *const *crs = (const rl_result *const *)rs;
    if (o.markdown &&
        compare_write(o.markdown, crs, names, (size_t)n, RL_COMPARE_MARKDOWN, &err) != 0) {
        rc = fail(&err);
        goto done;
    }
    if (o.csv && compare_write(o.csv, crs, names, (size_t)n, RL_COMPARE_CSV, &err) != 0) {
        rc = fail(&err);
        goto done;
    }
    if (o.html) {
        rl_buf page = {0};
        if (rl_report_compare_html(&page, crs, names, (size_t)n, &err) != 0 ||
            rl_outfile_write(o.html, page.data ? page.data : "", page.len, &err) != 0)
            rc = fail(&err);
        rl_buf_free(&page);
        if (rc != RL_EXIT_OK)
            goto done;
    }
    if (!quiet && !rl_output_uses_stdout(&o) &&
        compare_write("-", crs, names, (size_t)n, RL_COMPARE_TEXT, &err) != 0)
        rc = fail(&err);
    goto done;
too_many:
    rc = rl_cli_usage_error("roofline compare",
                            "more than %d results to compare (a fleet file counts "
                            "one per node)",
                            RL_COMPARE_MAX);
done:
    for (int i = 0; i < RL_COMPARE_MAX; i++)
        rl_result_free(rs[i]);
    return rc;
}
