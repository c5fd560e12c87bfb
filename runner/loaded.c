/* loaded.c: loaded latency (see loaded.h). */
#include "runner/loaded.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/bytes.h"
#include "kernels/chase.h"
#include "kernels/delay.h"
#include "kernels/stream.h"
#include "result/latency.h"
#include "runner/pages.h"

#define MIB             ((uint64_t)1 << 20)
#define PROBE_DELAY     4096
#define MAX_PROBE_DELAY (1u << 24)
#define TRAFFIC_SET     (64 * MIB) /* per traffic thread, all its arrays: far beyond any LLC share */
#define CALIBRATE_STEP  20000      /* chase steps while the controller times a block */
#define MAX_CALLS       64

static const char *const mix_names[RL_LOADED_MIXES_] = {"read", "3:1", "2:1", "1:1",
                                                        "stream-write"};

const char *rl_loaded_mix_name(int mix)
{
    return mix >= 0 && mix < RL_LOADED_MIXES_ ? mix_names[mix] : "?";
}

static unsigned long gcd(unsigned long a, unsigned long b)
{
    while (b) {
        unsigned long t = a % b;
        a = b, b = t;
    }
    return a;
}

int rl_loaded_mix_parse(const char *s, char *why, size_t why_size)
{
    for (int i = 0; i < RL_LOADED_MIXES_; i++)
        if (strcmp(s, mix_names[i]) == 0)
            return i;
    char *end;
    const char *colon = strchr(s, ':');
    unsigned long rd = 0, wr = 0;
    int ok = colon && s[0] >= '0' && s[0] <= '9' && colon[1] >= '0' && colon[1] <= '9';
    if (ok) {
        rd = strtoul(s, &end, 10);
        ok = end == colon;
        wr = strtoul(colon + 1, &end, 10);
        ok = ok && *end == '\0' && (rd || wr) && rd < 1000000 && wr < 1000000;
    }
    if (!ok) {
        snprintf(why, why_size, "'%s' is not a ratio READS:WRITES (e.g. 3:1) nor a mix name", s);
        return -1;
    }
    unsigned long g = gcd(rd, wr);
    rd /= g, wr /= g;
    if (wr == 0)
        return RL_LOADED_MIX_READ;
    if (rd == 0)
        return RL_LOADED_MIX_STREAM_WRITE;
    if (wr == 1 && rd >= 1 && rd <= 3)
        return rd == 3 ? RL_LOADED_MIX_3_1 : rd == 2 ? RL_LOADED_MIX_2_1 : RL_LOADED_MIX_1_1;
    snprintf(why, why_size,
             "'%s' is a ratio the traffic kernels cannot make (read, 3:1, 2:1, 1:1, "
             "stream-write = 0:1)",
             s);
    return -1;
}

int rl_loaded_delays(rl_loaded_time_fn time_fn, void *user, int n, uint64_t *delays, rl_err *err)
{
    double t0 = time_fn(user, 0, err);
    if (t0 < 0)
        return -1;
    /* The probe delay grows until a block takes at least twice as long as at delay 0: a
     * difference that small beside a noisy t0 would give any slope. */
    uint64_t probe = PROBE_DELAY;
    double t1;
    for (;;) {
        t1 = time_fn(user, probe, err);
        if (t1 < 0)
            return -1;
        if (t1 >= 2 * t0 || probe >= MAX_PROBE_DELAY)
            break;
        probe *= 4;
    }
    double c = (t1 - t0) / (double)probe;
    if (!(c > 0) || !(t0 > 0))
        return rl_err_set(err, RL_EXIT_RUNTIME,
                          "loaded latency: the delay loop did not slow the traffic (a block took "
                          "%.3g s at delay 0, %.3g s at delay %llu)",
                          t0, t1, (unsigned long long)probe);
    /* Rate k/n of the top rate: a block every t0 x n/k seconds, so delay = t0 (n/k - 1) / c. */
    for (int k = 1; k <= n; k++) {
        double d = t0 * ((double)n / k - 1) / c;
        uint64_t v = k == n ? 0 : (uint64_t)(d + 0.5);
        /* Strictly falling, whatever the rounding did: a higher rate never gets a longer delay. */
        if (k > 1 && v >= delays[k - 2])
            v = delays[k - 2] > 0 ? delays[k - 2] - 1 : 0;
        delays[k - 1] = v;
    }
    return 0;
}

