/* fleet.c: the fleet model, its summary and its JSON (see fleet.h). */
#include "result/fleet.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/file.h"
#include "common/htmldata.h"
#include "common/outfile.h"
#include "result/gpu_server.h"
#include "result/latency.h"

/* ---- the model ---------------------------------------------------------------------------- */

static const struct {
    const char *name, *id, *unit;
    int compute;
} CEILINGS[RL_FLEET_CEILINGS + 1] = {
    {"fp64 peak", "fp64_gflops", "GFLOP/s", 1},
    {"fp32 peak", "fp32_gflops", "GFLOP/s", 1},
    {"DRAM bandwidth", "dram_gbs", "GB/s", 0},
    {"L3 bandwidth", "l3_gbs", "GB/s", 0},
    {"GPU compute (slowest GPU)", "gpu_compute_gflops", "GFLOP/s", 1},
    {"GPU DRAM bandwidth (slowest GPU)", "gpu_dram_gbs", "GB/s", 0},
    {"DRAM latency", "dram_latency_ns", "ns", 0}, /* RL_FLEET_DRAM_LATENCY */
};

static int ceiling_ok(int c)
{
    return c >= 0 && c <= RL_FLEET_DRAM_LATENCY;
}

const char *rl_fleet_ceiling_name(int c)
{
    return ceiling_ok(c) ? CEILINGS[c].name : "?";
}

const char *rl_fleet_ceiling_id(int c)
{
    return ceiling_ok(c) ? CEILINGS[c].id : "?";
}

const char *rl_fleet_ceiling_unit(int c)
{
    return ceiling_ok(c) ? CEILINGS[c].unit : "?";
}

int rl_fleet_ceiling_is_compute(int c)
{
    return ceiling_ok(c) && CEILINGS[c].compute;
}

rl_fleet *rl_fleet_new(void)
{
    rl_fleet *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    snprintf(f->tool_version, sizeof f->tool_version, "%s", RL_VERSION);
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(f->date, sizeof f->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    f->compute_threshold = RL_FLEET_COMPUTE_THRESHOLD;
    f->bandwidth_threshold = RL_FLEET_BANDWIDTH_THRESHOLD;
    f->theory_compute_threshold = RL_FLEET_THEORY_COMPUTE_THRESHOLD;
    f->theory_dram_threshold = RL_FLEET_THEORY_DRAM_THRESHOLD;
    f->node_timeout_s = -1;
    f->gather_s = -1;
    return f;
}

void rl_fleet_free(rl_fleet *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_nodes; i++)
        rl_result_free(f->nodes[i].result);
    free(f->nodes);
    free(f);
}

int rl_fleet_add_node(rl_fleet *f, const char *host, const char *status, double seconds,
                      rl_result *r, rl_err *err)
{
    rl_fleet_node *p = realloc(f->nodes, (f->n_nodes + 1) * sizeof *p);
    if (!p) {
        rl_result_free(r);
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    }
    f->nodes = p;
    rl_fleet_node *n = &f->nodes[f->n_nodes++];
    memset(n, 0, sizeof *n);
    snprintf(n->host, sizeof n->host, "%s", host && *host ? host : "?");
    snprintf(n->status, sizeof n->status, "%s", status ? status : "ok");
    n->seconds = seconds;
    n->result = r;
    return 0;
}

int rl_fleet_node_ok(const rl_fleet_node *n)
{
    return strcmp(n->status, "ok") == 0 && n->result != NULL;
}

/* ---- figures and groups ------------------------------------------------------------------- */

/* The best figure of `precision` at the most threads any of its kernels ran (not an FMA+ADD mix:
 * those are never an ISA's peak). */
