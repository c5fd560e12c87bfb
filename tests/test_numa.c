/* test_numa.c: the NUMA matrix on the multi-node fixture topologies (this machine may have one
 * node) with a made-up measurement: every pair measured, the remote penalty derived, a weak node
 * flagged, memory-only nodes as columns, and a node that does not exist refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "probes/topology.h"
#include "result/latency.h"
#include "result/result.h"
#include "runner/numa.h"

static rl_topology *load(const char *path)
{
    rl_topology *t = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_topology_load(path, &t, &err), 0, "%s: %s", path, err.msg);
    return t;
}

/* Local 80 ns and 100 GB/s, remote 130 ns and 40 GB/s, each hop across sockets +40 ns; node
 * `weak` is 30% slower on its own memory. Records which pairs were asked for. */
typedef struct fake {
    const rl_topology *topo;
    int weak;
    int asked[16][16];
} fake;

static int fake_measure(void *user, const rl_topology *topo, const int *pus, int n_pus,
                        int mem_node, double *ns, double *gbs, rl_err *err)
{
    (void)err;
    fake *f = user;
    cr_assert_gt(n_pus, 0);
    int cpu = rl_topology_numa_of(topo, pus[0]);
    for (int i = 1; i < n_pus; i++)
        cr_assert_eq(rl_topology_numa_of(topo, pus[i]), cpu, "every PU of the cpu node");
    f->asked[cpu][mem_node]++;
    int local = cpu == mem_node;
    *ns = local ? 80 : 130 + 40 * ((cpu / 2) != (mem_node / 2));
    *gbs = local ? 100 : 40;
    if (local && cpu == f->weak)
        *ns *= 1.3, *gbs *= 0.7;
    return 0;
}

Test(numa, every_pair_measured_penalty_derived_weak_node_flagged)
{
    rl_topology *t = load("tests/data/topo-2x32-numa4.xml");
    cr_assert_eq(rl_topology_numa_count(t), 4);
    fake f = {t, 2, {{0}}};
    rl_numa_opts o = {0};
    o.bytes = 256 << 20;
    o.repeats = 1;
    o.measure = fake_measure;
    o.measure_user = &f;
    rl_result *r = rl_result_new();
    rl_err err = {0};
    cr_assert_eq(rl_numa_run(t, &o, r, &err), 0, "%s", err.msg);
    cr_assert_eq(r->n_latency, 16);
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            cr_assert_eq(f.asked[a][b], 1, "pair %d,%d asked %d times", a, b, f.asked[a][b]);
    rl_latency_numa m;
    cr_assert_eq(rl_latency_numa_of(r, "cpu", &m), 4);
    cr_assert_float_eq(m.ns[0][0], 80, 1e-9);
    cr_assert_float_eq(m.penalty[0][1], 130.0 / 80, 1e-9);
    cr_assert_float_eq(m.penalty[0][3], 170.0 / 80, 1e-9, "across sockets");
    cr_assert_float_eq(m.gbs[1][0], 40, 1e-9);
    for (int a = 0; a < 4; a++)
        cr_assert_eq(m.weak[a], a == 2, "node %d weak: %d", a, m.weak[a]);
    rl_result_free(r);

    /* No weak node: nothing flagged. */
    f = (fake){t, -1, {{0}}};
    r = rl_result_new();
    cr_assert_eq(rl_numa_run(t, &o, r, &err), 0, "%s", err.msg);
    cr_assert_eq(rl_latency_numa_of(r, "cpu", &m), 4);
    for (int a = 0; a < 4; a++)
        cr_assert_eq(m.weak[a], 0);
    rl_result_free(r);

    /* A subset of nodes; a node that does not exist is a usage error naming it. */
    int some[] = {1, 3};
    o.nodes = some, o.n_nodes = 2;
    r = rl_result_new();
    cr_assert_eq(rl_numa_run(t, &o, r, &err), 0, "%s", err.msg);
    cr_assert_eq(r->n_latency, 4);
    rl_result_free(r);
    int bad[] = {0, 7};
    o.nodes = bad;
    r = rl_result_new();
    cr_assert_eq(rl_numa_run(t, &o, r, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_USAGE);
    cr_assert(strstr(err.msg, "node 7 does not exist (this machine has 4 NUMA nodes: 0-3)"), "%s",
              err.msg);
    cr_assert_eq(r->n_latency, 0, "refused before measuring");
    rl_result_free(r);
    rl_topology_free(t);
}

Test(numa, eight_nodes_and_a_single_node)
{
    rl_topology *t = load("tests/data/topo-2x128-numa8.xml");
    fake f = {t, 5, {{0}}};
    rl_numa_opts o = {0};
    o.bytes = 64 << 20;
    o.repeats = 1;
    o.measure = fake_measure;
    o.measure_user = &f;
    rl_result *r = rl_result_new();
    rl_err err = {0};
    cr_assert_eq(rl_numa_run(t, &o, r, &err), 0, "%s", err.msg);
    rl_latency_numa m;
    cr_assert_eq(rl_latency_numa_of(r, "cpu", &m), 8);
    for (int a = 0; a < 8; a++)
        cr_assert_eq(m.weak[a], a == 5);
    rl_result_free(r);
    rl_topology_free(t);

    t = load("tests/data/topo-single-pu.xml");
    cr_assert_eq(rl_topology_numa_count(t), 1);
    int one[] = {1};
    cr_assert_eq(rl_numa_check(t, one, 1, &err), -1);
    cr_assert(strstr(err.msg, "node 1 does not exist (this machine has 1 NUMA node: 0)"), "%s",
              err.msg);
    rl_topology_free(t);
}
