/* fuzz_onnx.c: libFuzzer target for the ONNX reader. It enters where `roofline model` does
 * (rl_model_analyze_buffer: decode, infer shapes, cost), predicts the graph as ONNX Runtime would
 * run it with a small fixed runtime profile (ORT's fused view, classes: `model --runtime`) and then
 * runs every writer on the result.
 *
 *   make fuzz                    build build/fuzz/fuzz_onnx (clang-14, ASan + UBSan)
 *   make fuzz-run FUZZ_TIME=300  run it on a scratch corpus seeded from tests/fuzz/corpus
 *   (FUZZ_TARGET=result|profile|smbios|cpuid picks another reader, see tests/fuzz/fuzz_*.c)
 *
 * tests/test_fuzz_replay.c includes this file and replays tests/fuzz/corpus/ inside `make test`, so
 * every input saved there (crashers included) stays a regression test. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/buf.h"
#include "model/model.h"
#include "model/model_svg.h"
#include "model/output.h"
#include "model/predict.h"
#include "model/roof.h"

int rl_fuzz_onnx(const uint8_t *data, size_t size);

int rl_fuzz_onnx(const uint8_t *data, size_t size)
{
    rl_err err = {0};
    rl_model *m = NULL;
    rl_shape_dim_opt dim = {"batch", 1, 0};
    rl_shape_opts opts = {&dim, 1, NULL, 0};
    if (rl_model_analyze_buffer(data, size, "fuzz.onnx", NULL, &opts, &m, &err) != 0)
        return 0;
    rl_roof_machine mc = {.peak_gflops = 100, .bw_gbs = 10, .name = "fuzz"};
    rl_model_view v = {.m = m, .machine = &mc, .all_nodes = 1};
    v.time_s = rl_roof_place(m->g, &mc);
    /* a profile with three classes: the others fall back to the bound */
    rl_rt_point pts[3] = {
        {.x = 1e3, .time_s = 2e-6}, {.x = 1e6, .time_s = 1e-4}, {.x = 1e9, .time_s = 0.05}};
    rl_rt_curve curves[3] = {
        {"conv_kxk", pts, 3, 0.1}, {"copy", pts, 3, 0.2}, {"elementwise", pts, 3, 0}};
    rl_rt_threads th = {1, 1e-5, 1e-6, curves, 3};
    rl_runtime rt = {
        .file = "fuzz-runtime.json", .name = "ort", .version = "1", .threads = &th, .n_threads = 1};
    rl_prediction pred;
    if (rl_predict(m->g, &rt, 1, (int)(size % 3) * 8, &mc, &pred, &err) == 0) {
        v.pred = &pred;
        v.threads = 1;
    }
    rl_buf b = {0};
    rl_model_table(&v, &b);
    rl_model_csv(&v, &b);
    rl_model_svg(&v, &b);
    rl_buf_free(&b);
    free(rl_model_json(&v, &err));
    rl_model_free(m);
    return 0;
}

#ifndef RL_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rl_fuzz_onnx(data, size);
}
#endif
