/* cmd_latency.c: `roofline latency`: parse the flags into a plan, run the measurement job
 * (runner/job.h: its latency stage), print the tables of report/latency_table, write the JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "report/latency_table.h"
#include "report/output.h"
#include "result/result.h"
#include "runner/bandwidth.h"
#include "runner/job.h"
#include "runner/loaded.h"
#include "runner/pages.h"
#include "runner/run.h"

static const char *const CMD = "roofline latency";

enum {
    OPT_LEVEL = 1,
    OPT_SIZE,
    OPT_SWEEP,
    OPT_PAGES,
    OPT_LOADED,
    OPT_MIX,
    OPT_POINTS,
    OPT_NUMA,
    OPT_NUMA_NODES,
    OPT_REPEAT,
    OPT_MIN_TIME,
    OPT_JSON,
    OPT_SVG,
    OPT_HTML,
    OPT_QUIET,
    OPT_PROGRESS,
};

static void print_help(void)
{
    printf(
        "Usage: roofline latency [OPTIONS]\n\n"
        "Measures memory latency: one core follows a dependent pointer chase (each load's\n"
        "address is the value of the load before it) over a random cyclic permutation of a\n"
        "working set's cache lines, one element per line, in random order within and across\n"
        "pages, so neither the out-of-order core nor a prefetcher can hide a miss. The chain is\n"
        "checked to visit every line. Working sets come from the probed caches (L1, L2, L3 as\n"
        "the bandwidth command sizes them; DRAM at least 8x the last-level cache, 256 MiB or\n"
        "more). Figures in ns per step and in cycles at the measured clock, on 4 KiB pages and\n"
        "on transparent huge pages (and on 1 GiB pages where some are reserved), so the TLB's\n"
        "share is seen apart from the memory's; each row says how much of its set the kernel\n"
        "actually put on huge pages (from /proc/self/smaps).\n\n"
        "What to measure:\n"
        "  --level LIST        levels among L1,L2,L3,DRAM (default: all four)\n"
        "  --size BYTES        this working set instead of the levels: 16K, 4MiB, 1G (K, M, G\n"
        "                      are powers of 1024); at most half the free memory\n"
        "  --sweep             sizes from 4 KiB to the DRAM set, 4 per octave: the lat_mem_rd\n"
        "                      staircase, its steps matched to the probed caches\n"
        "                      (default pages thp)\n"
        "  --pages LIST        page sizes among 4k, thp, 1g (default: 4k,thp, and 1g where\n"
        "                      1 GiB pages are reserved)\n"
        "  --loaded            also the loaded-latency curves: one core chases over the DRAM set\n"
        "                      while every other core makes traffic at rising rates (delay\n"
        "                      loops between its blocks); latency against traffic per mix\n"
        "  --mix LIST          the traffic's read:write mixes: read, 3:1, 2:1, 1:1,\n"
        "                      stream-write (or 0:1); implies --loaded (default: all five)\n"
        "  --points N          rates per loaded curve, 1 to 64 (default 6)\n"
        "  --numa              the NUMA matrix: latency and bandwidth from each node's cores to\n"
        "                      each node's memory (default: wherever there are several nodes)\n"
        "  --numa-nodes LIST   the matrix over these nodes only: 0,2 (implies --numa)\n\n"
        "Timing:\n"
        "  --repeat N          timed repeats per figure; best, median and slowest are kept\n"
        "                      (default 3)\n"
        "  --min-time SECONDS  length of one repeat, calibrated (default 0.01; 0.005 with "
        "--sweep)\n\n"
        "Output:\n"
        "  --json FILE         also write the result as JSON (schema roofline/1, latency[]);\n"
        "                      '-' writes only the JSON, to stdout\n"
        "  --svg FILE          the staircase (or the levels) against the cache sizes; with\n"
        "                      --loaded also FILE-loaded.svg, latency against traffic per mix\n"
        "  --html FILE         also write one self-contained web page (tables, the result)\n"
        "  -q, --quiet         no progress on stderr\n"
        "  --progress          progress even when stderr is not a terminal\n"
        "  -h, --help          this help\n\n"
        "Ctrl-C stops between figures: the rows done are printed and saved, and the exit code\n"
        "is 1.\n\n"
        "Examples:\n"
        "  roofline latency\n"
        "  roofline latency --level DRAM --pages 4k,thp,1g\n"
        "  roofline latency --sweep --pages 4k,thp --json staircase.json\n"
        "  roofline latency --level DRAM --loaded --mix read,1:1 --points 8\n"
        "  roofline latency --json - | jq '.latency[] | {level, pages, ns, cycles}'\n\n"
        "Exit codes: 0 ok, 1 run-time failure (interrupted), 2 usage error, 3 bad input file.\n");
}

static int level_lookup(const char *s)
{
    return rl_bw_level_from_name(s);
}

static int pages_lookup(const char *s)
{
    return rl_pages_from_name(s);
}

/* "read,1:1": the mixes' bits; -1 with why the bad element is wrong in `why`. */
static int parse_mixes(const char *list, unsigned *mask, char *why, size_t why_size)
{
    char buf[256];
    size_t len = strlen(list);
    if (len == 0 || len >= sizeof buf || list[0] == ',' || list[len - 1] == ',' ||
        strstr(list, ",,")) {
        snprintf(why, why_size, "'%.60s' has an empty element", list);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", list);
    *mask = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int m = rl_loaded_mix_parse(tok, why, why_size);
        if (m < 0)
            return -1;
        *mask |= 1u << m;
    }
    if (*mask == 0) {
        snprintf(why, why_size, "'%s' names no mix", list);
        return -1;
    }
    return 0;
}

