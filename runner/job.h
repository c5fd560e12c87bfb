/* job.h: one measurement of this machine, the job behind `roofline`, `roofline flops` and
 * `roofline bandwidth` (and, later, behind each node of the cluster mode). A command parses its
 * flags into an rl_plan, runs the job, and renders the result:
 *
 *     rl_plan plan = rl_plan_flops();
 *     plan.threads = "1-4";
 *     rl_job_hooks hooks = {.progress = rl_run_progress_stderr, .stop = &stop_flag};
 *     if (rl_job_run(&plan, &hooks, r, &err) != 0) ...
 *
 * rl_job_run, in order:
 *   1. identifies the machine once: CPU identity and runnable ISA (CPUID, XCR0) and the hwloc
 *      topology (rl_job_host), which the rest of the run shares;
 *   2. checks the plan against it (thread counts, ISAs, sizes): usage errors come before anything
 *      slow;
 *   3. describes the machine into r->machine and r->theory (probes/probe.h: clock, DRAM,
 *      theoretical roofline), and records the settings in r->meta.settings;
 *   4. has every device backend measure what the plan asks of it (runner/device.h: today the CPU,
 *      compute kernels then memory kernels);
 *   5. derives the measured ridge points.
 *
 * The job never prints: progress, stage announcements and the stop flag come in through
 * rl_job_hooks, because the caller owns the terminal and the signals. */
#ifndef RL_JOB_H
#define RL_JOB_H

#include <signal.h>
#include <stdint.h>

#include "common/err.h"
#include "probes/cpu.h"
#include "probes/probe.h"
#include "probes/topology.h"
#include "result/result.h"
#include "runner/run.h"

/* Non-temporal stores in the memory stage. */
typedef enum rl_plan_nt {
    RL_PLAN_NT_DEFAULT, /* at DRAM only; nowhere in a quick run or a sweep */
    RL_PLAN_NT_DRAM,    /* regular stores everywhere, non-temporal variants at DRAM too */
    RL_PLAN_NT_ALL,     /* non-temporal variants at every level (--nt) */
    RL_PLAN_NT_NONE,    /* regular stores only (--no-nt) */
} rl_plan_nt;

/* Timing of one stage's figures; 0 in a field means its default (rl_plan_resolve). */
typedef struct rl_plan_timing {
    int repeats;     /* timed repeats per figure, best/median/slowest kept */
    double min_time; /* seconds one repeat is calibrated to */
} rl_plan_timing;

/* What to measure. One set of defaults: a zero or NULL field means "the default", resolved by
 * rl_plan_resolve (its comment gives each value); the constructors below set only what differs
 * between the commands. Each field names the flag that sets it. */
