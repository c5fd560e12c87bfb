/* gpu.c: the CUDA device backend (see gpu.h). The plugin measures; this file turns its rows into
 * the result model: each measured ceiling beside its theory at the clock measured during that
 * kernel (compute: SMs x FLOPs/SM/cycle x that clock; device memory: the memory bus figure; shared
 * memory: SMs x bytes/cycle x that clock; L1 and L2: unknown, no vendor figure), the efficiency, a
 * flag above 101%, and the device's measured and theoretical ridge points; each row's power and
 * clock samples with its efficiency per joule and why its clock fell; the GPU's links (PCIe as
 * trained and at most, NVLink) with their theory; the host links from the NUMA node nearest the
 * GPU and the farthest one, each sweep's plateau; launch and pointer-chase latency; and the
 * GPU-to-GPU copies of the devices measured, each pair beside its NVLink or PCIe theory. */
#include "runner/gpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/gpu.h"
#include "probes/gpu_theory.h"
#include "probes/numa_bind.h"
#include "result/gpu_server.h"
#include "runner/run.h"

/* 1 when `id` is in the comma list `only` (NULL or empty: every row and section). */
static int wanted(const char *only, const char *id)
{
    if (!only || !*only)
        return 1;
    size_t n = strlen(id);
    for (const char *p = only; *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && !strncmp(p, id, n))
            return 1;
        p = e ? e + 1 : p + l;
    }
    return 0;
}

int rl_gpu_is_section(const char *id, size_t len)
{
    static const char *const SECTIONS[] = {RL_GPU_SECTION_HOST_LINKS, RL_GPU_SECTION_P2P,
                                           RL_GPU_SECTION_LATENCY};
    for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++)
        if (strlen(SECTIONS[i]) == len && !strncmp(SECTIONS[i], id, len))
            return 1;
    return 0;
}

static void power_of(const rl_gpu_power *g, rl_device_power *p)
{
    rl_device_power_unknown(p);
    if (g->samples <= 0)
        return;
    p->samples = g->samples;
    p->seconds = g->seconds;
    p->power_w = g->power_w > 0 ? g->power_w : -1;
    p->power_max_w = g->power_max_w > 0 ? g->power_max_w : -1;
    p->energy_j = g->energy_j > 0 ? g->energy_j : -1;
    p->sm_mhz = g->sm_mhz > 0 ? g->sm_mhz : -1;
    p->sm_mhz_min = g->sm_mhz_min > 0 ? g->sm_mhz_min : -1;
    p->mem_mhz = g->mem_mhz > 0 ? g->mem_mhz : -1;
    p->temp_c = g->temp_c > 0 ? g->temp_c : -1;
    p->reasons = g->reasons & ((1ULL << RL_DEVICE_REASONS) - 1);
    for (int i = 0; i < RL_DEVICE_REASONS; i++)
        p->reason_frac[i] =
            g->reason_frac[i] >= 0 && g->reason_frac[i] <= 1 ? g->reason_frac[i] : 0;
}

static void progress_bridge(void *user, const char *line)
{
    const rl_gpu_opts *o = user;
    if (o->progress)
        o->progress(o->progress_user, line);
}

/* The theoretical figure of one measured row at the clock measured during it; <0 unknown. */
static double row_theory(const rl_gpu_info *in, const rl_device *d, const rl_gpu_row *g)
{
    if (!strcmp(g->kind, "compute")) {
        const char *path = strncmp(g->path, "tensor", 6) == 0 ? "tensor" : g->path;
        return rl_gpu_peak_gflops(in, path, g->precision, g->clock_ghz);
    }
    if (!strcmp(g->path, "DRAM"))
        return d->dram_gbs;
    if (!strcmp(g->path, "shared")) {
        const rl_gpu_rates *r = rl_gpu_rates_for(in->cc_major, in->cc_minor);
        return r && g->clock_ghz > 0 ? in->sms * r->smem_bytes_per_cycle * g->clock_ghz : -1;
    }
    return -1;
}

