/* result.c: the result data model and its JSON reader/writer (see result.h).
 *
 * The writer maps every struct field to a JSON member; figures that are unknown (negative) are
 * written as null. The reader checks every member it needs and reports the first problem as
 * "FILE: field 'flops[3].gflops': expected a number", so a truncated or hand-edited file is a clear
 * input error rather than a silently empty table. */
#include "result/result.h"

#include <cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/file.h"
#include "common/htmldata.h"
#include "common/outfile.h"
#include "result/gpu_server.h"

/* ---- construction ------------------------------------------------------------------------- */

static void compiler_string(char *out, size_t size)
{
#if defined(__clang__)
    snprintf(out, size, "clang %d.%d.%d", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
    snprintf(out, size, "gcc %d.%d.%d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
    snprintf(out, size, "unknown");
#endif
}

rl_result *rl_result_new(void)
{
    rl_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    snprintf(r->meta.tool_version, sizeof r->meta.tool_version, "%s", RL_VERSION);
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(r->meta.date, sizeof r->meta.date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    compiler_string(r->meta.compiler, sizeof r->meta.compiler);
    snprintf(r->machine.uarch, sizeof r->machine.uarch, "unknown");
    r->machine.nominal_ghz = -1;
    r->machine.measured_ghz = -1;
    snprintf(r->machine.measured_source, sizeof r->machine.measured_source, "none");
    r->theory.dram_gbs = -1;
    r->theory.mem_mts = -1;
    snprintf(r->theory.dram_source, sizeof r->theory.dram_source, "unknown");
    r->theory.platform.gbs_per_socket = -1;
    r->theory.platform.mts = -1;
    return r;
}

void rl_result_free(rl_result *r)
{
    if (!r)
        return;
    free(r->theory.fpc);
    free(r->theory.peak);
    free(r->theory.ridge);
    free(r->theory.bw);
    free(r->flops);
    free(r->bandwidth);
    free(r->ridge);
    for (size_t i = 0; i < r->n_warnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    for (size_t i = 0; i < r->n_devices; i++) {
        free(r->devices[i].peak);
        free(r->devices[i].ceiling);
        free(r->devices[i].ridge);
        free(r->devices[i].theory_ridge);
        free(r->devices[i].copy);
        free(r->devices[i].latency);
    }
    free(r->devices);
    free(r->p2p);
    free(r->latency);
    free(r);
}

/* Appends one element of `size` bytes to a growable array. Capacity doubles at powers of two, so
 * it is derived from the count and needs no field of its own. */
static int push(void **arr, size_t *n, size_t size, const void *elem, rl_err *err)
{
    size_t count = *n;
    if (count == 0 || (count & (count - 1)) == 0) {
        size_t cap = count ? count * 2 : 4;
        void *p = realloc(*arr, cap * size);
        if (!p)
            return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        *arr = p;
    }
    memcpy((char *)*arr + count * size, elem, size);
    *n = count + 1;
    return 0;
}

#define PUSH(arr, n, e, err) push((void **)&(arr), &(n), sizeof *(arr), (e), (err))

int rl_result_add_fpc(rl_result *r, const rl_fpc *e, rl_err *err)
{
    return PUSH(r->theory.fpc, r->theory.n_fpc, e, err);
}
int rl_result_add_peak(rl_result *r, const rl_peak *e, rl_err *err)
{
    return PUSH(r->theory.peak, r->theory.n_peak, e, err);
}
int rl_result_add_theory_ridge(rl_result *r, const rl_ridge *e, rl_err *err)
{
    return PUSH(r->theory.ridge, r->theory.n_ridge, e, err);
}
int rl_result_add_flops(rl_result *r, const rl_flops *e, rl_err *err)
{
    return PUSH(r->flops, r->n_flops, e, err);
}
int rl_result_add_bandwidth(rl_result *r, const rl_bandwidth *e, rl_err *err)
{
    return PUSH(r->bandwidth, r->n_bandwidth, e, err);
}
int rl_result_add_ridge(rl_result *r, const rl_ridge *e, rl_err *err)
{
    return PUSH(r->ridge, r->n_ridge, e, err);
}
int rl_result_add_bw_theory(rl_result *r, const rl_bw_theory *e, rl_err *err)
{
    return PUSH(r->theory.bw, r->theory.n_bw, e, err);
}
int rl_result_add_latency(rl_result *r, const rl_latency *e, rl_err *err)
{
    return PUSH(r->latency, r->n_latency, e, err);
}

rl_latency rl_latency_blank(void)
{
    rl_latency e;
    memset(&e, 0, sizeof e);
    snprintf(e.device, sizeof e.device, "cpu");
    e.huge_share = e.ns = e.ns_median = e.ns_max = e.clock_ghz = e.cycles = e.gbs = -1;
    e.cpu_node = e.mem_node = -1;
    return e;
}

int rl_result_add_isa_clock(rl_result *r, const rl_isa_clock *e, rl_err *err)
{
    rl_machine *m = &r->machine;
    for (int i = 0; i < m->n_per_isa; i++)
        if (strcmp(m->per_isa[i].isa, e->isa) == 0 && m->per_isa[i].threads == e->threads) {
            m->per_isa[i] = *e;
            return 0;
        }
    if (m->n_per_isa >= RL_MAX_ISA_CLOCKS)
        return rl_err_set(err, RL_EXIT_RUNTIME, "more than %d per-ISA clocks", RL_MAX_ISA_CLOCKS);
    m->per_isa[m->n_per_isa++] = *e;
    return 0;
}

rl_device *rl_result_add_device(rl_result *r, rl_err *err)
{
    rl_device d;
    memset(&d, 0, sizeof d);
    d.max_clock_ghz = d.measured_clock_ghz = d.mem_clock_mhz = d.dram_gbs = d.smem_gbs = -1;
    rl_device_link_unknown(&d.link);
    if (PUSH(r->devices, r->n_devices, &d, err) != 0)
        return NULL;
    return &r->devices[r->n_devices - 1];
}
int rl_device_add_peak(rl_device *d, const rl_device_peak *e, rl_err *err)
{
    return PUSH(d->peak, d->n_peak, e, err);
}
int rl_device_add_ceiling(rl_device *d, const rl_device_ceiling *e, rl_err *err)
{
    return PUSH(d->ceiling, d->n_ceiling, e, err);
}
int rl_device_add_copy(rl_device *d, const rl_device_copy *e, rl_err *err)
{
    return PUSH(d->copy, d->n_copy, e, err);
}
int rl_device_add_latency(rl_device *d, const rl_device_latency *e, rl_err *err)
{
    return PUSH(d->latency, d->n_latency, e, err);
}
int rl_result_add_p2p(rl_result *r, const rl_p2p *e, rl_err *err)
{
    return PUSH(r->p2p, r->n_p2p, e, err);
}

void rl_device_link_unknown(rl_device_link *l)
{
    memset(l, 0, sizeof *l);
    l->pcie_gbs = l->pcie_max_gbs = l->c2c_gbs = l->nvlink_gbs_per_link = -1;
    l->power_limit_w = l->power_default_w = -1;
    l->numa_near = l->numa_far = -1;
}

void rl_device_power_unknown(rl_device_power *p)
{
    memset(p, 0, sizeof *p);
    p->power_w = p->power_max_w = p->energy_j = p->per_joule = -1;
    p->sm_mhz = p->sm_mhz_min = p->mem_mhz = p->temp_c = -1;
}

int rl_device_derive_ridge(rl_device *d, rl_err *err)
{
    free(d->ridge);
    free(d->theory_ridge);
    d->ridge = d->theory_ridge = NULL;
    d->n_ridge = d->n_theory_ridge = 0;
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *f = &d->ceiling[i];
        if (strcmp(f->kind, "compute") != 0 || strcmp(f->unit, "GFLOP/s") != 0 || f->best <= 0)
            continue;
        for (size_t j = 0; j < d->n_ceiling; j++) {
            const rl_device_ceiling *b = &d->ceiling[j];
            if (strcmp(b->kind, "memory") != 0 || b->best <= 0)
                continue;
            int beaten = 0; /* one ridge per level: its best kernel */
            for (size_t k = 0; k < d->n_ceiling; k++) {
                const rl_device_ceiling *o = &d->ceiling[k];
                if (!strcmp(o->kind, "memory") && !strcmp(o->path, b->path) &&
                    (o->best > b->best || (o->best == b->best && k < j)))
                    beaten = 1;
            }
            if (beaten)
                continue;
            rl_ridge e = {0};
            snprintf(e.isa, sizeof e.isa, "%s", f->path);
            snprintf(e.precision, sizeof e.precision, "%s", f->precision);
            snprintf(e.level, sizeof e.level, "%.7s", b->path);
            e.threads = 1;
            e.peak_gflops = f->best;
            e.gbs = b->best;
            e.imax = f->best / b->best;
            if (PUSH(d->ridge, d->n_ridge, &e, err) != 0)
                return -1;
        }
    }
    for (size_t i = 0; d->dram_gbs > 0 && i < d->n_peak; i++) {
        const rl_device_peak *p = &d->peak[i];
        if (strcmp(p->unit, "GFLOP/s") != 0 || p->gflops <= 0)
            continue;
        rl_ridge e = {0};
        snprintf(e.isa, sizeof e.isa, "%s", p->path);
        snprintf(e.precision, sizeof e.precision, "%s", p->precision);
        snprintf(e.level, sizeof e.level, "DRAM");
        e.threads = 1;
        e.peak_gflops = p->gflops;
        e.gbs = d->dram_gbs;
        e.imax = p->gflops / d->dram_gbs;
        if (PUSH(d->theory_ridge, d->n_theory_ridge, &e, err) != 0)
            return -1;
    }
    return 0;
}

int rl_result_add_warning(rl_result *r, rl_err *err, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < r->n_warnings; i++) /* the same warning once */
        if (strcmp(r->warnings[i], line) == 0)
            return 0;
    char *copy = strdup(line);
    if (!copy || PUSH(r->warnings, r->n_warnings, &copy, err) != 0) {
        free(copy);
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    }
    return 0;
}

/* ---- measured ridge points ---------------------------------------------------------------- */

/* Levels that are ceilings of the whole machine: the caches and DRAM. Size-sweep points and one
 * NUMA node's share of a DRAM run ("NUMA0") are measurements, not the machine's ceilings. */
static int is_ceiling_level(const char *level)
{
    return (level[0] == 'L' && level[1] >= '1' && level[1] <= '9' && level[2] == '\0') ||
           strcmp(level, "DRAM") == 0;
}

int rl_result_derive_ridge(rl_result *r, rl_err *err)
{
    free(r->ridge);
    r->ridge = NULL;
    r->n_ridge = 0;
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        /* Integer dot products are not FLOPs and FMA+ADD mixes are not the ISA's peak. */
        if (strcmp(f->unit, "GFLOP/s") != 0 || strchr(f->isa, '+') || f->gflops <= 0)
            continue;
        /* One ridge per memory level: the best counted figure at the same thread count. */
        for (size_t j = 0; j < r->n_bandwidth; j++) {
            const rl_bandwidth *b = &r->bandwidth[j];
            if (b->threads != f->threads || b->gbs <= 0 || !is_ceiling_level(b->level))
                continue;
            int seen = 0;
            for (size_t k = 0; k < r->n_bandwidth; k++) {
                const rl_bandwidth *o = &r->bandwidth[k];
                if (o->threads == b->threads && strcmp(o->level, b->level) == 0 &&
                    (o->gbs > b->gbs || (o->gbs == b->gbs && k < j)))
                    seen = 1;
            }
            if (seen)
                continue;
            rl_ridge e = {0};
            snprintf(e.isa, sizeof e.isa, "%s", f->isa);
            snprintf(e.precision, sizeof e.precision, "%s", f->precision);
            snprintf(e.level, sizeof e.level, "%s", b->level);
            e.threads = f->threads;
            e.peak_gflops = f->gflops;
            e.gbs = b->gbs;
            e.imax = f->gflops / b->gbs;
            if (rl_result_add_ridge(r, &e, err) != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- writer ------------------------------------------------------------------------------- */

/* Adds a number, or null when it is unknown (negative). */
static void add_known(cJSON *o, const char *key, double v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, v);
}

static cJSON *isa_array(const char *isa)
{
    cJSON *a = cJSON_CreateArray();
    char copy[sizeof((rl_machine *)0)->isa], *save = NULL;
    snprintf(copy, sizeof copy, "%s", isa);
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        cJSON_AddItemToArray(a, cJSON_CreateString(t));
    return a;
}

static cJSON *ridge_json(const rl_ridge *e)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "isa", e->isa);
    cJSON_AddStringToObject(o, "precision", e->precision);
    cJSON_AddNumberToObject(o, "threads", e->threads);
    cJSON_AddStringToObject(o, "level", e->level);
    add_known(o, "peak_gflops", e->peak_gflops);
    add_known(o, "gbs", e->gbs);
    add_known(o, "imax", e->imax);
    return o;
}

/* NVML's reason bits by name, for JSON (the report words them in result/gpu_server.c). */
static const char *const REASON_IDS[RL_DEVICE_REASONS] = {
    "gpu_idle",   "applications_clocks", "sw_power_cap",   "hw_slowdown",   "sync_boost",
    "sw_thermal", "hw_thermal",          "hw_power_brake", "display_clocks"};

static cJSON *power_json(const rl_device_power *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "samples", p->samples);
    add_known(o, "seconds", p->seconds);
    add_known(o, "power_w", p->power_w);
    add_known(o, "power_max_w", p->power_max_w);
    add_known(o, "energy_j", p->energy_j);
    add_known(o, "per_joule", p->per_joule);
    add_known(o, "sm_mhz", p->sm_mhz);
    add_known(o, "sm_mhz_min", p->sm_mhz_min);
    add_known(o, "mem_mhz", p->mem_mhz);
    add_known(o, "temp_c", p->temp_c);
    cJSON *rs = cJSON_AddObjectToObject(o, "reasons");
    for (int i = 0; i < RL_DEVICE_REASONS; i++)
        if (p->reasons & (1ULL << i))
            cJSON_AddNumberToObject(rs, REASON_IDS[i], p->reason_frac[i]);
    cJSON_AddStringToObject(o, "why", p->why);
    return o;
}

static cJSON *link_json(const rl_device_link *l)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "nvml", l->nvml);
    cJSON_AddNumberToObject(o, "pcie_gen", l->pcie_gen);
    cJSON_AddNumberToObject(o, "pcie_width", l->pcie_width);
    cJSON_AddNumberToObject(o, "pcie_gen_max", l->pcie_gen_max);
    cJSON_AddNumberToObject(o, "pcie_width_max", l->pcie_width_max);
    add_known(o, "pcie_gbs", l->pcie_gbs);
    add_known(o, "pcie_max_gbs", l->pcie_max_gbs);
    cJSON_AddBoolToObject(o, "c2c", l->c2c);
    add_known(o, "c2c_gbs", l->c2c_gbs);
    cJSON_AddNumberToObject(o, "nvlinks", l->nvlinks);
    cJSON_AddNumberToObject(o, "nvlinks_switch", l->nvlinks_switch);
    add_known(o, "nvlink_gbs_per_link", l->nvlink_gbs_per_link);
    add_known(o, "power_limit_w", l->power_limit_w);
    add_known(o, "power_default_w", l->power_default_w);
    cJSON_AddNumberToObject(o, "numa_near", l->numa_near);
    cJSON_AddNumberToObject(o, "numa_far", l->numa_far);
    return o;
}

