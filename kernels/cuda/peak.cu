/* peak.cu: the compute kernels of the CUDA backend, one per measured path and precision.
 *
 * Each is a loop of independent dependency chains held in registers, sized so every SM runs a full
 * wave of blocks (the harness asks the occupancy calculator) and each warp scheduler always has an
 * independent instruction to issue. What one loop iteration of one thread (or warp, or warpgroup)
 * executes is declared beside the kernel as RL_GPU_*_PER_ITER; the harness turns launches into
 * rates from that declaration only. tests/test_gpu.c checks the PTX for the declared instruction
 * (fma.rn.f32, mma.sync, wgmma) and, where cuobjdump exists, the SASS (FFMA, DFMA, HFMA2, HMMA,
 * IMMA, HGMMA).
 *
 * The arithmetic keeps values finite and checkable:
 *   CUDA-core FMA   x = x * m + a with m = 1 - 2^-6, a = 2^-6 (runtime arguments, so nothing
 *                   folds): every chain converges to a / (1 - m) = 1, never denormal or infinite.
 *   tensor cores    D += A * B with small constant fragments: D grows linearly with the number of
 *                   instructions executed, so D(N iterations) / D(1 iteration) = N checks that
 *                   every instruction ran (relative error only from fp32 rounding). Every
 *                   accumulator feeds the output: ptxas deletes a tensor-core instruction whose
 *                   result is unused, whatever `asm volatile` says to the front end (it deleted
 *                   seven of eight chains on sm_90 and the rate looked 4.8x the hardware's, seen
 *                   on an H200); each starts at a different value so no two chains are the same
 *                   computation, and the output is the sum of what they added.
 *
 * Values: the fragments vary by lane (not zeros, not one constant), since tensor cores run faster
 * on zeros than on real data. */
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "kernels/cuda/gpu_int.cuh"

#define RL_GPU_CHAINS 8 /* independent FMA chains per thread */
#define RL_GPU_UNROLL                                                                              \
    32 /* loop body repeats per iteration: the loop's own instructions (counter,                   \
          compare, branch) take under 1% of the issue slots */

/* ---- CUDA cores: FLOPs per thread per iteration = chains x unroll x 2 (x 2 lanes for half2) ----
 */

#define RL_GPU_FMA_KERNEL(NAME, T, FMA, INIT, SUM)                                                 \
    extern "C" __global__ void NAME(float *out, long long iters, T m, T a, rl_gpu_clk *clk)        \
    {                                                                                              \
        RL_GPU_CLK_BEGIN                                                                           \
        T x[RL_GPU_CHAINS];                                                                        \
        _Pragma("unroll") for (int k = 0; k < RL_GPU_CHAINS; k++) x[k] = INIT;                     \
        for (long long i = 0; i < iters; i++) {                                                    \
            _Pragma("unroll") for (int u = 0; u < RL_GPU_UNROLL; u++)                              \
                _Pragma("unroll") for (int k = 0; k < RL_GPU_CHAINS; k++) x[k] = FMA;              \
        }                                                                                          \
        float s = 0.0f;                                                                            \
        _Pragma("unroll") for (int k = 0; k < RL_GPU_CHAINS; k++) s += SUM;                        \
        out[blockIdx.x * blockDim.x + threadIdx.x] = s;                                            \
        RL_GPU_CLK_END(clk)                                                                        \
    }

/* Chain k of a thread starts at 1 + ((thread + k) mod 64) / 128: every chain differs. */
#define RL_GPU_LANE_INIT (1.0f + (float)((threadIdx.x + k) % 64) * 0.0078125f)

RL_GPU_FMA_KERNEL(rl_gpu_fma_fp64, double, fma(x[k], m, a), (double)RL_GPU_LANE_INIT, (float)x[k])
RL_GPU_FMA_KERNEL(rl_gpu_fma_fp32, float, fmaf(x[k], m, a), RL_GPU_LANE_INIT, x[k])
RL_GPU_FMA_KERNEL(rl_gpu_fma_fp16, __half2, __hfma2(x[k], m, a), __float2half2_rn(RL_GPU_LANE_INIT),
                  __low2float(x[k]) + __high2float(x[k]))
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
RL_GPU_FMA_KERNEL(rl_gpu_fma_bf16, __nv_bfloat162, __hfma2(x[k], m, a),
                  __float2bfloat162_rn(RL_GPU_LANE_INIT), __low2float(x[k]) + __high2float(x[k]))
