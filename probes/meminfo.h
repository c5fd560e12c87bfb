/* meminfo.h: free memory, from /proc/meminfo's MemAvailable (the kernel's estimate of what can be
 * allocated without swapping: free pages plus reclaimable caches). The bandwidth runner caps its
 * DRAM working sets at half of it, and the command line refuses a --size that would not fit. */
#ifndef RL_MEMINFO_H
#define RL_MEMINFO_H

#include <stdint.h>

/* MemAvailable in bytes from a file in /proc/meminfo's format (`path` NULL: /proc/meminfo).
 * Returns 0, meaning unknown, when the file cannot be read, has no MemAvailable line (kernels
 * before 3.14), or holds a figure too large to be true. */
uint64_t rl_meminfo_available(const char *path);

#endif
