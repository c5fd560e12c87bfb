/* device.c: the device sections (see device.h). */
#include "report/device.h"

#include <stdio.h>
#include <string.h>

#include "common/bytes.h"
#include "report/html_page.h"
#include "report/table.h"
#include "report/view.h"
#include "result/gpu_server.h"

/* md: 0 terminal, 1 Markdown, 2 HTML (rl_report_device_html). */
static void heading(rl_buf *b, int md, const char *text)
{
    if (md == 2) {
        rl_buf_printf(b, "<h3>");
        rl_html_text(b, text);
        rl_buf_printf(b, "</h3>\n");
    } else if (md)
        rl_buf_printf(b, "\n#### %s\n\n", text);
    else
        rl_buf_printf(b, "\n  %s\n", text);
}

static void emit(rl_buf *b, rl_table *t, int md, const char *none)
{
    if (t->rows > 1) {
        if (md == 2)
            rl_html_table(b, t, NULL, "sortable");
        else if (md)
            rl_table_markdown(t, b);
        else
            rl_table_text(t, b, "  ");
    } else {
        rl_buf_printf(b, md == 2 ? "<p class=\"note\">%s</p>\n" : md ? "%s\n" : "  %s\n", none);
    }
    rl_table_free(t);
}

/* The links as the driver reports them, with their theory (derived). */
static void links(rl_buf *b, const rl_device *d, const char *pre)
{
    const rl_device_link *l = &d->link;
    if (!d->has_link)
        return;
    if (l->nvml[0] && l->pcie_gen <= 0) {
        rl_buf_printf(b, "%sLinks       unknown: %s\n", pre, l->nvml);
        return;
    }
    char t[32], m[32];
    if (l->pcie_gen > 0)
        rl_buf_printf(b,
                      "%sPCIe        Gen%d x%d as trained (maximum Gen%d x%d): %s GB/s per "
                      "direction theoretical (maximum %s)%s\n",
                      pre, l->pcie_gen, l->pcie_width, l->pcie_gen_max, l->pcie_width_max,
                      rl_view_num(t, sizeof t, l->pcie_gbs, "unknown"),
                      rl_view_num(m, sizeof m, l->pcie_max_gbs, "unknown"),
                      l->pcie_gen < l->pcie_gen_max || l->pcie_width < l->pcie_width_max
                          ? ": BELOW ITS MAXIMUM"
                          : "");
    if (l->c2c)
        rl_buf_printf(b, "%sC2C         NVLink-C2C to the CPU: %s GB/s per direction theoretical\n",
                      pre, rl_view_num(t, sizeof t, l->c2c_gbs, "unknown"));
    if (l->nvlinks > 0)
        rl_buf_printf(
            b, "%sNVLink      %d links%s x %s GB/s per direction = %s GB/s theoretical\n", pre,
            l->nvlinks, l->nvlinks_switch ? " (to NVSwitch)" : "",
            rl_view_num(t, sizeof t, l->nvlink_gbs_per_link, "unknown"),
            rl_view_num(m, sizeof m,
                        l->nvlink_gbs_per_link > 0 ? l->nvlinks * l->nvlink_gbs_per_link : -1,
                        "unknown"));
    if (l->power_limit_w > 0)
        rl_buf_printf(b, "%sPower limit %.0f W (board default %s W)\n", pre, l->power_limit_w,
                      rl_view_num(t, sizeof t, l->power_default_w, "unknown"));
    if (l->numa_near >= 0)
        rl_buf_printf(b, "%sHost NUMA   nearest node %d%s\n", pre, l->numa_near,
                      l->numa_far >= 0 ? "" : " (the only one measured)");
    if (l->numa_near >= 0 && l->numa_far >= 0)
        rl_buf_printf(b, "%s            farthest node %d\n", pre, l->numa_far);
}

