/* stream.cu: the memory kernels of the CUDA backend: device memory (read, write, copy, triad), L2,
 * L1 and shared memory. Every kernel moves 16-byte vectors (float4), coalesced across the warp,
 * with several loads in flight per thread; `reps` passes over the working set run in one launch so
 * a launch lasts long enough to time. Bytes counted are the bytes the kernel names (STREAM's
 * convention: a copy counts one read and one write), declared beside each kernel and turned into
 * rates by the harness only.
 *
 * The cache kernels re-read data that nothing writes, so the compiler could hoist the loads out of
 * the pass loop: each pass shifts its indices by one warp's worth (32 vectors), which keeps every
 * load in the loop and every warp's access conflict-free and coalesced. */
#include "kernels/cuda/gpu_int.cuh"

#define RL_GPU_MEM_UNROLL 4

__device__ __forceinline__ float4 rl_f4_add(float4 a, float4 b)
{
    return make_float4(a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w);
}

/* DRAM read: reps x n4 x 16 bytes. */
extern "C" __global__ void rl_gpu_mem_read(const float4 *__restrict__ a, long long n4,
                                           long long reps, float *out, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    const long long stride = (long long)gridDim.x * blockDim.x;
    float4 s = make_float4(0, 0, 0, 0);
    for (long long r = 0; r < reps; r++) {
        long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
        for (; i + (RL_GPU_MEM_UNROLL - 1) * stride < n4; i += RL_GPU_MEM_UNROLL * stride) {
            float4 v[RL_GPU_MEM_UNROLL];
#pragma unroll
            for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)
                v[u] = __ldcs(a + i + u * stride);
#pragma unroll
            for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)
                s = rl_f4_add(s, v[u]);
        }
        for (; i < n4; i += stride)
            s = rl_f4_add(s, __ldcs(a + i));
    }
    out[blockIdx.x * blockDim.x + threadIdx.x] = s.x + s.y + s.z + s.w;
    RL_GPU_CLK_END(clk)
}

/* DRAM write: reps x n4 x 16 bytes. */
extern "C" __global__ void rl_gpu_mem_write(float4 *__restrict__ a, long long n4, long long reps,
                                            float v, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long r = 0; r < reps; r++) {
        const float4 x = make_float4(v, v + 1.0f, v + 2.0f, (float)r);
        for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += stride)
            __stcs(a + i, x);
    }
    RL_GPU_CLK_END(clk)
}

/* DRAM copy b = a: reps x n4 x 32 bytes. */
extern "C" __global__ void rl_gpu_mem_copy(const float4 *__restrict__ a, float4 *__restrict__ b,
                                           long long n4, long long reps, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long r = 0; r < reps; r++) {
        long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
        for (; i + (RL_GPU_MEM_UNROLL - 1) * stride < n4; i += RL_GPU_MEM_UNROLL * stride) {
            float4 v[RL_GPU_MEM_UNROLL];
#pragma unroll
            for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)
                v[u] = __ldcs(a + i + u * stride);
#pragma unroll
            for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)
                __stcs(b + i + u * stride, v[u]);
        }
        for (; i < n4; i += stride)
            __stcs(b + i, __ldcs(a + i));
    }
    RL_GPU_CLK_END(clk)
}

/* DRAM triad a = b + s * c: reps x n4 x 48 bytes, 2 FLOPs per element. */
extern "C" __global__ void rl_gpu_mem_triad(float4 *__restrict__ a, const float4 *__restrict__ b,
                                            const float4 *__restrict__ c, float s, long long n4,
                                            long long reps, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long r = 0; r < reps; r++) {
        long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
        for (; i + (RL_GPU_MEM_UNROLL - 1) * stride < n4; i += RL_GPU_MEM_UNROLL * stride) {
            float4 x[RL_GPU_MEM_UNROLL], y[RL_GPU_MEM_UNROLL];
#pragma unroll
            for (int u = 0; u < RL_GPU_MEM_UNROLL; u++) {
                x[u] = __ldcs(b + i + u * stride);
                y[u] = __ldcs(c + i + u * stride);
            }
#pragma unroll
            for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)
                __stcs(a + i + u * stride,
                       make_float4(fmaf(s, y[u].x, x[u].x), fmaf(s, y[u].y, x[u].y),
                                   fmaf(s, y[u].z, x[u].z), fmaf(s, y[u].w, x[u].w)));
        }
        for (; i < n4; i += stride) {
            const float4 x = __ldcs(b + i), y = __ldcs(c + i);
            __stcs(a + i, make_float4(fmaf(s, y.x, x.x), fmaf(s, y.y, x.y), fmaf(s, y.z, x.z),
                                      fmaf(s, y.w, x.w)));
        }
    }
    RL_GPU_CLK_END(clk)
}

/* L2 read: a buffer a fraction of the L2, read reps times through L2 only (ld.global.cg skips L1):
 * reps x n4 x 16 bytes. n4 must be a multiple of 32. */
