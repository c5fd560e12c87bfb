/* run.c: pinned OpenMP team, synchronized timed runs, calibration, repeats (see run.h). */
#include "runner/run.h"

#include <math.h>
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probes/clock.h"
#include "result/result.h"

struct rl_run_team {
    const rl_topology *topo; /* NULL: unpinned */
    int n;
    int *pus;
};

enum { CMD_RUN, CMD_STOP };
enum { PHASE_CALIBRATE, PHASE_TIMED };

/* Shared between the team's threads during one rl_run_timed. Only thread 0 writes the control
 * fields, between the two barriers of a run; each thread writes only its own slot of t and v. */
typedef struct run_state {
    const rl_run_opts *o;
    rl_run_stats *out;
    int n;
    int cmd, phase, calib_rounds;
    uint64_t iters;
    double *t;     /* [n] this run's per-thread seconds (end - start) */
    double *start; /* [n] this run's per-thread start, monotonic seconds */
    double *end;   /* [n] this run's per-thread end */
    double *v;     /* [n] this run's per-thread work() results */
    double *cpu;   /* [n] this run's per-thread CPU seconds inside work() (<0: no thread clock) */
    double *wall_sum, *cpu_sum; /* [n] over the timed repeats */
} run_state;

#define MAX_CALIB_ROUNDS 40
#define MAX_GROWTH       100.0

rl_run_opts rl_run_opts_default(void)
{
    rl_run_opts o;
    memset(&o, 0, sizeof o);
    o.repeats = 5;
    o.min_time = 0.05;
    o.start_iters = 1024;
    return o;
}

void rl_run_progress_stderr(void *user, int step, int steps, const char *line)
{
    (void)user;
    (void)steps;
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "\r%s\033[K", line);
    else if (step == 0)
        fprintf(stderr, "%s\n", line);
}

void rl_run_progress_done(void)
{
    if (isatty(STDERR_FILENO))
        fputs("\r\033[K", stderr);
}

void rl_run_stats_free(rl_run_stats *s)
{
    if (!s)
        return;
    free(s->repeat_secs);
    free(s->thread_secs);
    free(s->other_share);
    s->repeat_secs = NULL;
    s->thread_secs = NULL;
    s->other_share = NULL;
}

int rl_run_team_new(const rl_topology *t, int threads, int scatter, int smt, rl_run_team **out,
                    rl_err *err)
{
    return rl_run_team_new_kind(t, -1, NULL, threads, scatter, smt, out, err);
}

int rl_run_team_new_kind(const rl_topology *t, int kind, const char *kind_name, int threads,
                         int scatter, int smt, rl_run_team **out, rl_err *err)
{
    *out = NULL;
    if (threads < 1)
        return rl_err_set(err, RL_EXIT_USAGE, "a team needs at least 1 thread, not %d", threads);
    rl_run_team *team = calloc(1, sizeof *team);
    if (!team)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    team->pus = malloc((size_t)threads * sizeof *team->pus);
    if (!team->pus)
        goto oom;
    team->topo = t;
    team->n = threads;
    if (t) {
        int by_kind = kind >= 0 || kind_name;
        int got = by_kind ? rl_topology_pin_list_kind(t, kind, kind_name, threads, smt, team->pus)
                          : rl_topology_pin_list(t, threads, scatter, smt, team->pus);
        if (got < threads && by_kind) {
            rl_err_set(err, RL_EXIT_USAGE, "%d threads asked for on CPU kind %d, which has %d",
                       threads, kind, got < 0 ? 0 : got);
            rl_run_team_free(team);
            return -1;
        }
        if (got < threads) {
            rl_err_set(err, RL_EXIT_USAGE, "%d threads asked for, but this machine has %d %s",
                       threads, got < 0 ? 0 : got,
                       smt ? "hardware threads" : "physical cores (add --smt for siblings)");
            rl_run_team_free(team);
            return -1;
        }
    } else {
        for (int i = 0; i < threads; i++)
            team->pus[i] = -1;
    }
    *out = team;
    return 0;
oom:
    rl_run_team_free(team);
    return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
}

void rl_run_team_free(rl_run_team *team)
{
    if (!team)
        return;
    free(team->pus);
    free(team);
}

int rl_run_team_size(const rl_run_team *team)
{
    return team->n;
}

int rl_run_team_pu(const rl_run_team *team, int tid)
{
    return tid >= 0 && tid < team->n ? team->pus[tid] : -1;
}