static void identity(rl_buf *b, const rl_device *d, int md)
{
    char a[32], m[32], sz[32], l2[32], bw[32];
    const char *pre = md == 2 ? "" : md ? "- " : "  ";
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
    links(b, d, pre);
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

/* Power, clocks and throttling per row (NVML's samples, measured) and GFLOP/J (derived). */
static void power(rl_buf *b, const rl_device *d, int md)
{
    int any = 0;
    for (size_t i = 0; i < d->n_ceiling; i++)
        any |= d->ceiling[i].power.samples > 0;
    if (!any) {
        if (d->has_link && d->link.nvml[0]) {
            heading(b, md, "Power, clocks and throttling per row");
            if (md == 2) {
                rl_buf_printf(b, "<p class=\"note\">not sampled: ");
                rl_html_text(b, d->link.nvml);
                rl_buf_printf(b, "</p>\n");
            } else {
                rl_buf_printf(b, md ? "not sampled: %s\n" : "  not sampled: %s\n", d->link.nvml);
            }
        }
        return;
    }
    rl_table t;
    char w[32], e[32], j[32], sm[32], mn[32], mem[32], tc[32], reasons[160];
    rl_table_init(&t, "lrrrrrrrll");
    rl_table_row(&t);
    static const char *const HEAD[] = {
        "row",    "power W", "energy J",   "per joule",        "SM MHz",
        "SM min", "mem MHz", "max temp C", "throttle reasons", "the SM clock, and why"};
    for (size_t c = 0; c < sizeof HEAD / sizeof HEAD[0]; c++)
        rl_table_cell(&t, "%s", HEAD[c]);
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *c = &d->ceiling[i];
        const rl_device_power *p = &c->power;
        if (p->samples <= 0)
            continue;
        rl_gpu_reasons_text(p, reasons, sizeof reasons);
        rl_table_row(&t);
        rl_table_cell(&t, "%s", c->id);
        rl_table_cell(&t, "%s", rl_view_num(w, sizeof w, p->power_w, "?"));
        rl_table_cell(&t, "%s", rl_view_num(e, sizeof e, p->energy_j, "?"));
        if (p->per_joule > 0)
            rl_table_cell(&t, "%s %.*s/J", rl_view_num(j, sizeof j, p->per_joule, "?"),
                          (int)strcspn(c->unit, "/"), c->unit);
        else
            rl_table_cell(&t, "?");
        rl_table_cell(&t, "%s", rl_view_num(sm, sizeof sm, p->sm_mhz, "?"));
        rl_table_cell(&t, "%s", rl_view_num(mn, sizeof mn, p->sm_mhz_min, "?"));
        rl_table_cell(&t, "%s", rl_view_num(mem, sizeof mem, p->mem_mhz, "?"));
        rl_table_cell(&t, "%s", rl_view_num(tc, sizeof tc, p->temp_c, "?"));
        rl_table_cell(&t, "%s", reasons);
        rl_table_cell(&t, "%s", p->why);
    }
    heading(b, md,
            "Power, clocks and throttling per row (NVML, sampled during the timed launches; "
            "per joule: the row's best rate / average power, derived)");
    emit(b, &t, md, "(none sampled)");
}

/* Host links: each sweep's plateau beside the link's theory. */
static void host_links(rl_buf *b, const rl_device *d, int md)
{
    if (!d->n_copy)
        return;
    rl_table t;
    char v[32], th[32], ef[32], sz[32];
    rl_table_init(&t, "lllrrrrl");
    rl_table_row(&t);
    static const char *const HEAD[] = {"copy", "host memory", "NUMA node",  "plateau GB/s",
                                       "from", "theoretical", "efficiency", "note"};
    for (size_t c = 0; c < sizeof HEAD / sizeof HEAD[0]; c++)
        rl_table_cell(&t, "%s", HEAD[c]);
    for (size_t i = 0; i < d->n_copy; i++) {
        const rl_device_copy *c = &d->copy[i];
        rl_table_row(&t);
        rl_table_cell(&t, "%s",
                      !strcmp(c->id, "h2d")   ? "host to device"
                      : !strcmp(c->id, "d2h") ? "device to host"
                                              : "both at once");
        rl_table_cell(&t, "%s", c->mode);
        if (c->numa_node >= 0)
            rl_table_cell(&t, "%d (%s)", c->numa_node, c->numa);
        else
            rl_table_cell(&t, "unknown");
        rl_table_cell(&t, "%s", rl_view_num(v, sizeof v, c->best, "not run"));
        rl_table_cell(&t, "%s",
                      c->plateau_bytes ? rl_bytes_format(sz, sizeof sz, c->plateau_bytes) : "");
        rl_table_cell(&t, "%s", rl_view_num(th, sizeof th, c->theoretical, "unknown"));
        rl_table_cell(&t, "%s", rl_view_pct(ef, sizeof ef, c->efficiency, ""));
        rl_table_cell(&t, "%s", c->note);
    }
    heading(b, md,
            "Host links (measured: plateau of a 4 KiB-1 GiB sweep, the mean of the sizes within "
            "3% of the fastest, from the smallest of them; theoretical: the link as trained, per "
            "direction, both for \"both at once\")");
    emit(b, &t, md, "(none)");
}

