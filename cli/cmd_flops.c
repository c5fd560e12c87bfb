/* cmd_flops.c: `roofline flops`: measure peak FLOP/s per ISA, precision and thread count. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "kernels/fma.h"
#include "report/flops_table.h"
#include "report/html.h"
#include "report/output.h"
#include "result/result.h"
#include "runner/job.h"
#include "runner/run.h"

static const char *const CMD = "roofline flops";

enum {
    OPT_ISA = 1,
    OPT_PRECISION,
    OPT_THREADS,
    OPT_BIND,
    OPT_SMT,
    OPT_REPEAT,
    OPT_MIN_TIME,
    OPT_JSON,
    OPT_HTML,
    OPT_QUIET,
    OPT_PROGRESS
};

static void print_help(void)
{
    char isas[256], aliases[128];
    rl_fma_isa_names(isas, sizeof isas);
    rl_fma_isa_aliases(aliases, sizeof aliases);
    printf(
        "Usage: roofline flops [OPTIONS]\n\n"
        "Measures peak FLOP/s with hand-written kernels (independent FMA or multiply/add chains\n"
        "on registers, one ISA per kernel) at each thread count, each thread pinned to its own\n"
        "physical core, and puts every figure beside the theoretical peak at the clock measured\n"
        "under that ISA's own load on the same cores (its vector work beside a dependent chain\n"
        "of integer adds: the licence clock of cores that slow down for wide vectors). Kernels\n"
        "the CPU cannot run (CPUID and XCR0) are listed as not run, never executed.\n\n"
        "What to measure:\n"
        "  --isa LIST          kernels' ISAs, comma-separated (default: every one this CPU runs)\n"
        "                      %s\n"
        "                      (short forms: %s)\n"
        "  --precision LIST    fp64, fp32, fp16, bf16, int8, comma-separated (default: all)\n"
        "  --threads SPEC      1,2 | 1-8 | all | sweep (1, 2, 4, ... and all); 'all' is every\n"
        "                      physical core, or every hardware thread with --smt (default: "
        "1,all)\n\n"
        "Placement:\n"
        "  --bind compact|scatter  fill one package first, or spread threads across packages\n"
        "                      and NUMA nodes (default: compact)\n"
        "  --smt               also use SMT siblings, after every core has one thread\n\n"
        "Timing:\n"
        "  --repeat N          timed repeats per figure; best, median and min are kept "
        "(default: 5)\n"
        "  --min-time SECONDS  calibrate each repeat to at least this long (default: 0.04)\n\n"
        "Output:\n"
        "  --json FILE         also write the result as JSON (schema roofline/1); '-' writes only\n"
        "                      the JSON, to stdout\n"
        "  --html FILE         also write one self-contained web page (tables, chart, result)\n"
        "  -q, --quiet         no progress on stderr\n"
        "  --progress          progress even when stderr is not a terminal (default: only on one)\n"
        "  -h, --help          this help\n\n"
        "Examples:\n"
        "  roofline flops\n"
        "  roofline flops --isa avx2-fma --precision fp64 --threads 1\n"
        "  roofline flops --threads sweep --bind scatter --json flops.json\n"
        "  roofline flops --isa avx512f --repeat 10 --min-time 0.2\n\n"
        "Ctrl-C stops after the current repeat and reports what finished (exit 1).\n"
        "Exit codes: 0 ok, 1 run-time failure, 2 usage error, 3 bad input file.\n",
        isas, aliases);
}

typedef struct flops_args {
    rl_plan plan; /* the flags that say what to measure */
    const char *json, *html;
    int quiet, progress;
} flops_args;

