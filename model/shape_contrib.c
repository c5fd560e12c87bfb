/* shape_contrib.c: shape rules for ops of the com.microsoft (ONNX Runtime contrib) domain, which
 * decoder exports and ONNX Runtime's own quantiser write. shape.c sends a node here when its
 * domain is com.microsoft; the default domain never reaches these rules.
 *
 * MatMulNBits: Y = A x dequantize(B), with B [K, N] stored transposed and block-quantised:
 *   A [..., K] (float or float16), B [N, n_blocks, blob] uint8, n_blocks = ceil(K / block_size),
 *   blob = block_size x bits / 8, scales [N x n_blocks] (or [N, n_blocks]), optional zero
 *   points (packed, or of the scales' type), g_idx and bias; Y [..., N] of A's type. */
#include "model/shape_int.h"

#include <stdint.h>
#include <string.h>

static int op_matmul_nbits(rl_shape_ctx *c)
{
    rl_tensor *a, *b;
    int r;
    if ((r = rl_shape_need_rank(c, 0, &a)) || (r = rl_shape_need_rank(c, 1, &b)))
        return r;
    int64_t k = rl_onnx_attr_int(c->o, "K", -1), n = rl_onnx_attr_int(c->o, "N", -1);
    int64_t bits = rl_onnx_attr_int(c->o, "bits", 4);
    int64_t block = rl_onnx_attr_int(c->o, "block_size", -1);
    if (k <= 0 || n <= 0)
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "attributes K and N must be positive (K %lld, N %lld)", (long long)k,
                             (long long)n);
    if (bits < 2 || bits > 8)
        return rl_shape_note(c, RL_SHAPE_BAD, "attribute 'bits' is %lld, expected 2 to 8",
                             (long long)bits);
    /* ONNX Runtime requires a power of two of at least 16 */
    if (block < 16 || (block & (block - 1)) != 0 || block > (1 << 20))
        return rl_shape_note(c, RL_SHAPE_BAD,
                             "attribute 'block_size' is %lld, expected a power of 2 >= 16",
                             (long long)block);
    if (a->rank < 1)
        return rl_shape_note(c, RL_SHAPE_BAD, "A is a scalar");
    if (a->dims[a->rank - 1].v >= 0 && a->dims[a->rank - 1].v != k)
        return rl_shape_note(c, RL_SHAPE_BAD, "A's last dimension %lld is not K %lld",
                             (long long)a->dims[a->rank - 1].v, (long long)k);
    int64_t blocks = (k + block - 1) / block, blob = block * bits / 8;
    if (b->rank == 3) {
        const int64_t want[3] = {n, blocks, blob};
        for (int i = 0; i < 3; i++)
            if (b->dims[i].v >= 0 && b->dims[i].v != want[i])
                return rl_shape_note(c, RL_SHAPE_BAD,
                                     "B is %lldx%lldx%lld, expected %lldx%lldx%lld (N x "
                                     "blocks x block bytes)",
                                     (long long)b->dims[0].v, (long long)b->dims[1].v,
                                     (long long)b->dims[2].v, (long long)n, (long long)blocks,
                                     (long long)blob);
    } else if (b->rank != 2) { /* older exports flatten B to [N, blocks x blob] */
        return rl_shape_note(c, RL_SHAPE_BAD, "B has rank %d, expected 3", b->rank);
    }
    rl_tensor *s = rl_shape_in(c, 2);
    if (!s)
        return rl_shape_note(c, RL_SHAPE_BAD, "no scales input");
    int64_t se = rl_tensor_elems(s);
    if (se >= 0 && se != n * blocks)
        return rl_shape_note(c, RL_SHAPE_BAD, "scales has %lld elements, expected N x blocks %lld",
                             (long long)se, (long long)(n * blocks));
    rl_dim od[RL_ONNX_MAX_RANK];
    memcpy(od, a->dims, (size_t)a->rank * sizeof(rl_dim));
    od[a->rank - 1] = (rl_dim){n, NULL};
    return rl_shape_set_out(c, 0, a->dtype, a->rank, od);
}

const rl_shape_rule rl_shape_rules_contrib[] = {
    {"MatMulNBits", op_matmul_nbits},
    {NULL, NULL},
};
