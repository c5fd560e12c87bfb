/* isaclock.h: the clock under each ISA's load, measured by kernels declared as data.
 *
 * Intel cores lower their clock while they execute wide vector instructions (the AVX2 and AVX-512
 * "licence" levels), more so the more cores do it, so the add-chain clock of probes/clock.h (no
 * vector work at all) overstates the clock an AVX-512 kernel runs at, and with it the theoretical
 * peak. Each kernel here keeps one ISA family's vector units busy with that family's heaviest
 * instructions (FMAs where it has them) while a dependent chain of 1-cycle integer adds binds the
 * loop: one iteration takes exactly `adds_per_iter` cycles, so iterations x adds / seconds is the
 * clock the core ran at under that load. The vector work stays below the chain's length on every
 * core the table knows (2/3 of one 512-bit FMA pipe, the narrowest that runs it: Zen 4 and one-FMA
 * Xeons), so the chain, not the FMAs, decides the loop's time; and the vector instructions are
 * independent of the chain and of each other, so they run ahead of it and the oldest-first
 * schedulers always give the chain's next add its port.
 *
 * The families, and the compute rows each one clocks (rl_clock_family in probes/clock.h):
 *   scalar    the chain alone                          scalar
 *   sse2      + 128-bit mulpd/addpd                    sse2
 *   avx       + 256-bit vmulpd/vaddpd                  avx
 *   avx2-fma  + 256-bit vfmadd*pd                      avx2-fma, avx2-fma+add, avx_vnni
 *   avx512f   + 512-bit vfmadd*pd                      avx512f, avx512f+add, avx512_*, amx-*
 * The vector lanes follow kernels/fma.h's arithmetic (x = x*M + A, or x*M then + A), so a test
 * compares them with the same scalar reference as the compute kernels, and disassembles each loop
 * (tests/test_fma_kernels.c). */
#ifndef RL_ISACLOCK_H
#define RL_ISACLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "common/isa.h"
#include "kernels/fma.h"

typedef struct rl_isaclock_kernel {
    const char *name;     /* the function's symbol: "clock_avx512" */
    const char *source;   /* its source file (__FILE__): the object the test disassembles */
    const char *family;   /* "scalar", "sse2", "avx", "avx2-fma", "avx512f" */
    rl_isa_mask requires; /* every bit must be runnable (CPUID and XCR0) */
    int adds_per_iter;    /* dependent 1-cycle integer adds per iteration: its length in cycles */
    rl_fma_insn insn[2];  /* the vector instructions of one iteration (mnemonic NULL: none) */
    const char *reg;      /* their register width: "xmm", "ymm", "zmm" (NULL: none) */
    rl_fma_math math;     /* RL_FMA_MATH_FMA or RL_FMA_MATH_MULADD (fp64 lanes) */
    int accumulators;     /* vector registers the instructions update */
    int lanes;            /* fp64 lanes per register */
    int steps;            /* steps of kernels/fma.h's arithmetic per accumulator per iteration */
    /* Runs `iters` iterations; returns the chain's value (iters x adds_per_iter) and writes the
     * sum of the vector lanes, in lane order, to *vsum (0 without vector work). */
    uint64_t (*run)(uint64_t iters, double *vsum);
} rl_isaclock_kernel;

/* The registry, in the convention of kernels/fma.h: rl_isaclock_at(i) for i < rl_isaclock_count(),
 * NULL past the last; rl_isaclock_for(family) is the family's kernel or NULL. */
size_t rl_isaclock_count(void);
const rl_isaclock_kernel *rl_isaclock_at(size_t i);
const rl_isaclock_kernel *rl_isaclock_for(const char *family);

#endif
