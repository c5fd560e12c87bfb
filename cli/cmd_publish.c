/* cmd_publish.c: `roofline publish RESULTS... --out DIR`: a static site over saved results,
 * fleets and models. Parsing and dispatch only: reading is result/document.h, rendering
 * report/publish.h, writing the directory common/sitedir.h. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmds.h"
#include "common/err.h"
#include "common/sitedir.h"
#include "report/publish.h"
#include "result/document.h"

static const char *const CMD = "roofline publish";

static void print_help(void)
{
    printf("Usage: roofline publish RESULT... --out DIR [OPTIONS]\n\n"
           "Writes a static site over saved results: one self-contained page per input (a\n"
           "result's roofline, a fleet's nodes, a model's layers: the pages --html writes) and\n"
           "index.html, the table of every machine (CPU or GPU, cores, clock, fp64 and fp32\n"
           "peaks, DRAM and cache bandwidths, I_max, efficiency against theory, date, version),\n"
           "sortable, each row linked to its page, any two side by side. Inputs are result,\n"
           "fleet and model files (JSON, or pages written by --html), in any mix; the same\n"
           "inputs in the same order give the same bytes (no date of this run goes in), so the\n"
           "site can be kept in git. Host it as it is: any static file server, or the files.\n\n"
           "Options:\n"
           "  --out DIR       the site's directory (required). A new directory is created; an\n"
           "                  existing one is replaced only when it is empty or holds a previous\n"
           "                  site (the file " RL_SITEDIR_MARKER ")\n"
           "  --force         write into an existing directory that holds something else: the\n"
           "                  site's files are added, other files are left alone\n"
           "  -q, --quiet     no summary line on stderr\n"
           "  -h, --help      this help\n\n"
           "The site is written whole: into a temporary directory beside DIR, then moved into\n"
           "place in one step. Ctrl-C leaves the previous site as it was.\n\n"
           "Examples:\n"
           "  roofline publish results/*.json --out site/\n"
           "  roofline publish zen3.json fleet.json resnet50.json h200.json --out site\n"
           "  roofline publish site-old/*.html new.json --out site      (pages read back)\n\n"
           "Exit codes: 0 ok; 1 run-time failure (a write failed, interrupted: nothing is\n"
           "changed); 2 usage error (no input, no --out, DIR holds something else and no\n"
           "--force); 3 an input was damaged or not a roofline file: it is named with the reason\n"
           "and left out, and the site is still written for the rest.\n");
}

enum { OPT_OUT = 256, OPT_FORCE };

int rl_cmd_publish(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, OPT_OUT},
        {"force", no_argument, NULL, OPT_FORCE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int force = 0, quiet = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_OUT:
            out = optarg;
            break;
        case OPT_FORCE:
            force = 1;
            break;
        case 'q':
            quiet = 1;
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
    int n = argc - optind;
    if (n < 1)
        return rl_cli_usage_error(CMD, "needs at least one RESULT file to publish");
    if (!out || !*out)
        return rl_cli_usage_error(CMD, "--out DIR: where to write the site");
    rl_err err = {0};
    if (rl_sitedir_check(out, force, &err) != 0) {
        if (err.code == RL_EXIT_USAGE)
            return rl_cli_usage_error(CMD, "%s", err.msg);
        rl_cli_error("%s", err.msg);
        return err.code ? err.code : RL_EXIT_RUNTIME;
    }

    volatile sig_atomic_t *stop = rl_cli_stop_flag();
    rl_document *docs = calloc((size_t)n, sizeof *docs);
    rl_publish_input *in = calloc((size_t)n, sizeof *in);
    rl_sitefile *files = NULL;
    rl_publish_site site = {0};
    size_t kept = 0, left_out = 0;
    int status = RL_EXIT_OK;
    if (!docs || !in) {
        rl_cli_error("out of memory");
        status = RL_EXIT_RUNTIME;
        goto done;
    }
    for (int i = 0; i < n; i++) {
        const char *path = argv[optind + i];
        rl_err rerr = {0};
        if (*stop) {
            rl_cli_error("interrupted: nothing written to %s", out);
            status = RL_EXIT_RUNTIME;
            goto done;
        }
        if (rl_document_read(path, &docs[kept], &rerr) != 0) {
            rl_cli_error("%s; left out of the site", rerr.msg);
            left_out++;
            continue;
        }
        in[kept].source = path;
        in[kept].doc = &docs[kept];
        kept++;
    }
    if (rl_publish(in, kept, &site, &err) != 0) {
        rl_cli_error("%s", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
        goto done;
    }
    files = calloc(site.n, sizeof *files);
    if (!files) {
        rl_cli_error("out of memory");
        status = RL_EXIT_RUNTIME;
        goto done;
    }
    for (size_t i = 0; i < site.n; i++) {
        files[i].name = site.pages[i].name;
        files[i].data = site.pages[i].data.data ? site.pages[i].data.data : "";
        files[i].len = site.pages[i].data.len;
    }
    if (rl_sitedir_write(out, files, site.n, force, stop, &err) != 0) {
        rl_cli_error("%s", err.msg);
        status = err.code ? err.code : RL_EXIT_RUNTIME;
        goto done;
    }
    if (!quiet)
        fprintf(stderr, "roofline: published %zu page%s and index.html to %s\n", kept,
                kept == 1 ? "" : "s", out);
    if (left_out) {
        rl_cli_error("%zu of %d input%s left out (named above)", left_out, n, n == 1 ? "" : "s");
        status = RL_EXIT_INPUT;
    }
done:
    free(files);
    rl_publish_free(&site);
    for (size_t i = 0; docs && i < kept; i++)
        rl_document_free(&docs[i]);
    free(docs);
    free(in);
    return status;
}
