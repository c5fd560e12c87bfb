/* fake_gpu_plugin.c: a stand-in for libroofline-cuda.so, so the GPU path (plugin loading, the device
 * backend, the result model, every report) is tested on machines without a GPU. It implements the
 * plugin interface (kernels/cuda/gpu_abi.h) with fixed devices and rows:
 *   RL_FAKE_GPU_COUNT=N   N devices (default 1), each an H100 SXM's properties
 *   RL_FAKE_GPU_FAIL=1    the run fails after its second row, as a GPU lost mid-run does
 *   RL_FAKE_GPU_DRIVER=0  no driver: counting fails with the plugin's message
 *   RL_FAKE_GPU_NVML=0    no NVML: no links, no power samples, and the rows say so
 * A server of eight (RL_FAKE_GPU_COUNT=8) holds the classic bring-up faults, each one GPU:
 *   gpu3  its PCIe link trained at Gen4 x8 (maximum Gen5 x16): host links a quarter of the others
 *   gpu5  its power limit set to 500 W (default 700 W): every compute row at 1.55 GHz, power-capped
 *   gpu7  hot (91 C): compute rows 8% below its siblings, HW thermal slowdown
 *   gpu2 <-> gpu6  the slow GPU-to-GPU pair (170 GB/s against about 390 for the others)
 * GPUs 0-3 sit on NUMA node 0, 4-7 on node 1. Every device has NVLink to an NVSwitch (18 links).
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
    o->host_numa = env_int("RL_FAKE_GPU_COUNT", 1) > 1 && dev >= 4 ? 1 : 0;
    return 0;
}

static int nvml(void)
{
    return env_int("RL_FAKE_GPU_NVML", 1) != 0;
}

static int fake_links(int dev, rl_gpu_links *l, char *msg, size_t len)
{
    (void)msg;
    (void)len;
    memset(l, 0, sizeof *l);
    l->power_limit_w = l->power_default_w = -1;
    if (!nvml()) {
        snprintf(l->nvml, sizeof l->nvml,
                 "NVML not found (libnvidia-ml.so.1: cannot open shared object file)");
        return 0;
    }
    l->pcie_gen = dev == 3 ? 4 : 5;
    l->pcie_width = dev == 3 ? 8 : 16;
    l->pcie_gen_max = 5;
    l->pcie_width_max = 16;
    l->nvlinks = l->nvlinks_switch = 18;
    l->power_limit_w = dev == 5 ? 500 : 700;
    l->power_default_w = 700;
    return 0;
}

/* NVML's samples of one row: power, clocks, temperature and the reasons the clock fell. */
static void sample(rl_gpu_row *r, int dev)
{
    rl_gpu_power *p = &r->power;
    memset(p, 0, sizeof *p);
    if (!nvml())
        return;
    int tensor = strncmp(r->path, "tensor", 6) == 0, compute = !strcmp(r->kind, "compute");
    p->samples = 20;
    p->seconds = 0.1;
    p->power_w = compute ? (tensor ? 690 : 520) : 430;
    p->power_max_w = compute ? (tensor ? 700 : 560) : 470;
    p->sm_mhz = r->clock_ghz * 1000;
    p->sm_mhz_min = p->sm_mhz - 15;
    p->mem_mhz = 2619;
    p->temp_c = 62;
    if (tensor) { /* a healthy Hopper under tensor load runs at its power limit */
        p->reasons = 0x4;
        p->reason_frac[2] = 0.8f;
    }
    if (dev == 5 && compute) {
        p->power_w = 498;
        p->power_max_w = 500;
        p->reasons = 0x4;
        p->reason_frac[2] = 1.0f;
    }
    if (dev == 7 && compute) {
        p->temp_c = 91;
        p->reasons |= 0x40;
        p->reason_frac[6] = 0.9f;
    }
    p->energy_j = p->power_w * p->seconds;
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

/* 1 when `only` (NULL: every row) names id, as the real plugin's --only does. */
static int listed(const char *only, const char *id)
{
    if (!only || !*only)
        return 1;
    size_t n = strlen(id);
    for (const char *p = only; *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && !strncmp(p, id, n))
            return 1;
        p = e ? e + 1 : p + l;
    }
    return 0;
}

/* The odd GPUs out of a server of eight: gpu5 power-capped (compute at 1.55 GHz instead of 1.95),
 * gpu7 hot (compute 8% down). */
static void odd_gpu(rl_gpu_row *r, int dev)
{
    if (strcmp(r->kind, "compute") != 0 || !r->ok)
        return;
    double f = dev == 5 ? 1.55 / 1.95 : dev == 7 ? 0.92 : 1.0;
    r->best *= f;
    r->median *= f;
    r->min *= f;
    if (dev == 5)
        r->clock_ghz = 1.55;
    else if (dev == 7)
        r->clock_ghz *= 0.92;
}

static int fake_run(int dev, const rl_gpu_plan *plan, rl_gpu_row *rows, int cap, int *n, char *msg,
                    size_t len)
{
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
    int kept = 0;
    for (int i = 0; i < *n; i++) {
        if (!listed(plan->only, rows[i].id))
            continue;
        rows[kept] = rows[i];
        odd_gpu(&rows[kept], dev);
        sample(&rows[kept++], dev);
    }
    *n = kept;
    return 0;
}

