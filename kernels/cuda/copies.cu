/* copies.cu: the GPU's links (rl_gpu_links_of), the host links (rl_gpu_host_copies: host to
 * device, device to host and both at once on two streams, from pinned and from pageable memory, a
 * size sweep of 4 KiB to 1 GiB) and the GPU-to-GPU copies (rl_gpu_peer_copies: each ordered pair
 * with peer access on and off, then every pair at once). Copies are the copy engines' work
 * (cudaMemcpyAsync, cudaMemcpyPeerAsync), timed with CUDA events; each size runs enough copies
 * back to back to last a few milliseconds, and the best of plan->repeats is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernels/cuda/gpu_int.cuh"

#define MIN_SIZE     ((size_t)4 << 10)
#define MAX_SIZE     ((size_t)1 << 30)
#define MAX_SIZE_Q   ((size_t)64 << 20)
#define BURST_BYTES  ((size_t)256 << 20) /* copies per timing: at least this many bytes */
#define MAX_BURST    2000
#define WAKE_BYTES   ((size_t)64 << 20)
#define PEER_SIZE_Q  ((size_t)64 << 20)

int rl_gpu_links_of(int dev, rl_gpu_links *o, char *msg, size_t len)
{
    memset(o, 0, sizeof *o);
    o->power_limit_w = o->power_default_w = -1;
    if (cudaSetDevice(dev) != cudaSuccess) {
        cudaGetLastError();
        rl_gpu_say(msg, len, "cannot select GPU %d", dev);
        return -1;
    }
    rl_nvml_device h = rl_nvml_of(dev, o->nvml, sizeof o->nvml);
    if (!h)
        return 0;
    /* An idle GPU lowers its PCIe generation to save power: the link is read while host-to-device
     * copies keep it busy (where they cannot be set up, it is read as it is). */
    void *host = NULL, *devbuf = NULL;
    cudaStream_t s = NULL;
    int busy = cudaMallocHost(&host, WAKE_BYTES) == cudaSuccess &&
               cudaMalloc(&devbuf, WAKE_BYTES) == cudaSuccess &&
               cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking) == cudaSuccess;
    for (int i = 0; busy && i < 16; i++)
        cudaMemcpyAsync(devbuf, host, WAKE_BYTES, cudaMemcpyHostToDevice, s);
    int n_cuda = 0;
    cudaGetDeviceCount(&n_cuda);
    rl_nvml_links(h, n_cuda, o);
    if (s)
        cudaStreamSynchronize(s);
    cudaStreamDestroy(s);
    cudaFree(devbuf);
    cudaFreeHost(host);
    cudaGetLastError();
    return 0;
}

/* Copies `reps` x `size` bytes (both directions when bidir), timed from the first to the last;
 * GB/s, or <0 with e set. */
static double time_copies(void *dst, const void *src, void *dst2, const void *src2, size_t size,
                          int reps, int kind, cudaStream_t s1, cudaStream_t s2, cudaError_t *e)
{
    cudaEvent_t a, b, c;
    *e = cudaEventCreate(&a);
    if (*e != cudaSuccess)
        return -1;
    cudaEventCreate(&b);
    cudaEventCreate(&c);
    cudaEventRecord(a, s1);
    if (kind == 2) /* both at once: the second stream starts with the first */
        cudaStreamWaitEvent(s2, a, 0);
    for (int i = 0; i < reps; i++) {
        if (kind == 0 || kind == 2)
            cudaMemcpyAsync(dst, src, size, cudaMemcpyHostToDevice, s1);
        if (kind == 1)
            cudaMemcpyAsync(dst, src, size, cudaMemcpyDeviceToHost, s1);
        if (kind == 2)
            cudaMemcpyAsync(dst2, src2, size, cudaMemcpyDeviceToHost, s2);
    }
    if (kind == 2) {
        cudaEventRecord(c, s2);
        cudaStreamWaitEvent(s1, c, 0);
    }
    cudaEventRecord(b, s1);
    *e = cudaEventSynchronize(b);
    float ms = 0;
    if (*e == cudaSuccess)
        *e = cudaEventElapsedTime(&ms, a, b);
    cudaEventDestroy(a);
    cudaEventDestroy(b);
    cudaEventDestroy(c);
    if (*e != cudaSuccess || ms <= 0)
        return -1;
    return (double)size * reps * (kind == 2 ? 2 : 1) / (ms * 1e-3) / 1e9;
}

