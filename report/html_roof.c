/* html_roof.c: a roofline as chart elements (see html_roof.h). */
#include "report/html_roof.h"

#include <stdio.h>
#include <string.h>

#include "report/view.h"

/* What one drawing needs, whichever device it came from. */
typedef struct roof_src {
    const rl_view_roof *roof;
    const double *tpeak; /* per compute entry: its theoretical figure, <0 unknown */
    double tdram;        /* <0 unknown */
    const char *per;     /* "thread" (CPU) or "SMs" */
    int group;
    const char *machine, *extra;
    int with_theory;
} roof_src;

/* FLOP/byte charts carry floating-point peaks only: not integer ops, not FMA+ADD mixes. */
static int charted(const rl_view_compute *k)
{
    return strcmp(k->unit, "GFLOP/s") == 0 && !strchr(k->isa, '+') && k->gflops > 0;
}

static void tags(char *out, size_t size, const roof_src *s, const char *more)
{
    if (s->machine)
        snprintf(out, size, "machine:%s %s", s->machine, more);
    else
        snprintf(out, size, "%s", more);
}

static void cls(char *out, size_t size, char kind, size_t i, const roof_src *s)
{
    snprintf(out, size, "%c%zu%s%s", kind, i % 8, s->extra ? " " : "", s->extra ? s->extra : "");
}

static const char *prefix(const roof_src *s, char *out, size_t size)
{
    if (s->machine)
        snprintf(out, size, "%s ", s->machine);
    else
        out[0] = '\0';
    return out;
}