static void latency(rl_buf *b, const rl_device *d, int md)
{
    if (!d->n_latency)
        return;
    rl_table t;
    char ns[32], cy[32], ck[32], ws[32];
    rl_table_init(&t, "llrrrrl");
    rl_table_row(&t);
    static const char *const HEAD[] = {"row",    "level",       "ns",  "cycles",
                                       "SM GHz", "working set", "note"};
    for (size_t c = 0; c < sizeof HEAD / sizeof HEAD[0]; c++)
        rl_table_cell(&t, "%s", HEAD[c]);
    for (size_t i = 0; i < d->n_latency; i++) {
        const rl_device_latency *l = &d->latency[i];
        rl_table_row(&t);
        rl_table_cell(&t, "%s", l->id);
        rl_table_cell(&t, "%s", l->level);
        rl_table_cell(&t, "%s", rl_view_num(ns, sizeof ns, l->ns, "not run"));
        rl_table_cell(&t, "%s", rl_view_num(cy, sizeof cy, l->cycles, ""));
        rl_table_cell(&t, "%s", rl_view_num(ck, sizeof ck, l->clock_ghz, ""));
        rl_table_cell(&t, "%s", l->work_bytes ? rl_bytes_format(ws, sizeof ws, l->work_bytes) : "");
        rl_table_cell(&t, "%s", l->note);
    }
    heading(b, md,
            "Kernel launch (measured: an empty kernel, back to back and with a synchronisation "
            "each; the GPU's pointer chases are in the memory latency section)");
    emit(b, &t, md, "(none)");
}

/* The GPU-to-GPU copy matrix of one mode: GB/s, source per row, destination per column. */
static void p2p_matrix(rl_buf *b, const rl_result *r, const char *mode, int md)
{
    int any = 0;
    for (size_t i = 0; i < r->n_p2p; i++)
        any |= !strcmp(r->p2p[i].mode, mode);
    if (!any)
        return;
    size_t nd = r->n_devices < RL_TABLE_MAX_COLS - 1 ? r->n_devices : RL_TABLE_MAX_COLS - 1;
    char align[RL_TABLE_MAX_COLS + 1] = "l";
    for (size_t j = 0; j < nd; j++)
        strcat(align, "r");
    rl_table t;
    char v[32];
    rl_table_init(&t, align);
    rl_table_row(&t);
    rl_table_cell(&t, "from \\ to");
    for (size_t j = 0; j < nd; j++)
        rl_table_cell(&t, "%s", r->devices[j].id);
    for (size_t i = 0; i < nd; i++) {
        rl_table_row(&t);
        rl_table_cell(&t, "%s", r->devices[i].id);
        for (size_t j = 0; j < nd; j++) {
            const rl_p2p *hit = NULL;
            for (size_t k = 0; k < r->n_p2p; k++)
                if (!strcmp(r->p2p[k].mode, mode) && !strcmp(r->p2p[k].src, r->devices[i].id) &&
                    !strcmp(r->p2p[k].dst, r->devices[j].id))
                    hit = &r->p2p[k];
            rl_table_cell(&t, "%s", hit ? rl_view_num(v, sizeof v, hit->gbs, "-") : "");
        }
    }
    char title[256];
    const rl_p2p *first = NULL;
    for (size_t i = 0; i < r->n_p2p && !first; i++)
        if (!strcmp(r->p2p[i].mode, mode))
            first = &r->p2p[i];
    char th[32];
    snprintf(title, sizeof title,
             "GPU-to-GPU copies, %s, GB/s (measured plateau; theory %s GB/s, %s)",
             !strcmp(mode, "peer")      ? "peer access on"
             : !strcmp(mode, "no-peer") ? "peer access off"
                                        : "every pair at once",
             rl_view_num(th, sizeof th, first->theoretical, "unknown"), first->path);
    heading(b, md, title);
    emit(b, &t, md, "(none)");
}

