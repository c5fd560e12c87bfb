/* machine.c: text rendering of the machine and its theoretical roofline (see machine.h). */
#include "report/machine.h"

#include <stdio.h>
#include <string.h>

static void size_str(uint64_t bytes, char *out, size_t n)
{
    if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
        snprintf(out, n, "%llu GiB", (unsigned long long)(bytes >> 30));
    else if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0)
        snprintf(out, n, "%llu MiB", (unsigned long long)(bytes >> 20));
    else if (bytes >= 1024)
        snprintf(out, n, "%llu KiB", (unsigned long long)(bytes >> 10));
    else
        snprintf(out, n, "%llu B", (unsigned long long)bytes);
}

static const char *plural(int n)
{
    return n == 1 ? "" : "s";
}

static void ghz_str(double g, char *out, size_t n)
{
    if (g > 0)
        snprintf(out, n, "%.3f GHz", g);
    else
        snprintf(out, n, "unknown");
}

static void num_str(double v, char *out, size_t n)
{
    if (v < 0)
        snprintf(out, n, "-");
    else if (v >= 100)
        snprintf(out, n, "%.0f", v);
    else
        snprintf(out, n, "%.1f", v);
}

static void machine_section(rl_buf *b, const rl_machine *m)
{
    rl_buf_printf(b, "Machine\n");
    rl_buf_printf(b, "  CPU         %s (%s, family 0x%x model 0x%x stepping %d)\n",
                  m->brand[0] ? m->brand : "unknown", m->vendor, (unsigned)m->family,
                  (unsigned)m->model, m->stepping);
    rl_buf_printf(b, "  uarch       %s (libcpuid codename: %s)\n", m->uarch,
                  m->codename[0] ? m->codename : "none");
    rl_buf_printf(b, "  ISA         %s\n", m->isa[0] ? m->isa : "(none beyond x87)");
    if (m->sve_bits > 0 || m->sme_bits > 0)
        rl_buf_printf(b, "  Vectors     SVE %d bits, SME %d bits (0: none)\n", m->sve_bits,
                      m->sme_bits);
    rl_buf_printf(b, "  CPU from    %s\n", m->cpu_source);
    rl_buf_printf(b, "  Topology    %d package%s, %d NUMA node%s, %d core%s, %d thread%s (%s)\n",
                  m->packages, plural(m->packages), m->numa_nodes, plural(m->numa_nodes), m->cores,
                  plural(m->cores), m->threads, plural(m->threads), m->topology_source);
    for (int i = 0; i < m->n_caches; i++) {
        const rl_cache *c = &m->caches[i];
        char sz[32], label[16];
        size_str(c->size_bytes, sz, sizeof sz);
        snprintf(label, sizeof label, "L%d%s", c->level,
                 strcmp(c->type, "data") == 0          ? "d"
                 : strcmp(c->type, "instruction") == 0 ? "i"
                                                       : "");
        rl_buf_printf(b, "  %-11s %s x %d, each shared by %d core%s\n", label, sz, c->instances,
                      c->cores_sharing, plural(c->cores_sharing));
    }
    if (m->n_core_kinds > 1)
        for (int i = 0; i < m->n_core_kinds; i++)
            rl_buf_printf(b, "  Core kind   %s: %d core%s (efficiency rank %d)\n",
                          m->core_kinds[i].name, m->core_kinds[i].cores,
                          plural(m->core_kinds[i].cores), m->core_kinds[i].efficiency);
    char meas[32], nom[32];
    ghz_str(m->measured_ghz, meas, sizeof meas);
    ghz_str(m->nominal_ghz, nom, sizeof nom);
    rl_buf_printf(b, "  Clock       %s (%s); nominal %s (%s)\n", meas, m->measured_source, nom,
                  m->nominal_source[0] ? m->nominal_source : "unknown");
    rl_report_isa_clocks(b, m);
}

