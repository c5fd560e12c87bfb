/* summary.c: the terminal summary (see summary.h). */
#include "report/summary.h"

#include <stdio.h>
#include <string.h>

#include "report/sections.h"
#include "report/table.h"
#include "report/view.h"

/* The machine section. TODO(probes): replace with rl_report_machine (report/machine.c), which also
 * prints the theoretical section; until it lands, the essentials. */
static void machine_section(rl_buf *b, const rl_result *r)
{
    const rl_machine *m = &r->machine;
    char a[32], c[32];
    rl_buf_printf(b, "Machine\n");
    rl_buf_printf(b, "  CPU       %s, %s family %d model %d stepping %d, uarch %s\n", m->brand,
                  m->vendor, m->family, m->model, m->stepping, m->uarch[0] ? m->uarch : "unknown");
    rl_buf_printf(b, "  topology  %d package%s, %d NUMA node%s, %d cores, %d hardware threads\n",
                  m->packages, m->packages == 1 ? "" : "s", m->numa_nodes,
                  m->numa_nodes == 1 ? "" : "s", m->cores, m->threads);
    if (m->n_caches > 0) {
        rl_buf_printf(b, "  caches   ");
        for (int i = 0; i < m->n_caches && i < (int)(sizeof m->caches / sizeof m->caches[0]); i++) {
            const rl_cache *k = &m->caches[i];
            rl_buf_printf(b, "%s L%d%s %s x%d", i ? "," : "", k->level,
                          strcmp(k->type, "data") == 0          ? "d"
                          : strcmp(k->type, "instruction") == 0 ? "i"
                                                                : "",
                          rl_view_bytes(a, sizeof a, k->size_bytes), k->instances);
        }
        rl_buf_printf(b, "\n");
    }
    if (m->measured_ghz > 0)
        snprintf(a, sizeof a, "%.3f GHz", m->measured_ghz);
    else
        snprintf(a, sizeof a, "unknown");
    if (m->nominal_ghz > 0)
        snprintf(c, sizeof c, "%.3f GHz", m->nominal_ghz);
    else
        snprintf(c, sizeof c, "unknown");
    rl_buf_printf(b, "  clock     %s, %s; nominal %s, %s\n", a,
                  m->measured_source[0] ? m->measured_source : "not measured", c,
                  m->nominal_source[0] ? m->nominal_source : "no source");
    rl_buf_printf(b, "  ISA       %s\n", m->isa[0] ? m->isa : "unknown");
}

int rl_report_summary(rl_buf *b, const rl_result *r, rl_err *err)
{
    char name[160];
    rl_table t;
    rl_view_machine_name(r, name, sizeof name);
    rl_buf_printf(b, "Roofline of %s\n  ", name);
    rl_sections_meta_line(b, r);
    rl_buf_printf(b, "\n");

    machine_section(b, r);

    rl_buf_printf(b, "\nCompute ceilings\n  measured: best of the repeats; theoretical (derived): "
                     "FLOPs/cycle x cores x measured clock\n");
    rl_sections_compute(&t, r);
    if (t.rows > 1)
        rl_table_text(&t, b, "  ");
    else
        rl_buf_printf(b, "  (none measured)\n");
    rl_table_free(&t);

    rl_buf_printf(b, "\nMemory ceilings (measured)\n  counted: bytes the kernel reads and writes "
                     "(STREAM convention); traffic (derived): counted + write-allocate reads\n");
    size_t sweep = rl_sections_memory(&t, r);
    if (t.rows > 1)
        rl_table_text(&t, b, "  ");
    else
        rl_buf_printf(b, "  (none measured)\n");
    rl_table_free(&t);
    if (sweep > 0)
        rl_buf_printf(b, "  + %zu size-sweep points (in --csv and --json)\n", sweep);
    rl_buf_printf(b, "  ");
    rl_sections_dram_line(b, r);

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
