/* device.h: the seam every measured device plugs into. The job (runner/job.h) identifies the
 * machine, then hands the plan to each backend in turn; a backend measures what the plan asks of
 * its device and appends rows to the one result. Neither the job nor the report asks "is this a
 * GPU?": they see backends and rows.
 *
 * Two backends: "cpu" (runner/device_cpu.c): the compute kernels (runner/flops.h), then the memory
 * kernels (runner/bandwidth.h); and "cuda" (runner/device_cuda.c): every NVIDIA GPU through the
 * CUDA plugin (runner/gpu.h, kernels/cuda/), into r->devices. Adding a device means:
 *   - a file runner/device_<name>.c defining `const rl_device_backend rl_device_<name>`, built
 *     only where its toolkit is (the Makefile picks it, as it picks the kernels' ISA files);
 *   - its entry in the table of runner/device.c, after the CPU (the CPU's figures come first);
 *   - its plan items in rl_plan (runner/job.h), e.g. the CUDA backend's `gpu_only, gpu_device`,
 *     and the rows it fills in the result (its own device entries beside the CPU's).
 * The cluster mode does not add a backend: it runs the whole job (rl_job_run) on every node. */
#ifndef RL_DEVICE_H
#define RL_DEVICE_H

#include <stddef.h>

#include "common/err.h"
#include "result/result.h"
#include "runner/job.h"

typedef struct rl_device_backend {
    const char *name; /* "cpu" */
    /* Checks the plan against the machine before anything is measured: a plan this device cannot
     * run is RL_EXIT_USAGE, its message starting with the flag ("--isa: ..."). May be NULL. */
    int (*check)(const rl_plan *plan, const rl_job_host *host, rl_err *err);
    /* Measures what the plan asks of this device into r (rows, warnings), announcing each of its
     * stages through hooks->stage, and stops early when hooks->stop is raised (what finished stays
     * in r, with r->meta.partial set). Returns 0, or -1 with err. A plan that asks nothing of this
     * device returns 0 at once. */
    int (*run)(const rl_plan *plan, const rl_job_host *host, const rl_job_hooks *hooks,
               rl_result *r, rl_err *err);
} rl_device_backend;

/* The backends built into this binary, in the order the job runs them; NULL past the last. */
size_t rl_device_count(void);
const rl_device_backend *rl_device_at(size_t i);

/* The CPU backend (runner/device_cpu.c) and the CUDA GPU backend (runner/device_cuda.c). */
extern const rl_device_backend rl_device_cpu;
extern const rl_device_backend rl_device_cuda;

#endif
