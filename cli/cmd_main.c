/* cmd_main.c: `roofline` alone: the complete measurement of this machine. Probe, then the compute
 * kernels (runner/flops), then bandwidth per level (runner/bandwidth), then the measured ridge
 * points, then the report. Parsing and sequencing only: every step lives in its module.
 *
 * Ctrl-C (SIGINT) or SIGTERM stops between measurements: what finished is reported, marked partial,
 * and written to the requested files; the exit code is then 1. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "cli/machine_opts.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "probes/cpu.h"
#include "probes/meminfo.h"
#include "probes/probe.h"
#include "probes/topology.h"
#include "report/output.h"
#include "report/summary.h"
#include "result/result.h"
#include "runner/bandwidth.h"
#include "runner/flops.h"
#include "runner/run.h"
#include "runner/threadlist.h"

static const char *const CMD = "roofline";

enum {
    OPT_JSON = 256,
    OPT_SVG,
    OPT_MARKDOWN,
    OPT_CSV,
    OPT_QUICK,
    OPT_THREADS,
    OPT_PROGRESS,
    OPT_HELP_MAIN,
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
        "  --csv FILE          every figure as CSV\n\n"
        "Measuring:\n"
        "  --quick             2 repeats of 10 ms, the widest ISA per precision, load and triad\n"
        "                      only: a rough roofline in seconds (the output says so)\n"
        "  --threads LIST      thread counts: 1,2 / 1-4 / all / sweep (default: 1,all)\n\n"
        "Progress (on stderr):\n"
        "  -q, --quiet         none\n"
        "  --progress          also when stderr is not a terminal\n\n"
        "Machine description (the main job always measures this machine):\n"
        "  --clock GHZ         core clock for the theoretical figures instead of the measured one\n"
        "  --mem-channels N    populated DRAM channels (overrides SMBIOS)\n"
        "  --mem-mts N         DRAM transfer rate in MT/s, e.g. 3200 for DDR4-3200\n"
        "  (--cpuid-dump and --topology describe other machines: see 'roofline probe --help')\n\n"
        "Ctrl-C stops between measurements: what finished is reported and saved (with --json,\n"
        "marked \"partial\": true), and roofline exits with 1.\n\n"
        "Examples:\n"
        "  roofline\n"
        "  roofline --quick\n"
        "  roofline --json zen3.json --svg zen3.svg --markdown zen3.md\n"
        "  roofline --mem-channels 8 --mem-mts 3200 --json server.json\n\n"
        "Exit codes: 0 ok, 1 run-time failure or interrupted, 2 usage error, 3 bad input file.\n");
}

typedef struct stage {
    const char *name; /* "[2/3 compute]" */
} stage;

static void stage_progress(void *user, int step, int steps, const char *line)
{
    const stage *s = user;
    char text[512];
    snprintf(text, sizeof text, "roofline: %s %s", s->name, line);
    rl_run_progress_stderr(NULL, step, steps, text);
}

static void say(int progress, const char *line)
{
    if (progress) {
        rl_run_progress_done();
        fprintf(stderr, "roofline: %s\n", line);
    }
}

