/* numa_bind.h: where a PCI device sits among the host's NUMA nodes, and binding the calling thread
 * (its CPUs and its memory allocations) to one node, so a GPU's host links are measured from the
 * node nearest it and from the farthest one.
 *
 * Read from sysfs: /sys/bus/pci/devices/<bus id>/numa_node, /sys/devices/system/node/node<N>/
 * {cpulist,distance}. $RL_SYSFS_ROOT replaces /sys (a saved machine's tree, for tests); with it
 * the nodes are described but nothing is bound, since they are not this machine's. */
#ifndef RL_NUMA_BIND_H
#define RL_NUMA_BIND_H

#include <sched.h>
#include <stddef.h>

/* The NUMA node of PCI device `bus_id` ("0000:18:00.0", any case); -1 unknown. */
int rl_numa_of_pci(const char *bus_id);

/* The node farthest from `node` by the firmware's distance table (the highest-numbered one among
 * equals); -1 when the machine has one node or `node` is unknown. */
int rl_numa_farthest(int node);

typedef struct rl_numa_binding {
    int bound; /* 1: the thread's CPUs and memory policy were changed and must be restored */
    cpu_set_t cpus;
} rl_numa_binding;

/* Binds the calling thread's CPUs and memory to `node`. Returns 0 when bound; -1 with why (of len
 * bytes) when not (no such node, not permitted, a saved tree): the caller measures unbound and
 * says so. */
int rl_numa_bind(int node, rl_numa_binding *b, char *why, size_t len);
/* Undoes rl_numa_bind (nothing when it did not bind). */
void rl_numa_unbind(rl_numa_binding *b);

#endif
