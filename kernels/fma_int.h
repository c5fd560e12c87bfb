/* fma_int.h: private to the compute kernels (kernels/<arch>/fma_<isa>.c), whatever the
 * architecture: repetition macros that write out N independent chains as named register variables
 * (no arrays, so nothing can spill to memory by accident), and the lane initializer and sum every
 * kernel shares. What is one architecture's own (inline-asm operand constraints, the list of its
 * kernel files) lives in that architecture's folder: kernels/x86/fma_x86.h. */
#ifndef RL_FMA_INT_H
#define RL_FMA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/fma.h"

/* REPn(X) expands X(0) ... X(n-1). */
#define RL_REP8(X)  X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define RL_REP14(X) RL_REP8(X) X(8) X(9) X(10) X(11) X(12) X(13)
#define RL_REP15(X) RL_REP14(X) X(14)
#define RL_REP16(X) RL_REP15(X) X(15)
#define RL_REP30(X) RL_REP24(X) X(24) X(25) X(26) X(27) X(28) X(29)
#define RL_REP24(X) RL_REP14(X) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23)

/* Fills `n` lanes with their start values. */
static inline void rl_fma_init_f64(double *v, int n)
{
    for (int k = 0; k < n; k++)
        v[k] = RL_FMA_INIT(k);
}

static inline void rl_fma_init_f32(float *v, int n)
{
    for (int k = 0; k < n; k++)
        v[k] = (float)RL_FMA_INIT(k);
}

/* Sums lanes in double, in lane order (the reference does the same, so results compare exactly). */
static inline double rl_fma_sum_f64(const double *v, int n)
{
    double s = 0;
    for (int k = 0; k < n; k++)
        s += v[k];
    return s;
}

static inline double rl_fma_sum_f32(const float *v, int n)
{
    double s = 0;
    for (int k = 0; k < n; k++)
        s += (double)v[k];
    return s;
}

#endif
