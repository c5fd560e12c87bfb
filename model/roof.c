/* roof.c: machine selection, roofline placement, ONNX Runtime profiles (see roof.h). */
#include "model/roof.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The int8 roof: the best measured int8 row (GOP/s) at the largest thread count, else the best
 * theoretical one. */
static void int8_from_result(const rl_result *r, rl_roof_machine *m)
{
    int best_t = -1;
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        if (strcmp(f->precision, "int8") != 0 || f->gflops <= 0 || f->core_type[0])
            continue; /* a hybrid CPU's one-core-type rows are not the machine's roof */
        if (f->threads > best_t || (f->threads == best_t && f->gflops > m->int8_gops)) {
            best_t = f->threads;
            m->int8_gops = f->gflops;
            snprintf(m->int8_source, sizeof m->int8_source, "measured: %s int8, %d thread%s",
                     f->isa, f->threads, f->threads == 1 ? "" : "s");
        }
    }
    if (m->int8_gops > 0)
        return;
    for (size_t i = 0; i < r->theory.n_peak; i++) {
        const rl_peak *p = &r->theory.peak[i];
        double g = p->gflops_at_measured_clock > 0 ? p->gflops_at_measured_clock
                                                   : p->gflops_at_nominal_clock;
        if (strcmp(p->precision, "int8") != 0 || g <= 0)
            continue;
        if (p->threads > best_t || (p->threads == best_t && g > m->int8_gops)) {
            best_t = p->threads;
            m->int8_gops = g;
            snprintf(m->int8_source, sizeof m->int8_source, "theoretical: %s int8, %d thread%s",
                     p->isa, p->threads, p->threads == 1 ? "" : "s");
        }
    }
}

int rl_roof_from_result(const rl_result *r, const char *precision, const rl_roof_override *over,
                        const char *file, rl_roof_machine *m, rl_err *err)
{
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", r->machine.brand[0] ? r->machine.brand : "unnamed");

    /* peak: measured, largest thread count, best figure */
    int best_t = -1;
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        /* An FMA+ADD mix ("avx2-fma+add") outruns the ISA's FMA peak but is not a ceiling that
         * a model's layers can reach: never the roof. */
        if (strcmp(f->precision, precision) != 0 || strcmp(f->unit, "GFLOP/s") != 0 ||
            strchr(f->isa, '+') || f->gflops <= 0 || f->core_type[0])
            continue;
        if (f->threads > best_t || (f->threads == best_t && f->gflops > m->peak_gflops)) {
            best_t = f->threads;
            m->peak_gflops = f->gflops;
            snprintf(m->peak_source, sizeof m->peak_source, "measured: %s %s, %d thread%s", f->isa,
                     f->precision, f->threads, f->threads == 1 ? "" : "s");
        }
    }
    if (m->peak_gflops <= 0) {
        for (size_t i = 0; i < r->theory.n_peak; i++) {
            const rl_peak *p = &r->theory.peak[i];
            if (strcmp(p->precision, precision) != 0 || strchr(p->isa, '+'))
                continue;
            double g = p->gflops_at_measured_clock > 0 ? p->gflops_at_measured_clock
                                                       : p->gflops_at_nominal_clock;
            if (g <= 0)
                continue;
            if (p->threads > best_t || (p->threads == best_t && g >= m->peak_gflops)) {
                best_t = p->threads;
                m->peak_gflops = g;
                snprintf(
                    m->peak_source, sizeof m->peak_source,
                    "theoretical: %s %s, %d thread%s, clock %s", p->isa, p->precision, p->threads,
                    p->threads == 1 ? "" : "s",
                    p->gflops_at_measured_clock > 0
                        ? (r->machine.measured_source[0] ? r->machine.measured_source : "measured")
                        : (r->machine.nominal_source[0] ? r->machine.nominal_source : "nominal"));
            }
        }
    }
    /* bandwidth: DRAM, largest thread count, best counted figure */
    int bw_t = -1;
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        if (strcmp(b->level, "DRAM") != 0 || b->gbs <= 0)
            continue;
        if (b->threads > bw_t || (b->threads == bw_t && b->gbs > m->bw_gbs)) {
            bw_t = b->threads;
            m->bw_gbs = b->gbs;
            snprintf(m->bw_source, sizeof m->bw_source, "measured: DRAM %s%s, %d thread%s",
                     b->kernel, b->nt_stores ? " (nt)" : "", b->threads,
                     b->threads == 1 ? "" : "s");
        }
    }
    if (m->bw_gbs <= 0 && r->theory.dram_gbs > 0) {
        m->bw_gbs = r->theory.dram_gbs;
        snprintf(m->bw_source, sizeof m->bw_source, "theoretical: DRAM (%s)",
                 r->theory.dram_source[0] ? r->theory.dram_source : "unknown source");
    }
    if (over && over->peak_gflops > 0) {
        m->peak_gflops = over->peak_gflops;
        snprintf(m->peak_source, sizeof m->peak_source, "%s",
                 over->peak_source ? over->peak_source : "given");
    }
    if (over && over->bw_gbs > 0) {
        m->bw_gbs = over->bw_gbs;
        snprintf(m->bw_source, sizeof m->bw_source, "%s",
                 over->bw_source ? over->bw_source : "given");
    }
    snprintf(m->precision, sizeof m->precision, "%s", precision);
    int8_from_result(r, m);
    if (m->peak_gflops <= 0)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: no %s peak (measured or theoretical)", file,
                          precision);
    if (m->bw_gbs <= 0)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: no DRAM bandwidth (measured or theoretical)",
                          file);
    return 0;
}

