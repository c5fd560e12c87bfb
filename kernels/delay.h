/* delay.h: the delay loop the loaded-latency traffic threads spin between their blocks of loads
 * and stores (runner/latency.h): a longer delay is a lower offered bandwidth. A portable leaf: a
 * chain of integer adds that touches no memory, so it loads nothing but the core it runs on. */
#ifndef RL_DELAY_H
#define RL_DELAY_H

#include <stdint.h>

/* Spins `iters` dependent adds and returns their sum, so the loop cannot be dropped or folded
 * into a closed form. */
uint64_t rl_delay_spin(uint64_t iters);

#endif
