/* test_shape_values.c: value propagation through the shape arithmetic exporters emit
 * (model/shape*.c with shape_int.h's partial values): small graphs built here, node by node, in the
 * patterns that torch's exporter writes for window attention (padding from Shape through Mod, Sub,
 * Concat, the reversed pads, Pad), masks (Range, Where), Slice with computed starts, and a symbolic
 * batch that must come back out of Shape -> Gather -> Unsqueeze -> Concat -> Reshape. Each test
 * fails when the value (or symbol) stops flowing: the shape it checks would turn unknown. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/arena.h"
#include "model/model.h"
#include "model/onnx.h"
#include "model/shape.h"
#include "tests/helpers.h"

/* ---------------------------------------------------------------- a graph builder */

typedef struct gb {
    rl_arena *a;
    rl_onnx_model m;
    size_t cap;
} gb;

static void gb_init(gb *g, int64_t opset)
{
    memset(g, 0, sizeof *g);
    g->a = rl_arena_new();
    cr_assert(g->a);
    g->cap = 128;
    g->m.file = "built.onnx";
    g->m.opset = opset;
    g->m.ir_version = 8;
    g->m.nodes = rl_arena_array(g->a, g->cap, sizeof(rl_onnx_node));
    g->m.inputs = rl_arena_array(g->a, 8, sizeof(rl_onnx_value_info));
    cr_assert(g->m.nodes && g->m.inputs);
}

/* A graph input; dims < 0 are symbolic, named by syms[i]. */
static void gb_input(gb *g, const char *name, int32_t dt, int rank, const int64_t *dims,
                     const char *const *syms)
{
    rl_onnx_value_info *vi = &g->m.inputs[g->m.n_inputs++];
    vi->name = name;
    vi->dtype = dt;
    vi->rank = rank;
    vi->dims = rl_arena_array(g->a, (size_t)rank + 1, sizeof(rl_onnx_dim));
    cr_assert(vi->dims);
    for (int i = 0; i < rank; i++)
        vi->dims[i] = (rl_onnx_dim){dims[i], dims[i] < 0 ? syms[i] : NULL};
}

/* Splits "a,b,,c" into names ("" for an omitted input). */
static const char **names(gb *g, const char *list, size_t *n)
{
    *n = 0;
    if (!*list)
        return rl_arena_array(g->a, 1, sizeof(char *));
    size_t cnt = 1;
    for (const char *p = list; *p; p++)
        cnt += *p == ',';
    const char **v = rl_arena_array(g->a, cnt, sizeof(char *));
    cr_assert(v);
    const char *s = list;
    for (size_t i = 0; i < cnt; i++) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        v[i] = rl_arena_strndup(g->a, s, len);
        s = e ? e + 1 : s + len;
    }
    *n = cnt;
    return v;
}

static rl_onnx_node *gb_node(gb *g, const char *op, const char *ins, const char *outs)
{
    cr_assert(g->m.n_nodes < g->cap);
    rl_onnx_node *n = &g->m.nodes[g->m.n_nodes++];
    memset(n, 0, sizeof *n);
    n->name = outs;
    n->op_type = op;
    n->domain = "";
    n->inputs = names(g, ins, &n->n_inputs);
    n->outputs = names(g, outs, &n->n_outputs);
    n->attrs = rl_arena_array(g->a, 4, sizeof(rl_onnx_attr));
    cr_assert(n->attrs);
    return n;
}

static void gb_attr_int(rl_onnx_node *n, const char *name, int64_t v)
{
    n->attrs[n->n_attrs++] = (rl_onnx_attr){.name = name, .type = RL_AT_INT, .i = v};
}

static void gb_attr_ints(gb *g, rl_onnx_node *n, const char *name, const int64_t *v, size_t k)
{
    int64_t *c = rl_arena_array(g->a, k ? k : 1, sizeof(int64_t));
    cr_assert(c);
    memcpy(c, v, k * sizeof(int64_t));
    n->attrs[n->n_attrs++] =
        (rl_onnx_attr){.name = name, .type = RL_AT_INTS, .ints = c, .n_ints = k};
}

/* Constant int64 output: a 1-D vector of k values, or a scalar (k = 0, one value in v[0]). */
static void gb_const(gb *g, const char *out, const int64_t *v, size_t k)
{
    rl_onnx_node *n = gb_node(g, "Constant", "", out);
    if (k == 0)
        gb_attr_int(n, "value_int", v[0]);
    else
        gb_attr_ints(g, n, "value_ints", v, k);
}

