/* shape.h: the analysed graph: every tensor's data type and shape, inferred node by node in
 * execution order, with small integer tensors (shapes, axes, indices) folded to their values.
 *
 * Dimensions the model leaves symbolic come from `--dim NAME=VALUE` or `--input NAME=1x3x640x640`;
 * otherwise they stay unknown (-1) and are listed, never guessed. A node whose op is not known is
 * listed as unsupported and its outputs stay unknown; a node whose inputs contradict each other
 * (say, a channel mismatch) gets a note and unknown outputs. The costs (cost.h) and the roofline
 * placement (roof.h) fill the per-node figures. Everything lives in the graph's arena. */
#ifndef RL_SHAPE_H
#define RL_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "model/onnx.h"

#define RL_SHAPE_MAX_FOLD 4096 /* largest tensor whose values are folded */

typedef struct rl_dim {
    int64_t v;       /* -1 unknown */
    const char *sym; /* symbolic name carried from a graph input, or NULL */
} rl_dim;

enum { RL_T_INPUT, RL_T_INIT, RL_T_ACT, RL_T_MISSING };

/* One element of a small integer tensor whose values are only partly known (a shape vector with a
 * symbolic dim): `known` with its value v, or unknown, perhaps equal to a symbolic dimension `sym`
 * ("batch", or a multiple such as "12*batch" that exporters' shape arithmetic makes). */
typedef struct rl_pval {
    int64_t v;
    const char *sym;
    int known;
} rl_pval;

typedef struct rl_tensor {
    const char *name;
    int kind; /* RL_T_* */
    int32_t dtype;
    int rank; /* -1 unknown */
    rl_dim *dims;
    const rl_onnx_tensor *init; /* initializer (kind RL_T_INIT) */
    int has_value;              /* values folded: iv for integer/bool types, dv for floating ones */
    int64_t *iv;
    double *dv;
    size_t nv;
    rl_pval *pv; /* partial values when has_value is 0 (at most RL_SHAPE_MAX_FOLD), or NULL */
    size_t npv;
    long producer; /* node index, -1 for graph inputs and initializers */
    long last_use; /* last consuming node, -1 none */
    int graph_output;
} rl_tensor;

enum { RL_NODE_OK, RL_NODE_UNSUPPORTED, RL_NODE_UNKNOWN, RL_NODE_ERROR };
enum { RL_BOUND_NONE, RL_BOUND_COMPUTE, RL_BOUND_MEMORY };
/* QDQ roles (model/quant.h): a Conv, MatMul or Gemm between DequantizeLinear inputs is the core
 * of a quantized operator; the DequantizeLinear and QuantizeLinear nodes around it are absorbed. */
enum { RL_QDQ_NONE, RL_QDQ_CORE, RL_QDQ_ABSORBED };

typedef struct rl_node {
    const rl_onnx_node *src;
    size_t *in, *out; /* tensor indexes; SIZE_MAX for an omitted optional input */
    int status;       /* RL_NODE_* */
    const char *note; /* why unknown, or the inconsistency found */
    int folded;       /* every output has a folded value: computed at load time, costs nothing */
    /* quant.c */
    int int8;     /* its operations are int8 (QLinearConv, MatMulInteger, a QDQ Conv, ...): they go
                     on the machine's int8 roof */
    int qdq;      /* RL_QDQ_*: its role in a QuantizeLinear/DequantizeLinear pattern */
    long qdq_out; /* RL_QDQ_CORE: the QuantizeLinear absorbed after it, or -1 */
    /* cost.c */
    int cost_known;  /* all shapes it needs are known */
    uint64_t params; /* initializer elements first used by this node */
    double macs, flops, bytes_read, bytes_written, intensity;
    double weight_bytes; /* the part of bytes_read that is weights (initializers) */
    /* roof.c */
    int bound; /* RL_BOUND_* */
    double attainable_gflops, time_s;
    double measured_s; /* from a profile; <0 none */
} rl_node;

typedef struct rl_op_count {
    const char *op;
    size_t count;
} rl_op_count;

typedef struct rl_graph {
    const rl_onnx_model *model;
    rl_arena *a;
    rl_tensor *t;
    size_t n_t;
    rl_node *nodes;
    size_t n_nodes;
    size_t *hash; /* open addressing: tensor index + 1, 0 empty */
    size_t hash_cap;
    rl_op_count *unsupported;
    size_t n_unsupported;
    const char **unknown_dims; /* "input 'x' dim 0 'batch'" */
    size_t n_unknown_dims;
    size_t n_unknown_nodes; /* nodes whose outputs are not all known (unsupported included) */
    size_t n_int8;          /* nodes with int8 operations (quant.c) */
} rl_graph;

typedef struct rl_shape_dim_opt {
    const char *name;
    int64_t value;
    int used;
} rl_shape_dim_opt;

typedef struct rl_shape_input_opt {
    const char *name;
    int rank;
    int64_t dims[RL_ONNX_MAX_RANK];
    const rl_onnx_tensor *value; /* known values of a graph input (backend tests), or NULL */
    int used;
} rl_shape_input_opt;

typedef struct rl_shape_opts {
    rl_shape_dim_opt *dims;
    size_t n_dims;
    rl_shape_input_opt *inputs;
    size_t n_inputs;
} rl_shape_opts;

/* Builds the graph and infers every shape it can. Errors: an --input naming no graph input
 * (RL_EXIT_USAGE), out of memory. Model inconsistencies are notes on nodes, not errors. */
int rl_shape_infer(const rl_onnx_model *m, rl_shape_opts *opts, rl_graph **out, rl_err *err);
void rl_graph_free(rl_graph *g); /* accepts NULL */

/* Tensor by name, or NULL. */
rl_tensor *rl_graph_find(const rl_graph *g, const char *name);

/* 1 when op_type (default domain) has a shape function here. */
int rl_shape_op_supported(const char *op_type);

/* Product of a known shape; -1 when any dim is unknown or it overflows. */
int64_t rl_tensor_elems(const rl_tensor *t);

/* "1x3x224x224", "?x3x224x224" or "?" */
void rl_tensor_shape_str(const rl_tensor *t, char *out, size_t size);

#endif