#else
extern "C" __global__ void rl_gpu_fma_bf16(float *, long long, __nv_bfloat162, __nv_bfloat162,
                                           rl_gpu_clk *)
{
}
#endif

/* ---- Tensor cores, mma.sync (warp-level, sm_80+): RL_GPU_MMA_ACC independent accumulators per
 * warp, each instruction m16n8kK: 16 x 8 x K x 2 FLOPs per warp. ---- */

#define RL_GPU_MMA_ACC    8
#define RL_GPU_MMA_UNROLL 4

/* One lane's A fragment (4 registers) and B fragment (2 registers), varied by lane: lo and hi are
 * the two 16-bit halves of a register (bf16/fp16 bit patterns). */
__device__ __forceinline__ unsigned rl_gpu_pack(unsigned lo, unsigned hi)
{
    return lo | (hi << 16);
}

/* Accumulator j starts at j: see the top of this file. */
#define RL_GPU_MMA_KERNEL(NAME, ASM, A0, A1, B0, B1, DT, DCONS)                                    \
    extern "C" __global__ void NAME(float *out, long long iters, rl_gpu_clk *clk)                  \
    {                                                                                              \
        RL_GPU_CLK_BEGIN                                                                           \
        const unsigned lane = threadIdx.x & 31;                                                    \
        const unsigned a0 = A0, a1 = A1, b0 = B0, b1 = B1;                                         \
        DT d[RL_GPU_MMA_ACC][4];                                                                   \
        _Pragma("unroll") for (int j = 0; j < RL_GPU_MMA_ACC; j++)                                 \
            _Pragma("unroll") for (int e = 0; e < 4; e++) d[j][e] = (DT)j;                         \
        for (long long i = 0; i < iters; i++) {                                                    \
            _Pragma("unroll") for (int u = 0; u < RL_GPU_MMA_UNROLL; u++)                          \
                _Pragma("unroll") for (int j = 0; j < RL_GPU_MMA_ACC; j++) asm volatile(           \
                    ASM : DCONS(d[j]) : "r"(a0), "r"(a1), "r"(a0), "r"(a1), "r"(b0), "r"(b1));     \
        }                                                                                          \
        float s = 0.0f;                                                                            \
        _Pragma("unroll") for (int j = 0; j < RL_GPU_MMA_ACC; j++)                                 \
            _Pragma("unroll") for (int e = 0; e < 4; e++) s += (float)(d[j][e] - (DT)j);           \
        out[blockIdx.x * blockDim.x + threadIdx.x] = s;                                            \
        RL_GPU_CLK_END(clk)                                                                        \
    }

#define RL_GPU_F32X4(x) "+f"(x[0]), "+f"(x[1]), "+f"(x[2]), "+f"(x[3])
#define RL_GPU_S32X4(x) "+r"(x[0]), "+r"(x[1]), "+r"(x[2]), "+r"(x[3])

/* bf16 2^-8 x (1 + lane%4 / 4) and 2^-4 x (1 + (lane/8)%2 / 2); fp16 likewise. */
#define RL_GPU_BF16_A (0x3B80u | ((lane & 3u) << 5))
#define RL_GPU_BF16_B (0x3D80u | (((lane >> 3) & 1u) << 6))
#define RL_GPU_FP16_A (0x1C00u | ((lane & 3u) << 8))
#define RL_GPU_FP16_B (0x2C00u | (((lane >> 3) & 1u) << 9))

#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
RL_GPU_MMA_KERNEL(rl_gpu_mma_bf16,
                  "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, "
                  "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};",
                  rl_gpu_pack(RL_GPU_BF16_A, RL_GPU_BF16_A), rl_gpu_pack(RL_GPU_BF16_A, 0x3B80u),
                  rl_gpu_pack(RL_GPU_BF16_B, RL_GPU_BF16_B), rl_gpu_pack(0x3D80u, RL_GPU_BF16_B),
                  float, RL_GPU_F32X4)
RL_GPU_MMA_KERNEL(rl_gpu_mma_fp16,
                  "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, "
                  "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};",
                  rl_gpu_pack(RL_GPU_FP16_A, RL_GPU_FP16_A), rl_gpu_pack(RL_GPU_FP16_A, 0x1C00u),
                  rl_gpu_pack(RL_GPU_FP16_B, RL_GPU_FP16_B), rl_gpu_pack(0x2C00u, RL_GPU_FP16_B),
                  float, RL_GPU_F32X4)
