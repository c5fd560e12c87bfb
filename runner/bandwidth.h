/* bandwidth.h: memory bandwidth per cache level and DRAM, with the kernels of kernels/stream.h.
 *
 * Working sets come from the probed caches (rl_machine.caches):
 *   L1    half of the L1 data cache
 *   L2    half of L2 (at least twice L1, else halfway between L1 and L2)
 *   L3    half of the L3 share per core (L3 / cores sharing it); when that is under twice L2 (Intel
 *         server parts: 1.375-1.875 MB of L3 per core beside 1-2 MB of L2) it is raised towards 2x
 * L2, but never past 3/4 of what this thread's group can hold (its L3 share plus its L2: modern L3s
 * are non-inclusive), and the note says so DRAM  4x the whole machine's last-level cache (at least
 * 64 MiB) shared by the threads, so every L3 instance sees at least 4x its size; capped at half the
 * available memory (noted) All sizes are per thread: each thread, pinned to its own core, allocates
 * its own arrays and first-touches them (NUMA-local), and runs the kernel over them.
 *
 * Every figure is the best of `repeats` calibrated runs (median and slowest beside it), in GB/s
 * (1e9 bytes/s) of counted bytes (STREAM's convention), with the estimated hardware traffic beside
 * it (write-allocate reads added for regular stores). Results are checked after every run: a kernel
 * whose output differs from the scalar reference fails the run (RL_EXIT_RUNTIME). */
#ifndef RL_BANDWIDTH_H
#define RL_BANDWIDTH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/isa.h"
#include "kernels/stream.h"
#include "probes/topology.h"
#include "result/result.h"
#include "runner/run.h"

typedef enum rl_bw_level { RL_BW_L1, RL_BW_L2, RL_BW_L3, RL_BW_DRAM, RL_BW_LEVELS_ } rl_bw_level;

const char *rl_bw_level_name(rl_bw_level level); /* "L1", "L2", "L3", "DRAM" */
int rl_bw_level_from_name(const char *name);     /* case-insensitive; -1 if unknown */

/* The memory kernels by kind, for the command line: the same numbering and names as
 * kernels/stream.h's rl_stream_kind ("load", "store", "copy", "scale", "add", "triad", "triad4"),
 * so rl_bw_opts.kinds bits are (1u << RL_BW_KIND_*). */
enum {
    RL_BW_KIND_LOAD,
    RL_BW_KIND_STORE,
    RL_BW_KIND_COPY,
    RL_BW_KIND_SCALE,
    RL_BW_KIND_ADD,
    RL_BW_KIND_TRIAD,
    RL_BW_KIND_TRIAD4,
    RL_BW_KINDS_
};
const char *rl_bw_kind_name(int kind);      /* "?" if out of range */
int rl_bw_kind_from_name(const char *name); /* -1 if unknown */
/* 1 when this CPU (runnable) has a kernel of `kind` (regular stores) of ISA `isa` (NULL: any). */
int rl_bw_kind_runnable(int kind, rl_isa_mask runnable, const char *isa);

/* Working set per thread for `level` when `threads` threads run at once (compact pinning).
 * mem_available: bytes of free memory (0: unknown, no cap). Returns the size in bytes (a multiple
 * of 4 KiB), or 0 when the machine has no such level (no L3, or no caches described); `note` (may
 * be NULL) receives why the size differs from the plain rule, or "". */
uint64_t rl_bw_level_size(const rl_machine *m, rl_bw_level level, int threads,
                          uint64_t mem_available, char *note, size_t note_size);

/* The level a working set of `bytes` per thread falls into (for --size). */
rl_bw_level rl_bw_classify(const rl_machine *m, uint64_t bytes, int threads);

/* ---- running ---- */

#define RL_BW_MAX_THREADS 4096

/* Each NUMA node's share of a multi-threaded run: thread t (on node node_of[t]) moved
 * bytes_per_thread in thread_secs[t]; node_gbs[k] sums its threads' rates (GB/s) and
 * node_threads[k] counts them (arrays of max_nodes, zeroed here). Returns how many nodes had
 * threads. Nodes outside [0, max_nodes) and threads without a time are left out. */
int rl_bw_node_shares(const int *node_of, const double *thread_secs, int threads,
                      double bytes_per_thread, double *node_gbs, int *node_threads, int max_nodes);

enum { RL_BW_NT_DRAM = 0, RL_BW_NT_ALL = 1, RL_BW_NT_NONE = 2 };

typedef struct rl_bw_opts {
    unsigned levels;    /* bit (1u << rl_bw_level) per level */
    unsigned kinds;     /* bit (1u << rl_stream_kind) per kernel */
    const int *threads; /* thread counts, ascending */
    int n_threads;
    int nt_mode;     /* RL_BW_NT_*: non-temporal variants at DRAM only, everywhere, nowhere */
    uint64_t size;   /* > 0: this working set per thread instead of the levels (--size) */
    int sweep;       /* 1: the size sweep instead of the levels (read by result/sweep.h) */
    int repeats;     /* >= 1 */
    double min_time; /* seconds per timed repeat */
    const char *isa; /* NULL: the fastest of every runnable ISA in a short trial (a sweep: the
                        widest); else "sse2", "avx2", "avx512": that one only */
    rl_isa_mask runnable;
    uint64_t mem_available; /* bytes free (probes/meminfo.h); 0: unknown */
    rl_run_progress_fn progress;
    void *progress_user;
    volatile sig_atomic_t *stop;
} rl_bw_opts;

/* The ISA trial's choice. trial(user, k, &gbs, err) measures kernel k briefly and writes its rate
 * (returns 0, 1 when stopped, -1 with err); rl_bw_choose tries each of the n candidates in order,
 * writes every rate to gbs[n] and returns the index of the fastest (a tie keeps the earlier one),
 * -1 when a trial failed (err set), -2 when one was stopped. rl_bw_run uses it with a real timed
 * run; tests pass synthetic timings. */
typedef int (*rl_bw_trial_fn)(void *user, const rl_stream_kernel *k, double *gbs, rl_err *err);
int rl_bw_choose(const rl_stream_kernel *const *cands, int n, rl_bw_trial_fn trial, void *user,
                 double *gbs, rl_err *err);

/* levels L1-DRAM, kinds load/copy/triad, nt at DRAM, repeats 5, min_time 0.03 s. */
rl_bw_opts rl_bw_opts_default(void);

/* Runs every (threads, level, kernel, store kind) of `o` and appends one rl_bandwidth per figure to
 * r->bandwidth (level "sweep" for sweep points; "NUMA<k>" for node k's share of a multi-node DRAM
 * run). r->machine must be described (caches, NUMA). When the stop flag ends it early, what
 * finished is kept and r->meta.partial is set. Returns -1 with err on failure (a kernel that
 * cannot run on this CPU is RL_EXIT_USAGE; a failed check RL_EXIT_RUNTIME). */
int rl_bw_run(const rl_topology *topo, const rl_bw_opts *o, rl_result *r, rl_err *err);

#endif