int rl_roof_from_device(const rl_device *d, const char *precision, const rl_roof_override *over,
                        const char *file, rl_roof_machine *m, rl_err *err)
{
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s (%s)", d->name[0] ? d->name : "unnamed", d->id);
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *c = &d->ceiling[i];
        if (strcmp(c->kind, "compute") != 0 || strcmp(c->precision, precision) != 0 ||
            strcmp(c->unit, "GFLOP/s") != 0 || c->best <= m->peak_gflops)
            continue;
        m->peak_gflops = c->best;
        snprintf(m->peak_source, sizeof m->peak_source, "measured: %s %s %s (%s), %d SMs", d->id,
                 c->path, c->precision, c->insn, d->units);
    }
    for (size_t i = 0; m->peak_gflops <= 0 && i < d->n_peak; i++) {
        const rl_device_peak *p = &d->peak[i];
        if (strcmp(p->precision, precision) != 0 || strcmp(p->unit, "GFLOP/s") != 0 ||
            p->gflops <= 0)
            continue;
        /* Tensor cores first where both paths have the precision: it is the faster one. */
        if (m->peak_gflops <= 0 || strcmp(p->path, "tensor") == 0) {
            m->peak_gflops = p->gflops;
            snprintf(m->peak_source, sizeof m->peak_source,
                     "theoretical: %s %s %s, %d SMs at %.3g GHz (peak clock)", d->id, p->path,
                     p->precision, d->units, p->clock_ghz);
        }
    }
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *c = &d->ceiling[i];
        if (strcmp(c->kind, "memory") != 0 || strcmp(c->path, "DRAM") != 0 || c->best <= m->bw_gbs)
            continue;
        m->bw_gbs = c->best;
        snprintf(m->bw_source, sizeof m->bw_source, "measured: %s device memory %s", d->id, c->op);
    }
    if (m->bw_gbs <= 0 && d->dram_gbs > 0) {
        m->bw_gbs = d->dram_gbs;
        snprintf(m->bw_source, sizeof m->bw_source, "theoretical: %s device memory (bus)", d->id);
    }
    if (over && over->peak_gflops > 0) {
        m->peak_gflops = over->peak_gflops;
        snprintf(m->peak_source, sizeof m->peak_source, "%s", over->peak_source);
    }
    if (over && over->bw_gbs > 0) {
        m->bw_gbs = over->bw_gbs;
        snprintf(m->bw_source, sizeof m->bw_source, "%s", over->bw_source);
    }
    snprintf(m->precision, sizeof m->precision, "%s", precision);
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *c = &d->ceiling[i];
        if (strcmp(c->kind, "compute") != 0 || strcmp(c->precision, "int8") != 0 ||
            c->best <= m->int8_gops)
            continue;
        m->int8_gops = c->best;
        snprintf(m->int8_source, sizeof m->int8_source, "measured: %s %s int8 (%s)", d->id, c->path,
                 c->insn);
    }
    for (size_t i = 0; m->int8_gops <= 0 && i < d->n_peak; i++) {
        const rl_device_peak *p = &d->peak[i];
        if (!strcmp(p->precision, "int8") && p->gflops > 0) {
            m->int8_gops = p->gflops;
            snprintf(m->int8_source, sizeof m->int8_source, "theoretical: %s %s int8", d->id,
                     p->path);
        }
    }
    if (m->peak_gflops <= 0)
        return rl_err_set(err, RL_EXIT_INPUT,
                          "%s: device %s has no %s peak, measured or theoretical", file, d->id,
                          precision);
    if (m->bw_gbs <= 0)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: device %s has no device-memory bandwidth", file,
                          d->id);
    return 0;
}

