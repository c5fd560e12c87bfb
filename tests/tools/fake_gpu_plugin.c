/* fake_gpu_plugin.c: a stand-in for libroofline-cuda.so, so the GPU path (plugin loading, the device
 * backend, the result model, every report) is tested on machines without a GPU. It implements the
 * plugin interface (kernels/cuda/gpu_abi.h) with fixed devices and rows:
 *   RL_FAKE_GPU_COUNT=N   N devices (default 1), each an H100 SXM's properties
 *   RL_FAKE_GPU_FAIL=1    the run fails after its second row, as a GPU lost mid-run does
 *   RL_FAKE_GPU_DRIVER=0  no driver: counting fails with the plugin's message
 * Built by the Makefile into $(BUILD)/tests/libfake-gpu.so and used through RL_CUDA_PLUGIN. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/cuda/gpu_abi.h"

const rl_gpu_api *rl_gpu_plugin_api(void);

static int env_int(const char *name, int def)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : def;
}

static int fake_count(int *n, char *msg, size_t len)
{
    if (env_int("RL_FAKE_GPU_DRIVER", 1) == 0) {
        snprintf(msg, len, "no NVIDIA driver is loaded (libcuda.so.1 not found or no kernel module)");
        return -1;
    }
    *n = env_int("RL_FAKE_GPU_COUNT", 1);
    return 0;
}

static int fake_info(int dev, rl_gpu_info *o, char *msg, size_t len)
{
    (void)msg;
    (void)len;
    memset(o, 0, sizeof *o);
    o->ordinal = dev;
    snprintf(o->name, sizeof o->name, "NVIDIA H100 80GB HBM3");
    snprintf(o->pci_bus_id, sizeof o->pci_bus_id, "0000:%02x:00.0", 0x18 + dev);
    o->cc_major = 9;
    o->cc_minor = 0;
    o->sms = 132;
    o->sm_clock_khz = 1980000;
    o->mem_clock_khz = 2619000;
    o->mem_bus_bits = 5120;
    o->mem_bytes = 85045477376ULL;
    o->mem_free_bytes = 84000000000ULL;
    o->l2_bytes = 52428800;
    o->smem_per_sm_bytes = 233472;
    o->smem_per_block_optin_bytes = 232448;
    o->max_threads_per_sm = 2048;
    o->regs_per_sm = 65536;
    o->driver_version = 13000;
    o->runtime_version = 13000;
    return 0;
}

static void row(rl_gpu_row *r, const char *id, const char *kind, const char *path,
                const char *precision, const char *op, const char *insn, const char *unit,
                double best, double clock)
{
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", id);
    snprintf(r->kind, sizeof r->kind, "%s", kind);
    snprintf(r->path, sizeof r->path, "%s", path);
    snprintf(r->precision, sizeof r->precision, "%s", precision);
    snprintf(r->op, sizeof r->op, "%s", op);
    snprintf(r->insn, sizeof r->insn, "%s", insn);
    snprintf(r->kernel, sizeof r->kernel, "rl_gpu_%s", id);
    snprintf(r->unit, sizeof r->unit, "%s", unit);
    r->ok = best > 0;
    r->best = best;
    r->median = best * 0.99;
    r->min = best * 0.97;
    r->repeats = 5;
    r->clock_ghz = clock;
    r->blocks = 264;
    r->threads = 256;
    if (!r->ok) {
        r->best = r->median = r->min = -1;
        snprintf(r->note, sizeof r->note, "not run: no HGMMA code for this GPU in the plugin");
    }
}

static int fake_run(int dev, const rl_gpu_plan *plan, rl_gpu_row *rows, int cap, int *n, char *msg,
                    size_t len)
{
    (void)dev;
    (void)plan;
    int fail = env_int("RL_FAKE_GPU_FAIL", 0);
    *n = 0;
    if (cap < 8)
        return snprintf(msg, len, "too few rows"), -1;
    row(&rows[(*n)++], "fp64", "compute", "cuda-core", "fp64", "fma", "DFMA", "GFLOP/s", 32000, 1.95);
    row(&rows[(*n)++], "fp32", "compute", "cuda-core", "fp32", "fma", "FFMA", "GFLOP/s", 64000, 1.95);
    if (fail) {
        snprintf(msg, len, "during mma-bf16: unspecified launch failure "
                 "(cudaErrorLaunchFailure); the device is unusable until it is reset");
        return -1;
    }
    row(&rows[(*n)++], "mma-bf16", "compute", "tensor-mma", "bf16", "m16n8k16", "HMMA", "GFLOP/s",
        640000, 1.90);
    row(&rows[(*n)++], "mma-int8", "compute", "tensor-mma", "int8", "m16n8k32", "IMMA", "GOP/s",
        1200000, 1.90);
    row(&rows[(*n)++], "wgmma-bf16", "compute", "tensor-wgmma", "bf16", "m64n256k16", "HGMMA",
        "GFLOP/s", 900000, 1.80);
    row(&rows[*n], "dram-copy", "memory", "DRAM", "", "copy", "LDG", "GB/s", 3000, 1.98);
    rows[(*n)++].work_bytes = 2147483648ULL;
    row(&rows[*n], "dram-triad", "memory", "DRAM", "", "triad", "LDG", "GB/s", 3050, 1.98);
    rows[(*n)++].work_bytes = 3221225472ULL;
    row(&rows[*n], "l2-read", "memory", "L2", "", "read", "LDG", "GB/s", 9000, 1.98);
    rows[(*n)++].work_bytes = 13107200;
    return 0;
}

static int fake_list(rl_gpu_row *rows, int cap, int *n)
{
    int k = 0;
    rl_gpu_plan plan = {0};
    char msg[64];
    return fake_run(0, &plan, rows, cap, n ? n : &k, msg, sizeof msg);
}

static const rl_gpu_api API = {RL_GPU_ABI_VERSION, fake_count, fake_info, fake_run, fake_list};

const rl_gpu_api *rl_gpu_plugin_api(void)
{
    return &API;
}
