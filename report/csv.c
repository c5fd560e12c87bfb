/* csv.c: the CSV report (see csv.h). */
#include "report/csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/table.h"
#include "report/view.h"
#include "result/gpu_server.h"

enum {
    C_SECTION,
    C_NAME,
    C_ISA,
    C_PRECISION,
    C_LEVEL,
    C_KERNEL,
    C_THREADS,
    C_BYTES,
    C_VALUE,
    C_UNIT,
    C_SOURCE,
    C_MEDIAN,
    C_MIN,
    C_REPEATS,
    C_THEORETICAL,
    C_EFFICIENCY,
    C_TRAFFIC,
    C_TEXT,
    C_COUNT
};

static const char *const header[C_COUNT] = {
    "section",          "name",       "isa",         "precision", "level",  "kernel", "threads",
    "bytes_per_thread", "value",      "unit",        "source",    "median", "min",    "repeats",
    "theoretical",      "efficiency", "traffic_gbs", "text"};

typedef struct row {
    char f[C_COUNT][520];
} row;

static void set(row *w, int col, const char *s)
{
    snprintf(w->f[col], sizeof w->f[col], "%s", s);
}

static void num(row *w, int col, double v)
{
    if (v >= 0 && isfinite(v))
        snprintf(w->f[col], sizeof w->f[col], "%.6g", v);
}

static void integer(row *w, int col, long long v)
{
    snprintf(w->f[col], sizeof w->f[col], "%lld", v);
}

static void start(row *w, const char *section, const char *source)
{
    memset(w, 0, sizeof *w);
    set(w, C_SECTION, section);
    if (source)
        set(w, C_SOURCE, source);
}

static void emit(rl_buf *b, const row *w)
{
    for (int c = 0; c < C_COUNT; c++) {
        if (c > 0)
            rl_buf_append(b, ",", 1);
        rl_csv_field(b, w->f[c]);
    }
    rl_buf_append(b, "\n", 1);
}

static void text_row(rl_buf *b, row *w, const char *section, const char *name, const char *text)
{
    start(w, section, NULL);
    set(w, C_NAME, name);
    set(w, C_TEXT, text);
    emit(b, w);
}

static void number_row(rl_buf *b, row *w, const char *section, const char *name, double v,
                       const char *unit, const char *source)
{
    start(w, section, source);
    set(w, C_NAME, name);
    num(w, C_VALUE, v);
    set(w, C_UNIT, unit);
    emit(b, w);
}

static void meta_rows(rl_buf *b, row *w, const rl_result *r)
{
    const rl_meta *me = &r->meta;
    const rl_machine *m = &r->machine;
    text_row(b, w, "meta", "tool_version", me->tool_version);
    text_row(b, w, "meta", "date", me->date);
    text_row(b, w, "meta", "compiler", me->compiler);
    text_row(b, w, "meta", "command_line", me->command_line);
    text_row(b, w, "meta", "settings", me->settings);
    text_row(b, w, "meta", "partial", me->partial ? "yes" : "no");
    text_row(b, w, "machine", "vendor", m->vendor);
    text_row(b, w, "machine", "brand", m->brand);
    text_row(b, w, "machine", "uarch", m->uarch);
    text_row(b, w, "machine", "isa", m->isa);
    number_row(b, w, "machine", "packages", m->packages, "", "probed");
    number_row(b, w, "machine", "numa_nodes", m->numa_nodes, "", "probed");
    number_row(b, w, "machine", "cores", m->cores, "", "probed");
    number_row(b, w, "machine", "threads", m->threads, "", "probed");
    number_row(b, w, "machine", "measured_ghz", m->measured_ghz, "GHz", "measured");
    number_row(b, w, "machine", "nominal_ghz", m->nominal_ghz, "GHz", "nominal");
    for (int i = 0; i < m->n_per_isa; i++) { /* the clocks under each ISA's load */
        const rl_isa_clock *c = &m->per_isa[i];
        start(w, "machine", strcmp(c->method, "--clock") == 0 ? "given" : "measured");
        set(w, C_NAME, "clock_under_load");
        set(w, C_ISA, c->isa);
        integer(w, C_THREADS, c->threads);
        num(w, C_VALUE, c->ghz);
        set(w, C_UNIT, "GHz");
        set(w, C_TEXT, c->method);
        emit(b, w);
    }
}

