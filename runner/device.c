/* device.c: the table of device backends (see device.h). */
#include "runner/device.h"

/* Run order: the CPU first. A GPU backend (runner/device_cuda.c, when the Makefile finds CUDA)
 * goes after it. */
static const rl_device_backend *const backends[] = {
    &rl_device_cpu,
};

size_t rl_device_count(void)
{
    return sizeof backends / sizeof backends[0];
}

const rl_device_backend *rl_device_at(size_t i)
{
    return i < rl_device_count() ? backends[i] : NULL;
}
