/* flops_table.c: the `roofline flops` table (see flops_table.h). */
#include "report/flops_table.h"

#include <stdio.h>
#include <string.h>

static void cell_number(char *out, size_t size, double v, const char *fmt)
{
    if (v < 0)
        snprintf(out, size, "-");
    else
        snprintf(out, size, fmt, v);
}

void rl_flops_table_text(rl_buf *b, const rl_result *r)
{
    rl_buf_printf(b, "%-13s %-5s %7s %11s %11s %11s %6s %13s %8s\n", "ISA", "prec", "threads",
                  "best", "median", "theoretical", "eff.", "clock GHz", "at GHz");
    rl_buf_printf(b, "%-13s %-5s %7s %11s %11s %11s %6s %13s %8s\n", "", "", "", "GFLOP/s",
                  "GFLOP/s", "GFLOP/s", "", "before/after", "(how)");
    int load = 0, given = 0;
    int notes = 0;
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        char theo[24], eff[16], before[16], after[16];
        cell_number(theo, sizeof theo, f->theoretical_gflops, "%.1f");
        cell_number(eff, sizeof eff, f->efficiency * 100, "%.1f%%");
        cell_number(before, sizeof before, f->clock_ghz_before, "%.2f");
        cell_number(after, sizeof after, f->clock_ghz_after, "%.2f");
        char clocks[40], at[24];
        snprintf(clocks, sizeof clocks, "%s/%s", before, after);
        /* L: measured under the ISA's load; C: --clock; A: the add chain before/after */
        const char *how = strstr(f->clock_method, "load")          ? "L"
                          : strncmp(f->clock_method, "--", 2) == 0 ? "C"
                          : f->clock_method[0]                     ? "A"
                                                                   : "";
        load += *how == 'L';
        given += *how == 'C';
        cell_number(at, sizeof at, f->clock_method[0] ? f->clock_ghz : -1, "%.2f");
        rl_buf_printf(b, "%-13s %-5s %7d %11.1f %11.1f %11s %6s %13s %6s %1s%s%s%s%s\n", f->isa,
                      f->precision, f->threads, f->gflops, f->gflops_median, theo, eff, clocks, at,
                      how, f->note[0] ? " *" : "", f->core_type[0] ? " [" : "", f->core_type,
                      f->core_type[0] ? " cores only]" : "");
        notes += f->note[0] != '\0';
    }
    if (load || given)
        rl_buf_printf(b, "theoretical at GHz: L = the clock under that ISA's load on the row's own "
                         "cores, C = --clock, A = the add chain before/after\n");
    for (size_t i = 0; i < r->n_flops; i++)
        if (strcmp(r->flops[i].unit, "GOP/s") == 0) {
            rl_buf_printf(b, "int8 rows are in GOP/s: integer multiplies and adds, not FLOPs.\n");
            break;
        }
    if (notes) {
        rl_buf_printf(b, "\nNotes:\n");
        for (size_t i = 0; i < r->n_flops; i++) {
            const rl_flops *f = &r->flops[i];
            if (f->note[0])
                rl_buf_printf(b, "  * %s %s, %d thread%s: %s\n", f->isa, f->precision, f->threads,
                              f->threads == 1 ? "" : "s", f->note);
        }
    }
    int header = 0;
    for (size_t i = 0; i < r->n_warnings; i++) {
        const char *w = r->warnings[i];
        if (strncmp(w, "flops: ", 7) != 0)
            continue;
        if (!header)
            rl_buf_printf(b, "\nNot run:\n");
        header = 1;
        rl_buf_printf(b, "  %s\n", w + 7);
    }
    header = 0;
    for (size_t i = 0; i < r->n_warnings; i++) {
        const char *w = r->warnings[i];
        if (strncmp(w, "interference: ", 14) != 0)
            continue;
        if (!header)
            rl_buf_printf(b, "\nInterference:\n");
        header = 1;
        rl_buf_printf(b, "  %s\n", w + 14);
    }
    if (r->meta.partial)
        rl_buf_printf(b, "\nInterrupted: only the rows above finished.\n");
}
