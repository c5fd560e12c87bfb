/* topology.c: the machine's shape from hwloc, and thread placement (see topology.h).
 *
 * Pinning works on physical cores: the first PU of each core gets a thread before any SMT sibling
 * does. "scatter" orders cores so that consecutive threads land on different packages first, then
 * on different NUMA nodes within a package; "compact" keeps hwloc's logical order (fill a package,
 * then the next). NUMA nodes are hwloc 2 memory children, found through each object's nodeset. */
#include "probes/topology.h"

#include <errno.h>
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct rl_topology {
    hwloc_topology_t topo;
    int this_system; /* 1 when loaded from this machine (binding allowed) */
    int from_env;    /* this machine asked for, but hwloc's environment gave another one */
};

int rl_topology_load(const char *xml_path, rl_topology **out, rl_err *err)
{
    *out = NULL;
    rl_topology *t = calloc(1, sizeof *t);
    if (!t)
        return rl_err_set(err, RL_EXIT_RUNTIME, "topology: out of memory");
    if (hwloc_topology_init(&t->topo) != 0) {
        free(t);
        return rl_err_set(err, RL_EXIT_RUNTIME, "hwloc: cannot initialise a topology");
    }
    if (xml_path) {
        struct stat st;
        if (stat(xml_path, &st) != 0) {
            rl_err_set(err, RL_EXIT_INPUT, "%s: cannot open topology: %s", xml_path,
                       strerror(errno));
            goto fail;
        }
        if (!S_ISREG(st.st_mode) || st.st_size == 0) {
            rl_err_set(err, RL_EXIT_INPUT, "%s: not a non-empty regular file", xml_path);
            goto fail;
        }
        if (hwloc_topology_set_xml(t->topo, xml_path) != 0) {
            rl_err_set(err, RL_EXIT_INPUT, "%s: not an hwloc XML topology", xml_path);
            goto fail;
        }
    }
    hwloc_topology_set_io_types_filter(t->topo, HWLOC_TYPE_FILTER_KEEP_NONE);
    if (hwloc_topology_load(t->topo) != 0) {
        if (xml_path)
            rl_err_set(err, RL_EXIT_INPUT, "%s: malformed hwloc XML topology", xml_path);
        else
            rl_err_set(err, RL_EXIT_RUNTIME, "hwloc: cannot read this machine's topology: %s",
                       strerror(errno));
        goto fail;
    }
    if (hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_PU) <= 0) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: topology has no processing units",
                   xml_path ? xml_path : "this machine");
        goto fail;
    }
    t->this_system = xml_path == NULL && hwloc_topology_is_thissystem(t->topo);
    t->from_env = xml_path == NULL && !t->this_system;
    *out = t;
    return 0;
fail:
    hwloc_topology_destroy(t->topo);
    free(t);
    return -1;
}

void rl_topology_free(rl_topology *t)
{
    if (!t)
        return;
    hwloc_topology_destroy(t->topo);
    free(t);
}

/* Cores, or PUs when the topology has no Core level (some XML exports, odd VMs). */
static hwloc_obj_type_t core_type(const rl_topology *t)
{
    return hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_CORE) > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
}

int rl_topology_cores(const rl_topology *t)
{
    return hwloc_get_nbobjs_by_type(t->topo, core_type(t));
}

int rl_topology_threads(const rl_topology *t)
{
    return hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_PU);
}

static int count_inside(const rl_topology *t, hwloc_const_cpuset_t set, hwloc_obj_type_t type)
{
    return hwloc_get_nbobjs_inside_cpuset_by_type(t->topo, set, type);
}

/* Caches: one entry per (level, type, size, cores sharing); a hybrid part whose P-core and E-core
 * L2s differ gets one entry for each. */