static void measured_rows(rl_buf *b, row *w, const rl_result *r)
{
    for (size_t i = 0; i < r->n_flops; i++) {
        const rl_flops *f = &r->flops[i];
        start(w, "compute", "measured");
        set(w, C_NAME, f->core_type); /* hybrid CPUs: the core type it ran on alone */
        set(w, C_ISA, f->isa);
        set(w, C_PRECISION, f->precision);
        integer(w, C_THREADS, f->threads);
        num(w, C_VALUE, f->gflops);
        set(w, C_UNIT, f->unit);
        num(w, C_MEDIAN, f->gflops_median);
        num(w, C_MIN, f->gflops_min);
        integer(w, C_REPEATS, f->repeats);
        num(w, C_THEORETICAL, f->theoretical_gflops);
        num(w, C_EFFICIENCY, f->efficiency);
        set(w, C_TEXT, f->note);
        emit(b, w);
    }
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *m = &r->bandwidth[i];
        start(w, "memory", "measured");
        set(w, C_NAME, m->nt_stores ? "nt_stores" : "");
        set(w, C_ISA, m->isa);
        set(w, C_LEVEL, m->level);
        set(w, C_KERNEL, m->kernel);
        integer(w, C_THREADS, m->threads);
        integer(w, C_BYTES, (long long)m->bytes_per_thread);
        num(w, C_VALUE, m->gbs);
        set(w, C_UNIT, "GB/s");
        num(w, C_MEDIAN, m->gbs_median);
        num(w, C_MIN, m->gbs_min);
        integer(w, C_REPEATS, m->repeats);
        if (m->theoretical_gbs > 0) { /* probes/cachebw.h: the level's theory */
            num(w, C_THEORETICAL, m->theoretical_gbs);
            num(w, C_EFFICIENCY, m->efficiency);
        } else if (r->theory.dram_gbs > 0 && strcmp(m->level, "DRAM") == 0) {
            num(w, C_THEORETICAL, r->theory.dram_gbs);
            if (m->gbs_traffic > 0)
                num(w, C_EFFICIENCY, m->gbs_traffic / r->theory.dram_gbs);
        }
        num(w, C_TRAFFIC, m->gbs_traffic);
        set(w, C_TEXT, m->note);
        emit(b, w);
    }
    for (size_t i = 0; i < r->n_ridge; i++) {
        const rl_ridge *g = &r->ridge[i];
        const rl_ridge *t = rl_view_theory_ridge(r, g->isa, g->precision, g->level, g->threads);
        start(w, "ridge", "derived");
        set(w, C_ISA, g->isa);
        set(w, C_PRECISION, g->precision);
        set(w, C_LEVEL, g->level);
        integer(w, C_THREADS, g->threads);
        num(w, C_VALUE, g->imax);
        set(w, C_UNIT, "FLOP/byte");
        if (t)
            num(w, C_THEORETICAL, t->imax);
        char text[128];
        snprintf(text, sizeof text, "peak %.6g GFLOP/s / %.6g GB/s", g->peak_gflops, g->gbs);
        set(w, C_TEXT, text);
        emit(b, w);
    }
}

