/* test_ort_fuse.c: ONNX Runtime's default-optimisation view (model/ort_fuse.c), one fusion rule per
 * small graph of tests/data/fuse/ (written by scripts/models/make_fuse_fixtures.py; each was
 * checked against ORT 1.30's saved optimised graph with scripts/models/ort_optimized_ops.mjs). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "model/ort_fuse.h"

static rl_model *m;
static rl_fuse_view v;

/* Loads tests/data/fuse/<name>.onnx and builds its view with an AVX-512 NCHWc block. */
static void view_of(const char *name, int block)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/fuse/%s.onnx", name);
    rl_err err = {0};
    cr_assert_eq(rl_model_analyze_file(path, NULL, &m, &err), 0, "%s", err.msg);
    cr_assert_eq(rl_ort_fuse(m->g, block, &v, &err), 0, "%s", err.msg);
}

static void done(void)
{
    rl_model_free(m);
    m = NULL;
}

static void expect_fused(size_t i, long into)
{
    cr_assert_eq(v.n[i].state, RL_FUSE_FUSED, "node %zu (%s) fused", i,
                 m->g->nodes[i].src->op_type);
    cr_assert_eq(v.n[i].into, into, "node %zu into %ld, not %ld", i, into, v.n[i].into);
}

static void expect_run(size_t i, const char *exec, const char *act)
{
    cr_assert_eq(v.n[i].state, RL_FUSE_RUN, "node %zu (%s) runs", i, m->g->nodes[i].src->op_type);
    cr_assert_str_eq(v.n[i].exec_op, exec);
    if (act)
        cr_assert(v.n[i].act && !strcmp(v.n[i].act, act), "node %zu activation %s", i, act);
    else
        cr_assert_null(v.n[i].act, "node %zu has no activation", i);
}

static size_t reorders(const char *op)
{
    size_t n = 0;
    for (size_t k = 0; k < v.n_reorders; k++)
        n += !strcmp(v.reorders[k].op, op);
    return n;
}

Test(ort_fuse, conv_batchnorm_relu, .fini = done)
{
    view_of("conv_bn_relu", 16);
    expect_run(0, "Conv", "Relu");
    expect_fused(1, 0);
    expect_fused(2, 0);
    cr_assert_eq(v.n_run, 1);
    cr_assert(v.n[0].nchwc);
    /* 16 input channels: the input is reordered; the graph output reordered back */
    cr_assert_eq(reorders("ReorderInput"), 1);
    cr_assert_eq(reorders("ReorderOutput"), 1);
    cr_assert_float_eq(v.reorders[0].bytes, 2.0 * 16 * 8 * 8 * 4, 1e-9, "read + write");
    /* the group reads x, the weights, bias and BN parameters, and writes y */
    double want = (16 * 64 + 16 * 16 * 9 + 16 + 4 * 16 + 16 * 64) * 4.0;
    cr_assert_float_eq(v.n[0].bytes, want, 1e-9, "%g", v.n[0].bytes);
    cr_assert(v.n[0].flops > m->g->nodes[0].flops, "BN and Relu FLOPs added");
}

Test(ort_fuse, conv_mul_add_by_constants_and_clip, .fini = done)
{
    view_of("conv_mul_add_clip", 16);
    expect_run(0, "Conv", "Clip");
    for (size_t i = 1; i < 4; i++)
        expect_fused(i, 0);
}

Test(ort_fuse, conv_activations, .fini = done)
{
    view_of("conv_activations", 16);
    expect_run(0, "Conv", "LeakyRelu");
    expect_run(2, "Conv", "Sigmoid");
    expect_run(4, "Conv", "Tanh");
    expect_run(6, "Conv", "HardSigmoid");
    for (size_t i = 1; i < 8; i += 2)
        expect_fused(i, (long)i - 1);
}

Test(ort_fuse, a_second_consumer_keeps_the_activation_apart, .fini = done)
{
    view_of("conv_two_consumers", 16);
    expect_run(0, "Conv", NULL);
    expect_run(1, "Relu", NULL);
    cr_assert(v.n[1].nchwc, "Relu runs on the blocked tensor");
    cr_assert_eq(reorders("ReorderOutput"), 2, "both graph outputs go back to NCHW");
}

