/* cmd_gpu.c: `roofline gpu`: the theoretical and measured roofline of the machine's NVIDIA GPUs,
 * through the CUDA plugin. Parse into a plan (rl_plan_gpu), run the job (runner/job.h), render. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "probes/gpu.h"
#include "report/device.h"
#include "report/latency_table.h"
#include "report/output.h"
#include "result/result.h"
#include "runner/gpu.h"
#include "runner/job.h"
#include "runner/run.h"

static const char *const CMD = "roofline gpu";

enum {
    OPT_JSON = 256,
    OPT_SVG,
    OPT_MARKDOWN,
    OPT_CSV,
    OPT_HTML,
    OPT_QUICK,
    OPT_DEVICE,
    OPT_ONLY,
    OPT_REPEAT,
    OPT_MIN_TIME,
    OPT_PROGRESS,
    OPT_LIST
};

static void print_help(void)
{
    printf(
        "Usage: roofline gpu [OPTIONS]\n\n"
        "Measures the NVIDIA GPUs of this machine through the CUDA plugin (libroofline-cuda.so,\n"
        "built by make where nvcc exists): FMA peaks on the CUDA cores (fp64, fp32, fp16x2,\n"
        "bf16x2), tensor-core peaks (mma.sync fp16/bf16/tf32/int8; wgmma bf16/fp16/tf32/fp8/int8\n"
        "on Hopper),\n"
        "device-memory read/write/copy/triad, L2, L1 and shared-memory bandwidth, each beside its\n"
        "theory at the SM clock measured inside the kernel (clock64 over %%globaltimer), and the\n"
        "ridge points. Theoretical peaks come from the device's SMs and clocks and a table of\n"
        "FLOPs per SM per cycle per compute capability. While each row runs, NVML is sampled\n"
        "(power, energy, clocks, temperature, throttle reasons): the row gives its GFLOP/J (GB/J)\n"
        "and says why its clock fell. Then the host links beside the PCIe link as trained (and\n"
        "its maximum), launch and pointer-chase latency, and with two GPUs or more the\n"
        "GPU-to-GPU copies beside NVLink's theory. Flagged by name: a link below its maximum, a\n"
        "slow GPU-to-GPU pair, a power limit below the default, and a GPU more than 5%% (compute)\n"
        "or 10%% (memory) below the median of its siblings of the same model.\n\n"
        "Measuring:\n"
        "  --device N          only GPU N (default: every GPU)\n"
        "  --quick             fp64, fp32, the widest tensor path, DRAM copy/triad, L2; short\n"
        "                      launches (a few seconds per GPU)\n"
        "  --only LIST         only these rows, by id (see --list): fp64, fp32, fp16, bf16,\n"
        "                      mma-fp16 ... mma-int8, wgmma-bf16 ... wgmma-int8, dram-read,\n"
        "                      dram-write, dram-copy, dram-triad, l2-read, l1-read, shared-read;\n"
        "                      and the sections host-links (host-to-device, device-to-host,\n"
        "                      bidirectional copies, pinned and pageable, 4 KiB to 1 GiB, from\n"
        "                      the nearest and the farthest NUMA node), p2p (GPU-to-GPU copies,\n"
        "                      each pair with peer access on and off, and all pairs at once) and\n"
        "                      latency (kernel launch, pointer chase through L1, L2, DRAM)\n"
        "  --repeat N          timed launches per row (default 5, --quick 3)\n"
        "  --min-time MS       minimum launch time in milliseconds (default 20, --quick 4)\n"
        "  --list              list the rows (id, kernel, instruction) and exit; needs no GPU\n\n"
        "Outputs (FILE '-' is stdout; files are written atomically):\n"
        "  --json FILE         the result (schema roofline/1 with a \"devices\" list)\n"
        "  --markdown FILE     publishable tables\n"
        "  --csv FILE          every figure as CSV (sections gpu_*)\n"
        "  --svg FILE          the roofline chart; with several GPUs, FILE-gpuN.svg per GPU\n"
        "  --html FILE         one self-contained web page: tables, a chart per GPU, the result\n"
        "  -q, --quiet         no progress;  --progress  also when stderr is not a terminal\n\n"
        "Examples:\n"
        "  roofline gpu\n"
        "  roofline gpu --device 0 --quick\n"
        "  roofline gpu --only fp32,dram-triad --json h200.json --svg h200.svg\n"
        "  RL_CUDA_PLUGIN=/opt/roofline/libroofline-cuda.so roofline gpu\n\n"
        "Without an NVIDIA driver, GPU or the plugin, it says which is missing and exits 1.\n"
        "Exit codes: 0 ok, 1 no GPU / a GPU failed (what was measured is still written), 2 usage\n"
        "error, 3 bad input file.\n");
}

typedef struct gpu_args {
    rl_plan plan;
    rl_outputs out;
    int quiet, force_progress, list;
} gpu_args;

/* --list: what the plugin can measure, one row per line: id, kind, path, precision, op, the SASS
 * instruction the kernel is built around, the kernel's symbol. */
