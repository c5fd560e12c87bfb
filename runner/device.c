/* device.c: the table of device backends (see device.h). */
#include "runner/device.h"

/* Run order: the CPU first, then the GPUs. The CUDA backend is always built: it needs no CUDA
 * toolkit, only the plugin at run time (probes/gpu.h), which it does without when absent. */
static const rl_device_backend *const backends[] = {
    &rl_device_cpu,
    &rl_device_cuda,
};

size_t rl_device_count(void)
{
    return sizeof backends / sizeof backends[0];
}

const rl_device_backend *rl_device_at(size_t i)
{
    return i < rl_device_count() ? backends[i] : NULL;
}
