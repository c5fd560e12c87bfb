/* gpu.h: finds the CUDA plugin (libroofline-cuda.so) and asks it which GPUs this machine has.
 *
 * The plugin is optional: where it was not built (no nvcc) or cannot load, there is simply no GPU
 * backend and every caller says so in words; nothing here is an error of the run. The search order:
 * $RL_CUDA_PLUGIN (a path), then libroofline-cuda.so beside the running executable, then
 * ../lib/roofline/libroofline-cuda.so relative to it (make install). */
#ifndef RL_GPU_H
#define RL_GPU_H

#include <stddef.h>

#include "kernels/cuda/gpu_abi.h"

typedef struct rl_gpu_backend rl_gpu_backend;

/* Returns the loaded plugin, or NULL with the reason in `why` (of `len` bytes). */
rl_gpu_backend *rl_gpu_open(char *why, size_t len);
void rl_gpu_close(rl_gpu_backend *b); /* accepts NULL */
const rl_gpu_api *rl_gpu_api_of(const rl_gpu_backend *b);

/* The GPUs the plugin sees: 0 with *n set (possibly 0), or -1 with the reason in `why` (no driver,
 * a driver older than the runtime, no device). */
int rl_gpu_count(const rl_gpu_backend *b, int *n, char *why, size_t len);

#endif
