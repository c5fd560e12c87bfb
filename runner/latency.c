/* latency.c: idle memory latency per level and the size sweep (see latency.h). */
#include "runner/latency.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "kernels/chase.h"
#include "result/cache.h"
#include "result/sweep.h"
#include "runner/pages.h"

#define MIB                    ((uint64_t)1 << 20)
#define SWEEP_STEPS_PER_OCTAVE 4
#define SWEEP_FIRST            ((uint64_t)4096)
#define CHECK_CYCLE_UP_TO      ((uint64_t)16 << 20)

rl_lat_opts rl_lat_opts_default(void)
{
    rl_lat_opts o;
    memset(&o, 0, sizeof o);
    o.levels = (1u << RL_BW_L1) | (1u << RL_BW_L2) | (1u << RL_BW_L3) | (1u << RL_BW_DRAM);
    o.pages = (1u << RL_PAGES_4K) | (1u << RL_PAGES_THP);
    o.repeats = 5;
    o.min_time = 0.02;
    return o;
}

/* The last-level cache one core sees: its L3 instance (or L2 when there is no L3), in bytes. */
static uint64_t llc_bytes(const rl_machine *m)
{
    const rl_cache *c = rl_cache_find(m, 3);
    if (!c)
        c = rl_cache_find(m, 2);
    return c ? c->size_bytes : 0;
}

uint64_t rl_lat_level_size(const rl_machine *m, rl_bw_level level, int quick,
                           uint64_t mem_available, char *note, size_t note_size)
{
    char scratch[8], a[32], b[32];
    if (!note)
        note = scratch, note_size = sizeof scratch;
    note[0] = '\0';
    if (level != RL_BW_DRAM)
        return rl_bw_level_size(m, level, 1, mem_available, note, note_size);
    uint64_t llc = llc_bytes(m);
    uint64_t floor = quick ? RL_LAT_DRAM_QUICK_MIN : RL_LAT_DRAM_MIN;
    uint64_t multiple = quick ? 2 : RL_LAT_DRAM_LLC_MULTIPLE;
    uint64_t ws = llc * multiple > floor ? llc * multiple : floor;
    if (mem_available > 0 && ws > mem_available / 4) {
        rl_bytes_format(a, sizeof a, ws);
        rl_bytes_format(b, sizeof b, mem_available);
        ws = mem_available / 4;
        snprintf(note, note_size, "capped by free memory: %s wanted, %s available", a, b);
    }
    ws -= ws % 4096;
    if (llc > 0 && ws > 0) {
        /* A random chase over ws finds at most llc/ws of its lines in the LLC: that share of the
         * steps is an LLC hit, which pulls the figure below DRAM's latency. */
        double share = (double)llc / (double)ws;
        if (share > 0.02)
            rl_run_note_add(note, note_size,
                            "up to %.0f%% of steps may hit the last-level cache (%s in %s)",
                            100 * (share > 1 ? 1 : share), rl_bytes_format(a, sizeof a, llc),
                            rl_bytes_format(b, sizeof b, ws));
    }
    return ws;
}

size_t rl_lat_sweep_sizes(const rl_machine *m, uint64_t mem_available, uint64_t *out, size_t max)
{
    uint64_t top = rl_lat_level_size(m, RL_BW_DRAM, 0, mem_available, NULL, 0);
    size_t n = 0;
    for (int step = 0; n < max; step++) {
        double b = (double)SWEEP_FIRST * pow(2.0, (double)step / SWEEP_STEPS_PER_OCTAVE);
        if (b > (double)top * 1.0001)
            break;
        out[n++] = (uint64_t)b / RL_CHASE_LINE * RL_CHASE_LINE;
    }
    return n;
}

/* ---- one chase ---- */

typedef struct chase_ctx {
    uint64_t bytes;
    rl_pages_kind pages;
    rl_pages mem;
    double huge_share;
    void *at; /* where the chase stopped: the next run goes on from there */
    int failed;
    char msg[256];
} chase_ctx;

/* On the pinned thread: map the set on the page kind asked for, link it (the first touch), and
 * read back how much of it the kernel put on huge pages. */
