/* gpu_server.c: a GPU server's findings (see gpu_server.h). */
#include "result/gpu_server.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const REASON_NAMES[RL_DEVICE_REASONS] = {"GPU idle",
                                                            "applications clocks setting",
                                                            "SW power cap",
                                                            "HW slowdown",
                                                            "sync boost",
                                                            "SW thermal slowdown",
                                                            "HW thermal slowdown",
                                                            "HW power brake",
                                                            "display clock setting"};

/* NVML's bit numbers (kernels/cuda/gpu_abi.h: RL_GPU_REASON_*). */
enum { BIT_SW_POWER_CAP = 2, BIT_SW_THERMAL = 5, BIT_HW_THERMAL = 6, BIT_POWER_BRAKE = 7 };

/* A reason counts when it was set in at least a tenth of the samples. */
static int set_in(const rl_device_power *p, int bit)
{
    return (p->reasons & (1ULL << bit)) && p->reason_frac[bit] >= 0.1;
}

const char *rl_gpu_reason_name(int bit)
{
    return bit >= 0 && bit < RL_DEVICE_REASONS ? REASON_NAMES[bit] : "?";
}

/* Appends printf-style text to out (of size bytes), truncating quietly. */
static void append(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *out, size_t size, const char *fmt, ...)
{
    size_t used = strlen(out);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + used, size - used, fmt, ap);
    va_end(ap);
}

void rl_gpu_reasons_text(const rl_device_power *p, char *out, size_t size)
{
    out[0] = '\0';
    if (p->samples <= 0)
        return;
    int any = 0;
    for (int i = 1; i < RL_DEVICE_REASONS; i++) { /* bit 0, idle, says nothing of a busy row */
        if (!set_in(p, i))
            continue;
        append(out, size, "%s%s (%.0f%%%s)", any ? ", " : "", REASON_NAMES[i],
               p->reason_frac[i] * 100, any ? "" : " of samples");
        any = 1;
    }
    if (!any)
        snprintf(out, size, "none reported");
}

void rl_gpu_clock_why(const rl_device *d, const rl_device_power *p, double clock_ghz, char *out,
                      size_t size)
{
    out[0] = '\0';
    double peak = d->max_clock_ghz;
    if (!(clock_ghz > 0) || !(peak > 0))
        return;
    double fall = 1 - clock_ghz / peak;
    if (fall < 0.03) {
        snprintf(out, size, "SM clock at its peak (%.2f of %.2f GHz)", clock_ghz, peak);
        return;
    }
    snprintf(out, size, "SM clock %.2f GHz, %.0f%% below its peak %.2f: ", clock_ghz, fall * 100,
             peak);
    if (p->samples <= 0) {
        append(out, size, "why unknown (%s)", d->link.nvml[0] ? d->link.nvml : "no NVML samples");
        return;
    }
    const rl_device_link *l = &d->link;
    int power = set_in(p, BIT_SW_POWER_CAP) || set_in(p, BIT_POWER_BRAKE);
    int thermal = set_in(p, BIT_SW_THERMAL) || set_in(p, BIT_HW_THERMAL);
    char reasons[160];
    rl_gpu_reasons_text(p, reasons, sizeof reasons);
    if (power && l->power_limit_w > 0)
        append(out, size, "the power cap (%.0f W average, %.0f W peak, limit %.0f W; %s)",
               p->power_w, p->power_max_w, l->power_limit_w, reasons);
    else if (power)
        append(out, size, "the power cap (%.0f W average; %s)", p->power_w, reasons);
    else if (thermal)
        append(out, size, "temperature (%.0f C at the hottest; %s)", p->temp_c, reasons);
    else if (p->reasons & ~(uint64_t)1)
        append(out, size, "%s", reasons);
    else
        append(out, size, "NVML reported no throttle reason (%.0f W average)", p->power_w);
}

/* ---- findings ---------------------------------------------------------------------------- */

static int push(rl_gpu_findings *f, const rl_gpu_finding *e, rl_err *err)
{
    rl_gpu_finding *p = realloc(f->items, (f->n + 1) * sizeof *p);
    if (!p)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    f->items = p;
    f->items[f->n++] = *e;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the positive values of v[0..n), reordering v; -1 when none. */
static double median(double *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] > 0)
            v[k++] = v[i];
    if (!k)
        return -1;
    qsort(v, k, sizeof *v, cmp_double);
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

static const rl_device *find_device(const rl_result *r, const char *id, size_t *index)
{
    for (size_t i = 0; i < r->n_devices; i++)
        if (!strcmp(r->devices[i].id, id)) {
            if (index)
                *index = i;
            return &r->devices[i];
        }
    return NULL;
}

