/* test_sweep.c: `roofline model --sweep` on decoders with a KV cache (model/sweep.c), and the
 * byte counts of quantized weights: MatMulNBits (com.microsoft, model/shape_contrib.c) and the
 * blocked int4 DequantizeLinear -> MatMul pattern.
 *
 * The fixtures are Llama-class decoders written by scripts/models/export_decoders.py at its small
 * size (4 layers, d 256, 8 query heads and 2 KV heads of 32, SwiGLU 704, 4096 tokens), stripped
 * of their weights:
 *   decoder-llama-fp32.onnx        fp32 weights and KV cache
 *   decoder-llama-fp16-nbits.onnx  fp16, every MatMul weight as MatMulNBits (4 bits, blocks 32)
 *   decoder-llama-fp32-dq.onnx     fp32, every MatMul weight as int4 DequantizeLinear (opset 21)
 * so the KV cache holds 2 x 4 layers x 2 heads x 32 = 512 elements per token. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/sweep.h"
#include "tests/helpers.h"

#define FP32   "tests/data/decoder-llama-fp32.onnx"
#define NBITS  "tests/data/decoder-llama-fp16-nbits.onnx"
#define DQ     "tests/data/decoder-llama-fp32-dq.onnx"
#define KV_ELT 512.0 /* KV cache elements per token */

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    cr_assert(cJSON_IsString(v), "no string '%s'", k);
    return v->valuestring;
}

/* ---------------------------------------------------------------- the flag */

Test(sweep, parse_values)
{
    rl_sweep s;
    rl_err err = {0};
    cr_assert_eq(rl_sweep_parse("past_sequence=0,128,512,2048", &s, &err), 0, "%s", err.msg);
    cr_assert_str_eq(s.dim, "past_sequence");
    cr_assert_eq(s.n, 4);
    cr_assert_eq(s.values[0], 0);
    cr_assert_eq(s.values[3], 2048);
    cr_assert_eq(rl_sweep_parse("sequence=7", &s, &err), 0);
    cr_assert_eq(s.n, 1);
}

Test(sweep, parse_errors_name_the_flag_and_value)
{
    static const struct {
        const char *spec, *says;
    } bad[] = {
        {"past_sequence", "past_sequence"},
        {"=1,2", "=1,2"},
        {"past_sequence=", "no values"},
        {"past_sequence=1,,2", "empty value"},
        {"past_sequence=1,x", "'x'"},
        {"past_sequence=1.5", "'1.5'"},
        {"past_sequence=-1", "'-1' in"},
        {"past_sequence=0,", "empty value"},
        {"past_sequence=99999999999999999999", "not a whole number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rl_sweep s;
        rl_err err = {0};
        cr_assert_eq(rl_sweep_parse(bad[i].spec, &s, &err), -1, "%s", bad[i].spec);
        cr_assert_eq(err.code, RL_EXIT_USAGE, "%s", bad[i].spec);
        cr_assert(strstr(err.msg, "--sweep") && strstr(err.msg, bad[i].says), "%s: '%s'",
                  bad[i].spec, err.msg);
    }
    char many[1024] = "d=0";
    for (int i = 1; i <= RL_SWEEP_MAX; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), ",%d", i);
    rl_sweep s;
    rl_err err = {0};
    cr_assert_eq(rl_sweep_parse(many, &s, &err), -1);
    cr_assert(strstr(err.msg, "more than"), "%s", err.msg);
}