static void theory_rows(rl_buf *b, row *w, const rl_result *r)
{
    const rl_theory *th = &r->theory;
    for (size_t i = 0; i < th->n_fpc; i++) {
        const rl_fpc *f = &th->fpc[i];
        char unit[32];
        start(w, "theory_fpc", "theoretical");
        set(w, C_NAME, f->is_mix ? "mix" : "");
        set(w, C_ISA, f->isa);
        set(w, C_PRECISION, f->precision);
        num(w, C_VALUE, f->per_core);
        snprintf(unit, sizeof unit, "%s/cycle/core", f->unit);
        set(w, C_UNIT, unit);
        if (f->core_type[0])
            set(w, C_TEXT, f->core_type);
        emit(b, w);
    }
    for (size_t i = 0; i < th->n_peak; i++) {
        const rl_peak *p = &th->peak[i];
        for (int k = 0; k < 2; k++) {
            double v = k == 0 ? p->gflops_at_measured_clock : p->gflops_at_nominal_clock;
            if (!(v >= 0))
                continue;
            start(w, "theory_peak", "theoretical");
            set(w, C_NAME, k == 0 ? "at_measured_clock" : "at_nominal_clock");
            set(w, C_ISA, p->isa);
            set(w, C_PRECISION, p->precision);
            integer(w, C_THREADS, p->threads);
            num(w, C_VALUE, v);
            set(w, C_UNIT, "GFLOP/s");
            set(w, C_TEXT, p->core_type[0] ? p->core_type : "");
            emit(b, w);
        }
    }
    for (int i = 0; i < th->n_core_types; i++) { /* hybrid CPUs: each core type */
        const rl_core_type_theory *c = &th->core_types[i];
        char text[160];
        start(w, "theory_core_type", "theoretical");
        set(w, C_NAME, c->name);
        if (c->cores >= 0)
            integer(w, C_THREADS, c->cores);
        snprintf(text, sizeof text, "%s-core; sources: %s", c->role, c->source);
        set(w, C_TEXT, text);
        emit(b, w);
    }
    for (size_t i = 0; i < th->n_bw; i++) { /* cache levels: bytes/cycle/core and GB/s */
        const rl_bw_theory *e = &th->bw[i];
        start(w, "theory_bandwidth", "theoretical");
        set(w, C_LEVEL, e->level);
        set(w, C_KERNEL, e->op);
        integer(w, C_THREADS, e->threads);
        num(w, C_VALUE, e->gbs);
        set(w, C_UNIT, "GB/s");
        char bpc[192];
        if (e->bytes_per_cycle >= 0)
            snprintf(bpc, sizeof bpc, "%.6g bytes/cycle/core; %s", e->bytes_per_cycle, e->source);
        else
            snprintf(bpc, sizeof bpc, "unknown");
        set(w, C_TEXT, bpc);
        emit(b, w);
    }
    start(w, "theory_dram", "theoretical");
    set(w, C_LEVEL, "DRAM");
    num(w, C_VALUE, th->dram_gbs);
    set(w, C_UNIT, "GB/s");
    char text[160];
    snprintf(text, sizeof text, "%s; channels %d, %.6g MT/s, %d bit", th->dram_source,
             th->mem_channels, th->mem_mts, th->mem_bus_bits);
    set(w, C_TEXT, text);
    emit(b, w);
    if (th->platform.gbs_per_socket > 0) { /* the CPU model's platform, per socket */
        const rl_platform_dram *p = &th->platform;
        start(w, "theory_platform_dram", "theoretical");
        set(w, C_NAME, p->platform);
        set(w, C_LEVEL, "DRAM");
        num(w, C_VALUE, p->gbs_per_socket);
        set(w, C_UNIT, "GB/s per socket");
        snprintf(text, sizeof text, "%d x %s per socket, %d socket%s; %s", p->channels, p->memory,
                 p->sockets, p->sockets == 1 ? "" : "s",
                 p->used ? "used for the ridge" : "not used for the ridge");
        set(w, C_TEXT, text);
        emit(b, w);
    }
    for (size_t i = 0; i < th->n_ridge; i++) {
        const rl_ridge *g = &th->ridge[i];
        start(w, "theory_ridge", "theoretical");
        set(w, C_ISA, g->isa);
        set(w, C_PRECISION, g->precision);
        set(w, C_LEVEL, g->level);
        integer(w, C_THREADS, g->threads);
        num(w, C_VALUE, g->imax);
        set(w, C_UNIT, "FLOP/byte");
        emit(b, w);
    }
}

/* A GPU server's rows of one device: gpu_link (PCIe as trained and at most, NVLink: theoretical
 * GB/s per direction), gpu_power (per row: average W, J, per joule, clocks, temperature, reasons in
 * `kernel`, the sentence in `text`), gpu_host_link (each copy's plateau; `bytes_per_thread` the
 * size it starts at) with gpu_host_sweep points, gpu_latency (ns; cycles in `median`). */