typedef struct rl_plan {
    /* The stages, and how much to say about the machine. */
    int compute;     /* peak FLOP/s per ISA, precision and thread count (runner/flops.h) */
    int memory;      /* bandwidth per cache level and DRAM (runner/bandwidth.h) */
    int theory;      /* describe the clock, DRAM and theoretical roofline (probes/probe.h); 0: CPU
                        identity and topology only, which costs no clock measurement */
    int quick;       /* --quick: the widest kernel per fp64/fp32, load and triad only without
                        non-temporal stores, 2 repeats of 10 ms, a quick clock estimate */
    int clock_quick; /* one short clock estimate instead of the full measurement */

    /* Threads and placement. */
    const char *threads;   /* --threads (runner/threadlist.h): "1,all", or "1" for a sweep */
    int scatter, smt;      /* --bind scatter, --smt: the compute stage's placement; the memory
                              stage always pins compact, one thread per core */
    rl_plan_timing timing; /* --repeat, --min-time; per stage in rl_plan_resolve's output */

    /* Compute stage. */
    const char *isa;          /* --isa list, as rl_fma_isa_lookup takes it; NULL: every one */
    const char *precision;    /* --precision list; NULL: every one */
    int peaks_at_max_threads; /* theoretical peaks also at the largest thread count measured
                                 (beside 1 and every core) */

    /* Memory stage. */
    unsigned levels;     /* --level: bits (1u << rl_bw_level); 0: L1, L2, L3 and DRAM */
    unsigned kinds;      /* --kernel: bits (1u << RL_BW_KIND_*); 0: load, copy, triad (load and
                            triad when quick, load for a sweep) */
    rl_plan_nt nt;       /* --nt, --no-nt */
    uint64_t size;       /* --size: this working set per thread instead of the levels; 0: none */
    int sweep;           /* --sweep: sizes from 4 KiB to 4x the last-level cache */
    const char *mem_isa; /* --isa of the memory kernels, as rl_stream_isa_lookup takes it; NULL:
                            the widest this CPU runs */

    /* Latency stage (runner/latency.h): the levels, --size and --sweep above say where. */
    int latency;        /* memory latency per level: a pointer chase on one core */
    unsigned lat_pages; /* --pages: bits (1u << rl_pages_kind); 0: 4k and thp (thp alone when
                           quick or a sweep), and 1g where 1 GiB pages are reserved */
    int loaded;         /* --loaded: the loaded-latency curves (runner/loaded.h); the main job
                           measures the read curve unless quick */
    unsigned mixes;     /* --mix: bits (1u << RL_LOADED_MIX_*); 0: every mix with --loaded, read
                           in the main job */
    int loaded_points;  /* rates per curve; 0: 6 (4 in the main job) */
    int numa;           /* --numa: the NUMA matrix (runner/numa.h); the main job and `latency`
                           measure it wherever there are several nodes (not when quick) */
    int numa_nodes[16]; /* --numa-nodes: these nodes only (logical indexes) */
    int n_numa_nodes;

    /* The machine description the measured figures sit beside (probes/probe.h). */
    double clock_ghz; /* --clock: > 0 replaces the measured clock in the theoretical figures */
    rl_isa_clock clock_isa[RL_MAX_CLOCK_OVERRIDES]; /* --clock ISA=GHZ: replace the clock */
    int n_clock_isa;                                /* measured under those ISAs' load */
    int mem_channels;                               /* --mem-channels */
    double mem_mts;                                 /* --mem-mts */
    int platform_memory;                            /* --platform-memory */

    /* GPUs (runner/device_cuda.c, through the CUDA plugin). The CPU backend ignores these. */
    int gpu;              /* measure this machine's GPUs where the plugin finds any */
    int gpu_required;     /* `roofline gpu`: no GPU to measure is a run-time error, not silence */
    int gpu_device;       /* --device N; -1 every GPU (the constructors' default) */
    const char *gpu_rows; /* --only: row ids (kernels/cuda/gpu_abi.h); NULL every row */
    rl_plan_timing gpu_timing; /* --repeat, --min-time of `roofline gpu` (min_time in seconds) */
} rl_plan;

/* The three commands' plans. rl_plan_main is the defaults themselves: everything measured, the
 * theoretical roofline beside it. The others differ only where the commands do:
 *   rl_plan_flops      compute stage only; a quick clock estimate for the machine (each kernel
 *                      measures the clock before and after itself, which is what its figure
 *                      uses); theoretical peaks also at the largest thread count measured, the
 *                      figure its rows are compared with.
 *   rl_plan_bandwidth  memory stage only; the machine's identity and topology only (the working
 *                      sets come from its caches; it reports no peaks, so it spends no time on
 *                      the clock). */
rl_plan rl_plan_main(void);
rl_plan rl_plan_flops(void);
rl_plan rl_plan_bandwidth(void);
/* rl_plan_gpu: `roofline gpu`: no CPU stage, the host described with a quick clock estimate (a GPU
 * result names the machine it ran in), every GPU measured, none an error. The main job measures
 * the GPUs too (after the CPU); flops and bandwidth do not. */
rl_plan rl_plan_gpu(void);
/* rl_plan_latency: `roofline latency`: the latency stage only, the machine described with a quick
 * clock estimate (the cycles are counted at it). The main job measures latency after bandwidth. */
