/* model_svg.c: roofline chart of a model's layers (see model_svg.h). */
#include "model/model_svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W  800.0
#define H  520.0
#define ML 80.0
#define MR 30.0
#define MT 50.0
#define MB 60.0

typedef struct axes {
    double x0, x1, y0, y1; /* log10 ranges */
} axes;

static double px(const axes *a, double x)
{
    return ML + (log10(x) - a->x0) / (a->x1 - a->x0) * (W - ML - MR);
}

static double py(const axes *a, double y)
{
    return H - MB - (log10(y) - a->y0) / (a->y1 - a->y0) * (H - MT - MB);
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void rl_model_svg(const rl_model_view *v, rl_buf *b)
{
    const rl_graph *g = v->m->g;
    const rl_roof_machine *mc = v->machine;
    double ridge = mc->peak_gflops / mc->bw_gbs;
    /* a model with int8 nodes on a machine with an int8 roof: that roof drawn too, dashed */
    double peak8 = g->n_int8 && mc->int8_gops > 0 ? mc->int8_gops : 0;
    double top = fmax(mc->peak_gflops, peak8);
    double imin = 1e300, imax = 0, maxflops = 0, ymin = mc->peak_gflops;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        if (!n->cost_known || n->flops <= 0 || n->intensity <= 0)
            continue;
        imin = fmin(imin, n->intensity);
        imax = fmax(imax, n->intensity);
        maxflops = fmax(maxflops, n->flops);
        ymin = fmin(ymin, n->attainable_gflops);
        if (v->prof && n->measured_s > 0)
            ymin = fmin(ymin, n->flops / n->measured_s / 1e9);
    }
    if (imax == 0)
        imin = imax = ridge;
    axes a;
    a.x0 = floor(log10(fmin(imin, ridge / 10)));
    a.x1 = ceil(log10(fmax(imax, ridge * 10)));
    a.y1 = ceil(log10(top * 1.5));
    a.y0 = floor(log10(fmax(ymin, mc->peak_gflops * 1e-5)));
    if (a.y1 - a.y0 < 2)
        a.y0 = a.y1 - 2;

    rl_buf_printf(b,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
                  W, H, W, H);
    rl_buf_printf(b,
                  "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"%.0f\" "
                  "y=\"24\" font-size=\"15\">",
                  ML);
    rl_buf_xml_escape(b, v->m->onnx->file);
    rl_buf_printf(b, " on ");
    rl_buf_xml_escape(b, mc->name);
    rl_buf_printf(b,
                  "</text>\n<text x=\"%.0f\" y=\"40\" fill=\"#555\">peak %.1f GFLOP/s, DRAM %.1f "
                  "GB/s, ridge %.2f FLOP/B; %s</text>\n",
                  ML, mc->peak_gflops, mc->bw_gbs, ridge,
                  v->prof ? "filled: measured, hollow: roofline"
                          : "points at their roofline bound");
    /* grid and ticks */
    for (double e = a.x0; e <= a.x1; e++) {
        double x = px(&a, pow(10, e));
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                      x, MT, x, H - MB, x, H - MB + 16, pow(10, e));
    }
    for (double e = a.y0; e <= a.y1; e++) {
        double y = py(&a, pow(10, e));
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                      ML, y, W - MR, y, ML - 6, y + 4, pow(10, e));
    }
    rl_buf_printf(b,
                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">arithmetic intensity "
                  "(FLOP/byte)</text>\n",
                  (ML + W - MR) / 2, H - 18);
    rl_buf_printf(b,
                  "<text transform=\"translate(20,%.1f) rotate(-90)\" "
                  "text-anchor=\"middle\">GFLOP/s</text>\n",
                  (MT + H - MB) / 2);
    /* the roof */
    double xl = pow(10, a.x0), xr = pow(10, a.x1);
    double yl = clampd(xl * mc->bw_gbs, pow(10, a.y0), mc->peak_gflops);
    double xs = yl < xl * mc->bw_gbs ? yl / mc->bw_gbs : xl;
    rl_buf_printf(b,
                  "<polyline fill=\"none\" stroke=\"#222\" stroke-width=\"2\" points=\"%.1f,%.1f "
                  "%.1f,%.1f %.1f,%.1f\"/>\n",
                  px(&a, xs), py(&a, yl), px(&a, ridge), py(&a, mc->peak_gflops), px(&a, xr),
                  py(&a, mc->peak_gflops));
    if (peak8 > 0) {
        double r8 = peak8 / mc->bw_gbs;
        double yl8 = clampd(xl * mc->bw_gbs, pow(10, a.y0), peak8);
        double xs8 = yl8 < xl * mc->bw_gbs ? yl8 / mc->bw_gbs : xl;
        rl_buf_printf(b,
                      "<polyline fill=\"none\" stroke=\"#7d3c98\" stroke-width=\"1.5\" "
                      "stroke-dasharray=\"6,4\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n"
                      "<text x=\"%.1f\" y=\"%.1f\" fill=\"#7d3c98\" text-anchor=\"end\">int8 "
                      "roof %.1f GOP/s (int8 nodes: OP/B)</text>\n",
                      px(&a, xs8), py(&a, yl8), px(&a, r8), py(&a, peak8), px(&a, xr),
                      py(&a, peak8), W - MR, py(&a, peak8) - 6, peak8);
    }
    /* points */
    for (size_t i = 0; i < g->n_nodes; i++) {
        const rl_node *n = &g->nodes[i];
        if (!n->cost_known || n->flops <= 0 || n->intensity <= 0)
            continue;
        const char *col = n->bound == RL_BOUND_COMPUTE ? "#c0392b" : "#2471a3";
        double r = 2.5 + 7 * sqrt(n->flops / maxflops);
        double x = px(&a, n->intensity);
        double yroof = py(&a, fmax(n->attainable_gflops, pow(10, a.y0)));
        double perf = n->attainable_gflops;
        int measured = v->prof && n->measured_s > 0;
        if (measured)
            perf = n->flops / n->measured_s / 1e9;
        double y = py(&a, clampd(perf, pow(10, a.y0), pow(10, a.y1)));
        if (measured)
            rl_buf_printf(b,
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" "
                          "stroke=\"%s\" stroke-opacity=\"0.5\"/>\n",
                          x, yroof, r, col);
        rl_buf_printf(b,
                      "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" "
                      "fill-opacity=\"0.6\"><title>",
                      x, y, r, col);
        rl_buf_xml_escape(b, n->src->name);
        rl_buf_printf(b, " (");
        rl_buf_xml_escape(b, n->src->op_type);
        if (n->int8 && peak8 > 0)
            rl_buf_printf(b, "): int8, %.2f OP/B, %.2f GOP/s%s</title></circle>\n", n->intensity,
                          perf, measured ? " measured" : " attainable");
        else
            rl_buf_printf(b, "): %.2f FLOP/B, %.2f GFLOP/s%s</title></circle>\n", n->intensity,
                          perf, measured ? " measured" : " attainable");
    }
    rl_buf_printf(b,
                  "<text x=\"%.1f\" y=\"%.1f\" fill=\"#c0392b\">&#9679; compute-bound</text>"
                  "<text x=\"%.1f\" y=\"%.1f\" fill=\"#2471a3\">&#9679; memory-bound</text>\n",
                  W - MR - 240, MT + 16, W - MR - 120, MT + 16);
    rl_buf_printf(b, "</svg>\n");
}
