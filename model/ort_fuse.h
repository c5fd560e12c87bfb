/* ort_fuse.h: the graph ONNX Runtime's CPU provider executes at its default optimisation level
 * ('all'), derived from the model's graph, so a prediction sums what the runtime really runs.
 *
 * Modelled, checked against ORT 1.30's saved optimised graphs
 * (scripts/models/ort_optimized_ops.mjs):
 *  - nodes folded at load (node->folded) and every node whose inputs are all constant;
 *  - views (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout) run but move nothing;
 *  - QDQ groups (quant.h): DequantizeLinear inputs + Conv/MatMul/Gemm + QuantizeLinear run as one
 *    QLinearConv, QLinearMatMul (MatMulIntegerToFloat without the QuantizeLinear) or QGemm. Not
 *    modelled: the NHWC layout ORT gives QLinearConv (a Transpose pair where NHWC and NCHW
 *    tensors meet: at the model's edges in a chain of quantized ops, and around some float ops
 *    between them);
 *  - dynamic quantization: DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul by the scale
 *    [-> Add bias] -> MatMulIntegerToFloat, or DynamicQuantizeMatMul when that product is the
 *    DynamicQuantizeLinear's only consumer;
 *  - Conv + BatchNormalization, Conv + Mul/Add by a per-channel constant: folded into the Conv;
 *  - Conv + Relu/Clip/LeakyRelu/Sigmoid/Tanh/HardSigmoid/HardSwish, and Conv + HardSigmoid + Mul
 *    (HardSwish), when the Conv's output has that one consumer;
 *  - x * Sigmoid(x) (SiLU) -> QuickGelu, one elementwise node;
 *  - MatMul (constant B) + bias Add -> Gemm; Gemm + Relu/LeakyRelu/Sigmoid/Tanh -> FusedGemm;
 *  - MatMul + scalar Mul/Div (on its output or either input) and a Transpose of an input that
 *    swaps the last two or the first two axes -> FusedMatMul;
 *  - Gelu (Div, Erf, Add, Mul, Mul) -> Gelu; the LayerNorm pattern (ReduceMean, Sub, Pow,
 *    ReduceMean, Add, Sqrt, Div, Mul, Add) -> LayerNormalization; Add + LayerNormalization ->
 *    SkipLayerNormalization;
 *  - Slices of one tensor along one axis with constant bounds -> one Split;
 *  - the NCHWc layout pass (x86): Conv, pools, Add/Concat/activations of NCHWc tensors, Resize
 *    and BatchNormalization run blocked; a residual Add (+ Relu) folds into the Conv feeding it
 *    ("Sum" input); ReorderInput/ReorderOutput copies are inserted where blocked and plain
 *    tensors meet, one per tensor, and listed as reorders.
 * Everything is allocated in the graph's arena and dies with it. */
#ifndef RL_ORT_FUSE_H
#define RL_ORT_FUSE_H

#include <stddef.h>

#include "common/err.h"
#include "model/shape.h"

enum {
    RL_FUSE_RUN,    /* executed as a kernel (possibly with others fused into it) */
    RL_FUSE_FOLDED, /* computed at load time: a constant */
    RL_FUSE_VIEW,   /* a view: runs, moves nothing */
    RL_FUSE_FUSED,  /* merged into node `into` */
};

typedef struct rl_fuse_node {
    int state;           /* RL_FUSE_* */
    long into;           /* RL_FUSE_FUSED: the node it runs inside; -1 otherwise */
    const char *exec_op; /* RL_FUSE_RUN: the op ORT runs ("Conv", "Gemm", "FusedMatMul", ...) */
    const char *act;     /* an activation run inside this Conv or Gemm, or NULL */
    int sum;             /* a Conv that also adds a residual input (NCHWc "Sum") */
    int nchwc;           /* runs in the NCHWc blocked layout */
    double flops, bytes; /* RL_FUSE_RUN: of the node with everything fused into it (bytes: inputs
                            from outside the group + outputs used outside it) */
} rl_fuse_node;

typedef struct rl_fuse_reorder {
    const char *op; /* "ReorderInput" or "ReorderOutput" */
    size_t tensor;  /* the plain (NCHW) tensor */
    long node;      /* ReorderInput: its first blocked consumer; ReorderOutput: the producer */
    double bytes;   /* read + written */
} rl_fuse_reorder;

typedef struct rl_fuse_view {
    rl_fuse_node *n; /* one per graph node */
    rl_fuse_reorder *reorders;
    size_t n_reorders;
    size_t n_run;         /* nodes executed as kernels, reorders excluded */
    size_t n_view;        /* views */
    size_t n_extra_views; /* Reshapes ORT adds around a 2-D Gemm of a batched MatMul + bias */
    int block; /* NCHWc block in floats (16 with AVX-512, 8 otherwise); 0: no NCHWc pass */
} rl_fuse_view;

/* Builds the view of g. nchwc_block: 0 skips the NCHWc pass (not x86). Errors: out of memory. */
int rl_ort_fuse(const rl_graph *g, int nchwc_block, rl_fuse_view *v, rl_err *err);

/* The op a node runs as, for histograms: exec_op for executed nodes, the op for views, NULL for
 * nodes folded or fused away. */
const char *rl_fuse_op(const rl_graph *g, const rl_fuse_view *v, size_t i);

#endif