static void gb_scalar(gb *g, const char *out, int64_t v)
{
    gb_const(g, out, &v, 0);
}

static rl_graph *gb_infer(gb *g, rl_shape_dim_opt *dims, size_t n_dims)
{
    rl_shape_opts o = {dims, n_dims, NULL, 0};
    rl_graph *gr = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_shape_infer(&g->m, &o, &gr, &err), 0, "%s", err.msg);
    return gr;
}

static void gb_free(gb *g, rl_graph *gr)
{
    rl_graph_free(gr);
    rl_arena_free(g->a);
}

static void expect_shape(rl_graph *gr, const char *name, const char *want)
{
    rl_tensor *t = rl_graph_find(gr, name);
    cr_assert(t, "no tensor '%s'", name);
    char s[256];
    rl_tensor_shape_str(t, s, sizeof s);
    cr_assert_str_eq(s, want, "'%s' is %s, want %s", name, s, want);
}

static void expect_ints(rl_graph *gr, const char *name, const int64_t *want, size_t n)
{
    rl_tensor *t = rl_graph_find(gr, name);
    cr_assert(t, "no tensor '%s'", name);
    cr_assert(t->has_value, "'%s' not folded", name);
    cr_assert_eq(t->nv, n, "'%s' has %zu values", name, t->nv);
    for (size_t i = 0; i < n; i++) {
        int64_t got = t->iv ? t->iv[i] : (int64_t)t->dv[i];
        cr_assert_eq(got, want[i], "'%s'[%zu] = %lld, want %lld", name, i, (long long)got,
                     (long long)want[i]);
    }
}

/* ---------------------------------------------------------------- window padding */

/* torchvision's Swin: pad_b = (7 - H % 7) % 7, pad_r likewise from W, through float Casts and the
 * exporter's pads layout: Concat -> Reshape [-1, 2] -> Slice reversed -> Transpose -> Reshape [-1]
 * -> Cast -> Pad. x is [1, H, W, 96] NHWC. */
static void window_pad_graph(gb *g, const int64_t *xd, const char *const *syms)
{
    gb_input(g, "x", RL_DT_FLOAT, 4, xd, syms);
    gb_node(g, "Shape", "x", "shape");
    gb_scalar(g, "one", 1);
    gb_scalar(g, "two", 2);
    gb_scalar(g, "win", 7);
    gb_node(g, "Gather", "shape,one", "H");
    gb_node(g, "Gather", "shape,two", "W");
    gb_node(g, "Mod", "H,win", "hm");
    gb_node(g, "Sub", "win,hm", "hs");
    gb_node(g, "Mod", "hs,win", "pad_b");
    gb_node(g, "Mod", "W,win", "wm");
    gb_node(g, "Sub", "win,wm", "ws");
    gb_node(g, "Mod", "ws,win", "pad_r");
    const int64_t zero1[] = {0}, ax0[] = {0};
    gb_const(g, "z", zero1, 1);
    gb_const(g, "axes0", ax0, 1);
    gb_node(g, "Unsqueeze", "pad_b,axes0", "pb1");
    gb_node(g, "Unsqueeze", "pad_r,axes0", "pr1");
    /* torch's F.pad order: last dim first, (begin, end) pairs: C(0,0) W(0,pr) H(0,pb) */
    rl_onnx_node *cat = gb_node(g, "Concat", "z,z,z,pr1,z,pb1", "torch_pads");
    gb_attr_int(cat, "axis", 0);
    const int64_t zeros2[] = {0, 0}; /* the exporter fills torch's 6 pads up to 2 x rank */
    gb_const(g, "z2", zeros2, 2);
    rl_onnx_node *cat2 = gb_node(g, "Concat", "torch_pads,z2", "pads8");
    gb_attr_int(cat2, "axis", 0);
    const int64_t m12[] = {-1, 2}, m1[] = {-1};
    gb_const(g, "shape_m1_2", m12, 2);
    gb_node(g, "Reshape", "pads8,shape_m1_2", "pairs");
    const int64_t st[] = {-1}, en[] = {INT64_MIN + 1}, stp[] = {-1};
    gb_const(g, "rs", st, 1);
    gb_const(g, "re", en, 1);
    gb_const(g, "rstep", stp, 1);
    gb_node(g, "Slice", "pairs,rs,re,axes0,rstep", "reversed");
    gb_node(g, "Transpose", "reversed", "tp");
    gb_const(g, "shape_m1", m1, 1);
    gb_node(g, "Reshape", "tp,shape_m1", "onnx_pads");
    rl_onnx_node *cast = gb_node(g, "Cast", "onnx_pads", "pads");
    gb_attr_int(cast, "to", RL_DT_INT64);
    gb_node(g, "Pad", "x,pads", "padded");
    /* the windows: [1, H/7, 7, W/7, 7, 96] */
    gb_node(g, "Shape", "padded", "pshape");
    gb_node(g, "Gather", "pshape,one", "PH");
    gb_node(g, "Gather", "pshape,two", "PW");
    gb_node(g, "Div", "PH,win", "nh");
    gb_node(g, "Div", "PW,win", "nw");
    gb_node(g, "Unsqueeze", "nh,axes0", "nh1");
    gb_node(g, "Unsqueeze", "nw,axes0", "nw1");
    const int64_t one1[] = {1}, seven[] = {7}, c96[] = {96};
    gb_const(g, "one1", one1, 1);
    gb_const(g, "seven1", seven, 1);
    gb_const(g, "c96", c96, 1);
    rl_onnx_node *cat3 = gb_node(g, "Concat", "one1,nh1,seven1,nw1,seven1,c96", "wshape");
    gb_attr_int(cat3, "axis", 0);
    gb_node(g, "Reshape", "padded,wshape", "windows");
}

