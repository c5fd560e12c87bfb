/* model.c: decode, infer, cost (see model.h). */
#include "model/model.h"

#include <stdlib.h>

static int analyze(rl_onnx_model *om, rl_shape_opts *opts, rl_model **out, rl_err *err)
{
    rl_model *m = calloc(1, sizeof *m);
    if (!m) {
        rl_onnx_free(om);
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    }
    m->onnx = om;
    if (rl_shape_infer(om, opts, &m->g, err) != 0) {
        rl_model_free(m);
        return -1;
    }
    rl_cost_compute(m->g, &m->tot);
    *out = m;
    return 0;
}

int rl_model_analyze_file(const char *path, rl_shape_opts *opts, rl_model **out, rl_err *err)
{
    rl_onnx_model *om;
    *out = NULL;
    if (rl_onnx_load(path, &om, err) != 0)
        return -1;
    return analyze(om, opts, out, err);
}

int rl_model_analyze_buffer(const void *data, size_t len, const char *name, const char *dir,
                            rl_shape_opts *opts, rl_model **out, rl_err *err)
{
    rl_onnx_model *om;
    *out = NULL;
    if (rl_onnx_parse(data, len, name, dir, &om, err) != 0)
        return -1;
    return analyze(om, opts, out, err);
}

void rl_model_free(rl_model *m)
{
    if (!m)
        return;
    rl_graph_free(m->g);
    rl_onnx_free(m->onnx);
    free(m);
}
