/* cachebw.h: the theoretical bandwidth of each cache level, from the microarchitecture.
 *
 * Per core and per cycle, as the vendors' optimisation manuals give them (sources in cachebw.c):
 *   L1 load   bytes the load ports can read from L1D each cycle (widest loads the core runs)
 *   L1 store  bytes the store port(s) can write to L1D each cycle
 *   L2        bytes L2 can deliver to L1 each cycle (a 64-byte line fill path)
 *   L3        bytes L3 can deliver to one core's L2 each cycle
 * A level's figure is bytes/cycle x the clock x the cores; an L3 shared by several cores has no
 * published aggregate ceiling on these parts, so its figure is the per-core one times the cores
 * (said in the source note). A figure with no source is unknown (<0), never a guess.
 *
 * Measured rows compare with it as follows: at L1, loads and stores use separate ports, so a kernel
 * of L loaded and S stored words per element needs max(8L / load, 8S / store) cycles per element
 * and its counted bytes, 8(L + S), set its ceiling. Beyond L1 the figure is the fill path (lines
 * read into the level above); written-back lines take a path of their own (AMD documents 32 B/cycle
 * each way), so what the fill path limits is the bytes read: the loads plus the write-allocate read
 * of every regular store, 8(L + S) per element, which is the counted figure again. Rows with
 * non-temporal stores have no cache ceiling here (their stores bypass the levels). DRAM rows
 * compare their traffic (both directions share the channels) with the theoretical DRAM
 * bandwidth. */
#ifndef RL_CACHEBW_H
#define RL_CACHEBW_H

#include <stddef.h>

#include "common/err.h"
#include "probes/uarch.h"
#include "result/result.h"

typedef struct rl_cachebw {
    double l1_load, l1_store, l2, l3; /* bytes/cycle/core; <0 unknown */
    const char *source;               /* where the row's figures come from, or "unknown" */
} rl_cachebw;

/* The row for a microarchitecture (rl_uarch.name); every figure unknown for a name not in the
 * table (the fallback included). */
void rl_cachebw_lookup(const rl_uarch *u, rl_cachebw *out);

/* The table's rows, for the sources test: row i's first microarchitecture and its docs/sources.md
 * keys (space separated). Returns 0 past the last row. */
int rl_cachebw_row_source(size_t i, const char **name, const char **source);

/* Appends r->theory.bw entries (L1 load, L1 store, L2 load, L3 load) for each thread count of
 * `threads` (duplicates and counts <= 0 skipped), at the clock theory quotes peaks at
 * (rl_theory_clock); unknown figures are kept as entries with bytes_per_cycle and gbs < 0. */
int rl_cachebw_derive(rl_result *r, const rl_cachebw *bw, const int *threads, size_t n_threads,
                      rl_err *err);

/* The theoretical GB/s of a measured row from r->theory.bw's figures (the clock: the one measured
 * under the row's ISA at its thread count where there is one, else the machine's), compared as
 * the top of this file says; <0 when unknown. */
double rl_cachebw_row(const rl_result *r, const rl_bandwidth *b);

/* Fills theoretical_gbs and efficiency (counted GB/s over it in the caches, traffic at DRAM) of
 * every row of r->bandwidth; unknown ones get -1. */
void rl_cachebw_apply(rl_result *r);

#endif
