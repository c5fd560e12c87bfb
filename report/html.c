/* html.c: a result's HTML page (see html.h). */
#include "report/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "report/device.h"
#include "report/html_chart.h"
#include "report/html_page.h"
#include "report/html_roof.h"
#include "report/latency_table.h"
#include "report/machine.h"
#include "report/sections.h"
#include "report/table.h"
#include "report/view.h"

static void heading(rl_buf *b, int level, const char *id, const char *suffix, const char *text)
{
    if (level > 6)
        level = 6;
    rl_buf_printf(b, "<h%d id=\"%s%s\">", level, id, suffix);
    rl_html_text(b, text);
    rl_buf_printf(b, "</h%d>\n", level);
}

static void para(rl_buf *b, const char *cls, const char *text)
{
    if (!text || !*text)
        return;
    rl_buf_printf(b, "<p class=\"%s\">", cls);
    rl_html_text(b, text);
    rl_buf_printf(b, "</p>\n");
}

static void machine_facts(rl_buf *b, const rl_result *r)
{
    const rl_machine *m = &r->machine;
    char line[768], a[32], c[32];
    rl_html_kv_begin(b);
    snprintf(line, sizeof line, "%s (%s, family %d model %d stepping %d)",
             m->brand[0] ? m->brand : "unknown", m->vendor, m->family, m->model, m->stepping);
    rl_html_kv(b, "CPU", line);
    snprintf(line, sizeof line, "%s (libcpuid codename: %s)", m->uarch,
             m->codename[0] ? m->codename : "none");
    rl_html_kv(b, "microarchitecture", line);
    snprintf(line, sizeof line, "%d package%s, %d NUMA node%s, %d cores, %d hardware threads",
             m->packages, m->packages == 1 ? "" : "s", m->numa_nodes, m->numa_nodes == 1 ? "" : "s",
             m->cores, m->threads);
    rl_html_kv(b, "topology", line);
    for (int i = 0; i < m->n_core_kinds && m->n_core_kinds > 1; i++) {
        snprintf(line, sizeof line, "%s: %d cores (efficiency rank %d)", m->core_kinds[i].name,
                 m->core_kinds[i].cores, m->core_kinds[i].efficiency);
        rl_html_kv(b, "core kind", line);
    }
    line[0] = '\0';
    for (int i = 0; i < m->n_caches; i++) {
        const rl_cache *k = &m->caches[i];
        char sz[32];
        size_t used = strlen(line);
        snprintf(line + used, sizeof line - used, "%sL%d %s %s x %d (shared by %d core%s)",
                 i ? "; " : "", k->level, k->type, rl_bytes_format(sz, sizeof sz, k->size_bytes),
                 k->instances, k->cores_sharing, k->cores_sharing == 1 ? "" : "s");
    }
    rl_html_kv(b, "caches", line);
    snprintf(line, sizeof line, "%s measured (%s); nominal %s (%s)",
             m->measured_ghz > 0 ? rl_view_num(a, sizeof a, m->measured_ghz, "?") : "not",
             m->measured_source[0] ? m->measured_source : "none",
             rl_view_num(c, sizeof c, m->nominal_ghz, "unknown"),
             m->nominal_source[0] ? m->nominal_source : "no source");
    rl_html_kv(b, "clock GHz", line);
    rl_buf isa = {0};
    rl_report_isa_clocks(&isa, m);
    if (isa.len) {
        /* "  Under load avx2-fma 3.6 GHz ..." and the method line: one value, trimmed. */
        const char *s = isa.data;
        while (*s == ' ')
            s++;
        if (!strncmp(s, "Under load ", 11))
            s += 11;
        rl_html_kv(b, "clock under load", s);
    }
    rl_buf_free(&isa);
    rl_html_kv(b, "ISA", m->isa);
    rl_buf dram = {0};
    rl_sections_dram_line(&dram, r);
    rl_html_kv(b, "DRAM", dram.data);
    rl_buf_free(&dram);
    rl_html_kv(b, "FLOPs per cycle from", r->theory.uarch_note);
    rl_html_kv(b, "CPU described from", m->cpu_source);
    rl_html_kv(b, "topology from", m->topology_source);
    rl_html_kv_end(b);
}

