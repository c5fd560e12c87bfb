/* test_quant.c: quantized models (model/quant.c, model/shape_quant.c): QDQ and QOperator graphs
 * counted as int8 at their real widths, placed on the int8 roof, and the bad ones named. The
 * models are tests/data/quant/, written by scripts/models/make_quant_fixtures.py; every expected
 * figure below is computed by hand beside its assertion. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/roof.h"
#include "result/result.h"
#include "tests/helpers.h"

#define QDIR "tests/data/quant/"

static rl_model *load(const char *file)
{
    rl_shape_opts o = {0};
    rl_model *m = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_model_analyze_file(file, &o, &m, &err), 0, "%s", err.msg);
    return m;
}

static const rl_node *node(const rl_model *m, const char *name)
{
    for (size_t i = 0; i < m->g->n_nodes; i++)
        if (!strcmp(m->g->nodes[i].src->name, name))
            return &m->g->nodes[i];
    cr_assert_fail("no node '%s'", name);
    return NULL;
}

static void machine(const char *file, rl_roof_machine *mc)
{
    rl_err err = {0};
    rl_result *r = rl_result_read(file, &err);
    cr_assert(r, "%s", err.msg);
    cr_assert_eq(rl_roof_from_result(r, "fp32", NULL, file, mc, &err), 0, "%s", err.msg);
    rl_result_free(r);
}

/* x [1,8,16,16] -> Q/DQ -> Conv 3x3 pad 1, 8 -> 16 channels -> Q/DQ. */
Test(quant, qdq_conv_counts_as_one_int8_operator)
{
    rl_model *m = load(QDIR "qdq_conv.onnx");
    const rl_node *c = node(m, "conv");
    cr_assert(c->int8);
    cr_assert_eq(c->qdq, RL_QDQ_CORE);
    /* 16x16x16 outputs x 8x3x3 = 294912 multiply-adds, 2 int8 operations each */
    cr_assert_float_eq(c->macs, 294912, 0.5);
    cr_assert_float_eq(c->flops, 589824, 0.5);
    /* read: x uint8 8x16x16 = 2048, x_scale 4 + x_zero_point 1; w int8 16x8x3x3 = 1152, w_scale 4
     * + w_zero_point 1; bias int32 16 x 4 = 64 + its scale 4; the QuantizeLinear's y_scale 4 +
     * y_zero_point 1 = 3283. Written: the uint8 output 16x16x16 = 4096. */
    cr_assert_float_eq(c->bytes_read, 3283, 0.5);
    cr_assert_float_eq(c->bytes_written, 4096, 0.5);
    /* the absorbed nodes move nothing */
    const char *gone[] = {"dq_x", "dq_w", "dq_b", "quant_y"};
    for (size_t k = 0; k < 4; k++) {
        const rl_node *d = node(m, gone[k]);
        cr_assert_eq(d->qdq, RL_QDQ_ABSORBED, "%s", gone[k]);
        cr_assert_float_eq(d->bytes_read + d->bytes_written + d->flops, 0, 1e-9, "%s", gone[k]);
        cr_assert(!d->int8);
    }
    /* the graph's edges are float: quantize x (8192 bytes in + scale and zero point, 2048 out,
     * 2 operations per element), dequantize y (4096 + 5 in, 16384 out) */
    const rl_node *q = node(m, "quant_x"), *dq = node(m, "dq_y");
    cr_assert_eq(q->qdq, RL_QDQ_NONE);
    cr_assert_float_eq(q->bytes_read + q->bytes_written, 8192 + 5 + 2048, 0.5);
    cr_assert_float_eq(q->flops, 4096, 0.5);
    cr_assert_float_eq(dq->bytes_read + dq->bytes_written, 4101 + 16384, 0.5);
    cr_assert_eq(m->g->n_int8, 1);
    rl_model_free(m);
}

/* The same network written as QOperator: the same multiply-adds and the same bytes but the bias
 * scale (QLinearConv's bias has none of its own: 3279 read). */
Test(quant, qoperator_conv_matches_the_qdq_one)
{
    rl_model *m = load(QDIR "qop_conv.onnx");
    const rl_node *c = node(m, "qconv");
    cr_assert(c->int8);
    cr_assert_eq(c->qdq, RL_QDQ_NONE);
    cr_assert_float_eq(c->macs, 294912, 0.5);
    cr_assert_float_eq(c->bytes_read, 3279, 0.5);
    cr_assert_float_eq(c->bytes_written, 4096, 0.5);
    rl_model_free(m);
}

/* QDQ MatMul without a QuantizeLinear after it (MatMulIntegerToFloat in ORT): x [1,4,32] uint8,
 * w [32,64] int8 with 64 scales and zero points; float output. */
