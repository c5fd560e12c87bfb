/* summary.c: the terminal summary (see summary.h). */
#include "report/summary.h"

#include <stdio.h>
#include <string.h>

#include "report/device.h"
#include "report/latency_table.h"
#include "report/machine.h"
#include "report/sections.h"
#include "report/table.h"
#include "report/view.h"

/* The machine and theoretical sections are rl_report_machine's (shared with `roofline probe`); the
 * result's warnings are left out there because they close the summary, after the measurements. */
static void machine_section(rl_buf *b, const rl_result *r)
{
    rl_result quiet = *r; /* a shallow, read-only copy: nothing in it is freed */
    quiet.warnings = NULL;
    quiet.n_warnings = 0;
    rl_report_machine(b, &quiet);
}

int rl_report_summary(rl_buf *b, const rl_result *r, rl_err *err)
{
    char name[160];
    rl_table t;
    rl_view_machine_name(r, name, sizeof name);
    rl_buf_printf(b, "Roofline of %s\n  ", name);
    rl_sections_meta_line(b, r);
    rl_buf_printf(b, "\n");
    if (r->meta.emulated[0])
        rl_buf_printf(b,
                      "  EMULATED (%s): every measured figure below is the emulator's speed, not "
                      "this machine's\n",
                      r->meta.emulated);

    machine_section(b, r);

    rl_buf_printf(b, "\nCompute ceilings\n  measured: best of the repeats; theoretical (derived): "
                     "FLOPs/cycle x cores x measured clock\n");
    rl_sections_compute(&t, r);
    if (t.rows > 1)
        rl_table_text(&t, b, "  ");
    else
        rl_buf_printf(b, "  (none measured)\n");
    rl_table_free(&t);
    rl_buf legend = {0};
    rl_sections_clock_legend(&legend, r);
    if (legend.len)
        rl_buf_printf(b, "  %s", legend.data);
    rl_buf_free(&legend);

    rl_buf_printf(b, "\nMemory ceilings (measured)\n  counted: bytes the kernel reads and writes "
                     "(STREAM convention); traffic (derived): counted + write-allocate reads "
                     "(none in L1, where stores hit lines already there)\n");
    size_t sweep = rl_sections_memory(&t, r);
    if (t.rows > 1)
        rl_table_text(&t, b, "  ");
    else
        rl_buf_printf(b, "  (none measured)\n");
    rl_table_free(&t);
    rl_sections_cache_theory_line(b, r, "  ");
    if (sweep > 0)
        rl_buf_printf(b, "  + %zu size-sweep points (in --csv and --json)\n", sweep);
    rl_buf_printf(b, "  ");
    rl_sections_dram_line(b, r);
    rl_latency_section(b, r, RL_LATENCY_TEXT); /* nothing without latency rows */

    rl_buf_printf(b,
                  "\nRidge points I_max = peak GFLOP/s / GB/s, in FLOP/byte (below it a kernel "
                  "is bound by that level)\n  measured: best runs; theoretical: theoretical peak / "
                  "theoretical DRAM\n");
    rl_sections_ridge(&t, r);
    if (t.rows > 1)
        rl_table_text(&t, b, "  ");
    else
        rl_buf_printf(b, "  (none: needs compute and bandwidth measurements)\n");
    rl_table_free(&t);

    rl_report_devices(b, r, 0);

    rl_buf w = {0};
    size_t n = rl_view_warnings(r, &w);
    if (n > 0) {
        rl_buf_printf(b, "\nWarnings\n");
        for (char *line = w.data; line && *line;) {
            char *nl = strchr(line, '\n');
            size_t len = nl ? (size_t)(nl - line) : strlen(line);
            rl_buf_printf(b, "  ! %.*s\n", (int)len, line);
            line = nl ? nl + 1 : line + len;
        }
    }
    int failed = w.failed;
    rl_buf_free(&w);
    if (b->failed || failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing the summary");
    return 0;
}
