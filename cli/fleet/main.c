/* main.c: `roofline-fleet`, the roofline of every node of a cluster, launched by mpirun (or srun
 * with Open MPI's PMIx). Parses the flags into a plan, runs the fleet (runner/fleet.h: one
 * measurement job per node, gathered to rank 0) and, on rank 0, renders the fleet report
 * (report/fleet.h). A separate binary, built only where mpicc exists, so that `roofline` itself
 * never needs MPI.
 *
 * Exit codes (rank 0's, which mpirun returns): 0 every node measured (flags are findings, not
 * failures), 1 a node failed, versions differ, or interrupted (the report is still written), 2
 * usage error. */
#include <getopt.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmds.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "report/fleet.h"
#include "report/output.h"
#include "result/fleet.h"
#include "runner/fleet.h"
#include "runner/job.h"

static const char *const CMD = "roofline-fleet";

enum {
    OPT_JSON = 256,
    OPT_SVG,
    OPT_HTML,
    OPT_MARKDOWN,
    OPT_CSV,
    OPT_QUICK,
    OPT_SERIAL,
    OPT_COMPUTE_THR,
    OPT_BANDWIDTH_THR,
    OPT_THEORY_COMPUTE_THR,
    OPT_THEORY_DRAM_THR,
    OPT_NODE_TIMEOUT,
    OPT_SYNTHETIC,
    OPT_MIN_TIME,
    OPT_VERSION,
};

static void print_help(void)
{
    printf(
        "Usage: mpirun [MPI OPTIONS] roofline-fleet [OPTIONS]\n\n"
        "Measures the roofline of every node of a cluster and names the nodes that fall short.\n"
        "Start one or more ranks per node; the lowest rank of each node runs the same job as\n"
        "`roofline` on all of its node's cores while the node's other ranks wait idle, and rank 0\n"
        "gathers the results (as result data, not text) and writes the fleet report: one row per\n"
        "node, the nodes grouped by hardware (CPU model, cores, sockets, NUMA nodes, memory\n"
        "configuration) with each group's median, and every node whose ceiling is more than a\n"
        "threshold below its group's median or below its own theory flagged with that ceiling.\n\n"
        "Measuring:\n"
        "  --quick                  the quick job on each node (seconds instead of ~30 s)\n"
        "  --serial                 nodes measure one after another (nodes sharing cores or\n"
        "                           a power budget); default: all at once\n"
        "  --node-timeout S         per-node time limit in seconds (default 120 with --quick,\n"
        "                           600 otherwise); a node past it is reported failed\n\n"
        "Flags:\n"
        "  --compute-threshold PCT    below the group median by more than PCT%% (default 5)\n"
        "  --bandwidth-threshold PCT  the same for DRAM and L3 bandwidth (default 10), and\n"
        "                           DRAM latency above the group median by more than PCT%%\n"
        "  --theory-compute-threshold PCT  a peak below its own theory by more than PCT%%\n"
        "                           (default 15: all cores busy run below the 1-core clock)\n"
        "  --theory-dram-threshold PCT     DRAM below its theory by more than PCT%% (default\n"
        "                           50: STREAM-like kernels reach 60-90%% when healthy)\n\n"
        "Outputs, on rank 0 (FILE '-' is stdout; files are written atomically):\n"
        "  --json FILE       the fleet (schema roofline-fleet/1: every node's roofline/1 result)\n"
        "  --markdown FILE   publishable tables\n"
        "  --csv FILE        one row per node, group medians and flags\n"
        "  --svg FILE        bars per node for each ceiling, the group median drawn\n"
        "  --html FILE       one web page: the node table sortable and filterable, flagged\n"
        "                    nodes marked, each node's roofline, the fleet embedded\n"
        "  -q, --quiet       no per-node progress and no terminal report\n\n"
        "Test knobs: --min-time S (each figure's repeat time), --synthetic RESULT.json (every\n"
        "rank is a node and sends this saved result instead of measuring: times the gather);\n"
        "RL_FLEET_VERSION in a rank's environment replaces the version it announces.\n\n"
        "Examples:\n"
        "  mpirun --map-by ppr:1:node --hostfile hosts roofline-fleet --quick --json fleet.json\n"
        "  srun --ntasks-per-node=1 roofline-fleet --markdown fleet.md --svg fleet.svg\n"
        "  roofline report fleet.json            (re-render a saved fleet)\n\n"
        "Ctrl-C (or mpirun ending the job) makes rank 0 write what has arrived, marked partial.\n"
        "Exit codes: 0 every node measured, 1 a node failed / versions differ / interrupted,\n"
        "2 usage error.\n");
}

