/* plugin.cu: the harness of the CUDA plugin (libroofline-cuda.so): device enumeration, and for each
 * measured row: buffers, launch shape (one full wave per the occupancy calculator), a short trial
 * of the row's launch-shape variants (the fastest is kept and named in the row's note), calibration
 * to a minimum launch time, timed launches with CUDA events, the SM clock read inside each launch,
 * and a check of the kernel's result. The only exported symbol is rl_gpu_plugin_api
 * (kernels/cuda/gpu_abi.h).
 *
 * Errors never abort: a row that cannot run says why in its note; an error that leaves the device
 * unusable (a sticky error: the GPU fell off the bus, an illegal instruction) ends the run with the
 * rows measured so far and a message. */
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/cuda/gpu_abi.h"
#include "kernels/cuda/gpu_int.cuh"

/* The kernels (peak.cu, stream.cu). */
extern "C" {
__global__ void rl_gpu_fma_fp64(float *, long long, double, double, rl_gpu_clk *);
__global__ void rl_gpu_fma_fp32(float *, long long, float, float, rl_gpu_clk *);
__global__ void rl_gpu_fma_fp16(float *, long long, __half2, __half2, rl_gpu_clk *);
__global__ void rl_gpu_fma_bf16(float *, long long, __nv_bfloat162, __nv_bfloat162, rl_gpu_clk *);
__global__ void rl_gpu_mma_bf16(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_mma_fp16(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_mma_tf32(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_mma_int8(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_wgmma_bf16(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_wgmma_fp16(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_wgmma_tf32(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_wgmma_fp8(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_wgmma_int8(float *, long long, rl_gpu_clk *);
__global__ void rl_gpu_mem_read(const float4 *, long long, long long, float *, rl_gpu_clk *);
__global__ void rl_gpu_mem_write(float4 *, long long, long long, float, rl_gpu_clk *);
__global__ void rl_gpu_mem_copy(const float4 *, float4 *, long long, long long, rl_gpu_clk *);
__global__ void rl_gpu_mem_triad(float4 *, const float4 *, const float4 *, float, long long,
                                 long long, rl_gpu_clk *);
__global__ void rl_gpu_mem_read_tiled(const float4 *, long long, long long, float *, rl_gpu_clk *);
__global__ void rl_gpu_mem_write_tiled(float4 *, long long, long long, float, rl_gpu_clk *);
__global__ void rl_gpu_mem_copy_tiled(const float4 *, float4 *, long long, long long, rl_gpu_clk *);
__global__ void rl_gpu_mem_triad_tiled(float4 *, const float4 *, const float4 *, float, long long,
                                       long long, rl_gpu_clk *);
__global__ void rl_gpu_mem_read_pf(const float4 *, long long, long long, float *, rl_gpu_clk *);
__global__ void rl_gpu_mem_copy_pf(const float4 *, float4 *, long long, long long, rl_gpu_clk *);
__global__ void rl_gpu_mem_triad_pf(float4 *, const float4 *, const float4 *, float, long long,
                                    long long, rl_gpu_clk *);
__global__ void rl_gpu_l2_read(const float4 *, long long, long long, float *, rl_gpu_clk *);
__global__ void rl_gpu_l1_read(const float4 *, long long, float *, rl_gpu_clk *);
__global__ void rl_gpu_smem_read(long long, float *, rl_gpu_clk *);
}

/* Declared work per loop iteration (must match peak.cu / stream.cu). */
#define FMA_FLOPS_PER_THREAD_ITER (8.0 * 32.0 * 2.0) /* chains x unroll x 2 */
#define MMA_PER_WARP_ITER         (4.0 * 8.0)        /* unroll x accumulators */
#define WGMMA_PER_WG_ITER         (16.0 * 64.0 * 256.0 * 2.0) /* batch x M x N x 2, times K */
#define L1_BYTES_PER_BLOCK_REP    (1024.0 * 16.0)
#define SMEM_BYTES_PER_BLOCK_REP  (2048.0 * 16.0)

typedef double (*launch_fn)(struct run_ctx *c, long long iters); /* one launch; returns its work */

typedef struct run_ctx {
    const rl_gpu_info *info;
    int blocks, threads;
    launch_fn launch; /* the row's kernel variant being timed */
    float *out;        /* one float per launched thread */
    rl_gpu_clk *clk;   /* one record per block */
    float4 *a, *b, *c; /* device-memory arrays, n4 vectors each (lazily allocated) */
    long long n4;
    float4 *l2; /* the L2 working set */
    long long l2_n4;
    float4 *l1; /* blocks x 1024 vectors */
} run_ctx;

typedef double (*launch_fn)(run_ctx *c,
                            long long iters); /* enqueues one launch; returns its work */

typedef struct row_def {
    const char *id, *kind, *path, *precision, *op, *insn, *kernel, *unit;
    int min_cc;  /* major * 10 + minor */
    int only_cc; /* non-zero: exactly this compute capability (sm_90a code) */
    int quick;   /* part of --quick */
    const void *func;
    int variants[3]; /* threads per block to try; 0 ends */
    launch_fn launch;
    int check; /* CHECK_* */
    /* Other kernels for the same row (device memory: tiled instead of grid-stride; loads asking
     * L2 for 256-byte prefetches), tried beside the first; NULL when there is none. */
    const void *func2;
    launch_fn launch2;
    const void *func3;
    launch_fn launch3;
} row_def;

/* CHECK_GROWS: fp8 tensor products accumulate at reduced precision on Hopper (the sum stalled at
 * 512 after 100,000 products of 0.74, seen on an H200), so linearity cannot be checked there: the
 * accumulator must be finite and not below one iteration's. */
enum {
    CHECK_FMA8,
    CHECK_FMA16,
    CHECK_LINEAR,
    CHECK_GROWS,
    CHECK_FINITE,
    CHECK_COPY,
    CHECK_TRIAD,
    CHECK_NONE
};

static const double FMA_M = 0.984375, FMA_A = 0.015625;

static double launch_fma_fp64(run_ctx *c, long long it)
{
    rl_gpu_fma_fp64<<<c->blocks, c->threads>>>(c->out, it, FMA_M, FMA_A, c->clk);
    return (double)c->blocks * c->threads * (double)it * FMA_FLOPS_PER_THREAD_ITER;
}
static double launch_fma_fp32(run_ctx *c, long long it)
{
    rl_gpu_fma_fp32<<<c->blocks, c->threads>>>(c->out, it, (float)FMA_M, (float)FMA_A, c->clk);
    return (double)c->blocks * c->threads * (double)it * FMA_FLOPS_PER_THREAD_ITER;
}
static double launch_fma_fp16(run_ctx *c, long long it)
{
    rl_gpu_fma_fp16<<<c->blocks, c->threads>>>(c->out, it, __float2half2_rn((float)FMA_M),
                                               __float2half2_rn((float)FMA_A), c->clk);
    return (double)c->blocks * c->threads * (double)it * FMA_FLOPS_PER_THREAD_ITER * 2.0;
}
static double launch_fma_bf16(run_ctx *c, long long it)
{
    rl_gpu_fma_bf16<<<c->blocks, c->threads>>>(c->out, it, __float2bfloat162_rn((float)FMA_M),
                                               __float2bfloat162_rn((float)FMA_A), c->clk);
    return (double)c->blocks * c->threads * (double)it * FMA_FLOPS_PER_THREAD_ITER * 2.0;
}
#define MMA_LAUNCH(NAME, KERNEL, FLOPS_PER_MMA)                                                    \
    static double NAME(run_ctx *c, long long it)                                                   \
    {                                                                                              \
        KERNEL<<<c->blocks, c->threads>>>(c->out, it, c->clk);                                     \
        return (double)c->blocks * (c->threads / 32) * (double)it * MMA_PER_WARP_ITER *            \
               (FLOPS_PER_MMA);                                                                    \
    }
MMA_LAUNCH(launch_mma_bf16, rl_gpu_mma_bf16, 16.0 * 8 * 16 * 2)
MMA_LAUNCH(launch_mma_fp16, rl_gpu_mma_fp16, 16.0 * 8 * 16 * 2)
MMA_LAUNCH(launch_mma_tf32, rl_gpu_mma_tf32, 16.0 * 8 * 8 * 2)
MMA_LAUNCH(launch_mma_int8, rl_gpu_mma_int8, 16.0 * 8 * 32 * 2)
#define WGMMA_LAUNCH(NAME, KERNEL, K)                                                              \
    static double NAME(run_ctx *c, long long it)                                                   \
    {                                                                                              \
        KERNEL<<<c->blocks, c->threads>>>(c->out, it, c->clk);                                     \
        return (double)c->blocks * (c->threads / 128) * (double)it * WGMMA_PER_WG_ITER * (K);      \
    }
WGMMA_LAUNCH(launch_wgmma_bf16, rl_gpu_wgmma_bf16, 16.0)
WGMMA_LAUNCH(launch_wgmma_fp16, rl_gpu_wgmma_fp16, 16.0)
WGMMA_LAUNCH(launch_wgmma_tf32, rl_gpu_wgmma_tf32, 8.0)
WGMMA_LAUNCH(launch_wgmma_fp8, rl_gpu_wgmma_fp8, 32.0)
WGMMA_LAUNCH(launch_wgmma_int8, rl_gpu_wgmma_int8, 32.0)
static double launch_dram_read(run_ctx *c, long long it)
{
    rl_gpu_mem_read<<<c->blocks, c->threads>>>(c->a, c->n4, it, c->out, c->clk);
    return (double)it * (double)c->n4 * 16.0;
}
static double launch_dram_write(run_ctx *c, long long it)
{
    rl_gpu_mem_write<<<c->blocks, c->threads>>>(c->c, c->n4, it, 3.0f, c->clk);
    return (double)it * (double)c->n4 * 16.0;
}
static double launch_dram_copy(run_ctx *c, long long it)
{
    rl_gpu_mem_copy<<<c->blocks, c->threads>>>(c->a, c->b, c->n4, it, c->clk);
    return (double)it * (double)c->n4 * 32.0;
}
static double launch_dram_triad(run_ctx *c, long long it)
{
    rl_gpu_mem_triad<<<c->blocks, c->threads>>>(c->c, c->a, c->b, 3.0f, c->n4, it, c->clk);
    return (double)it * (double)c->n4 * 48.0;
}
static double launch_dram_read_tiled(run_ctx *c, long long it)
{
    rl_gpu_mem_read_tiled<<<c->blocks, c->threads>>>(c->a, c->n4, it, c->out, c->clk);
    return (double)it * (double)c->n4 * 16.0;
}
static double launch_dram_write_tiled(run_ctx *c, long long it)
{
    rl_gpu_mem_write_tiled<<<c->blocks, c->threads>>>(c->c, c->n4, it, 3.0f, c->clk);
    return (double)it * (double)c->n4 * 16.0;
}
static double launch_dram_copy_tiled(run_ctx *c, long long it)
{
    rl_gpu_mem_copy_tiled<<<c->blocks, c->threads>>>(c->a, c->b, c->n4, it, c->clk);
    return (double)it * (double)c->n4 * 32.0;
}
static double launch_dram_triad_tiled(run_ctx *c, long long it)
{
    rl_gpu_mem_triad_tiled<<<c->blocks, c->threads>>>(c->c, c->a, c->b, 3.0f, c->n4, it, c->clk);
    return (double)it * (double)c->n4 * 48.0;
}
static double launch_dram_read_pf(run_ctx *c, long long it)
{
    rl_gpu_mem_read_pf<<<c->blocks, c->threads>>>(c->a, c->n4, it, c->out, c->clk);
    return (double)it * (double)c->n4 * 16.0;
}
static double launch_dram_copy_pf(run_ctx *c, long long it)
{
    rl_gpu_mem_copy_pf<<<c->blocks, c->threads>>>(c->a, c->b, c->n4, it, c->clk);
    return (double)it * (double)c->n4 * 32.0;
}
static double launch_dram_triad_pf(run_ctx *c, long long it)
{
    rl_gpu_mem_triad_pf<<<c->blocks, c->threads>>>(c->c, c->a, c->b, 3.0f, c->n4, it, c->clk);
    return (double)it * (double)c->n4 * 48.0;
}
static double launch_l2_read(run_ctx *c, long long it)
{
    rl_gpu_l2_read<<<c->blocks, c->threads>>>(c->l2, c->l2_n4, it, c->out, c->clk);
    return (double)it * (double)c->l2_n4 * 16.0;
}
static double launch_l1_read(run_ctx *c, long long it)
{
    rl_gpu_l1_read<<<c->blocks, c->threads>>>(c->l1, it, c->out, c->clk);
    return (double)c->blocks * (double)it * L1_BYTES_PER_BLOCK_REP;
}
static double launch_smem_read(run_ctx *c, long long it)
{
    rl_gpu_smem_read<<<c->blocks, c->threads>>>(it, c->out, c->clk);
    return (double)c->blocks * (double)it * SMEM_BYTES_PER_BLOCK_REP;
}

/* The rows, in run order. The wgmma rows run last: theirs is the code (sm_90a only) whose failure
 * could leave the context unusable; bf16 first, the path every Hopper measurement relies on. */
/* clang-format off */
static const row_def ROWS[] = {
    {"fp64", "compute", "cuda-core", "fp64", "fma", "DFMA", "rl_gpu_fma_fp64", "GFLOP/s", 0, 0, 1,
     (const void *)rl_gpu_fma_fp64, {256, 0}, launch_fma_fp64, CHECK_FMA8},
    {"fp32", "compute", "cuda-core", "fp32", "fma", "FFMA", "rl_gpu_fma_fp32", "GFLOP/s", 0, 0, 1,
     (const void *)rl_gpu_fma_fp32, {256, 0}, launch_fma_fp32, CHECK_FMA8},
    {"fp16", "compute", "cuda-core", "fp16", "fma-x2", "HFMA2", "rl_gpu_fma_fp16", "GFLOP/s", 0, 0,
     0, (const void *)rl_gpu_fma_fp16, {256, 0}, launch_fma_fp16, CHECK_FMA16},
    {"bf16", "compute", "cuda-core", "bf16", "fma-x2", "HFMA2.BF16", "rl_gpu_fma_bf16", "GFLOP/s", 80,
     0, 0, (const void *)rl_gpu_fma_bf16, {256, 0}, launch_fma_bf16, CHECK_FMA16},
    {"mma-fp16", "compute", "tensor-mma", "fp16", "m16n8k16", "HMMA", "rl_gpu_mma_fp16", "GFLOP/s",
     80, 0, 0, (const void *)rl_gpu_mma_fp16, {128, 256, 0}, launch_mma_fp16, CHECK_LINEAR},
    {"mma-bf16", "compute", "tensor-mma", "bf16", "m16n8k16", "HMMA", "rl_gpu_mma_bf16", "GFLOP/s",
     80, 0, 1, (const void *)rl_gpu_mma_bf16, {128, 256, 0}, launch_mma_bf16, CHECK_LINEAR},
    {"mma-tf32", "compute", "tensor-mma", "tf32", "m16n8k8", "HMMA", "rl_gpu_mma_tf32", "GFLOP/s",
     80, 0, 0, (const void *)rl_gpu_mma_tf32, {128, 256, 0}, launch_mma_tf32, CHECK_LINEAR},
    {"mma-int8", "compute", "tensor-mma", "int8", "m16n8k32", "IMMA", "rl_gpu_mma_int8", "GOP/s", 80,
     0, 0, (const void *)rl_gpu_mma_int8, {128, 256, 0}, launch_mma_int8, CHECK_LINEAR},
    {"dram-read", "memory", "DRAM", "", "read", "LDG", "rl_gpu_mem_read", "GB/s", 0, 0, 0,
     (const void *)rl_gpu_mem_read, {256, 512, 0}, launch_dram_read, CHECK_FINITE,
     (const void *)rl_gpu_mem_read_tiled, launch_dram_read_tiled,
     (const void *)rl_gpu_mem_read_pf, launch_dram_read_pf},
    {"dram-write", "memory", "DRAM", "", "write", "STG", "rl_gpu_mem_write", "GB/s", 0, 0, 0,
     (const void *)rl_gpu_mem_write, {256, 512, 0}, launch_dram_write, CHECK_NONE,
     (const void *)rl_gpu_mem_write_tiled, launch_dram_write_tiled},
    {"dram-copy", "memory", "DRAM", "", "copy", "LDG", "rl_gpu_mem_copy", "GB/s", 0, 0, 1,
     (const void *)rl_gpu_mem_copy, {256, 512, 0}, launch_dram_copy, CHECK_COPY,
     (const void *)rl_gpu_mem_copy_tiled, launch_dram_copy_tiled,
     (const void *)rl_gpu_mem_copy_pf, launch_dram_copy_pf},
    {"dram-triad", "memory", "DRAM", "", "triad", "LDG", "rl_gpu_mem_triad", "GB/s", 0, 0, 1,
     (const void *)rl_gpu_mem_triad, {256, 512, 0}, launch_dram_triad, CHECK_TRIAD,
     (const void *)rl_gpu_mem_triad_tiled, launch_dram_triad_tiled,
     (const void *)rl_gpu_mem_triad_pf, launch_dram_triad_pf},
    {"l2-read", "memory", "L2", "", "read", "LDG", "rl_gpu_l2_read", "GB/s", 0, 0, 1,
     (const void *)rl_gpu_l2_read, {256, 512, 0}, launch_l2_read, CHECK_FINITE},
    {"l1-read", "memory", "L1", "", "read", "LDG", "rl_gpu_l1_read", "GB/s", 0, 0, 0,
     (const void *)rl_gpu_l1_read, {256, 512, 1024}, launch_l1_read, CHECK_FINITE},
    {"shared-read", "memory", "shared", "", "read", "LDS", "rl_gpu_smem_read", "GB/s", 0, 0, 0,
     (const void *)rl_gpu_smem_read, {256, 512, 0}, launch_smem_read, CHECK_FINITE},
    {"wgmma-bf16", "compute", "tensor-wgmma", "bf16", "m64n256k16", "HGMMA", "rl_gpu_wgmma_bf16",
     "GFLOP/s", 90, 90, 1, (const void *)rl_gpu_wgmma_bf16, {256, 384, 0}, launch_wgmma_bf16,
     CHECK_LINEAR},
    {"wgmma-fp16", "compute", "tensor-wgmma", "fp16", "m64n256k16", "HGMMA", "rl_gpu_wgmma_fp16",
     "GFLOP/s", 90, 90, 0, (const void *)rl_gpu_wgmma_fp16, {256, 384, 0}, launch_wgmma_fp16,
     CHECK_LINEAR},
    {"wgmma-tf32", "compute", "tensor-wgmma", "tf32", "m64n256k8", "HGMMA", "rl_gpu_wgmma_tf32",
     "GFLOP/s", 90, 90, 0, (const void *)rl_gpu_wgmma_tf32, {256, 384, 0}, launch_wgmma_tf32,
     CHECK_LINEAR},
    {"wgmma-fp8", "compute", "tensor-wgmma", "fp8", "m64n256k32", "QGMMA", "rl_gpu_wgmma_fp8",
     "GFLOP/s", 90, 90, 0, (const void *)rl_gpu_wgmma_fp8, {256, 384, 0}, launch_wgmma_fp8,
     CHECK_GROWS},
    {"wgmma-int8", "compute", "tensor-wgmma", "int8", "m64n256k32", "IGMMA", "rl_gpu_wgmma_int8",
     "GOP/s", 90, 90, 0, (const void *)rl_gpu_wgmma_int8, {256, 384, 0}, launch_wgmma_int8,
     CHECK_LINEAR},
};
/* clang-format on */
#define N_ROWS (sizeof ROWS / sizeof ROWS[0])

void rl_gpu_say(char *msg, size_t len, const char *fmt, ...)
{
    if (!msg || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
}

/* Errors that leave the context unusable: the run must stop. */
int rl_gpu_is_sticky(cudaError_t e)
{
    switch (e) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorHardwareStackError:
    case cudaErrorECCUncorrectable:
    case cudaErrorDevicesUnavailable:
    case cudaErrorUnknown:
    case cudaErrorLaunchTimeout:
    case cudaErrorAssert:
        return 1;
    default:
        return 0;
    }
}

static void driver_problem(cudaError_t e, char *msg, size_t len)
{
    int drv = 0, rt = 0;
    cudaDriverGetVersion(&drv);
    cudaRuntimeGetVersion(&rt);
    if (e == cudaErrorInsufficientDriver && drv == 0)
        rl_gpu_say(msg, len, "no NVIDIA driver is loaded (libcuda.so.1 not found or no kernel module)");
    else if (e == cudaErrorInsufficientDriver)
        rl_gpu_say(msg, len,
            "the NVIDIA driver supports CUDA %d.%d, older than the CUDA %d.%d runtime "
            "this plugin was built with: update the driver",
            drv / 1000, drv % 1000 / 10, rt / 1000, rt % 1000 / 10);
    else if (e == cudaErrorNoDevice)
        rl_gpu_say(msg, len, "no CUDA GPU is visible (driver CUDA %d.%d; check CUDA_VISIBLE_DEVICES)",
            drv / 1000, drv % 1000 / 10);
    else
        rl_gpu_say(msg, len, "CUDA: %s (%s)", cudaGetErrorString(e), cudaGetErrorName(e));
}

static int plugin_count(int *n, char *msg, size_t len)
{
    *n = 0;
    cudaError_t e = cudaGetDeviceCount(n);
    if (e != cudaSuccess) {
        *n = 0;
        driver_problem(e, msg, len);
        return -1;
    }
    return 0;
}

static int plugin_info(int dev, rl_gpu_info *o, char *msg, size_t len)
{
    memset(o, 0, sizeof *o);
    o->ordinal = dev;
    cudaDeviceProp p;
    cudaError_t e = cudaGetDeviceProperties(&p, dev);
    if (e != cudaSuccess) {
        driver_problem(e, msg, len);
        return -1;
    }
    snprintf(o->name, sizeof o->name, "%.95s", p.name);
    cudaDeviceGetPCIBusId(o->pci_bus_id, (int)sizeof o->pci_bus_id, dev);
    o->cc_major = p.major;
    o->cc_minor = p.minor;
    o->sms = p.multiProcessorCount;
    cudaDeviceGetAttribute(&o->sm_clock_khz, cudaDevAttrClockRate, dev);
    cudaDeviceGetAttribute(&o->mem_clock_khz, cudaDevAttrMemoryClockRate, dev);
    cudaDeviceGetAttribute(&o->mem_bus_bits, cudaDevAttrGlobalMemoryBusWidth, dev);
    o->mem_bytes = p.totalGlobalMem;
    o->l2_bytes = (uint64_t)p.l2CacheSize;
    o->smem_per_sm_bytes = p.sharedMemPerMultiprocessor;
    o->smem_per_block_optin_bytes = p.sharedMemPerBlockOptin;
    o->max_threads_per_sm = p.maxThreadsPerMultiProcessor;
    o->regs_per_sm = p.regsPerMultiprocessor;
    cudaDriverGetVersion(&o->driver_version);
    cudaRuntimeGetVersion(&o->runtime_version);
    o->host_numa = -1;
    int numa = -1;
    if (cudaDeviceGetAttribute(&numa, cudaDevAttrHostNumaId, dev) == cudaSuccess && numa >= 0)
        o->host_numa = numa;
    size_t fr = 0, tot = 0;
    if (cudaSetDevice(dev) == cudaSuccess && cudaMemGetInfo(&fr, &tot) == cudaSuccess)
        o->mem_free_bytes = fr;
    cudaGetLastError();
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void fill_row_identity(rl_gpu_row *r, const row_def *d)
{
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", d->id);
    snprintf(r->kind, sizeof r->kind, "%s", d->kind);
    snprintf(r->path, sizeof r->path, "%s", d->path);
    snprintf(r->precision, sizeof r->precision, "%s", d->precision);
    snprintf(r->op, sizeof r->op, "%s", d->op);
    snprintf(r->insn, sizeof r->insn, "%s", d->insn);
    snprintf(r->kernel, sizeof r->kernel, "%s", d->kernel);
    snprintf(r->unit, sizeof r->unit, "%s", d->unit);
    r->clock_ghz = -1;
    r->best = r->median = r->min = -1;
}

static int wanted(const row_def *d, const rl_gpu_plan *plan)
{
    if (plan->only && *plan->only) {
        size_t n = strlen(d->id);
        for (const char *p = plan->only; *p;) {
            const char *e = strchr(p, ',');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l == n && !strncmp(p, d->id, n))
                return 1;
            p = e ? e + 1 : p + l;
        }
        return 0;
    }
    return plan->quick ? d->quick : 1;
}

/* One timed launch: event time in ms, SM clock in GHz from the blocks' own counters. */
static cudaError_t time_launch(run_ctx *c, const row_def *d, long long iters, double *ms,
                               double *work, double *ghz)
{
    cudaEvent_t e0, e1;
    cudaError_t e = cudaEventCreate(&e0);
    if (e != cudaSuccess)
        return e;
    if ((e = cudaEventCreate(&e1)) != cudaSuccess) {
        cudaEventDestroy(e0);
        return e;
    }
    cudaEventRecord(e0);
    *work = c->launch(c, iters);
    e = cudaGetLastError();
    cudaEventRecord(e1);
    if (e == cudaSuccess)
        e = cudaEventSynchronize(e1);
    float f = 0;
    if (e == cudaSuccess)
        e = cudaEventElapsedTime(&f, e0, e1);
    cudaEventDestroy(e0);
    cudaEventDestroy(e1);
    *ms = f;
    *ghz = -1;
    if (e == cudaSuccess) {
        rl_gpu_clk *h = (rl_gpu_clk *)malloc(sizeof *h * (size_t)c->blocks);
        if (h && cudaMemcpy(h, c->clk, sizeof *h * (size_t)c->blocks, cudaMemcpyDeviceToHost) ==
                     cudaSuccess) {
            double cyc = 0, ns = 0;
            for (int i = 0; i < c->blocks; i++) {
                cyc += (double)h[i].cycles;
                ns += (double)h[i].ns;
            }
            if (ns > 0)
                *ghz = cyc / ns;
        }
        free(h);
    }
    return e;
}

/* Calibrates iterations so one launch lasts at least min_ms; returns the launch's rate in *rate. */
static cudaError_t calibrate(run_ctx *c, const row_def *d, double min_ms, long long *iters,
                             double *rate)
{
    long long it = 1;
    double ms = 0, work = 0, ghz = 0;
    /* A first launch loads the module (lazy loading) and warms the clocks: not timed. */
    cudaError_t w = time_launch(c, d, 1, &ms, &work, &ghz);
    if (w != cudaSuccess)
        return w;
    for (int round = 0; round < 24; round++) {
        cudaError_t e = time_launch(c, d, it, &ms, &work, &ghz);
        if (e != cudaSuccess)
            return e;
        if (ms >= min_ms || it >= (1LL << 40))
            break;
        double grow = ms > 0.05 ? min_ms / ms * 1.1 : 8.0;
        if (grow < 1.5)
            grow = 1.5;
        if (grow > 64)
            grow = 64;
        it = (long long)ceil((double)it * grow);
    }
    *iters = it;
    *rate = ms > 0 ? work / (ms * 1e-3) : 0;
    return cudaSuccess;
}

static void free_buffers(run_ctx *c)
{
    cudaFree(c->a);
    cudaFree(c->b);
    cudaFree(c->c);
    cudaFree(c->l2);
    cudaFree(c->l1);
    c->a = c->b = c->c = c->l2 = c->l1 = NULL;
}

/* Buffers for a memory row, allocated on first use: three device-memory arrays of at least 8x the
 * L2 each (256 MiB quick, 1 GiB full, never more than an eighth of the free memory), an L2 working
 * set of a quarter of the L2, and per-block L1 slices. */
static cudaError_t ensure_buffers(run_ctx *c, const row_def *d, int quick, char *note, size_t nl)
{
    cudaError_t e = cudaSuccess;
    if (!strcmp(d->path, "DRAM") && !c->a) {
        size_t fr = 0, tot = 0;
        cudaMemGetInfo(&fr, &tot);
        size_t want = quick ? ((size_t)256 << 20) : ((size_t)1 << 30);
        size_t floor8 = (size_t)c->info->l2_bytes * 8;
        if (want < floor8)
            want = floor8;
        if (want > fr / 8)
            want = fr / 8;
        want &= ~(size_t)4095;
        if (want < floor8)
            snprintf(note, nl, "arrays of %zu MiB: under 8x the L2, so partly cached", want >> 20);
        if ((e = cudaMalloc(&c->a, want)) != cudaSuccess ||
            (e = cudaMalloc(&c->b, want)) != cudaSuccess ||
            (e = cudaMalloc(&c->c, want)) != cudaSuccess) {
            cudaGetLastError();
            free_buffers(c);
            snprintf(note, nl, "not run: out of device memory for 3 x %zu MiB", want >> 20);
            return e;
        }
        c->n4 = (long long)(want / 16);
        /* Non-zero contents, different per array. */
        rl_gpu_mem_write<<<c->info->sms * 4, 256>>>(c->a, c->n4, 1, 1.0f, c->clk);
        rl_gpu_mem_write<<<c->info->sms * 4, 256>>>(c->b, c->n4, 1, 2.0f, c->clk);
        rl_gpu_mem_write<<<c->info->sms * 4, 256>>>(c->c, c->n4, 1, 5.0f, c->clk);
        e = cudaDeviceSynchronize();
    }
    if (!strcmp(d->path, "L2") && !c->l2) {
        size_t want = (size_t)c->info->l2_bytes / 4;
        want -= want % (32 * 16);
        if (want < 32 * 16)
            want = 32 * 16;
        if ((e = cudaMalloc(&c->l2, want)) != cudaSuccess) {
            cudaGetLastError();
            snprintf(note, nl, "not run: out of device memory");
            return e;
        }
        c->l2_n4 = (long long)(want / 16);
        rl_gpu_mem_write<<<c->info->sms, 256>>>(c->l2, c->l2_n4, 1, 1.0f, c->clk);
        e = cudaDeviceSynchronize();
    }
    if (!strcmp(d->path, "L1") && !c->l1) {
        size_t want = (size_t)c->info->sms * 64 * 1024 * 16; /* up to 64 blocks per SM */
        if ((e = cudaMalloc(&c->l1, want)) != cudaSuccess) {
            cudaGetLastError();
            snprintf(note, nl, "not run: out of device memory");
            return e;
        }
        rl_gpu_mem_write<<<c->info->sms, 256>>>(c->l1, (long long)(want / 16), 1, 1.0f, c->clk);
        e = cudaDeviceSynchronize();
    }
    return e;
}

static uint64_t work_bytes(const run_ctx *c, const row_def *d)
{
    if (!strcmp(d->path, "DRAM"))
        return (uint64_t)c->n4 * 16 *
               (!strcmp(d->op, "triad")  ? 3
                : !strcmp(d->op, "copy") ? 2
                                         : 1);
    if (!strcmp(d->path, "L2"))
        return (uint64_t)c->l2_n4 * 16;
    if (!strcmp(d->path, "L1"))
        return (uint64_t)L1_BYTES_PER_BLOCK_REP;
    if (!strcmp(d->path, "shared"))
        return (uint64_t)SMEM_BYTES_PER_BLOCK_REP;
    return 0;
}

/* The kernel's result, checked against what its arithmetic must give. */
static int check_row(run_ctx *c, const row_def *d, long long iters, double one_iter, char *note,
                     size_t nl)
{
    float v = 0;
    if (cudaMemcpy(&v, c->out, sizeof v, cudaMemcpyDeviceToHost) != cudaSuccess)
        return snprintf(note, nl, "check failed: cannot read the result back"), -1;
    switch (d->check) {
    case CHECK_FMA8:
    case CHECK_FMA16: {
        double want = d->check == CHECK_FMA8 ? 8.0 : 16.0;
        if (!(fabs(v / want - 1.0) < 0.05))
            return snprintf(note, nl, "check failed: chains sum to %g, not %g", v, want), -1;
        return 0;
    }
    case CHECK_LINEAR:
        if (v == -1.0f)
            return snprintf(note, nl, "not run: no %s code for this GPU in the plugin", d->insn), 1;
        if (!(one_iter != 0 && fabs(v / (one_iter * (double)iters) - 1.0) < 1e-3))
            return snprintf(note, nl,
                            "check failed: accumulator %g after %lld iterations, %g after one", v,
                            iters, one_iter),
                   -1;
        return 0;
    case CHECK_GROWS:
        if (v == -1.0f)
            return snprintf(note, nl, "not run: no %s code for this GPU in the plugin", d->insn), 1;
        if (!(isfinite(v) && one_iter > 0 && v >= one_iter))
            return snprintf(note, nl,
                            "check failed: accumulator %g after %lld iterations, %g after one",
                            v, iters, one_iter),
                   -1;
        return 0;
    case CHECK_FINITE:
        if (!isfinite(v))
            return snprintf(note, nl, "check failed: sum not finite"), -1;
        return 0;
    case CHECK_COPY:
    case CHECK_TRIAD: {
        float4 x, y, z;
        long long last = c->n4 - 1;
        cudaMemcpy(&x, c->a + last, 16, cudaMemcpyDeviceToHost);
        cudaMemcpy(&y, c->b + last, 16, cudaMemcpyDeviceToHost);
        cudaMemcpy(&z, c->c + last, 16, cudaMemcpyDeviceToHost);
        int ok = d->check == CHECK_COPY
                     ? (y.x == x.x && y.w == x.w)
                     : (z.x == fmaf(3.0f, y.x, x.x) && z.w == fmaf(3.0f, y.w, x.w));
        if (!ok)
            return snprintf(note, nl, "check failed: the last element is wrong"), -1;
        return 0;
    }
    default:
        return 0;
    }
}

static void note_add(char *note, size_t nl, const char *text)
{
    size_t used = strlen(note);
    if (used + 3 >= nl)
        return;
    snprintf(note + used, nl - used, "%s%s", used ? "; " : "", text);
}

/* Runs one row. Returns 0 (row filled, measured or not), or -1 with msg when the device failed. */
static int run_row(run_ctx *c, const row_def *d, const rl_gpu_plan *plan, rl_gpu_row *r, char *msg,
                   size_t len, rl_nvml_device nvml)
{
    static const char *const kernel_names[3] = {"grid-stride", "tiled", "L2-prefetch"};
    int best_threads = 0, best_blocks = 0, tried = 0, best_kernel = 0;
    launch_fn best_launch = NULL;
    double best_trial = -1, one_iter = 0, rate = 0;
    long long iters = 0;
    fill_row_identity(r, d);
    const rl_gpu_info *in = c->info;
    int cc = in->cc_major * 10 + in->cc_minor;
    if (cc < d->min_cc || (d->only_cc && cc != d->only_cc)) {
        snprintf(r->note, sizeof r->note,
                 "not run: %s needs compute capability %s%d.%d (this GPU: %d.%d)", d->insn,
                 d->only_cc ? "" : ">= ", d->min_cc / 10, d->min_cc % 10, in->cc_major,
                 in->cc_minor);
        return 0;
    }
    cudaError_t e = ensure_buffers(c, d, plan->quick, r->note, sizeof r->note);
    if (e != cudaSuccess) {
        if (rl_gpu_is_sticky(e))
            goto sticky;
        if (!r->note[0])
            snprintf(r->note, sizeof r->note, "not run: %s", cudaGetErrorString(e));
        return 0;
    }
    r->work_bytes = work_bytes(c, d);

    /* The launch shape (one full wave) and, where the row has two, the kernel: a short trial of
     * each variant keeps the fastest. */
    for (int k = 0; k < 3; k++) {
        const void *func = k == 2 ? d->func3 : k ? d->func2 : d->func;
        launch_fn launch = k == 2 ? d->launch3 : k ? d->launch2 : d->launch;
        if (!func || !launch)
            continue;
        for (int v = 0; v < 3 && d->variants[v]; v++) {
            int per_sm = 0;
            if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, func, d->variants[v], 0) !=
                    cudaSuccess ||
                per_sm < 1) {
                cudaGetLastError();
                continue;
            }
            c->threads = d->variants[v];
            c->blocks = in->sms * per_sm;
            c->launch = launch;
            long long it = 0;
            e = calibrate(c, d, plan->min_ms / 4, &it, &rate);
            if (e != cudaSuccess) {
                if (rl_gpu_is_sticky(e) || rl_gpu_is_sticky(cudaDeviceSynchronize()))
                    goto sticky;
                cudaGetLastError();
                continue;
            }
            tried++;
            if (rate > best_trial) {
                best_trial = rate;
                best_threads = c->threads;
                best_blocks = c->blocks;
                best_launch = launch;
                best_kernel = k;
            }
        }
    }
    if (!best_threads) {
        snprintf(r->note, sizeof r->note, "not run: %s",
                 e != cudaSuccess ? cudaGetErrorString(e) : "no launch shape fits");
        return 0;
    }
    c->threads = best_threads;
    c->blocks = best_blocks;
    c->launch = best_launch;
    r->threads = best_threads;
    r->blocks = best_blocks;
    if (tried > 1) {
        char t[96];
        snprintf(t, sizeof t, "variant: %s%s%d threads x %d blocks (best of %d)",
                 d->func2 ? kernel_names[best_kernel] : "", d->func2 ? ", " : "", best_threads,
                 best_blocks, tried);
        note_add(r->note, sizeof r->note, t);
    }

    /* One iteration first, for the linearity check of the tensor-core rows. */
    if (d->check == CHECK_LINEAR || d->check == CHECK_GROWS) {
        double ms, work, ghz;
        if ((e = time_launch(c, d, 1, &ms, &work, &ghz)) != cudaSuccess)
            goto failed;
        float v = 0;
        cudaMemcpy(&v, c->out, sizeof v, cudaMemcpyDeviceToHost);
        one_iter = v;
    }
    if ((e = calibrate(c, d, plan->min_ms, &iters, &rate)) != cudaSuccess)
        goto failed;
    {
        int n = plan->repeats < 1 ? 1 : plan->repeats;
        double *rates = (double *)calloc((size_t)n, sizeof *rates);
        if (!rates)
            return rl_gpu_say(msg, len, "out of host memory"), -1;
        double best = -1, best_ghz = -1;
        int done = 0;
        /* NVML sampled on a host thread over the timed launches: power, clocks, reasons. */
        rl_nvml_sampler *sampler = rl_nvml_sampler_start(nvml);
        for (int k = 0; k < n; k++) {
            double ms, work, ghz;
            if ((e = time_launch(c, d, iters, &ms, &work, &ghz)) != cudaSuccess) {
                rl_nvml_sampler_stop(sampler, &r->power);
                free(rates);
                goto failed;
            }
            rates[done++] = work / (ms * 1e-3) / 1e9;
            if (rates[done - 1] > best) {
                best = rates[done - 1];
                best_ghz = ghz;
            }
        }
        rl_nvml_sampler_stop(sampler, &r->power);
        qsort(rates, (size_t)done, sizeof *rates, cmp_double);
        r->best = rates[done - 1];
        r->min = rates[0];
        r->median = done % 2 ? rates[done / 2] : (rates[done / 2 - 1] + rates[done / 2]) / 2;
        r->repeats = done;
        r->clock_ghz = best_ghz;
        free(rates);
    }
    {
        char cn[160] = "";
        int ck = check_row(c, d, iters, one_iter, cn, sizeof cn);
        if (ck != 0) {
            note_add(r->note, sizeof r->note, cn);
            if (ck > 0) { /* not built for this GPU: no rate */
                r->best = r->median = r->min = -1;
                return 0;
            }
            r->ok = 0;
            return 0;
        }
    }
    r->ok = 1;
    return 0;

failed:
    if (rl_gpu_is_sticky(e) || rl_gpu_is_sticky(cudaDeviceSynchronize()))
        goto sticky;
    cudaGetLastError();
    snprintf(r->note, sizeof r->note, "not run: %s", cudaGetErrorString(e));
    return 0;
sticky:
    snprintf(r->note, sizeof r->note, "failed: %s", cudaGetErrorString(e));
    rl_gpu_say(msg, len,
        "during %s: %s (%s); the device is unusable until it is reset "
        "(see the kernel log for an Xid)",
        d->id, cudaGetErrorString(e), cudaGetErrorName(e));
    return -1;
}

static int plugin_run(int dev, const rl_gpu_plan *plan, rl_gpu_row *rows, int cap, int *n,
                      char *msg, size_t len)
{
    *n = 0;
    rl_gpu_info info;
    if (plugin_info(dev, &info, msg, len) < 0)
        return -1;
    cudaError_t e = cudaSetDevice(dev);
    if (e != cudaSuccess)
        return driver_problem(e, msg, len), -1;
    run_ctx c;
    memset(&c, 0, sizeof c);
    c.info = &info;
    size_t max_threads =
        (size_t)info.sms * (size_t)(info.max_threads_per_sm > 0 ? info.max_threads_per_sm : 2048);
    size_t max_blocks = (size_t)info.sms * 64;
    if ((e = cudaMalloc(&c.out, max_threads * sizeof(float))) != cudaSuccess ||
        (e = cudaMalloc(&c.clk, max_blocks * sizeof(rl_gpu_clk))) != cudaSuccess) {
        driver_problem(e, msg, len);
        cudaFree(c.out);
        return -1;
    }
    int rc = 0;
    char nvml_why[160];
    rl_nvml_device nvml = rl_nvml_of(dev, nvml_why, sizeof nvml_why);
    for (size_t i = 0; i < N_ROWS && *n < cap; i++) {
        if (!wanted(&ROWS[i], plan))
            continue;
        if (plan->stop && *plan->stop)
            break;
        if (plan->progress) {
            char line[96];
            snprintf(line, sizeof line, "GPU %d: %s", dev, ROWS[i].id);
            plan->progress(plan->progress_user, line);
        }
        if (run_row(&c, &ROWS[i], plan, &rows[*n], msg, len, nvml) < 0) {
            (*n)++;
            rc = -1;
            break;
        }
        (*n)++;
    }
    free_buffers(&c);
    cudaFree(c.out);
    cudaFree(c.clk);
    return rc;
}

static int plugin_list(rl_gpu_row *rows, int cap, int *n)
{
    *n = 0;
    for (size_t i = 0; i < N_ROWS && *n < cap; i++)
        fill_row_identity(&rows[(*n)++], &ROWS[i]);
    return 0;
}

static const rl_gpu_api API = {RL_GPU_ABI_VERSION, plugin_count,       plugin_info,
                               plugin_run,         plugin_list,        rl_gpu_links_of,
                               rl_gpu_host_copies, rl_gpu_peer_copies, rl_gpu_latency_rows};

extern "C" __attribute__((visibility("default"))) const rl_gpu_api *rl_gpu_plugin_api(void)
{
    return &API;
}
