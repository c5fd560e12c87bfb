/* cmd_bandwidth.c: `roofline bandwidth`: parse the flags into a plan, run the measurement job
 * (runner/job.h), print the tables of report/bandwidth_table, write the JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "kernels/stream.h"
#include "report/bandwidth_table.h"
#include "report/html.h"
#include "report/output.h"
#include "result/result.h"
#include "runner/bandwidth.h"
#include "runner/job.h"
#include "runner/run.h"

static const char *const CMD = "roofline bandwidth";

enum {
    OPT_LEVEL = 1,
    OPT_KERNEL,
    OPT_THREADS,
    OPT_NT,
    OPT_NO_NT,
    OPT_SIZE,
    OPT_SWEEP,
    OPT_ISA,
    OPT_REPEAT,
    OPT_MIN_TIME,
    OPT_JSON,
    OPT_HTML,
    OPT_QUIET,
    OPT_PROGRESS,
};

static void print_help(void)
{
    char isas[128], aliases[128];
    rl_stream_isa_names(isas, sizeof isas);
    rl_stream_isa_aliases(aliases, sizeof aliases);
    printf(
        "Usage: roofline bandwidth [OPTIONS]\n\n"
        "Measures memory bandwidth per cache level and DRAM with STREAM-style kernels written\n"
        "with intrinsics (the compiler cannot turn them into memcpy or drop their stores), each\n"
        "thread pinned to its own core with its own first-touched (NUMA-local) arrays. Working\n"
        "sets come from the probed caches: L1 half of L1d, L2 half of L2, L3 half of the L3 share\n"
        "per core, DRAM 4x the whole last-level cache. Every run's output is checked against a\n"
        "scalar reference, so a wrong kernel cannot report a fast figure.\n\n"
        "What to measure:\n"
        "  --level LIST        levels among L1,L2,L3,DRAM (default: all four)\n"
        "  --kernel LIST       among load (sum), store (fill), copy c=a, scale b=s*c, add c=a+b,\n"
        "                      triad a=b+s*c, triad4 a=b*c+d (likwid's triad)\n"
        "                      (default: load,copy,triad)\n"
        "  --threads LIST      thread counts: 1,2 | 1-8 | all | sweep (default: 1,all)\n"
        "  --nt                non-temporal-store variants at every level too\n"
        "                      (default: at DRAM only)\n"
        "  --no-nt             regular stores only\n"
        "  --size BYTES        this working set per thread instead of the levels: 16K, 256KiB, "
        "4M,\n"
        "                      1G (K, M, G are powers of 1024); the level is named from the "
        "caches\n"
        "  --sweep             sizes from 4 KiB to 4x the last-level cache, 4 per octave, and the\n"
        "                      plateaus found in the curve, checked against the probed caches\n"
        "                      (default kernel load, 1 thread)\n"
        "  --isa ISA           kernels of this ISA only: %s\n"
        "                      (also %s)\n"
        "                      (default: the widest this CPU and OS run)\n\n"
        "Timing:\n"
        "  --repeat N          timed repeats per figure; best, median and slowest are kept\n"
        "                      (default 5; 3 with --sweep)\n"
        "  --min-time SECONDS  length of one repeat, calibrated (default 0.03; 0.01 with "
        "--sweep)\n\n"
        "Output:\n"
        "  --json FILE         also write the result as JSON (schema roofline/1, bandwidth[]);\n"
        "                      '-' writes only the JSON, to stdout\n"
        "  --html FILE         also write one self-contained web page (tables, chart, result)\n"
        "  -q, --quiet         no progress on stderr\n"
        "  --progress          progress even when stderr is not a terminal (default: only on one)\n"
        "  -h, --help          this help\n\n"
        "Two figures per row: GB/s counted is what STREAM and likwid-bench report (bytes of the\n"
        "arrays touched: copy/scale 16 B per element, add/triad 24, load/store 8, triad4 32);\n"
        "GB/s traffic estimates what crosses the memory interface: regular stores first read\n"
        "each line (write-allocate) beyond L1, non-temporal stores do not; in L1 stores hit\n"
        "lines already there, so traffic = counted. GB/s = 1e9 bytes/s.\n\n"
        "Examples:\n"
        "  roofline bandwidth\n"
        "  roofline bandwidth --level DRAM --kernel copy,triad --threads all --nt\n"
        "  roofline bandwidth --size 4M --kernel triad4 --threads 1 --repeat 10\n"
        "  roofline bandwidth --sweep --kernel load,copy --json sweep.json\n"
        "  roofline bandwidth --json - | jq '.bandwidth[] | {level, kernel, gbs}'\n\n"
        "Exit codes: 0 ok, 1 run-time failure (a kernel check failed, interrupted), 2 usage\n"
        "error, 3 bad input file.\n",
        isas, aliases);
}

static int level_lookup(const char *s)
{
    return rl_bw_level_from_name(s);
}

static int kind_lookup(const char *s)
{
    return rl_bw_kind_from_name(s);
}

typedef struct bw_args {
    rl_plan plan;
    const char *json, *html;
    int nt, no_nt, quiet, force_progress;
} bw_args;

/* One option of the measuring group into the plan; returns -1 to go on, or an exit code. */
static int parse_measure_opt(int c, const char *arg, rl_plan *p)
{
    char bad[64];
    long repeat;
    switch (c) {
    case OPT_LEVEL:
        if (rl_cli_parse_names(arg, level_lookup, &p->levels, bad, sizeof bad) < 0)
            return rl_cli_usage_error(CMD, "--level: '%s' is not L1, L2, L3 or DRAM", bad);
        return -1;
    case OPT_KERNEL:
        if (rl_cli_parse_names(arg, kind_lookup, &p->kinds, bad, sizeof bad) < 0)
            return rl_cli_usage_error(CMD,
                                      "--kernel: '%s' is not one of load, store, copy, "
                                      "scale, add, triad, triad4",
                                      bad);
        return -1;
    case OPT_SIZE:
        if (rl_cli_parse_size(arg, &p->size) < 0)
            return rl_cli_usage_error(
                CMD, "--size: '%s' is not a size from 4K to 1024G (e.g. 16K, 4MiB, 1G)", arg);
        return -1;
    case OPT_ISA:
        if (!(p->mem_isa = rl_stream_isa_lookup(arg))) {
            char isas[128], aliases[128];
            rl_stream_isa_names(isas, sizeof isas);
            rl_stream_isa_aliases(aliases, sizeof aliases);
            return rl_cli_usage_error(CMD, "--isa: '%s' is not a memory-kernel ISA (valid: %s; %s)",
                                      arg, isas, aliases);
        }
        return -1;
    case OPT_REPEAT:
        if (rl_cli_parse_int(arg, 1, 1000, &repeat) < 0)
            return rl_cli_usage_error(CMD, "--repeat: '%s' is not a count from 1 to 1000", arg);
        p->timing.repeats = (int)repeat;
        return -1;
    case OPT_MIN_TIME:
        if (rl_cli_parse_double(arg, 1e-4, 60, &p->timing.min_time) < 0)
            return rl_cli_usage_error(
                CMD, "--min-time: '%s' is not a number of seconds from 0.0001 to 60", arg);
        return -1;
    default:
        return 0;
    }
}