int rl_cmd_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", required_argument, NULL, OPT_JSON},
        {"svg", required_argument, NULL, OPT_SVG},
        {"markdown", required_argument, NULL, OPT_MARKDOWN},
        {"csv", required_argument, NULL, OPT_CSV},
        {"quick", no_argument, NULL, OPT_QUICK},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"quiet", no_argument, NULL, 'q'},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"help", no_argument, NULL, 'h'},
        {"help-main", no_argument, NULL, OPT_HELP_MAIN},
        RL_MACHINE_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    rl_probe_opts po;
    rl_probe_opts_init(&po);
    rl_outputs out = {0};
    int quick = 0, quiet = 0, force_progress = 0, c;
    const char *threads_spec = NULL;
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
            out.json = optarg;
            break;
        case OPT_SVG:
            out.svg = optarg;
            break;
        case OPT_MARKDOWN:
            out.markdown = optarg;
            break;
        case OPT_CSV:
            out.csv = optarg;
            break;
        case OPT_QUICK:
            quick = 1;
            break;
        case OPT_THREADS:
            threads_spec = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case OPT_PROGRESS:
            force_progress = 1;
            break;
        case ':':
            return rl_cli_usage_error(CMD, "%s: needs a value", argv[optind - 1]);
        default:
            return rl_cli_unknown_option(CMD, argv);
        }
    }
    if (optind < argc)
        return rl_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (po.cpuid_dump || po.topology_xml)
        return rl_cli_usage_error(CMD,
                                  "%s: the main job measures this machine; describe another "
                                  "one with 'roofline probe'",
                                  po.cpuid_dump ? "--cpuid-dump" : "--topology");
    const rl_cli_output outs[] = {
        {"--json", out.json}, {"--markdown", out.markdown}, {"--csv", out.csv}, {"--svg", out.svg}};
    int oc = rl_cli_check_outputs(CMD, outs, 4);
    if (oc != RL_EXIT_OK)
        return oc;
    int progress = !quiet && (force_progress || isatty(STDERR_FILENO));
    po.quick = quick;

    rl_err err = {0};
    int status = RL_EXIT_OK, interrupted = 0;
    rl_topology *topo = NULL;
    int *threads = NULL, n_threads = 0;
    rl_result *r = rl_result_new();
    if (!r) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }
    volatile sig_atomic_t *stop = rl_cli_stop_flag();
    rl_cli_command_line(r->meta.command_line, sizeof r->meta.command_line);

    /* 1. The machine and its theoretical roofline. */
    say(progress, "[1/3 probe] identifying the machine and measuring the clock");
    if (rl_probe_machine(&po, r, &err) != 0 || rl_topology_load(NULL, &topo, &err) != 0)
        goto fail;
    rl_cpu cpu;
    if (rl_cpu_identify(NULL, &cpu, &err) != 0)
        goto fail;
    int max_threads = rl_topology_cores(topo);
    if (max_threads < 1)
        max_threads = 1;
    threads = calloc((size_t)max_threads + 1, sizeof *threads);
    if (!threads) {
        rl_err_set(&err, RL_EXIT_RUNTIME, "out of memory");
        goto fail;
    }
    if (threads_spec) {
        if (rl_threadlist_parse(threads_spec, max_threads, threads, &n_threads, &err) != 0) {
            status = rl_cli_usage_error(CMD, "--threads: %s", err.msg);
            goto done;
        }
    } else {
        threads[n_threads++] = 1;
        if (max_threads > 1)
            threads[n_threads++] = max_threads;
    }
    int repeats = quick ? 2 : 5;
    /* The OS kernel beside the settings: scheduling and page placement differ between them. */
    struct utsname os;
    char kernel[160] = "unknown";
    if (uname(&os) == 0)
        snprintf(kernel, sizeof kernel, "%s-%s", os.sysname, os.release);
    /* The minimum times the two stages really use, recorded from the same values they get. */
    double flops_min_time = quick ? 0.01 : rl_flops_opts_default().min_time;
    double bw_min_time = quick ? 0.01 : rl_bw_opts_default().min_time;
    snprintf(r->meta.settings, sizeof r->meta.settings,
             "repeat=%d min_time=%gs(flops),%gs(bandwidth) quick=%s threads=%s placement=compact "
             "smt=no os=%s",
             repeats, flops_min_time, bw_min_time, quick ? "yes" : "no",
             threads_spec ? threads_spec : "1,all", kernel);

    /* 2. Compute ceilings. */
    if (!*stop) {
        rl_flops_plan plan;
        const char *which = NULL;
        if (rl_flops_plan_make(NULL, NULL, cpu.runnable_isa, &plan, &which, &err) != 0)
            goto fail;
        if (quick)
            rl_flops_plan_quick(&plan);
        rl_flops_opts fo = rl_flops_opts_default();
        stage st = {"[2/3 compute]"};
        fo.threads = threads;
        fo.n_threads = n_threads;
        fo.repeats = repeats;
        fo.min_time = flops_min_time;
        fo.progress = progress ? stage_progress : NULL;
        fo.progress_user = &st;
        fo.stop = stop;
        if (rl_flops_measure(&plan, topo, &r->theory, &fo, r, &err) != 0) {
            if (!*stop)
                goto fail;
            interrupted = 1;
        }
    }

    /* 3. Memory ceilings. */
    if (!*stop) {
        rl_bw_opts bo = rl_bw_opts_default();
        stage st = {"[3/3 bandwidth]"};
        bo.threads = threads;
        bo.n_threads = n_threads;
        bo.repeats = repeats;
        bo.min_time = bw_min_time;
        if (quick) {
            bo.kinds = (1u << RL_BW_KIND_LOAD) | (1u << RL_BW_KIND_TRIAD);
            bo.nt_mode = RL_BW_NT_NONE;
        }
        bo.runnable = cpu.runnable_isa;
        bo.mem_available = rl_meminfo_available(NULL);
        bo.progress = progress ? stage_progress : NULL;
        bo.progress_user = &st;
        bo.stop = stop;
        if (rl_bw_run(topo, &bo, r, &err) != 0) {
            if (!*stop)
                goto fail;
        }
    }
    if (*stop) {
        interrupted = 1;
        r->meta.partial = 1;
    }
    if (progress)
        rl_run_progress_done();

    /* 4. Measured ridge points, then the report. */
    if (rl_result_derive_ridge(r, &err) != 0)
        goto fail;
    /* The summary goes to stdout unless an output file took it ("-"). */
    if (!rl_output_uses_stdout(&out)) {
        rl_buf b = {0};
        int rc = rl_report_summary(&b, r, &err);
        if (rc == 0)
            rc = rl_outfile_write("-", b.data ? b.data : "", b.len, &err);
        rl_buf_free(&b);
        if (rc != 0)
            goto fail;
    }
    if (rl_output_files(r, &out, &err) != 0)
        goto fail;
    if (interrupted) {
        rl_cli_error("interrupted: the report holds what finished (marked partial)%s%s",
                     out.json ? "; saved to " : "", out.json ? out.json : "");
        status = RL_EXIT_RUNTIME;
    }
    goto done;
fail:
    if (progress)
        rl_run_progress_done();
    rl_cli_error("%s", err.msg);
    status = err.code ? err.code : RL_EXIT_RUNTIME;
done:
    free(threads);
    rl_topology_free(topo);
    rl_result_free(r);
    return status;
}