static void describe_caches(const rl_topology *t, rl_machine *m)
{
    static const struct {
        hwloc_obj_type_t type;
        int level;
    } kinds[] = {
        {HWLOC_OBJ_L1CACHE, 1}, {HWLOC_OBJ_L2CACHE, 2}, {HWLOC_OBJ_L3CACHE, 3},
        {HWLOC_OBJ_L4CACHE, 4}, {HWLOC_OBJ_L5CACHE, 5},
    };
    int cap = (int)(sizeof m->caches / sizeof m->caches[0]);
    m->n_caches = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        int n = hwloc_get_nbobjs_by_type(t->topo, kinds[k].type);
        for (int i = 0; i < n; i++) {
            hwloc_obj_t o = hwloc_get_obj_by_type(t->topo, kinds[k].type, (unsigned)i);
            if (!o || !o->attr)
                continue;
            const char *type = "unified";
            if (o->attr->cache.type == HWLOC_OBJ_CACHE_DATA)
                type = "data";
            else if (o->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION)
                type = "instruction";
            int sharing = count_inside(t, o->cpuset, core_type(t));
            uint64_t size = o->attr->cache.size;
            int j;
            for (j = 0; j < m->n_caches; j++) {
                rl_cache *c = &m->caches[j];
                if (c->level == kinds[k].level && strcmp(c->type, type) == 0 &&
                    c->size_bytes == size && c->cores_sharing == sharing)
                    break;
            }
            if (j < m->n_caches) {
                m->caches[j].instances++;
                continue;
            }
            if (m->n_caches >= cap)
                continue;
            rl_cache *c = &m->caches[m->n_caches++];
            memset(c, 0, sizeof *c);
            c->level = kinds[k].level;
            snprintf(c->type, sizeof c->type, "%s", type);
            c->size_bytes = size;
            c->cores_sharing = sharing;
            c->instances = 1;
        }
    }
}

static void describe_kinds(const rl_topology *t, rl_machine *m)
{
    int cap = (int)(sizeof m->core_kinds / sizeof m->core_kinds[0]);
    int nr = hwloc_cpukinds_get_nr(t->topo, 0);
    m->n_core_kinds = 0;
    if (nr <= 1) {
        rl_core_kind *k = &m->core_kinds[0];
        memset(k, 0, sizeof *k);
        snprintf(k->name, sizeof k->name, "%s", nr == 1 ? "all" : "all (no kind information)");
        k->cores = rl_topology_cores(t);
        k->efficiency = 0;
        m->n_core_kinds = 1;
        return;
    }
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (!set)
        return;
    /* hwloc lists kinds from least to most efficient-for-performance; report the fastest first. */
    for (int i = nr - 1; i >= 0 && m->n_core_kinds < cap; i--) {
        int eff = -1;
        unsigned nr_infos = 0;
        struct hwloc_info_s *infos = NULL;
        if (hwloc_cpukinds_get_info(t->topo, (unsigned)i, set, &eff, &nr_infos, &infos, 0) != 0)
            continue;
        rl_core_kind *k = &m->core_kinds[m->n_core_kinds];
        memset(k, 0, sizeof *k);
        snprintf(k->name, sizeof k->name, "kind %d", i);
        for (unsigned j = 0; j < nr_infos; j++)
            if (strcmp(infos[j].name, "CoreType") == 0) {
                snprintf(k->name, sizeof k->name, "%s", infos[j].value);
                break;
            }
        if (strncmp(k->name, "kind ", 5) == 0)
            for (unsigned j = 0; j < nr_infos; j++)
                if (strcmp(infos[j].name, "FrequencyMaxMHz") == 0) {
                    snprintf(k->name, sizeof k->name, "max %s MHz", infos[j].value);
                    break;
                }
        k->cores = count_inside(t, set, core_type(t));
        k->efficiency = eff < 0 ? i : eff;
        m->n_core_kinds++;
    }
    hwloc_bitmap_free(set);
}

void rl_topology_describe(const rl_topology *t, rl_machine *m)
{
    m->packages = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_PACKAGE);
    if (m->packages <= 0)
        m->packages = 1;
    m->numa_nodes = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_NUMANODE);
    if (m->numa_nodes <= 0)
        m->numa_nodes = 1;
    m->cores = rl_topology_cores(t);
    m->threads = rl_topology_threads(t);
    describe_caches(t, m);
    describe_kinds(t, m);
}

static int package_of(const rl_topology *t, hwloc_obj_t o)
{
    hwloc_obj_t p = hwloc_get_ancestor_obj_by_type(t->topo, HWLOC_OBJ_PACKAGE, o);
    return p ? (int)p->logical_index : 0;
}

static int numa_of_obj(const rl_topology *t, hwloc_obj_t o)
{
    if (!o || !o->nodeset)
        return 0;
    int os = hwloc_bitmap_first(o->nodeset);
    if (os < 0)
        return 0;
    hwloc_obj_t n = hwloc_get_numanode_obj_by_os_index(t->topo, (unsigned)os);
    return n ? (int)n->logical_index : 0;
}

