/* svg.c: the roofline chart (see svg.h). */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/view.h"

/* Canvas and plot area, in SVG user units (pixels at 100%). */
#define W        960.0
#define H        600.0
#define PX0      80.0
#define PX1      690.0
#define PY0      72.0
#define PY1      530.0
#define LEGEND_X 710.0

static const char *const compute_colors[] = {"#d62728", "#ff7f0e", "#9467bd", "#8c564b",
                                             "#e377c2", "#bcbd22", "#7b4173", "#ad494a"};
static const char *const memory_colors[] = {"#1f77b4", "#17becf", "#2ca02c", "#393b79",
                                            "#637939", "#5254a3", "#6b6ecf", "#3182bd"};
#define NCOLORS 8

typedef struct chart {
    double lx0, lx1, ly0, ly1; /* log10 of the axis ranges */
} chart;

/* What a chart plots: the time roofline (GFLOP/s against FLOP/byte) or the energy roofline of a
 * device whose rows NVML sampled (GFLOP/J: each ceiling's rate over its average power). A chart
 * drawn beside another is a group inside the caller's <svg>, with its own clip path. */
typedef struct chart_kind {
    const char *perf, *bw; /* "GFLOP/s" "GB/s", or "GFLOP/J" "GB/J" */
    const char *ylabel;
    const char *clip; /* the clip path's id */
    int standalone;   /* 1: the whole document; 0: a <g> of one */
    int theory;       /* 1: dashed theoretical lines in the legend (none in energy) */
} chart_kind;

static const chart_kind TIME_CHART = {"GFLOP/s", "GB/s", "Performance (GFLOP/s)", "plot", 1, 1};

static double px(const chart *c, double x)
{
    return PX0 + (log10(x) - c->lx0) / (c->lx1 - c->lx0) * (PX1 - PX0);
}

static double py(const chart *c, double y)
{
    return PY1 - (log10(y) - c->ly0) / (c->ly1 - c->ly0) * (PY1 - PY0);
}

static void text(rl_buf *b, double x, double y, const char *anchor, const char *attrs,
                 const char *s)
{
    rl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
                  attrs[0] ? " " : "", attrs);
    rl_buf_xml_escape(b, s);
    rl_buf_printf(b, "</text>\n");
}

/* A label on a white box, so that lines passing under it do not cross the words. The width is an
 * estimate for an 11 px sans-serif font (no font metrics without a renderer). */
static void boxed(rl_buf *b, double x, double y, const char *anchor, const char *attrs,
                  const char *s)
{
    double w = 6.2 * (double)strlen(s) + 4;
    double x0 = strcmp(anchor, "end") == 0 ? x - w + 2 : x - 2;
    rl_buf_printf(b,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"#ffffff\" "
                  "fill-opacity=\"0.85\" stroke=\"none\"/>\n",
                  x0, y - 10.5, w);
    text(b, x, y, anchor, attrs, s);
}

/* Only ceilings of floating-point peaks go on a FLOP/byte chart: FMA+ADD mixes are not an ISA's
 * peak and integer ops are not FLOPs. */
static int charted(const rl_view_compute *c)
{
    return strcmp(c->unit, "GFLOP/s") == 0 && !strchr(c->isa, '+') && c->gflops > 0;
}

static void axis_label(char *out, size_t size, int decade)
{
    if (decade >= -3 && decade <= 5)
        snprintf(out, size, "%g", pow(10, decade));
    else
        snprintf(out, size, "1e%d", decade);
}

