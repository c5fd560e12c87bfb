/* compare.c: results side by side (see compare.h). */
#include "report/compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/table.h"
#include "report/view.h"

enum {
    M_CLOCK,
    M_CORES,
    M_COMPUTE,
    M_MEMORY,
    M_RIDGE,
    M_TDRAM,
    M_DEVICE,
    M_DEV_COPY,
    M_DEV_LAT,
    M_LATENCY
};

typedef struct metric {
    int kind;
    char a[24], b[32]; /* isa/precision, level/kernel, precision/""; devices: id/row id, copies
                          "h2d pinned near" */
    int most;          /* 0: one thread; 1: the most threads run */
} metric;

typedef struct metrics {
    metric *m;
    size_t n, cap;
    int failed;
} metrics;

static void add(metrics *ms, int kind, const char *a, const char *b, int most)
{
    for (size_t i = 0; i < ms->n; i++)
        if (ms->m[i].kind == kind && strcmp(ms->m[i].a, a) == 0 && strcmp(ms->m[i].b, b) == 0 &&
            ms->m[i].most == most)
            return;
    if (ms->n == ms->cap) {
        size_t cap = ms->cap ? ms->cap * 2 : 32;
        metric *p = realloc(ms->m, cap * sizeof *p);
        if (!p) {
            ms->failed = 1;
            return;
        }
        ms->m = p;
        ms->cap = cap;
    }
    metric *e = &ms->m[ms->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    snprintf(e->a, sizeof e->a, "%s", a);
    snprintf(e->b, sizeof e->b, "%s", b);
    e->most = most;
}

/* The measured DRAM ridge of `precision`: the best ISA at the most threads. */
static const rl_ridge *dram_ridge(const rl_result *r, const char *precision)
{
    const rl_ridge *best = NULL;
    for (size_t i = 0; i < r->n_ridge; i++) {
        const rl_ridge *g = &r->ridge[i];
        if (strcmp(g->precision, precision) != 0 || strcmp(g->level, "DRAM") != 0)
            continue;
        if (!best || g->threads > best->threads ||
            (g->threads == best->threads && g->peak_gflops > best->peak_gflops))
            best = g;
    }
    return best;
}

static const rl_device *device_of(const rl_result *r, const char *id)
{
    for (size_t i = 0; i < r->n_devices; i++)
        if (!strcmp(r->devices[i].id, id))
            return &r->devices[i];
    return NULL;
}

/* A device row's figure: a ceiling's best, a host link's plateau, a latency in ns. */
static double device_value(const rl_result *r, const metric *m, char *unit, size_t usize)
{
    const rl_device *d = device_of(r, m->a);
    if (!d)
        return -1;
    char key[40];
    if (m->kind == M_DEVICE)
        for (size_t i = 0; i < d->n_ceiling; i++)
            if (!strcmp(d->ceiling[i].id, m->b)) {
                snprintf(unit, usize, "%s", d->ceiling[i].unit);
                return d->ceiling[i].best;
            }
    if (m->kind == M_DEV_COPY)
        for (size_t i = 0; i < d->n_copy; i++) {
            const rl_device_copy *c = &d->copy[i];
            snprintf(key, sizeof key, "%s %s %s", c->id, c->mode, c->numa);
            if (!strcmp(key, m->b)) {
                snprintf(unit, usize, "GB/s");
                return c->best;
            }
        }
    if (m->kind == M_DEV_LAT)
        for (size_t i = 0; i < d->n_latency; i++)
            if (!strcmp(d->latency[i].id, m->b)) {
                snprintf(unit, usize, "ns");
                return d->latency[i].ns;
            }
    return -1;
}

static double value(const rl_result *r, const metric *m, char *unit, size_t usize)
{
    switch (m->kind) {
    case M_DEVICE:
    case M_DEV_COPY:
    case M_DEV_LAT:
        return device_value(r, m, unit, usize);
    case M_CLOCK:
        snprintf(unit, usize, "GHz");
        return r->machine.measured_ghz;
    case M_CORES:
        snprintf(unit, usize, "cores");
        return r->machine.cores > 0 ? r->machine.cores : -1;
    case M_COMPUTE: {
        const rl_flops *f = rl_view_best_flops(r, m->a, m->b, m->most ? 0 : 1);
        if (f)
            snprintf(unit, usize, "%s", f->unit);
        return f ? f->gflops : -1;
    }
    case M_MEMORY: {
        const rl_bandwidth *w = rl_view_best_bandwidth(r, m->a, m->b, m->most ? 0 : 1);
        snprintf(unit, usize, "GB/s");
        return w ? w->gbs : -1;
    }
    case M_RIDGE: {
        const rl_ridge *g = dram_ridge(r, m->a);
        snprintf(unit, usize, "FLOP/byte");
        return g ? g->imax : -1;
    }
    case M_LATENCY: {
        /* b is "LEVEL PAGES": the best idle figure of that device, level and page kind. */
        double best = -1;
        snprintf(unit, usize, "ns");
        for (size_t i = 0; i < r->n_latency; i++) {
            const rl_latency *e = &r->latency[i];
            char key[32];
            snprintf(key, sizeof key, "%s %s", e->level, e->pages);
            if (strcmp(e->device, m->a) == 0 && strcmp(e->kind, "idle") == 0 &&
                strcmp(key, m->b) == 0 && e->ns > 0 && (best < 0 || e->ns < best))
                best = e->ns;
        }
        return best;
    }
    default:
        snprintf(unit, usize, "GB/s");
        return r->theory.dram_gbs;
    }
}

static void label(const metric *m, char *out, size_t size)
{
    const char *thr = m->most ? "most threads" : "1 thread";
    switch (m->kind) {
    case M_CLOCK:
        snprintf(out, size, "clock (measured)");
        break;
    case M_CORES:
        snprintf(out, size, "physical cores");
        break;
    case M_COMPUTE:
        snprintf(out, size, "%s %s, %s", m->a, m->b, thr);
        break;
    case M_MEMORY:
        snprintf(out, size, "%s %s, %s", m->a, m->b, thr);
        break;
    case M_RIDGE:
        snprintf(out, size, "I_max %s vs DRAM (best ISA, most threads)", m->a);
        break;
    case M_DEVICE:
        snprintf(out, size, "%s %s", m->a, m->b);
        break;
    case M_DEV_COPY:
        snprintf(out, size, "%s host link %s", m->a, m->b);
        break;
    case M_DEV_LAT:
        snprintf(out, size, "%s latency %s", m->a, m->b);
        break;
    case M_LATENCY:
        snprintf(out, size, "%s%slatency %s pages (idle, lower is better)",
                 strcmp(m->a, "cpu") ? m->a : "", strcmp(m->a, "cpu") ? " " : "", m->b);
        break;
    default:
        snprintf(out, size, "DRAM (theoretical)");
        break;
    }
}

static void collect(metrics *ms, const rl_result *const *rs, size_t n)
{
    add(ms, M_CLOCK, "", "", 0);
    add(ms, M_CORES, "", "", 0);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < rs[k]->n_flops; i++)
            for (int most = 0; most < 2 && !rs[k]->flops[i].core_type[0]; most++)
                add(ms, M_COMPUTE, rs[k]->flops[i].isa, rs[k]->flops[i].precision, most);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < rs[k]->n_bandwidth; i++)
            if (strcmp(rs[k]->bandwidth[i].level, "sweep") != 0)
                for (int most = 0; most < 2; most++)
                    add(ms, M_MEMORY, rs[k]->bandwidth[i].level, rs[k]->bandwidth[i].kernel, most);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < rs[k]->n_ridge; i++)
            add(ms, M_RIDGE, rs[k]->ridge[i].precision, "", 1);
    add(ms, M_TDRAM, "", "", 0);
    /* Devices (GPUs), matched by id: gpu0 of one result beside gpu0 of the other. */
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < rs[k]->n_devices; i++) {
            const rl_device *d = &rs[k]->devices[i];
            for (size_t j = 0; j < d->n_ceiling; j++)
                add(ms, M_DEVICE, d->id, d->ceiling[j].id, 0);
            for (size_t j = 0; j < d->n_copy; j++) {
                char key[40];
                snprintf(key, sizeof key, "%s %s %s", d->copy[j].id, d->copy[j].mode,
                         d->copy[j].numa);
                add(ms, M_DEV_COPY, d->id, key, 0);
            }
            for (size_t j = 0; j < d->n_latency; j++)
                add(ms, M_DEV_LAT, d->id, d->latency[j].id, 0);
        }
    /* Latency rows only where some input has them: results without any compare as before. */
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < rs[k]->n_latency; i++) {
            const rl_latency *e = &rs[k]->latency[i];
            char key[32];
            snprintf(key, sizeof key, "%s %s", e->level, e->pages);
            if (strcmp(e->kind, "idle") == 0)
                add(ms, M_LATENCY, e->device, key, 0);
        }
}