static int add_rows(rl_device *d, const rl_gpu_info *in, const rl_gpu_row *rows, int n, rl_err *err)
{
    double clocks[RL_GPU_MAX_ROWS];
    int n_clocks = 0;
    for (int i = 0; i < n; i++) {
        const rl_gpu_row *g = &rows[i];
        rl_device_ceiling c;
        memset(&c, 0, sizeof c);
        snprintf(c.id, sizeof c.id, "%s", g->id);
        snprintf(c.kind, sizeof c.kind, "%s", g->kind);
        snprintf(c.path, sizeof c.path, "%s", g->path);
        snprintf(c.precision, sizeof c.precision, "%s", g->precision);
        snprintf(c.op, sizeof c.op, "%s", g->op);
        snprintf(c.insn, sizeof c.insn, "%s", g->insn);
        snprintf(c.unit, sizeof c.unit, "%s", g->unit);
        snprintf(c.note, sizeof c.note, "%s", g->note);
        c.work_bytes = g->work_bytes;
        c.clock_ghz = g->clock_ghz > 0 ? g->clock_ghz : -1;
        c.best = c.median = c.min = c.theoretical = c.efficiency = -1;
        power_of(&g->power, &c.power);
        if (g->ok) {
            c.best = g->best;
            c.median = g->median;
            c.min = g->min;
            c.repeats = g->repeats;
            c.theoretical = row_theory(in, d, g);
            if (c.theoretical > 0) {
                c.efficiency = c.best / c.theoretical;
                if (c.efficiency > 1.01)
                    rl_run_note_add(c.note, sizeof c.note,
                                    "above its theoretical ceiling (%.0f%%): suspicious",
                                    c.efficiency * 100);
            }
            if (!strcmp(g->kind, "compute") && c.clock_ghz > 0 && n_clocks < RL_GPU_MAX_ROWS)
                clocks[n_clocks++] = c.clock_ghz;
            if (!strcmp(g->path, "tensor-mma") && in->cc_major == 9)
                rl_run_note_add(c.note, sizeof c.note,
                                "warp-level mma.sync: Hopper reaches its full tensor rate only "
                                "through wgmma");
            /* GFLOP/s (GOP/s, GB/s) over watts: per joule. */
            if (c.power.power_w > 0)
                c.power.per_joule = c.best / c.power.power_w;
            rl_gpu_clock_why(d, &c.power, c.clock_ghz, c.power.why, sizeof c.power.why);
        }
        if (rl_device_add_ceiling(d, &c, err) != 0)
            return -1;
    }
    if (n_clocks) {
        qsort(clocks, (size_t)n_clocks, sizeof clocks[0], rl_run_cmp_double);
        d->measured_clock_ghz = clocks[n_clocks / 2];
    }
    return rl_device_derive_ridge(d, err);
}

/* The GPU's links from the plugin (NVML) and their theory. */
static void fill_link(rl_device *d, const rl_gpu_info *in, const rl_gpu_links *g)
{
    rl_device_link *l = &d->link;
    rl_device_link_unknown(l);
    d->has_link = 1;
    snprintf(l->nvml, sizeof l->nvml, "%s", g->nvml);
    l->pcie_gen = g->pcie_gen;
    l->pcie_width = g->pcie_width;
    l->pcie_gen_max = g->pcie_gen_max;
    l->pcie_width_max = g->pcie_width_max;
    l->pcie_gbs = rl_gpu_pcie_gbs(g->pcie_gen, g->pcie_width);
    l->pcie_max_gbs = rl_gpu_pcie_gbs(g->pcie_gen_max, g->pcie_width_max);
    l->c2c = g->c2c != 0;
    l->c2c_gbs = l->c2c ? RL_GPU_C2C_GBS : -1;
    l->nvlinks = g->nvlinks;
    l->nvlinks_switch = g->nvlinks_switch;
    l->nvlink_gbs_per_link =
        g->nvlinks > 0 ? rl_gpu_nvlink_gbs_per_link(in->cc_major, in->cc_minor) : -1;
    l->power_limit_w = g->power_limit_w > 0 ? g->power_limit_w : -1;
    l->power_default_w = g->power_default_w > 0 ? g->power_default_w : -1;
}