static int reps_for(size_t size)
{
    size_t r = BURST_BYTES / size;
    return r < 1 ? 1 : r > MAX_BURST ? MAX_BURST : (int)r;
}

int rl_gpu_host_copies(int dev, const rl_gpu_plan *plan, rl_gpu_copy *rows, int cap, int *n,
                       char *msg, size_t len)
{
    *n = 0;
    cudaError_t e = cudaSetDevice(dev);
    if (e != cudaSuccess)
        return rl_gpu_say(msg, len, "host links: %s", cudaGetErrorString(e)), -1;
    /* Four host buffers and two device buffers of the largest size: each kind of memory keeps
     * at least three quarters free (a VM's RAM may be small at first). */
    size_t top = plan->quick ? MAX_SIZE_Q : MAX_SIZE, fr = 0, tot = 0;
    cudaMemGetInfo(&fr, &tot);
    long pages = sysconf(_SC_PHYS_PAGES), pagesz = sysconf(_SC_PAGESIZE);
    size_t host = pages > 0 && pagesz > 0 ? (size_t)pages * (size_t)pagesz : 0;
    while (top > MIN_SIZE && (top * 2 > fr / 4 || (host && top * 4 > host / 4)))
        top /= 2;
    /* Two host buffers of each kind and two device buffers: both directions at once. */
    void *pin[2] = {NULL, NULL}, *page[2] = {NULL, NULL}, *d[2] = {NULL, NULL};
    cudaStream_t s1 = NULL, s2 = NULL;
    char why[96] = "";
    for (int i = 0; i < 2; i++) {
        if (cudaMallocHost(&pin[i], top) != cudaSuccess)
            snprintf(why, sizeof why, "cannot pin %zu MiB of host memory", top >> 20);
        if (cudaMalloc(&d[i], top) != cudaSuccess)
            snprintf(why, sizeof why, "out of device memory for 2 x %zu MiB", top >> 20);
        page[i] = malloc(top);
        if (!page[i])
            snprintf(why, sizeof why, "out of host memory");
        else
            memset(page[i], 1, top); /* touched: resident on the bound NUMA node */
    }
    if (!why[0] && (cudaStreamCreateWithFlags(&s1, cudaStreamNonBlocking) != cudaSuccess ||
                    cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking) != cudaSuccess))
        snprintf(why, sizeof why, "cannot create streams");
    cudaGetLastError();
    static const char *const IDS[3] = {"h2d", "d2h", "bidir"};
    static const char *const MODES[2] = {"pinned", "pageable"};
    int rc = 0;
    for (int m = 0; m < 2 && rc == 0; m++)
        for (int k = 0; k < 3 && rc == 0 && *n < cap; k++) {
            rl_gpu_copy *r = &rows[(*n)++];
            memset(r, 0, sizeof *r);
            snprintf(r->id, sizeof r->id, "%s", IDS[k]);
            snprintf(r->mode, sizeof r->mode, "%s", MODES[m]);
            r->src = r->dst = -1;
            if (why[0]) {
                snprintf(r->note, sizeof r->note, "not run: %s", why);
                continue;
            }
            void **host = m == 0 ? pin : page;
            for (size_t size = MIN_SIZE; size <= top && r->n_points < RL_GPU_SWEEP_POINTS;
                 size *= 4) {
                double best = -1;
                for (int t = 0; t <= (plan->repeats < 1 ? 1 : plan->repeats); t++) {
                    double gbs;
                    /* h2d: host[0] -> d[0]; d2h: d[0] -> host[0]; both: and d[1] -> host[1]. */
                    if (k == 1)
                        gbs = time_copies(host[0], d[0], NULL, NULL, size, reps_for(size), 1, s1,
                                          s2, &e);
                    else
                        gbs = time_copies(d[0], host[0], host[1], d[1], size, reps_for(size), k,
                                          s1, s2, &e);
                    if (e != cudaSuccess)
                        break;
                    if (t > 0 && gbs > best) /* the first is a warm-up */
                        best = gbs;
                }
                if (e != cudaSuccess) {
                    if (rl_gpu_is_sticky(e)) {
                        rl_gpu_say(msg, len, "during host links: %s (%s)", cudaGetErrorString(e),
                                   cudaGetErrorName(e));
                        rc = -1;
                    } else {
                        cudaGetLastError();
                        snprintf(r->note, sizeof r->note, "stopped at %zu bytes: %s", size,
                                 cudaGetErrorString(e));
                    }
                    break;
                }
                r->size[r->n_points] = size;
                r->gbs[r->n_points++] = best;
            }
            r->ok = r->n_points > 0;
            if (m == 1)
                snprintf(r->note + strlen(r->note), sizeof r->note - strlen(r->note), "%s%s",
                         r->note[0] ? "; " : "",
                         "pageable: the driver stages it through its own pinned buffers");
        }
    cudaStreamDestroy(s1);
    cudaStreamDestroy(s2);
    for (int i = 0; i < 2; i++) {
        cudaFreeHost(pin[i]);
        cudaFree(d[i]);
        free(page[i]);
    }
    cudaGetLastError();
    return rc;
}

