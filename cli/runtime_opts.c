/* runtime_opts.c: --runtime's checks and prediction (see runtime_opts.h). */
#include "cli/runtime_opts.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "probes/cpu.h"

#define CMD "roofline model"

/* Brand strings compare without their padding: CPUID pads them with spaces. */
static void squeeze(const char *s, char *out, size_t size)
{
    size_t n = 0;
    int space = 0;
    for (; *s && n + 1 < size; s++) {
        if (isspace((unsigned char)*s)) {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < size)
            out[n++] = ' ';
        space = 0;
        out[n++] = *s;
    }
    out[n] = '\0';
}

int rl_runtime_use_load(rl_runtime_use *u, const rl_result *res)
{
    rl_err err = {0};
    if (rl_runtime_read(u->path, &u->rt, &err) != 0) {
        rl_cli_error("%s", err.msg);
        return err.code ? err.code : RL_EXIT_INPUT;
    }
    if (u->threads == 0) {
        for (size_t i = 0; i < u->rt->n_threads; i++)
            if (u->rt->threads[i].threads > u->threads)
                u->threads = u->rt->threads[i].threads;
    } else if (!rl_runtime_threads(u->rt, (int)u->threads)) {
        char list[128];
        rl_runtime_thread_list(u->rt, list, sizeof list);
        return rl_cli_usage_error(CMD, "--threads: %s was calibrated at %s thread(s), not %ld",
                                  u->path, list, u->threads);
    }
    /* the CPU predicted for: the --machine result's, or this machine's */
    rl_machine here;
    const char *whose = "this machine";
    memset(&here, 0, sizeof here);
    if (res) {
        here = res->machine;
        whose = "--machine";
    } else {
        rl_cpu cpu;
        if (rl_cpu_identify(NULL, &cpu, &err) != 0) {
            rl_cli_error("%s", err.msg);
            return err.code ? err.code : RL_EXIT_RUNTIME;
        }
        rl_cpu_describe(&cpu, &here);
    }
    squeeze(here.brand, u->cpu, sizeof u->cpu);
    char theirs[128];
    squeeze(u->rt->cpu, theirs, sizeof theirs);
    u->mismatch = strcmp(u->cpu, theirs) != 0;
    if (u->mismatch && !u->any_cpu)
        return rl_cli_usage_error(CMD,
                                  "--runtime: %s was calibrated on '%s', but %s is '%s' (calibrate "
                                  "this CPU with scripts/calibrate-ort.sh, or give "
                                  "--runtime-any-cpu to predict anyway)",
                                  u->path, theirs, whose, u->cpu);
    /* ORT's NCHWc block is the vector width in floats (MlasNchwcGetBlockSize) */
    if (strstr(here.isa, "avx512f"))
        u->block = 16;
    else if (strstr(here.isa, "sse2") || strstr(here.isa, "avx"))
        u->block = 8;
    else
        u->block = 0;
    return RL_EXIT_OK;
}

int rl_runtime_use_predict(rl_runtime_use *u, const rl_graph *g, const rl_roof_machine *mc)
{
    rl_err err = {0};
    if (rl_predict(g, u->rt, (int)u->threads, u->block, mc, &u->pred, &err) != 0) {
        if (err.code == RL_EXIT_USAGE)
            return rl_cli_usage_error(CMD, "--threads: %s", err.msg);
        rl_cli_error("%s", err.msg);
        return err.code ? err.code : RL_EXIT_RUNTIME;
    }
    return RL_EXIT_OK;
}

void rl_runtime_use_free(rl_runtime_use *u)
{
    rl_runtime_free(u->rt);
    u->rt = NULL;
}
