/* cmd_bandwidth.c: `roofline bandwidth`: parse, identify the machine, hand over to
 * runner/bandwidth, print the tables of report/bandwidth_table, write the JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "common/buf.h"
#include "common/bytes.h"
#include "common/err.h"
#include "common/outfile.h"
#include "probes/cpu.h"
#include "probes/meminfo.h"
#include "probes/topology.h"
#include "report/bandwidth_table.h"
#include "result/result.h"
#include "runner/bandwidth.h"
#include "runner/run.h"
#include "runner/threadlist.h"

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
    OPT_QUIET,
    OPT_PROGRESS,
};

static void print_help(void)
{
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
        "  --isa ISA           kernels of this ISA only: sse2, avx2, avx512\n"
        "                      (default: the widest this CPU and OS run)\n\n"
        "Timing:\n"
        "  --repeat N          timed repeats per figure; best, median and slowest are kept\n"
        "                      (default 5; 3 with --sweep)\n"
        "  --min-time SECONDS  length of one repeat, calibrated (default 0.03; 0.01 with "
        "--sweep)\n\n"
        "Output:\n"
        "  --json FILE         also write the result as JSON (schema roofline/1, bandwidth[]);\n"
        "                      '-' writes only the JSON, to stdout\n"
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
        "error, 3 bad input file.\n");
}

/* "16K", "256KiB", "4M", "1G", "4096": bytes; -1 when not a size. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    double v = strtod(s, &end);
    if (end == s || !(v > 0))
        return -1;
    double mult = 1;
    if (*end) {
        char unit = (char)(*end >= 'a' && *end <= 'z' ? *end - 32 : *end);
        const char *rest = end + 1;
        if (unit == 'K')
            mult = 1024.0;
        else if (unit == 'M')
            mult = 1024.0 * 1024;
        else if (unit == 'G')
            mult = 1024.0 * 1024 * 1024;
        else if (unit == 'B')
            rest = end + 1, mult = 1;
        else
            return -1;
        if (unit != 'B' && *rest && strcasecmp(rest, "iB") != 0 && strcasecmp(rest, "B") != 0)
            return -1;
        if (unit == 'B' && *rest)
            return -1;
    }
    v *= mult;
    if (v < 4096 || v > 1024.0 * 1024 * 1024 * 1024)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* Comma-separated names into a bit mask; returns -1 and the bad element in `bad`. */
static int parse_names(const char *list, int (*lookup)(const char *), unsigned *mask, char *bad,
                       size_t bad_size)
{
    char buf[256];
    if (strlen(list) >= sizeof buf || !*list) {
        snprintf(bad, bad_size, "%.40s", list);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", list);
    *mask = 0;
    char *save = NULL;
    int count = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int v = lookup(tok);
        if (v < 0) {
            snprintf(bad, bad_size, "%.60s", tok);
            return -1;
        }
        *mask |= 1u << v;
        count++;
    }
    if (count == 0 || list[strlen(list) - 1] == ',' || list[0] == ',' || strstr(list, ",,")) {
        snprintf(bad, bad_size, "%.40s", list);
        return -1;
    }
    return 0;
}

static int level_lookup(const char *s)
{
    return rl_bw_level_from_name(s);
}

static int kind_lookup(const char *s)
{
    return rl_bw_kind_from_name(s);
}

