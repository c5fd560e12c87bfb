/* fma_avx512.c: 512-bit fused multiply-add (vfmadd*pd, vfmadd*ps on zmm), compiled with the AVX-512
 * F/VL/BW/DQ flags (so it requires all four at run time). 24 chains x = x*M + A: 2 FMA units x
 * 4-cycle latency need 8 in flight (Skylake-SP/Ice Lake/Sapphire Rapids; Zen 4 splits a zmm FMA
 * over two 256-bit pipes and needs fewer); 24 + M + A use 26 of the 32 zmm registers. */
#include <immintrin.h>

#include "kernels/x86/fma_x86.h"

#define ACC 24

static double fma_avx512_f64(uint64_t iters)
{
    const __m512d m = _mm512_set1_pd(RL_FMA_M), a = _mm512_set1_pd(RL_FMA_A);
    double v[ACC * 8];
    rl_fma_init_f64(v, ACC * 8);
#define DECL(i) __m512d x##i = _mm512_loadu_pd(v + 8 * (i));
#define STEP(i) x##i = _mm512_fmadd_pd(x##i, m, a);
#define SAVE(i) _mm512_storeu_pd(v + 8 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f64(v, ACC * 8);
}

static double fma_avx512_f32(uint64_t iters)
{
    const __m512 m = _mm512_set1_ps((float)RL_FMA_M), a = _mm512_set1_ps((float)RL_FMA_A);
    float v[ACC * 16];
    rl_fma_init_f32(v, ACC * 16);
#define DECL(i) __m512 x##i = _mm512_loadu_ps(v + 16 * (i));
#define STEP(i) x##i = _mm512_fmadd_ps(x##i, m, a);
#define SAVE(i) _mm512_storeu_ps(v + 16 * (i), x##i);
    RL_REP24(DECL)
    for (uint64_t n = 0; n < iters; n++) {
        RL_REP24(STEP)
    }
    RL_REP24(SAVE)
#undef DECL
#undef STEP
#undef SAVE
    return rl_fma_sum_f32(v, ACC * 16);
}

/* The FMA+ADD mix on zmm (RL_ASM_MIX_LOOP in fma_x86.h): reported as isa "avx512f+add", never as
 * the AVX-512 peak. On Zen 4 a zmm FMA and a zmm add each take their pipe pair twice, so 1 FMA + 1
 * ADD of 512 bits per cycle; Intel cores run their adds on the FMA ports and have no such row in
 * the theory (the row then has no percentage). The zmm ops' longer latency needs more chains than
 * avx2-fma+add's 15 (Zen 4 guest, 2026-11-27, 40 ms calls: 15 chains, once or twice per body, 88%
 * of 1 FMA + 1 ADD per cycle; 20 chains 95%; 24 and 30 chains 99.3-99.5%): 30 chains, x = x*M + M
 * then x = x + M each, once per iteration, M in zmm31 (32 registers). */
#define MIX512 30
static double fma_avx512_mix_f64(uint64_t iters)
{
    const double mval = RL_FMA_M;
    double v[MIX512 * 8];
    rl_fma_init_f64(v, MIX512 * 8);
#define LOAD(i)  RL_ASM_FIXED_LOAD("vmovupd", "zmm", 64, i)
#define STORE(i) RL_ASM_FIXED_STORE("vmovupd", "zmm", 64, i)
#define STEP(i)  RL_ASM_MIX_STEP("vfmadd213pd", "vaddpd", "zmm", "zmm31", i)
    RL_ASM_MIX_LOOP("vbroadcastsd", "zmm31", RL_REP30, RL_ONCE, LOAD, STEP, STORE, RL_ASM_CLOBBER16,
                    "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24",
                    "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31");
#undef LOAD
#undef STORE
#undef STEP
    return rl_fma_sum_f64(v, MIX512 * 8);
}