static void gpu_server_rows(rl_buf *b, row *w, const rl_device *d)
{
    const rl_device_link *l = &d->link;
    if (d->has_link) {
        char what[48];
        start(w, "gpu_link", "theoretical");
        set(w, C_NAME, d->id);
        snprintf(what, sizeof what, "PCIe Gen%d x%d", l->pcie_gen, l->pcie_width);
        set(w, C_LEVEL, "pcie");
        set(w, C_KERNEL, what);
        num(w, C_VALUE, l->pcie_gbs);
        set(w, C_UNIT, "GB/s");
        num(w, C_THEORETICAL, l->pcie_max_gbs);
        snprintf(what, sizeof what, "maximum Gen%d x%d", l->pcie_gen_max, l->pcie_width_max);
        set(w, C_TEXT, l->nvml[0] ? l->nvml : what);
        emit(b, w);
        if (l->nvlinks > 0) {
            start(w, "gpu_link", "theoretical");
            set(w, C_NAME, d->id);
            set(w, C_LEVEL, "nvlink");
            integer(w, C_THREADS, l->nvlinks);
            num(w, C_VALUE, l->nvlink_gbs_per_link > 0 ? l->nvlinks * l->nvlink_gbs_per_link : -1);
            set(w, C_UNIT, "GB/s");
            emit(b, w);
        }
        if (l->power_limit_w > 0) {
            start(w, "gpu_link", "measured");
            set(w, C_NAME, d->id);
            set(w, C_LEVEL, "power_limit");
            num(w, C_VALUE, l->power_limit_w);
            num(w, C_THEORETICAL, l->power_default_w);
            set(w, C_UNIT, "W");
            emit(b, w);
        }
    }
    for (size_t j = 0; j < d->n_ceiling; j++) {
        const rl_device_ceiling *c = &d->ceiling[j];
        const rl_device_power *p = &c->power;
        if (p->samples <= 0)
            continue;
        char reasons[160], unit[16];
        rl_gpu_reasons_text(p, reasons, sizeof reasons);
        start(w, "gpu_power", "measured");
        set(w, C_NAME, d->id);
        set(w, C_ISA, c->id);
        set(w, C_KERNEL, reasons);
        num(w, C_VALUE, p->power_w);
        set(w, C_UNIT, "W");
        num(w, C_MEDIAN, p->energy_j);
        integer(w, C_REPEATS, p->samples);
        set(w, C_TEXT, p->why);
        emit(b, w);
        start(w, "gpu_power", "derived");
        set(w, C_NAME, d->id);
        set(w, C_ISA, c->id);
        num(w, C_VALUE, p->per_joule);
        snprintf(unit, sizeof unit, "%.*s/J", (int)strcspn(c->unit, "/"), c->unit);
        set(w, C_UNIT, unit);
        emit(b, w);
        start(w, "gpu_power", "measured");
        set(w, C_NAME, d->id);
        set(w, C_ISA, c->id);
        set(w, C_LEVEL, "sm_clock");
        num(w, C_VALUE, p->sm_mhz);
        num(w, C_MIN, p->sm_mhz_min);
        set(w, C_UNIT, "MHz");
        emit(b, w);
        start(w, "gpu_power", "measured");
        set(w, C_NAME, d->id);
        set(w, C_ISA, c->id);
        set(w, C_LEVEL, "temperature");
        num(w, C_VALUE, p->temp_c);
        set(w, C_UNIT, "C");
        emit(b, w);
    }
    for (size_t j = 0; j < d->n_copy; j++) {
        const rl_device_copy *c = &d->copy[j];
        start(w, "gpu_host_link", "measured");
        set(w, C_NAME, d->id);
        set(w, C_ISA, c->id);
        set(w, C_PRECISION, c->mode);
        set(w, C_LEVEL, c->numa);
        if (c->numa_node >= 0)
            integer(w, C_THREADS, c->numa_node);
        if (c->plateau_bytes)
            integer(w, C_BYTES, (long long)c->plateau_bytes);
        num(w, C_VALUE, c->best);
        set(w, C_UNIT, "GB/s");
        num(w, C_THEORETICAL, c->theoretical);
        num(w, C_EFFICIENCY, c->efficiency);
        set(w, C_TEXT, c->note);
        emit(b, w);
        for (int k = 0; k < c->n_points; k++) {
            start(w, "gpu_host_sweep", "measured");
            set(w, C_NAME, d->id);
            set(w, C_ISA, c->id);
            set(w, C_PRECISION, c->mode);
            set(w, C_LEVEL, c->numa);
            integer(w, C_BYTES, (long long)c->size[k]);
            num(w, C_VALUE, c->gbs[k]);
            set(w, C_UNIT, "GB/s");
            emit(b, w);
        }
    }
    for (size_t j = 0; j < d->n_latency; j++) {
        const rl_device_latency *x = &d->latency[j];
        start(w, "gpu_latency", "measured");
        set(w, C_NAME, d->id);
        set(w, C_ISA, x->id);
        set(w, C_LEVEL, x->level);
        if (x->work_bytes)
            integer(w, C_BYTES, (long long)x->work_bytes);
        num(w, C_VALUE, x->ns);
        set(w, C_UNIT, "ns");
        num(w, C_MEDIAN, x->cycles);
        set(w, C_TEXT, x->note);
        emit(b, w);
    }
}

