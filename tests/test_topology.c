/* test_topology.c: hwloc topologies from XML fixtures (tests/data/topo-*.xml, made with
 * `lstopo --input "<synthetic>"`), pin lists, NUMA lookup, and bad files. */
#include <criterion/criterion.h>
#include <string.h>

#include "probes/topology.h"

static rl_topology *load(const char *path)
{
    rl_topology *t = NULL;
    rl_err err = {0};
    int rc = rl_topology_load(path, &t, &err);
    cr_assert_eq(rc, 0, "%s: %s", path ? path : "this machine", err.msg);
    return t;
}

static const rl_cache *find_cache(const rl_machine *m, int level)
{
    for (int i = 0; i < m->n_caches; i++)
        if (m->caches[i].level == level)
            return &m->caches[i];
    return NULL;
}

Test(topology, this_machine_has_cores_and_threads)
{
    rl_topology *t = load(NULL);
    rl_machine m;
    memset(&m, 0, sizeof m);
    rl_topology_describe(t, &m);
    cr_assert_geq(m.cores, 1);
    cr_assert_geq(m.threads, m.cores);
    cr_assert_geq(m.packages, 1);
    int pus[4];
    cr_assert_eq(rl_topology_pin_list(t, 1, 0, 0, pus), 1);
    rl_err err = {0};
    cr_assert_eq(rl_topology_bind_self(t, pus[0], &err), 0, "%s", err.msg);
    rl_topology_free(t);
}

Test(topology, two_socket_64_core_describe)
{
    rl_topology *t = load("tests/data/topo-2x32-numa4.xml");
    rl_machine m;
    memset(&m, 0, sizeof m);
    rl_topology_describe(t, &m);
    cr_assert_eq(m.packages, 2);
    cr_assert_eq(m.numa_nodes, 4);
    cr_assert_eq(m.cores, 64);
    cr_assert_eq(m.threads, 128);
    const rl_cache *l3 = find_cache(&m, 3), *l2 = find_cache(&m, 2), *l1 = find_cache(&m, 1);
    cr_assert(l3 && l2 && l1);
    cr_assert_eq(l3->size_bytes, 32ull << 20);
    cr_assert_eq(l3->cores_sharing, 8);
    cr_assert_eq(l3->instances, 8);
    cr_assert_eq(l2->size_bytes, 1ull << 20);
    cr_assert_eq(l2->cores_sharing, 1);
    cr_assert_eq(l1->size_bytes, 48ull << 10);
    cr_assert_eq(m.n_core_kinds, 1);
    cr_assert_eq(m.core_kinds[0].cores, 64);
    rl_topology_free(t);
}

Test(topology, big_l3_part)
{
    rl_topology *t = load("tests/data/topo-1x64-l3-512m.xml");
    rl_machine m;
    memset(&m, 0, sizeof m);
    rl_topology_describe(t, &m);
    const rl_cache *l3 = find_cache(&m, 3);
    cr_assert(l3);
    cr_assert_eq(l3->size_bytes, 512ull << 20);
    cr_assert_eq(l3->cores_sharing, 64);
    cr_assert_eq(l3->instances, 1);
    rl_topology_free(t);
}

Test(topology, hybrid_core_kinds_fastest_first)
{
    rl_topology *t = load("tests/data/topo-hybrid-2p4e.xml");
    rl_machine m;
    memset(&m, 0, sizeof m);
    rl_topology_describe(t, &m);
    cr_assert_eq(m.n_core_kinds, 2);
    cr_assert_str_eq(m.core_kinds[0].name, "IntelCore");
    cr_assert_eq(m.core_kinds[0].cores, 2);
    cr_assert_str_eq(m.core_kinds[1].name, "IntelAtom");
    cr_assert_eq(m.core_kinds[1].cores, 4);
    cr_assert_gt(m.core_kinds[0].efficiency, m.core_kinds[1].efficiency);
    rl_topology_free(t);
}

/* A real-shaped Alder Lake (8 two-thread P-cores on PUs 0-15, 8 E-cores on 16-23): teams pinned to
 * one CPU kind, for the per-core-type measurements. */
