/* latency.cu: kernel launch overhead and pointer-chase latency.
 *
 * Launch: an empty kernel (rl_gpu_empty), 2000 launches back to back and then one
 * synchronisation (the cost of a launch in a stream), and 500 launches each followed by
 * cudaStreamSynchronize (a launch's round trip); host wall clock.
 *
 * Chase: one thread follows a chain of addresses (each load's address is the previous load's
 * value, so loads cannot overlap, and nothing but the load sits between them) through a working
 * set sized for one level: 16 KiB for L1 (loads cached in L1: ld.global.ca), 4 MiB for L2
 * (ld.global.cg: L1 bypassed; a quarter of the L2 on GPUs under 16 MiB) and 8 x the L2, at least
 * 256 MiB, for device memory (ld.global.cg). The chain visits slots 64 bytes apart in a random
 * cyclic order, as gpu-benches' gpu-latency does, so no prefetch helps; beyond the TLB's reach its
 * misses are part of the device-memory figure. One pass warms the set, the next is timed with
 * clock64 (cycles) and %globaltimer (ns). */
#include <chrono>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/cuda/gpu_int.cuh"

extern "C" __global__ void rl_gpu_empty(void) {}

/* The chase, L1-cached loads: each element holds the address of the next, so a step is one load
 * and nothing else (no index arithmetic between loads). out[0] the final address (so the chain is
 * not dead code), cyc/ns the timed pass. */
extern "C" __global__ void rl_gpu_chase_ca(const unsigned long long *start, long long steps,
                                           unsigned long long *out, unsigned long long *cyc,
                                           unsigned long long *ns)
{
    const unsigned long long *p = start;
    for (long long i = 0; i < steps; i++)
        p = (const unsigned long long *)__ldca(p);
    const unsigned long long c0 = clock64(), t0 = rl_gpu_globaltimer();
    for (long long i = 0; i < steps; i++)
        p = (const unsigned long long *)__ldca(p);
    const unsigned long long c1 = clock64(), t1 = rl_gpu_globaltimer();
    out[0] = (unsigned long long)p;
    *cyc = c1 - c0;
    *ns = t1 - t0;
}

/* The chase through L2 (L1 bypassed). */
extern "C" __global__ void rl_gpu_chase_cg(const unsigned long long *start, long long steps,
                                           unsigned long long *out, unsigned long long *cyc,
                                           unsigned long long *ns)
{
    const unsigned long long *p = start;
    for (long long i = 0; i < steps; i++)
        p = (const unsigned long long *)__ldcg(p);
    const unsigned long long c0 = clock64(), t0 = rl_gpu_globaltimer();
    for (long long i = 0; i < steps; i++)
        p = (const unsigned long long *)__ldcg(p);
    const unsigned long long c1 = clock64(), t1 = rl_gpu_globaltimer();
    out[0] = (unsigned long long)p;
    *cyc = c1 - c0;
    *ns = t1 - t0;
}

