/* test_run.c: the runner (team, calibration, repeats, stop, hooks) and the --threads parser.
 * Nothing here asserts on speed: only on counts, order and the contract of the API. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "probes/topology.h"
#include "runner/run.h"
#include "runner/threadlist.h"

/* ---------------------------------------------------------------- thread list */

static int parse(const char *spec, int max, int *out, int *n, rl_err *err)
{
    rl_err_clear(err);
    return rl_threadlist_parse(spec, max, out, n, err);
}

Test(threadlist, list_range_all_sweep)
{
    int out[64], n;
    rl_err err;
    cr_assert_eq(parse("1,2", 8, out, &n, &err), 0);
    cr_assert(n == 2 && out[0] == 1 && out[1] == 2);
    cr_assert_eq(parse("4,1-3,2", 8, out, &n, &err), 0); /* sorted, no duplicates */
    cr_assert(n == 4 && out[0] == 1 && out[3] == 4);
    cr_assert_eq(parse("all", 6, out, &n, &err), 0);
    cr_assert(n == 1 && out[0] == 6);
    cr_assert_eq(parse("1,all", 6, out, &n, &err), 0);
    cr_assert(n == 2 && out[1] == 6);
    cr_assert_eq(parse("sweep", 6, out, &n, &err), 0);
    cr_assert(n == 4 && out[0] == 1 && out[1] == 2 && out[2] == 4 && out[3] == 6, "n=%d", n);
    cr_assert_eq(parse("sweep", 1, out, &n, &err), 0);
    cr_assert(n == 1 && out[0] == 1);
    cr_assert_eq(parse("1-64", 64, out, &n, &err), 0);
    cr_assert(n == 64 && out[63] == 64);
}

Test(threadlist, rejects_zero_garbage_and_too_many)
{
    int out[8], n;
    rl_err err;
    const char *bad[] = {"0",
                         "",
                         "abc",
                         "1,",
                         ",1",
                         "1-",
                         "-1",
                         "3-1",
                         "1,,2",
                         "2x",
                         "9",
                         "1-9",
                         "99999999999999999999",
                         "all,",
                         "sweeps"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(parse(bad[i], 8, out, &n, &err), -1, "'%s' accepted", bad[i]);
        cr_assert_eq(err.code, RL_EXIT_USAGE, "'%s'", bad[i]);
        cr_assert(strchr(err.msg, '\n') == NULL);
        cr_assert_eq(n, 0);
    }
    parse("0", 8, out, &n, &err);
    cr_assert(strstr(err.msg, "'0'"), "message quotes the value: %s", err.msg);
}

/* ---------------------------------------------------------------- runner */

typedef struct count_ctx {
    uint64_t calls[4];
    uint64_t iters_sum[4];
    int inits, finis;
    volatile sig_atomic_t *stop_after; /* set the flag from inside the work, after `limit` calls */
    uint64_t limit;
} count_ctx;

/* Busy work proportional to iters, whose result depends on every iteration. */
static double spin(void *vctx, int tid, uint64_t iters)
{
    count_ctx *c = vctx;
    c->calls[tid]++;
    c->iters_sum[tid] += iters;
    if (c->stop_after && c->calls[tid] >= c->limit)
        *c->stop_after = 1;
    volatile double x = 1.0;
    for (uint64_t i = 0; i < iters * 16; i++)
        x = x * 1.0000001;
    return (double)iters;
}

static int init_hook(void *vctx, int tid, int pu, rl_err *err)
{
    (void)pu;
    (void)err;
    count_ctx *c = vctx;
#pragma omp atomic
    c->inits++;
    (void)tid;
    return 0;
}

static void fini_hook(void *vctx, int tid)
{
    (void)tid;
    count_ctx *c = vctx;
#pragma omp atomic
    c->finis++;
}

Test(run, fixed_iterations_repeats_and_check)
{
    rl_run_team *team;
    rl_err err;
    rl_err_clear(&err);
    cr_assert_eq(rl_run_team_new(NULL, 2, 0, 0, &team, &err), 0);
    cr_assert_eq(rl_run_team_size(team), 2);
    cr_assert_eq(rl_run_team_pu(team, 0), -1);
    count_ctx c;
    memset(&c, 0, sizeof c);
    rl_run_opts o = rl_run_opts_default();
    o.fixed_iters = 100;
    o.repeats = 3;
    o.thread_init = init_hook;
    o.thread_fini = fini_hook;
    rl_run_stats st;
    cr_assert_eq(rl_run_timed(team, spin, &c, &o, &st, &err), 0, "%s", err.msg);
    cr_assert_eq(st.repeats, 3);
    cr_assert_eq(st.iters, 100);
    cr_assert_eq(st.threads, 2);
    cr_assert(c.calls[0] == 3 && c.calls[1] == 3, "no calibration runs with fixed iterations");
    cr_assert_eq(st.check, 200.0, "check sums every thread's return value");
    cr_assert(c.inits == 2 && c.finis == 2);
    cr_assert(st.best_secs > 0 && st.best_secs <= st.median_secs &&
              st.median_secs <= st.worst_secs);
    cr_assert(st.thread_secs[0] > 0 && st.thread_secs[1] > 0);
    cr_assert(st.thread_secs[0] <= st.best_secs && st.thread_secs[1] <= st.best_secs,
              "the repeat's time is its slowest thread's");
    cr_assert_eq(st.clock_ghz_before, -1);
    cr_assert_eq(st.stopped, 0);
    rl_run_stats_free(&st);
    rl_run_team_free(team);
}