typedef struct core_slot {
    hwloc_obj_t core;
    int package, numa, rank_in_numa, numa_rank_in_package, order;
} core_slot;

static int cmp_scatter(const void *a, const void *b)
{
    const core_slot *x = a, *y = b;
    /* Round-robin: the r-th core of every NUMA node before the (r+1)-th of any; within a round,
     * the k-th NUMA node of every package before the (k+1)-th, packages in order. */
    if (x->rank_in_numa != y->rank_in_numa)
        return x->rank_in_numa < y->rank_in_numa ? -1 : 1;
    if (x->numa_rank_in_package != y->numa_rank_in_package)
        return x->numa_rank_in_package < y->numa_rank_in_package ? -1 : 1;
    if (x->package != y->package)
        return x->package < y->package ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* rl_topology_pin_list, restricted to the cores inside `only` when it is not NULL. */
static int pin_list(const rl_topology *t, int n, int scatter, int smt, hwloc_const_bitmap_t only,
                    int *pus)
{
    hwloc_obj_type_t ct = core_type(t);
    int ncores = hwloc_get_nbobjs_by_type(t->topo, ct);
    if (n <= 0 || ncores <= 0)
        return 0;
    core_slot *slots = calloc((size_t)ncores, sizeof *slots);
    int nnuma = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_NUMANODE);
    if (nnuma <= 0)
        nnuma = 1;
    int *per_numa = calloc((size_t)nnuma, sizeof *per_numa);
    int npkg = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_PACKAGE);
    if (npkg <= 0)
        npkg = 1;
    /* numa_rank[numa] = index of that NUMA node among its package's nodes, by first appearance */
    int *numa_rank = malloc((size_t)nnuma * sizeof *numa_rank);
    int *numa_seen_in_pkg = calloc((size_t)npkg, sizeof *numa_seen_in_pkg);
    if (!slots || !per_numa || !numa_rank || !numa_seen_in_pkg) {
        free(slots);
        free(per_numa);
        free(numa_rank);
        free(numa_seen_in_pkg);
        return 0;
    }
    for (int i = 0; i < nnuma; i++)
        numa_rank[i] = -1;
    int kept = 0;
    for (int i = 0; i < ncores; i++) {
        hwloc_obj_t core = hwloc_get_obj_by_type(t->topo, ct, (unsigned)i);
        if (only && !hwloc_bitmap_isincluded(core->cpuset, only))
            continue;
        core_slot *s = &slots[kept++];
        s->core = core;
        s->package = package_of(t, s->core) % npkg;
        s->numa = numa_of_obj(t, s->core) % nnuma;
        s->rank_in_numa = per_numa[s->numa]++;
        if (numa_rank[s->numa] < 0)
            numa_rank[s->numa] = numa_seen_in_pkg[s->package]++;
        s->numa_rank_in_package = numa_rank[s->numa];
        s->order = i;
    }
    ncores = kept;
    if (scatter)
        qsort(slots, (size_t)ncores, sizeof *slots, cmp_scatter);
    int got = 0;
    int max_smt = smt ? 64 : 1;
    for (int level = 0; level < max_smt && got < n; level++) {
        int any = 0;
        for (int i = 0; i < ncores && got < n; i++) {
            hwloc_obj_t c = slots[i].core;
            hwloc_obj_t pu = c->type == HWLOC_OBJ_PU
                                 ? (level == 0 ? c : NULL)
                                 : hwloc_get_obj_inside_cpuset_by_type(
                                       t->topo, c->cpuset, HWLOC_OBJ_PU, (unsigned)level);
            if (!pu)
                continue;
            any = 1;
            pus[got++] = (int)pu->os_index;
        }
        if (!any)
            break;
    }
    free(slots);
    free(per_numa);
    free(numa_rank);
    free(numa_seen_in_pkg);
    return got;
}

int rl_topology_pin_list(const rl_topology *t, int n, int scatter, int smt, int *pus)
{
    return pin_list(t, n, scatter, smt, NULL, pus);
}