Test(quant, qdq_matmul_reads_int8_writes_float)
{
    rl_model *m = load(QDIR "qdq_matmul.onnx");
    const rl_node *mm = node(m, "matmul");
    cr_assert(mm->int8);
    cr_assert_eq(mm->qdq, RL_QDQ_CORE);
    cr_assert_eq(mm->qdq_out, -1);
    cr_assert_float_eq(mm->macs, 4 * 64 * 32, 0.5);
    /* x 128 + 4 + 1; w 2048 + 64 x 4 + 64 (weights: 2368) */
    cr_assert_float_eq(mm->bytes_read, 133 + 2368, 0.5);
    cr_assert_float_eq(mm->weight_bytes, 2368, 0.5);
    cr_assert_float_eq(mm->bytes_written, 4 * 64 * 4, 0.5);
    rl_model_free(m);
}

Test(quant, qoperator_and_contrib_ops_have_shapes_and_int8_costs)
{
    rl_model *m = load(QDIR "qop_ops.onnx");
    cr_assert_eq(m->tot.nodes_not_costed, 0, "every node costed");
    struct {
        const char *name;
        double macs, flops, bytes;
        int int8;
    } want[] = {
        /* [4,32] x [32,16]: 2048 MACs. MatMulInteger reads a_q 128 + w8 512 + a_z 1, writes
         * int32 64 x 4 = 256 */
        {"matmul_integer", 2048, 4096, 128 + 512 + 1 + 256, 1},
        /* + three scales (12) and zero points (3), writes uint8 64 */
        {"qlinear_matmul", 2048, 4096, 128 + 512 + 12 + 3 + 64, 1},
        /* QGemm transB: B [16,32], int32 bias 64; a_scale/zp, b_scale/zp, y_scale/zp 15 */
        {"qgemm", 2048, 4096, 128 + 512 + 64 + 15 + 64, 1},
        /* one operation per element; both inputs 64 + one scale and zero point (5: the same
         * initializers are read once) + output 64 */
        {"qadd", 0, 64, 64 + 64 + 5 + 64, 1},
        {"qconcat", 0, 0, 64 + 64 + 5 + 128, 1},
        /* 1 per input element, 128; output 4 */
        {"qgap", 0, 128, 128 + 5 + 4, 1},
        /* [1,8,6,6] x [4,8,3,3] -> [1,4,4,4]: 64 x 72 = 4608 MACs; 288 + 288 + 1 + 1 + 256 */
        {"conv_integer", 4608, 9216, 288 + 288 + 2 + 256, 1},
        /* A float [4,32] 512 + w8 512 + 5, float out 256 */
        {"dyn_quant_matmul", 2048, 4096, 512 + 512 + 5 + 256, 1},
        {"dql", 0, 0, 512 + 128 + 4 + 1, 0},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        const rl_node *n = node(m, want[k].name);
        cr_assert_eq(n->status, RL_NODE_OK, "%s: %s", want[k].name, n->note ? n->note : "");
        cr_assert_float_eq(n->macs, want[k].macs, 0.5, "%s macs %g", want[k].name, n->macs);
        cr_assert_float_eq(n->flops, want[k].flops, 0.5, "%s flops %g", want[k].name, n->flops);
        cr_assert_float_eq(n->bytes_read + n->bytes_written, want[k].bytes, 0.5, "%s bytes %g",
                           want[k].name, n->bytes_read + n->bytes_written);
        cr_assert_eq(n->int8 != 0, want[k].int8, "%s int8", want[k].name);
    }
    char s[64];
    rl_tensor_shape_str(&m->g->t[node(m, "qgap")->out[0]], s, sizeof s);
    cr_assert_str_eq(s, "1x4x1x1");
    cr_assert_eq(m->g->t[node(m, "qgemm")->out[0]].dtype, RL_DT_UINT8);
    cr_assert_eq(m->g->t[node(m, "matmul_integer_to_float")->out[0]].dtype, RL_DT_FLOAT);
    rl_model_free(m);
}

/* int8 nodes go on the int8 roof where the machine has one (icx-2s.json: avx512-vnni, 44100
 * GOP/s at 80 threads), and on the fp32 peak where it has none (zen3.json), said in the output. */
Test(quant, int8_nodes_on_the_int8_roof)
{
    rl_roof_machine icx, zen;
    machine("tests/data/icx-2s.json", &icx);
    machine("tests/data/zen3.json", &zen);
    cr_assert_float_eq(icx.int8_gops, 44100, 0.5);
    cr_assert(strstr(icx.int8_source, "measured: avx512-vnni int8, 80 threads"), "%s",
              icx.int8_source);
    cr_assert_eq(zen.int8_gops, 0);
    rl_model *m = load(QDIR "qop_conv.onnx");
    rl_roof_place(m->g, &icx);
    const rl_node *c = node(m, "qconv");
    int on8;
    cr_assert_float_eq(rl_roof_node_peak(c, &icx, &on8), 44100, 0.5);
    cr_assert(on8);
    /* 589824 operations over 7375 bytes = 80.0 op/B, below the int8 ridge 44100 / 311.2: memory
     * bound, attainable 80.0 x 311.2 GB/s */
    cr_assert_eq(c->bound, RL_BOUND_MEMORY);
    cr_assert_float_eq(c->attainable_gflops, 589824.0 / 7375 * icx.bw_gbs, 1e-6);
    rl_roof_node_peak(c, &zen, &on8);
    cr_assert(!on8);
    rl_model_free(m);
}