Test(shape_values, window_padding_from_mod_and_sub)
{
    gb g;
    gb_init(&g, 13);
    const int64_t xd[] = {1, 13, 10, 96};
    window_pad_graph(&g, xd, NULL);
    rl_graph *gr = gb_infer(&g, NULL, 0);
    const int64_t pb[] = {1}, pr[] = {4};
    expect_ints(gr, "pad_b", pb, 1);
    expect_ints(gr, "pad_r", pr, 1);
    const int64_t pads[] = {0, 0, 0, 0, 0, 1, 4, 0};
    expect_ints(gr, "pads", pads, 8);
    expect_shape(gr, "padded", "1x14x14x96");
    expect_shape(gr, "windows", "1x2x7x2x7x96");
    cr_assert_eq(gr->n_unknown_nodes, 0);
    gb_free(&g, gr);
}

Test(shape_values, window_padding_with_symbolic_dims_given)
{
    gb g;
    gb_init(&g, 13);
    const int64_t xd[] = {1, -1, -1, 96};
    const char *const syms[] = {NULL, "h", "w", NULL};
    window_pad_graph(&g, xd, syms);
    rl_shape_dim_opt d[] = {{"h", 21, 0}, {"w", 22, 0}};
    rl_graph *gr = gb_infer(&g, d, 2);
    expect_shape(gr, "padded", "1x21x28x96");
    expect_shape(gr, "windows", "1x3x7x4x7x96");
    gb_free(&g, gr);

    /* unset: the padded dims are unknown, never guessed, and the rest still holds */
    gb_init(&g, 13);
    window_pad_graph(&g, xd, syms);
    gr = gb_infer(&g, NULL, 0);
    expect_shape(gr, "padded", "1x?x?x96");
    expect_shape(gr, "windows", "1x?x7x?x7x96");
    gb_free(&g, gr);
}

/* ---------------------------------------------------------------- masks */

/* A causal mask from the sequence length: Range(0, n) twice, Unsqueeze, Less, Where. */
Test(shape_values, range_and_where_mask)
{
    gb g;
    gb_init(&g, 13);
    const int64_t xd[] = {1, 4};
    gb_input(&g, "ids", RL_DT_INT64, 2, xd, NULL);
    gb_node(&g, "Shape", "ids", "shape");
    gb_scalar(&g, "one", 1);
    gb_scalar(&g, "zero", 0);
    gb_node(&g, "Gather", "shape,one", "n");
    gb_node(&g, "Range", "zero,n,one", "r");
    const int64_t a0[] = {0}, a1[] = {1};
    gb_const(&g, "ax0", a0, 1);
    gb_const(&g, "ax1", a1, 1);
    gb_node(&g, "Unsqueeze", "r,ax1", "col");
    gb_node(&g, "Unsqueeze", "r,ax0", "row");
    gb_node(&g, "Less", "col,row", "upper");
    gb_scalar(&g, "big", -1000);
    gb_node(&g, "Where", "upper,big,zero", "mask");
    rl_graph *gr = gb_infer(&g, NULL, 0);
    expect_shape(gr, "mask", "4x4");
    const int64_t want[] = {0, -1000, -1000, -1000, 0, 0, -1000, -1000, 0, 0, 0, -1000, 0, 0, 0, 0};
    expect_ints(gr, "mask", want, 16);
    cr_assert_eq(gr->n_unknown_nodes, 0);
    gb_free(&g, gr);
}

