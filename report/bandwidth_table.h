/* bandwidth_table.h: the terminal tables of `roofline bandwidth`, rendered from a result alone: one
 * row per measured figure with the notes beside them, and, after a sweep, one curve per kernel and
 * thread count with the plateaus found in it and the probed caches their edges match. */
#ifndef RL_BANDWIDTH_TABLE_H
#define RL_BANDWIDTH_TABLE_H

#include <stddef.h>

#include "common/buf.h"
#include "result/result.h"

void rl_bandwidth_table_text(rl_buf *b, const rl_result *r);

/* The sweep points of `r` (level "sweep", regular stores) for each thread count in `threads` and
 * each kernel named in `kernels`, in that order, each followed by its plateaus. */
void rl_bandwidth_table_sweep(rl_buf *b, const rl_result *r, const char *const *kernels,
                              size_t n_kernels, const int *threads, int n_threads);

#endif
