/* test_loaded.c: the loaded-latency controller against a fake clock (the delays fall as the rate
 * rises, and hit the rates asked for), the mix parser, the curve's knee and its comparison with
 * the bandwidth kernels, and a tiny real run. Nothing here asserts on speed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "result/latency.h"
#include "result/result.h"
#include "runner/loaded.h"
#include "runner/pages.h"

/* A fake clock: a block takes t0 plus c per delay iteration, or saturates at a floor. */
typedef struct fake {
    double t0, c, floor;
    int calls;
} fake;

static double fake_time(void *user, uint64_t delay, rl_err *err)
{
    (void)err;
    fake *f = user;
    f->calls++;
    double t = f->t0 + f->c * (double)delay;
    return t > f->floor ? t : f->floor;
}

Test(loaded_controller, delays_fall_as_the_rate_rises_and_hit_the_rates)
{
    const fake clocks[] = {{2e-6, 1e-9, 0, 0}, {5e-7, 3e-10, 0, 0}, {1e-5, 2e-9, 0, 0}};
    const int points[] = {1, 2, 4, 6, 10};
    for (size_t k = 0; k < sizeof clocks / sizeof clocks[0]; k++) {
        for (size_t p = 0; p < sizeof points / sizeof points[0]; p++) {
            fake f = clocks[k];
            uint64_t d[16];
            rl_err err = {0};
            int n = points[p];
            cr_assert_eq(rl_loaded_delays(fake_time, &f, n, d, &err), 0, "%s", err.msg);
            cr_assert_eq(d[n - 1], 0, "the top rate has no delay");
            double top = 1 / f.t0;
            for (int i = 0; i < n; i++) {
                if (i > 0)
                    cr_assert_lt(d[i], d[i - 1], "clock %zu, %d points: delay %d not below %d", k,
                                 n, i, i - 1);
                double rate = 1 / (f.t0 + f.c * (double)d[i]);
                double want = top * (i + 1) / n;
                cr_assert(fabs(rate / want - 1) < 0.01, "point %d: rate %g, asked %g", i, rate,
                          want);
            }
        }
    }
}

/* A noisy clock: the first probe delay hides in the noise of a slow block; the controller grows
 * the probe until the delay shows, and still hits the rates. */
Test(loaded_controller, a_small_probe_is_grown_until_the_delay_shows)
{
    fake f = {1e-4, 1e-9, 0, 0}; /* 4096 iterations add 4% to a block */
    uint64_t d[4];
    rl_err err = {0};
    cr_assert_eq(rl_loaded_delays(fake_time, &f, 4, d, &err), 0, "%s", err.msg);
    cr_assert_gt(f.calls, 2, "the probe grew");
    for (int i = 0; i < 4; i++) {
        double rate = 1 / (f.t0 + f.c * (double)d[i]), want = (i + 1) / (4 * f.t0);
        cr_assert(fabs(rate / want - 1) < 0.01, "point %d: rate %g, asked %g", i, rate, want);
    }
}

Test(loaded_controller, a_delay_that_costs_nothing_is_an_error)
{
    fake f = {1e-6, 0, 0, 0};
    uint64_t d[4];
    rl_err err = {0};
    cr_assert_eq(rl_loaded_delays(fake_time, &f, 4, d, &err), -1);
    cr_assert(strstr(err.msg, "delay loop did not slow"), "%s", err.msg);
}

Test(loaded_mix, names_and_ratios)
{
    char why[160];
    cr_assert_eq(rl_loaded_mix_parse("read", why, sizeof why), RL_LOADED_MIX_READ);
    cr_assert_eq(rl_loaded_mix_parse("3:1", why, sizeof why), RL_LOADED_MIX_3_1);
    cr_assert_eq(rl_loaded_mix_parse("6:2", why, sizeof why), RL_LOADED_MIX_3_1, "reduced");
    cr_assert_eq(rl_loaded_mix_parse("2:1", why, sizeof why), RL_LOADED_MIX_2_1);
    cr_assert_eq(rl_loaded_mix_parse("1:1", why, sizeof why), RL_LOADED_MIX_1_1);
    cr_assert_eq(rl_loaded_mix_parse("1:0", why, sizeof why), RL_LOADED_MIX_READ);
    cr_assert_eq(rl_loaded_mix_parse("0:1", why, sizeof why), RL_LOADED_MIX_STREAM_WRITE);
    cr_assert_eq(rl_loaded_mix_parse("stream-write", why, sizeof why), RL_LOADED_MIX_STREAM_WRITE);
    const char *not_ratio[] = {"abc", "3:", ":1", "3/1", "0:0", "3:1:1", "-3:1", "3:x", ""};
    for (size_t i = 0; i < sizeof not_ratio / sizeof not_ratio[0]; i++) {
        cr_assert_eq(rl_loaded_mix_parse(not_ratio[i], why, sizeof why), -1, "%s", not_ratio[i]);
        cr_assert(strstr(why, "not a ratio"), "%s: %s", not_ratio[i], why);
    }
    cr_assert_eq(rl_loaded_mix_parse("5:3", why, sizeof why), -1);
    cr_assert(strstr(why, "cannot make"), "%s", why);
    const char *kernel;
    int nt;
    cr_assert_eq(rl_latency_mix_kernel("2:1", &kernel, &nt), 0);
    cr_assert_str_eq(kernel, "triad");
    cr_assert_eq(nt, 1);
    cr_assert_eq(rl_latency_mix_kernel("5:3", &kernel, &nt), -1);
}