static const rl_flops *best_flops(const rl_result *r, const char *precision)
{
    int most = 0;
    for (size_t i = 0; i < r->n_flops; i++)
        if (!strcmp(r->flops[i].precision, precision) && !strchr(r->flops[i].isa, '+') &&
            !r->flops[i].core_type[0] && r->flops[i].threads > most)
            most = r->flops[i].threads;
    const rl_flops *best = NULL;
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *x = &r->flops[i];
        if (strcmp(x->precision, precision) != 0 || strchr(x->isa, '+') || x->core_type[0] ||
            x->threads != most)
            continue; /* a hybrid CPU's one-core-type rows are not the node's ceiling */
        if (!best || x->gflops > best->gflops)
            best = x;
    }
    return best;
}

/* The best counted bandwidth of `level` at the most threads measured there. */
static const rl_bandwidth *best_bandwidth(const rl_result *r, const char *level)
{
    int most = 0;
    for (size_t i = 0; i < r->n_bandwidth; i++)
        if (!strcmp(r->bandwidth[i].level, level) && r->bandwidth[i].threads > most)
            most = r->bandwidth[i].threads;
    const rl_bandwidth *best = NULL;
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        if (strcmp(b->level, level) != 0 || b->threads != most)
            continue;
        if (!best || b->gbs > best->gbs)
            best = b;
    }
    return best;
}

/* The slowest GPU's figures: per GPU its best GFLOP/s ceiling and its best device-memory row, the
 * node's figure the lowest of them (a node is as fast as its slowest GPU for work spread over all).
 */
static void gpu_figures(const rl_result *r, rl_fleet_figures *out)
{
    out->gpus = (int)r->n_devices;
    for (size_t i = 0; i < r->n_devices; i++) {
        const rl_device *d = &r->devices[i];
        double comp = -1, dram = -1;
        for (size_t k = 0; k < d->n_ceiling; k++) {
            const rl_device_ceiling *c = &d->ceiling[k];
            if (!strcmp(c->kind, "compute") && !strcmp(c->unit, "GFLOP/s") && c->best > comp)
                comp = c->best;
            if (!strcmp(c->kind, "memory") && !strcmp(c->path, "DRAM") && c->best > dram)
                dram = c->best;
        }
        double *v = out->value;
        if (comp > 0 && (v[RL_FLEET_GPU_COMPUTE] < 0 || comp < v[RL_FLEET_GPU_COMPUTE]))
            v[RL_FLEET_GPU_COMPUTE] = comp;
        if (dram > 0 && (v[RL_FLEET_GPU_DRAM] < 0 || dram < v[RL_FLEET_GPU_DRAM]))
            v[RL_FLEET_GPU_DRAM] = dram;
    }
}

void rl_fleet_figures_of(const rl_result *r, rl_fleet_figures *out)
{
    for (int c = 0; c < RL_FLEET_CEILINGS; c++)
        out->value[c] = out->theory[c] = -1;
    out->threads = out->gpus = 0;
    out->clock_ghz = out->imax = out->efficiency = out->dram_ns = -1;
    if (!r)
        return;
    const rl_latency *lat = rl_latency_dram(r, "cpu");
    if (lat)
        out->dram_ns = lat->ns;
    static const char *const PREC[] = {"fp64", "fp32"};
    for (int c = RL_FLEET_FP64; c <= RL_FLEET_FP32; c++) {
        const rl_flops *f = best_flops(r, PREC[c]);
        if (!f)
            continue;
        out->value[c] = f->gflops > 0 ? f->gflops : -1;
        out->theory[c] = f->theoretical_gflops > 0 ? f->theoretical_gflops : -1;
        if (c == RL_FLEET_FP64) {
            out->threads = f->threads;
            out->efficiency = f->efficiency;
        }
    }
    const rl_bandwidth *d = best_bandwidth(r, "DRAM"), *l3 = best_bandwidth(r, "L3");
    if (d && d->gbs > 0)
        out->value[RL_FLEET_DRAM] = d->gbs;
    if (l3 && l3->gbs > 0)
        out->value[RL_FLEET_L3] = l3->gbs;
    out->theory[RL_FLEET_DRAM] = r->theory.dram_gbs > 0 ? r->theory.dram_gbs : -1;
    gpu_figures(r, out);
    out->clock_ghz = r->machine.measured_ghz > 0  ? r->machine.measured_ghz
                     : r->machine.nominal_ghz > 0 ? r->machine.nominal_ghz
                                                  : -1;
    if (out->value[RL_FLEET_FP64] > 0 && out->value[RL_FLEET_DRAM] > 0)
        out->imax = out->value[RL_FLEET_FP64] / out->value[RL_FLEET_DRAM];
}