extern "C" __global__ void rl_gpu_l2_read(const float4 *__restrict__ a, long long n4,
                                          long long reps, float *out, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    const long long stride = (long long)gridDim.x * blockDim.x;
    float4 s = make_float4(0, 0, 0, 0);
    for (long long r = 0; r < reps; r++) {
        const long long shift = (r * 32) % n4;
        long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
        for (; i + (RL_GPU_MEM_UNROLL - 1) * stride < n4; i += RL_GPU_MEM_UNROLL * stride) {
            float4 v[RL_GPU_MEM_UNROLL];
#pragma unroll
            for (int u = 0; u < RL_GPU_MEM_UNROLL; u++) {
                long long j = i + u * stride + shift;
                v[u] = __ldcg(a + (j >= n4 ? j - n4 : j));
            }
#pragma unroll
            for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)
                s = rl_f4_add(s, v[u]);
        }
        for (; i < n4; i += stride) {
            long long j = i + shift;
            s = rl_f4_add(s, __ldcg(a + (j >= n4 ? j - n4 : j)));
        }
    }
    out[blockIdx.x * blockDim.x + threadIdx.x] = s.x + s.y + s.z + s.w;
    RL_GPU_CLK_END(clk)
}

/* L1 read: each block re-reads its own RL_GPU_L1_VEC-vector slice through L1 (ld.global.ca):
 * reps x RL_GPU_L1_VEC x 16 bytes per block. */
#define RL_GPU_L1_VEC 1024 /* 16 KiB per block */
extern "C" __global__ void rl_gpu_l1_read(const float4 *__restrict__ a, long long reps, float *out,
                                          rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    const float4 *slice = a + (long long)blockIdx.x * RL_GPU_L1_VEC;
    float4 s = make_float4(0, 0, 0, 0);
    for (long long r = 0; r < reps; r++) {
        const unsigned shift = (unsigned)(r * 32);
#pragma unroll 4
        for (unsigned i = threadIdx.x; i < RL_GPU_L1_VEC; i += blockDim.x)
            s = rl_f4_add(s, __ldca(slice + ((i + shift) & (RL_GPU_L1_VEC - 1))));
    }
    out[blockIdx.x * blockDim.x + threadIdx.x] = s.x + s.y + s.z + s.w;
    RL_GPU_CLK_END(clk)
}

/* Shared memory read: each block fills RL_GPU_SMEM_VEC vectors, then reads them reps times:
 * reps x RL_GPU_SMEM_VEC x 16 bytes per block. */
#define RL_GPU_SMEM_VEC 2048 /* 32 KiB per block */
extern "C" __global__ void rl_gpu_smem_read(long long reps, float *out, rl_gpu_clk *clk)
{
    __shared__ float4 buf[RL_GPU_SMEM_VEC];
    for (unsigned i = threadIdx.x; i < RL_GPU_SMEM_VEC; i += blockDim.x)
        buf[i] = make_float4((float)i, 1.0f, 2.0f, 3.0f);
    __syncthreads();
    RL_GPU_CLK_BEGIN
    float4 s = make_float4(0, 0, 0, 0);
    for (long long r = 0; r < reps; r++) {
        const unsigned shift = (unsigned)(r * 32);
#pragma unroll 8
        for (unsigned i = threadIdx.x; i < RL_GPU_SMEM_VEC; i += blockDim.x)
            s = rl_f4_add(s, buf[(i + shift) & (RL_GPU_SMEM_VEC - 1)]);
    }
    out[blockIdx.x * blockDim.x + threadIdx.x] = s.x + s.y + s.z + s.w;
    RL_GPU_CLK_END(clk)
}

/* ---- Tiled variants of the device-memory kernels: each block walks contiguous tiles of
 * blockDim x RL_GPU_MEM_UNROLL vectors, thread t taking vectors t, t + blockDim, ... of a tile, so a
 * warp's loads in flight stay within a few DRAM pages (the grid-stride kernels above spread them a
 * grid apart). Which one is faster depends on the memory system: the harness tries both. ---- */

#define RL_GPU_TILED_BODY(PER_VECTOR)                                                              \
    const long long tile = (long long)blockDim.x * RL_GPU_MEM_UNROLL;                             \
    for (long long r = 0; r < reps; r++)                                                           \
        for (long long base = (long long)blockIdx.x * tile; base < n4;                             \
             base += (long long)gridDim.x * tile) {                                                \
            _Pragma("unroll") for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)                          \
            {                                                                                      \
                const long long i = base + (long long)u * blockDim.x + threadIdx.x;                \
                if (i < n4) {                                                                      \
                    PER_VECTOR;                                                                    \
                }                                                                                  \
            }                                                                                      \
        }

extern "C" __global__ void rl_gpu_mem_read_tiled(const float4 *__restrict__ a, long long n4,
                                                 long long reps, float *out, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    float4 s = make_float4(0, 0, 0, 0);
    RL_GPU_TILED_BODY(s = rl_f4_add(s, __ldcs(a + i)))
    out[blockIdx.x * blockDim.x + threadIdx.x] = s.x + s.y + s.z + s.w;
    RL_GPU_CLK_END(clk)
}