/* The plateau of a size sweep: the mean of the points within 3% of the fastest, and the smallest
 * size among them (copies of small sizes are bound by latency, not by the link). */
static double plateau(const rl_gpu_copy *g, uint64_t *bytes)
{
    double top = -1, sum = 0;
    int n = 0;
    *bytes = 0;
    for (int i = 0; i < g->n_points && i < RL_GPU_SWEEP_POINTS; i++)
        if (g->gbs[i] > top)
            top = g->gbs[i];
    if (!(top > 0))
        return -1;
    for (int i = 0; i < g->n_points && i < RL_GPU_SWEEP_POINTS; i++)
        if (g->gbs[i] >= top * 0.97) {
            sum += g->gbs[i];
            n++;
            if (!*bytes || g->size[i] < *bytes)
                *bytes = g->size[i];
        }
    return sum / n;
}

/* The host link's theory per direction: NVLink-C2C where the GPU has it, else PCIe as trained. */
static double host_link_gbs(const rl_device_link *l)
{
    return l->c2c ? l->c2c_gbs : l->pcie_gbs;
}

static int add_copies(rl_device *d, const rl_gpu_copy *rows, int n, const char *numa, int node,
                      const char *bind_note, rl_err *err)
{
    for (int i = 0; i < n; i++) {
        const rl_gpu_copy *g = &rows[i];
        rl_device_copy c;
        memset(&c, 0, sizeof c);
        snprintf(c.id, sizeof c.id, "%s", g->id);
        snprintf(c.mode, sizeof c.mode, "%s", g->mode);
        snprintf(c.numa, sizeof c.numa, "%s", numa);
        c.numa_node = node;
        snprintf(c.note, sizeof c.note, "%s", g->note);
        if (bind_note[0])
            rl_run_note_add(c.note, sizeof c.note, "%s", bind_note);
        c.n_points = g->n_points < 0                        ? 0
                     : g->n_points > RL_DEVICE_SWEEP_POINTS ? RL_DEVICE_SWEEP_POINTS
                                                            : g->n_points;
        for (int k = 0; k < c.n_points; k++) {
            c.size[k] = g->size[k];
            c.gbs[k] = g->gbs[k] > 0 ? g->gbs[k] : -1;
        }
        c.best = g->ok ? plateau(g, &c.plateau_bytes) : -1;
        double t = host_link_gbs(&d->link);
        c.theoretical = t > 0 ? (!strcmp(c.id, "bidir") ? 2 * t : t) : -1;
        c.efficiency = c.best > 0 && c.theoretical > 0 ? c.best / c.theoretical : -1;
        if (rl_device_add_copy(d, &c, err) != 0)
            return -1;
    }
    return 0;
}

/* Host links from the nearest NUMA node and, where there is another, the farthest. */
static int measure_host_links(const rl_gpu_api *api, int dev, const rl_gpu_info *in,
                              rl_gpu_plan *plan, rl_device *d, char *msg, size_t len, rl_err *err)
{
    int near = in->host_numa >= 0 ? in->host_numa : rl_numa_of_pci(in->pci_bus_id);
    int far = rl_numa_farthest(near);
    d->link.numa_near = near;
    d->link.numa_far = far;
    rl_gpu_copy *rows = calloc(RL_GPU_MAX_COPIES, sizeof *rows);
    if (!rows)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    int rc = 0;
    for (int pass = 0; pass < (far >= 0 ? 2 : 1) && rc == 0; pass++) {
        int node = pass ? far : near;
        char bind_note[160] = "";
        rl_numa_binding b;
        if (node >= 0 && rl_numa_bind(node, &b, bind_note, sizeof bind_note) == 0)
            bind_note[0] = '\0';
        else if (node < 0)
            snprintf(bind_note, sizeof bind_note, "the GPU's NUMA node is unknown: not bound");
        plan->host_numa = node;
        plan->host_far = pass;
        int n = 0;
        rc = api->host_copies(dev, plan, rows, RL_GPU_MAX_COPIES, &n, msg, len);
        rl_numa_unbind(&b);
        if (n < 0 || n > RL_GPU_MAX_COPIES)
            n = 0;
        if (add_copies(d, rows, n,
                       node < 0 ? ""
                       : pass   ? "far"
                                : "near",
                       node, bind_note, err) != 0) {
            free(rows);
            return -2;
        }
    }
    free(rows);
    return rc;
}

