/* latency_svg.c: the latency charts (see latency_svg.h). */
#include "report/latency_svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/bytes.h"
#include "report/view.h"
#include "result/cache.h"

#define W   960.0
#define H   600.0
#define PX0 80.0
#define PX1 690.0
#define PY0 72.0
#define PY1 530.0
#define LX  710.0

static const char *const colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                     "#9467bd", "#8c564b", "#17becf", "#7f7f7f"};
#define NCOLORS 8

/* An axis: log10 or linear, over [lo, hi] (log: decades). */
typedef struct axis {
    int log;
    double lo, hi;
} axis;

static double map(const axis *a, double v, double p0, double p1)
{
    double t = a->log ? (log10(v) - a->lo) / (a->hi - a->lo) : (v - a->lo) / (a->hi - a->lo);
    return p0 + t * (p1 - p0);
}

static void text(rl_buf *b, double x, double y, const char *anchor, const char *attrs,
                 const char *s)
{
    rl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
                  attrs[0] ? " " : "", attrs);
    rl_buf_xml_escape(b, s);
    rl_buf_printf(b, "</text>\n");
}

/* A log axis over decades around [mn, mx]; a linear one from 0 to a round top above mx. */
static void fit(axis *a, int log_scale, double mn, double mx)
{
    a->log = log_scale;
    if (log_scale) {
        a->lo = floor(log10(mn > 0 ? mn : 1));
        a->hi = ceil(log10(mx > 0 ? mx : 10));
        if (a->hi <= a->lo)
            a->hi = a->lo + 1;
    } else {
        double step = pow(10, floor(log10(mx > 0 ? mx : 1)));
        a->lo = 0;
        a->hi = ceil((mx > 0 ? mx : 1) * 1.05 / step) * step;
    }
}

static void tick_label(char *out, size_t size, const axis *a, double v, int bytes)
{
    (void)a;
    if (bytes)
        rl_bytes_format(out, size, (uint64_t)v);
    else
        snprintf(out, size, "%g", v);
}

static void frame(rl_buf *b, const axis *x, const axis *y, int x_bytes, const char *xlabel,
                  const char *ylabel, const char *title)
{
    char s[32];
    rl_buf_printf(b,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
                  "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
                  W, H, W, H);
    text(b, W / 2, 36, "middle", "font-size=\"18\" fill=\"#111\"", title);
    rl_buf_printf(b, "<g stroke=\"#d9d9d9\" stroke-width=\"1\" font-size=\"12\" fill=\"#333\">\n");
    /* x ticks: decades of 2 for bytes (4 KiB, 16 KiB, ...), decades of 10, or 5 linear steps */
    if (x->log) {
        double step = x_bytes ? log10(4.0) : 1;
        for (double e = x->lo; e <= x->hi + 1e-9; e += step) {
            double v = x_bytes ? pow(2, round(e / log10(2.0))) : pow(10, e);
            double px = map(x, v, PX0, PX1);
            if (px < PX0 - 0.5 || px > PX1 + 0.5)
                continue;
            rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", px, PY0,
                          px, PY1);
            tick_label(s, sizeof s, x, v, x_bytes);
            text(b, px, PY1 + 18, "middle", "stroke=\"none\"", s);
        }
    } else {
        for (int k = 0; k <= 5; k++) {
            double v = x->lo + (x->hi - x->lo) * k / 5, px = map(x, v, PX0, PX1);
            rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", px, PY0,
                          px, PY1);
            snprintf(s, sizeof s, "%g", v);
            text(b, px, PY1 + 18, "middle", "stroke=\"none\"", s);
        }
    }
    for (double e = y->lo; e <= y->hi + 1e-9; e += y->log ? 1 : (y->hi - y->lo) / 5) {
        double v = y->log ? pow(10, e) : e, py = map(y, v, PY1, PY0);
        rl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", PX0, py, PX1,
                      py);
        snprintf(s, sizeof s, "%g", v);
        text(b, PX0 - 6, py + 4, "end", "stroke=\"none\"", s);
    }
    rl_buf_printf(b,
                  "</g>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                  "fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n",
                  PX0, PY0, PX1 - PX0, PY1 - PY0);
    text(b, (PX0 + PX1) / 2, PY1 + 42, "middle", "font-size=\"14\" fill=\"#111\"", xlabel);
    rl_buf_printf(b,
                  "<text x=\"0\" y=\"0\" text-anchor=\"middle\" font-size=\"14\" fill=\"#111\" "
                  "transform=\"translate(24 %.1f) rotate(-90)\">",
                  (PY0 + PY1) / 2);
    rl_buf_xml_escape(b, ylabel);
    rl_buf_printf(b, "</text>\n");
}

