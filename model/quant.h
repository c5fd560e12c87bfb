/* quant.h: which nodes of a graph compute in int8, in either of the two forms quantizers write:
 *
 *  - QOperator: the quantized ops themselves (QLinearConv, QLinearMatMul, ConvInteger,
 *    MatMulInteger; ONNX Runtime's com.microsoft QGemm, QLinearAdd, QLinearMul, QLinearSigmoid,
 *    QLinearLeakyRelu, QLinearGlobalAveragePool, QLinearConcat, DynamicQuantizeMatMul,
 *    MatMulIntegerToFloat);
 *  - QDQ: a float Conv, MatMul or Gemm whose data and weight inputs each come from a
 *    DequantizeLinear of int8/uint8, and (Conv: required, as ONNX Runtime requires it; MatMul and
 *    Gemm: optional) whose only consumer is a QuantizeLinear to int8/uint8. The product is the
 *    core of one quantized operator (what ONNX Runtime runs as QLinearConv, QLinearMatMul or
 *    MatMulIntegerToFloat, QGemm); a DequantizeLinear all of whose consumers are such cores (an
 *    int32 bias's included) and the QuantizeLinear after a core are absorbed into it.
 *
 * The costs (cost.c) count a core as the quantized operator it stands for: its multiply-adds as
 * int8 operations, its bytes at their real widths (int8 data and weights, int32 bias, float
 * scales, the int8 output of the QuantizeLinear), and the absorbed nodes move nothing. The roof
 * (roof.c) places int8 nodes on the machine's int8 peak. */
#ifndef RL_QUANT_H
#define RL_QUANT_H

#include "model/shape.h"

/* Sets every node's int8, qdq and qdq_out, and g->n_int8. Cannot fail. */
void rl_quant_mark(rl_graph *g);

/* 1 when op (of `domain`) is a QOperator op that computes in int8. */
int rl_quant_op_int8(const char *op, const char *domain);

#endif
