/* device.c: the device sections (see device.h). */
#include "report/device.h"

#include <stdio.h>
#include <string.h>

#include "common/bytes.h"
#include "report/table.h"
#include "report/view.h"

static void heading(rl_buf *b, int md, const char *text)
{
    if (md)
        rl_buf_printf(b, "\n#### %s\n\n", text);
    else
        rl_buf_printf(b, "\n  %s\n", text);
}

static void emit(rl_buf *b, rl_table *t, int md, const char *none)
{
    if (t->rows > 1) {
        if (md)
            rl_table_markdown(t, b);
        else
            rl_table_text(t, b, "  ");
    } else {
        rl_buf_printf(b, md ? "%s\n" : "  %s\n", none);
    }
    rl_table_free(t);
}

static void identity(rl_buf *b, const rl_device *d, int md)
{
    char a[32], m[32], sz[32], l2[32], bw[32];
    const char *pre = md ? "- " : "  ";
    rl_buf_printf(b, "%sSMs         %d (%s, PCI %s)\n", pre, d->units, d->arch, d->bus_id);
    if (d->measured_clock_ghz > 0)
        rl_buf_printf(b,
                      "%sSM clock    %s GHz measured inside the kernels (median); peak %s GHz "
                      "(driver, nominal)\n",
                      pre, rl_view_num(a, sizeof a, d->measured_clock_ghz, "?"),
                      rl_view_num(m, sizeof m, d->max_clock_ghz, "unknown"));
    else
        rl_buf_printf(b, "%sSM clock    not measured; peak %s GHz (driver, nominal)\n", pre,
                      rl_view_num(m, sizeof m, d->max_clock_ghz, "unknown"));
    rl_buf_printf(b,
                  "%sMemory      %s, %d-bit bus at %s MHz: %s GB/s theoretical (2 x clock x "
                  "width); L2 %s\n",
                  pre, rl_bytes_format(sz, sizeof sz, d->mem_bytes), d->mem_bus_bits,
                  rl_view_num(m, sizeof m, d->mem_clock_mhz, "unknown"),
                  rl_view_num(bw, sizeof bw, d->dram_gbs, "unknown"),
                  rl_bytes_format(l2, sizeof l2, d->l2_bytes));
    rl_buf_printf(b, "%sCUDA        driver %s, runtime %s\n", pre, d->driver, d->runtime);
    rl_buf_printf(b, "%sTheory      %s\n", pre, d->theory_note);
    if (d->status[0])
        rl_buf_printf(b, "%sStatus      %s\n", pre, d->status);
}

static void peaks(rl_buf *b, const rl_device *d, int md)
{
    rl_table t;
    char a[32], c[32];
    rl_table_init(&t, "llrrr");
    rl_table_row(&t);
    rl_table_cell(&t, "path");
    rl_table_cell(&t, "precision");
    rl_table_cell(&t, "per SM/cycle");
    rl_table_cell(&t, "clock GHz");
    rl_table_cell(&t, "theoretical");
    for (size_t i = 0; i < d->n_peak; i++) {
        const rl_device_peak *p = &d->peak[i];
        rl_table_row(&t);
        rl_table_cell(&t, "%s", p->path);
        rl_table_cell(&t, "%s", p->precision);
        rl_table_cell(&t, "%.0f", p->per_unit_per_cycle);
        rl_table_cell(&t, "%s", rl_view_num(c, sizeof c, p->clock_ghz, "unknown"));
        rl_table_cell(&t, "%s %s", rl_view_num(a, sizeof a, p->gflops, "unknown"), p->unit);
    }
    heading(b, md, "Theoretical peaks (derived): SMs x FLOPs/SM/cycle x peak SM clock");
    emit(b, &t, md, "(none: this compute capability is not in the table)");
}