void rl_report_isa_clocks(rl_buf *b, const rl_machine *m)
{
    if (m->n_per_isa == 0)
        return;
    rl_buf_printf(b, "  Under load ");
    for (int i = 0; i < m->n_per_isa; i++) {
        const rl_isa_clock *c = &m->per_isa[i];
        int first = 1; /* the family's first entry names it */
        for (int j = 0; j < i && first; j++)
            first = strcmp(m->per_isa[j].isa, c->isa) != 0;
        if (!first)
            continue;
        rl_buf_printf(b, "%s %s", i ? ";" : "", c->isa);
        for (int j = i; j < m->n_per_isa; j++) {
            const rl_isa_clock *e = &m->per_isa[j];
            if (strcmp(e->isa, c->isa) != 0)
                continue;
            rl_buf_printf(b, "%s %.3f GHz", j == i ? "" : ",", e->ghz);
            if (e->threads > 0)
                rl_buf_printf(b, " at %d thread%s", e->threads, plural(e->threads));
            if (strcmp(e->method, "--clock") == 0)
                rl_buf_printf(b, " (--clock)");
        }
    }
    rl_buf_printf(b, "\n");
    for (int i = 0; i < m->n_per_isa; i++)
        if (strcmp(m->per_isa[i].method, "--clock") != 0) {
            rl_buf_printf(b, "              measured: each ISA's vector work beside a dependent "
                             "add chain (scalar: the chain alone), on that many pinned cores\n");
            break;
        }
}

/* The distinct thread counts of the peaks, ascending. */
static size_t thread_counts(const rl_theory *t, int *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n_peak; i++) {
        if (t->peak[i].core_type[0])
            continue; /* a core type's own row: its own section */
        int th = t->peak[i].threads, seen = 0;
        for (size_t j = 0; j < n && !seen; j++)
            seen = out[j] == th;
        if (seen || n >= cap)
            continue;
        size_t k = n++;
        while (k > 0 && out[k - 1] > th) {
            out[k] = out[k - 1];
            k--;
        }
        out[k] = th;
    }
    return n;
}

/* The machine's peak (core_type "") or a core type's own, of f's ISA and precision; threads < 0:
 * any count. */
static const rl_peak *find_peak(const rl_theory *t, const rl_fpc *f, int threads,
                                const char *core_type)
{
    for (size_t i = 0; i < t->n_peak; i++)
        if ((threads < 0 || t->peak[i].threads == threads) &&
            strcmp(t->peak[i].core_type, core_type) == 0 && strcmp(t->peak[i].isa, f->isa) == 0 &&
            strcmp(t->peak[i].precision, f->precision) == 0)
            return &t->peak[i];
    return NULL;
}

/* A hybrid CPU's core types: each type's FLOPs/cycle/core and its own cores' peak. */
static void core_types_section(rl_buf *b, const rl_result *r, int at_measured)
{
    const rl_theory *t = &r->theory;
    rl_buf_printf(b, "  Per core type (each type's own cores alone; the rows above are the sum, "
                     "fastest cores first):\n");
    rl_buf_printf(b, "  %-18s %5s  %-14s %-5s %9s  %12s\n", "core type", "cores", "ISA", "prec",
                  "per cycle", "GFLOP/s");
    for (int k = 0; k < t->n_core_types; k++) {
        const rl_core_type_theory *ct = &t->core_types[k];
        char name[40], cores[16];
        snprintf(name, sizeof name, "%s (%s)", ct->name, ct->role);
        if (ct->cores >= 0)
            snprintf(cores, sizeof cores, "%d", ct->cores);
        else
            snprintf(cores, sizeof cores, "?");
        for (size_t i = 0; i < t->n_fpc; i++) {
            const rl_fpc *f = &t->fpc[i];
            if (strcmp(f->core_type, ct->name) != 0 || f->is_mix)
                continue;
            const rl_peak *p = find_peak(t, f, -1, ct->name);
            char a[24];
            num_str(p ? (at_measured ? p->gflops_at_measured_clock : p->gflops_at_nominal_clock)
                      : -1,
                    a, sizeof a);
            rl_buf_printf(b, "  %-18s %5s  %-14s %-5s %6.0f %-2s  %12s\n", name, cores, f->isa,
                          f->precision, f->per_core, strcmp(f->unit, "OP") == 0 ? "OP" : "", a);
        }
    }
}