double rl_roof_time(double flops, double bytes, const rl_roof_machine *m, int *bound,
                    double *attainable_gflops)
{
    double tc = flops / (m->peak_gflops * 1e9);
    double tm = bytes / (m->bw_gbs * 1e9);
    double t = tc > tm ? tc : tm;
    if (bound)
        *bound = (flops == 0 && bytes == 0) ? RL_BOUND_NONE
                 : tc >= tm                 ? RL_BOUND_COMPUTE
                                            : RL_BOUND_MEMORY;
    if (attainable_gflops) {
        double intensity = bytes > 0 ? flops / bytes : 0;
        double roof = intensity * m->bw_gbs;
        *attainable_gflops =
            bytes > 0 ? (roof < m->peak_gflops ? roof : m->peak_gflops) : m->peak_gflops;
    }
    return t;
}

double rl_roof_node_peak(const rl_node *n, const rl_roof_machine *m, int *int8)
{
    int on = n->int8 && m->int8_gops > 0;
    if (int8)
        *int8 = on;
    return on ? m->int8_gops : m->peak_gflops;
}

double rl_roof_place(rl_graph *g, const rl_roof_machine *m)
{
    double total = 0;
    rl_roof_machine m8 = *m;
    m8.peak_gflops = m->int8_gops;
    for (size_t i = 0; i < g->n_nodes; i++) {
        rl_node *n = &g->nodes[i];
        n->bound = RL_BOUND_NONE;
        n->time_s = 0;
        n->attainable_gflops = 0;
        if (!n->cost_known)
            continue;
        int on_int8;
        rl_roof_node_peak(n, m, &on_int8);
        n->time_s = rl_roof_time(n->flops, n->bytes_read + n->bytes_written, on_int8 ? &m8 : m,
                                 &n->bound, &n->attainable_gflops);
        total += n->time_s;
    }
    return total;
}

/* ---------------------------------------------------------------- profiles */

typedef struct prof_entry {
    char *name;
    double sum_us;
    int count;
} prof_entry;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const prof_entry *)a)->name, ((const prof_entry *)b)->name);
}

/* by name, then by duration: each name's events end up sorted, for the median */
static int cmp_entry_dur(const void *a, const void *b)
{
    int c = cmp_entry(a, b);
    if (c)
        return c;
    double x = ((const prof_entry *)a)->sum_us, y = ((const prof_entry *)b)->sum_us;
    return (x > y) - (x < y);
}

#define PROFILE_MAX_BYTES ((size_t)1 << 30)

