/* gpu_int.cuh: what the CUDA kernel files and the plugin harness share (private to kernels/cuda/).
 *
 * Every kernel takes `iters` (how many times its loop body runs; the harness calibrates it so one
 * launch lasts long enough to time) and a per-block clock record: thread 0 of each block reads the
 * SM cycle counter (clock64) and the global nanosecond timer (%globaltimer) when the block starts
 * and when it ends, so the harness can compute the clock the SMs really ran at during that launch
 * (cycles / nanoseconds), never a nominal one. */
#ifndef RL_GPU_INT_CUH
#define RL_GPU_INT_CUH

#include <stdint.h>

typedef struct rl_gpu_clk {
    unsigned long long cycles;
    unsigned long long ns;
} rl_gpu_clk;

__device__ __forceinline__ unsigned long long rl_gpu_globaltimer(void)
{
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

#define RL_GPU_CLK_BEGIN                                                                           \
    const unsigned long long rl_c0_ = clock64();                                                   \
    const unsigned long long rl_t0_ = rl_gpu_globaltimer();

#define RL_GPU_CLK_END(clk)                                                                        \
    __syncthreads();                                                                               \
    if (threadIdx.x == 0) {                                                                        \
        (clk)[blockIdx.x].cycles = clock64() - rl_c0_;                                             \
        (clk)[blockIdx.x].ns = rl_gpu_globaltimer() - rl_t0_;                                      \
    }

/* ---- the plugin's parts, shared between its files (the .cu files of kernels/cuda/) ---- */
#ifdef __CUDACC__
#include <cuda_runtime.h>
#include <stddef.h>

#include "kernels/cuda/gpu_abi.h"

/* NVML, opened with dlopen (nvml.cu): the plugin needs no NVML at link time, and a machine
 * without libnvidia-ml.so.1 runs every row and says that power, clocks and links are unknown. */
typedef struct nvmlDevice_st *rl_nvml_device;
/* The NVML handle of CUDA device `dev`, or NULL with why (of len bytes). */
rl_nvml_device rl_nvml_of(int dev, char *why, size_t len);
/* PCIe as trained and at most, NVLink links and their far ends, power limits. */
void rl_nvml_links(rl_nvml_device h, int n_cuda, rl_gpu_links *out);

/* A host thread sampling one device every few milliseconds while a row runs. */
typedef struct rl_nvml_sampler rl_nvml_sampler;
rl_nvml_sampler *rl_nvml_sampler_start(rl_nvml_device h); /* NULL: h NULL or no thread */
void rl_nvml_sampler_stop(rl_nvml_sampler *s, rl_gpu_power *out); /* frees s; NULL: zeroes out */

/* Errors that leave the context unusable: the run must stop (plugin.cu). */
int rl_gpu_is_sticky(cudaError_t e);
void rl_gpu_say(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The plugin's entries in copies.cu and latency.cu (kernels/cuda/gpu_abi.h says what each does). */
int rl_gpu_links_of(int dev, rl_gpu_links *links, char *msg, size_t len);
int rl_gpu_host_copies(int dev, const rl_gpu_plan *plan, rl_gpu_copy *rows, int cap, int *n,
                       char *msg, size_t len);
int rl_gpu_peer_copies(const int *devs, int n_devs, const rl_gpu_plan *plan, rl_gpu_copy *rows,
                       int cap, int *n, char *msg, size_t len);
int rl_gpu_latency_rows(int dev, const rl_gpu_plan *plan, rl_gpu_latency *rows, int cap, int *n,
                        char *msg, size_t len);
#endif

#endif