/* The findings: each fault named with the figure that fell and why. */
static void findings(rl_buf *b, const rl_result *r, int md)
{
    rl_gpu_findings f;
    rl_err err = {0};
    if (rl_gpu_findings_of(r, 0, 0, &f, &err) != 0) {
        rl_buf_printf(b, "  (findings: %s)\n", err.msg);
        return;
    }
    int several = r->n_devices > 1;
    if (f.n || several) {
        static const char *const WHAT =
            "flagged: a PCIe link below its maximum, a GPU-to-GPU pair more than 10% below the "
            "median pair, a power limit below the default, a ceiling more than 5% (compute) or "
            "10% (memory) below the median of its siblings";
        if (md == 2) {
            rl_buf lines = {0};
            for (size_t i = 0; i < f.n; i++)
                rl_buf_printf(&lines, "%s\n", f.items[i].text);
            rl_buf_printf(b, "<h3>GPU findings</h3>\n<p class=\"note\">");
            rl_html_text(b, WHAT);
            rl_buf_printf(b, ".</p>\n");
            if (f.n)
                rl_html_lines(b, lines.data, "warnings findings");
            else
                rl_buf_printf(b, "<p>None.</p>\n");
            b->failed |= lines.failed;
            rl_buf_free(&lines);
            rl_gpu_findings_free(&f);
            return;
        }
        if (md) /* a section of its own, not under the last GPU's or the copies' heading */
            rl_buf_printf(b, "\n### GPU findings\n\n%s.\n\n", WHAT);
        else
            rl_buf_printf(b, "\n  GPU findings (%s)\n", WHAT);
        if (!f.n)
            rl_buf_printf(b, md ? "none\n" : "  none\n");
        for (size_t i = 0; i < f.n; i++)
            rl_buf_printf(b, md ? "- %s\n" : "  - %s\n", f.items[i].text);
    }
    rl_gpu_findings_free(&f);
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
            power(b, d, md);
        }
        host_links(b, d, md);
        latency(b, d, md);
        ridges(b, d, md);
    }
    if (r->n_p2p) {
        if (md)
            rl_buf_printf(b, "\n### GPU-to-GPU links\n");
        else
            rl_buf_printf(b, "\nGPU-to-GPU links\n");
        p2p_matrix(b, r, "peer", md);
        p2p_matrix(b, r, "no-peer", md);
        p2p_matrix(b, r, "all-pairs", md);
    }
    if (r->n_devices)
        findings(b, r, md);
}

void rl_report_device_html(rl_buf *b, const rl_device *d)
{
    rl_buf facts = {0};
    identity(&facts, d, 2);
    rl_html_lines(b, facts.data, "facts");
    b->failed |= facts.failed;
    rl_buf_free(&facts);
    peaks(b, d, 2);
    if (d->n_ceiling) {
        ceilings(b, d, 2, "compute");
        ceilings(b, d, 2, "memory");
        power(b, d, 2);
    }
    host_links(b, d, 2);
    latency(b, d, 2);
    ridges(b, d, 2);
}

void rl_report_devices_html_links(rl_buf *b, const rl_result *r)
{
    if (r->n_p2p) {
        p2p_matrix(b, r, "peer", 2);
        p2p_matrix(b, r, "no-peer", 2);
        p2p_matrix(b, r, "all-pairs", 2);
    }
    if (r->n_devices)
        findings(b, r, 2);
}
