/* cmd_main.c: `roofline` alone: the complete measurement of this machine. Parses the flags into a
 * plan, runs the measurement job (runner/job.h: probe, compute kernels, bandwidth per level,
 * measured ridge points) and renders the report. Parsing and rendering only.
 *
 * Ctrl-C (SIGINT) or SIGTERM stops between measurements: what finished is reported, marked partial,
 * and written to the requested files; the exit code is then 1. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "cli/machine_opts.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "probes/probe.h"
#include "report/output.h"
#include "report/summary.h"
#include "result/result.h"
#include "runner/job.h"
#include "runner/run.h"

static const char *const CMD = "roofline";

enum {
    OPT_JSON = 256,
    OPT_SVG,
    OPT_MARKDOWN,
    OPT_CSV,
    OPT_HTML,
    OPT_QUICK,
    OPT_THREADS,
    OPT_PROGRESS,
    OPT_HELP_MAIN,
    OPT_NO_LATENCY,
};

static void print_help(void)
{
    printf(
        "Usage: roofline [OPTIONS]\n\n"
        "Measures this machine's roofline and prints it: the machine and its theoretical "
        "peaks,\n"
        "then peak GFLOP/s per ISA, precision and thread count, bandwidth per cache level and\n"
        "DRAM, the ridge points I_max = peak / bandwidth (measured and theoretical) and the\n"
        "warnings. The default run takes under 30 s on a small machine; --quick under 5 s.\n\n"
        "Outputs (FILE '-' is stdout, which then carries only that output; files are written\n"
        "atomically, never half-written):\n"
        "  --json FILE         the result (schema roofline/1), for report, compare and model\n"
        "  --svg FILE          the roofline chart\n"
        "  --markdown FILE     publishable tables\n"
        "  --csv FILE          every figure as CSV\n"
        "  --html FILE         one self-contained web page: tables, interactive charts, the\n"
        "                      result embedded (roofline report FILE reads it back)\n\n"
        "Measuring:\n"
        "  --quick             2 repeats of 10 ms, the widest ISA per precision, load and triad\n"
        "                      only: a rough roofline in seconds (the output says so)\n"
        "  --threads LIST      thread counts: 1,2 / 1-4 / all / sweep (default: 1,all)\n"
        "  --no-latency        leave out the memory-latency section (see 'roofline latency')\n\n"
        "Progress (on stderr):\n"
        "  -q, --quiet         none\n"
        "  --progress          also when stderr is not a terminal\n\n"
        "Machine description (the main job always measures this machine):\n"
        "  --clock GHZ         core clock for the theoretical figures instead of the measured one\n"
        "  --mem-channels N    populated DRAM channels (overrides SMBIOS)\n"
        "  --mem-mts N         DRAM transfer rate in MT/s, e.g. 3200 for DDR4-3200\n"
        "  --platform-memory   this VM is the whole platform: use the CPU model's platform DRAM\n"
        "                      (channels x top DDR rate per socket) for the theoretical ridge\n"
        "  (--cpuid-dump and --topology describe other machines: see 'roofline probe --help')\n\n"
        "Ctrl-C stops between measurements: what finished is reported and saved (with --json,\n"
        "marked \"partial\": true), and roofline exits with 1.\n\n"
        "Examples:\n"
        "  roofline\n"
        "  roofline --quick\n"
        "  roofline --json zen3.json --svg zen3.svg --markdown zen3.md\n"
        "  roofline --quick --html this.html\n"
        "  roofline --mem-channels 8 --mem-mts 3200 --json server.json\n\n"
        "Exit codes: 0 ok, 1 run-time failure or interrupted, 2 usage error, 3 bad input file.\n");
}

/* Progress lines carry the stage they belong to: "roofline: [2/3 compute] ...". */
typedef struct stage {
    char name[32]; /* "[2/3 compute]" */
    int index, count;
} stage;

static void stage_begin(void *user, const char *name)
{
    stage *s = user;
    snprintf(s->name, sizeof s->name, "[%d/%d %s]", ++s->index, s->count, name);
    if (strcmp(name, "probe") == 0) {
        rl_run_progress_done();
        fprintf(stderr, "roofline: %s identifying the machine and measuring the clock\n", s->name);
    }
}

static void stage_total(void *user, int total)
{
    ((stage *)user)->count = total;
}

static void stage_progress(void *user, int step, int steps, const char *line)
{
    const stage *s = user;
    char text[512];
    snprintf(text, sizeof text, "roofline: %s %s", s->name, line);
    rl_run_progress_stderr(NULL, step, steps, text);
}

typedef struct main_args {
    rl_plan plan;
    rl_outputs out;
    int quiet, force_progress;
} main_args;