/* tf32: whole fp32 bit patterns 2^-8 x (1 + lane%4 / 4) and 2^-4 x (1 + (lane/8)%2 / 2). */
RL_GPU_MMA_KERNEL(rl_gpu_mma_tf32,
                  "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, "
                  "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};",
                  0x3B800000u | ((lane & 3u) << 21), 0x3B800000u,
                  0x3D800000u | (((lane >> 3) & 1u) << 22), 0x3D800000u, float, RL_GPU_F32X4)
/* int8: bytes 1 or 2 (A) and 1 or -1 (B), by lane. */
RL_GPU_MMA_KERNEL(rl_gpu_mma_int8,
                  "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%0,%1,%2,%3}, "
                  "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};",
                  0x01010101u + (lane & 1u), 0x01020102u, 0x01010101u,
                  (lane & 4u) ? 0xFF01FF01u : 0x01010101u, int, RL_GPU_S32X4)
#else
extern "C" __global__ void rl_gpu_mma_bf16(float *, long long, rl_gpu_clk *)
{
}
extern "C" __global__ void rl_gpu_mma_fp16(float *, long long, rl_gpu_clk *)
{
}
extern "C" __global__ void rl_gpu_mma_tf32(float *, long long, rl_gpu_clk *)
{
}
extern "C" __global__ void rl_gpu_mma_int8(float *, long long, rl_gpu_clk *)
{
}
#endif

/* ---- Tensor cores, wgmma (Hopper sm_90a only): each warpgroup (4 warps, 128 threads) issues
 * RL_GPU_WGMMA_BATCH asynchronous m64n256kK products (64 x 256 x K x 2 FLOPs or OPs each: K = 16 for
 * fp16/bf16, 8 for tf32, 32 for fp8 e4m3 and int8) into its 128 accumulators per thread (fp32, or
 * int32 for int8), then waits for the batch. A (64 x K) and B (256 x K) come from shared memory
 * through matrix descriptors (no swizzle: 8-row core matrices of 128 contiguous bytes, K-major;
 * leading byte offset 128 between core matrices along K, stride byte offset 256 along M/N). Every
 * type's tiles take the same bytes: 2 KiB for A, 8 KiB for B. ---- */

#define RL_GPU_WGMMA_BATCH   16
#define RL_GPU_WGMMA_A_BYTES 2048
#define RL_GPU_WGMMA_B_BYTES 8192

#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
__device__ __forceinline__ unsigned long long rl_gpu_wgmma_desc(const void *smem)
{
    const unsigned addr = (unsigned)__cvta_generic_to_shared(smem);
    return (unsigned long long)((addr & 0x3FFFFu) >> 4) | ((unsigned long long)(128 >> 4) << 16) |
           ((unsigned long long)(256 >> 4) << 32);
}

/* The 128 accumulators are operands %0..%127, the descriptors %128 and %129, scale-d %130. */
#define RL_GPU_D128_STR \
    "%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,%16,%17,%18,%19,%20,%21," \
    "%22,%23,%24,%25,%26,%27,%28,%29,%30,%31,%32,%33,%34,%35,%36,%37,%38,%39,%40,%41," \
    "%42,%43,%44,%45,%46,%47,%48,%49,%50,%51,%52,%53,%54,%55,%56,%57,%58,%59,%60,%61," \
    "%62,%63,%64,%65,%66,%67,%68,%69,%70,%71,%72,%73,%74,%75,%76,%77,%78,%79,%80,%81," \
    "%82,%83,%84,%85,%86,%87,%88,%89,%90,%91,%92,%93,%94,%95,%96,%97,%98,%99,%100," \
    "%101,%102,%103,%104,%105,%106,%107,%108,%109,%110,%111,%112,%113,%114,%115,%116," \
    "%117,%118,%119,%120,%121,%122,%123,%124,%125,%126,%127"
