/* test_predict.c: the classes of the runtime profile contract (model/predict.c) and
 * `roofline model --runtime`: its JSON, text, thread and CPU checks, and that nothing changes
 * without it. The profile is tests/data/runtime-profile.json, calibrated (by hand) on the CPU of
 * tests/data/zen3.json, so the CPU check passes with --machine tests/data/zen3.json anywhere. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "model/predict.h"
#include "tests/helpers.h"

#define PROFILE "tests/data/runtime-profile.json"
#define ZEN3    "tests/data/zen3.json"

static const char *class_of(const rl_model *m, const rl_fuse_view *v, const char *name)
{
    for (size_t i = 0; i < m->g->n_nodes; i++)
        if (!strcmp(m->g->nodes[i].src->name, name))
            return rl_predict_class(m->g, v, i);
    cr_assert_fail("no node %s", name);
    return NULL;
}

static rl_model *load(const char *path, rl_fuse_view *v, int block)
{
    rl_model *m;
    rl_err err = {0};
    cr_assert_eq(rl_model_analyze_file(path, NULL, &m, &err), 0, "%s", err.msg);
    cr_assert_eq(rl_ort_fuse(m->g, block, v, &err), 0, "%s", err.msg);
    return m;
}

Test(predict, classes_of_a_cnn)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/models/resnet18.onnx", rl_test_shared());
    rl_fuse_view v;
    rl_model *m = load(path, &v, 16);
    cr_assert_str_eq(class_of(m, &v, "/conv1/Conv"), "conv_stem");
    cr_assert_str_eq(class_of(m, &v, "/relu/Relu"), "free");
    cr_assert_str_eq(class_of(m, &v, "/maxpool/MaxPool"), "pool");
    cr_assert_str_eq(class_of(m, &v, "/layer1/layer1.0/conv1/Conv"), "conv_kxk");
    cr_assert_str_eq(class_of(m, &v, "/layer2/layer2.0/conv1/Conv"), "conv_strided");
    cr_assert_str_eq(class_of(m, &v, "/layer2/layer2.0/downsample/downsample.0/Conv"),
                     "conv_strided");
    cr_assert_str_eq(class_of(m, &v, "/fc/Gemm"), "gemv",
                     "one output row: a matrix-vector product");
    cr_assert_str_eq(class_of(m, &v, "/Flatten"), "free", "a view");
    rl_model_free(m);

    snprintf(path, sizeof path, "%s/models/mobilenet_v2.onnx", rl_test_shared());
    m = load(path, &v, 16);
    size_t dw = 0, pw = 0;
    for (size_t i = 0; i < m->g->n_nodes; i++) {
        const char *c = rl_predict_class(m->g, &v, i);
        dw += !strcmp(c, "conv_depthwise");
        pw += !strcmp(c, "conv_pointwise");
    }
    cr_assert_eq(dw, 17, "mobilenet_v2's depthwise convolutions: %zu", dw);
    cr_assert_eq(pw, 34, "its 1x1 convolutions: %zu", pw);
    rl_model_free(m);
}

Test(predict, classes_of_the_other_ops)
{
    rl_fuse_view v;
    rl_model *m = load("tests/data/fuse/classes.onnx", &v, 16);
    static const char *const want[] = {"conv_grouped", "conv_transpose", "norm",   "pool",
                                       "softmax",      "reduce",         "matmul", "transpose",
                                       "elementwise",  "elementwise"};
    cr_assert_eq(m->g->n_nodes, 10);
    for (size_t i = 0; i < 10; i++)
        cr_assert_str_eq(rl_predict_class(m->g, &v, i), want[i], "node %zu (%s)", i,
                         m->g->nodes[i].src->op_type);
    rl_model_free(m);

    m = load("tests/data/fuse/matmul_bias_gelu.onnx", &v, 16);
    cr_assert_str_eq(rl_predict_class(m->g, &v, 0), "gemm", "MatMul + bias with weights");
    cr_assert_str_eq(rl_predict_class(m->g, &v, 2), "elementwise", "Gelu");
    cr_assert_str_eq(rl_predict_class(m->g, &v, 3), "free");
    rl_model_free(m);
    m = load("tests/data/fuse/skip_layernorm.onnx", &v, 16);
    cr_assert_str_eq(rl_predict_class(m->g, &v, 1), "norm");
    rl_model_free(m);
}

Test(predict_cli, json_has_classes_and_the_sum)
{
    char args[1024];
    snprintf(args, sizeof args,
             "model %s/models/resnet18.onnx --machine " ZEN3 " --runtime " PROFILE
             " --threads 1 --json -",
             rl_test_shared());
    cJSON *j = rl_test_run_json(args, 0);
    const cJSON *rt = cJSON_GetObjectItem(j, "runtime");
    cr_assert(rt, "a runtime member");
    cr_assert_str_eq(cJSON_GetObjectItem(rt, "name")->valuestring, "onnxruntime-node");
    cr_assert_str_eq(cJSON_GetObjectItem(rt, "version")->valuestring, "1.30.0");
    cr_assert_str_eq(cJSON_GetObjectItem(rt, "optimization")->valuestring, "all");
    cr_assert_str_eq(cJSON_GetObjectItem(rt, "file")->valuestring, PROFILE);
    cr_assert_eq(rl_test_num(rt, "threads"), 1);
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(rt, "cpu_mismatch")));
    cr_assert_str_eq(cJSON_GetObjectItem(rt, "cpu")->valuestring,
                     "AMD EPYC 7B13 64-Core Processor");
    double run = rl_test_num(rt, "run_overhead_s");
    cr_assert_float_eq(run, 2e-5, 1e-15);

    const cJSON *t = cJSON_GetObjectItem(j, "totals");
    double pred = rl_test_num(t, "predicted_s"), bound = rl_test_num(t, "time_s");
    cr_assert(pred > 0 && bound > 0);
    double sum = run;
    size_t executed = 0;
    const cJSON *n;
    cJSON_ArrayForEach(n, cJSON_GetObjectItem(j, "nodes"))
    {
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(n, "class")));
        const cJSON *fi = cJSON_GetObjectItem(n, "fused_into");
        cr_assert(cJSON_IsNull(fi) || cJSON_IsNumber(fi));
        sum += rl_test_num(n, "predicted_s");
        if (cJSON_IsNumber(fi))
            cr_assert_str_eq(cJSON_GetObjectItem(n, "class")->valuestring, "free");
        executed += !strcmp(cJSON_GetObjectItem(n, "runtime_state")->valuestring, "executed");
    }
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(rt, "reorders"))
    {
        sum += rl_test_num(r, "predicted_s");
    }
    cr_assert_float_eq(pred, sum, 1e-12, "predicted_s = run overhead + nodes + reorders");
    cr_assert_eq(rl_test_num(rt, "nodes_executed"), (double)executed);
    cr_assert_eq(executed, 23, "resnet18 as ORT runs it: 20 Conv, MaxPool, GAP, Gemm: %zu",
                 executed);
    /* node 1 is conv1's Relu, fused into node 0 */
    const cJSON *n1 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "nodes"), 1);
    cr_assert_eq(rl_test_num(n1, "fused_into"), 0);
    cr_assert_eq(rl_test_num(n1, "predicted_s"), 0);
    /* the classifier is gemv, a class this profile lacks: predicted with its gemm curve */
    const cJSON *fc = NULL;
    cJSON_ArrayForEach(n, cJSON_GetObjectItem(j, "nodes"))
    {
        if (!strcmp(cJSON_GetObjectItem(n, "name")->valuestring, "/fc/Gemm"))
            fc = n;
    }
    cr_assert(fc, "the classifier node");
    cr_assert_str_eq(cJSON_GetObjectItem(fc, "class")->valuestring, "gemm");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(rt, "missing_classes")), 0,
                 "gemv falls back to gemm, not to the bound");
    cJSON_Delete(j);

    /* the other thread count of the profile gives another prediction */
    snprintf(args, sizeof args,
             "model %s/models/resnet18.onnx --machine " ZEN3 " --runtime " PROFILE
             " --threads 2 --json -",
             rl_test_shared());
    j = rl_test_run_json(args, 0);
    cr_assert_eq(rl_test_num(cJSON_GetObjectItem(j, "runtime"), "threads"), 2);
    cr_assert(rl_test_num(cJSON_GetObjectItem(j, "totals"), "predicted_s") < pred,
              "the 2-thread curves are faster");
    cJSON_Delete(j);
}