/* The best host-to-device copy of d, pinned, nearest NUMA node first. */
static const rl_device_copy *best_h2d(const rl_device *d)
{
    const rl_device_copy *best = NULL;
    for (size_t i = 0; i < d->n_copy; i++) {
        const rl_device_copy *c = &d->copy[i];
        if (strcmp(c->id, "h2d") || strcmp(c->mode, "pinned") || !(c->best > 0) ||
            !strcmp(c->numa, "far"))
            continue;
        if (!best || c->best > best->best)
            best = c;
    }
    return best;
}

static int link_findings(const rl_result *r, rl_gpu_findings *f, rl_err *err)
{
    for (size_t i = 0; i < r->n_devices; i++) {
        const rl_device *d = &r->devices[i];
        const rl_device_link *l = &d->link;
        if (!d->has_link || l->pcie_gen <= 0 || l->pcie_width <= 0 || l->pcie_gen_max <= 0 ||
            l->pcie_width_max <= 0)
            continue;
        if (l->pcie_gen >= l->pcie_gen_max && l->pcie_width >= l->pcie_width_max)
            continue;
        rl_gpu_finding e = {.kind = RL_GPU_FINDING_LINK, .device = i};
        snprintf(e.what, sizeof e.what, "PCIe link");
        e.value = l->pcie_gbs;
        e.reference = l->pcie_max_gbs;
        e.shortfall = e.value > 0 && e.reference > 0 ? 1 - e.value / e.reference : -1;
        snprintf(e.text, sizeof e.text,
                 "%s (PCI %s): PCIe link trained at Gen%d x%d (%.1f GB/s per direction), below "
                 "its maximum Gen%d x%d (%.1f GB/s)",
                 d->id, d->bus_id, l->pcie_gen, l->pcie_width, l->pcie_gbs, l->pcie_gen_max,
                 l->pcie_width_max, l->pcie_max_gbs);
        const rl_device_copy *h = best_h2d(d);
        if (h)
            append(e.text, sizeof e.text, "; host-to-device measured %.1f GB/s (pinned)", h->best);
        if (push(f, &e, err) != 0)
            return -1;
    }
    return 0;
}

static int power_limit_findings(const rl_result *r, rl_gpu_findings *f, rl_err *err)
{
    for (size_t i = 0; i < r->n_devices; i++) {
        const rl_device *d = &r->devices[i];
        const rl_device_link *l = &d->link;
        if (!d->has_link || !(l->power_limit_w > 0) || !(l->power_default_w > 0) ||
            l->power_limit_w >= l->power_default_w * (1 - RL_GPU_POWER_LIMIT_THRESHOLD))
            continue;
        rl_gpu_finding e = {.kind = RL_GPU_FINDING_POWER_LIMIT, .device = i};
        snprintf(e.what, sizeof e.what, "power limit");
        e.value = l->power_limit_w;
        e.reference = l->power_default_w;
        e.shortfall = 1 - e.value / e.reference;
        snprintf(e.text, sizeof e.text,
                 "%s (PCI %s): power-capped: its power limit is %.0f W, %.0f%% below the board's "
                 "default %.0f W",
                 d->id, d->bus_id, l->power_limit_w, e.shortfall * 100, l->power_default_w);
        if (push(f, &e, err) != 0)
            return -1;
    }
    return 0;
}

static int p2p_findings(const rl_result *r, rl_gpu_findings *f, rl_err *err)
{
    if (r->n_p2p < 3)
        return 0;
    double *v = malloc(r->n_p2p * sizeof *v);
    if (!v)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    static const char *const MODES[] = {"peer", "no-peer", "all-pairs"};
    for (size_t m = 0; m < sizeof MODES / sizeof MODES[0]; m++) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_p2p; i++)
            if (!strcmp(r->p2p[i].mode, MODES[m]))
                v[n++] = r->p2p[i].gbs;
        if (n < 3)
            continue;
        double med = median(v, n);
        for (size_t i = 0; med > 0 && i < r->n_p2p; i++) {
            const rl_p2p *p = &r->p2p[i];
            if (strcmp(p->mode, MODES[m]) || !(p->gbs > 0) ||
                p->gbs >= med * (1 - RL_GPU_P2P_THRESHOLD))
                continue;
            rl_gpu_finding e = {.kind = RL_GPU_FINDING_P2P};
            find_device(r, p->src, &e.device);
            snprintf(e.what, sizeof e.what, "p2p %s %.6s -> %.6s", p->mode, p->src, p->dst);
            e.value = p->gbs;
            e.reference = med;
            e.shortfall = 1 - p->gbs / med;
            snprintf(e.text, sizeof e.text,
                     "%s -> %s: %s copy %.0f GB/s, %.0f%% below the median of the %zu pairs "
                     "(%.0f GB/s)",
                     p->src, p->dst, p->mode, p->gbs, e.shortfall * 100, n, med);
            if (p->theoretical > 0)
                append(e.text, sizeof e.text, "; theory %.0f GB/s over %s", p->theoretical,
                       p->path);
            if (push(f, &e, err) != 0) {
                free(v);
                return -1;
            }
        }
    }
    free(v);
    return 0;
}

