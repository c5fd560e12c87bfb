/* numa_bind.c: NUMA locality and binding from sysfs (see numa_bind.h). The memory policy is set
 * with the set_mempolicy system call directly: libnuma would be one more dependency for two
 * calls. */
#include "probes/numa_bind.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_DEFAULT_ 0
#define MPOL_BIND_    2
#define MAX_NODES     1024

static const char *sysfs_root(int *saved)
{
    const char *env = getenv("RL_SYSFS_ROOT");
    *saved = env && *env;
    return *saved ? env : "/sys";
}

/* Reads the first line of root/rel into buf; 0, or -1 when absent. */
static int read_line(const char *rel, char *buf, size_t size)
{
    int saved;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", sysfs_root(&saved), rel);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *ok = fgets(buf, (int)size, f);
    fclose(f);
    if (!ok)
        return -1;
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

int rl_numa_of_pci(const char *bus_id)
{
    char id[64], rel[128], line[32];
    snprintf(id, sizeof id, "%s", bus_id);
    for (char *p = id; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    snprintf(rel, sizeof rel, "bus/pci/devices/%s/numa_node", id);
    if (read_line(rel, line, sizeof line) != 0)
        return -1;
    int n = atoi(line);
    return n >= 0 && n < MAX_NODES ? n : -1;
}

int rl_numa_farthest(int node)
{
    if (node < 0)
        return -1;
    char rel[96], line[4096];
    snprintf(rel, sizeof rel, "devices/system/node/node%d/distance", node);
    if (read_line(rel, line, sizeof line) != 0)
        return -1;
    /* "10 21 21 32": the distance to node 0, 1, ... in order of the nodes present. Node numbers
     * can have gaps, so each position is matched to the i-th node directory that exists. */
    int far = -1, i = 0;
    long worst = -1;
    char *p = line;
    for (int candidate = 0; candidate < MAX_NODES && *p; candidate++) {
        char probe[96], tmp[8];
        snprintf(probe, sizeof probe, "devices/system/node/node%d/distance", candidate);
        if (read_line(probe, tmp, sizeof tmp) != 0)
            continue;
        char *end;
        long d = strtol(p, &end, 10);
        if (end == p)
            break;
        p = end;
        if (candidate != node && d >= worst) {
            worst = d;
            far = candidate;
        }
        i++;
    }
    return i > 1 ? far : -1;
}

/* Parses a cpulist ("0-7,16-23") into set; 0, or -1 when malformed. */
static int parse_cpulist(const char *s, cpu_set_t *set)
{
    CPU_ZERO(set);
    while (*s) {
        char *end;
        long a = strtol(s, &end, 10), b;
        if (end == s || a < 0 || a >= CPU_SETSIZE)
            return -1;
        b = a;
        s = end;
        if (*s == '-') {
            b = strtol(s + 1, &end, 10);
            if (end == s + 1 || b < a || b >= CPU_SETSIZE)
                return -1;
            s = end;
        }
        for (long c = a; c <= b; c++)
            CPU_SET((size_t)c, set);
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return 0;
}

int rl_numa_bind(int node, rl_numa_binding *b, char *why, size_t len)
{
    memset(b, 0, sizeof *b);
    int saved;
    sysfs_root(&saved);
    if (saved) {
        snprintf(why, len, "not bound: NUMA layout read from RL_SYSFS_ROOT");
        return -1;
    }
    if (node < 0 || node >= MAX_NODES) {
        snprintf(why, len, "not bound: NUMA node unknown");
        return -1;
    }
    char rel[96], list[1024];
    snprintf(rel, sizeof rel, "devices/system/node/node%d/cpulist", node);
    cpu_set_t want;
    if (read_line(rel, list, sizeof list) != 0 || parse_cpulist(list, &want) != 0 ||
        CPU_COUNT(&want) == 0) {
        snprintf(why, len, "not bound: NUMA node %d has no CPUs listed", node);
        return -1;
    }
    if (sched_getaffinity(0, sizeof b->cpus, &b->cpus) != 0 ||
        sched_setaffinity(0, sizeof want, &want) != 0) {
        snprintf(why, len, "not bound: cannot run on NUMA node %d's CPUs: %s", node,
                 strerror(errno));
        return -1;
    }
    unsigned long mask[MAX_NODES / (8 * sizeof(unsigned long))] = {0};
    mask[(size_t)node / (8 * sizeof(unsigned long))] |=
        1UL << ((size_t)node % (8 * sizeof(unsigned long)));
    if (syscall(SYS_set_mempolicy, MPOL_BIND_, mask, (unsigned long)MAX_NODES + 1) != 0) {
        snprintf(why, len, "not bound: memory policy for NUMA node %d refused: %s", node,
                 strerror(errno));
        sched_setaffinity(0, sizeof b->cpus, &b->cpus);
        return -1;
    }
    b->bound = 1;
    return 0;
}

void rl_numa_unbind(rl_numa_binding *b)
{
    if (!b->bound)
        return;
    syscall(SYS_set_mempolicy, MPOL_DEFAULT_, NULL, 0UL);
    sched_setaffinity(0, sizeof b->cpus, &b->cpus);
    b->bound = 0;
}
