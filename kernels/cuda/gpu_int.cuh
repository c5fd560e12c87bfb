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

#endif