/* Launch overhead stays with the device; the pointer chases are memory latency and go where the
 * CPU's do (r->latency, device = the GPU's id), into the same report section. */
static int measure_latency(const rl_gpu_api *api, int dev, const rl_gpu_plan *plan, rl_result *r,
                           size_t di, char *msg, size_t len, rl_err *err)
{
    rl_gpu_latency rows[RL_GPU_MAX_LATENCY];
    int n = 0;
    memset(rows, 0, sizeof rows);
    int rc = api->latency(dev, plan, rows, RL_GPU_MAX_LATENCY, &n, msg, len);
    if (n < 0 || n > RL_GPU_MAX_LATENCY)
        n = 0;
    for (int i = 0; i < n; i++) {
        const rl_gpu_latency *g = &rows[i];
        rl_device *d = &r->devices[di];
        if (strcmp(g->level, "launch") != 0) {
            rl_latency e = rl_latency_blank();
            snprintf(e.device, sizeof e.device, "%s", d->id);
            snprintf(e.kind, sizeof e.kind, "idle");
            snprintf(e.level, sizeof e.level, "%.7s", g->level);
            e.bytes = g->work_bytes;
            e.ns = e.ns_median = g->ok && g->ns > 0 ? g->ns : -1;
            e.cycles = g->ok && g->cycles > 0 ? g->cycles : -1;
            e.clock_ghz = g->clock_ghz > 0 ? g->clock_ghz : -1;
            e.repeats = g->ok ? 1 : 0;
            snprintf(e.note, sizeof e.note, "%.159s", g->note);
            if (rl_result_add_latency(r, &e, err) != 0)
                return -2;
            continue;
        }
        rl_device_latency l;
        memset(&l, 0, sizeof l);
        snprintf(l.id, sizeof l.id, "%.15s", g->id);
        snprintf(l.level, sizeof l.level, "%.7s", g->level);
        l.ns = g->ok && g->ns > 0 ? g->ns : -1;
        l.cycles = g->ok && g->cycles > 0 ? g->cycles : -1;
        l.clock_ghz = g->clock_ghz > 0 ? g->clock_ghz : -1;
        l.work_bytes = g->work_bytes;
        l.stride_bytes = g->stride_bytes;
        snprintf(l.note, sizeof l.note, "%s", g->note);
        if (rl_device_add_latency(d, &l, err) != 0)
            return -2;
    }
    return rc;
}

/* The theory of the copy from device a to device b: their NVLink (links between them, or through
 * NVSwitch the fewer of their switch links) x the per-link rate, else the slower PCIe link. */
static double pair_theory(const rl_device *a, const rl_device *b, int b_ordinal,
                          const rl_gpu_links *ga, char *path, size_t size)
{
    const rl_device_link *la = &a->link, *lb = &b->link;
    int direct = b_ordinal >= 0 && b_ordinal < 16 ? ga->nvlinks_to[b_ordinal] : 0;
    int sw = la->nvlinks_switch < lb->nvlinks_switch ? la->nvlinks_switch : lb->nvlinks_switch;
    if ((direct > 0 || sw > 0) && la->nvlink_gbs_per_link > 0) {
        int links = direct > 0 ? direct : sw;
        snprintf(path, size, "NVLink, %d link%s%s", links, links == 1 ? "" : "s",
                 direct > 0 ? "" : " via NVSwitch");
        return links * la->nvlink_gbs_per_link;
    }
    double pa = la->pcie_gbs, pb = lb->pcie_gbs;
    if (pa > 0 && pb > 0) {
        const rl_device_link *slow = pa <= pb ? la : lb;
        snprintf(path, size, "PCIe Gen%d x%d", slow->pcie_gen, slow->pcie_width);
        return pa < pb ? pa : pb;
    }
    snprintf(path, size, "unknown");
    return -1;
}

