/* shape_int.h: private to the shape inference files (model/shape*.c); nothing outside them and
 * their unit test includes it.
 *
 * Each op has a rule: a function that reads its inputs' shapes (and folded values where the op
 * takes shapes, axes or sizes as tensors) through the context, checks them, and sets its outputs.
 * A rule returns RL_SHAPE_OK, RL_SHAPE_UNKNOWN (an input shape or value is not known: the outputs
 * stay unknown and the note says why), RL_SHAPE_BAD (the inputs contradict the op: the note says
 * how) or RL_SHAPE_FATAL (out of memory). Opset differences (attributes that became inputs:
 * Squeeze/Unsqueeze/ReduceSum axes at 13, Slice at 10, Pad at 11, Split at 13, Clip at 11) follow
 * the model's default-domain opset.
 *
 * The rules live by op family, each file with a table of the ops it owns, ended by {NULL, NULL}:
 *   shape_elementwise.c  unary and broadcasting ops (with folding), Cast, quantization, norms
 *   shape_conv.c         convolutions, pooling, Resize and other spatial ops
 *   shape_matmul.c       Gemm, MatMul family, Einsum, Det, recurrent layers
 *   shape_layout.c       Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Split, Slice,
 *                        Expand, Tile, Pad
 *   shape_index.c        Gather and Scatter family, OneHot, ops whose output size is data-dependent
 *   shape_reduce.c       Reduce*, ArgMax/ArgMin, TopK, losses
 *   shape_source.c       ops that make a tensor: Constant, ConstantOfShape, Shape, Size, Range,
 *                        random generators, windows
 *   shape_contrib.c      the com.microsoft domain (ONNX Runtime contrib ops): MatMulNBits
 *   shape_quant.c        QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear; the
 *                        quantization parameters of every quantized op; the com.microsoft
 *                        quantized ops (QGemm, QLinearAdd, ...: rl_shape_rules_contrib_quant)
 * shape_ctx.c holds the helpers below; shape.c builds the graph and dispatches to the rules. */
#ifndef RL_SHAPE_INT_H
#define RL_SHAPE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "model/shape.h"

enum { RL_SHAPE_OK = 0, RL_SHAPE_UNKNOWN = 1, RL_SHAPE_BAD = 2, RL_SHAPE_FATAL = -1 };

/* One node being inferred. */
typedef struct rl_shape_ctx {
    rl_graph *g;
    rl_node *n;
    const rl_onnx_node *o;
    int64_t opset; /* the model's default-domain opset */
    char note[256];
} rl_shape_ctx;

typedef int (*rl_shape_rule_fn)(rl_shape_ctx *c);

typedef struct rl_shape_rule {
    const char *op; /* default-domain op_type */
    rl_shape_rule_fn fn;
} rl_shape_rule;

extern const rl_shape_rule rl_shape_rules_elementwise[];
extern const rl_shape_rule rl_shape_rules_conv[];
extern const rl_shape_rule rl_shape_rules_matmul[];
extern const rl_shape_rule rl_shape_rules_layout[];
extern const rl_shape_rule rl_shape_rules_index[];
extern const rl_shape_rule rl_shape_rules_reduce[];
extern const rl_shape_rule rl_shape_rules_source[];
extern const rl_shape_rule rl_shape_rules_quant[];
extern const rl_shape_rule rl_shape_rules_contrib[];       /* com.microsoft domain only */
extern const rl_shape_rule rl_shape_rules_contrib_quant[]; /* com.microsoft domain only */

/* The quantization parameters of a quantized op (QLinearConv, QLinearMatMul, ConvInteger,
 * MatMulInteger, the com.microsoft QGemm, QLinear*, DynamicQuantizeMatMul, MatMulIntegerToFloat):
 * int8/uint8 data, a float scale where one is required, zero points of their data's type, an
 * int32 bias. RL_SHAPE_OK, or BAD with a note naming the input; OK for any other op. */