static cJSON *copy_json(const rl_device_copy *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "mode", c->mode);
    cJSON_AddStringToObject(o, "numa", c->numa);
    cJSON_AddNumberToObject(o, "numa_node", c->numa_node);
    add_known(o, "best", c->best);
    add_known(o, "theoretical", c->theoretical);
    add_known(o, "efficiency", c->efficiency);
    cJSON_AddNumberToObject(o, "plateau_bytes", (double)c->plateau_bytes);
    cJSON *sw = cJSON_AddArrayToObject(o, "sweep");
    for (int i = 0; i < c->n_points && i < RL_DEVICE_SWEEP_POINTS; i++) {
        cJSON *pt = cJSON_CreateObject();
        cJSON_AddNumberToObject(pt, "bytes", (double)c->size[i]);
        add_known(pt, "gbs", c->gbs[i]);
        cJSON_AddItemToArray(sw, pt);
    }
    cJSON_AddStringToObject(o, "note", c->note);
    return o;
}

static cJSON *latency_json(const rl_device_latency *l)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", l->id);
    cJSON_AddStringToObject(o, "level", l->level);
    add_known(o, "ns", l->ns);
    add_known(o, "cycles", l->cycles);
    add_known(o, "clock_ghz", l->clock_ghz);
    cJSON_AddNumberToObject(o, "work_bytes", (double)l->work_bytes);
    cJSON_AddNumberToObject(o, "stride_bytes", (double)l->stride_bytes);
    cJSON_AddStringToObject(o, "note", l->note);
    return o;
}

static cJSON *p2p_json(const rl_p2p *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "src", p->src);
    cJSON_AddStringToObject(o, "dst", p->dst);
    cJSON_AddStringToObject(o, "mode", p->mode);
    add_known(o, "gbs", p->gbs);
    add_known(o, "theoretical", p->theoretical);
    add_known(o, "efficiency", p->efficiency);
    cJSON_AddStringToObject(o, "path", p->path);
    cJSON_AddStringToObject(o, "note", p->note);
    return o;
}