Test(run, calibrates_up_to_the_minimum_time)
{
    rl_run_team *team;
    rl_err err;
    rl_err_clear(&err);
    cr_assert_eq(rl_run_team_new(NULL, 1, 0, 0, &team, &err), 0);
    count_ctx c;
    memset(&c, 0, sizeof c);
    rl_run_opts o = rl_run_opts_default();
    o.min_time = 0.005;
    o.start_iters = 1;
    o.repeats = 2;
    rl_run_stats st;
    cr_assert_eq(rl_run_timed(team, spin, &c, &o, &st, &err), 0, "%s", err.msg);
    cr_assert_gt(st.iters, 1, "calibration grew the iteration count");
    cr_assert_gt(c.calls[0], 2, "calibration runs come before the 2 timed repeats");
    /* Every timed repeat used the calibrated count. */
    cr_assert_geq(c.iters_sum[0], 2 * st.iters);
    rl_run_stats_free(&st);

    /* max_iters caps calibration. */
    memset(&c, 0, sizeof c);
    o.max_iters = 8;
    cr_assert_eq(rl_run_timed(team, spin, &c, &o, &st, &err), 0, "%s", err.msg);
    cr_assert_eq(st.iters, 8);
    rl_run_stats_free(&st);
    rl_run_team_free(team);
}

static double fake_clock(void)
{
    return 3.25;
}

Test(run, stop_flag_keeps_partial_results)
{
    rl_run_team *team;
    rl_err err;
    rl_err_clear(&err);
    cr_assert_eq(rl_run_team_new(NULL, 1, 0, 0, &team, &err), 0);
    volatile sig_atomic_t stop = 0;
    count_ctx c;
    memset(&c, 0, sizeof c);
    c.stop_after = &stop;
    c.limit = 2;
    rl_run_opts o = rl_run_opts_default();
    o.fixed_iters = 10;
    o.repeats = 5;
    o.stop = &stop;
    o.clock_ghz = fake_clock;
    rl_run_stats st;
    cr_assert_eq(rl_run_timed(team, spin, &c, &o, &st, &err), 0, "%s", err.msg);
    cr_assert_eq(st.stopped, 1);
    cr_assert_eq(st.repeats, 2);
    cr_assert_eq(st.clock_ghz_before, 3.25);
    rl_run_stats_free(&st);

    /* Stopped before any timed repeat: an error, nothing to report. */
    stop = 1;
    c.limit = 0;
    o.fixed_iters = 0;
    o.min_time = 10;
    cr_assert_eq(rl_run_timed(team, spin, &c, &o, &st, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_RUNTIME);
    cr_assert(strstr(err.msg, "interrupted"), "%s", err.msg);
    rl_run_team_free(team);
}

static int failing_init(void *ctx, int tid, int pu, rl_err *err)
{
    (void)ctx;
    (void)pu;
    if (tid == 1)
        return rl_err_set(err, RL_EXIT_RUNTIME, "thread %d: no memory for the buffer", tid);
    return 0;
}

Test(run, thread_init_failure_is_reported)
{
    rl_run_team *team;
    rl_err err;
    rl_err_clear(&err);
    cr_assert_eq(rl_run_team_new(NULL, 2, 0, 0, &team, &err), 0);
    count_ctx c;
    memset(&c, 0, sizeof c);
    rl_run_opts o = rl_run_opts_default();
    o.fixed_iters = 1;
    o.thread_init = failing_init;
    rl_run_stats st;
    cr_assert_eq(rl_run_timed(team, spin, &c, &o, &st, &err), -1);
    cr_assert(strstr(err.msg, "thread 1: no memory"), "%s", err.msg);
    cr_assert(c.calls[0] == 0 && c.calls[1] == 0, "no thread ran work after a failed init");
    rl_run_team_free(team);
}

Test(run, pinned_team_on_this_machine)
{
    rl_topology *t;
    rl_err err;
    rl_err_clear(&err);
    cr_assert_eq(rl_topology_load(NULL, &t, &err), 0, "%s", err.msg);
    int cores = rl_topology_cores(t);
    rl_run_team *team;
    cr_assert_eq(rl_run_team_new(t, cores, 0, 0, &team, &err), 0, "%s", err.msg);
    for (int i = 0; i < cores; i++)
        cr_assert_geq(rl_run_team_pu(team, i), 0);
    count_ctx c;
    memset(&c, 0, sizeof c);
    rl_run_opts o = rl_run_opts_default();
    o.fixed_iters = 10;
    o.repeats = 1;
    rl_run_stats st;
    memset(&st, 0, sizeof st);
    if (cores <= 4) /* the count_ctx has 4 slots */
        cr_assert_eq(rl_run_timed(team, spin, &c, &o, &st, &err), 0, "%s", err.msg);
    rl_run_stats_free(&st);
    rl_run_team_free(team);

    /* More threads than cores: a usage error that says how many there are. */
    cr_assert_eq(rl_run_team_new(t, rl_topology_threads(t) + 1, 0, 1, &team, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_USAGE);
    cr_assert_null(team);
    rl_topology_free(t);
}
