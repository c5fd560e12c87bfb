/* job.c: one measurement of this machine (see job.h). */
#include "runner/job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "probes/probe.h"
#include "runner/bandwidth.h"
#include "runner/device.h"
#include "runner/flops.h"
#include "runner/gpu.h"
#include "runner/loaded.h"
#include "runner/pages.h"
#include "runner/threadlist.h"

rl_plan rl_plan_main(void)
{
    rl_plan p;
    memset(&p, 0, sizeof p);
    p.compute = 1;
    p.memory = 1;
    p.theory = 1;
    p.latency = 1;
    p.loaded = 1;
    p.gpu = 1;
    p.gpu_device = -1;
    return p;
}

rl_plan rl_plan_latency(void)
{
    rl_plan p = rl_plan_main();
    p.gpu = 0;
    p.compute = 0;
    p.memory = 0;
    p.loaded = 0;
    p.clock_quick = 1;
    return p;
}

rl_plan rl_plan_gpu(void)
{
    rl_plan p = rl_plan_main();
    p.compute = 0;
    p.memory = 0;
    p.latency = 0;
    p.clock_quick = 1;
    p.gpu_required = 1;
    return p;
}

rl_plan rl_plan_flops(void)
{
    rl_plan p = rl_plan_main();
    p.gpu = 0;
    p.memory = 0;
    p.latency = 0;
    p.clock_quick = 1;
    p.peaks_at_max_threads = 1;
    return p;
}

rl_plan rl_plan_bandwidth(void)
{
    rl_plan p = rl_plan_main();
    p.gpu = 0;
    p.compute = 0;
    p.latency = 0;
    p.theory = 0;
    return p;
}

void rl_plan_resolve(const rl_plan *plan, rl_plan_resolved *out)
{
    const rl_plan *p = plan;
    rl_flops_opts fd = rl_flops_opts_default();
    rl_bw_opts bd = rl_bw_opts_default();
    memset(out, 0, sizeof *out);
    out->plan = *p;

    out->compute_timing.repeats = p->timing.repeats > 0 ? p->timing.repeats : p->quick ? 2 : 5;
    out->compute_timing.min_time = p->timing.min_time > 0 ? p->timing.min_time
                                   : p->quick             ? 0.01
                                                          : fd.min_time;
    out->memory_timing.repeats = p->timing.repeats > 0 ? p->timing.repeats
                                 : p->quick            ? 2
                                 : p->sweep            ? 3
                                                       : bd.repeats;
    out->memory_timing.min_time = p->timing.min_time > 0 ? p->timing.min_time
                                  : p->quick || p->sweep ? 0.01
                                                         : bd.min_time;

    const rl_plan_timing *lt = &p->timing;
    out->latency_timing.repeats = lt->repeats > 0 ? lt->repeats : p->quick ? 2 : 3;
    out->latency_timing.min_time = lt->min_time > 0       ? lt->min_time
                                   : p->quick || p->sweep ? 0.005
                                                          : 0.01;
    if (!out->plan.mixes)
        out->plan.mixes =
            p->compute || p->memory ? 1u << RL_LOADED_MIX_READ : (1u << RL_LOADED_MIXES_) - 1;
    if (!out->plan.loaded_points)
        out->plan.loaded_points = p->compute || p->memory ? 4 : 6;
    if (p->quick)
        out->plan.loaded = 0; /* --quick: the idle figures only */
    if (!out->plan.lat_pages)
        out->plan.lat_pages =
            p->quick || p->sweep ? 1u << RL_PAGES_THP : (1u << RL_PAGES_4K) | (1u << RL_PAGES_THP);

    if (!out->plan.levels)
        out->plan.levels = bd.levels;
    if (!out->plan.kinds)
        out->plan.kinds = p->quick   ? (1u << RL_BW_KIND_LOAD) | (1u << RL_BW_KIND_TRIAD)
                          : p->sweep ? 1u << RL_BW_KIND_LOAD
                                     : bd.kinds;
    if (out->plan.nt == RL_PLAN_NT_DEFAULT)
        out->plan.nt = p->quick || p->sweep ? RL_PLAN_NT_NONE : RL_PLAN_NT_DRAM;
}

int rl_plan_stages(const rl_plan *plan)
{
    return 1 + (plan->compute != 0) + (plan->memory != 0) + (plan->latency != 0);
}

int rl_job_identify(void *user, rl_job_host *host, rl_err *err)
{
    (void)user;
    memset(host, 0, sizeof *host);
    if (rl_cpu_identify(NULL, &host->cpu, err) != 0)
        return -1;
    return rl_topology_load(NULL, &host->topo, err);
}