static cJSON *device_json(const rl_device *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", d->id);
    cJSON_AddStringToObject(o, "backend", d->backend);
    cJSON_AddStringToObject(o, "name", d->name);
    cJSON_AddStringToObject(o, "arch", d->arch);
    cJSON_AddStringToObject(o, "bus_id", d->bus_id);
    cJSON_AddNumberToObject(o, "units", d->units);
    add_known(o, "max_clock_ghz", d->max_clock_ghz);
    add_known(o, "measured_clock_ghz", d->measured_clock_ghz);
    add_known(o, "mem_clock_mhz", d->mem_clock_mhz);
    cJSON_AddNumberToObject(o, "mem_bus_bits", d->mem_bus_bits);
    cJSON_AddNumberToObject(o, "mem_bytes", (double)d->mem_bytes);
    cJSON_AddNumberToObject(o, "l2_bytes", (double)d->l2_bytes);
    cJSON_AddStringToObject(o, "driver", d->driver);
    cJSON_AddStringToObject(o, "runtime", d->runtime);
    cJSON_AddStringToObject(o, "status", d->status);
    cJSON *th = cJSON_AddObjectToObject(o, "theoretical");
    cJSON_AddStringToObject(th, "note", d->theory_note);
    add_known(th, "dram_gbs", d->dram_gbs);
    add_known(th, "shared_gbs", d->smem_gbs);
    cJSON *pk = cJSON_AddArrayToObject(th, "peak");
    for (size_t i = 0; i < d->n_peak; i++) {
        const rl_device_peak *p = &d->peak[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "path", p->path);
        cJSON_AddStringToObject(e, "precision", p->precision);
        cJSON_AddStringToObject(e, "unit", p->unit);
        cJSON_AddNumberToObject(e, "per_unit_per_cycle", p->per_unit_per_cycle);
        add_known(e, "clock_ghz", p->clock_ghz);
        add_known(e, "gflops", p->gflops);
        cJSON_AddItemToArray(pk, e);
    }
    cJSON *tr = cJSON_AddArrayToObject(th, "ridge");
    for (size_t i = 0; i < d->n_theory_ridge; i++)
        cJSON_AddItemToArray(tr, ridge_json(&d->theory_ridge[i]));
    cJSON *cs = cJSON_AddArrayToObject(o, "ceilings");
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *c = &d->ceiling[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", c->id);
        cJSON_AddStringToObject(e, "kind", c->kind);
        cJSON_AddStringToObject(e, "path", c->path);
        cJSON_AddStringToObject(e, "precision", c->precision);
        cJSON_AddStringToObject(e, "op", c->op);
        cJSON_AddStringToObject(e, "insn", c->insn);
        cJSON_AddStringToObject(e, "unit", c->unit);
        add_known(e, "best", c->best);
        add_known(e, "median", c->median);
        add_known(e, "min", c->min);
        cJSON_AddNumberToObject(e, "repeats", c->repeats);
        add_known(e, "clock_ghz", c->clock_ghz);
        add_known(e, "theoretical", c->theoretical);
        add_known(e, "efficiency", c->efficiency);
        cJSON_AddNumberToObject(e, "work_bytes", (double)c->work_bytes);
        cJSON_AddStringToObject(e, "note", c->note);
        if (c->power.samples > 0) /* optional: results of earlier versions have none */
            cJSON_AddItemToObject(e, "power", power_json(&c->power));
        cJSON_AddItemToArray(cs, e);
    }
    cJSON *rg = cJSON_AddArrayToObject(o, "ridge");
    for (size_t i = 0; i < d->n_ridge; i++)
        cJSON_AddItemToArray(rg, ridge_json(&d->ridge[i]));
    /* The GPU-server rows, each optional (earlier results have none). */
    if (d->has_link)
        cJSON_AddItemToObject(o, "link", link_json(&d->link));
    if (d->n_copy) {
        cJSON *a = cJSON_AddArrayToObject(o, "host_links");
        for (size_t i = 0; i < d->n_copy; i++)
            cJSON_AddItemToArray(a, copy_json(&d->copy[i]));
    }
    if (d->n_latency) {
        cJSON *a = cJSON_AddArrayToObject(o, "latency");
        for (size_t i = 0; i < d->n_latency; i++)
            cJSON_AddItemToArray(a, latency_json(&d->latency[i]));
    }
    return o;
}

/* "gpu_findings": derived (result/gpu_server.h), written for readers of the file; this reader
 * derives them again. Only where there is one. */
static int findings_json(cJSON *root, const rl_result *r)
{
    static const char *const KINDS[] = {"link", "p2p", "power_limit", "odd_gpu"};
    rl_gpu_findings f;
    rl_err err = {0};
    if (rl_gpu_findings_of(r, 0, 0, &f, &err) != 0)
        return -1;
    if (f.n) {
        cJSON *a = cJSON_AddArrayToObject(root, "gpu_findings");
        for (size_t i = 0; i < f.n; i++) {
            const rl_gpu_finding *e = &f.items[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "kind", KINDS[e->kind]);
            cJSON_AddStringToObject(o, "device", r->devices[e->device].id);
            cJSON_AddStringToObject(o, "what", e->what);
            add_known(o, "value", e->value);
            add_known(o, "reference", e->reference);
            add_known(o, "shortfall", e->shortfall);
            cJSON_AddStringToObject(o, "text", e->text);
            cJSON_AddItemToArray(a, o);
        }
    }
    rl_gpu_findings_free(&f);
    return 0;
}

static cJSON *latency_row_json(const rl_latency *e)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "device", e->device);
    cJSON_AddStringToObject(o, "kind", e->kind);
    cJSON_AddStringToObject(o, "level", e->level);
    cJSON_AddStringToObject(o, "pages", e->pages);
    add_known(o, "huge_share", e->huge_share);
    cJSON_AddNumberToObject(o, "bytes", (double)e->bytes);
    add_known(o, "ns", e->ns);
    add_known(o, "ns_median", e->ns_median);
    add_known(o, "ns_max", e->ns_max);
    add_known(o, "clock_ghz", e->clock_ghz);
    add_known(o, "cycles", e->cycles);
    cJSON_AddNumberToObject(o, "repeats", e->repeats);
    cJSON_AddStringToObject(o, "mix", e->mix);
    cJSON_AddNumberToObject(o, "load_threads", e->load_threads);
    cJSON_AddNumberToObject(o, "delay", (double)e->delay);
    add_known(o, "gbs", e->gbs);
    cJSON_AddNumberToObject(o, "cpu_node", e->cpu_node);
    cJSON_AddNumberToObject(o, "mem_node", e->mem_node);
    cJSON_AddStringToObject(o, "note", e->note);
    return o;
}