/* ---- the run ---- */

typedef struct traffic {
    void *mem;
    rl_stream_args x;
    size_t n, off; /* elements per array; the next block's first element */
    double bytes, secs;
    uint64_t calls;
} traffic;

typedef struct chaser {
    rl_pages mem;
    void *at;
    double huge_share;
    uint64_t calls;
    uint64_t iters[MAX_CALLS];
    double secs[MAX_CALLS];
} chaser;

typedef struct load_ctx {
    const rl_stream_kernel *k;
    uint64_t delay;
    uint64_t bytes; /* the chase's set */
    int pages;
    int fixed_steps; /* > 0: the chaser does this many whatever iters says (the controller) */
    chaser ch;
    traffic *tr;               /* [threads]; tr[0] unused */
    atomic_uint_fast64_t done; /* the chaser's finished calls */
} load_ctx;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int load_init(void *vctx, int tid, int pu, rl_err *err)
{
    (void)pu;
    load_ctx *c = vctx;
    if (tid == 0) {
        if (c->ch.mem.mem)
            return 0; /* kept across the points of a curve */
        if (rl_pages_alloc((size_t)c->bytes, (rl_pages_kind)c->pages, &c->ch.mem, err) != 0)
            return -1;
        size_t lines = (size_t)(c->bytes / RL_CHASE_LINE);
        if (rl_chase_link(c->ch.mem.mem, lines, 0x6c6f61646564ull ^ c->bytes, err) != 0)
            return -1;
        c->ch.huge_share = rl_pages_huge_share(&c->ch.mem);
        c->ch.at = c->ch.mem.mem;
        return 0;
    }
    traffic *t = &c->tr[tid];
    if (!t->mem) {
        /* Four arrays whatever the kernel uses, first-touched here (this core's node). */
        size_t per = (size_t)(TRAFFIC_SET / 4) / RL_STREAM_ALIGN * RL_STREAM_ALIGN;
        if (posix_memalign(&t->mem, 2 * MIB, per * 4) != 0)
            return rl_err_set(err, RL_EXIT_RUNTIME, "traffic thread %d: out of memory", tid);
        t->n = per / sizeof(double) / RL_LOADED_BLOCK * RL_LOADED_BLOCK;
        double *p = t->mem;
        t->x = (rl_stream_args){p,
                                p + per / sizeof(double),
                                p + 2 * (per / sizeof(double)),
                                p + 3 * (per / sizeof(double)),
                                t->n,
                                RL_STREAM_SCALAR,
                                1};
        rl_stream_init(RL_STREAM_TRIAD4, &t->x); /* every array written: all four touched */
        rl_stream_init(RL_STREAM_COPY, &t->x);
    }
    t->off = 0;
    return 0;
}

static double load_work(void *vctx, int tid, uint64_t iters)
{
    load_ctx *c = vctx;
    if (tid == 0) {
        uint64_t steps = c->fixed_steps > 0 ? (uint64_t)c->fixed_steps : iters;
        double t = now();
        c->ch.at = rl_chase_run(c->ch.at, steps);
        t = now() - t;
        uint64_t call = c->ch.calls++;
        c->ch.iters[call % MAX_CALLS] = steps;
        c->ch.secs[call % MAX_CALLS] = t;
        atomic_store(&c->done, call + 1);
        return (double)((uintptr_t)c->ch.at % 1024);
    }
    traffic *t = &c->tr[tid];
    uint64_t call = ++t->calls;
    rl_stream_args x = t->x;
    x.n = RL_LOADED_BLOCK;
    x.reps = 1;
    double per_block =
        (double)RL_LOADED_BLOCK * sizeof(double) * (c->k->words_loaded + c->k->words_stored);
    double start = now(), sum = 0, blocks = 0;
    /* Until the chaser has finished this call (each thread counts its own calls, so a traffic
     * thread that starts late still stops at the right one), and at least one block. */
    do {
        x.a = t->x.a + t->off, x.b = t->x.b + t->off;
        x.c = t->x.c + t->off, x.d = t->x.d + t->off;
        sum += c->k->run(&x);
        blocks++;
        t->off = t->off + RL_LOADED_BLOCK >= t->n ? 0 : t->off + RL_LOADED_BLOCK;
        if (c->delay)
            sum += (double)(rl_delay_spin(c->delay) & 1);
    } while (atomic_load(&c->done) < call);
    t->secs += now() - start;
    t->bytes += blocks * per_block;
    return sum;
}