int rl_run_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void progress(run_state *s, int step, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void progress(run_state *s, int step, const char *fmt, ...)
{
    if (!s->o->progress)
        return;
    char line[256];
    int used = snprintf(line, sizeof line, "%s%s%d thread%s: ", s->o->label ? s->o->label : "",
                        s->o->label ? ", " : "", s->n, s->n == 1 ? "" : "s");
    if (used < 0 || (size_t)used >= sizeof line)
        used = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + used, sizeof line - (size_t)used, fmt, ap);
    va_end(ap);
    s->o->progress(s->o->progress_user, step, s->o->repeats, line);
}

static int stop_requested(const run_state *s)
{
    return s->o->stop && *s->o->stop;
}

static void enter_timed_phase(run_state *s)
{
    s->phase = PHASE_TIMED;
    s->out->iters = s->iters;
    if (s->o->clock_ghz)
        s->out->clock_ghz_before = s->o->clock_ghz();
}

/* Thread 0, pinned, before the first run. */
static void control_start(run_state *s)
{
    s->cmd = CMD_RUN;
    if (s->o->fixed_iters > 0) {
        s->iters = s->o->fixed_iters;
        enter_timed_phase(s);
        progress(s, 0, "%llu iterations", (unsigned long long)s->iters);
    } else {
        s->iters = s->o->start_iters > 0 ? s->o->start_iters : 1;
        if (s->o->max_iters > 0 && s->iters > s->o->max_iters)
            s->iters = s->o->max_iters;
        s->phase = PHASE_CALIBRATE;
        progress(s, 0, "calibrating");
    }
}

static void record_repeat(run_state *s, double wall)
{
    rl_run_stats *st = s->out;
    int k = st->repeats++;
    st->repeat_secs[k] = wall;
    double check = 0;
    for (int i = 0; i < s->n; i++)
        check += s->v[i];
    st->check = check;
    for (int i = 0; i < s->n; i++) {
        s->wall_sum[i] += s->t[i];
        s->cpu_sum[i] = s->cpu[i] < 0 || s->cpu_sum[i] < 0 ? -1 : s->cpu_sum[i] + s->cpu[i];
    }
    if (k == 0 || wall < st->best_secs) {
        st->best_secs = wall;
        memcpy(st->thread_secs, s->t, (size_t)s->n * sizeof *s->t);
    }
}

/* Thread 0, pinned, after every run: decides the next one. */
static void control_after_run(run_state *s)
{
    /* The team's wall time: first start to last end. A thread that leaves the barrier late
     * overlaps the others less; timing each thread from its own start would overstate the rate. */
    double first = s->start[0], last = s->end[0];
    for (int i = 1; i < s->n; i++) {
        if (s->start[i] < first)
            first = s->start[i];
        if (s->end[i] > last)
            last = s->end[i];
    }
    double wall = last - first;

    if (s->phase == PHASE_CALIBRATE) {
        const rl_run_opts *o = s->o;
        int at_cap = o->max_iters > 0 && s->iters >= o->max_iters;
        if (wall >= o->min_time * 0.9 || at_cap || ++s->calib_rounds >= MAX_CALIB_ROUNDS) {
            if (stop_requested(s)) {
                s->out->stopped = 1;
                s->cmd = CMD_STOP;
                return;
            }
            progress(s, 0, "%llu iterations take %.1f ms", (unsigned long long)s->iters,
                     wall * 1e3);
            /* Overshot (a short run escaped the preemption a long one suffers on a busy host,
             * or the growth cap): aim the repeats at the minimum time instead. */
            if (wall > 1.5 * o->min_time && o->min_time > 0) {
                double fewer = floor((double)s->iters * 1.1 * o->min_time / wall);
                s->iters = fewer >= 1 ? (uint64_t)fewer : 1;
            }
            enter_timed_phase(s); /* the accepted calibration run was the warm-up */
            return;
        }
        double factor = wall > 0 ? o->min_time / wall * 1.1 : MAX_GROWTH;
        if (factor > MAX_GROWTH)
            factor = MAX_GROWTH;
        if (factor < 1.2)
            factor = 1.2;
        double next = ceil((double)s->iters * factor);
        uint64_t cap = o->max_iters > 0 ? o->max_iters : UINT64_MAX / 2;
        s->iters = next >= (double)cap ? cap : (uint64_t)next;
        if (stop_requested(s)) {
            s->out->stopped = 1;
            s->cmd = CMD_STOP;
        }
        return;
    }

    record_repeat(s, wall);
    progress(s, s->out->repeats, "repeat %d/%d: %.1f ms", s->out->repeats, s->o->repeats,
             wall * 1e3);
    if (s->out->repeats >= s->o->repeats) {
        if (s->o->clock_ghz)
            s->out->clock_ghz_after = s->o->clock_ghz();
        s->cmd = CMD_STOP;
    } else if (stop_requested(s)) {
        s->out->stopped = 1;
        s->cmd = CMD_STOP;
    }
}