Test(sweep, cli_errors_exit_2)
{
    static const struct {
        const char *args, *says;
    } bad[] = {
        {"--dim batch=1 --dim sequence=1 --sweep nosuchdim=1,2", "nosuchdim"},
        {"--dim batch=1 --sweep past_sequence=", "no values"},
        {"--dim batch=1 --sweep past_sequence=0,abc", "'abc'"},
        {"--dim batch=1 --sweep past_sequence=0,-5", "'-5'"},
        {"--dim past_sequence=3 --sweep past_sequence=0,1", "also given with --dim"},
        {"--sweep past_sequence=1 --peak 1 --bandwidth 1 --svg /dev/null", "--svg"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char args[512], *err = NULL;
        snprintf(args, sizeof args, "model " FP32 " %s", bad[i].args);
        int rc = rl_test_run(args, NULL, &err);
        cr_assert_eq(rc, 2, "%s: rc %d, '%s'", args, rc, err);
        cr_assert(strstr(err, "--sweep") && strstr(err, bad[i].says), "%s: '%s'", args, err);
        free(err);
    }
}

/* ---------------------------------------------------------------- decode and prefill */

/* Decode (one new token): memory-bound at every past length, the weights read once a step, and
 * the bytes growing by the KV cache's bytes per token exactly. */
Test(sweep, decode_is_memory_bound_and_grows_by_the_kv_cache)
{
    cJSON *j = rl_test_run_json("model " FP32 " --dim batch=1 --dim sequence=1 --sweep "
                                "past_sequence=0,128,512,2048 --peak 500 --bandwidth 50 --json -",
                                0);
    cr_assert_str_eq(str(j, "sweep_dim"), "past_sequence");
    const cJSON *recs = cJSON_GetObjectItem(j, "sweep");
    cr_assert_eq(cJSON_GetArraySize(recs), 4, "one record per value");
    static const double past[] = {0, 128, 512, 2048};
    const cJSON *r0 = cJSON_GetArrayItem(recs, 0);
    for (int i = 0; i < 4; i++) {
        const cJSON *r = cJSON_GetArrayItem(recs, i);
        cr_assert_eq(rl_test_num(r, "value"), past[i]);
        cr_assert_str_eq(str(r, "bound"), "memory", "decode at %g", past[i]);
        cr_assert(strstr(str(r, "ridge_side"), "below"), "%s", str(r, "ridge_side"));
        cr_assert_eq(rl_test_num(r, "nodes_not_costed"), 0);
        /* the cache read: past x 512 elements x 4 bytes, exactly */
        cr_assert_eq(rl_test_num(r, "kv_bytes"), past[i] * KV_ELT * 4, "%g: %f", past[i],
                     rl_test_num(r, "kv_bytes"));
        cr_assert_eq(rl_test_num(r, "weight_bytes"), rl_test_num(r0, "weight_bytes"),
                     "weights do not depend on it");
        cr_assert_float_eq(rl_test_num(r, "bytes"),
                           rl_test_num(r, "weight_bytes") + rl_test_num(r, "kv_bytes") +
                               rl_test_num(r, "activation_bytes"),
                           1e-6 * rl_test_num(r, "bytes"));
        cr_assert_eq(rl_test_num(r, "tokens"), 1);
        cr_assert_float_eq(rl_test_num(r, "tokens_per_s"), 1 / rl_test_num(r, "time_s"),
                           1e-9 / rl_test_num(r, "time_s"));
        if (i == 0)
            continue;
        const cJSON *p = cJSON_GetArrayItem(recs, i - 1);
        double dkv = (past[i] - past[i - 1]) * KV_ELT * 4;
        cr_assert_eq(rl_test_num(r, "kv_bytes") - rl_test_num(p, "kv_bytes"), dkv);
        cr_assert_geq(rl_test_num(r, "bytes") - rl_test_num(p, "bytes"), dkv,
                      "the cache is read at least once");
        cr_assert_gt(rl_test_num(r, "time_s"), rl_test_num(p, "time_s"),
                     "time grows with the cache");
        cr_assert_gt(rl_test_num(r, "flops"), rl_test_num(p, "flops"),
                     "attention grows with the cache");
    }
    /* a decode step reads every weight once, 4.92 M parameters x 4 bytes, except the embedding
     * table (4096 x 256) of which it reads the one row it gathers */
    cr_assert_eq(rl_test_num(r0, "weight_bytes"), (4917504.0 - 4096 * 256 + 256) * 4);
    cJSON_Delete(j);
}

/* The same model at fp16 (weights and cache): half the bytes per token. */
Test(sweep, kv_bytes_at_the_cache_data_type)
{
    cJSON *j = rl_test_run_json("model " NBITS " --dim batch=1 --dim sequence=1 --sweep "
                                "past_sequence=0,100 --json -",
                                0);
    const cJSON *recs = cJSON_GetObjectItem(j, "sweep");
    cr_assert_eq(cJSON_GetArraySize(recs), 2);
    cr_assert_eq(rl_test_num(cJSON_GetArrayItem(recs, 1), "kv_bytes"), 100 * KV_ELT * 2);
    cr_assert(!cJSON_GetObjectItem(cJSON_GetArrayItem(recs, 1), "bound"), "no machine, no bound");
    cJSON_Delete(j);
}

/* Prefill (past 0): one token is memory-bound, a long prompt compute-bound on the same machine,
 * and tokens per run = batch x sequence. */
Test(sweep, prefill_crosses_the_ridge)
{
    cJSON *j = rl_test_run_json("model " FP32 " --dim batch=2 --dim past_sequence=0 --sweep "
                                "sequence=1,16,128 --peak 100 --bandwidth 50 --json -",
                                0);
    const cJSON *recs = cJSON_GetObjectItem(j, "sweep");
    cr_assert_eq(cJSON_GetArraySize(recs), 3);
    const cJSON *first = cJSON_GetArrayItem(recs, 0), *last = cJSON_GetArrayItem(recs, 2);
    cr_assert_str_eq(str(first, "bound"), "memory");
    cr_assert_str_eq(str(last, "bound"), "compute");
    cr_assert_eq(rl_test_num(first, "tokens"), 2);
    cr_assert_eq(rl_test_num(last, "tokens"), 256);
    cr_assert_gt(rl_test_num(last, "intensity"), 5 * rl_test_num(first, "intensity"));
    cr_assert_gt(rl_test_num(last, "tokens_per_s"), 1.5 * rl_test_num(first, "tokens_per_s"),
                 "a prompt's tokens come far cheaper than one at a time");
    cr_assert_eq(rl_test_num(last, "kv_bytes"), 0, "nothing cached before the prompt");
    cJSON_Delete(j);
}

Test(sweep, text_and_csv_rows)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("model " FP32 " --dim batch=1 --dim sequence=1 --sweep "
                             "past_sequence=0,2048 --peak 100 --bandwidth 10",
                             &out, NULL),
                 0);
    cr_assert(strstr(out, "sweep of past_sequence (with batch=1, sequence=1)"), "%s", out);
    cr_assert(strstr(out, "KV cache MB") && strstr(out, "tokens/s") && strstr(out, "below"), "%s",
              out);
    free(out);
    cr_assert_eq(rl_test_run("model " FP32 " --dim batch=1 --dim sequence=1 --sweep "
                             "past_sequence=0,1,2048 --csv -",
                             &out, NULL),
                 0);
    int lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 4, "a header and a row per value: '%s'", out);
    cr_assert(!strncmp(out, "dim,value,flops,bytes,weight_bytes,kv_bytes", 43), "%s", out);
    cr_assert(strstr(out, "\npast_sequence,2048,"), "%s", out);
    free(out);
}

