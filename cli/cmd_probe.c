/* cmd_probe.c: `roofline probe`: identify the machine and derive its theoretical roofline. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmds.h"
#include "cli/machine_opts.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "probes/probe.h"
#include "report/device.h"
#include "report/html.h"
#include "report/machine.h"
#include "report/output.h"
#include "result/result.h"
#include "runner/flops.h"
#include "runner/gpu.h"

static const char *const CMD = "roofline probe";

enum { OPT_JSON = 1, OPT_HTML, OPT_THREADS, OPT_QUICK };

static void print_help(void)
{
    printf(
        "Usage: roofline probe [OPTIONS]\n\n"
        "Identifies the machine (CPU with libcpuid, or on AArch64 from the kernel's MIDR and "
        "HWCAP;\n"
        "topology with hwloc; the clock measured with a dependent chain of integer adds; DRAM "
        "from\n"
        "SMBIOS) and derives its theoretical roofline:\n"
        "FLOPs per cycle per core for every ISA and precision, peak GFLOP/s at the measured and\n"
        "the nominal clock, DRAM bandwidth and the ridge point I_max = peak / bandwidth.\n"
        "ISA rows: x86 scalar, sse2, avx, avx2-fma, avx512f, avx512_*, avx_vnni, amx-*; AArch64\n"
        "neon, sve, sme and the instructions sdot, bfdot, bfmmla, smmla (docs/arm.md).\n\n"
        "Output:\n"
        "  --json FILE         also write the result as JSON (schema roofline/1); '-' writes only\n"
        "                      the JSON, to stdout\n"
        "  --html FILE         also write one self-contained web page (machine, theory, chart)\n"
        "  --threads N         also give peaks at N cores (default: 1 core and all cores)\n"
        "  --quick             one short clock estimate (~10 ms) instead of the full measurement\n"
        "  -h, --help          this help\n\n"
        "%s\n"
        "Examples:\n"
        "  roofline probe\n"
        "  roofline probe --json machine.json\n"
        "  roofline probe --json - | jq .theoretical.peak\n"
        "  roofline probe --cpuid-dump ../shared/fixtures/cpuid/intel__x86-64__skylake__"
        "intel-core-i7-6700k-cpu.raw \\\n"
        "      --topology tests/data/topo-2x32-numa4.xml --clock 3.0 --mem-channels 8 "
        "--mem-mts 3200\n"
        "  roofline probe --cpuinfo tests/data/cpuinfo-aarch64-grace.txt --clock 3.1\n\n"
        "Exit codes: 0 ok, 1 run-time failure, 2 usage error, 3 bad input file.\n",
        rl_machine_opts_help);
}

/* The clocks under each ISA family's load on this machine (runner/flops.h), at 1 thread, at
 * --threads, and at every core. */
static int isa_clocks(const rl_probe_opts *o, rl_result *r, rl_err *err)
{
    rl_cpu cpu;
    rl_topology *topo = NULL;
    if (rl_cpu_identify(NULL, &cpu, err) != 0 || rl_topology_load(NULL, &topo, err) != 0)
        return -1;
    int cores = rl_topology_cores(topo);
    int threads[3] = {1, o->threads > 0 && o->threads <= cores ? o->threads : 1, cores};
    rl_flops_opts fo = rl_flops_opts_default();
    if (o->quick)
        fo.clock_repeats = 4;
    int rc = rl_flops_isa_clocks(topo, cpu.runnable_isa, threads, 3, &fo, r, err);
    rl_topology_free(topo);
    return rc;
}

int rl_cmd_probe(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", required_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"quick", no_argument, NULL, OPT_QUICK},
        {"help", no_argument, NULL, 'h'},
        RL_MACHINE_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    rl_probe_opts o;
    rl_probe_opts_init(&o);
    const char *json = NULL, *html = NULL;
    long n;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int rc = rl_machine_opt(c, optarg, CMD, &o);
        if (rc == 0)
            continue;
        if (rc > 0)
            return rc;
        switch (c) {
        case 'h':
            print_help();
            return RL_EXIT_OK;
        case OPT_JSON:
            json = optarg;
            break;
        case OPT_HTML:
            html = optarg;
            break;
        case OPT_THREADS:
            if (rl_cli_parse_int(optarg, 1, 1 << 20, &n) != 0)
                return rl_cli_usage_error(CMD, "--threads: '%s' is not a core count (1 or more)",
                                          optarg);
            o.threads = (int)n;
            break;
        case OPT_QUICK:
            o.quick = 1;
            break;
        case ':':
            return rl_cli_usage_error(CMD, "%s: needs a value", argv[optind - 1]);
        default:
            return rl_cli_unknown_option(CMD, argv);
        }
    }
    if (optind < argc)
        return rl_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    const rl_cli_output outs[] = {{"--json", json}, {"--html", html}};
    int oc = rl_cli_check_outputs(CMD, outs, 2);
    if (oc != RL_EXIT_OK)
        return oc;

    rl_err err = {0};
    rl_result *r = rl_result_new();
    if (!r) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }
    rl_cli_command_line(r->meta.command_line, sizeof r->meta.command_line);
    snprintf(r->meta.settings, sizeof r->meta.settings, "probe quick=%s", o.quick ? "yes" : "no");
    int status = RL_EXIT_OK;
    if (rl_probe_machine(&o, r, &err) != 0) {
        rl_cli_error("%s", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
        goto done;
    }
    /* This machine: the clock under each ISA's load too, at 1 thread and every core (unless
     * --clock GHZ said what the clock is). */
    if (!o.cpuid_dump && !o.cpuinfo && !o.topology_xml && o.clock_ghz <= 0 &&
        isa_clocks(&o, r, &err) != 0) {
        rl_cli_error("%s", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
        goto done;
    }
    /* GPUs are this machine's: listed only when the CPU and topology are this machine's too. */
    char gpu_why[512] = "";
    int gpus = 0;
    if (!o.cpuid_dump && !o.cpuinfo && !o.topology_xml) {
        rl_gpu_opts g = {.device = -1, .measure = 0};
        gpus = rl_gpu_measure(r, &g, gpu_why, sizeof gpu_why, &err);
        if (gpus < 0) {
            rl_cli_warn("%s", err.msg);
            rl_err_clear(&err);
        }
    }
    if ((!json || strcmp(json, "-") != 0) && (!html || strcmp(html, "-") != 0)) {
        rl_buf b = {0};
        rl_report_machine(&b, r);
        if (gpus == 0 && gpu_why[0])
            rl_buf_printf(&b, "\nGPUs          none: %s\n", gpu_why);
        rl_report_devices(&b, r, 0);
        if (b.failed || rl_outfile_write("-", b.data ? b.data : "", b.len, &err) != 0) {
            rl_cli_error("%s", b.failed ? "out of memory" : err.msg);
            status = RL_EXIT_RUNTIME;
        }
        rl_buf_free(&b);
    }
    if (status == RL_EXIT_OK && json && rl_result_write(r, json, &err) != 0) {
        rl_cli_error("%s", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
    }
    if (status == RL_EXIT_OK && html && rl_output_render(html, rl_report_html, r, &err) != 0) {
        rl_cli_error("%s", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
    }
done:
    rl_result_free(r);
    return status;
}