static cJSON *to_json(const rl_result *r)
{
    const rl_machine *m = &r->machine;
    const rl_theory *t = &r->theory;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", RL_SCHEMA);

    cJSON *meta = cJSON_AddObjectToObject(root, "meta");
    cJSON_AddStringToObject(meta, "tool_version", r->meta.tool_version);
    cJSON_AddStringToObject(meta, "date", r->meta.date);
    cJSON_AddStringToObject(meta, "compiler", r->meta.compiler);
    cJSON_AddStringToObject(meta, "command_line", r->meta.command_line);
    cJSON_AddStringToObject(meta, "settings", r->meta.settings);
    cJSON_AddBoolToObject(meta, "partial", r->meta.partial);
    if (r->meta.emulated[0])
        cJSON_AddStringToObject(meta, "emulated", r->meta.emulated);

    cJSON *cpu = cJSON_AddObjectToObject(root, "cpu");
    cJSON_AddStringToObject(cpu, "vendor", m->vendor);
    cJSON_AddStringToObject(cpu, "brand", m->brand);
    cJSON_AddNumberToObject(cpu, "family", m->family);
    cJSON_AddNumberToObject(cpu, "model", m->model);
    cJSON_AddNumberToObject(cpu, "stepping", m->stepping);
    cJSON_AddStringToObject(cpu, "codename", m->codename);
    cJSON_AddStringToObject(cpu, "uarch", m->uarch);
    cJSON_AddItemToObject(cpu, "isa", isa_array(m->isa));
    if (m->sve_bits > 0)
        cJSON_AddNumberToObject(cpu, "sve_bits", m->sve_bits);
    if (m->sme_bits > 0)
        cJSON_AddNumberToObject(cpu, "sme_bits", m->sme_bits);
    cJSON_AddStringToObject(cpu, "source", m->cpu_source);

    cJSON *topo = cJSON_AddObjectToObject(root, "topology");
    cJSON_AddNumberToObject(topo, "packages", m->packages);
    cJSON_AddNumberToObject(topo, "numa_nodes", m->numa_nodes);
    cJSON_AddNumberToObject(topo, "cores", m->cores);
    cJSON_AddNumberToObject(topo, "threads", m->threads);
    cJSON *caches = cJSON_AddArrayToObject(topo, "caches");
    for (int i = 0; i < m->n_caches; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddNumberToObject(c, "level", m->caches[i].level);
        cJSON_AddStringToObject(c, "type", m->caches[i].type);
        cJSON_AddNumberToObject(c, "size_bytes", (double)m->caches[i].size_bytes);
        cJSON_AddNumberToObject(c, "cores_sharing", m->caches[i].cores_sharing);
        cJSON_AddNumberToObject(c, "instances", m->caches[i].instances);
        cJSON_AddItemToArray(caches, c);
    }
    cJSON *kinds = cJSON_AddArrayToObject(topo, "core_kinds");
    for (int i = 0; i < m->n_core_kinds; i++) {
        cJSON *k = cJSON_CreateObject();
        cJSON_AddStringToObject(k, "name", m->core_kinds[i].name);
        cJSON_AddNumberToObject(k, "cores", m->core_kinds[i].cores);
        cJSON_AddNumberToObject(k, "efficiency", m->core_kinds[i].efficiency);
        cJSON_AddItemToArray(kinds, k);
    }
    cJSON_AddStringToObject(topo, "source", m->topology_source);

    cJSON *clock = cJSON_AddObjectToObject(root, "clock");
    add_known(clock, "nominal_ghz", m->nominal_ghz);
    cJSON_AddStringToObject(clock, "nominal_source", m->nominal_source);
    add_known(clock, "measured_ghz", m->measured_ghz);
    cJSON_AddStringToObject(clock, "measured_source", m->measured_source);
    if (m->n_per_isa > 0) { /* optional: older results have none */
        cJSON *pi = cJSON_AddArrayToObject(clock, "per_isa");
        for (int i = 0; i < m->n_per_isa; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "isa", m->per_isa[i].isa);
            cJSON_AddNumberToObject(o, "threads", m->per_isa[i].threads);
            add_known(o, "ghz", m->per_isa[i].ghz);
            cJSON_AddStringToObject(o, "method", m->per_isa[i].method);
            cJSON_AddItemToArray(pi, o);
        }
    }

    cJSON *th = cJSON_AddObjectToObject(root, "theoretical");
    cJSON_AddStringToObject(th, "uarch_note", t->uarch_note);
    cJSON *fpc = cJSON_AddArrayToObject(th, "flops_per_cycle");
    for (size_t i = 0; i < t->n_fpc; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "isa", t->fpc[i].isa);
        cJSON_AddStringToObject(o, "precision", t->fpc[i].precision);
        cJSON_AddNumberToObject(o, "per_core", t->fpc[i].per_core);
        cJSON_AddStringToObject(o, "unit", t->fpc[i].unit);
        cJSON_AddBoolToObject(o, "mix", t->fpc[i].is_mix);
        if (t->fpc[i].core_type[0]) /* optional: hybrid CPUs only */
            cJSON_AddStringToObject(o, "core_type", t->fpc[i].core_type);
        cJSON_AddItemToArray(fpc, o);
    }
    cJSON *peak = cJSON_AddArrayToObject(th, "peak");
    for (size_t i = 0; i < t->n_peak; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "isa", t->peak[i].isa);
        cJSON_AddStringToObject(o, "precision", t->peak[i].precision);
        cJSON_AddNumberToObject(o, "threads", t->peak[i].threads);
        add_known(o, "gflops_at_measured_clock", t->peak[i].gflops_at_measured_clock);
        add_known(o, "gflops_at_nominal_clock", t->peak[i].gflops_at_nominal_clock);
        if (t->peak[i].core_type[0]) /* optional: hybrid CPUs only */
            cJSON_AddStringToObject(o, "core_type", t->peak[i].core_type);
        cJSON_AddItemToArray(peak, o);
    }
    if (t->n_core_types > 0) { /* optional: hybrid CPUs only */
        cJSON *ct = cJSON_AddArrayToObject(th, "core_types");
        for (int i = 0; i < t->n_core_types; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", t->core_types[i].name);
            cJSON_AddStringToObject(o, "role", t->core_types[i].role);
            add_known(o, "cores", t->core_types[i].cores);
            cJSON_AddStringToObject(o, "source", t->core_types[i].source);
            cJSON_AddItemToArray(ct, o);
        }
    }
    add_known(th, "dram_gbs", t->dram_gbs);
    cJSON *mem = cJSON_AddObjectToObject(th, "memory");
    cJSON_AddNumberToObject(mem, "channels", t->mem_channels);
    add_known(mem, "mts", t->mem_mts);
    cJSON_AddNumberToObject(mem, "bus_bits", t->mem_bus_bits);
    cJSON_AddStringToObject(mem, "source", t->dram_source);
    if (t->platform.gbs_per_socket > 0) { /* optional: server CPU models only */
        const rl_platform_dram *p = &t->platform;
        cJSON *pm = cJSON_AddObjectToObject(th, "platform_memory");
        cJSON_AddStringToObject(pm, "platform", p->platform);
        cJSON_AddStringToObject(pm, "memory", p->memory);
        cJSON_AddNumberToObject(pm, "channels_per_socket", p->channels);
        cJSON_AddNumberToObject(pm, "mts", p->mts);
        cJSON_AddNumberToObject(pm, "gbs_per_socket", p->gbs_per_socket);
        cJSON_AddNumberToObject(pm, "sockets", p->sockets);
        cJSON_AddBoolToObject(pm, "used_for_ridge", p->used);
        cJSON_AddStringToObject(pm, "note", p->note);
    }
    cJSON *tridge = cJSON_AddArrayToObject(th, "ridge");
    for (size_t i = 0; i < t->n_ridge; i++)
        cJSON_AddItemToArray(tridge, ridge_json(&t->ridge[i]));
    if (t->n_bw > 0) { /* optional: older results have none */
        cJSON *tbw = cJSON_AddArrayToObject(th, "bandwidth");
        for (size_t i = 0; i < t->n_bw; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "level", t->bw[i].level);
            cJSON_AddStringToObject(o, "op", t->bw[i].op);
            cJSON_AddNumberToObject(o, "threads", t->bw[i].threads);
            add_known(o, "bytes_per_cycle", t->bw[i].bytes_per_cycle);
            add_known(o, "gbs", t->bw[i].gbs);
            cJSON_AddStringToObject(o, "source", t->bw[i].source);
            cJSON_AddItemToArray(tbw, o);
        }
    }

    cJSON *flops = cJSON_AddArrayToObject(root, "flops");
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "isa", f->isa);
        cJSON_AddStringToObject(o, "precision", f->precision);
        cJSON_AddStringToObject(o, "unit", f->unit);
        cJSON_AddNumberToObject(o, "threads", f->threads);
        cJSON_AddNumberToObject(o, "gflops", f->gflops);
        cJSON_AddNumberToObject(o, "gflops_median", f->gflops_median);
        cJSON_AddNumberToObject(o, "gflops_min", f->gflops_min);
        cJSON_AddNumberToObject(o, "repeats", f->repeats);
        add_known(o, "clock_ghz_before", f->clock_ghz_before);
        add_known(o, "clock_ghz_after", f->clock_ghz_after);
        add_known(o, "theoretical_gflops", f->theoretical_gflops);
        add_known(o, "efficiency", f->efficiency);
        cJSON_AddStringToObject(o, "note", f->note);
        if (f->clock_method[0]) { /* optional: older results have neither */
            add_known(o, "clock_ghz", f->clock_ghz);
            cJSON_AddStringToObject(o, "clock_method", f->clock_method);
        }
        if (f->variant[0]) /* optional: only rows whose ISA has several kernel shapes */
            cJSON_AddStringToObject(o, "variant", f->variant);
        if (f->core_type[0]) /* optional: hybrid CPUs' per-core-type rows */
            cJSON_AddStringToObject(o, "core_type", f->core_type);
        cJSON_AddItemToArray(flops, o);
    }

    cJSON *bw = cJSON_AddArrayToObject(root, "bandwidth");
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "level", b->level);
        cJSON_AddStringToObject(o, "kernel", b->kernel);
        cJSON_AddBoolToObject(o, "nt_stores", b->nt_stores);
        cJSON_AddStringToObject(o, "isa", b->isa);
        cJSON_AddNumberToObject(o, "bytes_per_thread", (double)b->bytes_per_thread);
        cJSON_AddNumberToObject(o, "threads", b->threads);
        cJSON_AddNumberToObject(o, "gbs", b->gbs);
        cJSON_AddNumberToObject(o, "gbs_median", b->gbs_median);
        cJSON_AddNumberToObject(o, "gbs_min", b->gbs_min);
        cJSON_AddNumberToObject(o, "gbs_traffic", b->gbs_traffic);
        cJSON_AddNumberToObject(o, "repeats", b->repeats);
        cJSON_AddStringToObject(o, "note", b->note);
        if (b->theoretical_gbs > 0) { /* optional: only where the level's theory is known */
            cJSON_AddNumberToObject(o, "theoretical_gbs", b->theoretical_gbs);
            add_known(o, "efficiency", b->efficiency);
        }
        cJSON_AddItemToArray(bw, o);
    }

    cJSON *ridge = cJSON_AddArrayToObject(root, "ridge");
    for (size_t i = 0; i < r->n_ridge; i++)
        cJSON_AddItemToArray(ridge, ridge_json(&r->ridge[i]));

    cJSON *warn = cJSON_AddArrayToObject(root, "warnings");
    for (size_t i = 0; i < r->n_warnings; i++)
        cJSON_AddItemToArray(warn, cJSON_CreateString(r->warnings[i]));
    if (r->n_latency) { /* optional: absent from results without latency, so they are unchanged */
        cJSON *lat = cJSON_AddArrayToObject(root, "latency");
        for (size_t i = 0; i < r->n_latency; i++)
            cJSON_AddItemToArray(lat, latency_row_json(&r->latency[i]));
    }
    if (r->n_devices) { /* optional: absent from CPU-only results, so their files are unchanged */
        cJSON *devs = cJSON_AddArrayToObject(root, "devices");
        for (size_t i = 0; i < r->n_devices; i++)
            cJSON_AddItemToArray(devs, device_json(&r->devices[i]));
    }
    if (r->n_p2p) {
        cJSON *a = cJSON_AddArrayToObject(root, "p2p");
        for (size_t i = 0; i < r->n_p2p; i++)
            cJSON_AddItemToArray(a, p2p_json(&r->p2p[i]));
    }
    if (r->n_devices && findings_json(root, r) != 0) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

char *rl_result_to_json(const rl_result *r, rl_err *err)
{
    cJSON *root = to_json(r);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing JSON");
        return NULL;
    }
    /* cJSON_Print leaves no final newline; files end with one. */
    size_t n = strlen(text);
    char *withnl = realloc(text, n + 2);
    if (!withnl) {
        free(text);
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing JSON");
        return NULL;
    }
    withnl[n] = '\n';
    withnl[n + 1] = '\0';
    return withnl;
}