/* One series: the rows of r->latency that `keep` accepts, as a line with markers (a lone row is
 * a marker), and its legend entry. */
typedef int (*keep_fn)(const rl_latency *e, const char *device, const char *key, const char *kind);

static void series(rl_buf *b, const rl_result *r, const axis *x, const axis *y, int by_gbs,
                   keep_fn keep, const char *device, const char *key, const char *kind, int idx,
                   const char *name)
{
    const char *color = colors[idx % NCOLORS];
    rl_buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", color);
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        double xv = by_gbs ? e->gbs : (double)e->bytes;
        if (keep(e, device, key, kind) && e->ns > 0 && xv > 0)
            rl_buf_printf(b, "%.1f,%.1f ", map(x, xv, PX0, PX1), map(y, e->ns, PY1, PY0));
    }
    rl_buf_printf(b, "\"/>\n<g fill=\"%s\">\n", color);
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        double xv = by_gbs ? e->gbs : (double)e->bytes;
        if (keep(e, device, key, kind) && e->ns > 0 && xv > 0)
            rl_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>\n", map(x, xv, PX0, PX1),
                          map(y, e->ns, PY1, PY0));
    }
    rl_buf_printf(b, "</g>\n");
    double ly = PY0 + 10 + 22 * idx;
    rl_buf_printf(b,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                  "stroke-width=\"2\"/>\n",
                  LX, ly, LX + 24, ly, color);
    text(b, LX + 30, ly + 4, "start", "font-size=\"12\" fill=\"#111\"", name);
}

static int is_sweep(const rl_latency *e)
{
    return strcmp(e->kind, "sweep") == 0;
}

/* A staircase line is the sweep's points, or the idle levels' where there was no sweep. */
static int keep_stair(const rl_latency *e, const char *device, const char *pages, const char *kind)
{
    return strcmp(e->device, device) == 0 && strcmp(e->pages, pages) == 0 &&
           strcmp(e->kind, kind) == 0;
}

static int keep_mix(const rl_latency *e, const char *device, const char *mix, const char *kind)
{
    (void)kind;
    return strcmp(e->device, device) == 0 && strcmp(e->kind, "loaded") == 0 &&
           strcmp(e->mix, mix) == 0;
}

int rl_latency_svg_has_staircase(const rl_result *r)
{
    for (size_t i = 0; i < r->n_latency; i++)
        if (is_sweep(&r->latency[i]) || strcmp(r->latency[i].kind, "idle") == 0)
            return 1;
    return 0;
}

int rl_latency_svg_has_loaded(const rl_result *r)
{
    for (size_t i = 0; i < r->n_latency; i++)
        if (strcmp(r->latency[i].kind, "loaded") == 0)
            return 1;
    return 0;
}

/* Distinct (device, key) pairs of the rows `keep` could accept, key from `field`. */
typedef struct pair {
    const char *device, *key;
    const char *kind; /* "sweep" when the pair has sweep rows, else the rows' kind */
} pair;