/* The same with a symbolic length: Range(0, seq, 1) is seq long and the mask seq x seq. */
Test(shape_values, range_of_a_symbol_is_that_symbol)
{
    gb g;
    gb_init(&g, 13);
    const int64_t xd[] = {1, -1};
    const char *const syms[] = {NULL, "seq"};
    gb_input(&g, "ids", RL_DT_INT64, 2, xd, syms);
    gb_node(&g, "Shape", "ids", "shape");
    gb_scalar(&g, "one", 1);
    gb_scalar(&g, "zero", 0);
    gb_node(&g, "Gather", "shape,one", "n");
    gb_node(&g, "Range", "zero,n,one", "r");
    const int64_t a0[] = {0}, a1[] = {1};
    gb_const(&g, "ax0", a0, 1);
    gb_const(&g, "ax1", a1, 1);
    gb_node(&g, "Unsqueeze", "r,ax1", "col");
    gb_node(&g, "Unsqueeze", "r,ax0", "row");
    gb_node(&g, "Less", "col,row", "upper");
    rl_graph *gr = gb_infer(&g, NULL, 0);
    expect_shape(gr, "r", "seq");
    expect_shape(gr, "upper", "seqxseq");
    gb_free(&g, gr);
}

/* ---------------------------------------------------------------- Slice and Pad */

/* The last 3 along axis 1, from a start computed as Shape[1] - 3, then a roll by 2 made of two
 * Slices and a Concat (torch.roll's export), then a Pad whose pads come from Shape arithmetic. */
Test(shape_values, slice_with_computed_starts_and_roll)
{
    gb g;
    gb_init(&g, 13);
    const int64_t xd[] = {2, 10, 8};
    gb_input(&g, "x", RL_DT_FLOAT, 3, xd, NULL);
    gb_node(&g, "Shape", "x", "shape");
    const int64_t i1[] = {1}, three[] = {3}, big[] = {INT64_MAX}, a1[] = {1}, m2[] = {-2},
                  z[] = {0};
    gb_const(&g, "i1", i1, 1);
    gb_const(&g, "three", three, 1);
    gb_const(&g, "big", big, 1);
    gb_const(&g, "ax1", a1, 1);
    gb_const(&g, "m2", m2, 1);
    gb_const(&g, "z", z, 1);
    gb_node(&g, "Gather", "shape,i1", "len");
    gb_node(&g, "Sub", "len,three", "start");
    gb_node(&g, "Slice", "x,start,big,ax1", "tail");
    gb_node(&g, "Slice", "x,m2,big,ax1", "rolled_a");
    gb_node(&g, "Slice", "x,z,m2,ax1", "rolled_b");
    rl_onnx_node *cat = gb_node(&g, "Concat", "rolled_a,rolled_b", "rolled");
    gb_attr_int(cat, "axis", 1);
    /* pads [0, 0, 0, 0, len - 7, 1]: begins 0, ends [0, 3, 1] */
    const int64_t seven[] = {7}, one[] = {1}, z4[] = {0, 0, 0, 0};
    gb_const(&g, "seven", seven, 1);
    gb_const(&g, "one", one, 1);
    gb_const(&g, "z4", z4, 4);
    gb_node(&g, "Sub", "len,seven", "grow");
    rl_onnx_node *pc = gb_node(&g, "Concat", "z4,grow,one", "pads");
    gb_attr_int(pc, "axis", 0);
    gb_node(&g, "Pad", "x,pads", "padded");
    rl_graph *gr = gb_infer(&g, NULL, 0);
    expect_shape(gr, "tail", "2x3x8");
    expect_shape(gr, "rolled", "2x10x8");
    expect_shape(gr, "padded", "2x13x9");
    gb_free(&g, gr);
}

