/* bytes.c: sizes in bytes for people (see bytes.h). */
#include "common/bytes.h"

#include <stdio.h>

const char *rl_bytes_format(char *out, size_t size, uint64_t bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    uint64_t div = 1;
    while (u < 4 && bytes >= div * 1024)
        div *= 1024, u++;
    /* Integer arithmetic decides "exact multiple", so it holds for every uint64_t. */
    if (bytes % div == 0)
        snprintf(out, size, "%llu %s", (unsigned long long)(bytes / div), units[u]);
    else
        snprintf(out, size, "%.3g %s", (double)bytes / (double)div, units[u]);
    return out;
}