int rl_result_write(const rl_result *r, const char *path, rl_err *err)
{
    char *text = rl_result_to_json(r, err);
    if (!text)
        return -1;
    int rc = rl_outfile_write(path, text, strlen(text), err);
    free(text);
    return rc;
}

/* ---- reader ------------------------------------------------------------------------------- */

/* The reader's state: the file's name for messages, and the path of the member being read. */
typedef struct reader {
    const char *name;
    char path[128];
    rl_err *err;
} reader;

static int bad(reader *rd, const char *key, const char *what)
{
    return rl_err_set(rd->err, RL_EXIT_INPUT, "%s: field '%s%s%s': %s", rd->name, rd->path,
                      rd->path[0] ? "." : "", key, what);
}

static const cJSON *member(reader *rd, const cJSON *o, const char *key, int type_ok,
                           const char *what)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v) {
        bad(rd, key, "missing");
        return NULL;
    }
    if (!type_ok) {
        bad(rd, key, what);
        return NULL;
    }
    return v;
}

static int get_str(reader *rd, const cJSON *o, const char *key, char *out, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return bad(rd, key, "missing");
    if (!cJSON_IsString(v))
        return bad(rd, key, "expected a string");
    if (strlen(v->valuestring) >= size)
        return bad(rd, key, "string too long");
    memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

/* A number in [lo, hi]; with `nullable`, null reads as -1 (unknown). */
static int get_num(reader *rd, const cJSON *o, const char *key, double lo, double hi, int nullable,
                   double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return bad(rd, key, "missing");
    if (nullable && cJSON_IsNull(v)) {
        *out = -1;
        return 0;
    }
    if (!cJSON_IsNumber(v))
        return bad(rd, key, nullable ? "expected a number or null" : "expected a number");
    if (!(v->valuedouble >= lo && v->valuedouble <= hi))
        return bad(rd, key, "out of range");
    *out = v->valuedouble;
    return 0;
}

static int get_int(reader *rd, const cJSON *o, const char *key, int lo, int hi, int *out)
{
    double d = 0;
    if (get_num(rd, o, key, lo, hi, 0, &d) != 0)
        return -1;
    if (d != (double)(int)d)
        return bad(rd, key, "expected a whole number");
    *out = (int)d;
    return 0;
}

static int get_bool(reader *rd, const cJSON *o, const char *key, int *out)
{
    const cJSON *v = member(rd, o, key, 1, "");
    if (!v)
        return -1;
    if (!cJSON_IsBool(v))
        return bad(rd, key, "expected true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

static const cJSON *get_obj(reader *rd, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return member(rd, o, key, cJSON_IsObject(v), "expected an object");
}

static const cJSON *get_arr(reader *rd, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return member(rd, o, key, cJSON_IsArray(v), "expected an array");
}

/* Enters member `key` (or element `key[i]` when i >= 0) for messages; returns the old path length.
 */
static size_t enter(reader *rd, const char *key, int i)
{
    size_t old = strlen(rd->path);
    size_t room = sizeof rd->path - old;
    if (i >= 0)
        snprintf(rd->path + old, room, "%s%s[%d]", old ? "." : "", key, i);
    else
        snprintf(rd->path + old, room, "%s%s", old ? "." : "", key);
    return old;
}

static void leave(reader *rd, size_t old)
{
    rd->path[old] = '\0';
}

#define NUM(o, key, lo, hi, nullable, dst)                                                         \
    do {                                                                                           \
        double v_;                                                                                 \
        if (get_num(rd, (o), (key), (lo), (hi), (nullable), &v_) != 0)                             \
            return -1;                                                                             \
        (dst) = v_;                                                                                \
    } while (0)
#define INT(o, key, lo, hi, dst)                                                                   \
    do {                                                                                           \
        if (get_int(rd, (o), (key), (lo), (hi), &(dst)) != 0)                                      \
            return -1;                                                                             \
    } while (0)
#define STR(o, key, dst)                                                                           \
    do {                                                                                           \
        if (get_str(rd, (o), (key), (dst), sizeof(dst)) != 0)                                      \
            return -1;                                                                             \
    } while (0)

static const double BIG = 1e18;

static int read_ridge(reader *rd, const cJSON *o, rl_ridge *e)
{
    STR(o, "isa", e->isa);
    STR(o, "precision", e->precision);
    INT(o, "threads", 1, 1 << 20, e->threads);
    STR(o, "level", e->level);
    NUM(o, "peak_gflops", 0, BIG, 1, e->peak_gflops);
    NUM(o, "gbs", 0, BIG, 1, e->gbs);
    NUM(o, "imax", 0, BIG, 1, e->imax);
    return 0;
}

static int read_machine(reader *rd, const cJSON *root, rl_machine *m)
{
    const cJSON *cpu, *topo, *clock, *a;
    size_t old;

    if (!(cpu = get_obj(rd, root, "cpu")))
        return -1;
    old = enter(rd, "cpu", -1);
    STR(cpu, "vendor", m->vendor);
    STR(cpu, "brand", m->brand);
    INT(cpu, "family", 0, 1 << 16, m->family);
    INT(cpu, "model", 0, 1 << 16, m->model);
    INT(cpu, "stepping", 0, 1 << 16, m->stepping);
    STR(cpu, "codename", m->codename);
    STR(cpu, "uarch", m->uarch);
    STR(cpu, "source", m->cpu_source);
    if (cJSON_GetObjectItemCaseSensitive(cpu, "sve_bits"))
        INT(cpu, "sve_bits", 128, 2048, m->sve_bits);
    if (cJSON_GetObjectItemCaseSensitive(cpu, "sme_bits"))
        INT(cpu, "sme_bits", 128, 2048, m->sme_bits);
    if (!(a = get_arr(rd, cpu, "isa")))
        return -1;
    m->isa[0] = '\0';
    int i = 0;
    for (const cJSON *s = a->child; s; s = s->next, i++) {
        if (!cJSON_IsString(s)) {
            char key[32];
            snprintf(key, sizeof key, "isa[%d]", i);
            return bad(rd, key, "expected a string");
        }
        size_t used = strlen(m->isa);
        if (used + strlen(s->valuestring) + 2 > sizeof m->isa)
            return bad(rd, "isa", "too many features");
        snprintf(m->isa + used, sizeof m->isa - used, "%s%s", used ? " " : "", s->valuestring);
    }
    leave(rd, old);

    if (!(topo = get_obj(rd, root, "topology")))
        return -1;
    old = enter(rd, "topology", -1);
    INT(topo, "packages", 0, 1 << 16, m->packages);
    INT(topo, "numa_nodes", 0, 1 << 16, m->numa_nodes);
    INT(topo, "cores", 0, 1 << 24, m->cores);
    INT(topo, "threads", 0, 1 << 24, m->threads);
    STR(topo, "source", m->topology_source);
    if (!(a = get_arr(rd, topo, "caches")))
        return -1;
    if (cJSON_GetArraySize(a) > (int)(sizeof m->caches / sizeof m->caches[0]))
        return bad(rd, "caches", "too many entries");
    m->n_caches = 0;
    for (const cJSON *c = a->child; c; c = c->next) {
        rl_cache *e = &m->caches[m->n_caches];
        size_t o2 = enter(rd, "caches", m->n_caches);
        double size;
        if (!cJSON_IsObject(c))
            return bad(rd, "", "expected an object");
        INT(c, "level", 1, 8, e->level);
        STR(c, "type", e->type);
        NUM(c, "size_bytes", 0, BIG, 0, size);
        e->size_bytes = (uint64_t)size;
        INT(c, "cores_sharing", 0, 1 << 24, e->cores_sharing);
        INT(c, "instances", 0, 1 << 24, e->instances);
        leave(rd, o2);
        m->n_caches++;
    }
    if (!(a = get_arr(rd, topo, "core_kinds")))
        return -1;
    if (cJSON_GetArraySize(a) > (int)(sizeof m->core_kinds / sizeof m->core_kinds[0]))
        return bad(rd, "core_kinds", "too many entries");
    m->n_core_kinds = 0;
    for (const cJSON *k = a->child; k; k = k->next) {
        rl_core_kind *e = &m->core_kinds[m->n_core_kinds];
        size_t o2 = enter(rd, "core_kinds", m->n_core_kinds);
        if (!cJSON_IsObject(k))
            return bad(rd, "", "expected an object");
        STR(k, "name", e->name);
        INT(k, "cores", 0, 1 << 24, e->cores);
        INT(k, "efficiency", -1, 1 << 16, e->efficiency);
        leave(rd, o2);
        m->n_core_kinds++;
    }
    leave(rd, old);

    if (!(clock = get_obj(rd, root, "clock")))
        return -1;
    old = enter(rd, "clock", -1);
    NUM(clock, "nominal_ghz", 0, 1000, 1, m->nominal_ghz);
    STR(clock, "nominal_source", m->nominal_source);
    NUM(clock, "measured_ghz", 0, 1000, 1, m->measured_ghz);
    STR(clock, "measured_source", m->measured_source);
    m->n_per_isa = 0;
    if (cJSON_GetObjectItemCaseSensitive(clock, "per_isa")) { /* optional */
        if (!(a = get_arr(rd, clock, "per_isa")))
            return -1;
        if (cJSON_GetArraySize(a) > RL_MAX_ISA_CLOCKS)
            return bad(rd, "per_isa", "too many entries");
        for (const cJSON *c = a->child; c; c = c->next) {
            rl_isa_clock *e = &m->per_isa[m->n_per_isa];
            size_t o2 = enter(rd, "per_isa", m->n_per_isa);
            if (!cJSON_IsObject(c))
                return bad(rd, "", "expected an object");
            STR(c, "isa", e->isa);
            INT(c, "threads", 0, 1 << 24, e->threads);
            NUM(c, "ghz", 0, 1000, 1, e->ghz);
            STR(c, "method", e->method);
            leave(rd, o2);
            m->n_per_isa++;
        }
    }
    leave(rd, old);
    return 0;
}

static int read_theory(reader *rd, const cJSON *root, rl_result *r)
{
    rl_theory *t = &r->theory;
    const cJSON *th, *a, *mem;
    int i;

    if (!(th = get_obj(rd, root, "theoretical")))
        return -1;
    size_t old = enter(rd, "theoretical", -1);
    STR(th, "uarch_note", t->uarch_note);
    if (!(a = get_arr(rd, th, "flops_per_cycle")))
        return -1;
    i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        rl_fpc e = {0};
        size_t o2 = enter(rd, "flops_per_cycle", i);
        if (!cJSON_IsObject(o))
            return bad(rd, "", "expected an object");
        STR(o, "isa", e.isa);
        STR(o, "precision", e.precision);
        NUM(o, "per_core", 0, 1e6, 0, e.per_core);
        STR(o, "unit", e.unit);
        if (cJSON_GetObjectItemCaseSensitive(o, "core_type")) /* optional */
            STR(o, "core_type", e.core_type);
        if (get_bool(rd, o, "mix", &e.is_mix) != 0 || rl_result_add_fpc(r, &e, rd->err) != 0)
            return -1;
        leave(rd, o2);
    }
    if (!(a = get_arr(rd, th, "peak")))
        return -1;
    i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        rl_peak e = {0};
        size_t o2 = enter(rd, "peak", i);
        if (!cJSON_IsObject(o))
            return bad(rd, "", "expected an object");
        STR(o, "isa", e.isa);
        STR(o, "precision", e.precision);
        INT(o, "threads", 1, 1 << 24, e.threads);
        NUM(o, "gflops_at_measured_clock", 0, BIG, 1, e.gflops_at_measured_clock);
        NUM(o, "gflops_at_nominal_clock", 0, BIG, 1, e.gflops_at_nominal_clock);
        if (cJSON_GetObjectItemCaseSensitive(o, "core_type")) /* optional */
            STR(o, "core_type", e.core_type);
        if (rl_result_add_peak(r, &e, rd->err) != 0)
            return -1;
        leave(rd, o2);
    }
    NUM(th, "dram_gbs", 0, BIG, 1, t->dram_gbs);
    if (!(mem = get_obj(rd, th, "memory")))
        return -1;
    size_t o3 = enter(rd, "memory", -1);
    INT(mem, "channels", 0, 1 << 16, t->mem_channels);
    NUM(mem, "mts", 0, 1e6, 1, t->mem_mts);
    INT(mem, "bus_bits", 0, 1 << 16, t->mem_bus_bits);
    STR(mem, "source", t->dram_source);
    leave(rd, o3);
    if (cJSON_GetObjectItemCaseSensitive(th, "core_types")) { /* optional */
        if (!(a = get_arr(rd, th, "core_types")))
            return -1;
        if (cJSON_GetArraySize(a) > RL_MAX_CORE_TYPES)
            return bad(rd, "core_types", "too many entries");
        i = 0;
        for (const cJSON *o = a->child; o; o = o->next, i++) {
            rl_core_type_theory *e = &t->core_types[i];
            size_t o2 = enter(rd, "core_types", i);
            if (!cJSON_IsObject(o))
                return bad(rd, "", "expected an object");
            STR(o, "name", e->name);
            STR(o, "role", e->role);
            double cores = -1;
            NUM(o, "cores", 0, 1 << 24, 1, cores);
            e->cores = cores >= 0 ? (int)cores : -1;
            STR(o, "source", e->source);
            t->n_core_types = i + 1;
            leave(rd, o2);
        }
    }
    if (cJSON_GetObjectItemCaseSensitive(th, "platform_memory")) { /* optional */
        rl_platform_dram *p = &t->platform;
        const cJSON *pm = get_obj(rd, th, "platform_memory");
        if (!pm)
            return -1;
        size_t o2 = enter(rd, "platform_memory", -1);
        STR(pm, "platform", p->platform);
        STR(pm, "memory", p->memory);
        INT(pm, "channels_per_socket", 1, 1 << 16, p->channels);
        NUM(pm, "mts", 1, 1e6, 0, p->mts);
        NUM(pm, "gbs_per_socket", 0, BIG, 0, p->gbs_per_socket);
        INT(pm, "sockets", 1, 1 << 16, p->sockets);
        if (get_bool(rd, pm, "used_for_ridge", &p->used) != 0)
            return -1;
        STR(pm, "note", p->note);
        leave(rd, o2);
    }
    if (!(a = get_arr(rd, th, "ridge")))
        return -1;
    i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        rl_ridge e = {0};
        size_t o2 = enter(rd, "ridge", i);
        if (!cJSON_IsObject(o))
            return bad(rd, "", "expected an object");
        if (read_ridge(rd, o, &e) != 0 || rl_result_add_theory_ridge(r, &e, rd->err) != 0)
            return -1;
        leave(rd, o2);
    }
    if (cJSON_GetObjectItemCaseSensitive(th, "bandwidth")) { /* optional */
        if (!(a = get_arr(rd, th, "bandwidth")))
            return -1;
        i = 0;
        for (const cJSON *o = a->child; o; o = o->next, i++) {
            rl_bw_theory e = {0};
            size_t o2 = enter(rd, "bandwidth", i);
            if (!cJSON_IsObject(o))
                return bad(rd, "", "expected an object");
            STR(o, "level", e.level);
            STR(o, "op", e.op);
            INT(o, "threads", 1, 1 << 24, e.threads);
            NUM(o, "bytes_per_cycle", 0, 1e6, 1, e.bytes_per_cycle);
            NUM(o, "gbs", 0, BIG, 1, e.gbs);
            STR(o, "source", e.source);
            if (rl_result_add_bw_theory(r, &e, rd->err) != 0)
                return -1;
            leave(rd, o2);
        }
    }
    leave(rd, old);
    return 0;
}

