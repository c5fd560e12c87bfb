/* chase.h: the pointer chase that measures memory latency, a portable leaf (no ISA flags).
 *
 * A working set is cut into cache lines (RL_CHASE_LINE bytes, one element per line) and linked
 * into one cycle in a random order: the first word of each line holds the address of the next line
 * to visit. Following the chain (`p = *p`) makes every load's address the value of the load before
 * it, so no two loads overlap and no prefetcher can guess the next line: the time per step is the
 * latency of the level the set lives in. The order is a uniformly random cyclic permutation of all
 * the lines (Sattolo's algorithm), so consecutive steps land in random lines of random pages (no
 * stride within a page, no walk of neighbouring pages for the page or stream prefetchers to
 * follow).
 *
 * tests/test_chase.c checks that the links form a single cycle through every line (each visited
 * once) and that the built loop is a chain of dependent loads (disassembled: each load's address
 * register is the previous load's destination). */
#ifndef RL_CHASE_H
#define RL_CHASE_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* One element per line of this many bytes: the line size of every x86 core and of most Arm cores
 * (Apple's 128-byte lines would see two elements per line: a slightly low figure, said in docs). */
#define RL_CHASE_LINE 64

/* Steps per loop iteration in rl_chase_run, so the loop's own branch is noise beside the loads. */
#define RL_CHASE_UNROLL 16

/* Links the `lines` lines of `mem` (lines * RL_CHASE_LINE bytes, aligned to RL_CHASE_LINE) into
 * one cycle in a random order drawn from `seed`, writing the first word of every line in address
 * order (the first touch). Needs a scratch index of 4 bytes per line (allocated and freed here).
 * Returns 0, or -1 with err (out of memory; more than 2^32 lines). */
int rl_chase_link(void *mem, size_t lines, uint64_t seed, rl_err *err);

/* Follows the chain from `start` for `steps` steps (rounded up to a multiple of RL_CHASE_UNROLL)
 * and returns the line it stopped at, so the loads cannot be dropped as dead code. */
void *rl_chase_run(void *start, uint64_t steps);

/* Walks the chain from line 0, outside any timing: returns `lines` when it is one cycle that
 * visits every line exactly once before coming back; else 0 (a link leaves the set, points into
 * the middle of a line, or a line is reached twice before the start). */
size_t rl_chase_cycle_length(const void *mem, size_t lines);

/* The line rl_chase_run stops at after `steps` steps from `start`, walked in C without the unrolled
 * loop: the scalar reference tests compare rl_chase_run with. */
void *rl_chase_walk(void *start, uint64_t steps);

#endif
