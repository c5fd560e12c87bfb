/* numa.c: the NUMA matrix (see numa.h). */
#include "runner/numa.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels/chase.h"
#include "kernels/stream.h"

int rl_numa_check(const rl_topology *topo, const int *nodes, int n, rl_err *err)
{
    int count = rl_topology_numa_count(topo);
    if (n > RL_NUMA_MAX_NODES)
        return rl_err_set(err, RL_EXIT_USAGE, "--numa-nodes: at most %d nodes", RL_NUMA_MAX_NODES);
    for (int i = 0; i < n; i++)
        if (nodes[i] < 0 || nodes[i] >= count)
            return rl_err_set(err, RL_EXIT_USAGE,
                              "--numa-nodes: node %d does not exist (this machine has %d NUMA "
                              "node%s: 0%s%.0d)",
                              nodes[i], count, count == 1 ? "" : "s", count > 1 ? "-" : "",
                              count > 1 ? count - 1 : 0);
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct real {
    const rl_numa_opts *o;
} real;

/* The real pair: the chase on the first core, then the load kernel on up to RL_NUMA_MAX_THREADS
 * cores, each over its slice of the same set. */
static int real_measure(void *user, const rl_topology *topo, const int *pus, int n_pus,
                        int mem_node, double *ns, double *gbs, rl_err *err)
{
    const rl_numa_opts *o = ((real *)user)->o;
    size_t bytes = (size_t)(o->bytes / 4096 * 4096);
    void *mem = rl_topology_alloc_on_node(topo, bytes, mem_node, err);
    if (!mem)
        return -1;
    int rc = 0;
    *ns = *gbs = -1;
    if (rl_topology_bind_self(topo, pus[0], err) != 0 ||
        rl_chase_link(mem, bytes / RL_CHASE_LINE, 0x6e756d61ull ^ bytes, err) != 0) {
        rc = -1;
        goto done;
    }
    /* Latency: the steps calibrated to min_time, the best of the repeats. */
    void *at = mem;
    uint64_t steps = 1 << 14;
    for (;;) {
        double t = now();
        at = rl_chase_run(at, steps);
        t = now() - t;
        if (t >= o->min_time || steps > (1ull << 40))
            break;
        steps *= t > 0 && o->min_time / t < 16 ? 2 : 16;
    }
    for (int rep = 0; rep < o->repeats && !(o->stop && *o->stop); rep++) {
        double t = now();
        at = rl_chase_run(at, steps);
        t = (now() - t) / (double)steps * 1e9;
        if (*ns < 0 || t < *ns)
            *ns = t;
    }
    if ((uintptr_t)at < (uintptr_t)mem || (uintptr_t)at >= (uintptr_t)mem + bytes) {
        rc = rl_err_set(err, RL_EXIT_RUNTIME, "NUMA node %d: the chase left its set", mem_node);
        goto done;
    }
    /* Bandwidth: the load kernel, each thread over its slice. */
    const rl_stream_kernel *k = rl_stream_pick(RL_STREAM_LOAD, 0, o->runnable, NULL);
    int threads = n_pus < RL_NUMA_MAX_THREADS ? n_pus : RL_NUMA_MAX_THREADS;
    size_t per = bytes / sizeof(double) / (size_t)threads / RL_STREAM_BLOCK * RL_STREAM_BLOCK;
    if (!k || per == 0)
        goto done;
    double best = -1;
    int bind_failed = 0;
    for (int rep = 0; rep < o->repeats && !(o->stop && *o->stop); rep++) {
        double secs = 0;
#pragma omp parallel num_threads(threads) reduction(max : secs) reduction(+ : bind_failed)
        {
            int tid = omp_get_thread_num();
            rl_err e = {0};
            bind_failed += rl_topology_bind_self(topo, pus[tid], &e) != 0;
            rl_stream_args x = {(double *)mem + (size_t)tid * per, NULL, NULL, NULL, per, 0, 2};
#pragma omp barrier
            double t = now();
            volatile double sink = k->run(&x);
            (void)sink;
            secs = now() - t;
        }
        double rate = (double)per * sizeof(double) * 2 * threads / secs / 1e9;
        if (secs > 0 && rate > best)
            best = rate;
    }
    if (bind_failed)
        rc = rl_err_set(err, RL_EXIT_RUNTIME, "NUMA node %d: cannot bind the bandwidth threads",
                        mem_node);
    *gbs = best;
done:
    rl_topology_free_on_node(topo, mem, bytes);
    return rc;
}

int rl_numa_run(const rl_topology *topo, const rl_numa_opts *o, rl_result *r, rl_err *err)
{
    int all[RL_NUMA_MAX_NODES];
    const int *nodes = o->nodes;
    int n = o->n_nodes;
    if (!nodes) {
        n = rl_topology_numa_count(topo);
        if (n > RL_NUMA_MAX_NODES)
            n = RL_NUMA_MAX_NODES;
        for (int i = 0; i < n; i++)
            all[i] = i;
        nodes = all;
    }
    if (rl_numa_check(topo, nodes, n, err) != 0)
        return -1;
    real user = {o};
    rl_numa_measure_fn measure = o->measure ? o->measure : real_measure;
    void *mu = o->measure ? o->measure_user : &user;
    for (int i = 0; i < n; i++) {
        int pus[RL_NUMA_MAX_THREADS];
        int n_pus = rl_topology_numa_pus(topo, nodes[i], pus, RL_NUMA_MAX_THREADS);
        if (n_pus == 0)
            continue; /* memory only: a column, never a row */
        for (int j = 0; j < n; j++) {
            if (o->stop && *o->stop) {
                r->meta.partial = 1;
                return 0;
            }
            rl_latency row = rl_latency_blank();
            snprintf(row.kind, sizeof row.kind, "numa");
            snprintf(row.level, sizeof row.level, "NUMA");
            snprintf(row.pages, sizeof row.pages, "4k");
            row.bytes = o->bytes;
            row.cpu_node = nodes[i];
            row.mem_node = nodes[j];
            row.load_threads = n_pus;
            row.repeats = o->repeats;
            int rc = measure(mu, topo, pus, n_pus, nodes[j], &row.ns, &row.gbs, err);
            if (rc < 0)
                return rl_err_prefix(err, "NUMA matrix, cores of node %d, memory of node %d",
                                     nodes[i], nodes[j]);
            double ghz = r->machine.measured_ghz;
            row.clock_ghz = ghz > 0 ? ghz : -1;
            row.cycles = ghz > 0 && row.ns > 0 ? row.ns * ghz : -1;
            snprintf(row.note, sizeof row.note, "bandwidth: load kernel on %d core%s", n_pus,
                     n_pus == 1 ? "" : "s");
            if (rl_result_add_latency(r, &row, err) < 0)
                return -1;
            if (rc > 0) {
                r->meta.partial = 1;
                return 0;
            }
        }
    }
    return 0;
}