static int parse_nodes(const char *list, rl_plan *p)
{
    char buf[256];
    if (!*list || strlen(list) >= sizeof buf || list[strlen(list) - 1] == ',')
        return -1;
    snprintf(buf, sizeof buf, "%s", list);
    p->n_numa_nodes = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        long v;
        if (rl_cli_parse_int(tok, 0, 1023, &v) < 0 ||
            p->n_numa_nodes >= (int)(sizeof p->numa_nodes / sizeof p->numa_nodes[0]))
            return -1;
        p->numa_nodes[p->n_numa_nodes++] = (int)v;
    }
    return p->n_numa_nodes > 0 ? 0 : -1;
}

typedef struct lat_args {
    rl_plan plan;
    const char *json, *svg, *html;
    int quiet, force_progress;
} lat_args;

static int parse_opt(int c, const char *arg, lat_args *a, char **argv)
{
    rl_plan *p = &a->plan;
    char bad[160];
    long repeat;
    switch (c) {
    case OPT_LEVEL:
        if (rl_cli_parse_names(arg, level_lookup, &p->levels, bad, sizeof bad) < 0)
            return rl_cli_usage_error(CMD, "--level: '%s' is not L1, L2, L3 or DRAM", bad);
        return -1;
    case OPT_SIZE:
        if (rl_cli_parse_size(arg, &p->size) < 0)
            return rl_cli_usage_error(
                CMD, "--size: '%s' is not a size from 4K to 1024G (e.g. 16K, 4MiB, 1G)", arg);
        return -1;
    case OPT_SWEEP:
        p->sweep = 1;
        return -1;
    case OPT_PAGES:
        if (rl_cli_parse_names(arg, pages_lookup, &p->lat_pages, bad, sizeof bad) < 0)
            return rl_cli_usage_error(CMD, "--pages: '%s' is not 4k, thp or 1g", bad);
        return -1;
    case OPT_LOADED:
        p->loaded = 1;
        return -1;
    case OPT_MIX:
        if (parse_mixes(arg, &p->mixes, bad, sizeof bad) < 0)
            return rl_cli_usage_error(CMD, "--mix: %s", bad);
        p->loaded = 1;
        return -1;
    case OPT_POINTS:
        if (rl_cli_parse_int(arg, 1, 64, &repeat) < 0)
            return rl_cli_usage_error(CMD, "--points: '%s' is not a count from 1 to 64", arg);
        p->loaded_points = (int)repeat;
        return -1;
    case OPT_NUMA:
        p->numa = 1;
        return -1;
    case OPT_NUMA_NODES:
        if (parse_nodes(arg, p) < 0)
            return rl_cli_usage_error(
                CMD, "--numa-nodes: '%s' is not a list of node numbers (e.g. 0,2)", arg);
        p->numa = 1;
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
    case OPT_JSON:
        a->json = arg;
        return -1;
    case OPT_SVG:
        a->svg = arg;
        return -1;
    case OPT_HTML:
        a->html = arg;
        return -1;
    case 'q':
    case OPT_QUIET:
        a->quiet = 1;
        return -1;
    case OPT_PROGRESS:
        a->force_progress = 1;
        return -1;
    case 'h':
        print_help();
        return RL_EXIT_OK;
    case ':':
        return rl_cli_usage_error(CMD, "%s: needs a value", argv[optind - 1]);
    default:
        return rl_cli_unknown_option(CMD, argv);
    }
}

