/* device_cpu.c: the CPU backend (see device.h): the compute stage (runner/flops.h), then the
 * memory stage (runner/bandwidth.h), on the thread counts of the plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "kernels/stream.h"
#include "probes/cachebw.h"
#include "probes/meminfo.h"
#include "probes/theory.h"
#include "runner/bandwidth.h"
#include "runner/device.h"
#include "runner/flops.h"
#include "runner/latency.h"
#include "runner/loaded.h"
#include "runner/numa.h"
#include "runner/pages.h"

/* The plan with its defaults applied and what it means on this host. */
typedef struct cpu_plan {
    rl_plan_resolved rp;
    int *threads; /* ascending */
    int n_threads;
    rl_flops_plan flops; /* when the plan has the compute stage */
} cpu_plan;

static void cpu_plan_free(cpu_plan *cp)
{
    free(cp->threads);
    cp->threads = NULL;
}

/* The registry names of the memory kernels this CPU runs, comma-separated. */
static void runnable_stream_isas(rl_isa_mask runnable, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    const rl_stream_kernel *k;
    const char *last = NULL; /* the registry lists each ISA's kernels together */
    for (size_t i = 0; (k = rl_stream_at(i)) != NULL; i++) {
        if ((k->requires & runnable) != k->requires || (last && strcmp(last, k->isa) == 0))
            continue;
        last = k->isa;
        int w = snprintf(out + used, size - used, "%s%s", used ? ", " : "", k->isa);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

/* The memory stage's usage errors: an unknown ISA, a kernel this CPU cannot run, a --size the
 * free memory cannot hold for the largest team. */
static int check_memory(const cpu_plan *cp, const rl_job_host *host, rl_err *err)
{
    const rl_plan *p = &cp->rp.plan;
    char names[128], aliases[128], runs[128];
    rl_stream_isa_names(names, sizeof names);
    rl_stream_isa_aliases(aliases, sizeof aliases);
    if (p->mem_isa && !rl_stream_isa_lookup(p->mem_isa))
        return rl_err_set(err, RL_EXIT_USAGE,
                          "--isa: '%s' is not a memory-kernel ISA (valid: %s; %s)", p->mem_isa,
                          names, aliases);
    for (int kind = 0; kind < RL_BW_KINDS_; kind++) {
        if ((p->kinds & (1u << kind)) &&
            !rl_bw_kind_runnable(kind, host->cpu.runnable_isa, p->mem_isa)) {
            runnable_stream_isas(host->cpu.runnable_isa, runs, sizeof runs);
            return rl_err_set(err, RL_EXIT_USAGE,
                              "--isa: this CPU cannot run the %s kernels (it runs %s; valid: %s)",
                              p->mem_isa ? p->mem_isa : "?", runs, names);
        }
    }
    /* --size is per thread: the largest team must fit in half the free memory (the level sizes
     * are capped the same way), or first-touching the arrays would swap or wake the OOM killer. */
    uint64_t avail = p->size > 0 ? rl_meminfo_available(NULL) : 0;
    if (p->size > 0 && avail > 0) {
        int most = cp->threads[cp->n_threads - 1];
        if (p->size > avail / 2 / (uint64_t)most) {
            char want[32], have[32];
            rl_bytes_format(want, sizeof want, p->size);
            rl_bytes_format(have, sizeof have, avail);
            return rl_err_set(err, RL_EXIT_USAGE,
                              "--size: %s per thread x %d threads is more than half the free "
                              "memory (%s)",
                              want, most, have);
        }
    }
    return 0;
}

/* The latency stage's usage errors: a --size the free memory cannot hold (the chase maps one set
 * on one core: half the free memory at most). */
static int check_latency(const cpu_plan *cp, const rl_job_host *host, rl_err *err)
{
    const rl_plan *p = &cp->rp.plan;
    if (p->n_numa_nodes > 0 && rl_numa_check(host->topo, p->numa_nodes, p->n_numa_nodes, err) != 0)
        return -1;
    uint64_t avail = p->size > 0 ? rl_meminfo_available(NULL) : 0;
    if (p->size > 0 && avail > 0 && p->size > avail / 2) {
        char want[32], have[32];
        rl_bytes_format(want, sizeof want, p->size);
        rl_bytes_format(have, sizeof have, avail);
        return rl_err_set(err, RL_EXIT_USAGE,
                          "--size: %s is more than half the free memory (%s): the chase would "
                          "swap",
                          want, have);
    }
    return 0;
}

static int cpu_plan_make(const rl_plan *plan, const rl_job_host *host, cpu_plan *cp, rl_err *err)
{
    memset(cp, 0, sizeof *cp);
    rl_plan_resolve(plan, &cp->rp);
    const rl_plan *p = &cp->rp.plan;
    if (p->latency && check_latency(cp, host, err) != 0)
        return -1;
    if (!p->compute && !p->memory)
        return 0;
    if (rl_plan_threads(p, rl_topology_cores(host->topo), rl_topology_threads(host->topo),
                        &cp->threads, &cp->n_threads, err) != 0)
        return -1;
    if (p->compute) {
        const char *which = NULL;
        if (rl_flops_plan_make(p->isa, p->precision, host->cpu.runnable_isa, &cp->flops, &which,
                               err) != 0) {
            if (err && err->code == RL_EXIT_USAGE)
                rl_err_prefix(err, "--%s", which ? which : "isa");
            goto fail;
        }
        if (p->quick)
            rl_flops_plan_quick(&cp->flops);
    }
    if (p->memory && check_memory(cp, host, err) != 0)
        goto fail;
    return 0;
fail:
    cpu_plan_free(cp);
    return -1;
}

static int cpu_check(const rl_plan *plan, const rl_job_host *host, rl_err *err)
{
    cpu_plan cp;
    if (cpu_plan_make(plan, host, &cp, err) != 0)
        return -1;
    cpu_plan_free(&cp);
    return 0;
}

static int run_compute(const cpu_plan *cp, const rl_job_host *host, const rl_job_hooks *hooks,
                       rl_result *r, rl_err *err)
{
    const rl_plan *p = &cp->rp.plan;
    rl_flops_opts fo = rl_flops_opts_default();
    fo.threads = cp->threads;
    fo.n_threads = cp->n_threads;
    fo.scatter = p->scatter;
    fo.smt = p->smt;
    fo.repeats = cp->rp.compute_timing.repeats;
    fo.min_time = cp->rp.compute_timing.min_time;
    fo.progress = hooks->progress;
    fo.progress_user = hooks->progress_user;
    fo.stop = hooks->stop;
    fo.runnable = host->cpu.runnable_isa;
    fo.fixed_clock = p->clock_ghz;
    fo.isa_clocks = p->clock_ghz <= 0; /* --clock GHZ: the user's clock, nothing measured */
    int rc = rl_flops_measure(&cp->flops, host->topo, &r->theory, &fo, r, err);
    /* Hybrid CPUs: each core type on its own cores alone (all of them), beside the runs above on
     * any cores (the fastest first), each row with that type's theory and clock. */
    const rl_theory *th = &r->theory;
    const rl_machine *m = &r->machine;
    int named = m->n_core_kinds > 1;
    for (int k = 0; k < m->n_core_kinds; k++)
        named &= !strcmp(m->core_kinds[k].name, "IntelCore") ||
                 !strcmp(m->core_kinds[k].name, "IntelAtom");
    for (int k = 0;
         rc == 0 && th->n_core_types > 1 && k < th->n_core_types &&
         (named || m->n_core_kinds == th->n_core_types) && !(hooks->stop && *hooks->stop);
         k++) {
        int cores = th->core_types[k].cores;
        if (cores <= 0)
            continue;
        rl_flops_opts to = fo;
        to.threads = &cores;
        to.n_threads = 1;
        to.scatter = 0;
        to.smt = 0;
        to.core_kind = k;
        to.core_kind_name =
            named ? (strcmp(th->core_types[k].role, "P") == 0 ? "IntelCore" : "IntelAtom") : NULL;
        to.core_type = th->core_types[k].name;
        rc = rl_flops_measure(&cp->flops, host->topo, &r->theory, &to, r, err);
    }
    /* The theoretical table at the clocks just measured under each ISA's load. */
    rl_theory_apply_isa_clocks(r);
    return rc;
}

static int run_memory(const cpu_plan *cp, const rl_job_host *host, const rl_job_hooks *hooks,
                      rl_result *r, rl_err *err)
{
    const rl_plan *p = &cp->rp.plan;
    rl_bw_opts bo = rl_bw_opts_default();
    bo.levels = p->levels;
    bo.kinds = p->kinds;
    bo.threads = cp->threads;
    bo.n_threads = cp->n_threads;
    bo.nt_mode = p->nt == RL_PLAN_NT_ALL    ? RL_BW_NT_ALL
                 : p->nt == RL_PLAN_NT_NONE ? RL_BW_NT_NONE
                                            : RL_BW_NT_DRAM;
    bo.size = p->size;
    bo.sweep = p->sweep;
    bo.repeats = cp->rp.memory_timing.repeats;
    bo.min_time = cp->rp.memory_timing.min_time;
    bo.isa = p->mem_isa ? rl_stream_isa_lookup(p->mem_isa) : NULL;
    bo.runnable = host->cpu.runnable_isa;
    bo.mem_available = rl_meminfo_available(NULL);
    bo.progress = hooks->progress;
    bo.progress_user = hooks->progress_user;
    bo.stop = hooks->stop;
    int rc = rl_bw_run(host->topo, &bo, r, err);
    rl_cachebw_apply(r); /* each row beside its level's theory, where it is known */
    return rc;
}

/* 1 GiB pages join the default kinds where the administrator reserved some (runner/pages.h). */
static unsigned latency_pages(const rl_plan *plan, const rl_plan_resolved *rp)
{
    unsigned pages = rp->plan.lat_pages;
    if (!plan->lat_pages && rl_pages_free_1g() > 0)
        pages |= 1u << RL_PAGES_1G;
    return pages;
}

static int run_latency(const rl_plan *plan, const cpu_plan *cp, const rl_job_host *host,
                       const rl_job_hooks *hooks, rl_result *r, rl_err *err)
{
    const rl_plan *p = &cp->rp.plan;
    rl_lat_opts lo = rl_lat_opts_default();
    lo.levels = p->levels;
    lo.pages = latency_pages(plan, &cp->rp);
    lo.size = p->memory ? 0 : p->size; /* the main job's sizes are the levels' */
    lo.sweep = p->memory ? 0 : p->sweep;
    lo.quick = p->quick;
    lo.repeats = cp->rp.latency_timing.repeats;
    lo.min_time = cp->rp.latency_timing.min_time;
    lo.mem_available = rl_meminfo_available(NULL);
    lo.progress = hooks->progress;
    lo.progress_user = hooks->progress_user;
    lo.stop = hooks->stop;
    if (rl_lat_run(host->topo, &lo, r, err) != 0)
        return -1;
    int stopped = hooks->stop && *hooks->stop;
    /* The DRAM set of the idle figure, on the largest pages asked for (the TLB left out). */
    uint64_t dram = rl_lat_level_size(&r->machine, RL_BW_DRAM, p->quick, lo.mem_available, NULL, 0);
    int pages = lo.pages & (1u << RL_PAGES_THP) ? RL_PAGES_THP : RL_PAGES_4K;
    if (p->loaded && !stopped && !p->sweep && !p->size) {
        rl_loaded_opts ld = {0};
        ld.mixes = p->mixes;
        ld.points = p->loaded_points;
        ld.pages = pages;
        ld.bytes = dram;
        ld.repeats = lo.repeats;
        ld.min_time = lo.min_time;
        ld.runnable = host->cpu.runnable_isa;
        ld.progress = hooks->progress;
        ld.progress_user = hooks->progress_user;
        ld.stop = hooks->stop;
        if (rl_loaded_run(host->topo, &ld, r, err) != 0)
            return -1;
        stopped = hooks->stop && *hooks->stop;
    }
    int numa = p->numa || p->n_numa_nodes > 0 ||
               (rl_topology_numa_count(host->topo) > 1 && !p->sweep && !p->size && !p->quick);
    if (numa && !stopped) {
        rl_numa_opts no = {0};
        no.nodes = p->n_numa_nodes > 0 ? p->numa_nodes : NULL;
        no.n_nodes = p->n_numa_nodes;
        no.bytes = dram;
        no.repeats = lo.repeats;
        no.min_time = lo.min_time;
        no.runnable = host->cpu.runnable_isa;
        no.stop = hooks->stop;
        if (rl_numa_run(host->topo, &no, r, err) != 0)
            return -1;
    }
    return 0;
}

static int cpu_run(const rl_plan *plan, const rl_job_host *host, const rl_job_hooks *hooks,
                   rl_result *r, rl_err *err)
{
    cpu_plan cp;
    if (cpu_plan_make(plan, host, &cp, err) != 0)
        return -1;
    int rc = 0;
    if (cp.rp.plan.compute) {
        if (hooks->stage)
            hooks->stage(hooks->progress_user, "compute");
        rc = run_compute(&cp, host, hooks, r, err);
    }
    if (rc == 0 && cp.rp.plan.memory && !(hooks->stop && *hooks->stop)) {
        if (hooks->stage)
            hooks->stage(hooks->progress_user, "bandwidth");
        rc = run_memory(&cp, host, hooks, r, err);
    }
    if (rc == 0 && cp.rp.plan.latency && !(hooks->stop && *hooks->stop)) {
        if (hooks->stage)
            hooks->stage(hooks->progress_user, "latency");
        rc = run_latency(plan, &cp, host, hooks, r, err);
    }
    cpu_plan_free(&cp);
    return rc;
}

const rl_device_backend rl_device_cpu = {
    .name = "cpu",
    .check = cpu_check,
    .run = cpu_run,
};