/* A size sweep from 4 KiB to 1 GiB (x4 a step) rising to `plateau` GB/s: small copies are bound by
 * their fixed cost (a 256 KiB copy reaches half the plateau). */
static void sweep(rl_gpu_copy *c, double plateau, int points)
{
    c->n_points = points;
    for (int i = 0; i < points; i++) {
        c->size[i] = (uint64_t)4096 << (2 * i);
        double s = (double)c->size[i];
        c->gbs[i] = plateau * s / (s + 262144.0);
    }
}

static void copy_row(rl_gpu_copy *c, const char *id, const char *mode, int src, int dst,
                     double plateau, int points)
{
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->mode, sizeof c->mode, "%s", mode);
    c->src = src;
    c->dst = dst;
    c->ok = 1;
    sweep(c, plateau, points);
}

static int fake_host_copies(int dev, const rl_gpu_plan *plan, rl_gpu_copy *rows, int cap, int *n,
                            char *msg, size_t len)
{
    *n = 0;
    if (cap < 6)
        return snprintf(msg, len, "too few rows"), -1;
    /* Gen5 x16 reaches 55 GB/s pinned from the near node; Gen4 x8 a quarter of that. */
    double link = dev == 3 ? 0.25 : 1.0, numa = plan->host_far ? 0.87 : 1.0;
    int points = plan->quick ? 8 : 10;
    static const struct {
        const char *id, *mode;
        double gbs;
    } R[] = {{"h2d", "pinned", 55.2},   {"d2h", "pinned", 54.1},   {"bidir", "pinned", 101.5},
             {"h2d", "pageable", 21.0}, {"d2h", "pageable", 19.0}, {"bidir", "pageable", 30.0}};
    for (size_t i = 0; i < sizeof R / sizeof R[0]; i++)
        copy_row(&rows[(*n)++], R[i].id, R[i].mode, -1, -1, R[i].gbs * link * numa, points);
    return 0;
}

static int fake_peer_copies(const int *devs, int n_devs, const rl_gpu_plan *plan,
                            rl_gpu_copy *rows, int cap, int *n, char *msg, size_t len)
{
    (void)plan;
    *n = 0;
    for (int m = 0; m < 3; m++)
        for (int i = 0; i < n_devs; i++)
            for (int j = 0; j < n_devs; j++) {
                if (i == j)
                    continue;
                if (*n >= cap)
                    return snprintf(msg, len, "too few rows"), -1;
                int a = devs[i], b = devs[j];
                int slow = (a == 2 && b == 6) || (a == 6 && b == 2);
                static const char *const MODES[] = {"peer", "no-peer", "all-pairs"};
                double gbs = m == 0 ? (slow ? 170 : 389) : m == 1 ? 40 : (slow ? 24 : 55);
                copy_row(&rows[(*n)++], "p2p", MODES[m], a, b, gbs, 3);
                /* 16, 64 and 256 MiB */
                for (int k = 0; k < 3; k++) {
                    rows[*n - 1].size[k] = (uint64_t)16 << (20 + 2 * k);
                    rows[*n - 1].gbs[k] = gbs * (0.96 + 0.02 * k);
                }
            }
    return 0;
}

static int fake_latency(int dev, const rl_gpu_plan *plan, rl_gpu_latency *rows, int cap, int *n,
                        char *msg, size_t len)
{
    (void)dev;
    (void)plan;
    *n = 0;
    if (cap < 5)
        return snprintf(msg, len, "too few rows"), -1;
    static const struct {
        const char *id, *level;
        double ns, cycles;
        uint64_t bytes, stride;
    } R[] = {{"launch", "launch", 2100, -1, 0, 0},
             {"launch-sync", "launch", 5800, -1, 0, 0},
             {"chase-l1", "L1", 16.9, 33, 16384, 128},
             {"chase-l2", "L2", 134.4, 262, 4194304, 128},
             {"chase-dram", "DRAM", 307.7, 600, 1073741824, 4096}};
    for (size_t i = 0; i < sizeof R / sizeof R[0]; i++) {
        rl_gpu_latency *l = &rows[(*n)++];
        memset(l, 0, sizeof *l);
        snprintf(l->id, sizeof l->id, "%s", R[i].id);
        snprintf(l->level, sizeof l->level, "%s", R[i].level);
        l->ok = 1;
        l->ns = R[i].ns;
        l->cycles = R[i].cycles;
        l->clock_ghz = R[i].cycles > 0 ? 1.95 : -1;
        l->work_bytes = R[i].bytes;
        l->stride_bytes = R[i].stride;
    }
    return 0;
}

static int fake_list(rl_gpu_row *rows, int cap, int *n)
{
    int k = 0;
    rl_gpu_plan plan = {0};
    char msg[64];
    return fake_run(0, &plan, rows, cap, n ? n : &k, msg, sizeof msg);
}

static const rl_gpu_api API = {RL_GPU_ABI_VERSION, fake_count,       fake_info,
                               fake_run,           fake_list,        fake_links,
                               fake_host_copies,   fake_peer_copies, fake_latency};

const rl_gpu_api *rl_gpu_plugin_api(void)
{
    return &API;
}