static void reset_counts(load_ctx *c, int threads)
{
    for (int t = 1; t < threads; t++)
        c->tr[t].bytes = c->tr[t].secs = 0, c->tr[t].calls = 0;
    c->ch.calls = 0;
    atomic_store(&c->done, 0);
}

typedef struct point {
    double ns, ns_median, ns_max, gbs;
    int repeats, stopped;
} point;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One run at c->delay: the chaser's ns per step over the calls of the calibrated length, the
 * traffic's GB/s summed over its threads. Returns 0, 1 when stopped, -1. */
static int run_point(const rl_run_team *team, load_ctx *c, const rl_loaded_opts *o,
                     const char *label, uint64_t fixed_iters, point *pt, rl_err *err)
{
    int threads = rl_run_team_size(team);
    reset_counts(c, threads);
    rl_run_opts ro = rl_run_opts_default();
    ro.repeats = fixed_iters ? 1 : o->repeats;
    ro.min_time = o->min_time;
    ro.start_iters = 10000;
    ro.fixed_iters = fixed_iters;
    ro.label = label;
    ro.progress = o->progress;
    ro.progress_user = o->progress_user;
    ro.stop = o->stop;
    ro.thread_init = load_init;
    rl_run_stats st;
    memset(&st, 0, sizeof st);
    if (rl_run_timed(team, load_work, c, &ro, &st, err) < 0) {
        if (o->stop && *o->stop) {
            rl_err_clear(err);
            return 1;
        }
        return rl_err_prefix(err, "%s", label);
    }
    double ns[MAX_CALLS];
    int n = 0;
    uint64_t calls = c->ch.calls < MAX_CALLS ? c->ch.calls : MAX_CALLS;
    for (uint64_t i = 0; i < calls; i++)
        if (c->ch.iters[i] == (c->fixed_steps > 0 ? (uint64_t)c->fixed_steps : st.iters) &&
            c->ch.secs[i] > 0)
            ns[n++] = c->ch.secs[i] / (double)c->ch.iters[i] * 1e9;
    qsort(ns, (size_t)n, sizeof ns[0], cmp_double);
    pt->ns = n ? ns[0] : -1;
    pt->ns_median = n ? ns[n / 2] : -1;
    pt->ns_max = n ? ns[n - 1] : -1;
    pt->gbs = 0;
    for (int t = 1; t < threads; t++)
        if (c->tr[t].secs > 0)
            pt->gbs += c->tr[t].bytes / c->tr[t].secs / 1e9;
    pt->repeats = st.repeats;
    pt->stopped = st.stopped;
    rl_run_stats_free(&st);
    return pt->stopped;
}

/* The controller's clock on the real machine: one short run at `delay`, the chaser doing a fixed
 * number of steps, and the traffic threads' seconds per block. */
typedef struct timing {
    const rl_run_team *team;
    load_ctx *c;
    const rl_loaded_opts *o;
} timing;

static double time_block(void *user, uint64_t delay, rl_err *err)
{
    timing *tm = user;
    tm->c->delay = delay;
    tm->c->fixed_steps = CALIBRATE_STEP;
    point pt;
    rl_loaded_opts quiet = *tm->o;
    quiet.progress = NULL;
    int rc = run_point(tm->team, tm->c, &quiet, "loaded latency: calibrating", 1, &pt, err);
    tm->c->fixed_steps = 0;
    if (rc != 0)
        return rc > 0 ? rl_err_set(err, RL_EXIT_RUNTIME, "interrupted") : -1;
    int threads = rl_run_team_size(tm->team);
    double per_block = (double)RL_LOADED_BLOCK * sizeof(double) *
                       (tm->c->k->words_loaded + tm->c->k->words_stored);
    double secs = 0, blocks = 0;
    for (int t = 1; t < threads; t++)
        secs += tm->c->tr[t].secs, blocks += tm->c->tr[t].bytes / per_block;
    return blocks > 0 ? secs / blocks : rl_err_set(err, RL_EXIT_RUNTIME, "no traffic block ran");
}