Test(predict_cli, optional_classes_fall_back_to_the_contract_ones)
{
    /* the profile has no transpose (nor resize, gemv) curve: the Transpose is predicted as a copy
     */
    cJSON *j = rl_test_run_json("model tests/data/fuse/classes.onnx --machine " ZEN3
                                " --runtime " PROFILE " --threads 1 --json -",
                                0);
    const cJSON *n7 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "nodes"), 7);
    cr_assert_str_eq(cJSON_GetObjectItem(n7, "op")->valuestring, "Transpose");
    cr_assert_str_eq(cJSON_GetObjectItem(n7, "class")->valuestring, "copy");
    cr_assert(rl_test_num(n7, "predicted_s") > 0);
    const cJSON *miss;
    cJSON_ArrayForEach(miss,
                       cJSON_GetObjectItem(cJSON_GetObjectItem(j, "runtime"), "missing_classes"))
    {
        cr_assert_str_neq(miss->valuestring, "transpose");
    }
    cJSON_Delete(j);
}

Test(predict_cli, text_says_which_time_it_shows)
{
    char args[1024], *out = NULL;
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --machine " ZEN3, rl_test_shared());
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert(strstr(out, "\ntime: roofline bound"), "%s", out);
    cr_assert_null(strstr(out, "pred. us"), "no prediction columns without --runtime");
    free(out);

    snprintf(args, sizeof args,
             "model %s/models/resnet18.onnx --machine " ZEN3 " --runtime " PROFILE " --threads 2",
             rl_test_shared());
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert(strstr(out, "time: predicted for onnxruntime-node 1.30.0 (opt all, 2 threads) from "
                          "runtime profile " PROFILE "; the roofline bound beside it"),
              "%s", out);
    cr_assert(strstr(out, "class") && strstr(out, "pred. us") && strstr(out, "conv_stem"), "%s",
              out);
    cr_assert(strstr(out, "predicted (runtime)"), "%s", out);
    cr_assert_null(strstr(out, "WARNING"));
    free(out);

    /* without a machine: no bound line, no bound */
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx", rl_test_shared());
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert_null(strstr(out, "\ntime:"), "no time shown, no time line");
    free(out);
}