static void axes(rl_buf *b, const chart *c, const chart_kind *kind)
{
    char s[32];
    rl_buf_printf(b, "<g stroke=\"#e4e4e4\" stroke-width=\"1\">\n");
    for (int d = (int)c->lx0; d < (int)c->lx1; d++)
        for (int k = 2; k <= 9; k++) {
            double x = px(c, k * pow(10, d));
            rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x, PY0, x,
                          PY1);
        }
    for (int d = (int)c->ly0; d < (int)c->ly1; d++)
        for (int k = 2; k <= 9; k++) {
            double y = py(c, k * pow(10, d));
            rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", PX0, y,
                          PX1, y);
        }
    rl_buf_printf(b, "</g>\n<g stroke=\"#bdbdbd\" stroke-width=\"1\">\n");
    for (int d = (int)c->lx0; d <= (int)c->lx1; d++) {
        double x = px(c, pow(10, d));
        rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x, PY0, x,
                      PY1);
    }
    for (int d = (int)c->ly0; d <= (int)c->ly1; d++) {
        double y = py(c, pow(10, d));
        rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", PX0, y, PX1,
                      y);
    }
    rl_buf_printf(b, "</g>\n");
    rl_buf_printf(b,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                  "stroke=\"#333\" stroke-width=\"1\"/>\n",
                  PX0, PY0, PX1 - PX0, PY1 - PY0);
    rl_buf_printf(b, "<g font-size=\"12\" fill=\"#333\">\n");
    for (int d = (int)c->lx0; d <= (int)c->lx1; d++) {
        axis_label(s, sizeof s, d);
        text(b, px(c, pow(10, d)), PY1 + 18, "middle", "", s);
    }
    for (int d = (int)c->ly0; d <= (int)c->ly1; d++) {
        axis_label(s, sizeof s, d);
        text(b, PX0 - 6, py(c, pow(10, d)) + 4, "end", "", s);
    }
    rl_buf_printf(b, "</g>\n");
    text(b, (PX0 + PX1) / 2, PY1 + 42, "middle", "font-size=\"14\" fill=\"#111\"",
         "Arithmetic intensity (FLOP/byte)");
    rl_buf_printf(b,
                  "<text x=\"0\" y=\"0\" text-anchor=\"middle\" font-size=\"14\" fill=\"#111\" "
                  "transform=\"translate(24 %.1f) rotate(-90)\">%s</text>\n",
                  (PY0 + PY1) / 2, kind->ylabel);
}

/* Picks decade-aligned ranges that show every ceiling and ridge point with room around them. */
static void ranges(chart *c, const rl_view_roof *roof, double theory_dram, const double *tpeak,
                   size_t ntpeak)
{
    double pmin = INFINITY, pmax = 0, bmin = INFINITY, bmax = 0;
    for (size_t i = 0; i < roof->n_compute; i++)
        if (charted(&roof->compute[i])) {
            pmin = fmin(pmin, roof->compute[i].gflops);
            pmax = fmax(pmax, roof->compute[i].gflops);
        }
    for (size_t i = 0; i < ntpeak; i++)
        pmax = fmax(pmax, tpeak[i]);
    for (size_t i = 0; i < roof->n_memory; i++) {
        bmin = fmin(bmin, roof->memory[i].gbs);
        bmax = fmax(bmax, roof->memory[i].gbs);
    }
    if (theory_dram > 0) {
        bmin = fmin(bmin, theory_dram);
        bmax = fmax(bmax, theory_dram);
    }
    if (!(pmax > 0)) { /* no compute ceiling: place the memory lines against a nominal scale */
        pmin = bmax > 0 ? bmax : 10;
        pmax = pmin;
    }
    if (!(bmax > 0)) {
        bmin = pmin;
        bmax = pmin;
    }
    double rmin = pmin / bmax, rmax = pmax / bmin;
    /* Two decades right of the last ridge point leave room for the ceilings' labels. */
    c->lx0 = floor(log10(rmin));
    c->lx1 = ceil(log10(rmax)) + 2;
    if (c->lx1 - c->lx0 < 4)
        c->lx0 = c->lx1 - 4;
    c->ly1 = ceil(log10(pmax * 1.6));
    c->ly0 = floor(log10(pmin)) - 1;
    if (c->ly1 - c->ly0 > 6)
        c->ly0 = c->ly1 - 6;
    if (c->ly1 - c->ly0 < 3)
        c->ly0 = c->ly1 - 3;
}

/* Label positions of the horizontal ceilings, pushed apart so that none overlap. */
static void spread_labels(double *y, size_t n, double gap)
{
    for (int pass = 0; pass < 8; pass++)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (i != j && y[i] <= y[j] && y[j] - y[i] < gap)
                    y[i] = y[j] - gap;
}

/* The chart of one device's roofline: `roofp` its measured ceilings, `tdram` its theoretical memory
 * bandwidth (<0 unknown), `per` the word for what a ceiling ran on ("thr" for CPU threads; NULL
 * when every ceiling ran on the whole device, as a GPU's do). */
