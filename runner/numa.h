/* numa.h: the NUMA matrix: latency and bandwidth from each node's cores to each node's memory.
 *
 * For every pair (cpu node, memory node) a set of RL_NUMA ... bytes is allocated bound to the
 * memory node (hwloc_alloc_membind, strict), a core of the cpu node follows the pointer chase of
 * kernels/chase.h over it (latency), then up to RL_NUMA_MAX_THREADS cores of the cpu node run the
 * load kernel over it (bandwidth). Each pair is one rl_latency row of kind "numa"; the matrix, the
 * remote penalties and the weak nodes are derived from those rows (result/latency.h). Nodes
 * without cores (memory-only) are columns only.
 *
 * The measurement is a function the caller may replace (rl_numa_opts.measure), so tests run the
 * planning and the analysis on the multi-node fixture topologies with made-up figures. */
#ifndef RL_NUMA_H
#define RL_NUMA_H

#include <signal.h>
#include <stdint.h>

#include "common/err.h"
#include "common/isa.h"
#include "probes/topology.h"
#include "result/result.h"

#define RL_NUMA_MAX_THREADS 8
#define RL_NUMA_MAX_NODES   16

/* Measures one pair: ns per chase step and GB/s of the load kernel (counted bytes). `pus` are the
 * cpu node's cores (first PU of each, OS indexes), n_pus >= 1. Returns 0, 1 when stopped, -1. */
typedef int (*rl_numa_measure_fn)(void *user, const rl_topology *topo, const int *pus, int n_pus,
                                  int mem_node, double *ns, double *gbs, rl_err *err);

typedef struct rl_numa_opts {
    const int *nodes; /* the nodes to measure (logical indexes); NULL: every node */
    int n_nodes;
    uint64_t bytes; /* the set per pair (a DRAM size: runner/latency.h) */
    double min_time;
    int repeats;
    rl_isa_mask runnable;
    rl_numa_measure_fn measure; /* NULL: the chase and the load kernel on this machine */
    void *measure_user;
    volatile sig_atomic_t *stop;
} rl_numa_opts;

/* A usage error (RL_EXIT_USAGE, "--numa-nodes: node 7 does not exist (this machine has 4 NUMA
 * nodes: 0-3)") when a node of `nodes` is not on `topo`, or when more than RL_NUMA_MAX_NODES. */
int rl_numa_check(const rl_topology *topo, const int *nodes, int n, rl_err *err);

/* Measures every pair of the nodes into r (rows of kind "numa", device "cpu", gbs beside ns).
 * Stopped: the pairs done are kept, r->meta.partial set. Returns -1 with err on failure. */
int rl_numa_run(const rl_topology *topo, const rl_numa_opts *o, rl_result *r, rl_err *err);

#endif
