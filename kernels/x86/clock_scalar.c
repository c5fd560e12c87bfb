/* clock_scalar.c: the clock with no vector load (see kernels/isaclock.h): the 48-add chain alone,
 * the same measurement as probes/clock.c's add chain, run here on every thread of the pinned team
 * so the scalar rows get the clock at their own thread count. */
#include "kernels/x86/clock_x86.h"

static uint64_t clock_scalar(uint64_t iters, double *vsum)
{
    uint64_t acc = 0, one = rl_clock_one();
    if (iters > 0)
        __asm__ volatile(".p2align 5\n"
                         "1:\n\t" RL_CLOCK_ADD48 "dec %[n]\n\t"
                         "jnz 1b\n"
                         : [acc] "+r"(acc), [n] "+r"(iters)
                         : [one] "r"(one)
                         : "cc");
    *vsum = 0;
    return acc;
}

static const rl_isaclock_kernel k = {
    .name = "clock_scalar",
    .source = __FILE__,
    .family = "scalar",
    .requires = RL_ISA_SSE2, /* every x86-64; the chain itself needs nothing */
    .adds_per_iter = RL_CLOCK_ADDS,
    .insn = {{NULL, 0}, {NULL, 0}},
    .reg = NULL,
    .math = RL_FMA_MATH_FMA,
    .accumulators = 0,
    .lanes = 0,
    .steps = 0,
    .run = clock_scalar,
};

const rl_isaclock_kernel *const rl_isaclock_list_scalar[] = {&k};
const size_t rl_isaclock_list_scalar_count =
    sizeof rl_isaclock_list_scalar / sizeof rl_isaclock_list_scalar[0];