int rl_topology_pin_list_kind(const rl_topology *t, int kind, const char *core_type, int n, int smt,
                              int *pus)
{
    int nr = hwloc_cpukinds_get_nr(t->topo, 0);
    if (nr <= 0 || (!core_type && (kind < 0 || kind >= nr)))
        return 0;
    hwloc_bitmap_t set = hwloc_bitmap_alloc(), one = hwloc_bitmap_alloc();
    int got = 0;
    if (set && one) {
        /* kinds are listed fastest first (describe_kinds); hwloc numbers them the other way */
        for (int i = nr - 1; i >= 0; i--) {
            unsigned nr_infos = 0;
            struct hwloc_info_s *infos = NULL;
            if (hwloc_cpukinds_get_info(t->topo, (unsigned)i, one, NULL, &nr_infos, &infos, 0) != 0)
                continue;
            int take = !core_type && nr - 1 - i == kind;
            for (unsigned j = 0; core_type && j < nr_infos; j++)
                take |= strcmp(infos[j].name, "CoreType") == 0 &&
                        strcmp(infos[j].value, core_type) == 0;
            if (take)
                hwloc_bitmap_or(set, set, one);
        }
        if (!hwloc_bitmap_iszero(set))
            got = pin_list(t, n, 0, smt, set, pus);
    }
    hwloc_bitmap_free(set);
    hwloc_bitmap_free(one);
    return got;
}

int rl_topology_bind_self(const rl_topology *t, int pu, rl_err *err)
{
    if (t->from_env)
        return rl_err_set(err, RL_EXIT_RUNTIME,
                          "cannot bind to PU %d: hwloc describes another machine (HWLOC_XMLFILE, "
                          "HWLOC_SYNTHETIC or HWLOC_FSROOT is set): unset it to measure this one",
                          pu);
    if (!t->this_system)
        return rl_err_set(err, RL_EXIT_USAGE,
                          "cannot bind to PU %d: the topology was read from a file", pu);
    hwloc_obj_t o = hwloc_get_pu_obj_by_os_index(t->topo, (unsigned)pu);
    if (!o)
        return rl_err_set(err, RL_EXIT_RUNTIME, "cannot bind: no PU with OS index %d", pu);
    if (hwloc_set_cpubind(t->topo, o->cpuset, HWLOC_CPUBIND_THREAD) != 0)
        return rl_err_set(err, RL_EXIT_RUNTIME, "cannot bind this thread to PU %d: %s", pu,
                          strerror(errno));
    return 0;
}

int rl_topology_numa_of(const rl_topology *t, int pu)
{
    if (pu < 0)
        return 0;
    return numa_of_obj(t, hwloc_get_pu_obj_by_os_index(t->topo, (unsigned)pu));
}

/* ---- NUMA nodes (runner/numa.h) ---- */

int rl_topology_numa_count(const rl_topology *t)
{
    int n = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_NUMANODE);
    return n > 0 ? n : 1;
}

int rl_topology_numa_pus(const rl_topology *t, int node, int *pus, int max)
{
    hwloc_obj_type_t ct =
        hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_CORE) > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
    int n = 0, cores = hwloc_get_nbobjs_by_type(t->topo, ct);
    for (int i = 0; i < cores && n < max; i++) {
        hwloc_obj_t c = hwloc_get_obj_by_type(t->topo, ct, (unsigned)i);
        if (numa_of_obj(t, c) != node)
            continue;
        hwloc_obj_t pu =
            ct == HWLOC_OBJ_PU
                ? c
                : hwloc_get_obj_inside_cpuset_by_type(t->topo, c->cpuset, HWLOC_OBJ_PU, 0);
        if (pu)
            pus[n++] = (int)pu->os_index;
    }
    return n;
}

void *rl_topology_alloc_on_node(const rl_topology *t, size_t bytes, int node, rl_err *err)
{
    hwloc_obj_t n = hwloc_get_obj_by_type(t->topo, HWLOC_OBJ_NUMANODE, (unsigned)node);
    if (!n) {
        rl_err_set(err, RL_EXIT_USAGE, "NUMA node %d does not exist", node);
        return NULL;
    }
    void *p = hwloc_alloc_membind(t->topo, bytes, n->nodeset, HWLOC_MEMBIND_BIND,
                                  HWLOC_MEMBIND_BYNODESET | HWLOC_MEMBIND_STRICT);
    if (!p)
        rl_err_set(err, RL_EXIT_RUNTIME, "cannot allocate memory bound to NUMA node %d: %s", node,
                   strerror(errno));
    return p;
}

void rl_topology_free_on_node(const rl_topology *t, void *p, size_t bytes)
{
    if (p)
        hwloc_free(t->topo, p, bytes);
}