Test(ort_fuse, residual_add_and_relu_fold_into_the_conv, .fini = done)
{
    view_of("conv_residual", 16);
    expect_run(0, "Conv", "Relu");
    expect_run(2, "Conv", "Relu");
    expect_run(4, "Conv", "Relu");
    cr_assert(v.n[4].sum, "the Add is the Conv's Sum input");
    expect_fused(5, 4);
    expect_fused(6, 4);
    cr_assert_eq(v.n_run, 3);
}

Test(ort_fuse, residual_add_stays_without_nchwc, .fini = done)
{
    view_of("conv_residual", 0);
    expect_run(5, "Add", NULL);
    expect_run(6, "Relu", NULL);
    cr_assert_eq(v.n_reorders, 0);
}

Test(ort_fuse, hardswish_into_conv_and_silu_as_quickgelu, .fini = done)
{
    view_of("conv_hardswish_silu", 16);
    expect_run(0, "Conv", "HardSwish");
    expect_fused(1, 0);
    expect_fused(2, 0);
    expect_run(3, "Conv", NULL);
    expect_run(4, "QuickGelu", NULL);
    expect_fused(5, 4);
    cr_assert(v.n[4].nchwc, "QuickGelu runs on blocked data");
    cr_assert_eq(v.n_run, 3);
}

Test(ort_fuse, matmul_bias_to_gemm_and_gelu, .fini = done)
{
    view_of("matmul_bias_gelu", 16);
    expect_run(0, "Gemm", NULL);
    expect_fused(1, 0);
    expect_run(2, "Gelu", NULL);
    for (size_t i = 3; i < 7; i++)
        expect_fused(i, 2);
    cr_assert_eq(v.n_extra_views, 2, "a 3-D A: Reshape before and after the Gemm");
    /* Gelu reads z (and its three scalars) and writes y: 1x4x64 floats each */
    cr_assert_float_eq(v.n[2].bytes, (2 * 256 + 3) * 4.0, 1e-9, "%g", v.n[2].bytes);
}

Test(ort_fuse, transpose_and_scale_into_fusedmatmul, .fini = done)
{
    view_of("matmul_scale_transpose", 16);
    expect_fused(0, 1);
    expect_run(1, "FusedMatMul", NULL);
    expect_fused(2, 1);
    cr_assert_eq(v.n_run, 1);
}

Test(ort_fuse, layernorm_pattern_with_add_is_skiplayernorm, .fini = done)
{
    view_of("skip_layernorm", 16);
    expect_fused(0, 1);
    expect_run(1, "SkipLayerNormalization", NULL);
    for (size_t i = 2; i < 10; i++)
        expect_fused(i, 1);
    cr_assert_eq(v.n_run, 1);
    /* reads x, r, gamma, beta (and the two scalars), writes y */
    double want = (3 * 128 + 2 * 32 + 2) * 4.0;
    cr_assert_float_eq(v.n[1].bytes, want, 1e-9, "%g", v.n[1].bytes);
}

Test(ort_fuse, constants_fold_and_slices_become_one_split, .fini = done)
{
    view_of("folding_and_split", 16);
    cr_assert_eq(v.n[0].state, RL_FUSE_FOLDED, "a weight's Transpose is a constant");
    expect_run(1, "MatMul", NULL);
    for (size_t i = 2; i < 7; i++)
        cr_assert_eq(v.n[i].state, RL_FUSE_FOLDED, "shape arithmetic node %zu", i);
    expect_run(7, "Split", NULL);
    expect_fused(8, 7);
    expect_fused(9, 7);
    cr_assert_eq(v.n_run, 4);
    cr_assert_null(rl_fuse_op(m->g, &v, 0));
    cr_assert_str_eq(rl_fuse_op(m->g, &v, 7), "Split");
}

Test(ort_fuse, a_layernorm_between_permutes_stays_unfused, .fini = done)
{
    view_of("permuted_layernorm", 16);
    for (size_t i = 0; i < 11; i++)
        expect_run(i, m->g->nodes[i].src->op_type, NULL);
}
