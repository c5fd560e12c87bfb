/* latency.h: idle memory latency per cache level and DRAM, and the size sweep (the lat_mem_rd
 * staircase), with the pointer chase of kernels/chase.h on one pinned core.
 *
 * Working sets: L1, L2 and L3 as the bandwidth runner sizes them for one thread
 * (rl_bw_level_size), so a level's latency and bandwidth rows describe the same set; DRAM at least
 * RL_LAT_DRAM_LLC_MULTIPLE x the last-level cache a core sees (and RL_LAT_DRAM_MIN), so that few
 * steps hit it (the share that may is derived and said in the row's note), capped at a quarter of
 * the free memory. A quick run uses a smaller DRAM set (RL_LAT_DRAM_QUICK_MIN, 2x the LLC) and
 * says how much of it the LLC may hold.
 *
 * Each figure is measured once per page kind asked for (runner/pages.h: 4k, thp, 1g), so the TLB's
 * share is visible: on 4 KiB pages a DRAM-sized set misses the TLBs on most steps, on huge pages it
 * does not. The row records the page kind asked for and the share the kernel granted.
 *
 * Figures: the best of `repeats` calibrated runs in ns per step (median and slowest beside), and in
 * cycles at the clock of r->machine (measured by the probe; unknown when it was not). */
#ifndef RL_LATENCY_H
#define RL_LATENCY_H

#include <signal.h>
#include <stdint.h>

#include "common/err.h"
#include "probes/topology.h"
#include "result/result.h"
#include "runner/bandwidth.h"
#include "runner/run.h"

#define RL_LAT_DRAM_MIN          ((uint64_t)256 << 20)
#define RL_LAT_DRAM_QUICK_MIN    ((uint64_t)64 << 20)
#define RL_LAT_DRAM_LLC_MULTIPLE 8

typedef struct rl_lat_opts {
    unsigned levels; /* bits (1u << rl_bw_level) */
    unsigned pages;  /* bits (1u << rl_pages_kind) */
    uint64_t size;   /* > 0: this working set instead of the levels (--size) */
    int sweep;       /* 1: the size sweep instead of the levels */
    int quick;       /* smaller DRAM set */
    int repeats;
    double min_time;
    uint64_t mem_available; /* bytes free; 0 unknown */
    rl_run_progress_fn progress;
    void *progress_user;
    volatile sig_atomic_t *stop;
} rl_lat_opts;

/* levels L1-DRAM, pages 4k and thp, 5 repeats of 0.02 s. */
rl_lat_opts rl_lat_opts_default(void);

/* The working set of `level` for the chase (see the top of this file); 0 when the machine has no
 * such level. `note` (may be NULL) gets why the size is what it is, or "". */
uint64_t rl_lat_level_size(const rl_machine *m, rl_bw_level level, int quick,
                           uint64_t mem_available, char *note, size_t note_size);

/* The sweep's sizes: 4 KiB up to the DRAM set, 4 per octave, multiples of a line. Returns how many
 * were written (at most max). */
size_t rl_lat_sweep_sizes(const rl_machine *m, uint64_t mem_available, uint64_t *out, size_t max);

/* Runs the plan of `o` on the first core of `topo` (NULL: unpinned) and appends one rl_latency
 * (device "cpu") per figure to r->latency. A page kind the system cannot give (no 1 GiB pages
 * reserved) is a warning and its rows are left out. When the stop flag ends it early what finished
 * is kept and r->meta.partial is set. Returns -1 with err on failure. */
int rl_lat_run(const rl_topology *topo, const rl_lat_opts *o, rl_result *r, rl_err *err);

/* One chase over `bytes` on page kind `pages` into `row` (ns, repeats, huge_share, bytes, pages;
 * the caller names the level). On the calling team's one thread. Returns 0, 1 when stopped, -1. */
int rl_lat_measure(const rl_run_team *team, uint64_t bytes, int pages, const rl_lat_opts *o,
                   const char *label, rl_latency *row, rl_err *err);

#endif