static void build(rl_hchart *c, const roof_src *s)
{
    const rl_view_roof *roof = s->roof;
    char a[32], t[32], e[32], more[128], pre[32];
    prefix(s, pre, sizeof pre);
    /* Per precision, the top measured ceiling: it gets the theoretical line and the ridges. */
    size_t top[16], ntop = 0;
    for (size_t i = 0; i < roof->n_compute; i++) {
        const rl_view_compute *k = &roof->compute[i];
        if (!charted(k))
            continue;
        size_t j;
        for (j = 0; j < ntop; j++)
            if (!strcmp(roof->compute[top[j]].precision, k->precision))
                break;
        if (j == ntop && ntop < sizeof top / sizeof top[0])
            top[ntop++] = i;
        else if (j < ntop && k->gflops > roof->compute[top[j]].gflops)
            top[j] = i;
    }
    for (size_t i = 0; i < roof->n_compute; i++) {
        const rl_view_compute *k = &roof->compute[i];
        if (!charted(k))
            continue;
        rl_hc_roof *r = rl_hchart_roof(c);
        if (!r)
            return;
        r->group = s->group;
        r->value = k->gflops;
        cls(r->cls, sizeof r->cls, 'c', i, s);
        /* A hybrid CPU's ceiling of one core type: named in the label, the text and a tag. */
        char core[40] = "", ctag[48] = "";
        if (k->core_type[0]) {
            snprintf(core, sizeof core, " %s", k->core_type);
            snprintf(ctag, sizeof ctag, " core:%s", k->core_type);
            for (char *p = ctag + 1; *p; p++)
                if (*p == ' ')
                    *p = '-';
        }
        snprintf(more, sizeof more, "precision:%s isa:%s kind:measured%s", k->precision, k->isa,
                 ctag);
        tags(r->tags, sizeof r->tags, s, more);
        snprintf(r->label, sizeof r->label, "%s%s %s%s: %s", pre, k->isa, k->precision, core,
                 rl_view_num(a, sizeof a, k->gflops, "?"));
        snprintf(r->tip, sizeof r->tip,
                 "%scompute ceiling, measured: %s %s on %d%s %s%s: %s GFLOP/s; theoretical %s "
                 "GFLOP/s (efficiency %s)",
                 pre, k->isa, k->precision, k->threads, core, s->per, k->threads == 1 ? "" : "s",
                 rl_view_num(a, sizeof a, k->gflops, "?"),
                 rl_view_num(t, sizeof t, s->tpeak[i], "unknown"),
                 rl_view_pct(e, sizeof e, s->tpeak[i] > 0 ? k->gflops / s->tpeak[i] : -1, "-"));
    }
    for (size_t j = 0; j < ntop; j++) {
        const rl_view_compute *k = &roof->compute[top[j]];
        double tp = s->tpeak[top[j]];
        if (!(tp > 0) || !s->with_theory)
            continue;
        rl_hc_roof *r = rl_hchart_roof(c);
        if (!r)
            return;
        r->group = s->group;
        r->theory = 1;
        r->value = tp;
        cls(r->cls, sizeof r->cls, 'c', top[j], s);
        snprintf(more, sizeof more, "precision:%s isa:%s kind:theory", k->precision, k->isa);
        tags(r->tags, sizeof r->tags, s, more);
        snprintf(r->tip, sizeof r->tip,
                 "%scompute ceiling, theoretical: %s %s on %d %s%s: %s GFLOP/s (FLOPs per cycle "
                 "x units x the clock measured under load)",
                 pre, k->isa, k->precision, k->threads, s->per, k->threads == 1 ? "" : "s",
                 rl_view_num(a, sizeof a, tp, "?"));
    }
    for (size_t i = 0; i < roof->n_memory; i++) {
        const rl_view_memory *m = &roof->memory[i];
        rl_hc_roof *r = rl_hchart_roof(c);
        if (!r)
            return;
        r->slanted = 1;
        r->group = s->group;
        r->value = m->gbs;
        cls(r->cls, sizeof r->cls, 'm', i, s);
        snprintf(more, sizeof more, "level:%s kind:measured", m->level);
        tags(r->tags, sizeof r->tags, s, more);
        snprintf(r->label, sizeof r->label, "%s%s: %s GB/s", pre, m->level,
                 rl_view_num(a, sizeof a, m->gbs, "?"));
        snprintf(r->tip, sizeof r->tip,
                 "%smemory ceiling, measured: %s %s on %d %s%s: %s GB/s (counted bytes)", pre,
                 m->level, m->kernel, m->threads, s->per, m->threads == 1 ? "" : "s",
                 rl_view_num(a, sizeof a, m->gbs, "?"));
    }
    if (s->tdram > 0 && s->with_theory) {
        rl_hc_roof *r = rl_hchart_roof(c);
        if (!r)
            return;
        r->slanted = 1;
        r->theory = 1;
        r->group = s->group;
        r->value = s->tdram;
        snprintf(r->cls, sizeof r->cls, "m7%s%s", s->extra ? " " : "", s->extra ? s->extra : "");
        tags(r->tags, sizeof r->tags, s, "level:DRAM kind:theory");
        snprintf(r->label, sizeof r->label, "%sDRAM theory: %s GB/s", pre,
                 rl_view_num(a, sizeof a, s->tdram, "?"));
        snprintf(r->tip, sizeof r->tip,
                 "%smemory ceiling, theoretical: DRAM %s GB/s (channels x transfer rate x bus "
                 "width)",
                 pre, rl_view_num(a, sizeof a, s->tdram, "?"));
    }
    /* Ridge points: each precision's top ceiling against DRAM (else the slowest level). */
    const rl_view_memory *slow = NULL;
    for (size_t i = 0; i < roof->n_memory; i++)
        if (!slow || !strcmp(roof->memory[i].level, "DRAM") ||
            (strcmp(slow->level, "DRAM") != 0 && roof->memory[i].gbs < slow->gbs))
            slow = &roof->memory[i];
    for (size_t j = 0; j < ntop; j++) {
        const rl_view_compute *k = &roof->compute[top[j]];
        double tp = s->tpeak[top[j]];
        if (slow) {
            rl_hc_point *p = rl_hchart_point(c);
            if (!p)
                return;
            p->x = k->gflops / slow->gbs;
            p->y = k->gflops;
            cls(p->cls, sizeof p->cls, 'c', top[j], s);
            snprintf(more, sizeof more, "precision:%s isa:%s kind:measured", k->precision, k->isa);
            tags(p->tags, sizeof p->tags, s, more);
            snprintf(p->label, sizeof p->label, "%sI_max %s", pre,
                     rl_view_num(a, sizeof a, p->x, "?"));
            snprintf(p->tip, sizeof p->tip,
                     "%sridge point, measured: %s %s %s GFLOP/s over %s %s GB/s: I_max %s "
                     "FLOP/byte (below it a kernel is bound by %s)",
                     pre, k->isa, k->precision, rl_view_num(a, sizeof a, k->gflops, "?"),
                     slow->level, rl_view_num(t, sizeof t, slow->gbs, "?"),
                     rl_view_num(e, sizeof e, p->x, "?"), slow->level);
        }
        if (s->tdram > 0 && tp > 0 && s->with_theory) {
            rl_hc_point *p = rl_hchart_point(c);
            if (!p)
                return;
            p->x = tp / s->tdram;
            p->y = tp;
            p->hollow = 1;
            cls(p->cls, sizeof p->cls, 'c', top[j], s);
            snprintf(more, sizeof more, "precision:%s isa:%s kind:theory", k->precision, k->isa);
            tags(p->tags, sizeof p->tags, s, more);
            snprintf(p->tip, sizeof p->tip,
                     "%sridge point, theoretical: %s %s %s GFLOP/s over DRAM %s GB/s: I_max %s "
                     "FLOP/byte",
                     pre, k->isa, k->precision, rl_view_num(a, sizeof a, tp, "?"),
                     rl_view_num(t, sizeof t, s->tdram, "?"), rl_view_num(e, sizeof e, p->x, "?"));
        }
    }
}

