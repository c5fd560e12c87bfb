/* runtime_opts.h: `roofline model --runtime FILE [--threads N] [--runtime-any-cpu]`: reads the
 * runtime profile (model/runtime.h), checks that it fits the run asked for (its thread counts, the
 * CPU predicted for) and predicts the model with it (model/predict.h). cmd_model.c parses the
 * flags and renders; this file holds the checks, so the command stays small. */
#ifndef RL_RUNTIME_OPTS_H
#define RL_RUNTIME_OPTS_H

#include "model/predict.h"
#include "model/roof.h"
#include "model/runtime.h"
#include "model/shape.h"
#include "result/result.h"

typedef struct rl_runtime_use {
    const char *path; /* --runtime; NULL: no prediction */
    long threads;     /* --threads; 0: the profile's largest thread count */
    int any_cpu;      /* --runtime-any-cpu */
    /* filled by rl_runtime_use_load */
    rl_runtime *rt;
    int mismatch;  /* the profile's CPU is not the one predicted for */
    char cpu[128]; /* the CPU predicted for: --machine's (res), or this machine's */
    int block;     /* NCHWc block of that CPU (16 with AVX-512F, 8 other x86, 0 elsewhere) */
    rl_prediction pred;
} rl_runtime_use;

/* Reads u->path and checks --threads and the CPU against `res` (the --machine result or the
 * probed theoretical machine; NULL: this machine is identified). Returns RL_EXIT_OK or an exit code
 * after printing the error: 3 for a damaged profile, 2 for a thread count the profile lacks or
 * another CPU without --runtime-any-cpu (naming both CPUs). */
int rl_runtime_use_load(rl_runtime_use *u, const rl_result *res);

/* Predicts g (placed on mc, or NULL). Returns RL_EXIT_OK or an exit code after printing. */
int rl_runtime_use_predict(rl_runtime_use *u, const rl_graph *g, const rl_roof_machine *mc);

void rl_runtime_use_free(rl_runtime_use *u); /* the profile; accepts a use never loaded */

#endif