static void theory_section(rl_buf *b, const rl_result *r)
{
    const rl_theory *t = &r->theory;
    const rl_machine *m = &r->machine;
    int tc[8];
    size_t ntc = thread_counts(t, tc, 8);
    int at_measured = m->measured_ghz > 0 || m->n_per_isa > 0;
    rl_buf_printf(b, "\nTheoretical peak (cores x clock x FLOPs/cycle/core), G%s/s at the %s clock",
                  "FLOP", at_measured ? "measured" : "nominal");
    if (m->n_per_isa > 0)
        rl_buf_printf(b, " (under each ISA's load where known)");
    if (at_measured && m->nominal_ghz > 0)
        rl_buf_printf(b, " (nominal in brackets)");
    if (t->n_core_types > 1)
        rl_buf_printf(b,
                      "\n  (hybrid: per cycle is the %s P-core's; the peaks sum every core type)",
                      t->core_types[0].name);
    rl_buf_printf(b, "\n  %-14s %-5s %9s", "ISA", "prec", "per cycle");
    for (size_t k = 0; k < ntc; k++) {
        char h[32];
        snprintf(h, sizeof h, "%d core%s", tc[k], plural(tc[k]));
        rl_buf_printf(b, "  %18s", h);
    }
    rl_buf_printf(b, "\n");
    /* Hybrid CPUs: the machine's rows once (the first type's, P), per cycle the P-core's */
    const char *first_type = t->n_core_types > 0 ? t->core_types[0].name : "";
    for (size_t i = 0; i < t->n_fpc; i++) {
        const rl_fpc *f = &t->fpc[i];
        if (strcmp(f->core_type, first_type) != 0)
            continue;
        rl_buf_printf(b, "  %-14s %-5s %6.0f %-2s", f->isa, f->precision, f->per_core,
                      strcmp(f->unit, "OP") == 0 ? "OP" : "");
        for (size_t k = 0; k < ntc; k++) {
            const rl_peak *p = find_peak(t, f, tc[k], "");
            char a[24], n[24], cell[64];
            num_str(p ? (at_measured ? p->gflops_at_measured_clock : p->gflops_at_nominal_clock)
                      : -1,
                    a, sizeof a);
            num_str(p ? p->gflops_at_nominal_clock : -1, n, sizeof n);
            if (at_measured && m->nominal_ghz > 0)
                snprintf(cell, sizeof cell, "%s (%s)", a, n);
            else
                snprintf(cell, sizeof cell, "%s", a);
            rl_buf_printf(b, "  %18s", cell);
        }
        rl_buf_printf(b, "%s\n",
                      f->is_mix ? "  mix: FMAs beside separate adds, not the ISA peak" : "");
    }
    if (t->n_core_types > 1)
        core_types_section(b, r, at_measured);
    if (!at_measured && m->nominal_ghz <= 0)
        rl_buf_printf(b, "  (no clock known: give --clock GHZ for GFLOP/s figures)\n");
    rl_buf_printf(b, "  FLOPs/cycle: %s\n", t->uarch_note);

    rl_buf_printf(b, "\nDRAM\n");
    if (t->dram_gbs > 0)
        rl_buf_printf(b, "  Bandwidth   %.1f GB/s = %d channel%s x %.0f MT/s x %d bit (%s)\n",
                      t->dram_gbs, t->mem_channels, plural(t->mem_channels), t->mem_mts,
                      t->mem_bus_bits, t->dram_source);
    else
        rl_buf_printf(b, "  Bandwidth   unknown (give --mem-channels N --mem-mts N)\n");
    const rl_platform_dram *pd = &t->platform;
    if (pd->gbs_per_socket > 0)
        rl_buf_printf(
            b,
            "  Platform    %.1f GB/s per socket = %d channels x %.0f MT/s x 64 bit (%s, %s); "
            "%s\n",
            pd->gbs_per_socket, pd->channels, pd->mts, pd->platform, pd->memory, pd->note);
    for (size_t i = 0; i < t->n_ridge; i++) {
        const rl_ridge *e = &t->ridge[i];
        rl_buf_printf(b,
                      "  Ridge %-5s I_max = %.2f %s/byte (%s, %d core%s: %.1f G%s/s / %.1f GB/s)\n",
                      e->precision, e->imax, strcmp(e->precision, "int8") == 0 ? "OP" : "FLOP",
                      e->isa, e->threads, plural(e->threads), e->peak_gflops,
                      strcmp(e->precision, "int8") == 0 ? "OP" : "FLOP", e->gbs);
    }
    if (t->n_ridge == 0)
        rl_buf_printf(b, "  Ridge       unknown (needs both a clock and the DRAM bandwidth)\n");
}

void rl_report_machine(rl_buf *b, const rl_result *r)
{
    machine_section(b, &r->machine);
    theory_section(b, r);
    if (r->n_warnings > 0) {
        rl_buf_printf(b, "\nNotes\n");
        for (size_t i = 0; i < r->n_warnings; i++)
            rl_buf_printf(b, "  - %s\n", r->warnings[i]);
    }
}
