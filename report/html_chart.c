/* html_chart.c: the interactive roofline chart (see html_chart.h). */
#include "report/html_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_page.h"

/* Canvas and plot area, in SVG user units. The chart scales with the page (viewBox). */
#define W   960.0
#define H   560.0
#define PX0 76.0
#define PX1 910.0
#define PY0 14.0
#define PY1 490.0

#define MAX_GROUPS 16

rl_hc_roof *rl_hchart_roof(rl_hchart *c)
{
    if (c->failed)
        return NULL;
    if (c->n_roofs == c->cap_roofs) {
        size_t cap = c->cap_roofs ? c->cap_roofs * 2 : 16;
        rl_hc_roof *p = realloc(c->roofs, cap * sizeof *p);
        if (!p) {
            c->failed = 1;
            return NULL;
        }
        c->roofs = p;
        c->cap_roofs = cap;
    }
    rl_hc_roof *e = &c->roofs[c->n_roofs++];
    memset(e, 0, sizeof *e);
    return e;
}

rl_hc_point *rl_hchart_point(rl_hchart *c)
{
    if (c->failed)
        return NULL;
    if (c->n_points == c->cap_points) {
        size_t cap = c->cap_points ? c->cap_points * 2 : 16;
        rl_hc_point *p = realloc(c->points, cap * sizeof *p);
        if (!p) {
            c->failed = 1;
            return NULL;
        }
        c->points = p;
        c->cap_points = cap;
    }
    rl_hc_point *e = &c->points[c->n_points++];
    memset(e, 0, sizeof *e);
    return e;
}

void rl_hchart_free(rl_hchart *c)
{
    if (!c)
        return;
    free(c->roofs);
    free(c->points);
    c->roofs = NULL;
    c->points = NULL;
    c->n_roofs = c->n_points = c->cap_roofs = c->cap_points = 0;
}

typedef struct frame {
    double lx0, lx1, ly0, ly1; /* log10 of the axis ranges */
} frame;

static double px(const frame *f, double x)
{
    return PX0 + (log10(x) - f->lx0) / (f->lx1 - f->lx0) * (PX1 - PX0);
}

static double py(const frame *f, double y)
{
    return PY1 - (log10(y) - f->ly0) / (f->ly1 - f->ly0) * (PY1 - PY0);
}

static int usable(double v)
{
    return v > 0 && isfinite(v);
}

/* Decade-aligned ranges that show every roof, ridge and point, with a decade on the right for the
 * flat roofs' labels. */
static void ranges(frame *f, const rl_hchart *c)
{
    double pmin = INFINITY, pmax = 0, bmin = INFINITY, bmax = 0;
    double xmin = INFINITY, xmax = 0, ymin = INFINITY;
    for (size_t i = 0; i < c->n_roofs; i++) {
        double v = c->roofs[i].value;
        if (!usable(v))
            continue;
        if (c->roofs[i].slanted) {
            bmin = fmin(bmin, v);
            bmax = fmax(bmax, v);
        } else {
            pmin = fmin(pmin, v);
            pmax = fmax(pmax, v);
        }
    }
    for (size_t i = 0; i < c->n_points; i++) {
        const rl_hc_point *p = &c->points[i];
        if (!usable(p->x) || !usable(p->y))
            continue;
        xmin = fmin(xmin, p->x);
        xmax = fmax(xmax, p->x);
        ymin = fmin(ymin, p->y);
        pmax = fmax(pmax, p->y);
    }
    if (!(pmax > 0)) { /* nothing flat: a nominal scale for the memory lines */
        pmin = bmax > 0 ? bmax : 10;
        pmax = pmin;
    }
    if (!isfinite(pmin))
        pmin = pmax;
    if (!(bmax > 0)) {
        bmin = pmin;
        bmax = pmin;
    }
    double rmin = fmin(pmin / bmax, xmin), rmax = fmax(pmax / bmin, xmax);
    f->lx0 = floor(log10(rmin));
    f->lx1 = ceil(log10(rmax)) + 1;
    if (f->lx1 - f->lx0 < 4)
        f->lx0 = f->lx1 - 4;
    if (f->lx1 - f->lx0 > 10)
        f->lx0 = f->lx1 - 10;
    f->ly1 = ceil(log10(pmax * 1.6));
    f->ly0 = floor(log10(fmin(pmin, ymin))) - 1;
    if (f->ly1 - f->ly0 > 8)
        f->ly0 = f->ly1 - 8;
    if (f->ly1 - f->ly0 < 3)
        f->ly0 = f->ly1 - 3;
}