int rl_shape_check_quant(rl_shape_ctx *c);

/* MatMul's output (numpy matmul broadcasting of a and b) with type odt (0: a's): shared by the
 * MatMul family and the com.microsoft products that end in float. */
int rl_shape_matmul_out(rl_shape_ctx *c, const rl_tensor *a, const rl_tensor *b, int32_t odt);

/* ---------------------------------------------------------------- notes, inputs, outputs */

/* Writes the node's note and returns `code`, so a rule can `return rl_shape_note(c, RL_SHAPE_BAD,
 * ...)`. */
int rl_shape_note(rl_shape_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Input i / output k, or NULL when the node has none there or it is an omitted optional one. */
rl_tensor *rl_shape_in(rl_shape_ctx *c, size_t i);
rl_tensor *rl_shape_out(rl_shape_ctx *c, size_t k);

/* Input i with a known rank: BAD when missing, UNKNOWN when its rank is not known. */
int rl_shape_need_rank(rl_shape_ctx *c, size_t i, rl_tensor **t);

/* Sets output k's type and shape (dims copied; negative dims become -1, known ones drop their
 * symbol). No-op when output k is omitted; BAD for a rank over RL_ONNX_MAX_RANK. */
int rl_shape_set_out(rl_shape_ctx *c, size_t k, int32_t dtype, int rank, const rl_dim *dims);
int rl_shape_set_like(rl_shape_ctx *c, size_t k, const rl_tensor *src, int32_t dtype);

/* Folded value for output k (n must match its element count). Exactly one of iv/dv. Tensors over
 * RL_SHAPE_MAX_FOLD elements are left unfolded. */
int rl_shape_set_value(rl_shape_ctx *c, size_t k, const int64_t *iv, const double *dv, size_t n);

/* Values of input i as integers (shapes, axes, indices) or doubles, converted once and kept on the
 * tensor when folded as the other kind; UNKNOWN when not folded, BAD when missing. */
int rl_shape_in_ints(rl_shape_ctx *c, size_t i, const int64_t **v, size_t *n);

/* A folded tensor's values as integers when that is what it holds, else NULL: a float tensor read
 * once as integers keeps a truncated copy in iv, which must not stand for its values. */
const int64_t *rl_shape_ints_of(const rl_tensor *t);
int rl_shape_in_doubles(rl_shape_ctx *c, size_t i, const double **v, size_t *n);

/* An integer list that older opsets give as attribute `attr` and newer ones (from `input_since`)
 * as input `input`: the input when the opset says so or the attribute is absent, else the
 * attribute. present=0 when neither is there. */
int rl_shape_ints_attr_or_input(rl_shape_ctx *c, const char *attr, size_t input,
                                int64_t input_since, const int64_t **v, size_t *n, int *present);

/* Dims from shape values (ConstantOfShape, Expand, ...): BAD for a negative one or too many. */
int rl_shape_dims_from_values(rl_shape_ctx *c, const int64_t *v, size_t n, rl_dim *od);

/* ---------------------------------------------------------------- partial values and symbols
 *
 * Exporters compute shapes at run time: Shape -> Gather -> Unsqueeze -> Concat -> Reshape, window
 * padding through Mod and Sub, masks through Range and Where. With every dim known these fold to
 * complete values (iv/dv). With a symbolic dim (a `batch` no --dim gave), the vector is only partly
 * known: its elements travel as rl_pval, known ones with their value and unknown ones with the
 * symbol they equal, so that the Reshape at the end gets `batch` back. A symbol may be a product
 * "K*a*b" of graph inputs' symbols, made by Mul and undone by Div or a Reshape's -1. */

/* Input i's values element by element, complete or partial; UNKNOWN when it has neither. A
 * complete value is converted once and kept on the tensor (floats truncated toward zero). */
int rl_shape_in_pvals(rl_shape_ctx *c, size_t i, const rl_pval **v, size_t *n);

/* Sets output k's values from n elements: all known become iv or dv (by the output's dtype), a
 * partial set is kept as pv. Nothing for n >
 * RL_SHAPE_MAX_FOLD or when n differs from the output's element count. */
int rl_shape_set_pvals(rl_shape_ctx *c, size_t k, const rl_pval *v, size_t n);

/* Output k's values picked from x's (complete or partial): element i is x's element map[i]. Used
 * by the ops that move values without computing (Slice, Transpose, Gather, Expand, Tile, views).
 * Nothing when x has no values or n > RL_SHAPE_MAX_FOLD; every map[i] must be < x's count. */
int rl_shape_set_mapped(rl_shape_ctx *c, size_t k, const rl_tensor *x, const size_t *map, size_t n);

/* The element a dim stands for (known value, or unknown with its symbol), and back. */
rl_pval rl_shape_pval_of_dim(rl_dim d);
rl_dim rl_shape_dim_of_pval(rl_pval p);

/* a * b (op '*') or a / b (op '/') of two dims, known or symbolic, as a monomial symbol
 * ("12*batch", "batch*seq"): *out is known when the symbols cancel, unknown without a symbol when
 * the result is not a whole monomial (a remainder, an unknown operand, too many factors). Returns
 * RL_SHAPE_OK or RL_SHAPE_FATAL (out of memory). */
int rl_shape_sym_arith(rl_shape_ctx *c, rl_pval a, rl_pval b, char op, rl_pval *out);

int rl_shape_is_float(int32_t dtype);           /* float, double, float16, bfloat16 */
int rl_shape_known(const rl_tensor *t);         /* t is not NULL and every dim is known */
int64_t rl_shape_mul_dim(int64_t a, int64_t b); /* -1 when either is unknown or it overflows */

/* ---------------------------------------------------------------- axes and broadcasting */

/* Counts a negative index from the end: i in [-n, n) becomes *out in [0, n) and 0 is returned;
 * with `inclusive`, i in [-n, n] and *out in [0, n] (a position between dims, as Flatten's axis).
 * Anything else returns -1 with *out = 0. Pure: the caller words the note. */
int rl_shape_wrap_index(int64_t i, int64_t n, int inclusive, int64_t *out);

/* Slice-style bounds: a negative i counts from the end (i + n), then the result is raised to lo and
 * then lowered to hi (in that order, so lo > hi gives hi). Never fails. */
int64_t rl_shape_clamp_index(int64_t i, int64_t n, int64_t lo, int64_t hi);

/* One axis of a rank-`rank` tensor, normalised; BAD "axis A out of range for rank R". */
int rl_shape_axis_norm(rl_shape_ctx *c, int64_t axis, int rank, int64_t *out);

/* The node's `axis` attribute (dflt when absent), normalised as rl_shape_axis_norm. */
int rl_shape_axis_attr(rl_shape_ctx *c, int64_t dflt, int rank, int64_t *out);

/* n axes normalised in order, each stored in out[i] (when out is not NULL) and marked in
 * seen[axis] (when seen is not NULL; seen holds `rank` flags). With `unique`, an axis already
 * marked is BAD "axis A repeated" (unique needs seen). Stops at the first bad axis. */
int rl_shape_axes_norm(rl_shape_ctx *c, const int64_t *axes, size_t n, int rank, int unique,
                       int64_t *out, int *seen);

/* Numpy broadcast of two shapes into o (rank *ro = the larger rank). A dim of 1 takes the other;
 * an unknown dim meets a known one over 1 as that one, and two unknown dims with the same symbol
 * keep it; otherwise unknown. BAD "cannot broadcast dim A with B" for two known dims that differ.
 */
int rl_shape_broadcast(rl_shape_ctx *c, int ra, const rl_dim *a, int rb, const rl_dim *b, int *ro,
                       rl_dim *o);

#endif