int rl_cmd_bandwidth(int argc, char **argv)
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
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    rl_bw_opts o = rl_bw_opts_default();
    const char *threads_spec = NULL, *json = NULL;
    int nt = 0, no_nt = 0, quiet = 0, force_progress = 0, have_level = 0, have_kernel = 0;
    long repeat = 0;
    double min_time = 0;
    char bad[64];

    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_LEVEL:
            if (parse_names(optarg, level_lookup, &o.levels, bad, sizeof bad) < 0)
                return rl_cli_usage_error(CMD, "--level: '%s' is not L1, L2, L3 or DRAM", bad);
            have_level = 1;
            break;
        case OPT_KERNEL:
            if (parse_names(optarg, kind_lookup, &o.kinds, bad, sizeof bad) < 0)
                return rl_cli_usage_error(CMD,
                                          "--kernel: '%s' is not one of load, store, copy, "
                                          "scale, add, triad, triad4",
                                          bad);
            have_kernel = 1;
            break;
        case OPT_THREADS:
            threads_spec = optarg;
            break;
        case OPT_NT:
            nt = 1;
            break;
        case OPT_NO_NT:
            no_nt = 1;
            break;
        case OPT_SIZE:
            if (parse_size(optarg, &o.size) < 0)
                return rl_cli_usage_error(
                    CMD, "--size: '%s' is not a size from 4K to 1024G (e.g. 16K, 4MiB, 1G)",
                    optarg);
            break;
        case OPT_SWEEP:
            o.sweep = 1;
            break;
        case OPT_ISA:
            if (strcmp(optarg, "sse2") && strcmp(optarg, "avx2") && strcmp(optarg, "avx512"))
                return rl_cli_usage_error(CMD, "--isa: '%s' is not sse2, avx2 or avx512", optarg);
            o.isa = optarg;
            break;
        case OPT_REPEAT:
            if (rl_cli_parse_int(optarg, 1, 1000, &repeat) < 0)
                return rl_cli_usage_error(CMD, "--repeat: '%s' is not a count from 1 to 1000",
                                          optarg);
            break;
        case OPT_MIN_TIME:
            if (rl_cli_parse_double(optarg, 1e-4, 60, &min_time) < 0)
                return rl_cli_usage_error(
                    CMD, "--min-time: '%s' is not a number of seconds from 0.0001 to 60", optarg);
            break;
        case OPT_JSON:
            json = optarg;
            break;
        case 'q':
        case OPT_QUIET:
            quiet = 1;
            break;
        case OPT_PROGRESS:
            force_progress = 1;
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
    if (nt && no_nt)
        return rl_cli_usage_error(CMD, "--nt and --no-nt exclude each other");
    if (o.sweep && (have_level || o.size))
        return rl_cli_usage_error(CMD, "--sweep: measures its own sizes; drop %s",
                                  have_level ? "--level" : "--size");
    if (o.size && have_level)
        return rl_cli_usage_error(CMD, "--size: replaces the levels; drop --level");
    o.nt_mode = nt ? RL_BW_NT_ALL : no_nt ? RL_BW_NT_NONE : RL_BW_NT_DRAM;
    if (o.sweep && !nt)
        o.nt_mode = RL_BW_NT_NONE;
    if (o.sweep && !have_kernel)
        o.kinds = 1u << RL_BW_KIND_LOAD;
    o.repeats = repeat > 0 ? (int)repeat : o.sweep ? 3 : 5;
    o.min_time = min_time > 0 ? min_time : o.sweep ? 0.01 : o.min_time;
    const rl_cli_output outs[] = {{"--json", json}};
    int oc = rl_cli_check_outputs(CMD, outs, 1);
    if (oc != RL_EXIT_OK)
        return oc;

    rl_err err = {0};
    rl_topology *topo = NULL;
    rl_result *r = NULL;
    int *threads = NULL, rc = RL_EXIT_RUNTIME;
    rl_cpu cpu;
    if (rl_topology_load(NULL, &topo, &err) < 0 || rl_cpu_identify(NULL, &cpu, &err) < 0)
        goto fail;
    if (!(r = rl_result_new())) {
        rl_err_set(&err, RL_EXIT_RUNTIME, "out of memory");
        goto fail;
    }
    rl_cpu_describe(&cpu, &r->machine);
    rl_topology_describe(topo, &r->machine);
    snprintf(r->machine.cpu_source, sizeof r->machine.cpu_source, "this machine");
    snprintf(r->machine.topology_source, sizeof r->machine.topology_source, "this machine");

    int cores = rl_topology_cores(topo);
    if (cores < 1)
        cores = 1;
    threads = calloc((size_t)cores, sizeof *threads);
    if (!threads) {
        rl_err_set(&err, RL_EXIT_RUNTIME, "out of memory");
        goto fail;
    }
    int n_threads = 0;
    const char *spec = threads_spec ? threads_spec : o.sweep ? "1" : cores > 1 ? "1,all" : "1";
    if (rl_threadlist_parse(spec, cores, threads, &n_threads, &err) < 0) {
        rc = rl_cli_usage_error(CMD, "--threads: %s", err.msg);
        goto out;
    }
    o.threads = threads;
    o.n_threads = n_threads;
    o.runnable = cpu.runnable_isa;
    o.mem_available = rl_meminfo_available(NULL);
    /* --size is per thread: the largest team must fit in half the free memory (the level sizes
     * are capped the same way), or first-touching the arrays would swap or wake the OOM killer. */
    if (o.size > 0 && o.mem_available > 0) {
        int most = 1;
        for (int i = 0; i < n_threads; i++)
            most = threads[i] > most ? threads[i] : most;
        if (o.size > o.mem_available / 2 / (uint64_t)most) {
            char want[32], have[32];
            rl_bytes_format(want, sizeof want, o.size);
            rl_bytes_format(have, sizeof have, o.mem_available);
            rc = rl_cli_usage_error(CMD,
                                    "--size: %s per thread x %d threads is more than half the "
                                    "free memory (%s)",
                                    want, most, have);
            goto out;
        }
    }
    /* Progress only where someone watches: a terminal, unless asked (as the main job does). */
    int progress = !quiet && (force_progress || isatty(STDERR_FILENO));
    if (progress)
        o.progress = rl_run_progress_stderr;
    o.stop = rl_cli_stop_flag();
    /* A kernel this CPU cannot run is a usage error before anything runs. */
    for (int kind = 0; kind < RL_BW_KINDS_; kind++) {
        if ((o.kinds & (1u << kind)) && !rl_bw_kind_runnable(kind, o.runnable, o.isa)) {
            rc = rl_cli_usage_error(CMD, "--isa: this CPU cannot run the %s kernels (it runs: %s)",
                                    o.isa ? o.isa : "?", r->machine.isa);
            goto out;
        }
    }

    char lv[64] = "", kn[96] = "";
    for (int i = 0; i < RL_BW_LEVELS_; i++)
        if (o.levels & (1u << i))
            snprintf(lv + strlen(lv), sizeof lv - strlen(lv), "%s%s", *lv ? "," : "",
                     rl_bw_level_name((rl_bw_level)i));
    for (int i = 0; i < RL_BW_KINDS_; i++)
        if (o.kinds & (1u << i))
            snprintf(kn + strlen(kn), sizeof kn - strlen(kn), "%s%s", *kn ? "," : "",
                     rl_bw_kind_name(i));
    rl_cli_command_line(r->meta.command_line, sizeof r->meta.command_line);
    snprintf(r->meta.settings, sizeof r->meta.settings,
             "bandwidth repeat=%d min_time=%gs %s=%s kernels=%s nt=%s threads=%s", o.repeats,
             o.min_time,
             o.sweep  ? "sweep"
             : o.size ? "size"
                      : "levels",
             o.sweep  ? "yes"
             : o.size ? "custom"
                      : lv,
             kn,
             o.nt_mode == RL_BW_NT_ALL    ? "all"
             : o.nt_mode == RL_BW_NT_NONE ? "none"
                                          : "dram",
             spec);

    int run_rc = rl_bw_run(topo, &o, r, &err);
    if (progress)
        rl_run_progress_done();
    if (run_rc < 0)
        goto fail;
    if (rl_result_derive_ridge(r, &err) < 0)
        goto fail;

    int json_only = json && strcmp(json, "-") == 0;
    if (!json_only) {
        const char *kernels[RL_BW_KINDS_];
        size_t n_kernels = 0;
        for (int kind = 0; kind < RL_BW_KINDS_; kind++)
            if (o.kinds & (1u << kind))
                kernels[n_kernels++] = rl_bw_kind_name(kind);
        rl_buf b = {0};
        rl_bandwidth_table_text(&b, r);
        if (o.sweep)
            rl_bandwidth_table_sweep(&b, r, kernels, n_kernels, threads, n_threads);
        if (b.failed)
            rl_err_set(&err, RL_EXIT_RUNTIME, "out of memory");
        int wrc = b.failed ? -1 : rl_outfile_write("-", b.data ? b.data : "", b.len, &err);
        rl_buf_free(&b);
        if (wrc < 0)
            goto fail;
        for (size_t i = 0; i < r->n_warnings; i++)
            rl_cli_warn("%s", r->warnings[i]);
    }
    if (json && rl_result_write(r, json, &err) < 0)
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
    free(threads);
    rl_result_free(r);
    rl_topology_free(topo);
    return rc;
}