/* ---------------------------------------------------------------- quantized weights */

static rl_model *analyze(const char *path, int64_t seq, int64_t past)
{
    rl_shape_dim_opt dims[3] = {{"batch", 1, 0}, {"sequence", seq, 0}, {"past_sequence", past, 0}};
    rl_shape_opts o = {dims, 3, NULL, 0};
    rl_model *m = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_model_analyze_file(path, &o, &m, &err), 0, "%s", err.msg);
    cr_assert_eq(m->g->n_unsupported, 0, "%s: every op has a rule", path);
    cr_assert_eq(m->g->n_unknown_nodes, 0, "%s: every node shaped", path);
    cr_assert(!m->tot.incomplete, "%s", path);
    return m;
}

static int64_t attr(const rl_node *n, const char *name)
{
    return rl_onnx_attr_int(n->src, name, -1);
}

/* MatMulNBits reads its weight at 4 bits a value, plus one fp16 scale and a 4-bit zero point per
 * block of 32: K x N / 2 + (K / 32) x N x 2 + N x ceil(K / 64) bytes, and K multiply-adds per
 * output. */
Test(sweep, matmul_nbits_weights_at_four_bits_plus_scales)
{
    rl_model *m = analyze(NBITS, 3, 5);
    size_t found = 0;
    for (size_t i = 0; i < m->g->n_nodes; i++) {
        const rl_node *n = &m->g->nodes[i];
        if (strcmp(n->src->op_type, "MatMulNBits") != 0)
            continue;
        cr_assert_str_eq(n->src->domain, "com.microsoft");
        double k = (double)attr(n, "K"), nn = (double)attr(n, "N");
        cr_assert_eq(attr(n, "bits"), 4);
        cr_assert_eq(attr(n, "block_size"), 32);
        double want = k * nn / 2 + k / 32 * nn * 2 + nn * ceil(k / 64);
        cr_assert_eq(n->weight_bytes, want, "%s: %f, want %f", n->src->name, n->weight_bytes, want);
        cr_assert_eq(n->macs, 3 * k * nn, "%s", n->src->name);
        const rl_tensor *y = &m->g->t[n->out[0]];
        cr_assert_eq(y->dtype, RL_DT_FLOAT16);
        cr_assert_eq(y->dims[2].v, (int64_t)nn);
        found++;
    }
    cr_assert_eq(found, 4 * 7 + 1, "q k v o gate up down per layer, and the head");
    rl_model_free(m);
}