static size_t pairs_of(const rl_result *r, int loaded, pair *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        int ok =
            loaded ? strcmp(e->kind, "loaded") == 0 : is_sweep(e) || strcmp(e->kind, "idle") == 0;
        const char *key = loaded ? e->mix : e->pages;
        if (!ok)
            continue;
        size_t k;
        for (k = 0; k < n; k++)
            if (!strcmp(out[k].device, e->device) && !strcmp(out[k].key, key))
                break;
        if (k == n && n < max)
            out[n++] = (pair){e->device, key, e->kind};
        else if (k < n && is_sweep(e))
            out[k].kind = e->kind;
    }
    return n;
}

static int finish(rl_buf *b, rl_err *err)
{
    rl_buf_printf(b, "</svg>\n");
    return b->failed ? rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing SVG") : 0;
}

int rl_report_svg_staircase(rl_buf *b, const rl_result *r, rl_err *err)
{
    double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        if (!(is_sweep(e) || strcmp(e->kind, "idle") == 0) || !(e->ns > 0) || e->bytes == 0)
            continue;
        double x = (double)e->bytes;
        xmin = xmin == 0 || x < xmin ? x : xmin, xmax = x > xmax ? x : xmax;
        ymin = ymin == 0 || e->ns < ymin ? e->ns : ymin, ymax = e->ns > ymax ? e->ns : ymax;
    }
    axis x, y;
    fit(&x, 1, xmin, xmax);
    fit(&y, 1, ymin, ymax);
    char name[160], title[256];
    rl_view_machine_name(r, name, sizeof name);
    snprintf(title, sizeof title, "Memory latency of %s", name);
    frame(b, &x, &y, 1, "Working set (bytes)", "Latency per dependent load (ns)", title);
    /* The probed caches, dashed, where the steps should fall. */
    for (int level = 1; level <= 3; level++) {
        uint64_t size = rl_cache_size(&r->machine, level);
        if (size == 0 || (double)size < pow(10, x.lo) || (double)size > pow(10, x.hi))
            continue;
        double px = map(&x, (double)size, PX0, PX1);
        char s[32];
        snprintf(s, sizeof s, "L%d", level);
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" "
                      "stroke-dasharray=\"5,4\"/>\n",
                      px, PY0, px, PY1);
        text(b, px + 4, PY0 + 14, "start", "font-size=\"12\" fill=\"#666\"", s);
    }
    pair p[16];
    size_t n = pairs_of(r, 0, p, 16);
    for (size_t k = 0; k < n; k++) {
        char label[64];
        snprintf(label, sizeof label, "%s%s%s pages", strcmp(p[k].device, "cpu") ? p[k].device : "",
                 strcmp(p[k].device, "cpu") ? " " : "", p[k].key[0] ? p[k].key : "-");
        series(b, r, &x, &y, 0, keep_stair, p[k].device, p[k].key, p[k].kind, (int)k, label);
    }
    return finish(b, err);
}

int rl_report_svg_loaded(rl_buf *b, const rl_result *r, rl_err *err)
{
    double xmax = 0, ymax = 0;
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        if (strcmp(e->kind, "loaded") != 0)
            continue;
        xmax = e->gbs > xmax ? e->gbs : xmax;
        ymax = e->ns > ymax ? e->ns : ymax;
    }
    axis x, y;
    fit(&x, 0, 0, xmax);
    fit(&y, 0, 0, ymax);
    char name[160], title[256];
    rl_view_machine_name(r, name, sizeof name);
    snprintf(title, sizeof title, "Loaded latency of %s", name);
    frame(b, &x, &y, 0, "Traffic from the other cores (GB/s, counted)", "Latency (ns)", title);
    pair p[16];
    size_t n = pairs_of(r, 1, p, 16);
    for (size_t k = 0; k < n; k++) {
        char label[64];
        snprintf(label, sizeof label, "%s%smix %s", strcmp(p[k].device, "cpu") ? p[k].device : "",
                 strcmp(p[k].device, "cpu") ? " " : "", p[k].key);
        series(b, r, &x, &y, 1, keep_mix, p[k].device, p[k].key, p[k].kind, (int)k, label);
    }
    return finish(b, err);
}