/* The thread's own CPU time in seconds, or -1. */
static double thread_cpu_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return -1;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void summarize(rl_run_stats *st, const run_state *s)
{
    int k = st->repeats;
    if (k == 0)
        return;
    for (int i = 0; i < st->threads; i++) {
        double share =
            s->cpu_sum[i] >= 0 && s->wall_sum[i] > 0 ? 1 - s->cpu_sum[i] / s->wall_sum[i] : -1;
        st->other_share[i] = share < 0 && s->cpu_sum[i] >= 0 ? 0 : share;
    }
    double *sorted = malloc((size_t)k * sizeof *sorted);
    if (sorted) {
        memcpy(sorted, st->repeat_secs, (size_t)k * sizeof *sorted);
        qsort(sorted, (size_t)k, sizeof *sorted, rl_run_cmp_double);
        st->median_secs = k % 2 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
        st->worst_secs = sorted[k - 1];
        free(sorted);
    } else {
        st->median_secs = st->worst_secs = st->best_secs;
        for (int i = 0; i < k; i++)
            if (st->repeat_secs[i] > st->worst_secs)
                st->worst_secs = st->repeat_secs[i];
    }
    st->repeat_spread = st->best_secs > 0 ? (st->worst_secs - st->best_secs) / st->best_secs : 0;
    double lo = st->thread_secs[0], hi = st->thread_secs[0];
    for (int i = 1; i < st->threads; i++) {
        if (st->thread_secs[i] < lo)
            lo = st->thread_secs[i];
        if (st->thread_secs[i] > hi)
            hi = st->thread_secs[i];
    }
    st->thread_spread = lo > 0 ? (hi - lo) / lo : 0;
}