#define RL_GPU_D128_F \
    "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), \
    "+f"(d[6]), "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), \
    "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]), "+f"(d[16]), "+f"(d[17]), \
    "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), \
    "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), \
    "+f"(d[30]), "+f"(d[31]), "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]), \
    "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]), "+f"(d[40]), "+f"(d[41]), \
    "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]), \
    "+f"(d[48]), "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), \
    "+f"(d[54]), "+f"(d[55]), "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), \
    "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63]), "+f"(d[64]), "+f"(d[65]), \
    "+f"(d[66]), "+f"(d[67]), "+f"(d[68]), "+f"(d[69]), "+f"(d[70]), "+f"(d[71]), \
    "+f"(d[72]), "+f"(d[73]), "+f"(d[74]), "+f"(d[75]), "+f"(d[76]), "+f"(d[77]), \
    "+f"(d[78]), "+f"(d[79]), "+f"(d[80]), "+f"(d[81]), "+f"(d[82]), "+f"(d[83]), \
    "+f"(d[84]), "+f"(d[85]), "+f"(d[86]), "+f"(d[87]), "+f"(d[88]), "+f"(d[89]), \
    "+f"(d[90]), "+f"(d[91]), "+f"(d[92]), "+f"(d[93]), "+f"(d[94]), "+f"(d[95]), \
    "+f"(d[96]), "+f"(d[97]), "+f"(d[98]), "+f"(d[99]), "+f"(d[100]), "+f"(d[101]), \
    "+f"(d[102]), "+f"(d[103]), "+f"(d[104]), "+f"(d[105]), "+f"(d[106]), "+f"(d[107]), \
    "+f"(d[108]), "+f"(d[109]), "+f"(d[110]), "+f"(d[111]), "+f"(d[112]), "+f"(d[113]), \
    "+f"(d[114]), "+f"(d[115]), "+f"(d[116]), "+f"(d[117]), "+f"(d[118]), "+f"(d[119]), \
    "+f"(d[120]), "+f"(d[121]), "+f"(d[122]), "+f"(d[123]), "+f"(d[124]), "+f"(d[125]), \
    "+f"(d[126]), "+f"(d[127])
#define RL_GPU_D128_R \
    "+r"(d[0]), "+r"(d[1]), "+r"(d[2]), "+r"(d[3]), "+r"(d[4]), "+r"(d[5]), \
    "+r"(d[6]), "+r"(d[7]), "+r"(d[8]), "+r"(d[9]), "+r"(d[10]), "+r"(d[11]), \
    "+r"(d[12]), "+r"(d[13]), "+r"(d[14]), "+r"(d[15]), "+r"(d[16]), "+r"(d[17]), \
    "+r"(d[18]), "+r"(d[19]), "+r"(d[20]), "+r"(d[21]), "+r"(d[22]), "+r"(d[23]), \
    "+r"(d[24]), "+r"(d[25]), "+r"(d[26]), "+r"(d[27]), "+r"(d[28]), "+r"(d[29]), \
    "+r"(d[30]), "+r"(d[31]), "+r"(d[32]), "+r"(d[33]), "+r"(d[34]), "+r"(d[35]), \
    "+r"(d[36]), "+r"(d[37]), "+r"(d[38]), "+r"(d[39]), "+r"(d[40]), "+r"(d[41]), \
    "+r"(d[42]), "+r"(d[43]), "+r"(d[44]), "+r"(d[45]), "+r"(d[46]), "+r"(d[47]), \
    "+r"(d[48]), "+r"(d[49]), "+r"(d[50]), "+r"(d[51]), "+r"(d[52]), "+r"(d[53]), \
    "+r"(d[54]), "+r"(d[55]), "+r"(d[56]), "+r"(d[57]), "+r"(d[58]), "+r"(d[59]), \
    "+r"(d[60]), "+r"(d[61]), "+r"(d[62]), "+r"(d[63]), "+r"(d[64]), "+r"(d[65]), \
    "+r"(d[66]), "+r"(d[67]), "+r"(d[68]), "+r"(d[69]), "+r"(d[70]), "+r"(d[71]), \
    "+r"(d[72]), "+r"(d[73]), "+r"(d[74]), "+r"(d[75]), "+r"(d[76]), "+r"(d[77]), \
    "+r"(d[78]), "+r"(d[79]), "+r"(d[80]), "+r"(d[81]), "+r"(d[82]), "+r"(d[83]), \
    "+r"(d[84]), "+r"(d[85]), "+r"(d[86]), "+r"(d[87]), "+r"(d[88]), "+r"(d[89]), \
    "+r"(d[90]), "+r"(d[91]), "+r"(d[92]), "+r"(d[93]), "+r"(d[94]), "+r"(d[95]), \
    "+r"(d[96]), "+r"(d[97]), "+r"(d[98]), "+r"(d[99]), "+r"(d[100]), "+r"(d[101]), \
    "+r"(d[102]), "+r"(d[103]), "+r"(d[104]), "+r"(d[105]), "+r"(d[106]), "+r"(d[107]), \
    "+r"(d[108]), "+r"(d[109]), "+r"(d[110]), "+r"(d[111]), "+r"(d[112]), "+r"(d[113]), \
    "+r"(d[114]), "+r"(d[115]), "+r"(d[116]), "+r"(d[117]), "+r"(d[118]), "+r"(d[119]), \
    "+r"(d[120]), "+r"(d[121]), "+r"(d[122]), "+r"(d[123]), "+r"(d[124]), "+r"(d[125]), \
    "+r"(d[126]), "+r"(d[127])