static int read_measurements(reader *rd, const cJSON *root, rl_result *r)
{
    const cJSON *a;
    int i;

    if (!(a = get_arr(rd, root, "flops")))
        return -1;
    i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        rl_flops e = {0};
        size_t old = enter(rd, "flops", i);
        if (!cJSON_IsObject(o))
            return bad(rd, "", "expected an object");
        STR(o, "isa", e.isa);
        STR(o, "precision", e.precision);
        STR(o, "unit", e.unit);
        INT(o, "threads", 1, 1 << 24, e.threads);
        NUM(o, "gflops", 0, BIG, 0, e.gflops);
        NUM(o, "gflops_median", 0, BIG, 0, e.gflops_median);
        NUM(o, "gflops_min", 0, BIG, 0, e.gflops_min);
        INT(o, "repeats", 1, 1 << 24, e.repeats);
        NUM(o, "clock_ghz_before", 0, 1000, 1, e.clock_ghz_before);
        NUM(o, "clock_ghz_after", 0, 1000, 1, e.clock_ghz_after);
        NUM(o, "theoretical_gflops", 0, BIG, 1, e.theoretical_gflops);
        NUM(o, "efficiency", 0, 1000, 1, e.efficiency);
        STR(o, "note", e.note);
        e.clock_ghz = -1;
        if (cJSON_GetObjectItemCaseSensitive(o, "clock_method")) { /* optional */
            NUM(o, "clock_ghz", 0, 1000, 1, e.clock_ghz);
            STR(o, "clock_method", e.clock_method);
        }
        if (cJSON_GetObjectItemCaseSensitive(o, "variant")) /* optional */
            STR(o, "variant", e.variant);
        if (cJSON_GetObjectItemCaseSensitive(o, "core_type")) /* optional */
            STR(o, "core_type", e.core_type);
        if (rl_result_add_flops(r, &e, rd->err) != 0)
            return -1;
        leave(rd, old);
    }

    if (!(a = get_arr(rd, root, "bandwidth")))
        return -1;
    i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        rl_bandwidth e = {0};
        double bytes;
        size_t old = enter(rd, "bandwidth", i);
        if (!cJSON_IsObject(o))
            return bad(rd, "", "expected an object");
        STR(o, "level", e.level);
        STR(o, "kernel", e.kernel);
        if (get_bool(rd, o, "nt_stores", &e.nt_stores) != 0)
            return -1;
        STR(o, "isa", e.isa);
        NUM(o, "bytes_per_thread", 0, BIG, 0, bytes);
        e.bytes_per_thread = (uint64_t)bytes;
        INT(o, "threads", 1, 1 << 24, e.threads);
        NUM(o, "gbs", 0, BIG, 0, e.gbs);
        NUM(o, "gbs_median", 0, BIG, 0, e.gbs_median);
        NUM(o, "gbs_min", 0, BIG, 0, e.gbs_min);
        NUM(o, "gbs_traffic", 0, BIG, 0, e.gbs_traffic);
        INT(o, "repeats", 1, 1 << 24, e.repeats);
        STR(o, "note", e.note);
        e.theoretical_gbs = e.efficiency = -1;
        if (cJSON_GetObjectItemCaseSensitive(o, "theoretical_gbs")) { /* optional */
            NUM(o, "theoretical_gbs", 0, BIG, 1, e.theoretical_gbs);
            NUM(o, "efficiency", 0, 1000, 1, e.efficiency);
        }
        if (rl_result_add_bandwidth(r, &e, rd->err) != 0)
            return -1;
        leave(rd, old);
    }

    if (!(a = get_arr(rd, root, "ridge")))
        return -1;
    i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        rl_ridge e = {0};
        size_t old = enter(rd, "ridge", i);
        if (!cJSON_IsObject(o))
            return bad(rd, "", "expected an object");
        if (read_ridge(rd, o, &e) != 0 || rl_result_add_ridge(r, &e, rd->err) != 0)
            return -1;
        leave(rd, old);
    }

    if (!(a = get_arr(rd, root, "warnings")))
        return -1;
    i = 0;
    for (const cJSON *s = a->child; s; s = s->next, i++) {
        if (!cJSON_IsString(s)) {
            char key[32];
            snprintf(key, sizeof key, "warnings[%d]", i);
            return bad(rd, key, "expected a string");
        }
        if (rl_result_add_warning(r, rd->err, "%s", s->valuestring) != 0)
            return -1;
    }
    return 0;
}

