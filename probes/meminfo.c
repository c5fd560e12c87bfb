/* meminfo.c: free memory from /proc/meminfo (see meminfo.h). */
#include "probes/meminfo.h"

#include <stdio.h>

uint64_t rl_meminfo_available(const char *path)
{
    FILE *f = fopen(path ? path : "/proc/meminfo", "r");
    if (!f)
        return 0;
    char line[256];
    unsigned long long kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
            break;
    fclose(f);
    /* The file may be any file: a figure whose bytes overflow 64 bits is no figure at all. */
    if (kb > UINT64_MAX / 1024)
        return 0;
    return (uint64_t)kb * 1024;
}