Test(predict_cli, without_runtime_the_json_is_unchanged)
{
    char args[1024];
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --machine " ZEN3 " --json -",
             rl_test_shared());
    cJSON *j = rl_test_run_json(args, 0);
    cr_assert_null(cJSON_GetObjectItem(j, "runtime"));
    cr_assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "totals"), "predicted_s"));
    const cJSON *n0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "nodes"), 0);
    cr_assert_null(cJSON_GetObjectItem(n0, "class"));
    cr_assert_null(cJSON_GetObjectItem(n0, "predicted_s"));
    cJSON_Delete(j);
}

Test(predict_cli, thread_count_must_be_calibrated)
{
    char args[1024], *err = NULL;
    snprintf(args, sizeof args,
             "model %s/models/resnet18.onnx --machine " ZEN3 " --runtime " PROFILE " --threads 4",
             rl_test_shared());
    cr_assert_eq(rl_test_run(args, NULL, &err), 2);
    cr_assert(strstr(err, "--threads: " PROFILE " was calibrated at 1, 2 thread(s), not 4"), "%s",
              err);
    free(err);
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --threads 2", rl_test_shared());
    cr_assert_eq(rl_test_run(args, NULL, &err), 2);
    cr_assert(strstr(err, "--threads: needs --runtime"), "%s", err);
    free(err);
    cr_assert_eq(rl_test_run("model x.onnx --runtime-any-cpu", NULL, &err), 2);
    cr_assert(strstr(err, "--runtime-any-cpu: needs --runtime"), "%s", err);
    free(err);
}

/* Writes j (and frees it) into the test's temporary folder; returns the path (static). */
static const char *write_json(cJSON *j, const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", rl_test_tmpdir(), name);
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    FILE *f = fopen(path, "w");
    cr_assert(f && text);
    fputs(text, f);
    fclose(f);
    free(text);
    return path;
}

