/* flops.h: `roofline flops`: which compute kernels run here, and measuring them into rl_flops rows.
 *
 * Selection (rl_flops_plan_make) is pure: given the ISA and precision filters and the runnable ISA
 * mask (probes/cpu: CPUID and XCR0), it lists the kernels to run and those that cannot run here
 * with the features they lack. A kernel is never called unless every feature it requires is
 * runnable. Measurement (rl_flops_measure) runs each planned kernel at each thread count with
 * runner/run.h and turns seconds into GFLOP/s from the kernel's declared FLOPs per iteration: the
 * one place rates are computed. */
#ifndef RL_FLOPS_H
#define RL_FLOPS_H

#include <signal.h>
#include <stddef.h>

#include "common/err.h"
#include "common/isa.h"
#include "kernels/fma.h"
#include "probes/topology.h"
#include "result/result.h"
#include "runner/run.h"

#define RL_FLOPS_MAX_KERNELS 32

/* Default seconds per timed repeat. A full default sweep on a 2-core machine is 20 figures of
 * calibration + warm-up + 5 repeats each; at 40 ms a repeat (120 M cycles at 3 GHz, far above timer
 * resolution) it finishes in about 6 s, within the 10 s the issue allows. */
#define RL_FLOPS_MIN_TIME 0.04

typedef struct rl_flops_plan {
    const rl_fma_kernel *run[RL_FLOPS_MAX_KERNELS];
    size_t n_run;
    const rl_fma_kernel *skip[RL_FLOPS_MAX_KERNELS]; /* matched the filters, cannot run here */
    rl_isa_mask skip_missing[RL_FLOPS_MAX_KERNELS];  /* the features each one lacks */
    size_t n_skip;
} rl_flops_plan;

/* isa_list: comma-separated kernel ISA names as rl_fma_isa_lookup takes them ("avx2-fma,avx512f",
 * or the short forms "avx2,avx512"), NULL for all. precision: comma-separated ("fp64,fp32"), NULL
 * for all. An unknown name (the message lists the registry's names), or an ISA named in `isa_list`
 * that this CPU cannot run (the message lists those it runs), is RL_EXIT_USAGE; *which is then set
 * to "isa" or "precision" so the caller can name its flag. Filters that leave nothing to run are
 * RL_EXIT_USAGE too. */
int rl_flops_plan_make(const char *isa_list, const char *precision, rl_isa_mask runnable,
                       rl_flops_plan *plan, const char **which, rl_err *err);

/* --quick: keeps of a plan, per precision (fp64, fp32), only the widest non-mix floating-point
 * kernel (rl_fma_wider), fp64 first. */
void rl_flops_plan_quick(rl_flops_plan *plan);

typedef struct rl_flops_opts {
    const int *threads; /* thread counts, ascending */
    int n_threads;
    int scatter, smt;            /* placement, see rl_run_team_new */
    int repeats;                 /* >= 1 */
    double min_time;             /* seconds per repeat */
    rl_run_progress_fn progress; /* NULL: quiet */
    void *progress_user;
    volatile sig_atomic_t *stop;
    double (*clock_ghz)(void); /* measured clock before/after each kernel; NULL: not measured */
    /* The clock a row's theoretical peak is quoted at, first found of:
     *   1. the clock under its ISA family's load at its thread count (kernels/isaclock.h),
     *      measured on the row's own pinned team just before the first kernel of that family
     *      when isa_clocks is set, or given with --clock ISA=GHZ (r->machine.per_isa);
     *   2. fixed_clock (> 0: --clock GHZ);
     *   3. the higher of the add-chain clocks before and after the kernel. */
    int isa_clocks;
    rl_isa_mask runnable; /* what the clock kernels may use (0: none is run) */
    double fixed_clock;
    int clock_repeats;     /* timed repeats of a clock kernel (best kept) */
    double clock_min_time; /* seconds per repeat */
    /* Hybrid CPUs: pin every team to the cores of one CPU kind (rl_machine.core_kinds' order,
     * fastest first; -1: any cores) and label the rows with its core type; each row's theory is
     * that type's, at the clock measured under the ISA's load on those cores. */
    int core_kind;
    const char *core_kind_name; /* hwloc CoreType of those cores ("IntelCore"), or NULL */
    const char *core_type;
} rl_flops_opts;

/* repeats 5, min_time RL_FLOPS_MIN_TIME, compact, no SMT, clock measured with
 * rl_clock_measure_quick, clocks under each ISA's load measured (best of 8 repeats of 3 ms: short
 * samples escape the preemption a busy host adds, which would read as a slow clock). */
rl_flops_opts rl_flops_opts_default(void);

/* The shape trial's choice (rl_fma_kernel.variant). trial(user, k, &gflops, err) measures kernel
 * k briefly and writes its rate (returns 0, 1 when stopped, -1 with err); rl_flops_choose tries
 * each of the n candidates in order, `rounds` times over (round by round, so a slow spell of the
 * host does not fall on one candidate's every trial), writes each one's best rate to gflops[n] and
 * returns the index of the fastest (a tie keeps the earlier one), -1 when a trial failed (err set),
 * -2 when one was stopped.
 * rl_flops_measure runs it for every row with several shapes, with a real timed run. */
typedef int (*rl_flops_trial_fn)(void *user, const rl_fma_kernel *k, double *gflops, rl_err *err);
int rl_flops_choose(const rl_fma_kernel *const *cands, int n, int rounds, rl_flops_trial_fn trial,
                    void *user, double *gflops, rl_err *err);

/* The clock under every ISA family's load this CPU runs (kernels/isaclock.h), at each thread
 * count of `threads` (pinned compact, one per core), into r->machine.per_isa, then the theoretical
 * peaks requoted at them (rl_theory_apply_isa_clocks): what `roofline probe` shows for this
 * machine. Families --clock gave are skipped. opts: timing, progress and stop as for
 * rl_flops_measure (runnable is the argument here). */
int rl_flops_isa_clocks(const rl_topology *topo, rl_isa_mask runnable, const int *threads,
                        int n_threads, const rl_flops_opts *opts, rl_result *r, rl_err *err);

/* Theoretical FLOPs (OPs) per cycle per core for a kernel's ISA and precision from theory->fpc,
 * or -1 when theory is NULL or has no such row. */
double rl_flops_per_cycle(const rl_theory *theory, const rl_fma_kernel *k);

/* Measures every planned kernel at every thread count, appending one rl_flops per pair to r->flops
 * (isa, precision, unit, threads, best/median/min, clocks, theoretical at the clock chosen as
 * rl_flops_opts says, from `theory`, efficiency, notes) and the clocks it measures under each ISA's
 * load to r->machine.per_isa, and one warning per skipped kernel ("flops: avx512f fp64: not run:
 * CPU lacks AVX-512F, AVX-512VL, AVX-512BW, AVX-512DQ"). When the stop flag is raised, what
 * finished stays in r, r->meta.partial is set and the call returns -1 with an "interrupted"
 * RL_EXIT_RUNTIME error. A kernel whose result is not finite is a RL_EXIT_RUNTIME failure ("kernel
 * check failed"). */
int rl_flops_measure(const rl_flops_plan *plan, const rl_topology *topo, const rl_theory *theory,
                     const rl_flops_opts *opts, rl_result *r, rl_err *err);

#endif
