/* cache.h: questions about a described machine's caches (rl_machine.caches) that both the
 * bandwidth runner (sizing its working sets) and the sweep analysis (naming a plateau's edge) ask,
 * answered once so the two agree on what "the L2" and "a thread's share of the L3" are. */
#ifndef RL_CACHE_H
#define RL_CACHE_H

#include <stdint.h>

#include "result/result.h"

/* The data (or unified) cache of `level`; the one with most instances when a hybrid part lists
 * two. NULL when absent (or described with size 0). */
const rl_cache *rl_cache_find(const rl_machine *m, int level);

/* rl_cache_find's size in bytes per instance, 0 when absent. */
uint64_t rl_cache_size(const rl_machine *m, int level);

/* How many of `threads` threads placed compactly (one per core, neighbours first) share one
 * instance of `c`: at most the cores under it. */
int rl_cache_threads_per_instance(const rl_cache *c, int threads);

#endif