/* Removes what write_json wrote, and its folder. */
static void remove_json(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    unlink(path);
    if (slash) {
        *slash = '\0';
        rmdir(dir);
    }
}

Test(predict_cli, another_cpu_is_refused_or_flagged)
{
    /* the profile as if calibrated elsewhere */
    cJSON *j = rl_test_json_file(PROFILE);
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "machine"), "cpu",
                              cJSON_CreateString("Intel Xeon Gold 6000  64-Core"));
    const char *path = write_json(j, "other-cpu.json");

    char args[2048], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --machine " ZEN3 " --runtime %s",
             rl_test_shared(), path);
    cr_assert_eq(rl_test_run(args, NULL, &err), 2);
    cr_assert(strstr(err, "was calibrated on 'Intel Xeon Gold 6000 64-Core', but --machine is "
                          "'AMD EPYC 7B13 64-Core Processor'"),
              "%s", err);
    cr_assert(strstr(err, "--runtime-any-cpu"), "%s", err);
    free(err);

    snprintf(args, sizeof args,
             "model %s/models/resnet18.onnx --machine " ZEN3 " --runtime %s --runtime-any-cpu",
             rl_test_shared(), path);
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert(strstr(out, "WARNING: ") && strstr(out, "not on 'AMD EPYC 7B13"), "%s", out);
    free(out);
    snprintf(args, sizeof args,
             "model %s/models/resnet18.onnx --machine " ZEN3
             " --runtime %s --runtime-any-cpu --json -",
             rl_test_shared(), path);
    j = rl_test_run_json(args, 0);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "runtime"), "cpu_mismatch")));
    cJSON_Delete(j);

    /* without --machine, this machine's CPU is the one predicted for: the profile's fake Xeon is
     * not it */
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --runtime %s", rl_test_shared(),
             path);
    cr_assert_eq(rl_test_run(args, NULL, &err), 2);
    cr_assert(strstr(err, "but this machine is '"), "%s", err);
    free(err);
    remove_json(path);
}

Test(predict_cli, damaged_profile_exits_3_naming_the_field)
{
    /* the third gemm point of the first thread count gets a negative time */
    cJSON *j = rl_test_json_file(PROFILE);
    cJSON *pt = cJSON_GetArrayItem(
        cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "threads"), 0),
                                "classes"),
            "gemm"),
        2);
    cJSON_ReplaceItemInObject(pt, "time_s", cJSON_CreateNumber(-1e-3));
    const char *path = write_json(j, "damaged.json");
    char args[2048], *err = NULL;
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --machine " ZEN3 " --runtime %s",
             rl_test_shared(), path);
    cr_assert_eq(rl_test_run(args, NULL, &err), 3);
    cr_assert(strstr(err, "damaged.json: field 'threads[0].classes.gemm[2].time_s': expected a "
                          "positive number"),
              "%s", err);
    free(err);
    remove_json(path);
}

/* ---- how sure: curve spreads, the interval, the nodes far from their calibration ---------- */

#define SPREAD "tests/data/runtime-spread.json"

/* tests/data/runtime-spread.json: conv_kxk's points have u = 1e-9, 1e-9, 4e-10 s per FLOP at
 * 1e3, 1e4, 1e5 FLOPs. Left out in turn, they are predicted at 1e-6 (clamped: exact), 7e-6 (u
 * halfway in log x: 7e-10) and 1e-4 (clamped at 1e-9): residuals 0, ln(1e-5 / 7e-6) = 0.356675
 * and ln(0.4) = -0.916291, root mean square 0.567688. copy is a line through the origin: 0. */
Test(predict, curve_spread_is_the_leave_one_out_residual)
{
    rl_runtime *rt;
    rl_err err = {0};
    cr_assert_eq(rl_runtime_read(SPREAD, &rt, &err), 0, "%s", err.msg);
    const rl_rt_threads *th = rl_runtime_threads(rt, 1);
    cr_assert_float_eq(rl_rt_curve_find(th, "conv_kxk")->spread, 0.567688, 1e-6);
    cr_assert_float_eq(rl_rt_curve_find(th, "copy")->spread, 0, 1e-12);
    double ratio;
    cr_assert_eq(rl_rt_curve_nearest(rl_rt_curve_find(th, "copy"), 2.5e4, &ratio), 1);
    cr_assert_float_eq(ratio, 2.5, 1e-9);
    rl_runtime_free(rt);
}