static void theory_peaks(rl_buf *b, const rl_result *r)
{
    if (r->theory.n_peak == 0)
        return;
    rl_table t;
    char a[32], c[32];
    rl_table_init(&t, "llrrr");
    rl_table_row(&t);
    rl_table_cell(&t, "ISA");
    rl_table_cell(&t, "precision");
    rl_table_cell(&t, "threads");
    rl_table_cell(&t, "at measured clock");
    rl_table_cell(&t, "at nominal clock");
    for (size_t i = 0; i < r->theory.n_peak; i++) {
        const rl_peak *p = &r->theory.peak[i];
        rl_table_row(&t);
        rl_table_cell(&t, "%s", p->isa);
        rl_table_cell(&t, "%s", p->precision);
        rl_table_cell(&t, "%d", p->threads);
        rl_table_cell(&t, "%s", rl_view_num(a, sizeof a, p->gflops_at_measured_clock, "-"));
        rl_table_cell(&t, "%s", rl_view_num(c, sizeof c, p->gflops_at_nominal_clock, "-"));
    }
    rl_html_table(b, &t, NULL, "sortable");
    rl_table_free(&t);
}

static void provenance(rl_buf *b, const rl_result *r)
{
    const rl_meta *me = &r->meta;
    char line[64];
    rl_html_kv_begin(b);
    snprintf(line, sizeof line, "roofline %s", me->tool_version);
    rl_html_kv(b, "tool", line);
    rl_html_kv(b, "date", me->date);
    rl_html_kv(b, "compiler", me->compiler);
    rl_html_kv(b, "command line", me->command_line);
    rl_html_kv(b, "settings", me->settings);
    rl_html_kv(b, "partial", me->partial ? "yes: interrupted, only finished measurements" : "no");
    rl_html_kv(b, "schema", RL_SCHEMA);
    rl_html_kv_end(b);
}

void rl_report_html_charts(rl_buf *b, const rl_result *r, const char *id, int level)
{
    char name[160], title[256], cid[64], desc[768], a[32];
    rl_view_machine_name(r, name, sizeof name);
    if (rl_html_has_cpu(r)) {
        rl_hchart c = {0};
        snprintf(c.id, sizeof c.id, "%schart-cpu", id);
        snprintf(c.title, sizeof c.title, "Roofline of %s", name);
        rl_html_roof_result(&c, r, 0, NULL, NULL, 1);
        snprintf(c.desc, sizeof c.desc,
                 "Log-log roofline chart: %zu ceilings and %zu ridge points; each is listed with "
                 "its value in the tables below.",
                 c.n_roofs, c.n_points);
        snprintf(title, sizeof title, "Roofline: %s", name);
        heading(b, level, id, "roofline", title);
        rl_hchart_render(b, &c,
                         "Solid: measured (best at the most threads); dashed: theoretical. Filled "
                         "dots: measured ridge points, hollow: theoretical. Hover or focus (Tab) "
                         "any line or dot for its value.");
        rl_hchart_free(&c);
    }
    for (size_t i = 0; i < r->n_devices; i++) {
        const rl_device *d = &r->devices[i];
        rl_hchart c = {0};
        snprintf(cid, sizeof cid, "%schart-%s", id, d->id);
        snprintf(c.id, sizeof c.id, "%s", cid);
        snprintf(c.title, sizeof c.title, "Roofline of %s (%s)", d->name, d->id);
        rl_html_roof_device(&c, d, 0, NULL, NULL, 1);
        snprintf(desc, sizeof desc,
                 "Log-log roofline chart of %s: %zu ceilings and %zu ridge points, %d SMs, SM "
                 "clock %s GHz measured.",
                 d->name, c.n_roofs, c.n_points, d->units,
                 rl_view_num(a, sizeof a, d->measured_clock_ghz, "unknown"));
        snprintf(c.desc, sizeof c.desc, "%s", desc);
        snprintf(title, sizeof title, "Roofline: %s (%s, %s)", d->name, d->id, d->arch);
        heading(b, level, id, d->id, title);
        rl_hchart_render(b, &c,
                         "Solid: measured (best launch); dashed: theoretical at the clock measured "
                         "during the kernel. Hover or focus any line or dot for its value.");
        rl_hchart_free(&c);
    }
}