/* int4 DequantizeLinear (opset 21, block_size 32) feeding a MatMul: the pair reads the packed
 * weights (two per byte), fp32 scales and int4 zero points; the dequantized fp32 copy is never
 * counted. */
Test(sweep, blocked_int4_dequantize_counts_packed_bytes)
{
    rl_model *m = analyze(DQ, 1, 7);
    size_t found = 0;
    for (size_t i = 0; i < m->g->n_nodes; i++) {
        const rl_node *n = &m->g->nodes[i];
        if (strcmp(n->src->op_type, "DequantizeLinear") != 0)
            continue;
        const rl_tensor *q = &m->g->t[n->in[0]];
        cr_assert_eq(q->dtype, RL_DT_INT4);
        double k = (double)q->dims[0].v, nn = (double)q->dims[1].v;
        cr_assert_eq(n->bytes_read + n->bytes_written, 0, "fused into its MatMul");
        /* its one consumer */
        const rl_node *mm = NULL;
        for (size_t j = i + 1; j < m->g->n_nodes && !mm; j++)
            if (m->g->nodes[j].src->n_inputs > 1 && m->g->nodes[j].in[1] == n->out[0])
                mm = &m->g->nodes[j];
        cr_assert(mm && !strcmp(mm->src->op_type, "MatMul"));
        double want = k * nn / 2 + k / 32 * nn * 4 + k / 32 * nn / 2;
        cr_assert_eq(mm->weight_bytes, want, "%s: %f, want %f", mm->src->name, mm->weight_bytes,
                     want);
        found++;
    }
    cr_assert_eq(found, 4 * 7 + 1);
    /* parameters are counted at their stored types: int4 two per byte */
    rl_model *f = analyze(FP32, 1, 7);
    cr_assert_lt((double)m->tot.param_bytes, 0.4 * (double)f->tot.param_bytes);
    rl_model_free(f);
    rl_model_free(m);
}

/* A dimension left unset: the rows are lower bounds, flagged, and the JSON names what to set. */
Test(sweep, unset_dims_are_named_and_rows_flagged)
{
    cJSON *j =
        rl_test_run_json("model " FP32 " --dim batch=1 --sweep past_sequence=0,8 --json -", 0);
    cr_assert_str_eq(str(j, "unknown_dims"), "sequence");
    const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sweep"), 1);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(r, "incomplete")));
    cr_assert_gt(rl_test_num(r, "nodes_not_costed"), 0);
    cJSON_Delete(j);
}

/* Multiply-adds equal torch.profiler's (aten::mm + bmm FLOPs / 2, the exporter's module run at the
 * same sizes: batch 1, 3 new tokens after 5 cached), and quantizing the weights keeps them. */
Test(sweep, macs_equal_torch_profiler)
{
    static const char *const files[] = {FP32, NBITS, DQ};
    for (size_t i = 0; i < 3; i++) {
        rl_model *m = analyze(files[i], 3, 5);
        cr_assert_eq(m->tot.macs, 11649024, "%s: %.0f", files[i], m->tot.macs);
        rl_model_free(m);
    }
}