Test(predict, the_interval_adds_a_class_and_names_the_far_nodes)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/models/resnet18.onnx", rl_test_shared());
    rl_model *m;
    rl_runtime *rt;
    rl_err err = {0};
    cr_assert_eq(rl_model_analyze_file(path, NULL, &m, &err), 0, "%s", err.msg);
    cr_assert_eq(rl_runtime_read(SPREAD, &rt, &err), 0, "%s", err.msg);
    rl_prediction p;
    cr_assert_eq(rl_predict(m->g, rt, 1, 16, NULL, &p, &err), 0, "%s", err.msg);
    double s = rl_rt_curve_find(rl_runtime_threads(rt, 1), "conv_kxk")->spread;
    cr_assert_float_eq(s, 0.567688, 1e-6);
    double hi = 0, lo = 0;
    size_t executed = 0, kxk = 0;
    for (size_t i = 0; i < m->g->n_nodes; i++) {
        if (p.fuse.n[i].state != RL_FUSE_RUN)
            continue;
        executed++;
        const rl_pred_node *pn = &p.n[i];
        cr_assert(pn->far, "node %zu: resnet18's sizes are far from this profile's points", i);
        if (pn->curve && !strcmp(pn->curve->name, "conv_kxk")) {
            kxk++;
            cr_assert_float_eq(pn->hi_s, pn->predicted_s * exp(s), pn->predicted_s * 1e-5);
            hi += pn->predicted_s * (exp(s) - 1);
            lo += pn->predicted_s * (1 - exp(-s));
        } else if (!pn->curve) {
            cr_assert_float_eq(pn->hi_s, pn->predicted_s, 1e-15, "no curve: no interval");
        }
    }
    cr_assert(kxk >= 10, "resnet18 has 3x3 convolutions: %zu", kxk);
    /* one class with a spread (copy's is 0): the total's half-widths are that class's sums */
    cr_assert_float_eq(p.hi_s - p.total_s, hi, hi * 1e-6);
    cr_assert_float_eq(p.total_s - p.lo_s, lo, lo * 1e-6);
    cr_assert_eq(p.n_far, executed);
    rl_runtime_free(rt);
    rl_model_free(m);
}

Test(predict_cli, text_and_json_say_how_sure)
{
    char args[1024], *out = NULL;
    snprintf(args, sizeof args,
             "model %s/models/resnet18.onnx --machine " ZEN3 " --runtime " SPREAD " --threads 1",
             rl_test_shared());
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert(strstr(out, "  interval             "), "%s", out);
    cr_assert(strstr(out, "far from calibration "), "%s", out);
    cr_assert(strstr(out, "(conv_kxk): "), "a far node is named with its curve: %s", out);
    cr_assert(strstr(out, "x from 'kxk large'"), "and its nearest point: %s", out);
    free(out);
    strcat(args, " --json -");
    cJSON *j = rl_test_run_json(args, 0);
    const cJSON *tot = cJSON_GetObjectItem(j, "totals");
    cr_assert(rl_test_num(tot, "predicted_lo_s") <= rl_test_num(tot, "predicted_s"));
    cr_assert(rl_test_num(tot, "predicted_hi_s") > rl_test_num(tot, "predicted_s"));
    const cJSON *far = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "runtime"), "far_nodes");
    cr_assert(cJSON_GetArraySize(far) > 10);
    const cJSON *n, *seen = NULL;
    cJSON_ArrayForEach(n, cJSON_GetObjectItem(j, "nodes"))
    {
        const cJSON *c = cJSON_GetObjectItem(n, "curve");
        if (cJSON_IsString(c) && !strcmp(c->valuestring, "conv_kxk"))
            seen = n;
    }
    cr_assert(seen, "a node says which curve predicted it");
    cr_assert_float_eq(rl_test_num(seen, "curve_spread"), 0.567688, 1e-6);
    cr_assert_str_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(seen, "nearest_point"), "what")->valuestring,
        "kxk large");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(seen, "far_from_calibration")));
    cJSON_Delete(j);
}