static int measure_p2p(const rl_gpu_api *api, const int *devs, const size_t *index, int n_devs,
                       const rl_gpu_links *links, rl_gpu_plan *plan, rl_result *r, char *msg,
                       size_t len, rl_err *err)
{
    rl_gpu_copy *rows = calloc(RL_GPU_MAX_COPIES, sizeof *rows);
    if (!rows)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory"), -2;
    int n = 0;
    int rc = api->peer_copies(devs, n_devs, plan, rows, RL_GPU_MAX_COPIES, &n, msg, len);
    if (n < 0 || n > RL_GPU_MAX_COPIES)
        n = 0;
    for (int i = 0; i < n; i++) {
        const rl_gpu_copy *g = &rows[i];
        int si = -1, di = -1;
        for (int k = 0; k < n_devs; k++) {
            if (devs[k] == g->src)
                si = k;
            if (devs[k] == g->dst)
                di = k;
        }
        if (si < 0 || di < 0)
            continue; /* the plugin named a device it was not given */
        const rl_device *a = &r->devices[index[si]], *b = &r->devices[index[di]];
        rl_p2p p;
        memset(&p, 0, sizeof p);
        snprintf(p.src, sizeof p.src, "%s", a->id);
        snprintf(p.dst, sizeof p.dst, "%s", b->id);
        snprintf(p.mode, sizeof p.mode, "%s", g->mode);
        snprintf(p.note, sizeof p.note, "%s", g->note);
        uint64_t bytes;
        p.gbs = g->ok ? plateau(g, &bytes) : -1;
        p.theoretical = pair_theory(a, b, g->dst, &links[si], p.path, sizeof p.path);
        if (!strcmp(p.mode, "no-peer")) { /* staged through host memory: both PCIe links */
            double t = a->link.pcie_gbs < b->link.pcie_gbs ? a->link.pcie_gbs : b->link.pcie_gbs;
            p.theoretical = t > 0 ? t : -1;
            snprintf(p.path, sizeof p.path, "through the host (PCIe)");
        }
        p.efficiency = p.gbs > 0 && p.theoretical > 0 ? p.gbs / p.theoretical : -1;
        if (rl_result_add_p2p(r, &p, err) != 0) {
            free(rows);
            return -2;
        }
    }
    free(rows);
    return rc;
}

int rl_gpu_detect(char *why, size_t len)
{
    rl_gpu_backend *b = rl_gpu_open(why, len);
    if (!b)
        return 0;
    int n = 0;
    if (rl_gpu_count(b, &n, why, len) != 0)
        n = 0;
    rl_gpu_close(b);
    return n;
}