void rl_fleet_hardware(const rl_result *r, char *out, size_t size)
{
    const rl_machine *m = &r->machine;
    const rl_theory *t = &r->theory;
    char dram[64];
    if (t->mem_channels > 0 && t->mem_mts > 0)
        snprintf(dram, sizeof dram, "DRAM %d x %.0f MT/s", t->mem_channels, t->mem_mts);
    else
        snprintf(dram, sizeof dram, "DRAM configuration unknown");
    snprintf(out, size, "%s (%s), %d cores, %d socket%s, %d NUMA node%s, %s",
             m->brand[0] ? m->brand : "unknown CPU", m->uarch, m->cores, m->packages,
             m->packages == 1 ? "" : "s", m->numa_nodes, m->numa_nodes == 1 ? "" : "s", dram);
    /* The GPUs, counted per model in the order they first appear: ", 8 x NVIDIA H100 ...". */
    for (size_t i = 0; i < r->n_devices; i++) {
        int seen = 0, count = 0;
        for (size_t j = 0; j < r->n_devices; j++) {
            seen |= j < i && !strcmp(r->devices[j].name, r->devices[i].name);
            count += !strcmp(r->devices[j].name, r->devices[i].name);
        }
        size_t used = strlen(out);
        if (!seen && used < size)
            snprintf(out + used, size - used, ", %d x %s", count, r->devices[i].name);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the known (positive) figures among vals[0..n); -1 when none. */
static double median(double *vals, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (vals[i] > 0)
            vals[k++] = vals[i];
    if (k == 0)
        return -1;
    qsort(vals, k, sizeof *vals, cmp_double);
    return k % 2 ? vals[k / 2] : (vals[k / 2 - 1] + vals[k / 2]) / 2;
}

static int add_flag(rl_fleet_summary *s, size_t node, int c, int below, int numa, double value,
                    double reference, rl_err *err)
{
    rl_fleet_flag *p = realloc(s->flags, (s->n_flags + 1) * sizeof *p);
    if (!p)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    s->flags = p;
    p[s->n_flags++] = (rl_fleet_flag){.node = node,
                                      .gpu = "",
                                      .text = "",
                                      .ceiling = c,
                                      .below = below,
                                      .numa = numa,
                                      .value = value,
                                      .reference = reference,
                                      .shortfall = 1 - value / reference};
    return 0;
}

/* The group of node i: an existing one with the same hardware, or a new one. */
static int join_group(rl_fleet_summary *s, const char *hw, size_t i, rl_err *err)
{
    size_t g = 0;
    while (g < s->n_groups && strcmp(s->groups[g].hardware, hw) != 0)
        g++;
    if (g == s->n_groups) {
        rl_fleet_group *p = realloc(s->groups, (s->n_groups + 1) * sizeof *p);
        if (!p)
            return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        s->groups = p;
        memset(&p[g], 0, sizeof p[g]);
        snprintf(p[g].hardware, sizeof p[g].hardware, "%s", hw);
        s->n_groups++;
    }
    rl_fleet_group *grp = &s->groups[g];
    size_t *q = realloc(grp->nodes, (grp->n_nodes + 1) * sizeof *q);
    if (!q)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    grp->nodes = q;
    q[grp->n_nodes++] = i;
    s->group_of[i] = (int)g;
    return 0;
}

/* Per-NUMA-node ceilings: a multi-socket node's DRAM run records each NUMA node's share
 * (bandwidth rows "NUMA0", "NUMA1", ...). Each NUMA node's best share below the median of the
 * node's NUMA nodes by more than the bandwidth threshold is flagged: the socket with a missing or
 * slower DIMM, which the node's total hides. */
#define FLEET_MAX_NUMA 64
static int numa_flags(rl_fleet_summary *s, size_t i, const rl_result *r, double thr, rl_err *err)
{
    double best[FLEET_MAX_NUMA];
    int n = 0;
    for (int d = 0; d < FLEET_MAX_NUMA; d++)
        best[d] = -1;
    for (size_t k = 0; r && k < r->n_bandwidth; k++) {
        const rl_bandwidth *b = &r->bandwidth[k];
        int d = -1;
        if (sscanf(b->level, "NUMA%d", &d) != 1 || d < 0 || d >= FLEET_MAX_NUMA || b->gbs <= 0)
            continue;
        if (best[d] < 0)
            n++;
        if (b->gbs > best[d])
            best[d] = b->gbs;
    }
    if (n < 2)
        return 0;
    double vals[FLEET_MAX_NUMA];
    int m = 0;
    for (int d = 0; d < FLEET_MAX_NUMA; d++)
        if (best[d] > 0)
            vals[m++] = best[d];
    double med = median(vals, (size_t)m);
    for (int d = 0; d < FLEET_MAX_NUMA; d++)
        if (best[d] > 0 && best[d] < med * (1 - thr) &&
            add_flag(s, i, RL_FLEET_DRAM, RL_FLEET_BELOW_SIBLINGS, d, best[d], med, err) != 0)
            return -1;
    return 0;
}

/* Each GPU finding of a node (result/gpu_server.h) with the fleet's thresholds: a flag naming
 * the GPU. Compute findings count under the GPU compute ceiling, the others under GPU DRAM. */
static int gpu_flags(rl_fleet_summary *s, size_t i, const rl_result *r, const rl_fleet *f,
                     rl_err *err)
{
    if (!r || !r->n_devices)
        return 0;
    rl_gpu_findings g;
    if (rl_gpu_findings_of(r, f->compute_threshold, f->bandwidth_threshold, &g, err) != 0)
        return -1;
    for (size_t k = 0; k < g.n; k++) {
        const rl_gpu_finding *e = &g.items[k];
        int compute = e->kind == RL_GPU_FINDING_POWER_LIMIT;
        for (size_t c = 0; e->kind == RL_GPU_FINDING_ODD_GPU && c < r->devices[e->device].n_ceiling;
             c++)
            if (!strcmp(r->devices[e->device].ceiling[c].id, e->what))
                compute = !strcmp(r->devices[e->device].ceiling[c].kind, "compute");
        if (add_flag(s, i, compute ? RL_FLEET_GPU_COMPUTE : RL_FLEET_GPU_DRAM, RL_FLEET_GPU_FINDING,
                     -1, e->value, e->reference, err) != 0) {
            rl_gpu_findings_free(&g);
            return -1;
        }
        rl_fleet_flag *fl = &s->flags[s->n_flags - 1];
        fl->shortfall = e->shortfall;
        snprintf(fl->gpu, sizeof fl->gpu, "%s", r->devices[e->device].id);
        snprintf(fl->text, sizeof fl->text, "%s", e->text);
    }
    rl_gpu_findings_free(&g);
    return 0;
}

int rl_fleet_summarize(const rl_fleet *f, rl_fleet_summary *s, rl_err *err)
{
    memset(s, 0, sizeof *s);
    size_t n = f->n_nodes ? f->n_nodes : 1;
    s->n_ceilings = RL_FLEET_CPU_CEILINGS;
    s->figures = calloc(n, sizeof *s->figures);
    s->group_of = calloc(n, sizeof *s->group_of);
    double *vals = calloc(n, sizeof *vals);
    if (!s->figures || !s->group_of || !vals)
        goto oom;
    for (size_t i = 0; i < f->n_nodes; i++) {
        const rl_fleet_node *node = &f->nodes[i];
        rl_fleet_figures_of(node->result, &s->figures[i]);
        s->group_of[i] = -1;
        if (!rl_fleet_node_ok(node)) {
            s->n_failed++;
            continue;
        }
        s->n_ok++;
        if (s->figures[i].gpus > 0)
            s->n_ceilings = RL_FLEET_CEILINGS;
        char hw[320];
        rl_fleet_hardware(node->result, hw, sizeof hw);
        if (join_group(s, hw, i, err) != 0)
            goto fail;
    }
    for (size_t g = 0; g < s->n_groups; g++) {
        rl_fleet_group *grp = &s->groups[g];
        for (int c = 0; c < RL_FLEET_CEILINGS; c++) {
            for (size_t k = 0; k < grp->n_nodes; k++)
                vals[k] = s->figures[grp->nodes[k]].value[c];
            grp->median[c] = median(vals, grp->n_nodes);
        }
        for (size_t k = 0; k < grp->n_nodes; k++)
            vals[k] = s->figures[grp->nodes[k]].dram_ns;
        grp->median_dram_ns = median(vals, grp->n_nodes);
    }
    for (size_t i = 0; i < f->n_nodes; i++) {
        if (s->group_of[i] < 0)
            continue;
        const rl_fleet_group *grp = &s->groups[s->group_of[i]];
        const rl_fleet_figures *fig = &s->figures[i];
        for (int c = 0; c < RL_FLEET_CEILINGS; c++) {
            double v = fig->value[c];
            if (!(v > 0))
                continue;
            double thr =
                rl_fleet_ceiling_is_compute(c) ? f->compute_threshold : f->bandwidth_threshold;
            double m = grp->median[c];
            if (m > 0 && v < m * (1 - thr) &&
                add_flag(s, i, c, RL_FLEET_BELOW_GROUP, -1, v, m, err) != 0)
                goto fail;
            double t = fig->theory[c];
            double tthr =
                c == RL_FLEET_DRAM ? f->theory_dram_threshold : f->theory_compute_threshold;
            if (t > 0 && v < t * (1 - tthr) &&
                add_flag(s, i, c, RL_FLEET_BELOW_THEORY, -1, v, t, err) != 0)
                goto fail;
        }
        if (numa_flags(s, i, f->nodes[i].result, f->bandwidth_threshold, err) != 0)
            goto fail;
        if (gpu_flags(s, i, f->nodes[i].result, f, err) != 0)
            goto fail;
        /* DRAM latency: higher is worse, against the group's median with the bandwidth
         * threshold (the same memory seen from the other side). */
        double ns = fig->dram_ns, mns = grp->median_dram_ns;
        if (ns > 0 && mns > 0 && ns > mns * (1 + f->bandwidth_threshold) &&
            add_flag(s, i, RL_FLEET_DRAM_LATENCY, RL_FLEET_ABOVE_GROUP, -1, ns, mns, err) != 0)
            goto fail;
    }
    free(vals);
    return 0;
oom:
    rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
fail:
    free(vals);
    rl_fleet_summary_free(s);
    return -1;
}

void rl_fleet_summary_free(rl_fleet_summary *s)
{
    if (!s)
        return;
    for (size_t g = 0; g < s->n_groups; g++)
        free(s->groups[g].nodes);
    free(s->groups);
    free(s->figures);
    free(s->group_of);
    free(s->flags);
    memset(s, 0, sizeof *s);
}

/* ---- writer ------------------------------------------------------------------------------- */

static void add_known(cJSON *o, const char *key, double v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, v);
}

static cJSON *figures_json(const double *v, int n_ceilings)
{
    cJSON *o = cJSON_CreateObject();
    for (int c = 0; c < n_ceilings; c++)
        add_known(o, rl_fleet_ceiling_id(c), v[c]);
    return o;
}

static cJSON *summary_json(const rl_fleet *f, const rl_fleet_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "nodes", (double)f->n_nodes);
    cJSON_AddNumberToObject(o, "ok", (double)s->n_ok);
    cJSON_AddNumberToObject(o, "failed", (double)s->n_failed);
    cJSON *groups = cJSON_AddArrayToObject(o, "groups");
    for (size_t g = 0; g < s->n_groups; g++) {
        const rl_fleet_group *grp = &s->groups[g];
        cJSON *go = cJSON_CreateObject();
        cJSON_AddStringToObject(go, "hardware", grp->hardware);
        cJSON *hosts = cJSON_AddArrayToObject(go, "hosts");
        for (size_t k = 0; k < grp->n_nodes; k++)
            cJSON_AddItemToArray(hosts, cJSON_CreateString(f->nodes[grp->nodes[k]].host));
        cJSON *med = figures_json(grp->median, s->n_ceilings);
        if (med && grp->median_dram_ns > 0) /* only where latency was measured */
            cJSON_AddNumberToObject(med, "dram_latency_ns", grp->median_dram_ns);
        cJSON_AddItemToObject(go, "median", med);
        cJSON_AddItemToArray(groups, go);
    }
    cJSON *flags = cJSON_AddArrayToObject(o, "flags");
    for (size_t k = 0; k < s->n_flags; k++) {
        const rl_fleet_flag *fl = &s->flags[k];
        cJSON *fo = cJSON_CreateObject();
        cJSON_AddStringToObject(fo, "host", f->nodes[fl->node].host);
        cJSON_AddStringToObject(fo, "ceiling", rl_fleet_ceiling_id(fl->ceiling));
        /* Every flag has "below" (readers index by it); a latency's worse side is above. */
        if (fl->below == RL_FLEET_ABOVE_GROUP)
            cJSON_AddStringToObject(fo, "below", "group median, inverted: latency above it");
        else
            cJSON_AddStringToObject(fo, "below",
                                    fl->below == RL_FLEET_BELOW_THEORY     ? "theory"
                                    : fl->below == RL_FLEET_BELOW_SIBLINGS ? "sibling numa nodes"
                                    : fl->below == RL_FLEET_GPU_FINDING    ? "gpu finding"
                                                                           : "group median");
        if (fl->numa >= 0)
            cJSON_AddNumberToObject(fo, "numa", fl->numa);
        if (fl->gpu[0]) {
            cJSON_AddStringToObject(fo, "gpu", fl->gpu);
            cJSON_AddStringToObject(fo, "text", fl->text);
        }
        cJSON_AddNumberToObject(fo, "value", fl->value);
        cJSON_AddNumberToObject(fo, "reference", fl->reference);
        cJSON_AddNumberToObject(fo, "shortfall", fl->shortfall);
        cJSON_AddItemToArray(flags, fo);
    }
    return o;
}