rl_plan rl_plan_latency(void);

/* The plan as the run uses it: every default applied. `compute_timing` and `memory_timing` are
 * the stages' timings:
 *   compute   repeats 5 (2 quick), min_time RL_FLOPS_MIN_TIME (0.01 s quick)
 *   memory    repeats 5 (2 quick, 3 sweep), min_time 0.03 s (0.01 s quick or sweep)
 * and levels, kinds and nt become explicit (nt is never RL_PLAN_NT_DEFAULT). */
typedef struct rl_plan_resolved {
    rl_plan plan;
    rl_plan_timing compute_timing, memory_timing;
    rl_plan_timing latency_timing; /* repeats 3 (2 quick, 3 sweep), min_time 0.01 s (0.005 s quick
                                      or sweep); lat_pages explicit */
} rl_plan_resolved;
void rl_plan_resolve(const rl_plan *plan, rl_plan_resolved *out);

/* How many stages a run of `plan` announces through rl_job_hooks.stage: "probe", then "compute",
 * "bandwidth" and "latency" when the plan has them (a device backend added later adds its own). */
int rl_plan_stages(const rl_plan *plan);

/* The machine the job measures, identified once per run and shared by every step. */
typedef struct rl_job_host {
    rl_cpu cpu;        /* identity and runnable ISA (CPUID and XCR0) */
    rl_topology *topo; /* hwloc: cores, caches, pinning; the job frees it */
    int gpus;          /* GPUs the CUDA plugin sees, when the plan measures GPUs; else 0 */
    char gpu_why[256]; /* why there are none: no plugin, no driver, no device */
} rl_job_host;

/* Identifies this machine: rl_cpu_identify and rl_topology_load. The default identify hook. */
int rl_job_identify(void *user, rl_job_host *host, rl_err *err);

/* The thread counts of plan->threads on a machine of `cores` physical cores and `hw_threads`
 * hardware threads ("all" is every core, or every hardware thread with plan->smt), ascending, in
 * *out (malloc'd, caller frees). A bad list is RL_EXIT_USAGE naming --threads. The same list the
 * job measures, for a caller that renders per thread count (r->machine has both numbers). */
int rl_plan_threads(const rl_plan *plan, int cores, int hw_threads, int **out, int *n, rl_err *err);

/* What the caller lends the job. Every member may be NULL. */
typedef struct rl_job_hooks {
    rl_run_progress_fn progress; /* one line per measurement step (runner/run.h) */
    void *progress_user;         /* handed to progress and stage */
    /* A stage begins: "probe", "compute", "bandwidth", "gpu". Before the first, `stages` (may be
     * NULL) says how many the run will announce: rl_plan_stages, plus one when there are GPUs to
     * measure, which only the job knows (it looks for them before anything else). */
    void (*stage)(void *user, const char *name);
    void (*stages)(void *user, int total);
    volatile sig_atomic_t *stop; /* raised from a signal handler: stop between measurements */
    /* Identifies the machine (NULL: rl_job_identify). Called exactly once per run: tests count
     * the calls, and a caller with the machine already in hand could lend it here. */
    int (*identify)(void *user, rl_job_host *host, rl_err *err);
    void *identify_user;
} rl_job_hooks;

/* Runs `plan` (see the top of this file) into `r`, a result from rl_result_new whose
 * meta.command_line the caller has set. Returns 0, or -1 with err: a plan this machine cannot run
 * is RL_EXIT_USAGE with the flag first ("--threads: ..."), before anything is measured; a failed
 * measurement is RL_EXIT_RUNTIME. Either way `r` keeps what finished, with its ridge points. When
 * hooks->stop is raised the run ends after the current measurement and r->meta.partial is set;
 * the stage that was running may return -1 ("interrupted"), and the caller decides from the flag
 * whether that is a failure. */
int rl_job_run(const rl_plan *plan, const rl_job_hooks *hooks, rl_result *r, rl_err *err);

#endif