/* The array "ridge" of `o`, appended to *list. */
static int read_ridge_list(reader *rd, const cJSON *o, rl_ridge **list, size_t *n)
{
    const cJSON *a = get_arr(rd, o, "ridge");
    if (!a)
        return -1;
    int i = 0;
    for (const cJSON *e = a->child; e; e = e->next, i++) {
        rl_ridge g = {0};
        size_t old = enter(rd, "ridge", i);
        if (!cJSON_IsObject(e))
            return bad(rd, "", "expected an object");
        if (read_ridge(rd, e, &g) != 0 || push((void **)list, n, sizeof **list, &g, rd->err) != 0)
            return -1;
        leave(rd, old);
    }
    return 0;
}

/* An optional member: absent is fine (results of earlier versions), anything else is read. */
static const cJSON *optional(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int read_power(reader *rd, const cJSON *o, rl_device_power *p)
{
    const cJSON *rs;
    INT(o, "samples", 0, 1 << 30, p->samples);
    NUM(o, "seconds", 0, BIG, 1, p->seconds);
    NUM(o, "power_w", 0, 1e6, 1, p->power_w);
    NUM(o, "power_max_w", 0, 1e6, 1, p->power_max_w);
    NUM(o, "energy_j", 0, BIG, 1, p->energy_j);
    NUM(o, "per_joule", 0, BIG, 1, p->per_joule);
    NUM(o, "sm_mhz", 0, 1e6, 1, p->sm_mhz);
    NUM(o, "sm_mhz_min", 0, 1e6, 1, p->sm_mhz_min);
    NUM(o, "mem_mhz", 0, 1e6, 1, p->mem_mhz);
    NUM(o, "temp_c", 0, 1000, 1, p->temp_c);
    if (!(rs = get_obj(rd, o, "reasons")))
        return -1;
    size_t old = enter(rd, "reasons", -1);
    for (const cJSON *e = rs->child; e; e = e->next) {
        int bit = -1;
        for (int i = 0; i < RL_DEVICE_REASONS; i++)
            if (e->string && !strcmp(e->string, REASON_IDS[i]))
                bit = i;
        if (bit < 0)
            return bad(rd, e->string ? e->string : "", "not a clock event reason");
        NUM(rs, e->string, 0, 1, 0, p->reason_frac[bit]);
        p->reasons |= 1ULL << bit;
    }
    leave(rd, old);
    STR(o, "why", p->why);
    return 0;
}

static int read_link(reader *rd, const cJSON *o, rl_device_link *l)
{
    STR(o, "nvml", l->nvml);
    INT(o, "pcie_gen", 0, 64, l->pcie_gen);
    INT(o, "pcie_width", 0, 1024, l->pcie_width);
    INT(o, "pcie_gen_max", 0, 64, l->pcie_gen_max);
    INT(o, "pcie_width_max", 0, 1024, l->pcie_width_max);
    NUM(o, "pcie_gbs", 0, BIG, 1, l->pcie_gbs);
    NUM(o, "pcie_max_gbs", 0, BIG, 1, l->pcie_max_gbs);
    if (get_bool(rd, o, "c2c", &l->c2c) != 0)
        return -1;
    NUM(o, "c2c_gbs", 0, BIG, 1, l->c2c_gbs);
    INT(o, "nvlinks", 0, 1024, l->nvlinks);
    INT(o, "nvlinks_switch", 0, 1024, l->nvlinks_switch);
    NUM(o, "nvlink_gbs_per_link", 0, BIG, 1, l->nvlink_gbs_per_link);
    NUM(o, "power_limit_w", 0, 1e6, 1, l->power_limit_w);
    NUM(o, "power_default_w", 0, 1e6, 1, l->power_default_w);
    INT(o, "numa_near", -1, 1 << 16, l->numa_near);
    INT(o, "numa_far", -1, 1 << 16, l->numa_far);
    return 0;
}

static int read_copy(reader *rd, const cJSON *o, rl_device_copy *c)
{
    const cJSON *a;
    double v;
    STR(o, "id", c->id);
    STR(o, "mode", c->mode);
    STR(o, "numa", c->numa);
    INT(o, "numa_node", -1, 1 << 16, c->numa_node);
    NUM(o, "best", 0, BIG, 1, c->best);
    NUM(o, "theoretical", 0, BIG, 1, c->theoretical);
    NUM(o, "efficiency", 0, 1000, 1, c->efficiency);
    NUM(o, "plateau_bytes", 0, BIG, 0, v);
    c->plateau_bytes = (uint64_t)v;
    if (!(a = get_arr(rd, o, "sweep")))
        return -1;
    int i = 0;
    for (const cJSON *e = a->child; e; e = e->next, i++) {
        size_t old = enter(rd, "sweep", i);
        if (i >= RL_DEVICE_SWEEP_POINTS)
            return bad(rd, "", "more sweep points than a row holds");
        if (!cJSON_IsObject(e))
            return bad(rd, "", "expected an object");
        NUM(e, "bytes", 0, BIG, 0, v);
        c->size[i] = (uint64_t)v;
        NUM(e, "gbs", 0, BIG, 1, c->gbs[i]);
        c->n_points = i + 1;
        leave(rd, old);
    }
    STR(o, "note", c->note);
    return 0;
}

static int read_latency(reader *rd, const cJSON *o, rl_device_latency *l)
{
    double v;
    STR(o, "id", l->id);
    STR(o, "level", l->level);
    NUM(o, "ns", 0, BIG, 1, l->ns);
    NUM(o, "cycles", 0, BIG, 1, l->cycles);
    NUM(o, "clock_ghz", 0, 1000, 1, l->clock_ghz);
    NUM(o, "work_bytes", 0, BIG, 0, v);
    l->work_bytes = (uint64_t)v;
    NUM(o, "stride_bytes", 0, BIG, 0, v);
    l->stride_bytes = (uint64_t)v;
    STR(o, "note", l->note);
    return 0;
}

static int read_p2p(reader *rd, const cJSON *o, rl_p2p *p)
{
    STR(o, "src", p->src);
    STR(o, "dst", p->dst);
    STR(o, "mode", p->mode);
    NUM(o, "gbs", 0, BIG, 1, p->gbs);
    NUM(o, "theoretical", 0, BIG, 1, p->theoretical);
    NUM(o, "efficiency", 0, 1000, 1, p->efficiency);
    STR(o, "path", p->path);
    STR(o, "note", p->note);
    return 0;
}

/* The optional array `key` of o, each element read by `one` into a zeroed T and added. */
#define READ_LIST(o, key, T, one, add, owner)                                                      \
    do {                                                                                           \
        const cJSON *l_ = optional((o), (key));                                                    \
        if (l_ && !cJSON_IsArray(l_))                                                              \
            return bad(rd, (key), "expected an array");                                            \
        int i_ = 0;                                                                                \
        for (const cJSON *e_ = l_ ? l_->child : NULL; e_; e_ = e_->next, i_++) {                   \
            T x_;                                                                                  \
            memset(&x_, 0, sizeof x_);                                                             \
            size_t o_ = enter(rd, (key), i_);                                                      \
            if (!cJSON_IsObject(e_))                                                               \
                return bad(rd, "", "expected an object");                                          \
            if (one(rd, e_, &x_) != 0 || add((owner), &x_, rd->err) != 0)                          \
                return -1;                                                                         \
            leave(rd, o_);                                                                         \
        }                                                                                          \
    } while (0)

static int read_device(reader *rd, const cJSON *o, rl_device *d)
{
    const cJSON *th, *a;
    double v;
    int i;
    STR(o, "id", d->id);
    STR(o, "backend", d->backend);
    STR(o, "name", d->name);
    STR(o, "arch", d->arch);
    STR(o, "bus_id", d->bus_id);
    INT(o, "units", 0, 1 << 24, d->units);
    NUM(o, "max_clock_ghz", 0, 1000, 1, d->max_clock_ghz);
    NUM(o, "measured_clock_ghz", 0, 1000, 1, d->measured_clock_ghz);
    NUM(o, "mem_clock_mhz", 0, 1e7, 1, d->mem_clock_mhz);
    INT(o, "mem_bus_bits", 0, 1 << 20, d->mem_bus_bits);
    NUM(o, "mem_bytes", 0, BIG, 0, v);
    d->mem_bytes = (uint64_t)v;
    NUM(o, "l2_bytes", 0, BIG, 0, v);
    d->l2_bytes = (uint64_t)v;
    STR(o, "driver", d->driver);
    STR(o, "runtime", d->runtime);
    STR(o, "status", d->status);
    if (!(th = get_obj(rd, o, "theoretical")))
        return -1;
    size_t old = enter(rd, "theoretical", -1);
    STR(th, "note", d->theory_note);
    NUM(th, "dram_gbs", 0, BIG, 1, d->dram_gbs);
    NUM(th, "shared_gbs", 0, BIG, 1, d->smem_gbs);
    if (!(a = get_arr(rd, th, "peak")))
        return -1;
    i = 0;
    for (const cJSON *e = a->child; e; e = e->next, i++) {
        rl_device_peak p = {0};
        size_t o2 = enter(rd, "peak", i);
        if (!cJSON_IsObject(e))
            return bad(rd, "", "expected an object");
        STR(e, "path", p.path);
        STR(e, "precision", p.precision);
        STR(e, "unit", p.unit);
        NUM(e, "per_unit_per_cycle", 0, 1e9, 0, p.per_unit_per_cycle);
        NUM(e, "clock_ghz", 0, 1000, 1, p.clock_ghz);
        NUM(e, "gflops", 0, BIG, 1, p.gflops);
        if (rl_device_add_peak(d, &p, rd->err) != 0)
            return -1;
        leave(rd, o2);
    }
    if (read_ridge_list(rd, th, &d->theory_ridge, &d->n_theory_ridge) != 0)
        return -1;
    leave(rd, old);
    if (!(a = get_arr(rd, o, "ceilings")))
        return -1;
    i = 0;
    for (const cJSON *e = a->child; e; e = e->next, i++) {
        rl_device_ceiling c;
        memset(&c, 0, sizeof c);
        size_t o2 = enter(rd, "ceilings", i);
        if (!cJSON_IsObject(e))
            return bad(rd, "", "expected an object");
        STR(e, "id", c.id);
        STR(e, "kind", c.kind);
        if (strcmp(c.kind, "compute") != 0 && strcmp(c.kind, "memory") != 0)
            return bad(rd, "kind", "expected \"compute\" or \"memory\"");
        STR(e, "path", c.path);
        STR(e, "precision", c.precision);
        STR(e, "op", c.op);
        STR(e, "insn", c.insn);
        STR(e, "unit", c.unit);
        NUM(e, "best", 0, BIG, 1, c.best);
        NUM(e, "median", 0, BIG, 1, c.median);
        NUM(e, "min", 0, BIG, 1, c.min);
        INT(e, "repeats", 0, 1 << 24, c.repeats);
        NUM(e, "clock_ghz", 0, 1000, 1, c.clock_ghz);
        NUM(e, "theoretical", 0, BIG, 1, c.theoretical);
        NUM(e, "efficiency", 0, 1000, 1, c.efficiency);
        NUM(e, "work_bytes", 0, BIG, 0, v);
        c.work_bytes = (uint64_t)v;
        STR(e, "note", c.note);
        rl_device_power_unknown(&c.power);
        const cJSON *pw = optional(e, "power");
        if (pw) {
            size_t o3 = enter(rd, "power", -1);
            if (!cJSON_IsObject(pw))
                return bad(rd, "", "expected an object");
            if (read_power(rd, pw, &c.power) != 0)
                return -1;
            leave(rd, o3);
        }
        if (rl_device_add_ceiling(d, &c, rd->err) != 0)
            return -1;
        leave(rd, o2);
    }
    if (read_ridge_list(rd, o, &d->ridge, &d->n_ridge) != 0)
        return -1;
    const cJSON *lk = optional(o, "link");
    if (lk) {
        size_t o3 = enter(rd, "link", -1);
        if (!cJSON_IsObject(lk))
            return bad(rd, "", "expected an object");
        if (read_link(rd, lk, &d->link) != 0)
            return -1;
        d->has_link = 1;
        leave(rd, o3);
    }
    READ_LIST(o, "host_links", rl_device_copy, read_copy, rl_device_add_copy, d);
    READ_LIST(o, "latency", rl_device_latency, read_latency, rl_device_add_latency, d);
    return 0;
}

/* "devices" is optional (absent from CPU-only results and from files of earlier versions). */
static int read_devices(reader *rd, const cJSON *root, rl_result *r)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "devices");
    if (!a)
        return 0;
    if (!cJSON_IsArray(a))
        return bad(rd, "devices", "expected an array");
    int i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        size_t old = enter(rd, "devices", i);
        if (!cJSON_IsObject(o))
            return bad(rd, "", "expected an object");
        rl_device *d = rl_result_add_device(r, rd->err);
        if (!d || read_device(rd, o, d) != 0)
            return -1;
        leave(rd, old);
    }
    READ_LIST(root, "p2p", rl_p2p, read_p2p, rl_result_add_p2p, r);
    return 0;
}