/* Flags that exclude each other, and the outputs. */
static int check_args(bw_args *a)
{
    rl_plan *p = &a->plan;
    if (a->nt && a->no_nt)
        return rl_cli_usage_error(CMD, "--nt and --no-nt exclude each other");
    if (p->sweep && (p->levels || p->size))
        return rl_cli_usage_error(CMD, "--sweep: measures its own sizes; drop %s",
                                  p->levels ? "--level" : "--size");
    if (p->size && p->levels)
        return rl_cli_usage_error(CMD, "--size: replaces the levels; drop --level");
    p->nt = a->nt ? RL_PLAN_NT_ALL : a->no_nt ? RL_PLAN_NT_NONE : RL_PLAN_NT_DEFAULT;
    const rl_cli_output outs[] = {{"--json", a->json}, {"--html", a->html}};
    int oc = rl_cli_check_outputs(CMD, outs, 2);
    return oc != RL_EXIT_OK ? oc : -1;
}

/* Parses the command line into a; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, bw_args *a)
{
    static const struct option longopts[] = {
        {"level", required_argument, NULL, OPT_LEVEL},
        {"kernel", required_argument, NULL, OPT_KERNEL},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"nt", no_argument, NULL, OPT_NT},
        {"no-nt", no_argument, NULL, OPT_NO_NT},
        {"size", required_argument, NULL, OPT_SIZE},
        {"sweep", no_argument, NULL, OPT_SWEEP},
        {"isa", required_argument, NULL, OPT_ISA},
        {"repeat", required_argument, NULL, OPT_REPEAT},
        {"min-time", required_argument, NULL, OPT_MIN_TIME},
        {"json", required_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        int rc = parse_measure_opt(c, optarg, &a->plan);
        if (rc > 0)
            return rc;
        if (rc < 0)
            continue;
        switch (c) {
        case OPT_THREADS:
            a->plan.threads = optarg;
            break;
        case OPT_NT:
            a->nt = 1;
            break;
        case OPT_NO_NT:
            a->no_nt = 1;
            break;
        case OPT_SWEEP:
            a->plan.sweep = 1;
            break;
        case OPT_JSON:
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
            a->force_progress = 1;
            break;
        case 'h':
            print_help();
            return RL_EXIT_OK;
        case ':':
            return rl_cli_usage_error(CMD, "%s: needs a value", argv[optind - 1]);
        default:
            return rl_cli_unknown_option(CMD, argv);
        }
    }
    if (optind < argc)
        return rl_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    return check_args(a);
}

/* The tables on stdout with the warnings on stderr (unless the JSON or the page took stdout), then
 * the JSON and the page. */