/* Peer access between a and b both ways on (1) or off (0); 1 when the pair can have it. */
static int set_peer(int a, int b, int on)
{
    int can_ab = 0, can_ba = 0;
    cudaDeviceCanAccessPeer(&can_ab, a, b);
    cudaDeviceCanAccessPeer(&can_ba, b, a);
    for (int k = 0; k < 2; k++) {
        int x = k ? b : a, y = k ? a : b;
        cudaSetDevice(x);
        if (on && (k ? can_ba : can_ab))
            cudaDeviceEnablePeerAccess(y, 0);
        if (!on)
            cudaDeviceDisablePeerAccess(y);
    }
    cudaGetLastError(); /* "already enabled" / "not enabled" are not failures here */
    return can_ab && can_ba;
}

int rl_gpu_peer_copies(const int *devs, int n_devs, const rl_gpu_plan *plan, rl_gpu_copy *rows,
                       int cap, int *n, char *msg, size_t len)
{
    *n = 0;
    if (n_devs < 2 || n_devs > 16)
        return 0;
    size_t size_max = plan->quick ? PEER_SIZE_Q : (size_t)256 << 20;
    void *src[16] = {NULL}, *dst[16] = {NULL};
    cudaStream_t st[16][16];
    memset(st, 0, sizeof st);
    int rc = 0;
    /* Each device: one source buffer and a destination slot per other device (every pair at once
     * writes to its own slot). */
    for (int i = 0; i < n_devs; i++) {
        cudaSetDevice(devs[i]);
        if (cudaMalloc(&src[i], size_max) != cudaSuccess ||
            cudaMalloc(&dst[i], size_max * (size_t)(n_devs - 1)) != cudaSuccess) {
            cudaGetLastError();
            rl_gpu_say(msg, len, "GPU-to-GPU copies: out of device memory on GPU %d", devs[i]);
            rc = -1;
            goto done;
        }
        for (int j = 0; j < n_devs; j++)
            cudaStreamCreateWithFlags(&st[i][j], cudaStreamNonBlocking);
    }
    static const char *const MODES[3] = {"peer", "no-peer", "all-pairs"};
    for (int m = 0; m < 3 && rc == 0; m++) {
        for (int i = 0; i < n_devs; i++)
            for (int j = i + 1; j < n_devs; j++)
                set_peer(devs[i], devs[j], m != 1);
        if (m < 2) {
            for (int i = 0; i < n_devs && rc == 0; i++)
                for (int j = 0; j < n_devs && rc == 0; j++) {
                    if (i == j || *n >= cap)
                        continue;
                    rl_gpu_copy *r = &rows[(*n)++];
                    memset(r, 0, sizeof *r);
                    snprintf(r->id, sizeof r->id, "p2p");
                    snprintf(r->mode, sizeof r->mode, "%s", MODES[m]);
                    r->src = devs[i];
                    r->dst = devs[j];
                    int can = 0;
                    cudaDeviceCanAccessPeer(&can, devs[i], devs[j]);
                    if (m == 0 && !can)
                        snprintf(r->note, sizeof r->note,
                                 "no peer access between these GPUs: the driver stages it");
                    size_t slot = (size_t)(j > i ? i : i - 1) * size_max;
                    for (size_t size = (size_t)16 << 20;
                         size <= size_max && r->n_points < RL_GPU_SWEEP_POINTS; size *= 4) {
                        double best = -1;
                        for (int t = 0; t <= (plan->repeats < 1 ? 1 : plan->repeats); t++) {
                            cudaSetDevice(devs[i]);
                            cudaEvent_t a, b;
                            cudaEventCreate(&a);
                            cudaEventCreate(&b);
                            cudaEventRecord(a, st[i][j]);
                            for (int k = 0; k < 4; k++)
                                cudaMemcpyPeerAsync((char *)dst[j] + slot, devs[j], src[i],
                                                    devs[i], size, st[i][j]);
                            cudaEventRecord(b, st[i][j]);
                            cudaError_t e = cudaEventSynchronize(b);
                            float ms = 0;
                            if (e == cudaSuccess)
                                e = cudaEventElapsedTime(&ms, a, b);
                            cudaEventDestroy(a);
                            cudaEventDestroy(b);
                            if (e != cudaSuccess) {
                                if (rl_gpu_is_sticky(e)) {
                                    rl_gpu_say(msg, len, "during GPU %d -> %d copies: %s",
                                               devs[i], devs[j], cudaGetErrorString(e));
                                    rc = -1;
                                }
                                cudaGetLastError();
                                snprintf(r->note, sizeof r->note, "not run: %s",
                                         cudaGetErrorString(e));
                                break;
                            }
                            double gbs = 4.0 * (double)size / (ms * 1e-3) / 1e9;
                            if (t > 0 && gbs > best)
                                best = gbs;
                        }
                        if (best <= 0)
                            break;
                        r->size[r->n_points] = size;
                        r->gbs[r->n_points++] = best;
                    }
                    r->ok = r->n_points > 0;
                }
            continue;
        }
        /* Every ordered pair at once, each on its own stream of its source device: each pair's
         * rate over its own stream's time. */
        cudaEvent_t ev[16][16][2];
        memset(ev, 0, sizeof ev);
        for (int i = 0; i < n_devs; i++)
            for (int j = 0; j < n_devs; j++)
                if (i != j) {
                    cudaSetDevice(devs[i]);
                    cudaEventCreate(&ev[i][j][0]);
                    cudaEventCreate(&ev[i][j][1]);
                }
        for (int i = 0; i < n_devs; i++)
            for (int j = 0; j < n_devs; j++)
                if (i != j) {
                    size_t slot = (size_t)(j > i ? i : i - 1) * size_max;
                    cudaSetDevice(devs[i]);
                    cudaEventRecord(ev[i][j][0], st[i][j]);
                    for (int k = 0; k < 4; k++)
                        cudaMemcpyPeerAsync((char *)dst[j] + slot, devs[j], src[i], devs[i],
                                            size_max, st[i][j]);
                    cudaEventRecord(ev[i][j][1], st[i][j]);
                }
        for (int i = 0; i < n_devs; i++)
            for (int j = 0; j < n_devs; j++) {
                if (i == j)
                    continue;
                cudaError_t e = cudaEventSynchronize(ev[i][j][1]);
                float ms = 0;
                if (e == cudaSuccess)
                    e = cudaEventElapsedTime(&ms, ev[i][j][0], ev[i][j][1]);
                if (*n < cap) {
                    rl_gpu_copy *r = &rows[(*n)++];
                    memset(r, 0, sizeof *r);
                    snprintf(r->id, sizeof r->id, "p2p");
                    snprintf(r->mode, sizeof r->mode, "all-pairs");
                    r->src = devs[i];
                    r->dst = devs[j];
                    if (e == cudaSuccess && ms > 0) {
                        r->ok = 1;
                        r->n_points = 1;
                        r->size[0] = size_max;
                        r->gbs[0] = 4.0 * (double)size_max / (ms * 1e-3) / 1e9;
                    } else {
                        snprintf(r->note, sizeof r->note, "not run: %s", cudaGetErrorString(e));
                        if (rl_gpu_is_sticky(e))
                            rc = -1;
                    }
                }
                cudaEventDestroy(ev[i][j][0]);
                cudaEventDestroy(ev[i][j][1]);
            }
        cudaGetLastError();
    }
done:
    for (int i = 0; i < n_devs; i++) {
        cudaSetDevice(devs[i]);
        for (int j = 0; j < n_devs; j++)
            if (st[i][j])
                cudaStreamDestroy(st[i][j]);
        cudaFree(src[i]);
        cudaFree(dst[i]);
    }
    cudaGetLastError();
    return rc;
}