/* One wgmma of each type: the instruction and its trailing immediates (scale-a, scale-b and, for
 * 16-bit types, transpose-a and transpose-b; integer products take none). */
#define RL_GPU_WGMMA_FN(NAME, DT, CONS, INSN, IMM)                                                 \
    __device__ __forceinline__ void NAME(DT *d, unsigned long long da, unsigned long long db)     \
    {                                                                                              \
        asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %130, 0;\n" INSN " {" RL_GPU_D128_STR       \
                     "}, %128, %129, p" IMM ";\n}\n"                                               \
                     : CONS                                                                        \
                     : "l"(da), "l"(db), "r"(1));                                                  \
    }
RL_GPU_WGMMA_FN(rl_gpu_wgmma_bf16_op, float, RL_GPU_D128_F,
                "wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16", ", 1, 1, 0, 0")
RL_GPU_WGMMA_FN(rl_gpu_wgmma_fp16_op, float, RL_GPU_D128_F,
                "wgmma.mma_async.sync.aligned.m64n256k16.f32.f16.f16", ", 1, 1, 0, 0")
RL_GPU_WGMMA_FN(rl_gpu_wgmma_tf32_op, float, RL_GPU_D128_F,
                "wgmma.mma_async.sync.aligned.m64n256k8.f32.tf32.tf32", ", 1, 1")
RL_GPU_WGMMA_FN(rl_gpu_wgmma_fp8_op, float, RL_GPU_D128_F,
                "wgmma.mma_async.sync.aligned.m64n256k32.f32.e4m3.e4m3", ", 1, 1")
RL_GPU_WGMMA_FN(rl_gpu_wgmma_int8_op, int, RL_GPU_D128_R,
                "wgmma.mma_async.sync.aligned.m64n256k32.s32.s8.s8", "")

/* Tile contents, one 32-bit word w of A or B at a time: small non-zero values that vary along the
 * tile (bf16/fp16: 2^-8 x (1 + i%4/4) for A, 2^-4 x (1 + (i/8)%2/2) for B, two per word; tf32 the
 * same as whole floats; e4m3: 2^-4 x (1 + i%4/8) and 2^-2 x (1 + (i/8)%2/2), four per word; int8: 1
 * or 2 for A and B, all positive: with B = +-1 a row of A met a column of B summing to zero, seen on
 * an H200). */
__device__ __forceinline__ unsigned rl_gpu_tile_word(int type, int is_b, unsigned w)
{
    unsigned v = 0;
    switch (type) {
    case 0: /* bf16 */
    case 1: /* fp16 */
        for (unsigned h = 0; h < 2; h++) {
            const unsigned i = 2 * w + h;
            const unsigned e = type == 0 ? (is_b ? 0x3D80u | (((i >> 3) & 1u) << 6)
                                                 : 0x3B80u | ((i & 3u) << 5))
                                         : (is_b ? 0x2C00u | (((i >> 3) & 1u) << 9)
                                                 : 0x1C00u | ((i & 3u) << 8));
            v |= e << (16 * h);
        }
        return v;
    case 2: /* tf32 */
        return is_b ? 0x3D800000u | (((w >> 3) & 1u) << 22) : 0x3B800000u | ((w & 3u) << 21);
    case 3: /* e4m3 */
        for (unsigned q = 0; q < 4; q++) {
            const unsigned i = 4 * w + q;
            v |= (is_b ? 0x28u | (((i >> 3) & 1u) << 2) : 0x18u | (i & 3u)) << (8 * q);
        }
        return v;
    default: /* int8 */
        for (unsigned q = 0; q < 4; q++) {
            const unsigned i = 4 * w + q;
            v |= (is_b ? 1u + ((i >> 3) & 1u) : 1u + (i & 1u)) << (8 * q);
        }
        return v;
    }
}
#endif

/* One kernel per type; `type` selects the tile contents above. The output is accumulator 0 plus
 * zero times every other one, so that none is dead (ptxas deletes dead tensor-core work). */