int rl_plan_threads(const rl_plan *plan, int cores, int hw_threads, int **out, int *n, rl_err *err)
{
    int max = plan->smt ? hw_threads : cores;
    if (max < 1)
        max = 1;
    const char *spec = plan->threads ? plan->threads : plan->sweep ? "1" : "1,all";
    *n = 0;
    *out = calloc((size_t)max, sizeof **out);
    if (!*out)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    if (rl_threadlist_parse(spec, max, *out, n, err) != 0) {
        free(*out);
        *out = NULL;
        return rl_err_prefix(err, "--threads");
    }
    return 0;
}

/* ---- the settings line ---- */

/* The settings keep the three shapes results have always been written with: the full job's,
 * `flops`'s and `bandwidth`'s, told apart by the stages the plan runs. */
static void settings_full(const rl_plan_resolved *rp, char *out, size_t size)
{
    const rl_plan *p = &rp->plan;
    /* The OS kernel beside the settings: scheduling and page placement differ between them. */
    struct utsname os;
    char kernel[160] = "unknown";
    if (uname(&os) == 0)
        snprintf(kernel, sizeof kernel, "%s-%s", os.sysname, os.release);
    snprintf(out, size,
             "repeat=%d min_time=%gs(flops),%gs(bandwidth) quick=%s threads=%s placement=%s "
             "smt=%s os=%s",
             rp->compute_timing.repeats, rp->compute_timing.min_time, rp->memory_timing.min_time,
             p->quick ? "yes" : "no", p->threads ? p->threads : "1,all",
             p->scatter ? "scatter" : "compact", p->smt ? "yes" : "no", kernel);
}

static void settings_flops(const rl_plan_resolved *rp, char *out, size_t size)
{
    const rl_plan *p = &rp->plan;
    snprintf(out, size, "flops repeat=%d min_time=%gs threads=%s bind=%s smt=%s",
             rp->compute_timing.repeats, rp->compute_timing.min_time,
             p->threads ? p->threads : "1,all", p->scatter ? "scatter" : "compact",
             p->smt ? "yes" : "no");
}

static void settings_bandwidth(const rl_plan_resolved *rp, const rl_job_host *host, char *out,
                               size_t size)
{
    const rl_plan *p = &rp->plan;
    char lv[64] = "", kn[96] = "";
    for (int i = 0; i < RL_BW_LEVELS_; i++)
        if (p->levels & (1u << i))
            snprintf(lv + strlen(lv), sizeof lv - strlen(lv), "%s%s", *lv ? "," : "",
                     rl_bw_level_name((rl_bw_level)i));
    for (int i = 0; i < RL_BW_KINDS_; i++)
        if (p->kinds & (1u << i))
            snprintf(kn + strlen(kn), sizeof kn - strlen(kn), "%s%s", *kn ? "," : "",
                     rl_bw_kind_name(i));
    /* The list as bandwidth has always recorded it: "1" on a single core. */
    const char *spec = p->threads                          ? p->threads
                       : p->sweep                          ? "1"
                       : rl_topology_cores(host->topo) > 1 ? "1,all"
                                                           : "1";
    snprintf(out, size, "bandwidth repeat=%d min_time=%gs %s=%s kernels=%s nt=%s threads=%s",
             rp->memory_timing.repeats, rp->memory_timing.min_time,
             p->sweep  ? "sweep"
             : p->size ? "size"
                       : "levels",
             p->sweep  ? "yes"
             : p->size ? "custom"
                       : lv,
             kn,
             p->nt == RL_PLAN_NT_ALL    ? "all"
             : p->nt == RL_PLAN_NT_NONE ? "none"
                                        : "dram",
             spec);
}

/* The latency stage's own sizes, when `roofline latency` was given them. */
static const char *p_sweep_or_size(const rl_plan *plan)
{
    if (plan->compute || plan->memory)
        return "";
    return plan->sweep ? " sweep=yes" : plan->size ? " size=custom" : "";
}