static double host_ns(void)
{
    return (double)std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

static void fill(rl_gpu_latency *r, const char *id, const char *level)
{
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", id);
    snprintf(r->level, sizeof r->level, "%s", level);
    r->ns = r->cycles = r->clock_ghz = -1;
}

/* A random cyclic chain over the `bytes / stride` slots of the device buffer at `base`, one slot
 * every `stride` bytes (Sattolo's shuffle: one cycle through every slot), each slot holding the
 * device address of the next; host memory laid out as the device buffer. */
static unsigned long long *make_chain(unsigned long long base, size_t bytes, size_t stride,
                                      size_t *lines)
{
    size_t n = bytes / stride, step = stride / sizeof(unsigned long long);
    unsigned long long *h = (unsigned long long *)calloc(bytes / 8, 8);
    size_t *order = (size_t *)malloc(n * sizeof *order);
    if (!h || !order) {
        free(h);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    unsigned long long x = 0x9E3779B97F4A7C15ULL; /* fixed seed: the same chain every run */
    for (size_t i = n - 1; i > 0; i--) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t k = (size_t)(x % i);
        size_t t = order[i];
        order[i] = order[k];
        order[k] = t;
    }
    for (size_t i = 0; i < n; i++)
        h[order[i] * step] = base + order[(i + 1) % n] * stride;
    free(order);
    *lines = n;
    return h;
}

static cudaError_t chase(rl_gpu_latency *r, int l1, size_t bytes, size_t stride, long long steps)
{
    size_t lines = 0;
    unsigned long long *d = NULL, *out = NULL, *t = NULL, ht[2] = {0, 0};
    cudaError_t e = cudaMalloc(&d, bytes);
    if (e != cudaSuccess) {
        cudaGetLastError();
        snprintf(r->note, sizeof r->note, "not run: out of device memory for %zu MiB",
                 bytes >> 20);
        return cudaSuccess;
    }
    unsigned long long *h = make_chain((unsigned long long)d, bytes, stride, &lines);
    if (!h) {
        cudaFree(d);
        snprintf(r->note, sizeof r->note, "not run: out of host memory");
        return cudaSuccess;
    }
    e = cudaMalloc(&out, sizeof *out);
    if (e == cudaSuccess)
        e = cudaMalloc(&t, 2 * sizeof *t);
    if (e == cudaSuccess)
        e = cudaMemcpy(d, h, bytes, cudaMemcpyHostToDevice);
    if (e == cudaSuccess) {
        if (l1)
            rl_gpu_chase_ca<<<1, 1>>>(d, steps, out, t, t + 1);
        else
            rl_gpu_chase_cg<<<1, 1>>>(d, steps, out, t, t + 1);
        e = cudaGetLastError();
    }
    if (e == cudaSuccess)
        e = cudaMemcpy(ht, t, sizeof ht, cudaMemcpyDeviceToHost);
    if (e == cudaSuccess && ht[0] > 0 && ht[1] > 0) {
        r->ok = 1;
        r->cycles = (double)ht[0] / (double)steps;
        r->ns = (double)ht[1] / (double)steps;
        r->clock_ghz = (double)ht[0] / (double)ht[1];
        r->work_bytes = bytes;
        r->stride_bytes = stride;
        snprintf(r->note, sizeof r->note,
                 "%zu slots %zu B apart in random order, %lld dependent loads", lines, stride,
                 steps);
    } else if (e != cudaSuccess) {
        snprintf(r->note, sizeof r->note, "not run: %s", cudaGetErrorString(e));
    }
    cudaFree(d);
    cudaFree(out);
    cudaFree(t);
    free(h);
    return e;
}

int rl_gpu_latency_rows(int dev, const rl_gpu_plan *plan, rl_gpu_latency *rows, int cap, int *n,
                        char *msg, size_t len)
{
    *n = 0;
    if (cap < 5)
        return rl_gpu_say(msg, len, "latency: room for %d rows, 5 needed", cap), -1;
    cudaError_t e = cudaSetDevice(dev);
    if (e != cudaSuccess)
        return rl_gpu_say(msg, len, "latency: %s", cudaGetErrorString(e)), -1;
    cudaDeviceProp p;
    cudaGetDeviceProperties(&p, dev);
    cudaStream_t s;
    if ((e = cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking)) != cudaSuccess)
        return rl_gpu_say(msg, len, "latency: %s", cudaGetErrorString(e)), -1;
    int quick = plan->quick;
    /* Launch overhead: best of the repeats. */
    rl_gpu_latency *a = &rows[(*n)++], *b = &rows[(*n)++];
    fill(a, "launch", "launch");
    fill(b, "launch-sync", "launch");
    rl_gpu_empty<<<1, 1, 0, s>>>(); /* loads the module */
    e = cudaStreamSynchronize(s);
    int reps = plan->repeats < 1 ? 1 : plan->repeats;
    for (int t = 0; t < reps && e == cudaSuccess; t++) {
        int nb = quick ? 500 : 2000, ns_ = quick ? 100 : 500;
        double t0 = host_ns();
        for (int i = 0; i < nb; i++)
            rl_gpu_empty<<<1, 1, 0, s>>>();
        e = cudaStreamSynchronize(s);
        double per = (host_ns() - t0) / nb;
        if (a->ns < 0 || per < a->ns)
            a->ns = per;
        t0 = host_ns();
        for (int i = 0; i < ns_ && e == cudaSuccess; i++) {
            rl_gpu_empty<<<1, 1, 0, s>>>();
            e = cudaStreamSynchronize(s);
        }
        per = (host_ns() - t0) / ns_;
        if (b->ns < 0 || per < b->ns)
            b->ns = per;
    }
    a->ok = b->ok = e == cudaSuccess;
    snprintf(a->note, sizeof a->note, "empty kernel, 1 x 1 threads, back to back; best of %d",
             reps);
    snprintf(b->note, sizeof b->note, "empty kernel, synchronised after each; best of %d", reps);
    cudaStreamDestroy(s);
    /* Pointer chases. */
    rl_gpu_latency *c1 = &rows[(*n)++], *c2 = &rows[(*n)++], *c3 = &rows[(*n)++];
    fill(c1, "chase-l1", "L1");
    fill(c2, "chase-l2", "L2");
    fill(c3, "chase-dram", "DRAM");
    size_t l2 = (size_t)p.l2CacheSize, dram = (size_t)256 << 20;
    size_t l2_set = l2 >= ((size_t)16 << 20) ? ((size_t)4 << 20) : l2 / 4;
    if (dram < l2 * 8)
        dram = (l2 * 8 + ((size_t)1 << 20) - 1) & ~(((size_t)1 << 20) - 1);
    if (e == cudaSuccess)
        e = chase(c1, 1, (size_t)16 << 10, 64, quick ? 100000 : 1000000);
    if (e == cudaSuccess)
        e = chase(c2, 0, l2_set, 64, quick ? 100000 : 1000000);
    if (e == cudaSuccess)
        e = chase(c3, 0, dram, 64, quick ? 20000 : 200000);
    if (e != cudaSuccess && rl_gpu_is_sticky(e))
        return rl_gpu_say(msg, len, "during latency: %s (%s)", cudaGetErrorString(e),
                          cudaGetErrorName(e)),
               -1;
    cudaGetLastError();
    return 0;
}