int rl_compare_rows(const rl_result *const *rs, size_t n, rl_compare_row **out, size_t *n_out,
                    rl_err *err)
{
    *out = NULL;
    *n_out = 0;
    if (n < 2 || n > RL_COMPARE_MAX)
        return rl_err_set(err, RL_EXIT_USAGE, "compare takes 2 to %d results, got %zu",
                          RL_COMPARE_MAX, n);
    metrics ms = {0};
    collect(&ms, rs, n);
    rl_compare_row *rows = ms.failed ? NULL : calloc(ms.n ? ms.n : 1, sizeof *rows);
    if (!rows) {
        free(ms.m);
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while comparing");
    }
    size_t nr = 0;
    for (size_t i = 0; i < ms.n; i++) {
        rl_compare_row *row = &rows[nr];
        char u[16];
        int any = 0;
        row->unit[0] = '\0';
        for (size_t k = 0; k < n; k++) {
            u[0] = '\0';
            row->v[k] = value(rs[k], &ms.m[i], u, sizeof u);
            if (row->v[k] >= 0) {
                any = 1;
                if (!row->unit[0])
                    snprintf(row->unit, sizeof row->unit, "%s", u);
            }
        }
        if (!any)
            continue;
        label(&ms.m[i], row->label, sizeof row->label);
        row->integer = ms.m[i].kind == M_CORES;
        /* A ridge point is where a machine turns compute-bound: neither end is better. */
        row->higher_is_better = ms.m[i].kind != M_RIDGE;
        nr++;
    }
    free(ms.m);
    *out = rows;
    *n_out = nr;
    return 0;
}