static void add_point(rl_result *r, const char *mix, uint64_t delay, double gbs, double ns)
{
    rl_latency e = rl_latency_blank();
    snprintf(e.kind, sizeof e.kind, "loaded");
    snprintf(e.level, sizeof e.level, "DRAM");
    snprintf(e.mix, sizeof e.mix, "%s", mix);
    e.delay = delay, e.gbs = gbs, e.ns = ns, e.load_threads = 1;
    rl_err err = {0};
    cr_assert_eq(rl_result_add_latency(r, &e, &err), 0);
}

Test(loaded_curve, the_knee_and_the_top_against_the_bandwidth_kernels)
{
    rl_result *r = rl_result_new();
    add_point(r, "read", 4000, 5, 90);
    add_point(r, "read", 1500, 10, 95);
    add_point(r, "read", 500, 15, 120);
    add_point(r, "read", 0, 19, 240);
    add_point(r, "1:1", 0, 12, 300);
    rl_bandwidth b = {0};
    snprintf(b.level, sizeof b.level, "DRAM");
    snprintf(b.kernel, sizeof b.kernel, "load");
    b.threads = 1, b.gbs = 20;
    rl_err err = {0};
    cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
    b.threads = 2, b.gbs = 30;
    cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
    rl_latency_curve c[4];
    cr_assert_eq(rl_latency_curves(r, "cpu", c, 4), 2);
    cr_assert_str_eq(c[0].mix, "read");
    cr_assert_eq(c[0].n, 4);
    cr_assert_float_eq(c[0].top_gbs, 19, 1e-9);
    cr_assert_float_eq(c[0].knee_gbs, 15, 1e-9, "120 ns is under 1.5 x 90, 240 is not");
    cr_assert_float_eq(c[0].idle_ns, 90, 1e-9);
    const rl_bandwidth *ref = rl_latency_curve_reference(r, &c[0]);
    cr_assert_not_null(ref);
    cr_assert_eq(ref->threads, 1, "the same thread count as the traffic");
    cr_assert_eq(c[1].n, 1);
    cr_assert(c[1].knee_gbs < 0, "one point has no knee");
    cr_assert_null(rl_latency_curve_reference(r, &c[1]), "no copy (nt) row to compare with");
    rl_result_free(r);
}

/* Unpinned (no topology): two threads, one chasing and one loading, whatever the machine. */
Test(loaded_run, a_tiny_run_gives_one_row_per_point)
{
    rl_result *r = rl_result_new();
    rl_loaded_opts o = {0};
    o.mixes = 1u << RL_LOADED_MIX_READ;
    o.points = 2;
    o.pages = RL_PAGES_4K;
    o.bytes = 1 << 20;
    o.repeats = 1;
    o.min_time = 0.001;
    o.runnable = RL_ISA_SSE2; /* the sse2 kernels run everywhere */
    rl_err err = {0};
    cr_assert_eq(rl_loaded_run(NULL, &o, r, &err), 0, "%s", err.msg);
    cr_assert_eq(r->n_latency, 2);
    cr_assert_gt(r->latency[0].delay, r->latency[1].delay);
    for (size_t i = 0; i < r->n_latency; i++) {
        cr_assert_gt(r->latency[i].ns, 0);
        cr_assert_gt(r->latency[i].gbs, 0);
        cr_assert_eq(r->latency[i].load_threads, 1);
    }
    rl_result_free(r);
}