static void ceilings(rl_buf *b, const rl_device *d, int md, const char *kind)
{
    int compute = !strcmp(kind, "compute");
    rl_table t;
    char v[32], me[32], th[32], ef[32], ck[32], ws[32];
    rl_table_init(&t, compute ? "lllrrrrrl" : "llrrrrrrl");
    rl_table_row(&t);
    rl_table_cell(&t, compute ? "path" : "level");
    rl_table_cell(&t, compute ? "precision" : "kernel");
    rl_table_cell(&t, compute ? "instruction" : "working set");
    rl_table_cell(&t, "measured");
    rl_table_cell(&t, "median");
    rl_table_cell(&t, "theoretical");
    rl_table_cell(&t, "efficiency");
    rl_table_cell(&t, "SM clock");
    rl_table_cell(&t, "note");
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *c = &d->ceiling[i];
        if (strcmp(c->kind, kind) != 0)
            continue;
        rl_table_row(&t);
        rl_table_cell(&t, "%s", c->path);
        rl_table_cell(&t, "%s", compute ? c->precision : c->op);
        if (compute)
            rl_table_cell(&t, "%s", c->insn);
        else
            rl_table_cell(&t, "%s",
                          c->work_bytes ? rl_bytes_format(ws, sizeof ws, c->work_bytes) : "");
        rl_table_cell(&t, "%s %s", rl_view_num(v, sizeof v, c->best, "not run"),
                      c->best >= 0 ? c->unit : "");
        rl_table_cell(&t, "%s", rl_view_num(me, sizeof me, c->median, ""));
        rl_table_cell(&t, "%s", rl_view_num(th, sizeof th, c->theoretical, "unknown"));
        rl_table_cell(&t, "%s", rl_view_pct(ef, sizeof ef, c->efficiency, ""));
        rl_table_cell(&t, "%s", rl_view_num(ck, sizeof ck, c->clock_ghz, ""));
        rl_table_cell(&t, "%s", c->note);
    }
    heading(b, md,
            compute ? "Compute ceilings (measured: best of the launches; theoretical: SMs x "
                      "FLOPs/SM/cycle x the SM clock measured during the kernel)"
                    : "Memory ceilings (measured, counted bytes; theoretical: device memory from "
                      "the bus, shared memory 128 B/SM/cycle; L1/L2 have no vendor figure)");
    emit(b, &t, md, "(none measured)");
}

static void ridges(rl_buf *b, const rl_device *d, int md)
{
    rl_table t;
    char a[32], p[32], g[32];
    rl_table_init(&t, "lllrrrl");
    rl_table_row(&t);
    rl_table_cell(&t, "path");
    rl_table_cell(&t, "precision");
    rl_table_cell(&t, "level");
    rl_table_cell(&t, "GFLOP/s");
    rl_table_cell(&t, "GB/s");
    rl_table_cell(&t, "I_max");
    rl_table_cell(&t, "source");
    for (int pass = 0; pass < 2; pass++) {
        const rl_ridge *list = pass ? d->theory_ridge : d->ridge;
        size_t n = pass ? d->n_theory_ridge : d->n_ridge;
        for (size_t i = 0; i < n; i++) {
            rl_table_row(&t);
            rl_table_cell(&t, "%s", list[i].isa);
            rl_table_cell(&t, "%s", list[i].precision);
            rl_table_cell(&t, "%s", list[i].level);
            rl_table_cell(&t, "%s", rl_view_num(p, sizeof p, list[i].peak_gflops, "?"));
            rl_table_cell(&t, "%s", rl_view_num(g, sizeof g, list[i].gbs, "?"));
            rl_table_cell(&t, "%s", rl_view_num(a, sizeof a, list[i].imax, "?"));
            rl_table_cell(&t, "%s", pass ? "theoretical (peak / DRAM)" : "measured");
        }
    }
    heading(b, md, "Ridge points I_max = GFLOP/s / GB/s (FLOP/byte)");
    emit(b, &t, md, "(none: needs compute and memory measurements)");
}

void rl_report_devices(rl_buf *b, const rl_result *r, int md)
{
    for (size_t i = 0; i < r->n_devices; i++) {
        const rl_device *d = &r->devices[i];
        if (md)
            rl_buf_printf(b, "\n### GPU %s: %s\n\n", d->id, d->name);
        else
            rl_buf_printf(b, "\nGPU %s: %s\n", d->id, d->name);
        identity(b, d, md);
        peaks(b, d, md);
        if (d->n_ceiling) { /* a probe lists identity and theory only */
            ceilings(b, d, md, "compute");
            ceilings(b, d, md, "memory");
        }
        ridges(b, d, md);
    }
}