int rl_report_compare(rl_buf *b, const rl_result *const *rs, const char *const *names, size_t n,
                      rl_compare_format format, rl_err *err)
{
    rl_compare_row *rows = NULL;
    size_t nrows = 0;
    if (rl_compare_rows(rs, n, &rows, &nrows, err) != 0)
        return -1;

    rl_table t;
    char align[RL_TABLE_MAX_COLS + 1] = "ll";
    for (size_t k = 0; k < n; k++)
        strcat(align, k == 0 ? "r" : "rr");
    rl_table_init(&t, align);
    rl_table_row(&t);
    rl_table_cell(&t, "figure");
    rl_table_cell(&t, "unit");
    for (size_t k = 0; k < n; k++) {
        if (format == RL_COMPARE_CSV)
            rl_table_cell(&t, "%s", names[k]);
        else
            rl_table_cell(&t, "[%zu]", k + 1);
        if (k > 0) {
            if (format == RL_COMPARE_CSV)
                rl_table_cell(&t, "%s / %s", names[k], names[0]);
            else
                rl_table_cell(&t, "[%zu]/[1]", k + 1);
        }
    }
    for (size_t i = 0; i < nrows; i++) {
        const double *v = rows[i].v;
        char s[32];
        rl_table_row(&t);
        rl_table_cell(&t, "%s", rows[i].label);
        rl_table_cell(&t, "%s", rows[i].unit);
        for (size_t k = 0; k < n; k++) {
            if (v[k] >= 0 && (format == RL_COMPARE_CSV || rows[i].integer))
                snprintf(s, sizeof s, "%.6g", v[k]);
            else if (format == RL_COMPARE_CSV)
                s[0] = '\0';
            else
                rl_view_num(s, sizeof s, v[k], "-");
            rl_table_cell(&t, "%s", s);
            if (k == 0)
                continue;
            if (v[k] >= 0 && v[0] > 0) {
                if (format == RL_COMPARE_CSV)
                    rl_table_cell(&t, "%.4f", v[k] / v[0]);
                else
                    rl_table_cell(&t, "%.2fx", v[k] / v[0]);
            } else {
                rl_table_cell(&t, "%s", format == RL_COMPARE_CSV ? "" : "-");
            }
        }
    }
    free(rows);

    char name[160];
    switch (format) {
    case RL_COMPARE_TEXT:
        rl_buf_printf(b, "Comparison (measured; ratios to [1])\n");
        for (size_t k = 0; k < n; k++) {
            rl_view_machine_name(rs[k], name, sizeof name);
            rl_buf_printf(b, "  [%zu] %s: %s, %s, roofline %s%s\n", k + 1, names[k], name,
                          rs[k]->meta.date, rs[k]->meta.tool_version,
                          rs[k]->meta.partial ? ", PARTIAL" : "");
        }
        rl_buf_printf(b, "\n");
        rl_table_text(&t, b, "  ");
        break;
    case RL_COMPARE_MARKDOWN:
        rl_buf_printf(b, "## Roofline comparison\n\nMeasured figures; ratios are to [1].\n\n");
        for (size_t k = 0; k < n; k++) {
            rl_view_machine_name(rs[k], name, sizeof name);
            rl_buf_printf(b, "- [%zu] `%s`: %s, %s, roofline %s%s\n", k + 1, names[k], name,
                          rs[k]->meta.date, rs[k]->meta.tool_version,
                          rs[k]->meta.partial ? ", partial" : "");
        }
        rl_buf_printf(b, "\n");
        rl_table_markdown(&t, b);
        break;
    case RL_COMPARE_CSV:
        rl_table_csv(&t, b, 1);
        break;
    }
    int failed = t.failed;
    rl_table_free(&t);
    if (b->failed || failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while comparing");
    return 0;
}