static int chase_init(void *vctx, int tid, int pu, rl_err *err)
{
    (void)tid, (void)pu;
    chase_ctx *c = vctx;
    if (rl_pages_alloc((size_t)c->bytes, c->pages, &c->mem, err) != 0)
        return -1;
    size_t lines = (size_t)(c->bytes / RL_CHASE_LINE);
    /* A fixed seed per size: reruns chase the same order, and each size its own. */
    if (rl_chase_link(c->mem.mem, lines, 0x726f6f666c696e65ull ^ c->bytes, err) != 0) {
        rl_pages_free(&c->mem);
        return -1;
    }
    /* Sattolo's algorithm makes one cycle by construction (tests/test_latency.c checks it); the
     * walk that checks it again here costs a second measurement's time on a DRAM set, so it runs
     * on cache-sized sets only. The chase is checked to stay inside its set after every run. */
    if (c->bytes <= CHECK_CYCLE_UP_TO && rl_chase_cycle_length(c->mem.mem, lines) != lines) {
        rl_pages_free(&c->mem);
        return rl_err_set(err, RL_EXIT_RUNTIME, "pointer chase: the links are not one cycle");
    }
    c->huge_share = rl_pages_huge_share(&c->mem);
    c->at = c->mem.mem;
    return 0;
}

static void chase_fini(void *vctx, int tid)
{
    (void)tid;
    chase_ctx *c = vctx;
    /* The chase must still be inside the set: a wrong link would have left it. */
    uintptr_t at = (uintptr_t)c->at, base = (uintptr_t)c->mem.mem;
    if (at < base || at >= base + c->bytes || (at - base) % RL_CHASE_LINE != 0) {
        c->failed = 1;
        snprintf(c->msg, sizeof c->msg, "the chase left its set");
    }
    rl_pages_free(&c->mem);
}

static double chase_work(void *vctx, int tid, uint64_t iters)
{
    (void)tid;
    chase_ctx *c = vctx;
    c->at = rl_chase_run(c->at, iters);
    return (double)((uintptr_t)c->at % 1024);
}

int rl_lat_measure(const rl_run_team *team, uint64_t bytes, int pages, const rl_lat_opts *o,
                   const char *label, rl_latency *row, rl_err *err)
{
    chase_ctx c;
    memset(&c, 0, sizeof c);
    c.bytes = bytes / RL_CHASE_LINE * RL_CHASE_LINE;
    c.pages = (rl_pages_kind)pages;
    c.huge_share = -1;
    rl_run_opts ro = rl_run_opts_default();
    ro.repeats = o->repeats;
    ro.min_time = o->min_time;
    /* A first guess of 1 ms at 100 ns a step; the steps are a multiple of the unroll. */
    ro.start_iters = 10000;
    ro.label = label;
    ro.progress = o->progress;
    ro.progress_user = o->progress_user;
    ro.stop = o->stop;
    ro.thread_init = chase_init;
    ro.thread_fini = chase_fini;
    rl_run_stats st;
    memset(&st, 0, sizeof st);
    if (rl_run_timed(team, chase_work, &c, &ro, &st, err) < 0) {
        if (o->stop && *o->stop) {
            rl_err_clear(err);
            return 1;
        }
        return rl_err_prefix(err, "%s", label);
    }
    if (c.failed) {
        rl_run_stats_free(&st);
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: %s", label, c.msg);
    }
    /* rl_chase_run rounds the steps up to the unroll: count what ran. */
    double steps = (double)((st.iters + RL_CHASE_UNROLL - 1) / RL_CHASE_UNROLL * RL_CHASE_UNROLL);
    row->bytes = c.bytes;
    snprintf(row->pages, sizeof row->pages, "%s", rl_pages_name(c.pages));
    row->huge_share = c.huge_share;
    row->ns = st.best_secs / steps * 1e9;
    row->ns_median = st.median_secs / steps * 1e9;
    row->ns_max = st.worst_secs / steps * 1e9;
    row->repeats = st.repeats;
    rl_run_note_noise(&st, row->note, sizeof row->note);
    if (st.stopped)
        rl_run_note_add(row->note, sizeof row->note, "interrupted after %d of %d repeats",
                        st.repeats, o->repeats);
    int stopped = st.stopped;
    rl_run_stats_free(&st);
    return stopped;
}