static void settings(const rl_plan *plan, const rl_job_host *host, rl_result *r)
{
    rl_plan_resolved rp;
    rl_plan_resolve(plan, &rp);
    char *out = r->meta.settings;
    size_t size = sizeof r->meta.settings;
    if (plan->compute && plan->memory)
        settings_full(&rp, out, size);
    else if (plan->compute)
        settings_flops(&rp, out, size);
    else if (plan->memory)
        settings_bandwidth(&rp, host, out, size);
    else
        out[0] = '\0';
    if (plan->latency) {
        char pages[32] = "";
        for (int i = 0; i < RL_PAGES_KINDS_; i++)
            if (rp.plan.lat_pages & (1u << i))
                snprintf(pages + strlen(pages), sizeof pages - strlen(pages), "%s%s",
                         *pages ? "," : "", rl_pages_name((rl_pages_kind)i));
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%slatency repeat=%d min_time=%gs pages=%s%s",
                 used ? "; " : "", rp.latency_timing.repeats, rp.latency_timing.min_time, pages,
                 p_sweep_or_size(plan));
    }
    if (plan->gpu && host->gpus > 0) {
        char dev[16] = "all";
        if (plan->gpu_device >= 0)
            snprintf(dev, sizeof dev, "%d", plan->gpu_device);
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%sgpu device=%s repeat=%d min_time=%gms only=%s",
                 used ? "; " : "", dev,
                 plan->gpu_timing.repeats > 0 ? plan->gpu_timing.repeats
                 : plan->quick                ? 3
                                              : 5,
                 plan->gpu_timing.min_time > 0 ? plan->gpu_timing.min_time * 1e3
                 : plan->quick                 ? 4.0
                                               : 20.0,
                 plan->gpu_rows ? plan->gpu_rows : "all");
    }
}

/* ---- the run ---- */

/* The machine into r: identity and topology, and unless the plan says otherwise its clock, DRAM
 * and theoretical roofline, from the CPU and topology already identified. */
static int describe(const rl_plan *plan, const rl_job_host *host, rl_result *r, rl_err *err)
{
    rl_probe_opts po;
    rl_probe_opts_init(&po);
    po.clock_ghz = plan->clock_ghz;
    po.n_clock_isa = plan->n_clock_isa;
    memcpy(po.clock_isa, plan->clock_isa, sizeof po.clock_isa);
    po.mem_channels = plan->mem_channels;
    po.mem_mts = plan->mem_mts;
    po.platform_memory = plan->platform_memory;
    po.quick = plan->quick || plan->clock_quick;
    if (!plan->theory) {
        rl_probe_identity(&po, &host->cpu, host->topo, &r->machine);
        return 0;
    }
    if (plan->peaks_at_max_threads) {
        int *threads = NULL, n = 0;
        if (rl_plan_threads(plan, rl_topology_cores(host->topo), rl_topology_threads(host->topo),
                            &threads, &n, err) != 0)
            return -1;
        po.threads = n > 0 ? threads[n - 1] : 0;
        free(threads);
    }
    if (host->cpu.emulated[0])
        snprintf(r->meta.emulated, sizeof r->meta.emulated, "%s", host->cpu.emulated);
    return rl_probe_describe(&po, &host->cpu, host->topo, r, err);
}

static int stopped(const rl_job_hooks *hooks)
{
    return hooks->stop && *hooks->stop;
}

int rl_job_run(const rl_plan *plan, const rl_job_hooks *hooks, rl_result *r, rl_err *err)
{
    static const rl_job_hooks none = {0};
    if (!hooks)
        hooks = &none;
    rl_job_host host;
    memset(&host, 0, sizeof host);
    int rc = -1;

    /* GPUs first: they are part of the machine, and the number of stages depends on them. */
    int gpus = 0;
    char gpu_why[sizeof host.gpu_why] = "";
    if (plan->gpu)
        gpus = rl_gpu_detect(gpu_why, sizeof gpu_why);
    if (hooks->stages)
        hooks->stages(hooks->progress_user, rl_plan_stages(plan) + (gpus > 0));
    if (hooks->stage)
        hooks->stage(hooks->progress_user, "probe");
    if ((hooks->identify ? hooks->identify(hooks->identify_user, &host, err)
                         : rl_job_identify(NULL, &host, err)) != 0)
        goto done;
    host.gpus = gpus;
    memcpy(host.gpu_why, gpu_why, sizeof gpu_why);
    for (size_t i = 0; i < rl_device_count(); i++) {
        const rl_device_backend *b = rl_device_at(i);
        if (b->check && b->check(plan, &host, err) != 0)
            goto done;
    }
    if (describe(plan, &host, r, err) != 0)
        goto done;
    settings(plan, &host, r);

    rc = 0;
    for (size_t i = 0; i < rl_device_count() && !stopped(hooks); i++)
        if (rl_device_at(i)->run(plan, &host, hooks, r, err) != 0) {
            rc = -1;
            break;
        }
    if (stopped(hooks))
        r->meta.partial = 1;
    /* Ridge points from whatever finished: an interrupted run still reports them. */
    rl_err rerr = {0};
    if (rl_result_derive_ridge(r, &rerr) != 0 && rc == 0) {
        if (err)
            *err = rerr;
        rc = -1;
    }
done:
    rl_topology_free(host.topo);
    return rc;
}