static int list_rows(void)
{
    char why[512];
    rl_gpu_backend *b = rl_gpu_open(why, sizeof why);
    if (!b) {
        rl_cli_error("%s", why);
        return RL_EXIT_RUNTIME;
    }
    rl_gpu_row rows[RL_GPU_MAX_ROWS];
    int n = 0;
    rl_gpu_api_of(b)->list(rows, RL_GPU_MAX_ROWS, &n);
    printf("%-12s %-8s %-13s %-6s %-11s %-11s %s\n", "id", "kind", "path", "prec", "op",
           "instruction", "kernel");
    for (int i = 0; i < n && i < RL_GPU_MAX_ROWS; i++)
        printf("%-12s %-8s %-13s %-6s %-11s %-11s %s\n", rows[i].id, rows[i].kind, rows[i].path,
               rows[i].precision[0] ? rows[i].precision : "-", rows[i].op, rows[i].insn,
               rows[i].kernel);
    rl_gpu_close(b);
    return RL_EXIT_OK;
}

static int parse(int argc, char **argv, gpu_args *a)
{
    static const struct option longopts[] = {
        {"json", required_argument, NULL, OPT_JSON},
        {"svg", required_argument, NULL, OPT_SVG},
        {"markdown", required_argument, NULL, OPT_MARKDOWN},
        {"csv", required_argument, NULL, OPT_CSV},
        {"html", required_argument, NULL, OPT_HTML},
        {"quick", no_argument, NULL, OPT_QUICK},
        {"device", required_argument, NULL, OPT_DEVICE},
        {"only", required_argument, NULL, OPT_ONLY},
        {"repeat", required_argument, NULL, OPT_REPEAT},
        {"min-time", required_argument, NULL, OPT_MIN_TIME},
        {"quiet", no_argument, NULL, 'q'},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"list", no_argument, NULL, OPT_LIST},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long n;
    double v;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help();
            return -1;
        case 'q':
            a->quiet = 1;
            break;
        case OPT_PROGRESS:
            a->force_progress = 1;
            break;
        case OPT_LIST:
            a->list = 1;
            break;
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
        case OPT_DEVICE:
            if (rl_cli_parse_int(optarg, 0, 1023, &n) != 0)
                return rl_cli_usage_error(CMD, "--device: '%s' is not a GPU number (0, 1, ...)",
                                          optarg);
            a->plan.gpu_device = (int)n;
            break;
        case OPT_ONLY:
            if (!*optarg)
                return rl_cli_usage_error(CMD, "--only: empty list");
            a->plan.gpu_rows = optarg;
            break;
        case OPT_REPEAT:
            if (rl_cli_parse_int(optarg, 1, 1000, &n) != 0)
                return rl_cli_usage_error(CMD, "--repeat: '%s' is not a count from 1 to 1000",
                                          optarg);
            a->plan.gpu_timing.repeats = (int)n;
            break;
        case OPT_MIN_TIME:
            if (rl_cli_parse_double(optarg, 0.1, 10000, &v) != 0)
                return rl_cli_usage_error(CMD, "--min-time: '%s' is not milliseconds (0.1-10000)",
                                          optarg);
            a->plan.gpu_timing.min_time = v / 1e3;
            break;
        case ':':
            return rl_cli_usage_error(CMD, "%s: needs a value", argv[optind - 1]);
        default:
            return rl_cli_unknown_option(CMD, argv);
        }
    }
    if (optind < argc)
        return rl_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* --only names must be row ids of the plugin (`--list`); checked before anything runs. Without a
 * plugin there is nothing to check against, and the run says why there is no GPU. */