/* ---- the plan ---- */

static void set_cycles(const rl_result *r, rl_latency *row)
{
    double ghz = r->machine.measured_ghz;
    row->clock_ghz = ghz > 0 ? ghz : -1;
    row->cycles = ghz > 0 && row->ns > 0 ? row->ns * ghz : -1;
}

/* One figure per page kind of the plan; a kind the system refuses is warned about once. */
static int measure_pages(const rl_run_team *team, const rl_lat_opts *o, const char *kind,
                         const char *level, uint64_t bytes, const char *note, unsigned *refused,
                         rl_result *r, rl_err *err)
{
    for (int pg = 0; pg < RL_PAGES_KINDS_; pg++) {
        if (!(o->pages & (1u << pg)) || (*refused & (1u << pg)))
            continue;
        char label[96], ws[32];
        snprintf(label, sizeof label, "latency %s, %s, %s pages", level,
                 rl_bytes_format(ws, sizeof ws, bytes), rl_pages_name((rl_pages_kind)pg));
        rl_latency row = rl_latency_blank();
        snprintf(row.kind, sizeof row.kind, "%s", kind);
        snprintf(row.level, sizeof row.level, "%s", level);
        if (note && *note)
            snprintf(row.note, sizeof row.note, "%s", note);
        int rc = rl_lat_measure(team, bytes, pg, o, label, &row, err);
        if (rc < 0 && pg == RL_PAGES_1G && !(o->stop && *o->stop)) {
            /* No 1 GiB pages here: said once, the other kinds go on. */
            *refused |= 1u << pg;
            int w = rl_result_add_warning(r, err, "latency: %s", err->msg);
            rl_err_clear(err);
            if (w < 0)
                return -1;
            continue;
        }
        if (rc != 0)
            return rc;
        set_cycles(r, &row);
        if (row.huge_share >= 0 && pg == RL_PAGES_THP && row.huge_share < 0.9)
            rl_run_note_add(row.note, sizeof row.note,
                            "transparent huge pages asked for, %.0f%% granted",
                            100 * row.huge_share);
        if (rl_result_add_latency(r, &row, err) < 0)
            return -1;
    }
    return 0;
}

int rl_lat_run(const rl_topology *topo, const rl_lat_opts *o, rl_result *r, rl_err *err)
{
    rl_run_team *team = NULL;
    if (rl_run_team_new(topo, 1, 0, 0, &team, err) < 0)
        return -1;
    unsigned refused = 0;
    int rc = 0;
    char note[256];
    if (o->sweep) {
        uint64_t sizes[RL_SWEEP_MAX_POINTS];
        size_t n = rl_lat_sweep_sizes(&r->machine, o->mem_available, sizes, RL_SWEEP_MAX_POINTS);
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = measure_pages(team, o, "sweep", "sweep", sizes[i], "", &refused, r, err);
    } else if (o->size > 0) {
        rl_bw_level lv = rl_bw_classify(&r->machine, o->size, 1);
        rc = measure_pages(team, o, "idle", rl_bw_level_name(lv), o->size,
                           "working set from --size", &refused, r, err);
    } else {
        for (int lv = 0; lv < RL_BW_LEVELS_ && rc == 0; lv++) {
            if (!(o->levels & (1u << lv)))
                continue;
            uint64_t ws = rl_lat_level_size(&r->machine, (rl_bw_level)lv, o->quick,
                                            o->mem_available, note, sizeof note);
            if (ws == 0) {
                if (rl_result_add_warning(r, err, "latency: no %s on this machine: not measured",
                                          rl_bw_level_name((rl_bw_level)lv)) < 0)
                    rc = -1;
                continue;
            }
            rc = measure_pages(team, o, "idle", rl_bw_level_name((rl_bw_level)lv), ws, note,
                               &refused, r, err);
        }
    }
    rl_run_team_free(team);
    if (rc > 0)
        r->meta.partial = 1;
    return rc < 0 ? -1 : 0;
}