/* GPU-to-GPU copies (gpu_p2p: `name` source, `level` destination, `kernel` the mode) and the
 * findings (gpu_flag: `name` the device, `isa` the kind, `kernel` what fell, `value` and
 * `theoretical` its figure and the reference, `text` the sentence). */
static void gpu_fleet_rows(rl_buf *b, row *w, const rl_result *r)
{
    for (size_t i = 0; i < r->n_p2p; i++) {
        const rl_p2p *p = &r->p2p[i];
        start(w, "gpu_p2p", "measured");
        set(w, C_NAME, p->src);
        set(w, C_LEVEL, p->dst);
        set(w, C_KERNEL, p->mode);
        num(w, C_VALUE, p->gbs);
        set(w, C_UNIT, "GB/s");
        num(w, C_THEORETICAL, p->theoretical);
        num(w, C_EFFICIENCY, p->efficiency);
        set(w, C_TEXT, p->path);
        emit(b, w);
    }
    rl_gpu_findings f;
    rl_err err = {0};
    if (!r->n_devices || rl_gpu_findings_of(r, 0, 0, &f, &err) != 0)
        return;
    static const char *const KINDS[] = {"link", "p2p", "power_limit", "odd_gpu"};
    for (size_t i = 0; i < f.n; i++) {
        const rl_gpu_finding *e = &f.items[i];
        start(w, "gpu_flag", "derived");
        set(w, C_NAME, r->devices[e->device].id);
        set(w, C_ISA, KINDS[e->kind]);
        set(w, C_KERNEL, e->what);
        num(w, C_VALUE, e->value);
        num(w, C_THEORETICAL, e->reference);
        num(w, C_EFFICIENCY, e->shortfall);
        set(w, C_TEXT, e->text);
        emit(b, w);
    }
    rl_gpu_findings_free(&f);
}

/* Other devices (GPUs): section gpu_peak (theoretical), gpu_compute and gpu_memory (measured, with
 * their theory), gpu_ridge; `name` is the device id, `threads` its SMs, `isa` the path. */
static void device_rows(rl_buf *b, row *w, const rl_result *r)
{
    for (size_t i = 0; i < r->n_devices; i++) {
        const rl_device *d = &r->devices[i];
        text_row(b, w, "gpu", d->id, d->name);
        start(w, "gpu", "measured");
        set(w, C_NAME, d->id);
        set(w, C_TEXT, "measured_clock_ghz");
        num(w, C_VALUE, d->measured_clock_ghz);
        set(w, C_UNIT, "GHz");
        emit(b, w);
        start(w, "gpu", "theoretical");
        set(w, C_NAME, d->id);
        set(w, C_LEVEL, "DRAM");
        num(w, C_VALUE, d->dram_gbs);
        set(w, C_UNIT, "GB/s");
        emit(b, w);
        for (size_t j = 0; j < d->n_peak; j++) {
            const rl_device_peak *p = &d->peak[j];
            start(w, "gpu_peak", "theoretical");
            set(w, C_NAME, d->id);
            set(w, C_ISA, p->path);
            set(w, C_PRECISION, p->precision);
            integer(w, C_THREADS, d->units);
            num(w, C_VALUE, p->gflops);
            set(w, C_UNIT, p->unit);
            emit(b, w);
        }
        for (size_t j = 0; j < d->n_ceiling; j++) {
            const rl_device_ceiling *c = &d->ceiling[j];
            int compute = !strcmp(c->kind, "compute");
            start(w, compute ? "gpu_compute" : "gpu_memory", "measured");
            set(w, C_NAME, d->id);
            set(w, C_ISA, compute ? c->path : "");
            set(w, C_PRECISION, c->precision);
            set(w, C_LEVEL, compute ? "" : c->path);
            set(w, C_KERNEL, compute ? c->insn : c->op);
            integer(w, C_THREADS, d->units);
            if (c->work_bytes)
                integer(w, C_BYTES, (long long)c->work_bytes);
            num(w, C_VALUE, c->best);
            set(w, C_UNIT, c->unit);
            num(w, C_MEDIAN, c->median);
            num(w, C_MIN, c->min);
            integer(w, C_REPEATS, c->repeats);
            num(w, C_THEORETICAL, c->theoretical);
            num(w, C_EFFICIENCY, c->efficiency);
            set(w, C_TEXT, c->note);
            emit(b, w);
        }
        gpu_server_rows(b, w, d);
        for (int pass = 0; pass < 2; pass++) {
            const rl_ridge *list = pass ? d->theory_ridge : d->ridge;
            size_t n = pass ? d->n_theory_ridge : d->n_ridge;
            for (size_t j = 0; j < n; j++) {
                start(w, "gpu_ridge", pass ? "theoretical" : "measured");
                set(w, C_NAME, d->id);
                set(w, C_ISA, list[j].isa);
                set(w, C_PRECISION, list[j].precision);
                set(w, C_LEVEL, list[j].level);
                num(w, C_VALUE, list[j].imax);
                set(w, C_UNIT, "FLOP/byte");
                emit(b, w);
            }
        }
    }
}