/* Parses the command line into a; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, flops_args *a)
{
    static const struct option longopts[] = {
        {"isa", required_argument, NULL, OPT_ISA},
        {"precision", required_argument, NULL, OPT_PRECISION},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"bind", required_argument, NULL, OPT_BIND},
        {"smt", no_argument, NULL, OPT_SMT},
        {"repeat", required_argument, NULL, OPT_REPEAT},
        {"min-time", required_argument, NULL, OPT_MIN_TIME},
        {"json", required_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long n;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help();
            return RL_EXIT_OK;
        case OPT_ISA:
            a->plan.isa = optarg;
            break;
        case OPT_PRECISION:
            a->plan.precision = optarg;
            break;
        case OPT_THREADS:
            a->plan.threads = optarg;
            break;
        case OPT_BIND:
            if (strcmp(optarg, "compact") == 0)
                a->plan.scatter = 0;
            else if (strcmp(optarg, "scatter") == 0)
                a->plan.scatter = 1;
            else
                return rl_cli_usage_error(CMD, "--bind: '%s' is not compact or scatter", optarg);
            break;
        case OPT_SMT:
            a->plan.smt = 1;
            break;
        case OPT_REPEAT:
            if (rl_cli_parse_int(optarg, 1, 1000, &n) != 0)
                return rl_cli_usage_error(CMD, "--repeat: '%s' is not a count from 1 to 1000",
                                          optarg);
            a->plan.timing.repeats = (int)n;
            break;
        case OPT_MIN_TIME:
            if (rl_cli_parse_double(optarg, 0.001, 60, &a->plan.timing.min_time) != 0)
                return rl_cli_usage_error(
                    CMD, "--min-time: '%s' is not a time in seconds (0.001 to 60)", optarg);
            break;
        case OPT_JSON:
            if (!*optarg)
                return rl_cli_usage_error(CMD, "--json: needs a file name or '-'");
            a->json = optarg;
            break;
        case OPT_HTML:
            a->html = optarg;
            break;
        case 'q':
        case OPT_QUIET:
            a->quiet = 1;
            break;
        case OPT_PROGRESS:
            a->progress = 1;
            break;
        case ':':
            return rl_cli_usage_error(CMD, "%s: needs a value", argv[optind - 1]);
        default:
            return rl_cli_unknown_option(CMD, argv);
        }
    }
    if (optind < argc)
        return rl_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    return -1;
}

/* The table on stdout (unless the JSON or the page took it), the JSON and the page; returns the
 * exit code. */
static int render(const rl_result *r, const char *json, const char *html, int status)
{
    if ((!json || strcmp(json, "-") != 0) && (!html || strcmp(html, "-") != 0)) {
        rl_buf b = {0};
        rl_flops_table_text(&b, r);
        rl_err werr = {0};
        if (b.failed || rl_outfile_write("-", b.data ? b.data : "", b.len, &werr) != 0) {
            rl_cli_error("%s", b.failed ? "out of memory" : werr.msg);
            status = RL_EXIT_RUNTIME;
        }
        rl_buf_free(&b);
    }
    if (json) {
        rl_err werr = {0};
        if (rl_result_write(r, json, &werr) != 0) {
            rl_cli_error("%s", werr.msg);
            status = RL_EXIT_RUNTIME;
        }
    }
    if (html) {
        rl_err werr = {0};
        if (rl_output_render(html, rl_report_html, r, &werr) != 0) {
            rl_cli_error("%s", werr.msg);
            status = RL_EXIT_RUNTIME;
        }
    }
    return status;
}

int rl_cmd_flops(int argc, char **argv)
{
    flops_args a = {.plan = rl_plan_flops()};
    int status = parse_args(argc, argv, &a);
    if (status >= 0)
        return status;
    const rl_cli_output outs[] = {{"--json", a.json}, {"--html", a.html}};
    status = rl_cli_check_outputs(CMD, outs, 2);
    if (status != RL_EXIT_OK)
        return status;

    rl_result *r = rl_result_new();
    if (!r) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }
    rl_cli_command_line(r->meta.command_line, sizeof r->meta.command_line);
    /* Progress only where someone watches: a terminal, unless asked (as the main job does). */
    int progress = !a.quiet && (a.progress || isatty(STDERR_FILENO));
    rl_job_hooks hooks = {.progress = progress ? rl_run_progress_stderr : NULL,
                          .stop = rl_cli_stop_flag()};
    rl_err err = {0};
    int measured = rl_job_run(&a.plan, &hooks, r, &err);
    if (progress)
        rl_run_progress_done();
    if (measured == 0 && r->meta.partial) /* stopped before the first kernel */
        measured = rl_err_set(&err, RL_EXIT_RUNTIME, "interrupted");
    if (measured != 0) {
        /* A plan this machine cannot run is a usage error; a failed run shows what finished. */
        if (err.code == RL_EXIT_USAGE && r->n_flops == 0) {
            status = rl_cli_usage_error(CMD, "%s", err.msg);
            goto done;
        }
        rl_cli_error("%s", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
        if (r->n_flops == 0)
            goto done; /* nothing to show */
        if (rl_result_add_warning(r, &err, "partial: %s", err.msg) != 0)
            goto done;
    }
    status = render(r, a.json, a.html, status);
done:
    rl_result_free(r);
    return status;
}