/* ---------------------------------------------------------------- symbols */

/* x [batch, 8, 16]: Shape -> Gather(0) -> Unsqueeze -> Concat [batch, -1] -> Reshape must give
 * batch back, and a -1 beside it is worked out by cancelling the symbol. */
Test(shape_values, symbol_through_shape_gather_concat_reshape)
{
    gb g;
    gb_init(&g, 13);
    const int64_t xd[] = {-1, 8, 16};
    const char *const syms[] = {"batch", NULL, NULL};
    gb_input(&g, "x", RL_DT_FLOAT, 3, xd, syms);
    gb_node(&g, "Shape", "x", "shape");
    gb_scalar(&g, "zero", 0);
    gb_node(&g, "Gather", "shape,zero", "b");
    const int64_t a0[] = {0}, m1[] = {-1}, four[] = {4}, twelve = 12;
    gb_const(&g, "ax0", a0, 1);
    gb_const(&g, "m1", m1, 1);
    gb_const(&g, "four", four, 1);
    gb_node(&g, "Unsqueeze", "b,ax0", "b1");
    rl_onnx_node *c1 = gb_node(&g, "Concat", "b1,m1", "s2");
    gb_attr_int(c1, "axis", 0);
    gb_node(&g, "Reshape", "x,s2", "flat");
    rl_onnx_node *c2 = gb_node(&g, "Concat", "b1,m1,four", "s3");
    gb_attr_int(c2, "axis", 0);
    gb_node(&g, "Reshape", "x,s3", "split");
    /* batch * 12 heads, as attention reshapes do; and back by Div */
    gb_scalar(&g, "twelve", twelve);
    gb_node(&g, "Mul", "b,twelve", "bh");
    gb_node(&g, "Div", "bh,twelve", "b_again");
    gb_node(&g, "Unsqueeze", "bh,ax0", "bh1");
    gb_node(&g, "Unsqueeze", "b_again,ax0", "b_again1");
    rl_onnx_node *c3 = gb_node(&g, "Concat", "bh1,m1", "s4");
    gb_attr_int(c3, "axis", 0);
    gb_node(&g, "Expand", "x,shape", "same");
    /* torch's expand(-1, ...): Where(Equal(shape, -1), ones, shape) keeps the symbol */
    const int64_t ones3[] = {1, 1, 1};
    gb_const(&g, "ones3", ones3, 3);
    gb_node(&g, "Equal", "shape,m1", "is_m1");
    gb_node(&g, "Where", "is_m1,ones3,shape", "eshape");
    gb_node(&g, "Expand", "x,eshape", "expanded");
    rl_onnx_node *c4 = gb_node(&g, "Concat", "b_again1,m1", "s5");
    gb_attr_int(c4, "axis", 0);
    gb_node(&g, "Reshape", "x,s5", "flat2");
    gb_node(&g, "Reshape", "flat,s4", "per_head");
    rl_graph *gr = gb_infer(&g, NULL, 0);
    expect_shape(gr, "flat", "batchx128");
    expect_shape(gr, "split", "batchx32x4");
    expect_shape(gr, "expanded", "batchx8x16");
    expect_shape(gr, "same", "batchx8x16");
    expect_shape(gr, "flat2", "batchx128");
    expect_shape(gr, "per_head", "12*batchx?"); /* 128 / 12 is not whole: unknown */
    gb_free(&g, gr);

    /* with --dim batch=3 every one is a number */
    gb_init(&g, 13);
    gb_input(&g, "x", RL_DT_FLOAT, 3, xd, syms);
    gb_node(&g, "Shape", "x", "shape");
    gb_scalar(&g, "zero", 0);
    gb_node(&g, "Gather", "shape,zero", "b");
    gb_const(&g, "ax0", a0, 1);
    gb_const(&g, "m1", m1, 1);
    gb_node(&g, "Unsqueeze", "b,ax0", "b1");
    rl_onnx_node *c5 = gb_node(&g, "Concat", "b1,m1", "s2");
    gb_attr_int(c5, "axis", 0);
    gb_node(&g, "Reshape", "x,s2", "flat");
    rl_shape_dim_opt d = {"batch", 3, 0};
    gr = gb_infer(&g, &d, 1);
    expect_shape(gr, "flat", "3x128");
    const int64_t s2[] = {3, -1};
    expect_ints(gr, "s2", s2, 2);
    gb_free(&g, gr);
}