static int draw(rl_buf *b, const rl_view_roof *roofp, double tdram, const char *title,
                const char *subtitle, const char *per, const chart_kind *kind, rl_err *err)
{
    const rl_view_roof roof = *roofp;
    chart c;
    char s[256], a[32], d[32];

    /* Per precision, the top measured ceiling: it gets the dashed theoretical line and the ridge.
     */
    size_t top[16], ntop = 0;
    for (size_t i = 0; i < roof.n_compute; i++) {
        const rl_view_compute *k = &roof.compute[i];
        if (!charted(k))
            continue;
        size_t j;
        for (j = 0; j < ntop; j++)
            if (strcmp(roof.compute[top[j]].precision, k->precision) == 0)
                break;
        if (j == ntop && ntop < sizeof top / sizeof top[0])
            top[ntop++] = i;
        else if (j < ntop && k->gflops > roof.compute[top[j]].gflops)
            top[j] = i;
    }
    double tpeak[16];
    for (size_t j = 0; j < ntop; j++)
        tpeak[j] = roof.compute[top[j]].theoretical;
    ranges(&c, &roof, tdram, tpeak, ntop);
    double xmin = pow(10, c.lx0), xmax = pow(10, c.lx1);
    double pmax = 0, tmax = 0, bmax = 0;
    for (size_t i = 0; i < roof.n_compute; i++)
        if (charted(&roof.compute[i]))
            pmax = fmax(pmax, roof.compute[i].gflops);
    for (size_t j = 0; j < ntop; j++)
        tmax = fmax(tmax, tpeak[j]);
    tmax = fmax(tmax, pmax);
    for (size_t i = 0; i < roof.n_memory; i++)
        bmax = fmax(bmax, roof.memory[i].gbs);

    if (kind->standalone) {
        rl_buf_printf(b,
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                      "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n",
                      W, H, W, H);
        rl_buf_printf(b, "<title>");
        rl_buf_xml_escape(b, title);
        rl_buf_printf(b, "</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
    }
    rl_buf_printf(b,
                  "<defs><clipPath id=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  "height=\"%.1f\"/></clipPath></defs>\n",
                  kind->clip, PX0, PY0, PX1 - PX0, PY1 - PY0);
    text(b, PX0, 30, "start", "font-size=\"17\" font-weight=\"bold\" fill=\"#111\"", title);
    text(b, PX0, 52, "start", "font-size=\"12\" fill=\"#444\"", subtitle);

    axes(b, &c, kind);

    rl_buf_printf(b, "<g clip-path=\"url(#%s)\" fill=\"none\" stroke-width=\"2.2\">\n", kind->clip);
    /* Slanted memory ceilings: from the left edge up to the highest compute ceiling. */
    for (size_t i = 0; i < roof.n_memory; i++) {
        double bw = roof.memory[i].gbs, xe = pmax > 0 ? pmax / bw : xmax;
        rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                      px(&c, xmin), py(&c, bw * xmin), px(&c, xe), py(&c, bw * xe),
                      memory_colors[i % NCOLORS]);
    }
    if (tdram > 0) {
        double xe = tmax > 0 ? tmax / tdram : xmax;
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
                      "stroke-dasharray=\"7 5\" stroke-width=\"1.6\"/>\n",
                      px(&c, xmin), py(&c, tdram * xmin), px(&c, xe), py(&c, tdram * xe));
    }
    /* Horizontal compute ceilings: from the highest bandwidth line to the right edge. */
    for (size_t i = 0; i < roof.n_compute; i++) {
        const rl_view_compute *k = &roof.compute[i];
        if (!charted(k))
            continue;
        double xs = bmax > 0 ? k->gflops / bmax : xmin;
        rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                      px(&c, xs), py(&c, k->gflops), PX1, py(&c, k->gflops),
                      compute_colors[i % NCOLORS]);
    }
    for (size_t j = 0; j < ntop; j++) {
        const rl_view_compute *k = &roof.compute[top[j]];
        if (!(k->theoretical > 0))
            continue;
        double xs = bmax > 0 ? k->theoretical / bmax : xmin;
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                      "stroke-dasharray=\"7 5\" stroke-width=\"1.6\"/>\n",
                      px(&c, xs), py(&c, k->theoretical), PX1, py(&c, k->theoretical),
                      compute_colors[top[j] % NCOLORS]);
    }
    rl_buf_printf(b, "</g>\n");

    /* Ridge points: each precision's top ceiling against DRAM (or the slowest level measured). */
    const rl_view_memory *slow = NULL;
    for (size_t i = 0; i < roof.n_memory; i++)
        if (!slow || strcmp(roof.memory[i].level, "DRAM") == 0 ||
            (strcmp(slow->level, "DRAM") != 0 && roof.memory[i].gbs < slow->gbs))
            slow = &roof.memory[i];
    rl_buf_printf(b, "<g font-size=\"11\" paint-order=\"stroke\" stroke=\"#ffffff\" "
                     "stroke-width=\"4\" stroke-linejoin=\"round\">\n");
    for (size_t j = 0; j < ntop; j++) {
        const rl_view_compute *k = &roof.compute[top[j]];
        const char *color = compute_colors[top[j] % NCOLORS];
        if (slow) {
            double x = k->gflops / slow->gbs;
            rl_buf_printf(b,
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"#111\" "
                          "stroke-width=\"1\"/>\n",
                          px(&c, x), py(&c, k->gflops), color);
            snprintf(s, sizeof s, "I_max %s (%s)", rl_view_num(a, sizeof a, x, "?"), k->precision);
            boxed(b, px(&c, x) + 8, py(&c, k->gflops) + 15, "start", "fill=\"#111\"", s);
        }
        if (tdram > 0 && k->theoretical > 0) {
            double x = k->theoretical / tdram;
            rl_buf_printf(b,
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#ffffff\" "
                          "stroke=\"%s\" stroke-width=\"2\"/>\n",
                          px(&c, x), py(&c, k->theoretical), color);
            snprintf(s, sizeof s, "%s (theoretical)", rl_view_num(a, sizeof a, x, "?"));
            boxed(b, px(&c, x) - 8, py(&c, k->theoretical) - 7, "end", "fill=\"#444\"", s);
        }
    }
    rl_buf_printf(b, "</g>\n");

    /* Labels on the lines. Horizontal ones at the right end, kept apart. */
    double ly[64];
    size_t nl = 0;
    for (size_t i = 0; i < roof.n_compute && nl < 64; i++)
        if (charted(&roof.compute[i]))
            ly[nl++] = py(&c, roof.compute[i].gflops) - 5;
    spread_labels(ly, nl, 13);
    /* A white halo keeps labels readable where they cross a line. */
    rl_buf_printf(b, "<g font-size=\"11\" paint-order=\"stroke\" stroke=\"#ffffff\" "
                     "stroke-width=\"4\" stroke-linejoin=\"round\">\n");
    nl = 0;
    for (size_t i = 0; i < roof.n_compute && nl < 64; i++) {
        const rl_view_compute *k = &roof.compute[i];
        if (!charted(k))
            continue;
        snprintf(s, sizeof s, "%s %s%s%s: %s", k->isa, k->precision, k->core_type[0] ? " " : "",
                 k->core_type, rl_view_num(a, sizeof a, k->gflops, "?"));
        boxed(b, PX1 - 4, ly[nl++], "end", "", s);
        (void)d;
    }
    /* Slanted ones a little right of where the line enters the plot, along the line. */
    double angle =
        -atan2((PY1 - PY0) / (c.ly1 - c.ly0), (PX1 - PX0) / (c.lx1 - c.lx0)) * 180 / M_PI;
    for (size_t i = 0; i < roof.n_memory; i++) {
        double bw = roof.memory[i].gbs;
        /* Staggered along the lines so that close levels do not stack their labels, and ending
         * a decade before the line meets the top ceiling. */
        double entry = fmax(xmin, pow(10, c.ly0) / bw);
        double xe = pmax > 0 ? pmax / bw : xmax;
        double xa = fmin(entry * pow(10, 0.2 + 0.4 * (double)i), xe / pow(10, 1.0));
        xa = fmax(xa, entry);
        snprintf(s, sizeof s, "%s: %s %s", roof.memory[i].level, rl_view_num(a, sizeof a, bw, "?"),
                 kind->bw);
        rl_buf_printf(b,
                      "<text x=\"0\" y=\"14\" fill=\"%s\" transform=\"translate(%.1f %.1f) "
                      "rotate(%.2f)\">",
                      memory_colors[i % NCOLORS], px(&c, xa), py(&c, bw * xa), angle);
        rl_buf_xml_escape(b, s);
        rl_buf_printf(b, "</text>\n");
    }
    rl_buf_printf(b, "</g>\n");

    /* Legend. */
    double y = PY0 + 4;
    rl_buf_printf(b, "<g font-size=\"11\" fill=\"#222\">\n");
    text(b, LEGEND_X, y, "start", "font-weight=\"bold\"", "Compute (measured, best)");
    y += 16;
    int skipped = 0;
    for (size_t i = 0; i < roof.n_compute; i++) {
        const rl_view_compute *k = &roof.compute[i];
        if (!charted(k)) {
            skipped = 1;
            continue;
        }
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                      "stroke-width=\"2.2\"/>\n",
                      LEGEND_X, y - 4, LEGEND_X + 22, y - 4, compute_colors[i % NCOLORS]);
        if (per && k->core_type[0])
            snprintf(s, sizeof s, "%s %s, %d %s %s: %s %s", k->isa, k->precision, k->threads,
                     k->core_type, per, rl_view_num(a, sizeof a, k->gflops, "?"), kind->perf);
        else if (per)
            snprintf(s, sizeof s, "%s %s, %d %s: %s %s", k->isa, k->precision, k->threads, per,
                     rl_view_num(a, sizeof a, k->gflops, "?"), kind->perf);
        else
            snprintf(s, sizeof s, "%s %s: %s %s", k->isa, k->precision,
                     rl_view_num(a, sizeof a, k->gflops, "?"), kind->perf);
        text(b, LEGEND_X + 28, y, "start", "", s);
        y += 15;
    }
    y += 6;
    text(b, LEGEND_X, y, "start", "font-weight=\"bold\"", "Memory (measured, counted)");
    y += 16;
    for (size_t i = 0; i < roof.n_memory; i++) {
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                      "stroke-width=\"2.2\"/>\n",
                      LEGEND_X, y - 4, LEGEND_X + 22, y - 4, memory_colors[i % NCOLORS]);
        if (per)
            snprintf(s, sizeof s, "%s %s, %d %s: %s %s", roof.memory[i].level,
                     roof.memory[i].kernel, roof.memory[i].threads, per,
                     rl_view_num(a, sizeof a, roof.memory[i].gbs, "?"), kind->bw);
        else
            snprintf(s, sizeof s, "%s %s: %s %s", roof.memory[i].level, roof.memory[i].kernel,
                     rl_view_num(a, sizeof a, roof.memory[i].gbs, "?"), kind->bw);
        text(b, LEGEND_X + 28, y, "start", "", s);
        y += 15;
    }
    y += 6;
    if (kind->theory) {
        text(b, LEGEND_X, y, "start", "font-weight=\"bold\"", "Theoretical");
        y += 16;
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
                      "stroke-dasharray=\"7 5\" stroke-width=\"1.6\"/>\n",
                      LEGEND_X, y - 4, LEGEND_X + 22, y - 4);
        text(b, LEGEND_X + 28, y, "start", "", "dashed: peak at measured clock");
        y += 15;
        if (tdram > 0)
            snprintf(s, sizeof s, "DRAM: %s GB/s", rl_view_num(a, sizeof a, tdram, "?"));
        else
            snprintf(s, sizeof s, "DRAM: unknown");
        text(b, LEGEND_X + 28, y, "start", "", s);
        y += 21;
    }
    text(b, LEGEND_X, y, "start", "font-weight=\"bold\"", "Ridge points I_max");
    y += 16;
    rl_buf_printf(b,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#888\" stroke=\"#111\"/>\n"
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#fff\" stroke=\"#888\" "
                  "stroke-width=\"2\"/>\n",
                  LEGEND_X + 6, y - 4, LEGEND_X + 6, y + 11);
    text(b, LEGEND_X + 28, y, "start", "", "measured (peak / DRAM)");
    text(b, LEGEND_X + 28, y + 15, "start", "", "theoretical");
    y += 36;
    if (skipped)
        text(b, LEGEND_X, y, "start", "fill=\"#666\"", "int8 GOP/s and FMA+ADD mixes: see tables");
    if (roof.n_compute == 0 && roof.n_memory == 0)
        text(b, (PX0 + PX1) / 2, (PY0 + PY1) / 2, "middle", "font-size=\"16\" fill=\"#888\"",
             "no measurements in this result");
    rl_buf_printf(b, kind->standalone ? "</g>\n</svg>\n" : "</g>\n");
    if (b->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing the SVG");
    return 0;
}