/* Two rows per latency figure: ns (measured) and cycles (derived at the row's clock). Kernel holds
 * the page kind (the mix for loaded rows), min the slowest repeat, traffic_gbs the loaded or NUMA
 * bandwidth, text the rest. */
static void latency_rows(rl_buf *b, row *w, const rl_result *r)
{
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        char name[40], text[520];
        snprintf(name, sizeof name, "%s %s", e->device, e->kind);
        int n = snprintf(text, sizeof text, "pages=%s", e->pages[0] ? e->pages : "-");
        if (e->huge_share >= 0)
            n += snprintf(text + n, sizeof text - (size_t)n, " huge_share=%.3g", e->huge_share);
        if (!strcmp(e->kind, "loaded"))
            n += snprintf(text + n, sizeof text - (size_t)n, " delay=%llu",
                          (unsigned long long)e->delay);
        if (e->cpu_node >= 0)
            n += snprintf(text + n, sizeof text - (size_t)n, " cpu_node=%d mem_node=%d",
                          e->cpu_node, e->mem_node);
        if (e->note[0])
            snprintf(text + n, sizeof text - (size_t)n, "; %s", e->note);
        for (int cyc = 0; cyc <= 1; cyc++) {
            if (cyc && !(e->cycles >= 0))
                continue;
            start(w, "latency", cyc ? "derived" : "measured");
            set(w, C_NAME, name);
            set(w, C_LEVEL, e->level);
            set(w, C_KERNEL, e->mix[0] ? e->mix : e->pages);
            integer(w, C_THREADS, e->load_threads > 0 ? e->load_threads : 1);
            integer(w, C_BYTES, (long long)e->bytes);
            num(w, C_VALUE, cyc ? e->cycles : e->ns);
            set(w, C_UNIT, cyc ? "cycles" : "ns");
            if (!cyc) {
                num(w, C_MEDIAN, e->ns_median);
                num(w, C_MIN, e->ns_max);
            }
            integer(w, C_REPEATS, e->repeats);
            num(w, C_TRAFFIC, e->gbs);
            set(w, C_TEXT, text);
            emit(b, w);
        }
    }
}

int rl_report_csv(rl_buf *b, const rl_result *r, rl_err *err)
{
    row w; /* about 9 KiB: one row at a time */
    for (int c = 0; c < C_COUNT; c++) {
        if (c > 0)
            rl_buf_append(b, ",", 1);
        rl_buf_printf(b, "%s", header[c]);
    }
    rl_buf_append(b, "\n", 1);
    meta_rows(b, &w, r);
    measured_rows(b, &w, r);
    theory_rows(b, &w, r);
    device_rows(b, &w, r);
    gpu_fleet_rows(b, &w, r);
    latency_rows(b, &w, r);
    rl_buf lines = {0};
    rl_view_warnings(r, &lines);
    for (char *line = lines.data; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char text[520];
        snprintf(text, sizeof text, "%.*s", (int)len, line);
        text_row(b, &w, "warning", "", text);
        line = nl ? nl + 1 : line + len;
    }
    int failed = lines.failed;
    rl_buf_free(&lines);
    if (b->failed || failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing CSV");
    return 0;
}