int rl_roof_profile_read(const char *path, rl_graph *g, rl_profile_stats *st, rl_err *err)
{
    memset(st, 0, sizeof *st);
    FILE *f = fopen(path, "rb");
    if (!f)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
    struct stat fs;
    if (fstat(fileno(f), &fs) != 0 || !S_ISREG(fs.st_mode)) {
        fclose(f);
        return rl_err_set(err, RL_EXIT_INPUT, "%s: not a regular file", path);
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len > PROFILE_MAX_BYTES) {
            free(text);
            fclose(f);
            return rl_err_set(err, RL_EXIT_INPUT, "%s: larger than 1 GiB: not an ORT profile",
                              path);
        }
        if (len + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *p = realloc(text, cap);
            if (!p) {
                free(text);
                fclose(f);
                return rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", path);
            }
            text = p;
        }
        size_t got = fread(text + len, 1, 65536, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    text[len] = '\0';
    int rc = rl_roof_profile_parse(text, len, path, g, st, err);
    free(text);
    return rc;
}

int rl_roof_profile_parse(const char *text, size_t len, const char *path, rl_graph *g,
                          rl_profile_stats *st, rl_err *err)
{
    memset(st, 0, sizeof *st);
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: not JSON", path);
    cJSON *events = root;
    if (cJSON_IsObject(root))
        events = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
    if (!cJSON_IsArray(events)) {
        cJSON_Delete(root);
        return rl_err_set(err, RL_EXIT_INPUT,
                          "%s: not an ONNX Runtime profile (expected an array of trace events)",
                          path);
    }
    size_t n = (size_t)cJSON_GetArraySize(events), ne = 0;
    prof_entry *e = calloc(n ? n : 1, sizeof *e);
    if (!e) {
        cJSON_Delete(root);
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", path);
    }
    static const char suffix[] = "_kernel_time";
    const cJSON *ev;
    int rc = 0;
    cJSON_ArrayForEach(ev, events)
    {
        const cJSON *cat = cJSON_GetObjectItemCaseSensitive(ev, "cat");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(ev, "name");
        const cJSON *dur = cJSON_GetObjectItemCaseSensitive(ev, "dur");
        if (!cJSON_IsString(cat) || strcmp(cat->valuestring, "Node") != 0 ||
            !cJSON_IsString(name) || !cJSON_IsNumber(dur))
            continue;
        size_t nl = strlen(name->valuestring);
        if (nl <= sizeof suffix - 1 || strcmp(name->valuestring + nl - (sizeof suffix - 1), suffix))
            continue;
        if (dur->valuedouble < 0) {
            rc = rl_err_set(err, RL_EXIT_INPUT, "%s: event '%s' has a negative dur", path,
                            name->valuestring);
            break;
        }
        st->events++;
        e[ne].name = strndup(name->valuestring, nl - (sizeof suffix - 1));
        if (!e[ne].name) {
            rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", path);
            break;
        }
        e[ne].sum_us = dur->valuedouble;
        e[ne].count = 1;
        ne++;
    }
    cJSON_Delete(root);
    if (rc == 0 && st->events == 0)
        rc = rl_err_set(err, RL_EXIT_INPUT, "%s: no Node '*_kernel_time' events", path);
    if (rc != 0)
        goto done;
    /* merge by name: the median of each name's events (a loaded machine makes single runs slow) */
    qsort(e, ne, sizeof *e, cmp_entry_dur);
    size_t u = 0;
    for (size_t i = 0; i < ne;) {
        size_t j = i;
        while (j < ne && strcmp(e[j].name, e[i].name) == 0)
            j++;
        size_t k = j - i;
        double med =
            k % 2 ? e[i + k / 2].sum_us : (e[i + k / 2 - 1].sum_us + e[i + k / 2].sum_us) / 2;
        for (size_t q = i + 1; q < j; q++)
            free(e[q].name);
        e[u] = e[i];
        e[u].sum_us = med; /* now the median of one run */
        e[u].count = (int)k;
        u++;
        i = j;
    }
    ne = u;
    /* runs: the most common count */
    int runs = 1, best = 0;
    for (size_t i = 0; i < ne; i++) {
        int c = 0;
        for (size_t j = 0; j < ne && c <= best; j++)
            c += e[j].count == e[i].count;
        if (c > best) {
            best = c;
            runs = e[i].count;
        }
    }
    st->runs = runs;
    char *used = calloc(ne ? ne : 1, 1);
    if (!used) {
        rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", path);
        goto done;
    }
    for (size_t i = 0; i < g->n_nodes; i++) {
        rl_node *nd = &g->nodes[i];
        nd->measured_s = -1;
        if (!nd->src->name[0])
            continue;
        prof_entry key = {.name = (char *)nd->src->name};
        prof_entry *hit = bsearch(&key, e, ne, sizeof *e, cmp_entry);
        if (!hit)
            continue;
        nd->measured_s = hit->sum_us * 1e-6;
        used[hit - e] = 1;
        st->nodes_matched++;
        st->matched_s += nd->measured_s;
    }
    for (size_t i = 0; i < ne; i++)
        if (!used[i]) {
            st->names_unmatched++;
            st->unmatched_s += e[i].sum_us * 1e-6;
        }
    free(used);
done:
    for (size_t i = 0; i < ne; i++)
        free(e[i].name);
    free(e);
    return rc;
}