static int same_model(const rl_device *a, const rl_device *b)
{
    return !strcmp(a->name, b->name) && !strcmp(a->arch, b->arch) &&
           !strcmp(a->backend, b->backend);
}

/* The odd GPU out: per device, per kind (compute, memory), the ceiling furthest below the median
 * of the same row on its siblings, named with its clock and throttle reasons. */
static int odd_findings(const rl_result *r, double cthr, double mthr, rl_gpu_findings *f,
                        rl_err *err)
{
    double *v = malloc((r->n_devices + 1) * sizeof *v);
    if (!v)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    for (size_t i = 0; i < r->n_devices; i++) {
        const rl_device *d = &r->devices[i];
        size_t siblings = 0;
        for (size_t j = 0; j < r->n_devices; j++)
            siblings += same_model(d, &r->devices[j]) && r->devices[j].n_ceiling > 0;
        if (siblings < RL_GPU_MIN_SIBLINGS)
            continue;
        for (int compute = 1; compute >= 0; compute--) {
            const rl_device_ceiling *worst = NULL;
            double worst_med = -1, worst_fall = 0;
            int fallen = 0;
            for (size_t c = 0; c < d->n_ceiling; c++) {
                const rl_device_ceiling *x = &d->ceiling[c];
                if (!(x->best > 0) || (strcmp(x->kind, "compute") == 0) != compute)
                    continue;
                size_t n = 0;
                for (size_t j = 0; j < r->n_devices; j++) {
                    const rl_device *s = &r->devices[j];
                    if (!same_model(d, s))
                        continue;
                    for (size_t k = 0; k < s->n_ceiling; k++)
                        if (!strcmp(s->ceiling[k].id, x->id))
                            v[n++] = s->ceiling[k].best;
                }
                if (n < RL_GPU_MIN_SIBLINGS)
                    continue;
                double med = median(v, n);
                double fall = med > 0 ? 1 - x->best / med : 0;
                if (fall <= (compute ? cthr : mthr))
                    continue;
                fallen++;
                if (fall > worst_fall) {
                    worst = x;
                    worst_med = med;
                    worst_fall = fall;
                }
            }
            if (!worst)
                continue;
            rl_gpu_finding e = {.kind = RL_GPU_FINDING_ODD_GPU, .device = i};
            snprintf(e.what, sizeof e.what, "%s", worst->id);
            e.value = worst->best;
            e.reference = worst_med;
            e.shortfall = worst_fall;
            snprintf(e.text, sizeof e.text,
                     "%s (PCI %s): slower than its siblings: %s %.0f %s, %.1f%% below the median "
                     "of the %zu %s (%.0f)",
                     d->id, d->bus_id, worst->id, worst->best, worst->unit, worst_fall * 100,
                     siblings, d->name, worst_med);
            if (fallen > 1)
                append(e.text, sizeof e.text, " and %d other %s ceiling%s below theirs", fallen - 1,
                       compute ? "compute" : "memory", fallen > 2 ? "s" : "");
            if (worst->power.why[0])
                append(e.text, sizeof e.text, "; %s", worst->power.why);
            else if (worst->power.samples > 0) {
                char reasons[160];
                rl_gpu_reasons_text(&worst->power, reasons, sizeof reasons);
                append(e.text, sizeof e.text, "; throttle reasons: %s", reasons);
            } else if (d->link.nvml[0])
                append(e.text, sizeof e.text, "; throttle reasons unknown (%s)", d->link.nvml);
            if (push(f, &e, err) != 0) {
                free(v);
                return -1;
            }
        }
    }
    free(v);
    return 0;
}

int rl_gpu_findings_of(const rl_result *r, double compute_thr, double memory_thr,
                       rl_gpu_findings *out, rl_err *err)
{
    memset(out, 0, sizeof *out);
    if (compute_thr <= 0)
        compute_thr = RL_GPU_ODD_COMPUTE_THRESHOLD;
    if (memory_thr <= 0)
        memory_thr = RL_GPU_ODD_MEMORY_THRESHOLD;
    if (link_findings(r, out, err) != 0 || p2p_findings(r, out, err) != 0 ||
        power_limit_findings(r, out, err) != 0 ||
        odd_findings(r, compute_thr, memory_thr, out, err) != 0) {
        rl_gpu_findings_free(out);
        return -1;
    }
    return 0;
}

void rl_gpu_findings_free(rl_gpu_findings *f)
{
    if (!f)
        return;
    free(f->items);
    memset(f, 0, sizeof *f);
}