static double fma_avx512_mix_f32(uint64_t iters)
{
    const float mval = (float)RL_FMA_M;
    float v[MIX512 * 16];
    rl_fma_init_f32(v, MIX512 * 16);
#define LOAD(i)  RL_ASM_FIXED_LOAD("vmovups", "zmm", 64, i)
#define STORE(i) RL_ASM_FIXED_STORE("vmovups", "zmm", 64, i)
#define STEP(i)  RL_ASM_MIX_STEP("vfmadd213ps", "vaddps", "zmm", "zmm31", i)
    RL_ASM_MIX_LOOP("vbroadcastss", "zmm31", RL_REP30, RL_ONCE, LOAD, STEP, STORE, RL_ASM_CLOBBER16,
                    "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24",
                    "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31");
#undef LOAD
#undef STORE
#undef STEP
    return rl_fma_sum_f32(v, MIX512 * 16);
}

#define REQ (RL_ISA_AVX512F | RL_ISA_AVX512VL | RL_ISA_AVX512BW | RL_ISA_AVX512DQ)

static const rl_fma_kernel k_f64 = {
    .name = "fma_avx512_f64",
    .source = __FILE__,
    .isa = "avx512f",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = REQ,
    .flops_per_iter = ACC * 8 * 2, /* 24 vfmadd*pd, 8 lanes, 2 FLOPs each */
    .insn = {{"vfmadd*pd", ACC}, {NULL, 0}},
    .reg = "zmm",
    .width_bits = 512,
    .math = RL_FMA_MATH_FMA,
    .accumulators = ACC,
    .lanes = 8,
    .run = fma_avx512_f64,
};

static const rl_fma_kernel k_f32 = {
    .name = "fma_avx512_f32",
    .source = __FILE__,
    .isa = "avx512f",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = REQ,
    .flops_per_iter = ACC * 16 * 2, /* 24 vfmadd*ps, 16 lanes, 2 FLOPs each */
    .insn = {{"vfmadd*ps", ACC}, {NULL, 0}},
    .reg = "zmm",
    .width_bits = 512,
    .math = RL_FMA_MATH_FMA,
    .accumulators = ACC,
    .lanes = 16,
    .run = fma_avx512_f32,
};

static const rl_fma_kernel k_mix_f64 = {
    .name = "fma_avx512_mix_f64",
    .source = __FILE__,
    .isa = "avx512f+add",
    .precision = "fp64",
    .unit = "FLOP",
    .requires = REQ,
    .is_mix = 1,
    .flops_per_iter = MIX512 * 8 * 2 + MIX512 * 8, /* 30 vfmadd*pd + 30 vaddpd, 8 lanes */
    .insn = {{"vfmadd*pd", MIX512}, {"vaddpd", MIX512}},
    .reg = "zmm",
    .width_bits = 512,
    .math = RL_FMA_MATH_MIX,
    .accumulators = MIX512,
    .adders = MIX512,
    .lanes = 8,
    .run = fma_avx512_mix_f64,
};

static const rl_fma_kernel k_mix_f32 = {
    .name = "fma_avx512_mix_f32",
    .source = __FILE__,
    .isa = "avx512f+add",
    .precision = "fp32",
    .unit = "FLOP",
    .requires = REQ,
    .is_mix = 1,
    .flops_per_iter = MIX512 * 16 * 2 + MIX512 * 16, /* 30 vfmadd*ps + 30 vaddps, 16 lanes */
    .insn = {{"vfmadd*ps", MIX512}, {"vaddps", MIX512}},
    .reg = "zmm",
    .width_bits = 512,
    .math = RL_FMA_MATH_MIX,
    .accumulators = MIX512,
    .adders = MIX512,
    .lanes = 16,
    .run = fma_avx512_mix_f32,
};

const rl_fma_kernel *const rl_fma_list_avx512[] = {&k_f64, &k_f32, &k_mix_f64, &k_mix_f32};
const size_t rl_fma_list_avx512_count = sizeof rl_fma_list_avx512 / sizeof rl_fma_list_avx512[0];
