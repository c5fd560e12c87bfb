/* cost.h: what each node costs: parameters, multiply-adds, FLOPs, bytes moved, arithmetic
 * intensity, and the model's peak activation memory.
 *
 * The convention (tools disagree, so it is printed with every result, see rl_cost_convention):
 *  - MACs are counted for Conv, ConvTranspose, Gemm, MatMul (and their integer/quantized forms,
 *    MatMulNBits)
 *    and the gate products of RNN/GRU/LSTM only; their FLOPs are 2 x MACs (bias adds not counted,
 *    as torch.profiler does; gate activations not counted).
 *  - Every other op costs FLOPs per element from a fixed table (rl_cost_op_flops), and data
 * movement ops (Reshape, Transpose, Concat, Slice, Gather, Pad, Resize-nearest, Cast, ...) cost 0
 * FLOPs.
 *  - Bytes read = every distinct input tensor (weights and activations) at its data type (4-bit
 *    types two per byte, MatMulNBits' packed weights at their stored size); bytes written = every
 *    output. Views (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout) and nodes folded at
 *    load time (Constant, Shape arithmetic) move nothing. Gather reads only the rows it gathers
 *    (its output's bytes), not the whole table. A DequantizeLinear of an initializer whose output
 *    only products use as their weight (MatMul, Gemm, Conv input 1) moves nothing itself: the
 *    product reads the quantized weight, scales and zero points in its place, as runtimes fuse
 *    the pair (ONNX Runtime: blocked int4 DequantizeLinear + MatMul -> MatMulNBits).
 *  - Parameters: initializer elements, each initializer counted once (at its first consumer).
 *  - Peak activation memory: graph inputs and node outputs live from their producer to their last
 *    consumer (graph outputs to the end), views share their input's buffer; the largest sum of live
 *    bytes while any one node runs, in file order. */
#ifndef RL_COST_H
#define RL_COST_H

#include <stdint.h>

#include "model/shape.h"

typedef struct rl_cost_totals {
    uint64_t params;      /* initializer elements */
    uint64_t param_bytes; /* ... at their data types */
    double macs, flops, bytes_read, bytes_written;
    double peak_activation_bytes;
    size_t nodes_not_costed; /* unsupported or unknown shapes: totals are a lower bound */
    int incomplete;
} rl_cost_totals;

/* Fills every node's cost fields and the totals. Cannot fail. */
void rl_cost_compute(rl_graph *g, rl_cost_totals *tot);

/* FLOPs per output element for ops outside the MAC table, and whether the op is known to the
 * table (0 means "data movement: no FLOPs"). */
double rl_cost_op_flops(const char *op, int *known);

/* One paragraph stating the convention, for --help and the outputs. */
const char *rl_cost_convention(void);

/* The rules for quantized weights and gathered tables (part of the convention above, kept apart so
 * that the outputs that print rl_cost_convention stay as they were): for --help and the sweep. */
const char *rl_cost_convention_weights(void);

/* The rule for int8 nodes (quant.h), printed where a model has them. */
const char *rl_cost_convention_int8(void);

#endif
