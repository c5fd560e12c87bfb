/* gpu.h: the CUDA device backend of the measurement job: for each GPU the plugin sees, the device's
 * identity and theory (probes/gpu_theory) and its measured ceilings, appended to r->devices. */
#ifndef RL_RUNNER_GPU_H
#define RL_RUNNER_GPU_H

#include <signal.h>

#include "common/err.h"
#include "result/result.h"

typedef struct rl_gpu_opts {
    int device;       /* -1: every GPU; else the ordinal */
    int quick;        /* the widest path per class, short launches */
    int measure;      /* 0: identity and theory only (probe) */
    int repeats;      /* timed launches per row (0: 5, quick 3) */
    double min_ms;    /* minimum launch time (0: 20 ms, quick 4 ms) */
    const char *only; /* NULL or a comma list of row ids */
    void (*progress)(void *user, const char *line);
    void *progress_user;
    volatile sig_atomic_t *stop;
} rl_gpu_opts;

/* The sections of the GPU run beside the plugin's rows, named in --only like a row id: the host
 * links (host-to-device, device-to-host, bidirectional copies), the GPU-to-GPU copies (two GPUs or
 * more), launch and pointer-chase latency. */
#define RL_GPU_SECTION_HOST_LINKS "host-links"
#define RL_GPU_SECTION_P2P        "p2p"
#define RL_GPU_SECTION_LATENCY    "latency"
/* 1 when the first `len` bytes of id name one of them. */
int rl_gpu_is_section(const char *id, size_t len);

/* How many GPUs the CUDA plugin sees: 0 with the reason in `why` when there is no plugin, no
 * driver or no GPU. Loads the plugin and initialises the CUDA runtime (a fraction of a second). */
int rl_gpu_detect(char *why, size_t len);

/* Adds every selected GPU to r->devices. Returns the number of GPUs added (0 when there is no
 * plugin, no driver or no GPU: `why` says which), or -1 with err set when a GPU failed while
 * measuring (its device stays in r with status "failed: ..." and the rows measured before) or
 * --device names a GPU that does not exist (RL_EXIT_USAGE). */
int rl_gpu_measure(rl_result *r, const rl_gpu_opts *o, char *why, size_t len, rl_err *err);

#endif
