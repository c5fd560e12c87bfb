/* html_chart.h: an interactive roofline chart for the HTML pages, as inline SVG.
 *
 * Generic on purpose: a chart is a list of roofs (flat compute ceilings in GFLOP/s, slanted memory
 * ceilings in GB/s, measured or theoretical) and points (ridge points, a model's layers), each
 * with its label, its text (the tooltip and the aria-label, so the value is read on hover, on
 * keyboard focus and by a screen reader) and its tags ("precision:fp64 level:DRAM"), from which
 * page.js builds the toggles. Whoever has something to draw (a result, a GPU, several machines
 * overlaid, a model) fills the lists; this file only lays out and draws. Axes are log-log, decade
 * ticks labelled; colour is never the only signal: every line is labelled at its end, theory is
 * dashed, measured ridges are filled and theoretical ones hollow, compute-bound points are
 * triangles and memory-bound ones circles. */
#ifndef RL_HTML_CHART_H
#define RL_HTML_CHART_H

#include <stddef.h>

#include "common/buf.h"

typedef struct rl_hc_roof {
    int slanted;    /* 1: memory ceiling (GB/s: y = value * x); 0: compute ceiling (GFLOP/s) */
    int theory;     /* drawn dashed */
    int group;      /* the machine it belongs to (overlays): slanted roofs stop at the highest
                       flat roof of their group, flat ones start at the highest slanted one */
    double value;   /* GFLOP/s or GB/s */
    char cls[24];   /* colour class (c0..c7, m0..m7) and extras (dash1..dash3) */
    char label[96]; /* drawn beside the line */
    char tip[384];  /* what it is and its value */
    char tags[160]; /* space-separated family:value pairs */
} rl_hc_roof;

typedef struct rl_hc_point {
    double x, y;   /* FLOP/byte, GFLOP/s */
    int hollow;    /* theoretical: an outline only */
    int triangle;  /* compute-bound (model layers) */
    double radius; /* px; 0: 5 */
    char cls[24];
    char label[64]; /* drawn beside the point; "" for none */
    char tip[384];
    char tags[160];
} rl_hc_point;

typedef struct rl_hchart {
    char id[64];     /* unique in the page: "chart-cpu", "chart-gpu0" */
    char title[256]; /* the SVG's <title> */
    char desc[768];  /* the SVG's <desc>: a sentence a screen reader reads first */
    rl_hc_roof *roofs;
    size_t n_roofs, cap_roofs;
    rl_hc_point *points;
    size_t n_points, cap_points;
    int failed; /* allocation failed: rendering reports it */
} rl_hchart;

/* Append a zeroed roof or point and return it; NULL (and `failed` set) when out of memory. */
rl_hc_roof *rl_hchart_roof(rl_hchart *c);
rl_hc_point *rl_hchart_point(rl_hchart *c);

/* Appends <figure class="chart" id=...><svg>...</svg><figcaption>caption</figcaption></figure>.
 * Returns 0, or -1 when the chart or the buffer ran out of memory. */
int rl_hchart_render(rl_buf *b, const rl_hchart *c, const char *caption);

void rl_hchart_free(rl_hchart *c); /* accepts NULL */

#endif