Test(quant, cli_says_which_roof_each_node_uses)
{
    char *out = NULL;
    int rc =
        rl_test_run("model " QDIR "qdq_conv.onnx --machine tests/data/icx-2s.json", &out, NULL);
    cr_assert_eq(rc, 0);
    cr_assert(strstr(out, "int8 roof: 44100.0 GOP/s (measured: avx512-vnni int8, 80 threads), "
                          "for the 1 int8 node"),
              "%s", out);
    cr_assert(strstr(out, "of which int8        590 k operations in 1 int8 node"), "%s", out);
    free(out);
    rc = rl_test_run("model " QDIR "qdq_conv.onnx --machine tests/data/zen3.json", &out, NULL);
    cr_assert_eq(rc, 0);
    cr_assert(strstr(out, "int8 roof: none (the machine has no int8 row, measured or "
                          "theoretical): the 1 int8 node goes on the fp32 peak above"),
              "%s", out);
    cr_assert(strstr(out, "fp32 (no int8 roof)"), "%s", out);
    free(out);
    rc = rl_test_run("model " QDIR "qdq_conv.onnx --machine tests/data/icx-2s.json --svg -", &out,
                     NULL);
    cr_assert_eq(rc, 0);
    cr_assert(strstr(out, "int8 roof 44100.0 GOP/s"), "the chart draws the int8 roof: %s", out);
    cr_assert(strstr(out, "conv (Conv): int8, "), "and says which points are int8: %s", out);
    free(out);
    cJSON *j = rl_test_run_json(
        "model " QDIR "qdq_conv.onnx --machine tests/data/icx-2s.json --json -", 0);
    const cJSON *nodes = cJSON_GetObjectItem(j, "nodes"), *n;
    int seen = 0;
    cJSON_ArrayForEach(n, nodes)
    {
        const char *name = cJSON_GetObjectItem(n, "name")->valuestring;
        if (!strcmp(name, "conv")) {
            cr_assert_str_eq(cJSON_GetObjectItem(n, "roof")->valuestring, "int8");
            cr_assert_str_eq(cJSON_GetObjectItem(n, "qdq")->valuestring, "core");
            cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(n, "int8")));
            seen++;
        } else if (!strcmp(name, "dq_w")) {
            cr_assert_str_eq(cJSON_GetObjectItem(n, "qdq")->valuestring, "absorbed");
            seen++;
        }
    }
    cr_assert_eq(seen, 2);
    const cJSON *mc = cJSON_GetObjectItem(j, "machine");
    cr_assert_float_eq(rl_test_num(mc, "int8_peak_gops"), 44100, 0.5);
    cr_assert_float_eq(rl_test_num(cJSON_GetObjectItem(j, "totals"), "int8_ops"), 589824, 0.5);
    cJSON_Delete(j);
}

/* A float model's outputs carry none of this (they stay as they were). */
Test(quant, float_models_have_no_int8_fields)
{
    char *out = NULL;
    char args[1024];
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --machine tests/data/icx-2s.json",
             rl_test_shared());
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert_null(strstr(out, "int8"), "%s", out);
    free(out);
}

Test(quant, bad_quantized_graphs_name_the_node_and_input)
{
    struct {
        const char *file, *node, *note;
    } bad[] = {
        {"bad_dq_zero_point", "dq_wrong_zp",
         "x_zero_point (input 2) is int8, expected uint8 like x (input 0)"},
        {"bad_q_no_scale", "quant_no_scale", "no y_scale (input 1): a quantized y needs one"},
        {"bad_qdq_int32_zp", "quant_int32_zp",
         "y_zero_point (input 2) is int32, expected an 8-, 16- or 4-bit integer or float8 type"},
        {"bad_qlinearconv_bias", "qconv_float_bias", "bias (input 8) is float32, expected int32"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, QDIR "%s.onnx", bad[k].file);
        rl_model *m = load(path);
        const rl_node *n = node(m, bad[k].node);
        cr_assert_eq(n->status, RL_NODE_ERROR, "%s", bad[k].file);
        cr_assert(n->note && strstr(n->note, bad[k].note), "%s: %s", bad[k].file,
                  n->note ? n->note : "(no note)");
        cr_assert(m->tot.incomplete);
        rl_model_free(m);
        /* the command names the node beside the note, and warns the totals are incomplete */
        char args[512], *out = NULL, *err = NULL;
        snprintf(args, sizeof args, "model %s", path);
        cr_assert_eq(rl_test_run(args, &out, &err), 0);
        cr_assert(strstr(out, bad[k].node) && strstr(out, "error: "), "%s", out);
        cr_assert(strstr(err, "totals are incomplete"), "%s", err);
        free(out);
        free(err);
    }
}