static void tick_label(char *out, size_t size, int decade)
{
    if (decade >= -3 && decade <= 5)
        snprintf(out, size, "%g", pow(10, decade));
    else
        snprintf(out, size, "1e%d", decade);
}

static void axes(rl_buf *b, const frame *f)
{
    char s[32];
    /* The grid as two paths (minor, then decades): one element each, not a line per tick. */
    rl_buf_printf(b, "<g class=\"grid\" aria-hidden=\"true\"><path d=\"");
    for (int d = (int)f->lx0; d < (int)f->lx1; d++)
        for (int k = 2; k <= 9; k++)
            rl_buf_printf(b, "M%.1f %.0fV%.0f", px(f, k * pow(10, d)), PY0, PY1);
    for (int d = (int)f->ly0; d < (int)f->ly1; d++)
        for (int k = 2; k <= 9; k++)
            rl_buf_printf(b, "M%.0f %.1fH%.0f", PX0, py(f, k * pow(10, d)), PX1);
    rl_buf_printf(b, "\"/><path class=\"major\" d=\"");
    for (int d = (int)f->lx0; d <= (int)f->lx1; d++)
        rl_buf_printf(b, "M%.1f %.0fV%.0f", px(f, pow(10, d)), PY0, PY1);
    for (int d = (int)f->ly0; d <= (int)f->ly1; d++)
        rl_buf_printf(b, "M%.0f %.1fH%.0f", PX0, py(f, pow(10, d)), PX1);
    rl_buf_printf(b, "\"/></g>\n");
    rl_buf_printf(b,
                  "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
                  PX0, PY0, PX1 - PX0, PY1 - PY0);
    rl_buf_printf(b, "<g aria-hidden=\"true\">\n");
    for (int d = (int)f->lx0; d <= (int)f->lx1; d++) {
        tick_label(s, sizeof s, d);
        rl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                      px(f, pow(10, d)), PY1 + 18, s);
    }
    for (int d = (int)f->ly0; d <= (int)f->ly1; d++) {
        tick_label(s, sizeof s, d);
        rl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", PX0 - 6,
                      py(f, pow(10, d)) + 4, s);
    }
    rl_buf_printf(b,
                  "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                  "Arithmetic intensity (FLOP/byte, log scale)</text>\n",
                  (PX0 + PX1) / 2, PY1 + 44);
    rl_buf_printf(b,
                  "<text class=\"axis-title\" x=\"0\" y=\"0\" text-anchor=\"middle\" "
                  "transform=\"translate(20 %.1f) rotate(-90)\">Performance (GFLOP/s, log "
                  "scale)</text>\n</g>\n",
                  (PY0 + PY1) / 2);
}

/* The attributes every interactive element carries: focusable, its text as aria-label (which
 * page.js shows as the tooltip), its tags for the toggles. */
static void interactive(rl_buf *b, const char *cls, const char *tip, const char *tags)
{
    rl_buf_printf(b, " class=\"%s\" tabindex=\"0\" role=\"img\" data-tip=\"\" aria-label=\"", cls);
    rl_html_text(b, tip);
    rl_buf_printf(b, "\" data-tags=\"");
    rl_html_text(b, tags);
    rl_buf_printf(b, "\"");
}

/* Per group, the highest flat and slanted roofs, measured only and with theory. */
typedef struct group_tops {
    double flat, flat_all, slant, slant_all;
} group_tops;