/* ---------------------------------------------------------------- hostile values */

/* Division by zero and INT64_MIN / -1 are left unfolded (ONNX leaves them undefined); Mod follows
 * ONNX: fmod=0 takes the divisor's sign, fmod=1 the dividend's. */
Test(shape_values, division_by_zero_and_negative_mod)
{
    gb g;
    gb_init(&g, 13);
    gb_scalar(&g, "a", -7);
    gb_scalar(&g, "b", 3);
    gb_scalar(&g, "nb", -3);
    gb_scalar(&g, "zero", 0);
    gb_scalar(&g, "min", INT64_MIN);
    gb_scalar(&g, "m1", -1);
    gb_node(&g, "Mod", "a,b", "mod_py");
    rl_onnx_node *f = gb_node(&g, "Mod", "a,b", "mod_c");
    gb_attr_int(f, "fmod", 1);
    gb_node(&g, "Mod", "b,nb", "mod_neg_div");
    gb_scalar(&g, "seven", 7);
    gb_node(&g, "Mod", "seven,nb", "mod_7_m3");
    gb_node(&g, "Div", "a,b", "div_trunc");
    gb_node(&g, "Div", "a,zero", "div0");
    gb_node(&g, "Mod", "a,zero", "mod0");
    gb_node(&g, "Div", "min,m1", "div_ovf");
    gb_node(&g, "Mod", "min,m1", "mod_min");
    gb_node(&g, "Mul", "min,m1", "mul_wrap");
    gb_node(&g, "Pow", "b,min", "pow_neg");
    rl_graph *gr = gb_infer(&g, NULL, 0);
    const int64_t two[] = {2}, m1v[] = {-1}, zero[] = {0}, m2[] = {-2}, minv[] = {INT64_MIN};
    expect_ints(gr, "mod_py", two, 1);
    expect_ints(gr, "mod_c", m1v, 1);
    expect_ints(gr, "mod_neg_div", zero, 1);
    expect_ints(gr, "mod_7_m3", m2, 1);
    expect_ints(gr, "div_trunc", m2, 1);
    expect_ints(gr, "mod_min", zero, 1);
    expect_ints(gr, "mul_wrap", minv, 1);
    cr_assert(!rl_graph_find(gr, "div0")->has_value);
    cr_assert(!rl_graph_find(gr, "mod0")->has_value);
    cr_assert(!rl_graph_find(gr, "div_ovf")->has_value);
    cr_assert(!rl_graph_find(gr, "pow_neg")->has_value);
    expect_shape(gr, "div0", "scalar");
    gb_free(&g, gr);
}

/* A float tensor read once as integers (a float Tile repeat, a float axis) keeps computing as
 * floats: 0.5 / 2.0 is 0.25, not the 0 / 2 of its truncated copy. */
Test(shape_values, floats_read_as_integers_stay_floats)
{
    gb g;
    gb_init(&g, 13);
    static float half = 0.5f, two = 2.0f;
    rl_onnx_node *f = gb_node(&g, "Constant", "", "f");
    f->attrs[f->n_attrs++] = (rl_onnx_attr){
        .name = "value_floats", .type = RL_AT_FLOATS, .floats = &half, .n_floats = 1};
    rl_onnx_node *t = gb_node(&g, "Constant", "", "two");
    t->attrs[t->n_attrs++] =
        (rl_onnx_attr){.name = "value_floats", .type = RL_AT_FLOATS, .floats = &two, .n_floats = 1};
    const int64_t one[] = {7};
    gb_const(&g, "x", one, 1);
    gb_node(&g, "Tile", "x,two", "tiled");
    gb_scalar(&g, "s", 3);
    gb_node(&g, "Unsqueeze", "s,f", "unsq");
    gb_node(&g, "Div", "f,two", "q");
    gb_node(&g, "Identity", "f", "f_again");
    rl_graph *gr = gb_infer(&g, NULL, 0);
    expect_shape(gr, "tiled", "2");
    expect_shape(gr, "unsq", "1");
    rl_tensor *q = rl_graph_find(gr, "q"), *fa = rl_graph_find(gr, "f_again");
    cr_assert(q->has_value && q->dv && q->dv[0] == 0.25, "0.5 / 2.0 folded as floats");
    cr_assert(fa->has_value && fa->dv && fa->dv[0] == 0.5);
    gb_free(&g, gr);
}