char *rl_fleet_to_json(const rl_fleet *f, rl_err *err)
{
    rl_fleet_summary s;
    if (rl_fleet_summarize(f, &s, err) != 0)
        return NULL;
    char *text = NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        goto oom;
    cJSON_AddStringToObject(root, "schema", RL_FLEET_SCHEMA);
    cJSON_AddStringToObject(root, "tool_version", f->tool_version);
    cJSON_AddStringToObject(root, "date", f->date);
    cJSON_AddStringToObject(root, "command_line", f->command_line);
    cJSON_AddBoolToObject(root, "partial", f->partial);
    cJSON_AddBoolToObject(root, "serial", f->serial);
    cJSON *th = cJSON_AddObjectToObject(root, "thresholds");
    cJSON_AddNumberToObject(th, "compute", f->compute_threshold);
    cJSON_AddNumberToObject(th, "bandwidth", f->bandwidth_threshold);
    cJSON_AddNumberToObject(th, "theory_compute", f->theory_compute_threshold);
    cJSON_AddNumberToObject(th, "theory_dram", f->theory_dram_threshold);
    add_known(root, "node_timeout_s", f->node_timeout_s);
    add_known(root, "gather_s", f->gather_s);
    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    for (size_t i = 0; i < f->n_nodes; i++) {
        const rl_fleet_node *n = &f->nodes[i];
        cJSON *no = cJSON_CreateObject();
        cJSON_AddStringToObject(no, "host", n->host);
        cJSON_AddStringToObject(no, "status", n->status);
        add_known(no, "seconds", n->seconds);
        cJSON *res = NULL;
        if (n->result) {
            char *rt = rl_result_to_json(n->result, err);
            if (!rt) {
                cJSON_Delete(no);
                goto fail;
            }
            res = cJSON_Parse(rt);
            free(rt);
            if (!res) {
                cJSON_Delete(no);
                goto oom;
            }
        }
        cJSON_AddItemToObject(no, "result", res ? res : cJSON_CreateNull());
        cJSON_AddItemToArray(nodes, no);
    }
    cJSON_AddItemToObject(root, "summary", summary_json(f, &s));
    text = cJSON_Print(root);
    if (!text)
        goto oom;
    size_t len = strlen(text);
    char *withnl = realloc(text, len + 2);
    if (!withnl) {
        free(text);
        text = NULL;
        goto oom;
    }
    withnl[len] = '\n';
    withnl[len + 1] = '\0';
    text = withnl;
    goto done;
oom:
    rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing the fleet JSON");
fail:
    text = NULL;
done:
    cJSON_Delete(root);
    rl_fleet_summary_free(&s);
    return text;
}