/* int8 nodes get the int8 classes; the QDQ pattern runs as one quantized op. */
Test(predict, int8_classes)
{
    rl_fuse_view v;
    rl_model *m = load("tests/data/quant/qdq_conv.onnx", &v, 16);
    cr_assert_str_eq(class_of(m, &v, "conv"), "conv_int8");
    for (size_t i = 0; i < m->g->n_nodes; i++)
        if (!strcmp(m->g->nodes[i].src->name, "conv"))
            cr_assert_str_eq(v.n[i].exec_op, "QLinearConv");
    cr_assert_str_eq(class_of(m, &v, "dq_x"), "free");
    cr_assert_str_eq(class_of(m, &v, "dq_w"), "free");
    cr_assert_str_eq(class_of(m, &v, "quant_y"), "free");
    cr_assert_str_eq(class_of(m, &v, "quant_x"), "quantize");
    cr_assert_str_eq(class_of(m, &v, "dq_y"), "quantize");
    cr_assert_eq(v.n_reorders, 0, "a QDQ Conv is not blocked (NCHWc is for float Conv)");
    rl_model_free(m);

    m = load("tests/data/quant/qdq_matmul.onnx", &v, 16);
    cr_assert_str_eq(class_of(m, &v, "matmul"), "gemm_int8");
    rl_model_free(m);

    m = load("tests/data/quant/qop_ops.onnx", &v, 16);
    static const char *const want[][2] = {
        {"dql", "quantize"},
        {"matmul_integer", "gemm_int8"},
        {"qlinear_matmul", "gemm_int8"},
        {"qgemm", "gemm_int8"},
        {"qadd", "elementwise_int8"},
        {"qsigmoid", "elementwise_int8"},
        {"qconcat", "concat"},
        {"conv_integer", "conv_int8"},
        {"qgap", "pool"},
        {"dyn_quant_matmul", "gemm_int8"},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        cr_assert_str_eq(class_of(m, &v, want[k][0]), want[k][1], "%s", want[k][0]);
    rl_model_free(m);
}

/* A profile without int8 curves predicts int8 nodes at their roofline bound and says so. */
Test(predict_cli, int8_without_int8_curves_is_named)
{
    cJSON *j = rl_test_run_json("model tests/data/quant/qop_conv.onnx --machine " ZEN3
                                " --runtime " PROFILE " --threads 1 --json -",
                                0);
    const cJSON *miss = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "runtime"), "missing_classes");
    int found = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, miss) found |= !strcmp(e->valuestring, "conv_int8");
    cr_assert(found, "conv_int8 is listed as missing");
    cJSON_Delete(j);
}

/* Dynamic quantization (quantize_dynamic's DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul
 * [-> Add]) runs as one DynamicQuantizeMatMul, or as MatMulIntegerToFloat beside a shared
 * DynamicQuantizeLinear: ORT 1.30's optimised graphs of these two fixtures are exactly that. */
Test(predict, dynamic_quantization_fuses_as_ort_does)
{
    rl_fuse_view v;
    rl_model *m = load("tests/data/quant/dyn_matmul.onnx", &v, 16);
    cr_assert_eq(v.n_run, 1, "one kernel: %zu", v.n_run);
    for (size_t i = 0; i < m->g->n_nodes; i++)
        if (v.n[i].state == RL_FUSE_RUN)
            cr_assert_str_eq(v.n[i].exec_op, "DynamicQuantizeMatMul");
    cr_assert_str_eq(class_of(m, &v, "mmi0"), "gemm_int8");
    cr_assert_str_eq(class_of(m, &v, "dql"), "free");
    cr_assert_str_eq(class_of(m, &v, "bias_add"), "free");
    rl_model_free(m);

    m = load("tests/data/quant/dyn_matmul_shared.onnx", &v, 16);
    cr_assert_eq(v.n_run, 3, "the DynamicQuantizeLinear and two products: %zu", v.n_run);
    cr_assert_str_eq(class_of(m, &v, "dql"), "quantize");
    for (size_t i = 0; i < m->g->n_nodes; i++)
        if (v.n[i].state == RL_FUSE_RUN &&
            strcmp(m->g->nodes[i].src->op_type, "MatMulInteger") == 0)
            cr_assert_str_eq(v.n[i].exec_op, "MatMulIntegerToFloat");
    rl_model_free(m);
}