int rl_html_has_cpu(const rl_result *r)
{
    return r->n_flops > 0 || r->n_bandwidth > 0 || r->n_devices == 0;
}

/* A probe has no measurement: its chart shows the theoretical peaks (the widest ISA per
 * precision at the most threads) as the ceilings, dashed. */
static void theory_only(rl_hchart *c, const rl_result *r, const roof_src *s)
{
    char a[32], pre[32], more[128];
    prefix(s, pre, sizeof pre);
    for (size_t i = 0; i < r->theory.n_peak; i++) {
        const rl_peak *p = &r->theory.peak[i];
        double v = p->gflops_at_measured_clock > 0 ? p->gflops_at_measured_clock
                                                   : p->gflops_at_nominal_clock;
        if (!(v > 0) || !strcmp(p->precision, "int8") || strchr(p->isa, '+'))
            continue;
        int best = 1;
        for (size_t j = 0; j < r->theory.n_peak && best; j++) {
            const rl_peak *q = &r->theory.peak[j];
            double w = q->gflops_at_measured_clock > 0 ? q->gflops_at_measured_clock
                                                       : q->gflops_at_nominal_clock;
            if (j != i && !strcmp(q->precision, p->precision) && !strchr(q->isa, '+') &&
                (w > v || (w == v && j < i)))
                best = 0;
        }
        if (!best)
            continue;
        rl_hc_roof *e = rl_hchart_roof(c);
        if (!e)
            return;
        e->group = s->group;
        e->theory = 1;
        e->value = v;
        snprintf(e->cls, sizeof e->cls, "c%zu", c->n_roofs % 8);
        snprintf(more, sizeof more, "precision:%s isa:%s kind:theory", p->precision, p->isa);
        tags(e->tags, sizeof e->tags, s, more);
        snprintf(e->label, sizeof e->label, "%s%s %s theory: %s", pre, p->isa, p->precision,
                 rl_view_num(a, sizeof a, v, "?"));
        snprintf(e->tip, sizeof e->tip,
                 "%scompute ceiling, theoretical: %s %s on %d thread%s: %s GFLOP/s at the %s "
                 "clock",
                 pre, p->isa, p->precision, p->threads, p->threads == 1 ? "" : "s",
                 rl_view_num(a, sizeof a, v, "?"),
                 p->gflops_at_measured_clock > 0 ? "measured" : "nominal");
    }
}

void rl_html_roof_result(rl_hchart *c, const rl_result *r, int group, const char *machine,
                         const char *extra_cls, int with_theory)
{
    rl_view_roof roof;
    double tpeak[64];
    rl_view_roof_of(r, &roof);
    for (size_t i = 0; i < roof.n_compute; i++)
        tpeak[i] = roof.compute[i].theoretical;
    roof_src s = {&roof, tpeak,   r->theory.dram_gbs, "thread",
                  group, machine, extra_cls,          with_theory};
    if (roof.n_compute == 0 && with_theory)
        theory_only(c, r, &s);
    build(c, &s);
}

void rl_html_roof_device(rl_hchart *c, const rl_device *d, int group, const char *machine,
                         const char *extra_cls, int with_theory)
{
    rl_view_roof roof;
    double tpeak[64];
    rl_view_device_roof(d, &roof);
    for (size_t i = 0; i < roof.n_compute; i++)
        tpeak[i] = roof.compute[i].theoretical;
    roof_src s = {&roof, tpeak, d->dram_gbs, "SM", group, machine, extra_cls, with_theory};
    build(c, &s);
}