int rl_fleet_write(const rl_fleet *f, const char *path, rl_err *err)
{
    char *text = rl_fleet_to_json(f, err);
    if (!text)
        return -1;
    int rc = rl_outfile_write(path, text, strlen(text), err);
    free(text);
    return rc;
}

/* ---- reader ------------------------------------------------------------------------------- */

static int input_error(rl_err *err, const char *name, const char *field, const char *what)
{
    return rl_err_set(err, RL_EXIT_INPUT, "%s: field '%s': %s", name, field, what);
}

static int get_threshold(const cJSON *th, const char *key, const char *name, double *out,
                         rl_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(th, key);
    char field[64];
    snprintf(field, sizeof field, "thresholds.%s", key);
    if (!v)
        return input_error(err, name, field, "missing");
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble < 1))
        return input_error(err, name, field, "expected a fraction from 0 to 1");
    *out = v->valuedouble;
    return 0;
}

/* A string member copied into out[size]; a missing or mistyped one is an input error. */
static int get_string(const cJSON *o, const char *key, const char *name, const char *field,
                      char *out, size_t size, rl_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return input_error(err, name, field, "missing");
    if (!cJSON_IsString(v))
        return input_error(err, name, field, "expected a string");
    if (strlen(v->valuestring) >= size)
        return input_error(err, name, field, "string too long");
    memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

static double get_optional_seconds(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 ? v->valuedouble : -1;
}

static int read_node(const cJSON *no, size_t i, const char *name, rl_fleet *f, rl_err *err)
{
    char field[64], host[256], status[512];
    if (!cJSON_IsObject(no)) {
        snprintf(field, sizeof field, "nodes[%zu]", i);
        return input_error(err, name, field, "expected an object");
    }
    snprintf(field, sizeof field, "nodes[%zu].host", i);
    if (get_string(no, "host", name, field, host, sizeof host, err) != 0)
        return -1;
    snprintf(field, sizeof field, "nodes[%zu].status", i);
    if (get_string(no, "status", name, field, status, sizeof status, err) != 0)
        return -1;
    if (strcmp(status, "ok") != 0 && strncmp(status, "failed", 6) != 0)
        return input_error(err, name, field, "expected \"ok\" or \"failed: <reason>\"");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(no, "result");
    rl_result *r = NULL;
    if (cJSON_IsObject(res)) {
        char *text = cJSON_PrintUnformatted(res);
        if (!text)
            return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        char rname[300];
        snprintf(rname, sizeof rname, "%s: nodes[%zu].result", name, i);
        r = rl_result_from_json(text, strlen(text), rname, err);
        free(text);
        if (!r)
            return -1;
    } else if (res && !cJSON_IsNull(res)) {
        snprintf(field, sizeof field, "nodes[%zu].result", i);
        return input_error(err, name, field, "expected a roofline/1 result or null");
    } else if (!strcmp(status, "ok")) {
        snprintf(field, sizeof field, "nodes[%zu].result", i);
        return input_error(err, name, field, "missing (the node's status is \"ok\")");
    }
    return rl_fleet_add_node(f, host, status, get_optional_seconds(no, "seconds"), r, err);
}

rl_fleet *rl_fleet_from_json(const char *text, size_t len, const char *name, rl_err *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    rl_fleet *f = NULL;
    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        rl_err_set(err, RL_EXIT_INPUT, "%s: not valid JSON (near byte %zu%s)", name, off,
                   off >= len ? ", the file ends early" : "");
        return NULL;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsObject(root) || !cJSON_IsString(schema) ||
        strcmp(schema->valuestring, RL_FLEET_SCHEMA) != 0) {
        input_error(err, name, "schema", "not '" RL_FLEET_SCHEMA "'");
        goto fail;
    }
    if (!(f = rl_fleet_new())) {
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        goto fail;
    }
    if (get_string(root, "tool_version", name, "tool_version", f->tool_version,
                   sizeof f->tool_version, err) != 0 ||
        get_string(root, "date", name, "date", f->date, sizeof f->date, err) != 0 ||
        get_string(root, "command_line", name, "command_line", f->command_line,
                   sizeof f->command_line, err) != 0)
        goto fail;
    const cJSON *partial = cJSON_GetObjectItemCaseSensitive(root, "partial");
    if (!cJSON_IsBool(partial)) {
        input_error(err, name, "partial", "expected true or false");
        goto fail;
    }
    f->partial = cJSON_IsTrue(partial);
    f->serial = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "serial"));
    const cJSON *th = cJSON_GetObjectItemCaseSensitive(root, "thresholds");
    if (!cJSON_IsObject(th)) {
        input_error(err, name, "thresholds", "expected an object");
        goto fail;
    }
    if (get_threshold(th, "compute", name, &f->compute_threshold, err) != 0 ||
        get_threshold(th, "bandwidth", name, &f->bandwidth_threshold, err) != 0 ||
        get_threshold(th, "theory_compute", name, &f->theory_compute_threshold, err) != 0 ||
        get_threshold(th, "theory_dram", name, &f->theory_dram_threshold, err) != 0)
        goto fail;
    f->node_timeout_s = get_optional_seconds(root, "node_timeout_s");
    f->gather_s = get_optional_seconds(root, "gather_s");
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
    if (!cJSON_IsArray(nodes)) {
        input_error(err, name, "nodes", "expected an array");
        goto fail;
    }
    size_t i = 0;
    for (const cJSON *no = nodes->child; no; no = no->next, i++)
        if (read_node(no, i, name, f, err) != 0)
            goto fail;
    cJSON_Delete(root);
    return f;
