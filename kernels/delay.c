/* delay.c: the delay loop (see delay.h). */
#include "kernels/delay.h"

uint64_t rl_delay_spin(uint64_t iters)
{
    uint64_t x = 0;
    for (uint64_t i = 0; i < iters; i++) {
        x += i;
        /* An empty asm that "changes" x: the compiler can neither vectorize the sum nor compute it
         * as iters * (iters - 1) / 2. */
        __asm__ volatile("" : "+r"(x));
    }
    return x;
}