/* Parses the command line into a; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, main_args *a)
{
    static const struct option longopts[] = {
        {"json", required_argument, NULL, OPT_JSON},
        {"svg", required_argument, NULL, OPT_SVG},
        {"markdown", required_argument, NULL, OPT_MARKDOWN},
        {"csv", required_argument, NULL, OPT_CSV},
        {"html", required_argument, NULL, OPT_HTML},
        {"quick", no_argument, NULL, OPT_QUICK},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"quiet", no_argument, NULL, 'q'},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"help", no_argument, NULL, 'h'},
        {"help-main", no_argument, NULL, OPT_HELP_MAIN},
        {"no-latency", no_argument, NULL, OPT_NO_LATENCY},
        RL_MACHINE_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    rl_probe_opts po;
    rl_probe_opts_init(&po);
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        int rc = rl_machine_opt(c, optarg, CMD, &po);
        if (rc == 0)
            continue;
        if (rc > 0)
            return rc;
        switch (c) {
        case 'h':
        case OPT_HELP_MAIN:
            print_help();
            return RL_EXIT_OK;
        case OPT_JSON:
            a->out.json = optarg;
            break;
        case OPT_SVG:
            a->out.svg = optarg;
            break;
        case OPT_MARKDOWN:
            a->out.markdown = optarg;
            break;
        case OPT_CSV:
            a->out.csv = optarg;
            break;
        case OPT_HTML:
            a->out.html = optarg;
            break;
        case OPT_QUICK:
            a->plan.quick = 1;
            break;
        case OPT_THREADS:
            a->plan.threads = optarg;
            break;
        case OPT_NO_LATENCY:
            a->plan.latency = 0;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case OPT_PROGRESS:
            a->force_progress = 1;
            break;
        case ':':
            return rl_cli_usage_error(CMD, "%s: needs a value", argv[optind - 1]);
        default:
            return rl_cli_unknown_option(CMD, argv);
        }
    }
    if (optind < argc)
        return rl_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (po.cpuid_dump || po.cpuinfo || po.topology_xml)
        return rl_cli_usage_error(CMD,
                                  "%s: the main job measures this machine; describe another "
                                  "one with 'roofline probe'",
                                  po.cpuid_dump ? "--cpuid-dump"
                                  : po.cpuinfo  ? "--cpuinfo"
                                                : "--topology");
    a->plan.clock_ghz = po.clock_ghz;
    a->plan.n_clock_isa = po.n_clock_isa;
    memcpy(a->plan.clock_isa, po.clock_isa, sizeof a->plan.clock_isa);
    a->plan.mem_channels = po.mem_channels;
    a->plan.mem_mts = po.mem_mts;
    a->plan.platform_memory = po.platform_memory;
    const rl_cli_output outs[] = {{"--json", a->out.json},
                                  {"--markdown", a->out.markdown},
                                  {"--csv", a->out.csv},
                                  {"--svg", a->out.svg},
                                  {"--html", a->out.html}};
    int oc = rl_cli_check_outputs(CMD, outs, 5);
    return oc != RL_EXIT_OK ? oc : -1;
}

/* The summary on stdout (unless an output file took it: "-"), then the requested files. */
static int render(const rl_result *r, const rl_outputs *out, rl_err *err)
{
    if (!rl_output_uses_stdout(out)) {
        rl_buf b = {0};
        int rc = rl_report_summary(&b, r, err);
        if (rc == 0)
            rc = rl_outfile_write("-", b.data ? b.data : "", b.len, err);
        rl_buf_free(&b);
        if (rc != 0)
            return -1;
    }
    return rl_output_files(r, out, err);
}

int rl_cmd_main(int argc, char **argv)
{
    main_args a = {.plan = rl_plan_main()};
    int status = parse_args(argc, argv, &a);
    if (status >= 0)
        return status;
    int progress = !a.quiet && (a.force_progress || isatty(STDERR_FILENO));

    rl_result *r = rl_result_new();
    if (!r) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }
    volatile sig_atomic_t *stop = rl_cli_stop_flag();
    rl_cli_command_line(r->meta.command_line, sizeof r->meta.command_line);
    stage st = {.count = rl_plan_stages(&a.plan)};
    rl_job_hooks hooks = {.progress = progress ? stage_progress : NULL,
                          .progress_user = &st,
                          .stage = progress ? stage_begin : NULL,
                          .stages = stage_total,
                          .stop = stop};
    rl_err err = {0};
    int rc = rl_job_run(&a.plan, &hooks, r, &err);
    int interrupted = *stop;
    if (progress)
        rl_run_progress_done();
    /* Interrupted: what finished is reported, marked partial; anything else that failed is an
     * error. */
    if (rc != 0 && !interrupted) {
        if (err.code == RL_EXIT_USAGE && r->n_flops == 0 && r->n_bandwidth == 0)
            status = rl_cli_usage_error(CMD, "%s", err.msg);
        else if (r->meta.partial && err.code == RL_EXIT_RUNTIME)
            goto failed_partway; /* a GPU lost mid-run: the rest is still reported */
        else
            goto fail;
        goto done;
    }
    if (render(r, &a.out, &err) != 0)
        goto fail;
    if (interrupted) {
        rl_cli_error("interrupted: the report holds what finished (marked partial)%s%s",
                     a.out.json ? "; saved to " : "", a.out.json ? a.out.json : "");
        status = RL_EXIT_RUNTIME;
    } else {
        status = RL_EXIT_OK;
    }
    goto done;
failed_partway : {
    rl_err rerr = {0};
    if (render(r, &a.out, &rerr) != 0)
        rl_cli_error("%s", rerr.msg);
}
fail:
    rl_cli_error("%s", err.msg);
    status = err.code ? err.code : RL_EXIT_RUNTIME;
done:
    rl_result_free(r);
    return status;
}