static int check_only(const char *only)
{
    char why[512];
    rl_gpu_backend *b = rl_gpu_open(why, sizeof why);
    if (!b)
        return 0;
    rl_gpu_row rows[RL_GPU_MAX_ROWS];
    int n = 0;
    rl_gpu_api_of(b)->list(rows, RL_GPU_MAX_ROWS, &n);
    rl_gpu_close(b);
    char valid[RL_GPU_MAX_ROWS * 24] = "";
    for (int i = 0; i < n && i < RL_GPU_MAX_ROWS; i++) {
        size_t used = strlen(valid);
        snprintf(valid + used, sizeof valid - used, "%s%.23s", i ? ", " : "", rows[i].id);
    }
    size_t used = strlen(valid);
    snprintf(valid + used, sizeof valid - used, ", %s, %s, %s", RL_GPU_SECTION_HOST_LINKS,
             RL_GPU_SECTION_P2P, RL_GPU_SECTION_LATENCY);
    for (const char *p = only; *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        int ok = rl_gpu_is_section(p, l);
        for (int i = 0; i < n && i < RL_GPU_MAX_ROWS; i++)
            ok |= strlen(rows[i].id) == l && !strncmp(rows[i].id, p, l);
        if (!ok)
            return rl_cli_usage_error(CMD, "--only: unknown row '%.*s' (valid: %s)", (int)l, p,
                                      valid);
        p = e ? e + 1 : p + l;
    }
    return 0;
}

/* One line per GPU row ("GPU 0: wgmma-bf16"), rewritten in place on a terminal. */
static void progress_line(void *user, int step, int steps, const char *line)
{
    (void)user;
    (void)step;
    (void)steps;
    rl_run_progress_stderr(NULL, 0, 1, line);
}

/* The terminal report: the GPUs only (the host is named, its figures are not measured here). */
static int print_devices(const rl_result *r)
{
    rl_buf b = {0};
    rl_err err = {0};
    rl_buf_printf(&b, "GPU roofline of %s (host: %s)\n", r->n_devices ? r->devices[0].name : "?",
                  r->machine.brand);
    rl_report_devices(&b, r, 0);
    rl_latency_section(&b, r, RL_LATENCY_TEXT); /* the GPUs' pointer chases */
    int rc = b.failed || rl_outfile_write("-", b.data ? b.data : "", b.len, &err) != 0;
    rl_buf_free(&b);
    return rc;
}

int rl_cmd_gpu(int argc, char **argv)
{
    gpu_args a;
    memset(&a, 0, sizeof a);
    a.plan = rl_plan_gpu();
    int rc = parse(argc, argv, &a);
    if (rc != 0)
        return rc < 0 ? RL_EXIT_OK : rc;
    if (a.list)
        return list_rows();
    if (a.plan.gpu_rows && (rc = check_only(a.plan.gpu_rows)) != 0)
        return rc;
    const rl_cli_output outs[] = {{"--json", a.out.json},
                                  {"--markdown", a.out.markdown},
                                  {"--csv", a.out.csv},
                                  {"--svg", a.out.svg},
                                  {"--html", a.out.html}};
    if ((rc = rl_cli_check_outputs(CMD, outs, 5)) != RL_EXIT_OK)
        return rc;

    int progress = !a.quiet && (a.force_progress || isatty(STDERR_FILENO));
    volatile sig_atomic_t *stop = rl_cli_stop_flag();
    rl_job_hooks hooks = {.progress = progress ? progress_line : NULL, .stop = stop};
    rl_result *r = rl_result_new();
    if (!r) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }
    rl_cli_command_line(r->meta.command_line, sizeof r->meta.command_line);
    rl_err err = {0};
    int status = RL_EXIT_OK;
    rc = rl_job_run(&a.plan, &hooks, r, &err);
    if (progress)
        rl_run_progress_done();
    if (rc != 0 && r->n_devices == 0) { /* nothing measured: no GPU, a bad --device */
        rl_cli_error("%s", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
        goto done;
    }
    if (rc != 0 || *stop) {
        r->meta.partial = 1;
        status = RL_EXIT_RUNTIME;
    }
    if (!rl_output_uses_stdout(&a.out) && print_devices(r) != 0)
        status = RL_EXIT_RUNTIME;
    rl_err oerr = {0};
    if (rl_output_files(r, &a.out, &oerr) != 0) {
        rl_cli_error("%s", oerr.msg);
        status = RL_EXIT_RUNTIME;
    }
    if (rc != 0)
        rl_cli_error("%s", err.msg);
    else if (*stop)
        rl_cli_error("interrupted: the report holds what finished (marked partial)");
done:
    rl_result_free(r);
    return status;
}