/* The optional "latency" array (rl_latency). */
static int read_latency_rows(reader *rd, const cJSON *root, rl_result *r)
{
    if (!cJSON_GetObjectItemCaseSensitive(root, "latency"))
        return 0;
    const cJSON *a = get_arr(rd, root, "latency");
    if (!a)
        return -1;
    int i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        rl_latency e = rl_latency_blank();
        double bytes, delay;
        size_t old = enter(rd, "latency", i);
        if (!cJSON_IsObject(o))
            return bad(rd, "", "expected an object");
        STR(o, "device", e.device);
        STR(o, "kind", e.kind);
        STR(o, "level", e.level);
        STR(o, "pages", e.pages);
        NUM(o, "huge_share", 0, 1, 1, e.huge_share);
        NUM(o, "bytes", 0, BIG, 0, bytes);
        e.bytes = (uint64_t)bytes;
        NUM(o, "ns", 0, BIG, 1, e.ns);
        NUM(o, "ns_median", 0, BIG, 1, e.ns_median);
        NUM(o, "ns_max", 0, BIG, 1, e.ns_max);
        NUM(o, "clock_ghz", 0, 1000, 1, e.clock_ghz);
        NUM(o, "cycles", 0, BIG, 1, e.cycles);
        INT(o, "repeats", 0, 1 << 24, e.repeats);
        STR(o, "mix", e.mix);
        INT(o, "load_threads", 0, 1 << 24, e.load_threads);
        NUM(o, "delay", 0, BIG, 0, delay);
        e.delay = (uint64_t)delay;
        NUM(o, "gbs", 0, BIG, 1, e.gbs);
        INT(o, "cpu_node", -1, 1 << 20, e.cpu_node);
        INT(o, "mem_node", -1, 1 << 20, e.mem_node);
        STR(o, "note", e.note);
        if (rl_result_add_latency(r, &e, rd->err) != 0)
            return -1;
        leave(rd, old);
    }
    return 0;
}

static int read_meta(reader *rd, const cJSON *root, rl_meta *meta)
{
    const cJSON *o = get_obj(rd, root, "meta");
    if (!o)
        return -1;
    size_t old = enter(rd, "meta", -1);
    STR(o, "tool_version", meta->tool_version);
    STR(o, "date", meta->date);
    STR(o, "compiler", meta->compiler);
    STR(o, "command_line", meta->command_line);
    STR(o, "settings", meta->settings);
    if (get_bool(rd, o, "partial", &meta->partial) != 0)
        return -1;
    if (cJSON_GetObjectItemCaseSensitive(o, "emulated"))
        STR(o, "emulated", meta->emulated);
    leave(rd, old);
    return 0;
}

rl_result *rl_result_from_json(const char *text, size_t len, const char *name, rl_err *err)
{
    reader rd = {.name = name, .path = "", .err = err};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    rl_result *r = NULL;

    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        rl_err_set(err, RL_EXIT_INPUT, "%s: not valid JSON (near byte %zu%s)", name, off,
                   off >= len ? ", the file ends early" : "");
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: not a roofline result (expected a JSON object)", name);
        goto fail;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsString(schema)) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: field 'schema': missing (not a roofline result?)",
                   name);
        goto fail;
    }
    if (strcmp(schema->valuestring, RL_SCHEMA) != 0) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: field 'schema': '%s' is not '%s'", name,
                   schema->valuestring, RL_SCHEMA);
        goto fail;
    }
    if (!(r = rl_result_new())) {
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        goto fail;
    }
    if (read_meta(&rd, root, &r->meta) != 0 || read_machine(&rd, root, &r->machine) != 0 ||
        read_theory(&rd, root, r) != 0 || read_measurements(&rd, root, r) != 0 ||
        read_devices(&rd, root, r) != 0 || read_latency_rows(&rd, root, r) != 0)
        goto fail;
    cJSON_Delete(root);
    return r;
fail:
    cJSON_Delete(root);
    rl_result_free(r);
    return NULL;
}

rl_result *rl_result_read(const char *path, rl_err *err)
{
    size_t len = 0;
    char *text = rl_file_read_all(path, 1, "a roofline result", &len, err);
    if (!text)
        return NULL;
    rl_result *r = NULL; /* a page written by --html: its embedded result */
    if (rl_htmldata_unwrap(text, &len, path, err) == 0)
        r = rl_result_from_json(text, len, path, err);
    free(text);
    return r;
}
