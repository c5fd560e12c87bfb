/* topology.h: the machine's shape from hwloc (this machine or an XML file), and pinning.
 * The runner asks it which processing units to pin its threads to; it never measures anything. */
#ifndef RL_TOPOLOGY_H
#define RL_TOPOLOGY_H

#include "common/err.h"
#include "result/result.h"

typedef struct rl_topology rl_topology;

/* xml_path NULL: this machine. A missing or malformed XML is RL_EXIT_INPUT naming the file. */
int rl_topology_load(const char *xml_path, rl_topology **out, rl_err *err);
void rl_topology_free(rl_topology *t); /* accepts NULL */

/* Fills packages, numa_nodes, cores, threads, caches and core kinds. */
void rl_topology_describe(const rl_topology *t, rl_machine *m);

int rl_topology_cores(const rl_topology *t);   /* physical cores */
int rl_topology_threads(const rl_topology *t); /* hardware threads (PUs) */

/* The OS indexes of the PUs to pin `n` threads to: one PU per physical core (its first PU) unless
 * `smt`, in which case siblings are used after every core has one thread. `scatter` spreads
 * consecutive threads across packages (and NUMA nodes) first; compact fills a package first.
 * Returns the number of PUs written (at most n, fewer when the machine has fewer). */
int rl_topology_pin_list(const rl_topology *t, int n, int scatter, int smt, int *pus);

/* The same, compact, restricted to the cores of one core type: every CPU kind whose hwloc CoreType
 * is `core_type` ("IntelCore", "IntelAtom"; hwloc may split one type into several kinds by their
 * frequency), or with core_type NULL the kind of index `kind` in rl_machine.core_kinds' order
 * (fastest first). Returns 0 for a kind the topology lacks. */
int rl_topology_pin_list_kind(const rl_topology *t, int kind, const char *core_type, int n, int smt,
                              int *pus);

/* Binds the calling thread to the PU with OS index `pu` (only on a topology of this machine). */
int rl_topology_bind_self(const rl_topology *t, int pu, rl_err *err);

/* NUMA node (logical index) of the PU with OS index `pu`; 0 when unknown. */
int rl_topology_numa_of(const rl_topology *t, int pu);

/* NUMA nodes (logical indexes, as rl_topology_numa_of): how many (1 when hwloc shows none); the
 * OS indexes of the first PU of each core of `node` (at most max; returns how many: 0 for a node
 * without cores, such as a memory-only CXL node); memory bound to `node` (hwloc_alloc_membind,
 * strict) and its release. A node that does not exist is RL_EXIT_USAGE. */
int rl_topology_numa_count(const rl_topology *t);
int rl_topology_numa_pus(const rl_topology *t, int node, int *pus, int max);
void *rl_topology_alloc_on_node(const rl_topology *t, size_t bytes, int node, rl_err *err);
void rl_topology_free_on_node(const rl_topology *t, void *p, size_t bytes);

#endif