int rl_gpu_measure(rl_result *r, const rl_gpu_opts *o, char *why, size_t len, rl_err *err)
{
    rl_gpu_backend *b = rl_gpu_open(why, len);
    if (!b)
        return 0;
    const rl_gpu_api *api = rl_gpu_api_of(b);
    int n = 0, added = 0, rc = 0;
    int devs[16];
    size_t index[16];
    rl_gpu_links *links = NULL;
    int n_measured = 0;
    rl_gpu_row *rows = NULL;
    if (rl_gpu_count(b, &n, why, len) != 0 || n == 0)
        goto done;
    if (o->device >= n) {
        rl_gpu_close(b);
        return rl_err_set(err, RL_EXIT_USAGE, "--device %d: this machine has %d GPU%s (0-%d)",
                          o->device, n, n == 1 ? "" : "s", n - 1);
    }
    links = calloc(16, sizeof *links);
    rows = calloc(RL_GPU_MAX_ROWS, sizeof *rows);
    if (!links || !rows) {
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        goto fail;
    }
    volatile int stop_int = 0;
    rl_gpu_plan plan = {
        .quick = o->quick,
        .repeats = o->repeats > 0 ? o->repeats : (o->quick ? 3 : 5),
        .min_ms = o->min_ms > 0 ? o->min_ms : (o->quick ? 4.0 : 20.0),
        .only = o->only,
        .host_numa = -1,
        .progress = progress_bridge,
        .progress_user = (void *)o,
        .stop = o->stop ? (volatile int *)o->stop : &stop_int,
    };
    for (int dev = 0; dev < n; dev++) {
        if (o->device >= 0 && dev != o->device)
            continue;
        if (o->stop && *o->stop)
            break;
        rl_gpu_info in;
        char msg[512] = "";
        rl_device *d = rl_result_add_device(r, err);
        if (!d)
            goto fail;
        added++;
        if (api->info(dev, &in, msg, sizeof msg) != 0) {
            snprintf(d->id, sizeof d->id, "gpu%d", dev);
            snprintf(d->backend, sizeof d->backend, "cuda");
            snprintf(d->status, sizeof d->status, "failed: %.240s", msg);
            rc = rl_err_set(err, RL_EXIT_RUNTIME, "GPU %d: %s", dev, msg);
            continue;
        }
        if (rl_gpu_theory_fill(d, &in, err) != 0)
            goto fail;
        rl_gpu_links gl;
        memset(&gl, 0, sizeof gl);
        if (api->links(dev, &gl, msg, sizeof msg) == 0)
            fill_link(d, &in, &gl);
        msg[0] = '\0';
        if (!o->measure) { /* a probe: identity, theory and the links as trained */
            snprintf(d->status, sizeof d->status, "not measured (probe)");
            if (rl_device_derive_ridge(d, err) != 0)
                goto fail;
            continue;
        }
        /* The links came first: each row's sentence about its clock names the power limit. */
        if (n_measured < 16) {
            devs[n_measured] = dev;
            index[n_measured] = r->n_devices - 1;
            links[n_measured++] = gl;
        }
        int nrows = 0;
        int run_rc = api->run(dev, &plan, rows, RL_GPU_MAX_ROWS, &nrows, msg, sizeof msg);
        if (nrows < 0 || nrows > RL_GPU_MAX_ROWS)
            nrows = 0;
        if (add_rows(d, &in, rows, nrows, err) != 0)
            goto fail;
        if (run_rc == 0 && wanted(o->only, RL_GPU_SECTION_HOST_LINKS) && !*plan.stop) {
            if (o->progress) {
                char line[64];
                snprintf(line, sizeof line, "GPU %d: host links", dev);
                o->progress(o->progress_user, line);
            }
            run_rc = measure_host_links(api, dev, &in, &plan, d, msg, sizeof msg, err);
        }
        if (run_rc == 0 && wanted(o->only, RL_GPU_SECTION_LATENCY) && !*plan.stop) {
            if (o->progress) {
                char line[64];
                snprintf(line, sizeof line, "GPU %d: latency", dev);
                o->progress(o->progress_user, line);
            }
            run_rc = measure_latency(api, dev, &plan, r, r->n_devices - 1, msg, sizeof msg, err);
        }
        if (run_rc == -2)
            goto fail;
        if (run_rc != 0) {
            /* The plugin says where and why: "during mma-bf16: unspecified launch failure ..." */
            snprintf(d->status, sizeof d->status, "failed %.240s", msg[0] ? msg : "");
            rc = rl_err_set(err, RL_EXIT_RUNTIME, "GPU %d failed %s", dev, msg);
        }
    }
    if (rc == 0 && n_measured >= 2 && wanted(o->only, RL_GPU_SECTION_P2P) && !*plan.stop) {
        char msg[512] = "";
        if (o->progress)
            o->progress(o->progress_user, "GPU-to-GPU copies");
        int p2p_rc =
            measure_p2p(api, devs, index, n_measured, links, &plan, r, msg, sizeof msg, err);
        if (p2p_rc == -2)
            goto fail;
        if (p2p_rc != 0)
            rc = rl_err_set(err, RL_EXIT_RUNTIME, "GPU-to-GPU copies failed %s", msg);
    }
done:
    free(links);
    free(rows);
    rl_gpu_close(b);
    return rc < 0 ? -1 : added;
fail:
    free(links);
    free(rows);
    rl_gpu_close(b);
    return -1;
}