/* A ConstantOfShape or Range asked for more than the fold limit gets its shape but no values, and
 * a Reshape whose shape has a huge value is refused, not allocated. */
Test(shape_values, huge_values_are_not_folded)
{
    gb g;
    gb_init(&g, 13);
    const int64_t big[] = {100000, 100000};
    gb_const(&g, "shape", big, 2);
    gb_node(&g, "ConstantOfShape", "shape", "c");
    gb_scalar(&g, "zero", 0);
    gb_scalar(&g, "lim", INT64_MAX);
    gb_scalar(&g, "one", 1);
    gb_node(&g, "Range", "zero,lim,one", "r");
    const int64_t tiny[] = {2, 2};
    gb_const(&g, "t", tiny, 2);
    const int64_t reps[] = {INT64_MAX};
    gb_const(&g, "reps", reps, 1);
    gb_node(&g, "Tile", "t,reps", "tiled");
    rl_graph *gr = gb_infer(&g, NULL, 0);
    expect_shape(gr, "c", "100000x100000");
    cr_assert(!rl_graph_find(gr, "c")->has_value);
    cr_assert(!rl_graph_find(gr, "r")->has_value);
    cr_assert(!rl_graph_find(gr, "tiled")->has_value);
    gb_free(&g, gr);
}

/* x [seq, batch, 768] to [seq * batch, 768], the product computed by Mul of two Gathers (torch's
 * MultiheadAttention) or left to Reshape's -1: both give the symbol batch*seq, and Div by seq
 * gives batch back. */
Test(shape_values, product_of_two_symbols)
{
    gb g;
    gb_init(&g, 13);
    const int64_t xd[] = {-1, -1, 768};
    const char *const syms[] = {"seq", "batch", NULL};
    gb_input(&g, "x", RL_DT_FLOAT, 3, xd, syms);
    gb_node(&g, "Shape", "x", "shape");
    gb_scalar(&g, "zero", 0);
    gb_scalar(&g, "one", 1);
    gb_node(&g, "Gather", "shape,zero", "s");
    gb_node(&g, "Gather", "shape,one", "b");
    gb_node(&g, "Mul", "s,b", "sb");
    gb_node(&g, "Div", "sb,s", "b_again");
    const int64_t a0[] = {0}, d768[] = {768}, m1_768[] = {-1, 768};
    gb_const(&g, "ax0", a0, 1);
    gb_const(&g, "d768", d768, 1);
    gb_const(&g, "m1_768", m1_768, 2);
    gb_node(&g, "Unsqueeze", "sb,ax0", "sb1");
    rl_onnx_node *c1 = gb_node(&g, "Concat", "sb1,d768", "s2");
    gb_attr_int(c1, "axis", 0);
    gb_node(&g, "Reshape", "x,s2", "flat");
    gb_node(&g, "Reshape", "x,m1_768", "flat_m1");
    gb_node(&g, "Unsqueeze", "b_again,ax0", "b1");
    rl_onnx_node *c2 = gb_node(&g, "Concat", "b1,d768", "s3");
    gb_attr_int(c2, "axis", 0);
    gb_node(&g, "Expand", "d768,s3", "per_batch");
    rl_onnx_node *fl = gb_node(&g, "Flatten", "x", "flattened");
    gb_attr_int(fl, "axis", 2);
    gb_node(&g, "Size", "x", "size");
    rl_graph *gr = gb_infer(&g, NULL, 0);
    expect_shape(gr, "flattened", "batch*seqx768");
    rl_tensor *size = rl_graph_find(gr, "size");
    cr_assert(size->pv && !size->pv[0].known && !strcmp(size->pv[0].sym, "768*batch*seq"),
              "Size is the monomial 768*batch*seq");
    expect_shape(gr, "flat", "batch*seqx768");
    expect_shape(gr, "flat_m1", "batch*seqx768");
    expect_shape(gr, "per_batch", "batchx768");
    gb_free(&g, gr);
}

/* ---------------------------------------------------------------- real exports */

