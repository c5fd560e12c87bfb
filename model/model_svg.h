/* model_svg.h: a model's layers as points on a machine's roofline chart (SVG, log-log axes).
 * Each costed node with FLOPs is a point at its arithmetic intensity: at its attainable performance
 * (on the roof) without a profile, at its measured GFLOP/s with one (hollow marks show the roof).
 * Colour says compute- or memory-bound; area follows the node's share of the model's FLOPs; every
 * point has a tooltip (name, op, intensity, GFLOP/s). */
#ifndef RL_MODEL_SVG_H
#define RL_MODEL_SVG_H

#include "common/buf.h"
#include "model/output.h"

/* v->machine must be set. */
void rl_model_svg(const rl_model_view *v, rl_buf *out);

#endif
