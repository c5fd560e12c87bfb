/* run.h: the measuring harness every benchmark shares: a pinned OpenMP thread team, a synchronized
 * timed run of a per-thread work function, calibration to a minimum run time, repeats, progress and
 * a clean stop. It knows nothing about what the work function does: FLOPs, bytes and units belong
 * to the caller (runner/flops.c, the bandwidth runner), which turns seconds into rates.
 *
 * Typical use:
 *
 *     rl_run_team *team;
 *     if (rl_run_team_new(topo, 4, 0, 0, &team, err) < 0)    // 4 threads, compact, no SMT
 *         return -1;
 *     rl_run_opts o = rl_run_opts_default();
 *     o.label = "avx2-fma fp64";
 *     o.progress = rl_run_progress_stderr;                     // NULL for --quiet
 *     o.stop = &stop_flag;                                     // set from a SIGINT handler
 *     rl_run_stats st;
 *     if (rl_run_timed(team, work, ctx, &o, &st, err) < 0) ...
 *     double gflops = flops_per_iter * st.iters * threads / st.best_secs / 1e9;
 *     rl_run_stats_free(&st);
 *     rl_run_team_free(team);
 *
 * One timed repeat: every thread (already pinned) waits at a barrier, reads the monotonic clock,
 * runs work(ctx, tid, iters), reads the clock again, and waits at a second barrier. The repeat's
 * time is the team's wall time, from the earliest thread's start to the latest thread's end, so a
 * rate computed from it is what the whole team sustained (a thread leaving the barrier late does
 * not shorten it). Each thread's own time is kept for thread_spread.
 */
#ifndef RL_RUN_H
#define RL_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "probes/topology.h"
#include "result/result.h"

/* The work one thread does in one timed run: `iters` iterations of whatever the caller measures.
 * Returns a value derived from the computation (a checksum) so the work cannot be optimized away;
 * the runner sums it over threads into rl_run_stats.check. Called concurrently from every thread:
 * ctx is shared, so per-thread state must be indexed by tid. */
typedef double (*rl_run_work_fn)(void *ctx, int tid, uint64_t iters);

/* Optional per-thread hooks, called on the pinned thread before calibration and after the last
 * repeat (first-touch allocation on the thread's own NUMA node goes in init). init returns 0, or -1
 * with err set; fini is called for every thread whose init succeeded. */
typedef int (*rl_run_thread_init_fn)(void *ctx, int tid, int pu, rl_err *err);
typedef void (*rl_run_thread_fini_fn)(void *ctx, int tid);

/* Progress: one line of text (no newline) describing what the runner is doing. `step` is 0 while
 * calibrating and k after timed repeat k of `steps`. */
typedef void (*rl_run_progress_fn)(void *user, int step, int steps, const char *line);

/* Ready-made progress printer for stderr. On a terminal it rewrites one status line
 * ("\r...\033[K") so a sweep shows where it is without scrolling; otherwise it prints only the
 * step-0 line of each measurement, one per line. Call rl_run_progress_done before printing results.
 */
void rl_run_progress_stderr(void *user, int step, int steps, const char *line);
void rl_run_progress_done(void);

typedef struct rl_run_opts {
    int repeats;          /* timed repeats after calibration, >= 1 (default 5) */
    double min_time;      /* seconds: calibrate iterations until one repeat takes this long */
    uint64_t start_iters; /* first calibration guess; a previous run's `iters` is a good one */
    uint64_t max_iters;   /* calibration never goes beyond this (0: no limit) */
    uint64_t fixed_iters; /* > 0: skip calibration and run exactly this many (tests) */
    const char *label;    /* shown in progress lines, e.g. "avx2-fma fp64" (may be NULL) */
    rl_run_progress_fn progress; /* NULL: silent */
    void *progress_user;
    volatile sig_atomic_t *stop;       /* checked between runs; non-zero stops with what is done */
    rl_run_thread_init_fn thread_init; /* optional */
    rl_run_thread_fini_fn thread_fini; /* optional */
    double (*clock_ghz)(void); /* optional, e.g. rl_clock_measure_quick: called on thread 0 (pinned)
                                  just before the first timed repeat and just after the last */
} rl_run_opts;

/* repeats 5, min_time 0.05 s, start_iters 1024, everything else 0/NULL. */
rl_run_opts rl_run_opts_default(void);

