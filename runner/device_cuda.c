/* device_cuda.c: the CUDA GPU backend of the job (runner/device.h). The job has already looked for
 * GPUs (rl_job_host.gpus); this backend measures them through the plugin (runner/gpu.h) into
 * r->devices. A machine without GPUs is not an error unless the plan requires one (`roofline gpu`):
 * the main job on a CPU-only machine says nothing about GPUs. */
#include <stdio.h>

#include "runner/device.h"
#include "runner/gpu.h"

static void gpu_progress(void *user, const char *line)
{
    const rl_job_hooks *hooks = user;
    if (hooks->progress)
        hooks->progress(hooks->progress_user, 0, 1, line);
}

static int cuda_check(const rl_plan *plan, const rl_job_host *host, rl_err *err)
{
    if (!plan->gpu)
        return 0;
    if (host->gpus == 0 && plan->gpu_required)
        return rl_err_set(err, RL_EXIT_RUNTIME, "no GPU to measure: %s", host->gpu_why);
    if (plan->gpu_device >= host->gpus && host->gpus > 0)
        return rl_err_set(err, RL_EXIT_USAGE, "--device %d: this machine has %d GPU%s (0-%d)",
                          plan->gpu_device, host->gpus, host->gpus == 1 ? "" : "s", host->gpus - 1);
    return 0;
}

static int cuda_run(const rl_plan *plan, const rl_job_host *host, const rl_job_hooks *hooks,
                    rl_result *r, rl_err *err)
{
    if (!plan->gpu || host->gpus == 0)
        return 0;
    if (hooks->stage)
        hooks->stage(hooks->progress_user, "gpu");
    rl_gpu_opts o = {
        .device = plan->gpu_device,
        .quick = plan->quick,
        .measure = 1,
        .repeats = plan->gpu_timing.repeats,
        .min_ms = plan->gpu_timing.min_time * 1e3,
        .only = plan->gpu_rows,
        .progress = gpu_progress,
        .progress_user = (void *)hooks,
        .stop = hooks->stop,
    };
    char why[256] = "";
    int n = rl_gpu_measure(r, &o, why, sizeof why, err);
    if (n < 0) {
        /* A GPU that failed mid-run: its device entry holds the rows before the failure and says
         * "failed: ...", the CPU's figures stay; the run is a failure (exit 1) all the same. */
        r->meta.partial = 1;
        return -1;
    }
    if (n == 0 && plan->gpu_required)
        return rl_err_set(err, RL_EXIT_RUNTIME, "no GPU to measure: %s", why);
    return 0;
}

const rl_device_backend rl_device_cuda = {"cuda", cuda_check, cuda_run};