static void free_ctx(load_ctx *c, int threads)
{
    rl_pages_free(&c->ch.mem);
    for (int t = 1; t < threads && c->tr; t++)
        free(c->tr[t].mem);
    free(c->tr);
}

static int run_mix(const rl_run_team *team, load_ctx *c, const rl_loaded_opts *o, int mix,
                   rl_result *r, rl_err *err)
{
    const char *kname;
    int nt;
    rl_latency_mix_kernel(rl_loaded_mix_name(mix), &kname, &nt);
    int kind = rl_stream_kind_from_name(kname);
    c->k = rl_stream_pick((rl_stream_kind)kind, nt, o->runnable, NULL);
    if (!c->k)
        return rl_err_set(err, RL_EXIT_USAGE, "--mix %s: no %s%s kernel runs on this CPU",
                          rl_loaded_mix_name(mix), kname, nt ? " non-temporal" : "");
    uint64_t delays[64];
    int points = o->points < 1 ? 1 : o->points > 64 ? 64 : o->points;
    timing tm = {team, c, o};
    if (rl_loaded_delays(time_block, &tm, points, delays, err) != 0)
        return o->stop && *o->stop ? 1 : -1;
    int threads = rl_run_team_size(team);
    for (int i = 0; i < points; i++) {
        char label[96];
        snprintf(label, sizeof label, "loaded latency, %s, delay %llu", rl_loaded_mix_name(mix),
                 (unsigned long long)delays[i]);
        c->delay = delays[i];
        point pt;
        int rc = run_point(team, c, o, label, 0, &pt, err);
        if (rc < 0)
            return -1;
        if (rc > 0 && pt.repeats == 0)
            return 1;
        rl_latency row = rl_latency_blank();
        snprintf(row.kind, sizeof row.kind, "loaded");
        snprintf(row.level, sizeof row.level, "DRAM");
        snprintf(row.pages, sizeof row.pages, "%s", rl_pages_name((rl_pages_kind)c->pages));
        snprintf(row.mix, sizeof row.mix, "%s", rl_loaded_mix_name(mix));
        row.huge_share = c->ch.huge_share;
        row.bytes = c->bytes;
        row.ns = pt.ns, row.ns_median = pt.ns_median, row.ns_max = pt.ns_max;
        row.repeats = pt.repeats;
        row.load_threads = threads - 1;
        row.delay = delays[i];
        row.gbs = pt.gbs;
        double ghz = r->machine.measured_ghz;
        row.clock_ghz = ghz > 0 ? ghz : -1;
        row.cycles = ghz > 0 && row.ns > 0 ? row.ns * ghz : -1;
        snprintf(row.note, sizeof row.note, "traffic: %s, %d thread%s", c->k->name, threads - 1,
                 threads == 2 ? "" : "s");
        if (rl_result_add_latency(r, &row, err) < 0)
            return -1;
        if (rc > 0)
            return 1;
    }
    return 0;
}

int rl_loaded_run(const rl_topology *topo, const rl_loaded_opts *o, rl_result *r, rl_err *err)
{
    int cores = topo ? rl_topology_cores(topo) : 2;
    if (cores < 2)
        return rl_result_add_warning(r, err,
                                     "loaded latency: one core, none left to make traffic: "
                                     "not measured") < 0
                   ? -1
                   : 0;
    rl_run_team *team = NULL;
    if (rl_run_team_new(topo, cores, 0, 0, &team, err) < 0)
        return -1;
    load_ctx c;
    memset(&c, 0, sizeof c);
    c.bytes = o->bytes / RL_CHASE_LINE * RL_CHASE_LINE;
    c.pages = o->pages;
    atomic_init(&c.done, 0);
    c.tr = calloc((size_t)cores, sizeof *c.tr);
    int rc = c.tr ? 0 : rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    for (int mix = 0; mix < RL_LOADED_MIXES_ && rc == 0; mix++)
        if (o->mixes & (1u << mix))
            rc = run_mix(team, &c, o, mix, r, err);
    free_ctx(&c, cores);
    rl_run_team_free(team);
    if (rc > 0)
        r->meta.partial = 1;
    return rc < 0 ? -1 : 0;
}
