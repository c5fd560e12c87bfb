/* test_shape_contrib.c: the com.microsoft rules (model/shape_contrib.c) on one node built in
 * memory: MatMulNBits' output shape and type, and a note for each way its attributes and packed
 * inputs can disagree. Whole models with these ops are in test_sweep.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "model/arena.h"
#include "model/shape_int.h"

/* A [a0 x a1 x k_a] float32, B [b0 x b1 x b2] uint8, scales [s] float32; -1 leaves A's rank
 * unknown. */
typedef struct nbits_case {
    int64_t k_a, b0, b1, b2, s;
    int64_t K, N, bits, block; /* attributes; 0 leaves one out */
} nbits_case;

/* Runs the rule; *y gets the output tensor, its dims copied to ydims (the arena is freed). */
static int run_nbits(const nbits_case *t, rl_tensor *y, rl_dim ydims[3], char *note,
                     size_t note_size)
{
    rl_arena *a = rl_arena_new();
    cr_assert(a);
    rl_dim ad[3] = {{1, NULL}, {3, NULL}, {t->k_a, NULL}};
    rl_dim bd[3] = {{t->b0, NULL}, {t->b1, NULL}, {t->b2, NULL}};
    rl_dim sd[1] = {{t->s, NULL}};
    rl_tensor ts[4] = {
        {.name = "A",
         .kind = RL_T_INPUT,
         .dtype = RL_DT_FLOAT,
         .rank = t->k_a < 0 ? -1 : 3,
         .dims = ad},
        {.name = "B", .kind = RL_T_INIT, .dtype = RL_DT_UINT8, .rank = 3, .dims = bd},
        {.name = "scales", .kind = RL_T_INIT, .dtype = RL_DT_FLOAT, .rank = 1, .dims = sd},
        {.name = "Y", .kind = RL_T_ACT, .rank = -1},
    };
    rl_onnx_attr at[4];
    size_t na = 0;
    const char *names[4] = {"K", "N", "bits", "block_size"};
    const int64_t vals[4] = {t->K, t->N, t->bits, t->block};
    for (int i = 0; i < 4; i++)
        if (vals[i])
            at[na++] = (rl_onnx_attr){.name = names[i], .type = RL_AT_INT, .i = vals[i]};
    const char *in[3] = {"A", "B", "scales"}, *out[1] = {"Y"};
    rl_onnx_node o = {.name = "mm",
                      .op_type = "MatMulNBits",
                      .domain = "com.microsoft",
                      .inputs = in,
                      .n_inputs = 3,
                      .outputs = out,
                      .n_outputs = 1,
                      .attrs = at,
                      .n_attrs = na};
    size_t nin[3] = {0, 1, 2}, nout[1] = {3};
    rl_node n = {.src = &o, .in = nin, .out = nout};
    rl_graph g = {.a = a, .t = ts, .n_t = 4, .nodes = &n, .n_nodes = 1};
    rl_shape_ctx c = {.g = &g, .n = &n, .o = &o, .opset = 17};
    c.note[0] = '\0';
    rl_shape_rule_fn fn = NULL;
    for (const rl_shape_rule *r = rl_shape_rules_contrib; r->op; r++)
        if (!strcmp(r->op, "MatMulNBits"))
            fn = r->fn;
    cr_assert(fn, "MatMulNBits has a rule");
    int rc = fn(&c);
    *y = ts[3];
    y->dims = NULL;
    if (ts[3].rank == 3) {
        memcpy(ydims, ts[3].dims, 3 * sizeof(rl_dim));
        y->dims = ydims;
    }
    snprintf(note, note_size, "%s", c.note);
    rl_arena_free(a);
    return rc;
}

Test(shape_contrib, matmul_nbits_output_is_a_times_n)
{
    /* K 64 in blocks of 32: 2 blocks of 16 bytes per column; N 128; 256 scales */
    nbits_case t = {64, 128, 2, 16, 256, 64, 128, 4, 32};
    rl_tensor y;
    rl_dim yd[3];
    char note[256];
    cr_assert_eq(run_nbits(&t, &y, yd, note, sizeof note), RL_SHAPE_OK, "%s", note);
    cr_assert_eq(y.rank, 3);
    cr_assert_eq(y.dtype, RL_DT_FLOAT, "A's type");
    cr_assert_eq(y.dims[0].v, 1);
    cr_assert_eq(y.dims[1].v, 3);
    cr_assert_eq(y.dims[2].v, 128);

    /* K 80 is not a multiple of 32: 3 blocks, the last padded */
    nbits_case pad = {80, 128, 3, 16, 384, 80, 128, 4, 32};
    cr_assert_eq(run_nbits(&pad, &y, yd, note, sizeof note), RL_SHAPE_OK, "%s", note);
    /* 8 bits, blocks of 16: 16-byte blobs */
    nbits_case b8 = {64, 128, 4, 16, 512, 64, 128, 8, 16};
    cr_assert_eq(run_nbits(&b8, &y, yd, note, sizeof note), RL_SHAPE_OK, "%s", note);
}

Test(shape_contrib, matmul_nbits_inconsistencies_are_notes)
{
    static const struct {
        nbits_case t;
        const char *says;
    } bad[] = {
        {{63, 128, 2, 16, 256, 64, 128, 4, 32}, "A's last dimension 63 is not K 64"},
        {{64, 128, 2, 16, 256, 0, 128, 4, 32}, "K and N must be positive"},
        {{64, 128, 2, 16, 256, 64, 128, 4, 24}, "'block_size' is 24"},
        {{64, 128, 2, 16, 256, 64, 128, 1, 32}, "'bits' is 1"},
        {{64, 128, 4, 8, 256, 64, 128, 4, 32}, "B is 128x4x8, expected 128x2x16"},
        {{64, 64, 2, 16, 256, 64, 128, 4, 32}, "B is 64x2x16"},
        {{64, 128, 2, 16, 128, 64, 128, 4, 32}, "scales has 128 elements, expected N x blocks 256"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rl_tensor y;
        rl_dim yd[3];
        char note[256];
        cr_assert_eq(run_nbits(&bad[i].t, &y, yd, note, sizeof note), RL_SHAPE_BAD, "case %zu", i);
        cr_assert(strstr(note, bad[i].says), "case %zu: '%s'", i, note);
        cr_assert_eq(y.rank, -1, "no output shape");
    }
    nbits_case unknown = {-1, 128, 2, 16, 256, 64, 128, 4, 32};
    rl_tensor y;
    rl_dim yd[3];
    char note[256];
    cr_assert_eq(run_nbits(&unknown, &y, yd, note, sizeof note), RL_SHAPE_UNKNOWN);
}