void rl_report_html_body(rl_buf *b, const rl_result *r, const char *id, int h)
{
    char name[160], line[512], a[32];
    rl_table t;
    rl_view_machine_name(r, name, sizeof name);
    snprintf(line, sizeof line, "%d cores, %d threads, %d socket%s; clock %s GHz measured; %s%s",
             r->machine.cores, r->machine.threads, r->machine.packages,
             r->machine.packages == 1 ? "" : "s",
             rl_view_num(a, sizeof a, r->machine.measured_ghz, "unknown"), r->meta.date,
             r->meta.partial ? " (PARTIAL: interrupted)" : "");
    para(b, "lead", line);

    rl_buf w = {0};
    size_t nw = rl_view_warnings(r, &w);
    if (nw > 0) {
        heading(b, h, id, "warnings", "Warnings");
        rl_html_lines(b, w.data, "warnings");
    }
    b->failed |= w.failed;
    rl_buf_free(&w);

    rl_report_html_charts(b, r, id, h);

    if (rl_html_has_cpu(r)) {
        heading(b, h, id, "compute", "Compute ceilings");
        para(b, "note",
             "Measured: best of the repeats. Theoretical: FLOPs/cycle x cores x the clock. "
             "Efficiency: measured / theoretical. Spread: (best - worst) / best.");
        rl_sections_compute(&t, r);
        if (t.rows > 1)
            rl_html_table(b, &t, NULL, "sortable");
        else
            para(b, "note", "None measured.");
        rl_table_free(&t);
        rl_buf legend = {0};
        rl_sections_clock_legend(&legend, r);
        para(b, "note", legend.data);
        rl_buf_free(&legend);

        heading(b, h, id, "memory", "Memory ceilings");
        para(b, "note",
             "Counted: bytes the kernel reads and writes (STREAM convention). Traffic: counted "
             "plus write-allocate reads. Efficiency: against the level's theoretical figure.");
        size_t sweep = rl_sections_memory(&t, r);
        if (t.rows > 1)
            rl_html_table(b, &t, NULL, "sortable");
        else
            para(b, "note", "None measured.");
        rl_table_free(&t);
        rl_buf more = {0};
        rl_sections_cache_theory_line(&more, r, "");
        rl_sections_dram_line(&more, r);
        if (sweep > 0)
            rl_buf_printf(&more, "%zu size-sweep points are in the embedded JSON.\n", sweep);
        rl_html_lines(b, more.data, "notes");
        rl_buf_free(&more);

        heading(b, h, id, "ridges", "Ridge points");
        para(b, "note",
             "I_max = peak GFLOP/s / GB/s, in FLOP/byte: a kernel of lower arithmetic intensity "
             "is bound by that level.");
        rl_sections_ridge(&t, r);
        if (t.rows > 1)
            rl_html_table(b, &t, NULL, "sortable");
        else
            para(b, "note", "None: needs compute and bandwidth measurements.");
        rl_table_free(&t);

        heading(b, h, id, "machine", "Machine");
        machine_facts(b, r);
        heading(b, h, id, "theory", "Theoretical peaks (GFLOP/s)");
        theory_peaks(b, r);
    }
    if (r->n_latency > 0) {
        /* The latency tables as the terminal prints them (report/latency_table.h), preformatted. */
        heading(b, h, id, "latency", "Memory latency");
        rl_buf lat = {0};
        rl_latency_section(&lat, r, RL_LATENCY_COMMAND);
        rl_buf_printf(b, "<div class=\"scroll\"><pre class=\"latency\">");
        for (const char *p = lat.data ? lat.data : ""; *p; p++) {
            if (*p == '\n')
                rl_buf_append(b, "\n", 1); /* rl_html_text drops line breaks; a <pre> keeps them */
            else {
                char one[2] = {*p, 0};
                rl_html_text(b, one);
            }
        }
        rl_buf_printf(b, "</pre></div>\n");
        b->failed |= lat.failed;
        rl_buf_free(&lat);
    }
    for (size_t i = 0; i < r->n_devices; i++) {
        char title[160], suffix[40];
        snprintf(title, sizeof title, "GPU %s: %s", r->devices[i].id, r->devices[i].name);
        snprintf(suffix, sizeof suffix, "%s-tables", r->devices[i].id);
        heading(b, h, id, suffix, title);
        rl_report_device_html(b, &r->devices[i]);
    }
    rl_report_devices_html_links(b, r); /* under the last GPU: its own headings */
    heading(b, h, id, "provenance", "Provenance");
    provenance(b, r);
}

int rl_report_html(rl_buf *b, const rl_result *r, rl_err *err)
{
    char name[160], title[200];
    rl_view_machine_name(r, name, sizeof name);
    if (!rl_html_has_cpu(r) && r->n_devices > 0)
        snprintf(title, sizeof title, "Roofline of %s", r->devices[0].name);
    else
        snprintf(title, sizeof title, "Roofline of %s", name);
    char *json = rl_result_to_json(r, err);
    if (!json)
        return -1;
    rl_buf body = {0};
    rl_report_html_body(&body, r, "", 2);
    int rc = rl_html_page(b, "result", title, &body, json, err);
    rl_buf_free(&body);
    free(json);
    return rc;
}