int rl_report_svg(rl_buf *b, const rl_result *r, rl_err *err)
{
    rl_view_roof roof;
    char name[160], title[256], subtitle[256], a[32];
    rl_view_roof_of(r, &roof);
    rl_view_machine_name(r, name, sizeof name);
    snprintf(title, sizeof title, "Roofline: %s", name);
    snprintf(subtitle, sizeof subtitle,
             "%d cores, %d threads, %d socket%s; clock %s GHz measured; roofline %s, %s%s",
             r->machine.cores, r->machine.threads, r->machine.packages,
             r->machine.packages == 1 ? "" : "s",
             rl_view_num(a, sizeof a, r->machine.measured_ghz, "unknown"), r->meta.tool_version,
             r->meta.date, r->meta.partial ? " (PARTIAL)" : "");
    return draw(b, &roof, r->theory.dram_gbs, title, subtitle, "thr", &TIME_CHART, err);
}

int rl_report_svg_device(rl_buf *b, const rl_result *r, size_t dev, rl_err *err)
{
    if (dev >= r->n_devices)
        return rl_err_set(err, RL_EXIT_RUNTIME, "no device %zu in this result", dev);
    const rl_device *d = &r->devices[dev];
    rl_view_roof roof;
    char title[256], subtitle[256], a[32], m[32];
    rl_view_device_roof(d, &roof);
    snprintf(title, sizeof title, "Roofline: %s (%s, %s)", d->name, d->id, d->arch);
    snprintf(subtitle, sizeof subtitle,
             "%d SMs; SM clock %s GHz measured (peak %s); roofline %s, %s%s", d->units,
             rl_view_num(a, sizeof a, d->measured_clock_ghz, "unknown"),
             rl_view_num(m, sizeof m, d->max_clock_ghz, "unknown"), r->meta.tool_version,
             r->meta.date, r->meta.partial ? " (PARTIAL)" : "");
    rl_view_roof energy;
    rl_view_device_energy_roof(d, &energy);
    if (energy.n_compute == 0 && energy.n_memory == 0) /* NVML sampled nothing: the time chart */
        return draw(b, &roof, d->dram_gbs, title, subtitle, NULL, &TIME_CHART, err);
    /* The energy roofline beside the time roofline, one document twice as wide. */
    static const chart_kind TIME_LEFT = {"GFLOP/s", "GB/s", "Performance (GFLOP/s)", "plot", 0, 1};
    static const chart_kind ENERGY = {"GFLOP/J",     "GB/J", "Energy efficiency (GFLOP/J)",
                                      "plot-energy", 0,      0};
    rl_buf_printf(b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n",
                  2 * W, H, 2 * W, H);
    rl_buf_printf(b, "<title>");
    rl_buf_xml_escape(b, title);
    rl_buf_printf(b, " and its energy roofline</title>\n<rect width=\"100%%\" height=\"100%%\" "
                     "fill=\"#ffffff\"/>\n<g>\n");
    if (draw(b, &roof, d->dram_gbs, title, subtitle, NULL, &TIME_LEFT, err) != 0)
        return -1;
    char etitle[256], esub[256];
    snprintf(etitle, sizeof etitle, "Energy roofline: %s (%s)", d->name, d->id);
    snprintf(esub, sizeof esub,
             "each ceiling: its measured rate / its average board power (NVML, sampled during "
             "the row)");
    rl_buf_printf(b, "</g>\n<g transform=\"translate(%.0f 0)\">\n", W);
    if (draw(b, &energy, -1, etitle, esub, NULL, &ENERGY, err) != 0)
        return -1;
    rl_buf_printf(b, "</g>\n</svg>\n");
    if (b->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing the SVG");
    return 0;
}