static int render(const rl_plan *plan, const rl_result *r, const char *json, const char *html,
                  rl_err *err)
{
    if ((!json || strcmp(json, "-") != 0) && (!html || strcmp(html, "-") != 0)) {
        rl_buf b = {0};
        rl_bandwidth_table_text(&b, r);
        if (plan->sweep) {
            /* One curve per kernel and thread count measured, in the plan's order. */
            rl_plan_resolved rp;
            rl_plan_resolve(plan, &rp);
            const char *kernels[RL_BW_KINDS_];
            size_t n_kernels = 0;
            for (int kind = 0; kind < RL_BW_KINDS_; kind++)
                if (rp.plan.kinds & (1u << kind))
                    kernels[n_kernels++] = rl_bw_kind_name(kind);
            int *threads = NULL, n_threads = 0;
            if (rl_plan_threads(plan, r->machine.cores, r->machine.threads, &threads, &n_threads,
                                err) != 0) {
                rl_buf_free(&b);
                return -1;
            }
            rl_bandwidth_table_sweep(&b, r, kernels, n_kernels, threads, n_threads);
            free(threads);
        }
        if (b.failed)
            rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        int wrc = b.failed ? -1 : rl_outfile_write("-", b.data ? b.data : "", b.len, err);
        rl_buf_free(&b);
        if (wrc < 0)
            return -1;
        for (size_t i = 0; i < r->n_warnings; i++)
            rl_cli_warn("%s", r->warnings[i]);
    }
    if (json && rl_result_write(r, json, err) != 0)
        return -1;
    return html ? rl_output_render(html, rl_report_html, r, err) : 0;
}

int rl_cmd_bandwidth(int argc, char **argv)
{
    bw_args a = {.plan = rl_plan_bandwidth()};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;

    rl_err err = {0};
    rl_result *r = rl_result_new();
    if (!r) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }
    rl_cli_command_line(r->meta.command_line, sizeof r->meta.command_line);
    /* Progress only where someone watches: a terminal, unless asked (as the main job does). */
    int progress = !a.quiet && (a.force_progress || isatty(STDERR_FILENO));
    rl_job_hooks hooks = {.progress = progress ? rl_run_progress_stderr : NULL,
                          .stop = rl_cli_stop_flag()};
    int run_rc = rl_job_run(&a.plan, &hooks, r, &err);
    if (progress)
        rl_run_progress_done();
    if (run_rc < 0 && err.code == RL_EXIT_USAGE && r->n_bandwidth == 0) {
        rc = rl_cli_usage_error(CMD, "%s", err.msg);
        goto out;
    }
    if (run_rc < 0 || render(&a.plan, r, a.json, a.html, &err) < 0)
        goto fail;
    if (r->meta.partial) {
        rl_cli_error("interrupted: the results above are partial");
        rc = RL_EXIT_RUNTIME;
        goto out;
    }
    rc = RL_EXIT_OK;
    goto out;
fail:
    rl_cli_error("%s", err.msg);
    rc = err.code ? err.code : RL_EXIT_RUNTIME;
out:
    rl_result_free(r);
    return rc;
}