fail:
    cJSON_Delete(root);
    rl_fleet_free(f);
    return NULL;
}

/* The whole file, malloc'd and NUL-terminated (a page written by --html: its embedded fleet), or
 * NULL with err (RL_EXIT_INPUT). */
static char *slurp(const char *path, size_t *len, rl_err *err)
{
    char *text = rl_file_read_all(path, 2, "a fleet result", len, err);
    if (text && rl_htmldata_unwrap(text, len, path, err) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

rl_fleet *rl_fleet_read(const char *path, rl_err *err)
{
    size_t len = 0;
    char *text = slurp(path, &len, err);
    if (!text)
        return NULL;
    rl_fleet *f = rl_fleet_from_json(text, len, path, err);
    free(text);
    return f;
}

int rl_fleet_is_fleet_json(const char *text, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    int yes = cJSON_IsObject(root) && cJSON_IsString(schema) &&
              strcmp(schema->valuestring, RL_FLEET_SCHEMA) == 0;
    cJSON_Delete(root);
    return yes;
}

int rl_fleet_is_fleet_file(const char *path)
{
    size_t len = 0;
    rl_err err = {0};
    char *text = slurp(path, &len, &err);
    if (!text)
        return 0;
    int yes = rl_fleet_is_fleet_json(text, len);
    free(text);
    return yes;
}