static void tops_of(const rl_hchart *c, group_tops *t)
{
    memset(t, 0, sizeof(group_tops) * MAX_GROUPS);
    for (size_t i = 0; i < c->n_roofs; i++) {
        const rl_hc_roof *r = &c->roofs[i];
        if (!usable(r->value))
            continue;
        group_tops *g = &t[(unsigned)r->group % MAX_GROUPS];
        if (r->slanted) {
            g->slant_all = fmax(g->slant_all, r->value);
            if (!r->theory)
                g->slant = fmax(g->slant, r->value);
        } else {
            g->flat_all = fmax(g->flat_all, r->value);
            if (!r->theory)
                g->flat = fmax(g->flat, r->value);
        }
    }
}

/* Label positions of the flat roofs, pushed apart so that none overlap. */
static void spread(double *y, size_t n, double gap)
{
    for (int pass = 0; pass < 8; pass++)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (i != j && y[i] <= y[j] && y[j] - y[i] < gap)
                    y[i] = y[j] - gap;
}

static void draw_roofs(rl_buf *b, const rl_hchart *c, const frame *f, const group_tops *tops)
{
    double xmin = pow(10, f->lx0), xmax = pow(10, f->lx1);
    double *ly = c->n_roofs ? calloc(c->n_roofs, sizeof *ly) : NULL;
    size_t *idx = c->n_roofs ? calloc(c->n_roofs, sizeof *idx) : NULL;
    size_t nflat = 0;
    if (c->n_roofs && (!ly || !idx)) {
        b->failed = 1;
        free(ly);
        free(idx);
        return;
    }
    for (size_t i = 0; i < c->n_roofs; i++)
        if (!c->roofs[i].slanted && usable(c->roofs[i].value) && c->roofs[i].label[0]) {
            idx[nflat] = i;
            ly[nflat++] = py(f, c->roofs[i].value) - 5;
        }
    spread(ly, nflat, 13);
    double angle =
        -atan2((PY1 - PY0) / (f->ly1 - f->ly0), (PX1 - PX0) / (f->lx1 - f->lx0)) * 180 / M_PI;
    size_t nslant = 0;
    /* Theory first, so that the measured lines (and their hover areas) lie on top. */
    for (size_t pass = 0; pass < 2 * c->n_roofs; pass++) {
        size_t i = pass % c->n_roofs;
        const rl_hc_roof *r = &c->roofs[i];
        if (!usable(r->value) || (pass < c->n_roofs) != (r->theory != 0))
            continue;
        const group_tops *g = &tops[(unsigned)r->group % MAX_GROUPS];
        double x0, y0, x1, y1;
        char cls[64];
        snprintf(cls, sizeof cls, "roof %s%s", r->cls, r->theory ? " theory" : "");
        rl_buf_printf(b, "<g");
        interactive(b, cls, r->tip, r->tags);
        rl_buf_printf(b, " data-value=\"%.17g\">", r->value);
        if (r->slanted) {
            double top = r->theory ? g->flat_all : g->flat;
            double xe = top > 0 ? top / r->value : xmax;
            x0 = px(f, xmin);
            y0 = py(f, r->value * xmin);
            x1 = px(f, xe);
            y1 = py(f, r->value * xe);
        } else {
            double side = r->theory ? g->slant_all : g->slant;
            double xs = side > 0 ? r->value / side : xmin;
            x0 = px(f, xs);
            y0 = y1 = py(f, r->value);
            x1 = PX1;
        }
        rl_buf_printf(b,
                      "<line class=\"l\" clip-path=\"url(#clip-%s)\" x1=\"%.1f\" y1=\"%.1f\" "
                      "x2=\"%.1f\" y2=\"%.1f\"/><line class=\"hit\" clip-path=\"url(#clip-%s)\" "
                      "x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                      c->id, x0, y0, x1, y1, c->id, x0, y0, x1, y1);
        if (r->label[0] && !r->slanted) {
            size_t k;
            for (k = 0; k < nflat && idx[k] != i; k++)
                ;
            rl_buf_printf(b, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                          PX1 - 4, k < nflat ? ly[k] : y0 - 5);
            rl_html_text(b, r->label);
            rl_buf_printf(b, "</text>");
        } else if (r->label[0]) {
            /* Staggered along the line so that close levels do not stack their labels, ending a
             * decade before the line meets the top ceiling. */
            double top = r->theory ? g->flat_all : g->flat;
            double entry = fmax(xmin, pow(10, f->ly0) / r->value);
            double xe = top > 0 ? top / r->value : xmax;
            double xa = fmin(entry * pow(10, 0.25 + 0.45 * (double)(nslant % 6)), xe / 10);
            xa = fmax(xa, entry);
            rl_buf_printf(b,
                          "<text class=\"label\" x=\"0\" y=\"14\" transform=\"translate(%.1f "
                          "%.1f) rotate(%.2f)\">",
                          px(f, xa), py(f, r->value * xa), angle);
            rl_html_text(b, r->label);
            rl_buf_printf(b, "</text>");
            nslant++;
        }
        rl_buf_printf(b, "</g>\n");
    }
    free(ly);
    free(idx);
}

static void draw_points(rl_buf *b, const rl_hchart *c, const frame *f)
{
    double xlo = pow(10, f->lx0), xhi = pow(10, f->lx1);
    double ylo = pow(10, f->ly0), yhi = pow(10, f->ly1);
    for (size_t i = 0; i < c->n_points; i++) {
        const rl_hc_point *p = &c->points[i];
        if (!usable(p->x) || !usable(p->y))
            continue;
        /* Outside the axes (a layer far below the others): drawn at the edge, the text says
         * where it really is. */
        double x = px(f, fmin(fmax(p->x, xlo), xhi)), y = py(f, fmin(fmax(p->y, ylo), yhi));
        double r = p->radius > 0 ? p->radius : 5;
        char cls[64];
        snprintf(cls, sizeof cls, "pt %s%s", p->cls, p->hollow ? " hollow" : "");
        rl_buf_printf(b, "<g");
        interactive(b, cls, p->tip, p->tags);
        rl_buf_printf(b, " data-x=\"%.17g\" data-y=\"%.17g\">", p->x, p->y);
        if (p->triangle)
            rl_buf_printf(b, "<path class=\"mark\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"/>", x,
                          y - r * 1.2, x + r * 1.1, y + r * 0.8, x - r * 1.1, y + r * 0.8);
        else
            rl_buf_printf(b, "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>", x, y,
                          r);
        if (p->label[0]) {
            rl_buf_printf(b, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\">", x + r + 4, y + 15);
            rl_html_text(b, p->label);
            rl_buf_printf(b, "</text>");
        }
        rl_buf_printf(b, "</g>\n");
    }
}

int rl_hchart_render(rl_buf *b, const rl_hchart *c, const char *caption)
{
    if (c->failed) {
        b->failed = 1;
        return -1;
    }
    frame f;
    group_tops tops[MAX_GROUPS];
    ranges(&f, c);
    tops_of(c, tops);
    rl_buf_printf(b, "<figure class=\"chart\" id=\"%s\">\n", c->id);
    rl_buf_printf(b,
                  "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
                  "%.0f\" role=\"group\" aria-labelledby=\"%s-t %s-d\">\n<title id=\"%s-t\">",
                  W, H, c->id, c->id, c->id);
    rl_html_text(b, c->title);
    rl_buf_printf(b, "</title>\n<desc id=\"%s-d\">", c->id);
    rl_html_text(b, c->desc);
    rl_buf_printf(b,
                  "</desc>\n<defs><clipPath id=\"clip-%s\"><rect x=\"%.1f\" y=\"%.1f\" "
                  "width=\"%.1f\" height=\"%.1f\"/></clipPath></defs>\n",
                  c->id, PX0, PY0, PX1 - PX0, PY1 - PY0);
    axes(b, &f);
    draw_roofs(b, c, &f, tops);
    draw_points(b, c, &f);
    if (c->n_roofs == 0 && c->n_points == 0)
        rl_buf_printf(b,
                      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">nothing measured to "
                      "draw</text>\n",
                      (PX0 + PX1) / 2, (PY0 + PY1) / 2);
    rl_buf_printf(b, "</svg>\n");
    if (caption && caption[0]) {
        rl_buf_printf(b, "<figcaption>");
        rl_html_text(b, caption);
        rl_buf_printf(b, "</figcaption>\n");
    }
    rl_buf_printf(b, "</figure>\n");
    return b->failed ? -1 : 0;
}
