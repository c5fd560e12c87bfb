/* loaded.h: loaded latency, as Intel MLC's loaded-latency mode measures it: one core follows the
 * pointer chase of kernels/chase.h over a DRAM-sized set while every other core generates memory
 * traffic at an increasing rate, so each point of the curve is (traffic moved, latency seen). Where
 * latency starts to climb steeply (the knee, result/latency.h) the memory stops scaling.
 *
 * Traffic threads run a bandwidth kernel of kernels/stream.h over their own DRAM-sized arrays, one
 * block of RL_LOADED_BLOCK elements at a time, with a delay loop (kernels/delay.h) between blocks:
 * the delay sets the offered rate. The mixes are read/write ratios of the memory traffic
 * (result/latency.h: rl_latency_mix_kernel): read (the load kernel), 3:1 (triad4, non-temporal
 * stores), 2:1 (triad, nt), 1:1 (copy, nt) and stream-write (store, nt), so the curve's top can be
 * compared with the bandwidth kernels' DRAM row of the same kernel.
 *
 * The controller (rl_loaded_delays) picks the delays: it times a block at delay 0 and at a probe
 * delay under the same load (grown 4x at a time until the block takes at least twice as long),
 * models a block's time as t0 + c x delay, and asks for rates k/n of the top rate, k = 1..n: the
 * delays fall strictly as the rate rises, the last is 0. */
#ifndef RL_LOADED_H
#define RL_LOADED_H

#include <signal.h>
#include <stdint.h>

#include "common/err.h"
#include "common/isa.h"
#include "probes/topology.h"
#include "result/result.h"
#include "runner/run.h"

#define RL_LOADED_BLOCK 1024 /* elements per array per block: 8 KiB */

/* The mixes, in the order a run measures them; bit (1u << RL_LOADED_MIX_*) in opts.mixes. */
enum {
    RL_LOADED_MIX_READ,
    RL_LOADED_MIX_3_1,
    RL_LOADED_MIX_2_1,
    RL_LOADED_MIX_1_1,
    RL_LOADED_MIX_STREAM_WRITE,
    RL_LOADED_MIXES_
};
const char *rl_loaded_mix_name(int mix); /* "read", "3:1", "2:1", "1:1", "stream-write" */
/* A mix's name or a read:write ratio ("3:1", "6:2", "1:0" = read, "0:1" = stream-write). Returns
 * the mix, or -1 with `why` saying what is wrong ("not a ratio", "not one of the mixes"). */
int rl_loaded_mix_parse(const char *s, char *why, size_t why_size);

/* Seconds one traffic block takes at `delay` under the run's load; <0 with err on failure. */
typedef double (*rl_loaded_time_fn)(void *user, uint64_t delay, rl_err *err);

/* The controller (see the top): writes n delays (n >= 1), lowest rate first, strictly decreasing,
 * the last 0. Returns 0, or -1 with err when a timing failed or the delay loop costs nothing. */
int rl_loaded_delays(rl_loaded_time_fn time_fn, void *user, int n, uint64_t *delays, rl_err *err);

typedef struct rl_loaded_opts {
    unsigned mixes; /* bits (1u << RL_LOADED_MIX_*) */
    int points;     /* rates per curve (>= 1) */
    int pages;      /* rl_pages_kind of the chase's set */
    uint64_t bytes; /* the chase's set (a DRAM size: runner/latency.h) */
    int repeats;
    double min_time;
    rl_isa_mask runnable;
    rl_run_progress_fn progress;
    void *progress_user;
    volatile sig_atomic_t *stop;
} rl_loaded_opts;

/* Runs each mix's curve on every core of `topo` (thread 0 chases, the others load) and appends one
 * rl_latency (kind "loaded") per point. One core: a warning, nothing measured. Stopped: what
 * finished is kept, r->meta.partial set. Returns -1 with err on failure. */
int rl_loaded_run(const rl_topology *topo, const rl_loaded_opts *o, rl_result *r, rl_err *err);

#endif
