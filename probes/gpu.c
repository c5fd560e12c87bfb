/* gpu.c: loading the CUDA plugin (see gpu.h). */
#include "probes/gpu.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RL_GPU_PLUGIN_FILE "libroofline-cuda.so"

struct rl_gpu_backend {
    void *handle;
    const rl_gpu_api *api;
};

/* Tries one file; on failure appends why to `why`. */
static rl_gpu_backend *try_open(const char *path, char *why, size_t len)
{
    if (access(path, R_OK) != 0)
        return NULL;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(why, len, "%s: cannot load: %s", path, dlerror());
        return NULL;
    }
    rl_gpu_plugin_api_fn fn;
    *(void **)&fn = dlsym(h, RL_GPU_PLUGIN_SYMBOL);
    const rl_gpu_api *api = fn ? fn() : NULL;
    if (!api || api->abi != RL_GPU_ABI_VERSION || !api->count || !api->info || !api->run ||
        !api->list || !api->links || !api->host_copies || !api->peer_copies || !api->latency) {
        snprintf(why, len,
                 "%s: not a roofline CUDA plugin of interface version %d (rebuild it with "
                 "make)",
                 path, RL_GPU_ABI_VERSION);
        dlclose(h);
        return NULL;
    }
    rl_gpu_backend *b = calloc(1, sizeof *b);
    if (!b) {
        dlclose(h);
        snprintf(why, len, "out of memory");
        return NULL;
    }
    b->handle = h;
    b->api = api;
    return b;
}

rl_gpu_backend *rl_gpu_open(char *why, size_t len)
{
    why[0] = '\0';
    const char *env = getenv("RL_CUDA_PLUGIN");
    if (env && *env) {
        rl_gpu_backend *b = try_open(env, why, len);
        if (!b && !why[0])
            snprintf(why, len, "RL_CUDA_PLUGIN=%s: no such readable file", env);
        return b;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char path[PATH_MAX + 64];
            snprintf(path, sizeof path, "%s/%s", exe, RL_GPU_PLUGIN_FILE);
            rl_gpu_backend *b = try_open(path, why, len);
            if (b || why[0])
                return b;
            snprintf(path, sizeof path, "%s/../lib/roofline/%s", exe, RL_GPU_PLUGIN_FILE);
            if ((b = try_open(path, why, len)) || why[0])
                return b;
        }
    }
    snprintf(why, len,
             "no CUDA backend: %s was not built (no nvcc at build time) or not installed "
             "beside roofline",
             RL_GPU_PLUGIN_FILE);
    return NULL;
}

void rl_gpu_close(rl_gpu_backend *b)
{
    if (!b)
        return;
    /* The CUDA runtime registers exit handlers inside the plugin: unloading it before exit would
     * leave them pointing nowhere, so the library stays mapped. */
    free(b);
}

const rl_gpu_api *rl_gpu_api_of(const rl_gpu_backend *b)
{
    return b->api;
}

int rl_gpu_count(const rl_gpu_backend *b, int *n, char *why, size_t len)
{
    *n = 0;
    why[0] = '\0';
    if (b->api->count(n, why, len) != 0) {
        if (!why[0])
            snprintf(why, len, "the CUDA plugin could not count GPUs");
        *n = 0;
        return -1;
    }
    if (*n == 0)
        snprintf(why, len, "no CUDA GPU is visible");
    return 0;
}