extern "C" __global__ void rl_gpu_mem_write_tiled(float4 *__restrict__ a, long long n4,
                                                  long long reps, float v, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    const float4 x = make_float4(v, v + 1.0f, v + 2.0f, v + 3.0f);
    RL_GPU_TILED_BODY(__stcs(a + i, x))
    RL_GPU_CLK_END(clk)
}

extern "C" __global__ void rl_gpu_mem_copy_tiled(const float4 *__restrict__ a,
                                                 float4 *__restrict__ b, long long n4,
                                                 long long reps, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    RL_GPU_TILED_BODY(__stcs(b + i, __ldcs(a + i)))
    RL_GPU_CLK_END(clk)
}

extern "C" __global__ void rl_gpu_mem_triad_tiled(float4 *__restrict__ a,
                                                  const float4 *__restrict__ b,
                                                  const float4 *__restrict__ c, float s,
                                                  long long n4, long long reps, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    RL_GPU_TILED_BODY(const float4 x = __ldcs(b + i); const float4 y = __ldcs(c + i);
                      __stcs(a + i, make_float4(fmaf(s, y.x, x.x), fmaf(s, y.y, x.y),
                                                fmaf(s, y.z, x.z), fmaf(s, y.w, x.w))))
    RL_GPU_CLK_END(clk)
}

/* ---- Prefetching variants (sm_80+): the grid-stride kernels with loads that ask L2 to fetch the
 * whole 256-byte sector group around each access (ld.global.nc.L2::256B) and skip L1. ---- */

__device__ __forceinline__ float4 rl_gpu_ld_pf(const float4 *p)
{
    float4 v;
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
    asm volatile("ld.global.nc.L1::no_allocate.L2::256B.v4.f32 {%0,%1,%2,%3}, [%4];"
                 : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w)
                 : "l"(p));
#else
    v = __ldcs(p);
#endif
    return v;
}

#define RL_GPU_STRIDE_BODY(LOADS, USE)                                                             \
    const long long stride = (long long)gridDim.x * blockDim.x;                                    \
    for (long long r = 0; r < reps; r++) {                                                         \
        long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;                            \
        for (; i + (RL_GPU_MEM_UNROLL - 1) * stride < n4; i += RL_GPU_MEM_UNROLL * stride) {       \
            float4 x[RL_GPU_MEM_UNROLL], y[RL_GPU_MEM_UNROLL];                                     \
            _Pragma("unroll") for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)                          \
            {                                                                                      \
                const long long j = i + u * stride;                                                \
                LOADS;                                                                             \
            }                                                                                      \
            _Pragma("unroll") for (int u = 0; u < RL_GPU_MEM_UNROLL; u++)                          \
            {                                                                                      \
                const long long j = i + u * stride;                                                \
                USE;                                                                               \
            }                                                                                      \
        }                                                                                          \
        for (; i < n4; i += stride) {                                                              \
            const int u = 0;                                                                       \
            float4 x[1], y[1];                                                                     \
            const long long j = i;                                                                 \
            LOADS;                                                                                 \
            USE;                                                                                   \
        }                                                                                          \
    }

extern "C" __global__ void rl_gpu_mem_read_pf(const float4 *__restrict__ a, long long n4,
                                              long long reps, float *out, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    float4 s = make_float4(0, 0, 0, 0);
    RL_GPU_STRIDE_BODY(x[u] = rl_gpu_ld_pf(a + j); (void)y, (void)j; s = rl_f4_add(s, x[u]))
    out[blockIdx.x * blockDim.x + threadIdx.x] = s.x + s.y + s.z + s.w;
    RL_GPU_CLK_END(clk)
}

extern "C" __global__ void rl_gpu_mem_copy_pf(const float4 *__restrict__ a, float4 *__restrict__ b,
                                              long long n4, long long reps, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    RL_GPU_STRIDE_BODY(x[u] = rl_gpu_ld_pf(a + j); (void)y, __stcs(b + j, x[u]))
    RL_GPU_CLK_END(clk)
}

extern "C" __global__ void rl_gpu_mem_triad_pf(float4 *__restrict__ a, const float4 *__restrict__ b,
                                               const float4 *__restrict__ c, float s, long long n4,
                                               long long reps, rl_gpu_clk *clk)
{
    RL_GPU_CLK_BEGIN
    RL_GPU_STRIDE_BODY(x[u] = rl_gpu_ld_pf(b + j); y[u] = rl_gpu_ld_pf(c + j),
                       __stcs(a + j, make_float4(fmaf(s, y[u].x, x[u].x), fmaf(s, y[u].y, x[u].y),
                                                 fmaf(s, y[u].z, x[u].z), fmaf(s, y[u].w, x[u].w))))
    RL_GPU_CLK_END(clk)
}
