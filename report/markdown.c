/* markdown.c: the Markdown report (see markdown.h). */
#include "report/markdown.h"

#include <stdio.h>
#include <string.h>

#include "report/device.h"
#include "report/latency_table.h"
#include "report/sections.h"
#include "report/table.h"
#include "report/view.h"

static void kv(rl_table *t, const char *key, const char *value)
{
    rl_table_row(t);
    rl_table_cell(t, "%s", key);
    rl_table_cell(t, "%s", value[0] ? value : "-");
}

static void about_table(rl_buf *b, const rl_result *r)
{
    const rl_meta *me = &r->meta;
    const rl_machine *m = &r->machine;
    char line[640], a[32], c[32];
    rl_table t;
    rl_table_init(&t, "ll");
    rl_table_row(&t);
    rl_table_cell(&t, "item");
    rl_table_cell(&t, "value");
    snprintf(line, sizeof line, "roofline %s", me->tool_version);
    kv(&t, "tool", line);
    kv(&t, "date", me->date);
    kv(&t, "compiler", me->compiler);
    snprintf(line, sizeof line, "`%s`", me->command_line);
    kv(&t, "command line", me->command_line[0] ? line : "");
    kv(&t, "settings", me->settings);
    if (me->partial)
        kv(&t, "partial", "yes: interrupted, only finished measurements");
    snprintf(line, sizeof line, "%s (%s family %d model %d stepping %d)", m->brand, m->vendor,
             m->family, m->model, m->stepping);
    kv(&t, "CPU", line);
    kv(&t, "microarchitecture", m->uarch);
    snprintf(line, sizeof line, "%d package%s, %d NUMA node%s, %d cores, %d hardware threads",
             m->packages, m->packages == 1 ? "" : "s", m->numa_nodes, m->numa_nodes == 1 ? "" : "s",
             m->cores, m->threads);
    kv(&t, "topology", line);
    if (m->measured_ghz > 0)
        snprintf(a, sizeof a, "%.3f GHz", m->measured_ghz);
    else
        snprintf(a, sizeof a, "unknown");
    if (m->nominal_ghz > 0)
        snprintf(c, sizeof c, "%.3f GHz", m->nominal_ghz);
    else
        snprintf(c, sizeof c, "unknown");
    snprintf(line, sizeof line, "%s, %s; nominal %s, %s", a,
             m->measured_source[0] ? m->measured_source : "not measured", c,
             m->nominal_source[0] ? m->nominal_source : "no source");
    kv(&t, "clock", line);
    kv(&t, "ISA", m->isa);
    rl_table_markdown(&t, b);
    rl_table_free(&t);
}

int rl_report_markdown(rl_buf *b, const rl_result *r, rl_err *err)
{
    char name[160];
    rl_table t;
    rl_view_machine_name(r, name, sizeof name);
    rl_buf_printf(b, "## Roofline of %s\n\n", name);
    if (r->meta.emulated[0])
        rl_buf_printf(b,
                      "> **Emulated** (%s): every measured figure is the emulator's speed, not "
                      "this machine's.\n\n",
                      r->meta.emulated);
    about_table(b, r);

    rl_buf_printf(b, "\n### Compute ceilings\n\nMeasured: best of the repeats. Theoretical: "
                     "FLOPs/cycle x cores x measured clock. Spread: (best - worst) / best.\n\n");
    rl_sections_compute(&t, r);
    if (t.rows > 1)
        rl_table_markdown(&t, b);
    else
        rl_buf_printf(b, "None measured.\n");
    rl_table_free(&t);
    rl_buf legend = {0};
    rl_sections_clock_legend(&legend, r);
    if (legend.len)
        rl_buf_printf(b, "\n%s", legend.data);
    rl_buf_free(&legend);

    rl_buf_printf(b,
                  "\n### Memory ceilings\n\nMeasured. Counted: bytes the kernel reads and writes "
                  "(STREAM convention). Traffic: counted plus write-allocate reads (none in L1, "
                  "where stores hit lines already there).\n\n");
    size_t sweep = rl_sections_memory(&t, r);
    if (t.rows > 1)
        rl_table_markdown(&t, b);
    else
        rl_buf_printf(b, "None measured.\n");
    rl_table_free(&t);
    rl_sections_cache_theory_line(b, r, "\n");
    rl_buf_printf(b, "\n");
    if (sweep > 0)
        rl_buf_printf(b, "%zu size-sweep points are in the CSV and JSON.\n\n", sweep);
    rl_sections_dram_line(b, r);
    rl_latency_section(b, r, RL_LATENCY_MARKDOWN); /* nothing without latency rows */

    rl_buf_printf(b, "\n### Ridge points\n\nI_max = peak GFLOP/s / GB/s, in FLOP/byte: a kernel "
                     "of lower arithmetic intensity is bound by that level. Theoretical: "
                     "theoretical peak / theoretical DRAM bandwidth.\n\n");
    rl_sections_ridge(&t, r);
    if (t.rows > 1)
        rl_table_markdown(&t, b);
    else
        rl_buf_printf(b, "None: needs compute and bandwidth measurements.\n");
    rl_table_free(&t);
    rl_report_devices(b, r, 1);

    rl_buf w = {0};
    if (rl_view_warnings(r, &w) > 0) {
        rl_buf_printf(b, "\n### Warnings\n\n");
        for (char *line = w.data; line && *line;) {
            char *nl = strchr(line, '\n');
            size_t len = nl ? (size_t)(nl - line) : strlen(line);
            rl_buf_printf(b, "- %.*s\n", (int)len, line);
            line = nl ? nl + 1 : line + len;
        }
    }
    int failed = w.failed;
    rl_buf_free(&w);
    if (b->failed || failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing Markdown");
    return 0;
}