Test(topology, pin_list_per_core_kind)
{
    rl_topology *t = load("tests/data/topo-alder-lake-8p8e.xml");
    rl_machine m;
    memset(&m, 0, sizeof m);
    rl_topology_describe(t, &m);
    cr_assert_eq(m.n_core_kinds, 2);
    cr_assert_eq(m.core_kinds[0].cores, 8);
    cr_assert_eq(m.core_kinds[1].cores, 8);
    int pus[32];
    cr_assert_eq(rl_topology_pin_list_kind(t, 0, NULL, 8, 0, pus), 8);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(pus[i], 2 * i, "P-core %d: one PU per core", i);
    cr_assert_eq(rl_topology_pin_list_kind(t, 0, NULL, 16, 1, pus), 16, "with SMT siblings");
    cr_assert_eq(rl_topology_pin_list_kind(t, 1, NULL, 8, 0, pus), 8);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(pus[i], 16 + i, "E-core %d", i);
    cr_assert_eq(rl_topology_pin_list_kind(t, 1, NULL, 9, 0, pus), 8, "only 8 E-cores");
    cr_assert_eq(rl_topology_pin_list_kind(t, 2, NULL, 1, 0, pus), 0, "no third kind");
    cr_assert_eq(rl_topology_pin_list_kind(t, -1, "IntelAtom", 8, 0, pus), 8, "by CoreType");
    cr_assert_eq(pus[0], 16);
    cr_assert_eq(rl_topology_pin_list_kind(t, -1, "IntelCore", 8, 0, pus), 8);
    cr_assert_eq(pus[7], 14);
    cr_assert_eq(rl_topology_pin_list_kind(t, -1, "NoSuchType", 1, 0, pus), 0);
    /* the machine's compact order fills the P-cores first */
    cr_assert_eq(rl_topology_pin_list(t, 9, 0, 0, pus), 9);
    cr_assert_eq(pus[8], 16);
    rl_topology_free(t);
}

/* Meteor Lake: three kinds, two of them IntelAtom (E and low-power E): a team by CoreType takes
 * both. */
Test(topology, pin_list_by_core_type_spans_kinds)
{
    rl_topology *t = load("tests/data/topo-meteor-lake-6p8e2lp.xml");
    int pus[32];
    cr_assert_eq(rl_topology_pin_list_kind(t, -1, "IntelAtom", 16, 0, pus), 10);
    cr_assert_eq(pus[0], 12);
    cr_assert_eq(pus[9], 21);
    cr_assert_eq(rl_topology_pin_list_kind(t, -1, "IntelCore", 16, 0, pus), 6);
    rl_topology_free(t);
}

Test(topology, compact_fills_a_package_first)
{
    rl_topology *t = load("tests/data/topo-2x32-numa4.xml");
    int pus[128];
    cr_assert_eq(rl_topology_pin_list(t, 4, 0, 0, pus), 4);
    /* one PU per core (PUs 0, 2, 4, 6), all in NUMA node 0 */
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(pus[i], 2 * i);
        cr_assert_eq(rl_topology_numa_of(t, pus[i]), 0);
    }
    rl_topology_free(t);
}

Test(topology, scatter_alternates_packages_then_numa)
{
    rl_topology *t = load("tests/data/topo-2x32-numa4.xml");
    int pus[128];
    cr_assert_eq(rl_topology_pin_list(t, 4, 1, 0, pus), 4);
    /* package 0 node 0, package 1 node 2, package 0 node 1, package 1 node 3 */
    int want_numa[4] = {0, 2, 1, 3};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(rl_topology_numa_of(t, pus[i]), want_numa[i], "thread %d on PU %d", i, pus[i]);
    rl_topology_free(t);
}

Test(topology, smt_siblings_only_after_every_core)
{
    rl_topology *t = load("tests/data/topo-2x32-numa4.xml");
    int pus[200];
    cr_assert_eq(rl_topology_pin_list(t, 64, 0, 1, pus), 64);
    for (int i = 0; i < 64; i++)
        cr_assert_eq(pus[i] % 2, 0, "thread %d on a sibling PU %d", i, pus[i]);
    cr_assert_eq(rl_topology_pin_list(t, 200, 0, 1, pus), 128);
    cr_assert_eq(pus[64], 1);
    cr_assert_eq(rl_topology_pin_list(t, 200, 0, 0, pus), 64, "no SMT: one per core");
    rl_topology_free(t);
}

Test(topology, binding_a_file_topology_is_refused)
{
    rl_topology *t = load("tests/data/topo-2x32-numa4.xml");
    rl_err err = {0};
    cr_assert_eq(rl_topology_bind_self(t, 0, &err), -1);
    cr_assert_neq(err.code, 0);
    rl_topology_free(t);
}

Test(topology, bad_files_are_input_errors)
{
    const char *bad[] = {"tests/data/does-not-exist.xml", "tests/data/topo-garbled.xml",
                         "tests/data"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rl_topology *t = NULL;
        rl_err err = {0};
        cr_assert_eq(rl_topology_load(bad[i], &t, &err), -1, "%s", bad[i]);
        cr_assert_null(t);
        cr_assert_eq(err.code, RL_EXIT_INPUT);
        cr_assert(strstr(err.msg, bad[i]), "message names the file: %s", err.msg);
    }
}
