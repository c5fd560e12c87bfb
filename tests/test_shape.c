/* test_shape.c: the axis and broadcast helpers every shape rule shares (model/shape_ctx.c, declared
 * in model/shape_int.h). The rules themselves are tested through whole models in test_model.c and
 * test_onnx.c (the ONNX backend node tests); these pin the edge cases the rules rely on: negative
 * axes, out-of-range and repeated axes, Slice-style clamping and numpy broadcasting. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "model/shape_int.h"

/* A context for helpers that only write notes and read attributes: no graph, no inputs. */
static rl_shape_ctx ctx_for(const rl_onnx_node *o)
{
    rl_shape_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.opset = 13;
    return c;
}

Test(shape, wrap_index_counts_negatives_from_the_end)
{
    int64_t v = -7;
    cr_assert_eq(rl_shape_wrap_index(-1, 4, 0, &v), 0);
    cr_assert_eq(v, 3);
    cr_assert_eq(rl_shape_wrap_index(-4, 4, 0, &v), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(rl_shape_wrap_index(2, 4, 0, &v), 0);
    cr_assert_eq(v, 2);
    cr_assert_eq(rl_shape_wrap_index(4, 4, 0, &v), -1, "one past the last axis");
    cr_assert_eq(v, 0);
    cr_assert_eq(rl_shape_wrap_index(-5, 4, 0, &v), -1);
    cr_assert_eq(rl_shape_wrap_index(INT64_MIN, 4, 0, &v), -1);
    cr_assert_eq(rl_shape_wrap_index(INT64_MAX, 4, 0, &v), -1);
    cr_assert_eq(rl_shape_wrap_index(0, 0, 0, &v), -1, "a scalar has no axis");
}

Test(shape, wrap_index_inclusive_allows_the_end)
{
    int64_t v = -7;
    cr_assert_eq(rl_shape_wrap_index(4, 4, 1, &v), 0, "Flatten's axis may equal the rank");
    cr_assert_eq(v, 4);
    cr_assert_eq(rl_shape_wrap_index(-4, 4, 1, &v), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(rl_shape_wrap_index(0, 0, 1, &v), 0);
    cr_assert_eq(rl_shape_wrap_index(5, 4, 1, &v), -1);
    cr_assert_eq(rl_shape_wrap_index(-5, 4, 1, &v), -1);
}

Test(shape, axis_norm_notes_an_out_of_range_axis)
{
    rl_shape_ctx c = ctx_for(NULL);
    int64_t a = -7;
    cr_assert_eq(rl_shape_axis_norm(&c, -2, 3, &a), RL_SHAPE_OK);
    cr_assert_eq(a, 1);
    cr_assert_eq(rl_shape_axis_norm(&c, 3, 3, &a), RL_SHAPE_BAD);
    cr_assert_str_eq(c.note, "axis 3 out of range for rank 3");
    cr_assert_eq(rl_shape_axis_norm(&c, -4, 3, &a), RL_SHAPE_BAD);
    cr_assert_str_eq(c.note, "axis -4 out of range for rank 3");
}

Test(shape, axis_attr_reads_axis_or_the_default)
{
    rl_onnx_attr at = {.name = "axis", .type = RL_AT_INT, .i = -1};
    rl_onnx_node with = {.op_type = "Concat", .attrs = &at, .n_attrs = 1};
    rl_onnx_node without = {.op_type = "Concat"};
    rl_shape_ctx c = ctx_for(&with);
    int64_t a = -7;
    cr_assert_eq(rl_shape_axis_attr(&c, 0, 4, &a), RL_SHAPE_OK);
    cr_assert_eq(a, 3, "axis -1 of rank 4");
    c = ctx_for(&without);
    cr_assert_eq(rl_shape_axis_attr(&c, -2, 4, &a), RL_SHAPE_OK);
    cr_assert_eq(a, 2, "the default, normalised too");
    cr_assert_eq(rl_shape_axis_attr(&c, 0, 0, &a), RL_SHAPE_BAD);
    cr_assert_str_eq(c.note, "axis 0 out of range for rank 0");
}

Test(shape, axes_norm_marks_and_rejects_repeats)
{
    rl_shape_ctx c = ctx_for(NULL);
    const int64_t ok[] = {0, -1};
    int64_t out[2] = {-7, -7};
    int seen[RL_ONNX_MAX_RANK] = {0};
    cr_assert_eq(rl_shape_axes_norm(&c, ok, 2, 3, 1, out, seen), RL_SHAPE_OK);
    cr_assert_eq(out[0], 0);
    cr_assert_eq(out[1], 2);
    cr_assert(seen[0] && !seen[1] && seen[2]);

    const int64_t rep[] = {1, -2};
    int seen2[RL_ONNX_MAX_RANK] = {0};
    cr_assert_eq(rl_shape_axes_norm(&c, rep, 2, 3, 1, NULL, seen2), RL_SHAPE_BAD);
    cr_assert_str_eq(c.note, "axis 1 repeated", "-2 is axis 1 again");
    int seen3[RL_ONNX_MAX_RANK] = {0};
    cr_assert_eq(rl_shape_axes_norm(&c, rep, 2, 3, 0, NULL, seen3), RL_SHAPE_OK,
                 "repeats are fine when not unique (ReduceSum)");
    cr_assert(seen3[1]);

    const int64_t bad[] = {0, 5};
    cr_assert_eq(rl_shape_axes_norm(&c, bad, 2, 3, 0, out, NULL), RL_SHAPE_BAD);
    cr_assert_str_eq(c.note, "axis 5 out of range for rank 3");
}

Test(shape, clamp_index_as_slice_bounds)
{
    /* forward slice of a dim of 5: [0, 5] */
    cr_assert_eq(rl_shape_clamp_index(-2, 5, 0, 5), 3);
    cr_assert_eq(rl_shape_clamp_index(-10, 5, 0, 5), 0);
    cr_assert_eq(rl_shape_clamp_index(INT64_MAX, 5, 0, 5), 5);
    cr_assert_eq(rl_shape_clamp_index(INT64_MIN, 5, 0, 5), 0);
    /* backward slice: the end may be -1, before element 0 */
    cr_assert_eq(rl_shape_clamp_index(-10, 5, -1, 4), -1);
    cr_assert_eq(rl_shape_clamp_index(9, 5, -1, 4), 4);
    /* an empty dim, backward: lo > hi gives hi */
    cr_assert_eq(rl_shape_clamp_index(-3, 0, 0, -1), -1);
}

Test(shape, broadcast_follows_numpy)
{
    rl_shape_ctx c = ctx_for(NULL);
    rl_dim a[3] = {{2, NULL}, {1, NULL}, {4, NULL}}, b[2] = {{3, NULL}, {1, NULL}};
    rl_dim o[RL_ONNX_MAX_RANK];
    int ro = -1;
    cr_assert_eq(rl_shape_broadcast(&c, 3, a, 2, b, &ro, o), RL_SHAPE_OK);
    cr_assert_eq(ro, 3);
    cr_assert(o[0].v == 2 && o[1].v == 3 && o[2].v == 4, "2x1x4 with 3x1: 2x3x4");

    rl_dim x[1] = {{3, NULL}}, y[1] = {{4, NULL}};
    cr_assert_eq(rl_shape_broadcast(&c, 1, x, 1, y, &ro, o), RL_SHAPE_BAD);
    cr_assert_str_eq(c.note, "cannot broadcast dim 3 with 4");

    /* unknown dims: a known one over 1 wins, one symbol on both sides is kept, else unknown */
    rl_dim s[3] = {{-1, "batch"}, {-1, NULL}, {-1, "n"}};
    rl_dim t[3] = {{-1, "batch"}, {7, NULL}, {-1, "m"}};
    cr_assert_eq(rl_shape_broadcast(&c, 3, s, 3, t, &ro, o), RL_SHAPE_OK);
    cr_assert(o[0].v == -1 && o[0].sym && !strcmp(o[0].sym, "batch"));
    cr_assert_eq(o[1].v, 7);
    cr_assert(o[2].v == -1 && !o[2].sym, "n with m: unknown, no symbol");

    rl_dim sc[1] = {{5, NULL}};
    cr_assert_eq(rl_shape_broadcast(&c, 0, NULL, 1, sc, &ro, o), RL_SHAPE_OK, "a scalar");
    cr_assert(ro == 1 && o[0].v == 5);
}

Test(shape, ints_attr_or_input_follows_the_opset)
{
    int64_t axes[] = {0, -1};
    rl_onnx_attr at = {.name = "axes", .type = RL_AT_INTS, .ints = axes, .n_ints = 2};
    rl_onnx_node o = {.op_type = "Squeeze", .n_inputs = 1, .attrs = &at, .n_attrs = 1};
    rl_shape_ctx c = ctx_for(&o);
    const int64_t *v = NULL;
    size_t n = 0;
    int present = -1;
    c.opset = 11;
    cr_assert_eq(rl_shape_ints_attr_or_input(&c, "axes", 1, 13, &v, &n, &present), RL_SHAPE_OK);
    cr_assert(present == 1 && n == 2 && v == axes);
    /* from opset 13 the input wins, but with no input there the attribute is still read */
    c.opset = 13;
    cr_assert_eq(rl_shape_ints_attr_or_input(&c, "axes", 1, 13, &v, &n, &present), RL_SHAPE_OK);
    cr_assert(present == 1 && v == axes);
    o.n_attrs = 0;
    cr_assert_eq(rl_shape_ints_attr_or_input(&c, "axes", 1, 13, &v, &n, &present), RL_SHAPE_OK);
    cr_assert_eq(present, 0);
}