typedef struct fleet_args {
    rl_plan plan;
    rl_outputs out;
    int serial, quiet;
    double compute_thr, bandwidth_thr, theory_compute_thr, theory_dram_thr, node_timeout;
    const char *synthetic;
} fleet_args;

/* Rank 0 speaks for every rank: before MPI_Init the rank comes from the launcher's environment. */
static int launcher_root(void)
{
    const char *r = getenv("OMPI_COMM_WORLD_RANK");
    if (!r)
        r = getenv("PMIX_RANK");
    if (!r)
        r = getenv("PMI_RANK");
    return !r || atoi(r) == 0;
}

static int usage(int root, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage(int root, const char *fmt, ...)
{
    if (root) {
        va_list ap;
        va_start(ap, fmt);
        fputs("roofline-fleet: error: ", stderr);
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, " (see '%s --help')\n", CMD);
        va_end(ap);
    }
    return RL_EXIT_USAGE;
}

/* Returns -1 to go on, or an exit code (help, version, usage error). */
static int parse(int argc, char **argv, fleet_args *a, int root)
{
    static const struct option longopts[] = {
        {"json", required_argument, NULL, OPT_JSON},
        {"svg", required_argument, NULL, OPT_SVG},
        {"html", required_argument, NULL, OPT_HTML},
        {"markdown", required_argument, NULL, OPT_MARKDOWN},
        {"csv", required_argument, NULL, OPT_CSV},
        {"quick", no_argument, NULL, OPT_QUICK},
        {"serial", no_argument, NULL, OPT_SERIAL},
        {"compute-threshold", required_argument, NULL, OPT_COMPUTE_THR},
        {"bandwidth-threshold", required_argument, NULL, OPT_BANDWIDTH_THR},
        {"theory-compute-threshold", required_argument, NULL, OPT_THEORY_COMPUTE_THR},
        {"theory-dram-threshold", required_argument, NULL, OPT_THEORY_DRAM_THR},
        {"node-timeout", required_argument, NULL, OPT_NODE_TIMEOUT},
        {"synthetic", required_argument, NULL, OPT_SYNTHETIC},
        {"min-time", required_argument, NULL, OPT_MIN_TIME},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    double v;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            if (root)
                print_help();
            return RL_EXIT_OK;
        case OPT_VERSION:
            if (root)
                printf("roofline-fleet %s\n", RL_VERSION);
            return RL_EXIT_OK;
        case 'q':
            a->quiet = 1;
            break;
        case OPT_JSON:
            a->out.json = optarg;
            break;
        case OPT_HTML:
            a->out.html = optarg;
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
        case OPT_QUICK:
            a->plan.quick = 1;
            break;
        case OPT_SERIAL:
            a->serial = 1;
            break;
        case OPT_COMPUTE_THR:
        case OPT_BANDWIDTH_THR:
        case OPT_THEORY_COMPUTE_THR:
        case OPT_THEORY_DRAM_THR:
            if (rl_cli_parse_double(optarg, 0, 99, &v) != 0)
                return usage(root, "%s: '%s' is not a percentage (0-99)", argv[optind - 1], optarg);
            *(c == OPT_COMPUTE_THR          ? &a->compute_thr
              : c == OPT_BANDWIDTH_THR      ? &a->bandwidth_thr
              : c == OPT_THEORY_COMPUTE_THR ? &a->theory_compute_thr
                                            : &a->theory_dram_thr) = v / 100;
            break;
        case OPT_NODE_TIMEOUT:
            if (rl_cli_parse_double(optarg, 1, 86400, &v) != 0)
                return usage(root, "--node-timeout: '%s' is not seconds (1-86400)", optarg);
            a->node_timeout = v;
            break;
        case OPT_SYNTHETIC:
            a->synthetic = optarg;
            break;
        case OPT_MIN_TIME:
            if (rl_cli_parse_double(optarg, 0.0001, 10, &v) != 0)
                return usage(root, "--min-time: '%s' is not seconds (0.0001-10)", optarg);
            a->plan.timing.min_time = v;
            break;
        case ':':
            return usage(root, "%s: needs a value", argv[optind - 1]);
        default:
            if (optopt && optopt != '?')
                return usage(root, "unknown option '-%c'", optopt);
            return usage(root, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage(root, "unexpected argument '%s'", argv[optind]);
    const char *std = NULL;
    const char *outs[][2] = {{"--json", a->out.json},
                             {"--markdown", a->out.markdown},
                             {"--csv", a->out.csv},
                             {"--svg", a->out.svg},
                             {"--html", a->out.html}};
    for (size_t i = 0; i < 5; i++) {
        if (!outs[i][1])
            continue;
        if (!*outs[i][1])
            return usage(root, "%s: needs a file name or '-'", outs[i][0]);
        if (!strcmp(outs[i][1], "-")) {
            if (std)
                return usage(root, "%s: stdout ('-') is already taken by %s", outs[i][0], std);
            std = outs[i][0];
        }
    }
    return -1;
}

static void progress_line(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "roofline-fleet: %s\n", line);
}

/* Rank 0: the terminal report (unless stdout is an output file or --quiet), then the files. */
static int render(const rl_fleet *f, const fleet_args *a, rl_err *err)
{
    if (!a->quiet && !rl_output_uses_stdout(&a->out)) {
        rl_buf b = {0};
        int rc = rl_report_fleet_text(&b, f, err);
        if (rc == 0)
            rc = rl_outfile_write("-", b.data ? b.data : "", b.len, err);
        rl_buf_free(&b);
        if (rc != 0)
            return -1;
    }
    return rl_report_fleet_files(f, &a->out, err);
}

int main(int argc, char **argv)
{
    rl_cli_save_command_line(argc, argv);
    int root = launcher_root();
    fleet_args a = {.plan = rl_plan_main(),
                    .compute_thr = RL_FLEET_COMPUTE_THRESHOLD,
                    .bandwidth_thr = RL_FLEET_BANDWIDTH_THRESHOLD,
                    .theory_compute_thr = RL_FLEET_THEORY_COMPUTE_THRESHOLD,
                    .theory_dram_thr = RL_FLEET_THEORY_DRAM_THRESHOLD};
    int status = parse(argc, argv, &a, root);
    if (status >= 0)
        return status;
    if (a.node_timeout <= 0)
        a.node_timeout = rl_fleet_default_timeout(&a.plan);

    MPI_Init(&argc, &argv);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    root = rank == 0;
    /* The outputs are rank 0's: checked there before anything is measured, and every rank told. */
    int ok = 1;
    if (root) {
        const rl_cli_output outs[] = {{"--json", a.out.json},
                                      {"--markdown", a.out.markdown},
                                      {"--csv", a.out.csv},
                                      {"--svg", a.out.svg},
                                      {"--html", a.out.html}};
        status = rl_cli_check_outputs(CMD, outs, 5);
        ok = status == RL_EXIT_OK;
    }
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!ok) {
        MPI_Finalize();
        return root ? status : RL_EXIT_USAGE;
    }

    char command_line[512];
    rl_cli_command_line(command_line, sizeof command_line);
    const char *version = getenv("RL_FLEET_VERSION");
    rl_fleet_opts o = {.plan = &a.plan,
                       .serial = a.serial,
                       .node_timeout_s = a.node_timeout,
                       .version = version && *version ? version : RL_VERSION,
                       .command_line = command_line,
                       .synthetic = a.synthetic,
                       .stop = rl_cli_stop_flag(),
                       .progress = a.quiet ? NULL : progress_line};
    rl_fleet *f = NULL;
    rl_fleet_outcome oc;
    rl_err err = {0};
    status = RL_EXIT_OK;
    if (rl_fleet_run(&o, &f, &oc, &err) != 0) {
        fprintf(stderr, "roofline-fleet: error: %s\n", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
    } else if (f) {
        f->compute_threshold = a.compute_thr;
        f->bandwidth_threshold = a.bandwidth_thr;
        f->theory_compute_threshold = a.theory_compute_thr;
        f->theory_dram_threshold = a.theory_dram_thr;
        rl_fleet_summary s;
        if (render(f, &a, &err) != 0 || rl_fleet_summarize(f, &s, &err) != 0) {
            fprintf(stderr, "roofline-fleet: error: %s\n", err.msg);
            status = RL_EXIT_RUNTIME;
        } else {
            if (s.n_failed)
                status = RL_EXIT_RUNTIME;
            if (a.synthetic)
                fprintf(stderr, "roofline-fleet: gathered %zu nodes' results in %.3f s\n",
                        f->n_nodes, f->gather_s);
            if (oc.interrupted)
                fprintf(stderr, "roofline-fleet: error: interrupted: the report holds the nodes "
                                "that answered (marked partial)\n");
            rl_fleet_summary_free(&s);
        }
    }
    rl_fleet_free(f);
    fflush(NULL);
    /* A node that never answered may still hold its rank: MPI_Finalize would wait for it. */
    if (oc.root && (oc.unresponsive || oc.interrupted))
        MPI_Abort(MPI_COMM_WORLD, RL_EXIT_RUNTIME);
    MPI_Finalize();
    return status;
}
