/* fma_sve.c: SVE FMLA on fp64, fp32 and fp16, written for any vector length (compiled with
 * -march=armv8.2-a+sve). Nothing here knows the length: the accumulators are svfloat64_t values,
 * the lanes come from svcntd()/svcntw()/svcnth() at run time, and the FLOPs of an iteration follow
 * the length the calling thread runs at (rl_fma_kernel.vl_bits, rl_fma_flops_per_iter), so a
 * 512-bit A64FX counts four times what a 128-bit Neoverse V2 does with the same binary.
 * (likwid-bench's SVE files are written for one width and count that width's work on any other.) 24
 * chains x = x + A*M, all lanes active (one all-true predicate). */
#include <arm_sve.h>

#include "kernels/arm/fma_arm.h"

#define ACC RL_ARM_CHAINS
/* The most lanes any SVE length has (2048 bits): the buffers the accumulators start from. */
#define MAX_D 32

/* GCC 12's UndefinedBehaviorSanitizer crashes the compiler on these functions (an internal error
 * in the fp16 one, -fsanitize=undefined): they are left uninstrumented, as the memory kernels are
 * (kernels/stream_impl.h); the tests check every result instead. */
#define RL_SVE_KERNEL __attribute__((no_sanitize("undefined")))

static unsigned sve_vl_bits(void)
{
    return (unsigned)svcntb() * 8;
}

RL_SVE_KERNEL static double fma_sve_f64(uint64_t iters)
{
    const svbool_t pg = svptrue_b64();
    const svfloat64_t m = svdup_f64(RL_FMA_M), a = svdup_f64(RL_FMA_A);
    const int lanes = (int)svcntd();
    double v[ACC * MAX_D];
    rl_fma_init_f64(v, ACC * lanes);
#define DECL(i) svfloat64_t x##i = svld1_f64(pg, v + lanes * (i));
#define STEP(i) x##i = svmla_f64_x(pg, x##i, a, m);
#define SAVE(i) svst1_f64(pg, v + lanes * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC * lanes);
}

RL_SVE_KERNEL static double fma_sve_f32(uint64_t iters)
{
    const svbool_t pg = svptrue_b32();
    const svfloat32_t m = svdup_f32((float)RL_FMA_M), a = svdup_f32((float)RL_FMA_A);
    const int lanes = (int)svcntw();
    float v[ACC * 2 * MAX_D];
    rl_fma_init_f32(v, ACC * lanes);
#define DECL(i) svfloat32_t x##i = svld1_f32(pg, v + lanes * (i));
#define STEP(i) x##i = svmla_f32_x(pg, x##i, a, m);
#define SAVE(i) svst1_f32(pg, v + lanes * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * lanes);
}

RL_SVE_KERNEL static double fma_sve_f16(uint64_t iters)
{
    const svbool_t pg = svptrue_b16();
    const svfloat16_t m = svdup_f16((float16_t)RL_FMA_M), a = svdup_f16((float16_t)RL_FMA_A);
    const int lanes = (int)svcnth();
    float16_t v[ACC * 4 * MAX_D];
    for (int k = 0; k < ACC * lanes; k++)
        v[k] = (float16_t)RL_FMA_INIT(k);
#define DECL(i) svfloat16_t x##i = svld1_f16(pg, v + lanes * (i));
#define STEP(i) x##i = svmla_f16_x(pg, x##i, a, m);
#define SAVE(i) svst1_f16(pg, v + lanes * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    double s = 0;
    for (int k = 0; k < ACC * lanes; k++)
        s += (double)v[k];
    return s;
}

/* Per 128 bits of vector length: 2 fp64, 4 fp32, 8 fp16 lanes (rl_fma_kernel.vl_bits). */
static const rl_fma_kernel k_f64 = {
    .name = "fma_sve_f64",
    .source = __FILE__,
    .isa = "sve",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = RL_ISA_SVE,
    .flops_per_iter = ACC * 2 * 2,
    .insn = {{"fmla", ACC}, {NULL, 0}},
    .reg = ".d",
    .width_bits = 128,
    .math = RL_FMA_MATH_FMLA,
    .accumulators = ACC,
    .lanes = 2,
    .run = fma_sve_f64,
    .vl_bits = sve_vl_bits,
};

static const rl_fma_kernel k_f32 = {
    .name = "fma_sve_f32",
    .source = __FILE__,
    .isa = "sve",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = RL_ISA_SVE,
    .flops_per_iter = ACC * 4 * 2,
    .insn = {{"fmla", ACC}, {NULL, 0}},
    .reg = ".s",
    .width_bits = 128,
    .math = RL_FMA_MATH_FMLA,
    .accumulators = ACC,
    .lanes = 4,
    .run = fma_sve_f32,
    .vl_bits = sve_vl_bits,
};

static const rl_fma_kernel k_f16 = {
    .name = "fma_sve_f16",
    .source = __FILE__,
    .isa = "sve",
    .precision = "fp16",
    .unit = "FLOP",
    .requires = RL_ISA_SVE,
    .flops_per_iter = ACC * 8 * 2,
    .insn = {{"fmla", ACC}, {NULL, 0}},
    .reg = ".h",
    .width_bits = 128,
    .math = RL_FMA_MATH_FMLA,
    .accumulators = ACC,
    .lanes = 8,
    .run = fma_sve_f16,
    .vl_bits = sve_vl_bits,
};

const rl_fma_kernel *const rl_fma_list_sve[] = {&k_f64, &k_f32, &k_f16};
const size_t rl_fma_list_sve_count = sizeof rl_fma_list_sve / sizeof rl_fma_list_sve[0];