#define RL_GPU_WGMMA_KERNEL(NAME, OP, DT, TYPE, FENCE)                                                    \
    extern "C" __global__ void __launch_bounds__(384, 1)                                           \
        NAME(float *out, long long iters, rl_gpu_clk *clk)                                         \
    {                                                                                              \
        RL_GPU_CLK_BEGIN                                                                           \
        RL_GPU_WGMMA_BODY(OP, DT, TYPE, FENCE)                                                            \
        RL_GPU_CLK_END(clk)                                                                        \
    }

#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
/* The accumulators belong to the asynchronous tensor-core proxy between a wgmma and its wait: the
 * empty asm statements (CUTLASS's "fence operand") keep the compiler from moving any ordinary
 * access to them across the fence and the wait. Ordinary stores that the tensor cores read next
 * need the async-proxy fence before the barrier. */
#define RL_GPU_WGMMA_BODY(OP, DT, TYPE, FENCE)                                                            \
    __shared__ __align__(1024) unsigned sa[RL_GPU_WGMMA_A_BYTES / 4];                              \
    __shared__ __align__(1024) unsigned sb[RL_GPU_WGMMA_B_BYTES / 4];                              \
    for (unsigned w = threadIdx.x; w < RL_GPU_WGMMA_A_BYTES / 4; w += blockDim.x)                  \
        sa[w] = rl_gpu_tile_word(TYPE, 0, w);                                                      \
    for (unsigned w = threadIdx.x; w < RL_GPU_WGMMA_B_BYTES / 4; w += blockDim.x)                  \
        sb[w] = rl_gpu_tile_word(TYPE, 1, w);                                                      \
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");                                   \
    __syncthreads();                                                                               \
    const unsigned long long da = rl_gpu_wgmma_desc(sa), db = rl_gpu_wgmma_desc(sb);               \
    DT d[128];                                                                                     \
    _Pragma("unroll") for (int e = 0; e < 128; e++) d[e] = 0;                                      \
    _Pragma("unroll") for (int e = 0; e < 128; e++) asm volatile("" : FENCE(d[e])::"memory"); \
    for (long long i = 0; i < iters; i++) {                                                        \
        asm volatile("wgmma.fence.sync.aligned;" ::: "memory");                                    \
        _Pragma("unroll") for (int u = 0; u < RL_GPU_WGMMA_BATCH; u++) OP(d, da, db);             \
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");                             \
        asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");                             \
        _Pragma("unroll") for (int e = 0; e < 128; e++)                                            \
            asm volatile("" : FENCE(d[e])::"memory");                                 \
    }                                                                                              \
    float s = 0.0f;                                                                                \
    _Pragma("unroll") for (int e = 0; e < 128; e++) s += (e == 0) ? (float)d[e] : 0.0f * (float)d[e]; \
    out[blockIdx.x * blockDim.x + threadIdx.x] = s;
#else
/* Not built for this GPU: -1 tells the harness (the row is "not run"). */
#define RL_GPU_WGMMA_BODY(OP, DT, TYPE, FENCE)                                                            \
    (void)iters;                                                                                   \
    out[blockIdx.x * blockDim.x + threadIdx.x] = -1.0f;
#endif

/* The fence operand's constraint is the accumulator's own register type: a float fenced through an
 * integer view costs a move that ptxas counts as reading the accumulators mid-pipeline (C7514). */
#define RL_GPU_FENCE_F(x) "+f"(x)
#define RL_GPU_FENCE_R(x) "+r"(x)
RL_GPU_WGMMA_KERNEL(rl_gpu_wgmma_bf16, rl_gpu_wgmma_bf16_op, float, 0, RL_GPU_FENCE_F)
RL_GPU_WGMMA_KERNEL(rl_gpu_wgmma_fp16, rl_gpu_wgmma_fp16_op, float, 1, RL_GPU_FENCE_F)
RL_GPU_WGMMA_KERNEL(rl_gpu_wgmma_tf32, rl_gpu_wgmma_tf32_op, float, 2, RL_GPU_FENCE_F)
RL_GPU_WGMMA_KERNEL(rl_gpu_wgmma_fp8, rl_gpu_wgmma_fp8_op, float, 3, RL_GPU_FENCE_F)
RL_GPU_WGMMA_KERNEL(rl_gpu_wgmma_int8, rl_gpu_wgmma_int8_op, int, 4, RL_GPU_FENCE_R)