static int parse_args(int argc, char **argv, lat_args *a)
{
    static const struct option longopts[] = {
        {"level", required_argument, NULL, OPT_LEVEL},
        {"size", required_argument, NULL, OPT_SIZE},
        {"sweep", no_argument, NULL, OPT_SWEEP},
        {"pages", required_argument, NULL, OPT_PAGES},
        {"loaded", no_argument, NULL, OPT_LOADED},
        {"mix", required_argument, NULL, OPT_MIX},
        {"points", required_argument, NULL, OPT_POINTS},
        {"numa", no_argument, NULL, OPT_NUMA},
        {"numa-nodes", required_argument, NULL, OPT_NUMA_NODES},
        {"repeat", required_argument, NULL, OPT_REPEAT},
        {"min-time", required_argument, NULL, OPT_MIN_TIME},
        {"json", required_argument, NULL, OPT_JSON},
        {"svg", required_argument, NULL, OPT_SVG},
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
        int rc = parse_opt(c, optarg, a, argv);
        if (rc >= 0)
            return rc;
    }
    if (optind < argc)
        return rl_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    rl_plan *p = &a->plan;
    if (p->sweep && (p->levels || p->size))
        return rl_cli_usage_error(CMD, "--sweep: measures its own sizes; drop %s",
                                  p->levels ? "--level" : "--size");
    if (p->size && p->levels)
        return rl_cli_usage_error(CMD, "--size: replaces the levels; drop --level");
    const rl_cli_output outs[] = {{"--json", a->json}, {"--svg", a->svg}, {"--html", a->html}};
    int oc = rl_cli_check_outputs(CMD, outs, 3);
    return oc != RL_EXIT_OK ? oc : -1;
}

/* The tables on stdout with the warnings on stderr (unless an output took stdout), then the
 * files. */
static int render(const rl_result *r, const char *json, const char *svg, const char *html,
                  rl_err *err)
{
    rl_outputs out = {.json = json, .svg = svg, .html = html};
    if (!rl_output_uses_stdout(&out)) {
        rl_buf b = {0};
        rl_latency_section(&b, r, RL_LATENCY_COMMAND);
        if (b.failed)
            rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        int wrc = b.failed ? -1 : rl_outfile_write("-", b.data ? b.data : "", b.len, err);
        rl_buf_free(&b);
        if (wrc < 0)
            return -1;
        for (size_t i = 0; i < r->n_warnings; i++)
            rl_cli_warn("%s", r->warnings[i]);
    }
    return rl_output_files(r, &out, err);
}

int rl_cmd_latency(int argc, char **argv)
{
    lat_args a = {.plan = rl_plan_latency()};
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
    int progress = !a.quiet && (a.force_progress || isatty(STDERR_FILENO));
    rl_job_hooks hooks = {.progress = progress ? rl_run_progress_stderr : NULL,
                          .stop = rl_cli_stop_flag()};
    int run_rc = rl_job_run(&a.plan, &hooks, r, &err);
    if (progress)
        rl_run_progress_done();
    if (run_rc < 0 && err.code == RL_EXIT_USAGE && r->n_latency == 0) {
        rc = rl_cli_usage_error(CMD, "%s", err.msg);
        goto out;
    }
    if (run_rc < 0 && !r->meta.partial)
        goto fail;
    if (render(r, a.json, a.svg, a.html, &err) < 0)
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