int rl_run_timed(const rl_run_team *team, rl_run_work_fn work, void *ctx, const rl_run_opts *opts,
                 rl_run_stats *out, rl_err *err)
{
    const int n = team->n;
    memset(out, 0, sizeof *out);
    out->threads = n;
    out->clock_ghz_before = out->clock_ghz_after = -1;
    if (opts->repeats < 1)
        return rl_err_set(err, RL_EXIT_USAGE, "repeats must be at least 1, not %d", opts->repeats);
    if (!(opts->min_time >= 0))
        return rl_err_set(err, RL_EXIT_USAGE, "minimum time must be >= 0");

    run_state s;
    memset(&s, 0, sizeof s);
    s.o = opts;
    s.out = out;
    s.n = n;
    s.t = calloc((size_t)n, sizeof *s.t);
    s.v = calloc((size_t)n, sizeof *s.v);
    s.start = calloc((size_t)n, sizeof *s.start);
    s.end = calloc((size_t)n, sizeof *s.end);
    s.cpu = calloc((size_t)n, sizeof *s.cpu);
    s.wall_sum = calloc((size_t)n, sizeof *s.wall_sum);
    s.cpu_sum = calloc((size_t)n, sizeof *s.cpu_sum);
    out->other_share = calloc((size_t)n, sizeof *out->other_share);
    int *init_ok = calloc((size_t)n, sizeof *init_ok);
    out->repeat_secs = calloc((size_t)opts->repeats, sizeof *out->repeat_secs);
    out->thread_secs = calloc((size_t)n, sizeof *out->thread_secs);
    if (!s.t || !s.v || !s.start || !s.end || !s.cpu || !s.wall_sum || !s.cpu_sum ||
        !out->other_share || !init_ok || !out->repeat_secs || !out->thread_secs) {
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        goto fail;
    }

    /* Thread 0 is the calling thread: it is pinned for the run and gets its old mask back after. */
    cpu_set_t saved;
    int have_saved = team->topo && sched_getaffinity(0, sizeof saved, &saved) == 0;

    rl_err team_err; /* first failure of any thread; written under the critical section */
    rl_err_clear(&team_err);
    int failed = 0, got_threads = n;

#pragma omp parallel num_threads(n) default(none)                                                  \
    shared(team, work, ctx, opts, s, init_ok, team_err, failed, got_threads, n)
    {
        const int tid = omp_get_thread_num();
        rl_err my_err;
        rl_err_clear(&my_err);
        int ok = 1;
        if (omp_get_num_threads() != n) {
            ok = 0;
#pragma omp critical(rl_run_fail)
            got_threads = omp_get_num_threads();
        }
        if (ok && team->topo && rl_topology_bind_self(team->topo, team->pus[tid], &my_err) < 0) {
            rl_err_prefix(&my_err, "thread %d: pinning to PU %d", tid, team->pus[tid]);
            ok = 0;
        }
        if (ok && opts->thread_init) {
            if (opts->thread_init(ctx, tid, team->pus[tid], &my_err) < 0)
                ok = 0;
            else
                init_ok[tid] = 1;
        } else if (ok) {
            init_ok[tid] = 1;
        }
        if (!ok && got_threads == n) {
#pragma omp critical(rl_run_fail)
            if (!failed) {
                failed = 1;
                team_err = my_err;
            }
        }
#pragma omp barrier
        if (got_threads == n && !failed) {
            if (tid == 0)
                control_start(&s);
            for (;;) {
#pragma omp barrier
                if (s.cmd == CMD_STOP)
                    break;
                const uint64_t iters = s.iters;
                double c0 = thread_cpu_now();
                double t0 = rl_clock_now();
                double v = work(ctx, tid, iters);
                double t1 = rl_clock_now();
                double c1 = thread_cpu_now();
                s.cpu[tid] = c0 >= 0 && c1 >= 0 ? c1 - c0 : -1;
                s.start[tid] = t0;
                s.end[tid] = t1;
                s.t[tid] = t1 - t0;
                s.v[tid] = v;
#pragma omp barrier
                if (tid == 0)
                    control_after_run(&s);
            }
        }
        if (init_ok[tid] && opts->thread_fini)
            opts->thread_fini(ctx, tid);
    }

    if (have_saved)
        sched_setaffinity(0, sizeof saved, &saved);

    if (got_threads != n) {
        rl_err_set(err, RL_EXIT_RUNTIME,
                   "OpenMP gave %d threads instead of %d (check OMP_THREAD_LIMIT, OMP_DYNAMIC)",
                   got_threads, n);
        goto fail;
    }
    if (failed) {
        rl_err_set(err, team_err.code ? team_err.code : RL_EXIT_RUNTIME, "%s", team_err.msg);
        goto fail;
    }
    if (out->repeats == 0) {
        rl_err_set(err, RL_EXIT_RUNTIME, "interrupted before the first timed repeat");
        goto fail;
    }
    summarize(out, &s);
    free(s.t);
    free(s.v);
    free(s.start);
    free(s.end);
    free(s.cpu);
    free(s.wall_sum);
    free(s.cpu_sum);
    free(init_ok);
    return 0;
fail:
    free(s.t);
    free(s.v);
    free(s.start);
    free(s.end);
    free(s.cpu);
    free(s.wall_sum);
    free(s.cpu_sum);
    free(init_ok);
    rl_run_stats_free(out);
    return -1;
}

void rl_run_note_add(char *note, size_t size, const char *fmt, ...)
{
    size_t used = strlen(note);
    if (used + 3 >= size)
        return;
    if (used > 0) {
        memcpy(note + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(note + used, size - used, fmt, ap);
    va_end(ap);
}

void rl_run_note_noise(const rl_run_stats *st, char *note, size_t size)
{
    if (st->repeat_spread > RL_NOISY_REPEAT_SPREAD)
        rl_run_note_add(note, size, "noisy host: repeats spread %.0f%%", st->repeat_spread * 100);
    if (st->threads > 1 && st->thread_spread > RL_NOISY_THREAD_SPREAD)
        rl_run_note_add(note, size, "noisy host: threads disagree by %.0f%%",
                        st->thread_spread * 100);
}

int rl_run_warn_interference(const rl_run_team *team, const rl_run_stats *st, const char *what,
                             rl_result *r, rl_err *err)
{
    for (int i = 0; st->other_share && i < st->threads; i++) {
        if (!(st->other_share[i] > RL_INTERFERENCE_SHARE))
            continue;
        int pu = rl_run_team_pu(team, i);
        char who[32];
        if (pu >= 0)
            snprintf(who, sizeof who, "CPU %d", pu);
        else
            snprintf(who, sizeof who, "the core of thread %d", i);
        if (rl_result_add_warning(r, err,
                                  "interference: %s was %.0f%% busy with other work during %s, "
                                  "%d thread%s (other processes, interrupts or the hypervisor took "
                                  "it from the measuring thread)",
                                  who, st->other_share[i] * 100, what, st->threads,
                                  st->threads == 1 ? "" : "s") < 0)
            return -1;
    }
    return 0;
}
