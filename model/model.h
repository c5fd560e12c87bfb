/* model.h: one ONNX model analysed: decoded (onnx.h), shapes inferred (shape.h), costed (cost.h)
 * and, with a machine, placed on its roofline (roof.h). The command line and the fuzzer both enter
 * through rl_model_analyze_buffer (the file variant maps the file and calls it). */
#ifndef RL_MODEL_H
#define RL_MODEL_H

#include <stddef.h>

#include "common/err.h"
#include "model/cost.h"
#include "model/onnx.h"
#include "model/shape.h"

typedef struct rl_model {
    rl_onnx_model *onnx;
    rl_graph *g;
    rl_cost_totals tot;
} rl_model;

/* Errors: RL_EXIT_INPUT for a bad file (named, with offset and context), RL_EXIT_USAGE for
 * options that do not fit the model (an --input it does not have), RL_EXIT_RUNTIME otherwise. */
int rl_model_analyze_file(const char *path, rl_shape_opts *opts, rl_model **out, rl_err *err);
int rl_model_analyze_buffer(const void *data, size_t len, const char *name, const char *dir,
                            rl_shape_opts *opts, rl_model **out, rl_err *err);
void rl_model_free(rl_model *m); /* accepts NULL */

#endif