typedef struct rl_run_stats {
    int threads;
    uint64_t iters;   /* per thread per repeat, as calibrated */
    int repeats;      /* completed timed repeats (< requested when stopped) */
    int stopped;      /* 1 when the stop flag ended the run early */
    double best_secs; /* fastest repeat (first thread start to last thread end) */
    double median_secs;
    double worst_secs;       /* slowest repeat: the "min" rate */
    double *repeat_secs;     /* [repeats], in run order */
    double *thread_secs;     /* [threads], each thread's own time in the fastest repeat */
    double repeat_spread;    /* (worst - best) / best */
    double thread_spread;    /* (slowest - fastest thread) / fastest thread, fastest repeat */
    double clock_ghz_before; /* from opts.clock_ghz; -1 when not measured */
    double clock_ghz_after;
    /* [threads]: the share of its timed work's wall time each thread did not run: the core was
     * busy with other work (other processes, interrupts, a hypervisor's steal) while the thread
     * wanted it. From the thread's own CPU clock (CLOCK_THREAD_CPUTIME_ID) against the wall
     * clock around every timed work() call: exact where /proc/stat's per-CPU busy ticks (1/100 s,
     * and counting this run's own spinning at the barriers) would blur a 40 ms repeat. -1 when the
     * thread CPU clock is not available. */
    double *other_share;
    double check; /* sum over threads of the last repeat's work() return values */
} rl_run_stats;

void rl_run_stats_free(rl_run_stats *s); /* frees the arrays; accepts NULL */

/* A team of `threads` OpenMP threads, one per physical core (its first PU), or filling SMT
 * siblings after every core has one when `smt`; `scatter` spreads consecutive threads across
 * packages and NUMA nodes, compact fills a package first (rl_topology_pin_list decides).
 * Asking for more threads than the machine has PUs for is RL_EXIT_USAGE.
 * `t` NULL makes an unpinned team (tests, or machines where binding is impossible). */
typedef struct rl_run_team rl_run_team;
int rl_run_team_new(const rl_topology *t, int threads, int scatter, int smt, rl_run_team **out,
                    rl_err *err);

/* The same, pinned to the cores of one core type (topology.h: rl_topology_pin_list_kind: by hwloc
 * CoreType name, or by kind index where kind_name is NULL; kind < 0 and no name: any core, as
 * rl_run_team_new). */
int rl_run_team_new_kind(const rl_topology *t, int kind, const char *kind_name, int threads,
                         int scatter, int smt, rl_run_team **out, rl_err *err);
void rl_run_team_free(rl_run_team *team); /* accepts NULL */
int rl_run_team_size(const rl_run_team *team);
int rl_run_team_pu(const rl_run_team *team, int tid); /* OS PU index, -1 when unpinned */

/* Calibrates and runs `work` opts->repeats times on every thread of the team (see the top of this
 * file). Returns 0 with `out` filled (free it with rl_run_stats_free), also when the stop flag
 * ended the run after at least one timed repeat (out->stopped = 1). Returns -1 with err set when
 * binding or thread_init failed, OpenMP gave fewer threads than asked, or the run was stopped
 * before any timed repeat finished (RL_EXIT_RUNTIME, "interrupted"). */
int rl_run_timed(const rl_run_team *team, rl_run_work_fn work, void *ctx, const rl_run_opts *opts,
                 rl_run_stats *out, rl_err *err);

/* qsort comparator for doubles, ascending. */
int rl_run_cmp_double(const void *a, const void *b);

/* Appends "; " (unless `note` is empty) and the formatted text to `note` (of `size` bytes),
 * truncating; does nothing when no room is left for more than the separator. */
void rl_run_note_add(char *note, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A core busy with other work for more than this share of a measurement is named in a warning. */
#define RL_INTERFERENCE_SHARE 0.10

/* Adds one warning per thread of `st` whose core was busy with other work for more than
 * RL_INTERFERENCE_SHARE of its timed work ("CPU 1 was 48% busy with other work during avx2-fma
 * fp32, 2 threads"), naming the OS CPU the team pinned it to. `what` names the measurement. */
int rl_run_warn_interference(const rl_run_team *team, const rl_run_stats *st, const char *what,
                             rl_result *r, rl_err *err);

/* Appends the noise notes a run earns (result/result.h's RL_NOISY_* thresholds): "noisy host:
 * repeats spread N%" and, with several threads, "noisy host: threads disagree by N%". */
void rl_run_note_noise(const rl_run_stats *st, char *note, size_t size);

#endif