/* Every tensor of the fixture's `shapes` against ours, and the multiply-adds, for one setting. */
static void check_fixture_setting(const char *model, const cJSON *setting)
{
    const cJSON *dims = cJSON_GetObjectItem(setting, "dims"), *d;
    rl_shape_dim_opt opt[8];
    size_t nd = 0;
    cJSON_ArrayForEach(d, dims)
    {
        cr_assert(nd < 8);
        opt[nd++] = (rl_shape_dim_opt){d->string, (int64_t)d->valuedouble, 0};
    }
    rl_shape_opts o = {opt, nd, NULL, 0};
    rl_model *m = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_model_analyze_file(model, &o, &m, &err), 0, "%s", err.msg);
    const cJSON *shapes = cJSON_GetObjectItem(setting, "shapes"), *s;
    size_t n = 0;
    cJSON_ArrayForEach(s, shapes)
    {
        rl_tensor *t = rl_graph_find(m->g, s->string);
        cr_assert(t, "%s: no tensor '%s'", model, s->string);
        char got[256], want[256] = "";
        rl_tensor_shape_str(t, got, sizeof got);
        size_t used = 0;
        const cJSON *v;
        if (cJSON_GetArraySize(s) == 0)
            snprintf(want, sizeof want, "scalar");
        cJSON_ArrayForEach(v, s)
        {
            used += (size_t)snprintf(want + used, sizeof want - used, "%s%lld", used ? "x" : "",
                                     (long long)v->valuedouble);
        }
        cr_assert_str_eq(got, want, "%s: '%s' is %s, ONNX Runtime %s", model, s->string, got, want);
        n++;
    }
    cr_assert_gt(n, 100, "%s: the fixture lists every node output", model);
    double macs = cJSON_GetObjectItem(setting, "macs")->valuedouble;
    cr_assert_eq(m->tot.macs, macs, "%s: MACs %.0f, torch.profiler %.0f", model, m->tot.macs, macs);
    cr_assert(!m->tot.incomplete, "%s: complete", model);
    rl_model_free(m);
}

static void check_fixture(const char *name)
{
    char path[512], model[512];
    snprintf(path, sizeof path, "tests/data/models/%s.shapes.json", name);
    snprintf(model, sizeof model, "tests/data/models/%s.onnx", name);
    char *text = rl_test_slurp(path, NULL);
    cr_assert(text, "cannot read %s", path);
    cJSON *j = cJSON_Parse(text);
    free(text);
    cr_assert(j, "bad JSON in %s", path);
    const cJSON *settings = cJSON_GetObjectItem(j, "settings"), *st;
    int n = 0;
    cJSON_ArrayForEach(st, settings)
    {
        check_fixture_setting(model, st);
        n++;
    }
    cr_assert_eq(n, 2);
    cJSON_Delete(j);
}

Test(shape_values, swin_export_every_shape_as_onnx_runtime, .timeout = 60)
{
    check_fixture("swin_micro_dyn");
}

Test(shape_values, gpt2_export_every_shape_as_onnx_runtime, .timeout = 60)
{
    check_fixture("gpt2_micro_dyn");
}

/* Without --dim: every rank known, and the GPT-2's every dim a number or a symbol (batch, seq,
 * their products), so it lacks only the values. */
Test(shape_values, exports_without_dims_keep_ranks_and_symbols)
{
    static const char *const names[] = {"swin_micro_dyn", "gpt2_micro_dyn"};
    for (size_t k = 0; k < 2; k++) {
        char model[512];
        snprintf(model, sizeof model, "tests/data/models/%s.onnx", names[k]);
        rl_model *m = NULL;
        rl_err err = {0};
        cr_assert_eq(rl_model_analyze_file(model, NULL, &m, &err), 0, "%s", err.msg);
        size_t unsymbolic = 0;
        for (size_t i = 0; i < m->g->n_nodes; i++) {
            const rl_node *n = &m->g->nodes[i];
            for (size_t o = 0; o < n->src->n_outputs; o++) {
                if (n->out[o] == SIZE_MAX)
                    continue;
                const rl_tensor *t = &m->g->t[n->out[o]];
                cr_assert_geq(t->rank, 0, "%s: node %zu (%s) output rank unknown", model, i,
                              n->src->op_type);
                for (int d = 0; d < t->rank; d++)
                    unsymbolic += t->dims[d].v < 0 && !t->dims[d].sym;
            }
        }
        if (k == 1)
            cr_assert_eq(unsymbolic, 0, "%s: %zu dims neither known nor symbolic", model,
                         unsymbolic);
        rl_model_free(m);
    }
}
