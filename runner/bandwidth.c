/* bandwidth.c: bandwidth per cache level and DRAM (see bandwidth.h). */
#include "runner/bandwidth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "common/bytes.h"
#include "kernels/stream.h"
#include "result/cache.h"
#include "result/sweep.h"

#define MIB                    ((uint64_t)1 << 20)
#define PAGE                   ((uint64_t)4096)
#define DRAM_LLC_MULTIPLE      4
#define DRAM_MIN_TOTAL         (64 * MIB)
#define SWEEP_STEPS_PER_OCTAVE 4

static const char *const level_names[RL_BW_LEVELS_] = {"L1", "L2", "L3", "DRAM"};

const char *rl_bw_level_name(rl_bw_level level)
{
    return (unsigned)level < RL_BW_LEVELS_ ? level_names[level] : "?";
}

int rl_bw_level_from_name(const char *name)
{
    for (int i = 0; i < RL_BW_LEVELS_; i++)
        if (strcasecmp(name, level_names[i]) == 0)
            return i;
    return -1;
}

/* ---- sizing ---- */

static uint64_t page_floor(uint64_t b)
{
    b -= b % PAGE;
    return b < PAGE ? PAGE : b;
}

uint64_t rl_bw_level_size(const rl_machine *m, rl_bw_level level, int threads,
                          uint64_t mem_available, char *note, size_t note_size)
{
    char a[32], b[32];
    char scratch[8];
    if (!note)
        note = scratch, note_size = sizeof scratch;
    note[0] = '\0';
    if (threads < 1)
        threads = 1;
    uint64_t l1 = rl_cache_size(m, 1), l2 = rl_cache_size(m, 2);
    const rl_cache *c3 = rl_cache_find(m, 3);
    switch (level) {
    case RL_BW_L1:
        return l1 ? page_floor(l1 / 2) : 0;
    case RL_BW_L2: {
        if (!l2)
            return 0;
        uint64_t ws = l2 / 2;
        if (ws < 2 * l1) {
            ws = (l1 + l2) / 2;
            snprintf(note, note_size, "L2 is under 4x L1: working set halfway between");
        }
        return page_floor(ws);
    }
    case RL_BW_L3: {
        if (!c3)
            return 0;
        int sharing = c3->cores_sharing > 0 ? c3->cores_sharing : 1;
        uint64_t ws = c3->size_bytes / (uint64_t)sharing / 2;
        uint64_t floor2 = 2 * l2;
        if (ws < floor2) {
            /* This group's L3 share plus its L2 (non-inclusive L3) is what the thread can hold. */
            uint64_t hold =
                c3->size_bytes / (uint64_t)rl_cache_threads_per_instance(c3, threads) + l2;
            uint64_t raised = floor2 < hold / 4 * 3 ? floor2 : hold / 4 * 3;
            rl_bytes_format(a, sizeof a, ws);
            rl_bytes_format(b, sizeof b, page_floor(raised > ws ? raised : ws));
            snprintf(note, note_size, "half the L3 share per core (%s) is under 2x L2: using %s%s",
                     a, b, raised < floor2 ? ", partly L2 hits" : "");
            if (raised > ws)
                ws = raised;
        }
        return page_floor(ws);
    }
    case RL_BW_DRAM: {
        const rl_cache *llc = c3 ? c3 : rl_cache_find(m, 2);
        if (!llc)
            llc = rl_cache_find(m, 1);
        uint64_t total = DRAM_MIN_TOTAL;
        if (llc) {
            uint64_t inst = llc->instances > 0 ? (uint64_t)llc->instances : 1;
            uint64_t want = DRAM_LLC_MULTIPLE * llc->size_bytes * inst;
            if (want > total)
                total = want;
        }
        uint64_t per = total / (uint64_t)threads;
        if (mem_available > 0 && per * (uint64_t)threads > mem_available / 2) {
            uint64_t capped = mem_available / 2 / (uint64_t)threads;
            rl_bytes_format(a, sizeof a, per * (uint64_t)threads);
            rl_bytes_format(b, sizeof b, mem_available);
            snprintf(note, note_size, "capped by free memory: %s wanted, %s available", a, b);
            per = capped;
        }
        return page_floor(per);
    }
    default:
        return 0;
    }
}

rl_bw_level rl_bw_classify(const rl_machine *m, uint64_t bytes, int threads)
{
    uint64_t l1 = rl_cache_size(m, 1), l2 = rl_cache_size(m, 2);
    const rl_cache *c3 = rl_cache_find(m, 3);
    if (l1 && bytes <= l1)
        return RL_BW_L1;
    if (l2 && bytes <= l2)
        return RL_BW_L2;
    if (c3) {
        int on_one = rl_cache_threads_per_instance(c3, threads < 1 ? 1 : threads);
        if (bytes <= c3->size_bytes / (uint64_t)on_one + l2)
            return RL_BW_L3;
    }
    return RL_BW_DRAM;
}

/* ---- running ---- */

_Static_assert((int)RL_BW_KIND_LOAD == (int)RL_STREAM_LOAD &&
                   (int)RL_BW_KIND_STORE == (int)RL_STREAM_STORE &&
                   (int)RL_BW_KIND_COPY == (int)RL_STREAM_COPY &&
                   (int)RL_BW_KIND_SCALE == (int)RL_STREAM_SCALE &&
                   (int)RL_BW_KIND_ADD == (int)RL_STREAM_ADD &&
                   (int)RL_BW_KIND_TRIAD == (int)RL_STREAM_TRIAD &&
                   (int)RL_BW_KIND_TRIAD4 == (int)RL_STREAM_TRIAD4 &&
                   (int)RL_BW_KINDS_ == (int)RL_STREAM_KINDS_,
               "RL_BW_KIND_* must number the kinds as rl_stream_kind does");

const char *rl_bw_kind_name(int kind)
{
    return rl_stream_kind_name((rl_stream_kind)kind);
}

int rl_bw_kind_from_name(const char *name)
{
    return rl_stream_kind_from_name(name);
}

int rl_bw_kind_runnable(int kind, rl_isa_mask runnable, const char *isa)
{
    if (kind < 0 || kind >= RL_BW_KINDS_)
        return 0;
    return rl_stream_pick((rl_stream_kind)kind, 0, runnable, isa) != NULL;
}

rl_bw_opts rl_bw_opts_default(void)
{
    rl_bw_opts o;
    memset(&o, 0, sizeof o);
    o.levels = (1u << RL_BW_L1) | (1u << RL_BW_L2) | (1u << RL_BW_L3) | (1u << RL_BW_DRAM);
    o.kinds = (1u << RL_STREAM_LOAD) | (1u << RL_STREAM_COPY) | (1u << RL_STREAM_TRIAD);
    o.nt_mode = RL_BW_NT_DRAM;
    o.repeats = 5;
    o.min_time = 0.03;
    return o;
}

typedef struct slot {
    void *mem;
    size_t mem_bytes;
    rl_stream_args x;
    uint64_t bad_sums;
    double bad_value;
    int failed;
    char msg[256];
} slot;

typedef struct measure_ctx {
    const rl_stream_kernel *k;
    size_t n; /* elements per array */
    double expected;
    slot *slots;
} measure_ctx;

static size_t round_up(size_t x, size_t to)
{
    return (x + to - 1) / to * to;
}

/* On the pinned thread: allocate this thread's arrays and first-touch them (NUMA-local).
 *
 * Layout: the output array first, the inputs after it, each starting IN_STAGGER bytes further
 * into its 4 KiB page. A load whose address matches an older in-flight store in bits 11:0 waits
 * for it (4K aliasing); with the output below every input in page phase, the older store a load
 * of input[i] aliases is output[i - (4096 - m * IN_STAGGER) / 8], hundreds of elements back and
 * long retired, never a recent one. */
#define IN_STAGGER 512
static int thread_init(void *vctx, int tid, int pu, rl_err *err)
{
    (void)pu;
    measure_ctx *c = vctx;
    slot *s = &c->slots[tid];
    int arrays = c->k->arrays;
    size_t stride = round_up(c->n * sizeof(double), PAGE) + IN_STAGGER;
    size_t total = stride * (size_t)arrays;
    size_t align = total >= 4 * MIB ? 2 * MIB : PAGE;
    if (s->mem) { /* a later kernel of an ISA trial: the same arrays, refilled */
        s->bad_sums = 0, s->failed = 0, s->msg[0] = '\0';
        rl_stream_init(c->k->kind, &s->x);
        return 0;
    }
    memset(s, 0, sizeof *s);
    if (posix_memalign(&s->mem, align, round_up(total, align)) != 0) {
        char w[32];
        rl_bytes_format(w, sizeof w, total);
        return rl_err_set(err, RL_EXIT_RUNTIME, "thread %d: cannot allocate %s of arrays", tid, w);
    }
    s->mem_bytes = round_up(total, align);
#ifdef MADV_HUGEPAGE
    if (align > PAGE)
        madvise(s->mem, s->mem_bytes, MADV_HUGEPAGE); /* fewer TLB misses; a hint only */
#endif
    double *p[4] = {NULL, NULL, NULL, NULL};
    for (int a = 0; a < arrays; a++)
        p[a] = (double *)((char *)s->mem + (size_t)a * stride);
    /* p[0] is the output (the only array of load and store), then the inputs. */
    size_t n = c->n;
    switch (c->k->kind) {
    case RL_STREAM_COPY: /* c = a */
        s->x = (rl_stream_args){p[1], NULL, p[0], NULL, n, RL_STREAM_SCALAR, 1};
        break;
    case RL_STREAM_SCALE: /* b = s*c */
        s->x = (rl_stream_args){NULL, p[0], p[1], NULL, n, RL_STREAM_SCALAR, 1};
        break;
    case RL_STREAM_ADD: /* c = a + b */
        s->x = (rl_stream_args){p[1], p[2], p[0], NULL, n, RL_STREAM_SCALAR, 1};
        break;
    default: /* load, store: a; triad a = b + s*c; triad4 a = b*c + d */
        s->x = (rl_stream_args){p[0], p[1], p[2], p[3], n, RL_STREAM_SCALAR, 1};
        break;
    }
    rl_stream_init(c->k->kind, &s->x);
    return 0;
}

static void thread_fini(void *vctx, int tid)
{
    measure_ctx *c = vctx;
    slot *s = &c->slots[tid];
    if (s->bad_sums > 0) {
        s->failed = 1;
        snprintf(s->msg, sizeof s->msg, "kernel %s failed its check: sum %g, expected %g",
                 c->k->name, s->bad_value, c->expected);
    } else {
        rl_err e = {0};
        if (rl_stream_verify(c->k, &s->x, &e) < 0) {
            s->failed = 1;
            snprintf(s->msg, sizeof s->msg, "%.255s", e.msg);
        }
    }
}

/* The arrays stay allocated across the ISA trials and the full run (one first touch, not one per
 * ISA: at DRAM sizes the page faults cost more than the trial); freed here once. */
static void free_slots(slot *slots, int threads)
{
    for (int t = 0; t < threads; t++)
        free(slots[t].mem);
    free(slots);
}

/* One timed run: `iters` passes in one call (the kernel's own outer loop), so a 16 KiB array does
 * not pay a function call per pass. The load kernel's sum is checked after every run. */
static double work(void *vctx, int tid, uint64_t iters)
{
    measure_ctx *c = vctx;
    slot *s = &c->slots[tid];
    s->x.reps = (size_t)iters;
    double r = c->k->run(&s->x);
    if (c->k->kind == RL_STREAM_LOAD && r != c->expected * (double)iters)
        s->bad_sums++, s->bad_value = r / (double)iters;
    return r;
}

typedef struct measure {
    const char *level; /* "L1", ..., "sweep" */
    const char *level_note;
    uint64_t ws; /* requested working set per thread */
    int nt;
    rl_stream_kind kind;
} measure;

int rl_bw_choose(const rl_stream_kernel *const *cands, int n, rl_bw_trial_fn trial, void *user,
                 double *gbs, rl_err *err)
{
    int best = -1;
    for (int i = 0; i < n; i++) {
        int rc = trial(user, cands[i], &gbs[i], err);
        if (rc != 0)
            return rc < 0 ? -1 : -2;
        /* Strictly faster only: a tie keeps the earlier (narrower) ISA. */
        if (best < 0 || gbs[i] > gbs[best])
            best = i;
    }
    return best;
}

/* Every kernel of `kind` and store kind that this CPU runs, one per ISA, narrowest first (the
 * registry's order); at most `max`. */
static int runnable_kernels(rl_stream_kind kind, int nt, rl_isa_mask runnable,
                            const rl_stream_kernel **out, int max)
{
    int n = 0;
    for (size_t i = 0, count = rl_stream_count(); i < count && n < max; i++) {
        const rl_stream_kernel *k = rl_stream_at(i);
        if (k->kind != kind || (k->words_stored > 0 && k->nt_stores != !!nt))
            continue;
        if ((k->requires & runnable) == k->requires)
            out[n++] = k;
    }
    return n;
}

/* One calibrated (or, with fixed_iters > 0, fixed-length) timed run of c->k over the arrays of
 * `c` (allocated by the first run, kept). Returns 0 with `st` filled, 1 when stopped, -1 with err.
 */
static int timed_run(const rl_run_team *team, const rl_bw_opts *o, measure_ctx *c,
                     const char *label, int repeats, double min_time, uint64_t start_iters,
                     uint64_t fixed_iters, rl_run_stats *st, rl_err *err)
{
    int threads = rl_run_team_size(team);
    rl_run_opts ro = rl_run_opts_default();
    ro.fixed_iters = fixed_iters;
    ro.repeats = repeats;
    ro.min_time = min_time;
    ro.start_iters = start_iters < 1 ? 1 : start_iters;
    ro.label = label;
    ro.progress = o->progress;
    ro.progress_user = o->progress_user;
    ro.stop = o->stop;
    ro.thread_init = thread_init;
    ro.thread_fini = thread_fini;
    memset(st, 0, sizeof *st);
    if (rl_run_timed(team, work, c, &ro, st, err) < 0) {
        if (o->stop && *o->stop) {
            rl_err_clear(err);
            return 1;
        }
        return rl_err_prefix(err, "%s", label);
    }
    for (int t = 0; t < threads; t++) {
        if (c->slots[t].failed) {
            rl_err_set(err, RL_EXIT_RUNTIME, "%s: thread %d: %s", label, t, c->slots[t].msg);
            rl_run_stats_free(st);
            return -1;
        }
    }
    return 0;
}

/* The ISA trial: each candidate kernel for a short run over the same arrays. */
typedef struct trial_ctx {
    const rl_run_team *team;
    const rl_bw_opts *o;
    measure_ctx *c;
    const char *label;
    uint64_t start_iters;
    uint64_t iters; /* the first trial's calibrated iterations (0 before it): the others' length
                       and the full run's first guess */
} trial_ctx;

#define TRIAL_TIME_SHARE 4 /* a trial repeat runs a quarter of a full one */

static int trial_one(void *user, const rl_stream_kernel *k, double *gbs, rl_err *err)
{
    trial_ctx *t = user;
    t->c->k = k;
    char label[128];
    snprintf(label, sizeof label, "%s, %s trial", t->label, k->isa);
    rl_run_stats st;
    /* The first ISA calibrates; the others run as many passes (same work, no calibration). */
    int rc = timed_run(t->team, t->o, t->c, label, 2, t->o->min_time / TRIAL_TIME_SHARE,
                       t->start_iters, t->iters, &st, err);
    if (rc != 0)
        return rc;
    double counted = (double)t->c->n * sizeof(double) * (k->words_loaded + k->words_stored);
    *gbs = counted * (double)st.iters / st.best_secs / 1e9;
    t->iters = st.iters;
    rl_run_stats_free(&st);
    return 0;
}

/* Runs one figure; returns 1 when stopped before finishing, 0 when done, -1 on error.
 *
 * Without --isa, every ISA this CPU runs the kernel in is tried for a short run over the same
 * arrays and the fastest is measured in full: the widest is not always the fastest (Zen 4's L3
 * streams faster with AVX2 than with AVX-512). With one ISA (--isa, a sweep's many points, or a
 * CPU with one) there is no trial. */
static int measure_one(const rl_topology *topo, const rl_run_team *team, const rl_bw_opts *o,
                       const measure *ms, rl_result *r, rl_err *err)
{
    enum { MAX_CANDS = 8 };
    int threads = rl_run_team_size(team);
    const rl_stream_kernel *cands[MAX_CANDS];
    int n_cands = 0;
    if (!o->isa && strcmp(ms->level, "sweep") != 0)
        n_cands = runnable_kernels(ms->kind, ms->nt, o->runnable, cands, MAX_CANDS);
    const rl_stream_kernel *k = rl_stream_pick(ms->kind, ms->nt, o->runnable, o->isa);
    if (!k)
        return rl_err_set(err, RL_EXIT_USAGE, "no %s%s kernel%s%s runs on this CPU",
                          rl_stream_kind_name(ms->kind), ms->nt ? " non-temporal" : "",
                          o->isa ? " for ISA " : "", o->isa ? o->isa : "");
    measure_ctx c = {k, 0, 0, NULL};
    size_t per_array = (size_t)(ms->ws / (uint64_t)k->arrays / sizeof(double));
    c.n = per_array / RL_STREAM_BLOCK * RL_STREAM_BLOCK;
    if (c.n < RL_STREAM_BLOCK)
        c.n = RL_STREAM_BLOCK;
    c.expected = rl_stream_expected_sum(c.n);
    c.slots = calloc((size_t)threads, sizeof *c.slots);
    if (!c.slots)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");

    uint64_t ws = (uint64_t)c.n * sizeof(double) * (uint64_t)k->arrays;
    double counted_per_call = (double)c.n * sizeof(double) * (k->words_loaded + k->words_stored);
    char wss[32], label[96];
    rl_bytes_format(wss, sizeof wss, ws);
    snprintf(label, sizeof label, "%s %s%s, %s", ms->level, rl_stream_kind_name(k->kind),
             k->nt_stores ? " (nt)" : "", wss);
    double guess = 1e-3 * 1e11 / counted_per_call; /* a first run of about 1 ms at 100 GB/s */
    uint64_t start_iters = guess < 1 ? 1 : (uint64_t)guess;

    char trial_note[160] = "";
    if (n_cands > 1) {
        double gbs[MAX_CANDS];
        trial_ctx tc = {team, o, &c, label, start_iters, 0};
        int best = rl_bw_choose(cands, n_cands, trial_one, &tc, gbs, err);
        if (best < 0) {
            free_slots(c.slots, threads);
            return best == -2 ? 1 : -1;
        }
        int widest = 0;
        for (int i = 0; i < n_cands; i++)
            if (cands[i] == k)
                widest = i;
        if (gbs[best] > gbs[widest] * 1.01) { /* say so only when the widest clearly lost */
            snprintf(trial_note, sizeof trial_note,
                     "%s beat %s in a short trial (%.1f vs %.1f GB/s)", cands[best]->isa, k->isa,
                     gbs[best], gbs[widest]);
        }
        k = c.k = cands[best];
        start_iters = tc.iters * TRIAL_TIME_SHARE;
    }

    rl_run_stats st;
    int rc = timed_run(team, o, &c, label, o->repeats, o->min_time, start_iters, 0, &st, err);
    free_slots(c.slots, threads);
    if (rc != 0)
        return rc;
    if (strcmp(ms->level, "sweep") != 0) { /* a sweep's many points would repeat it */
        char what[48];
        snprintf(what, sizeof what, "%s %s%s", ms->level, rl_stream_kind_name(k->kind),
                 k->nt_stores ? " (nt)" : "");
        if (rl_run_warn_interference(team, &st, what, r, err) < 0) {
            rl_run_stats_free(&st);
            return -1;
        }
    }

    double total = counted_per_call * (double)st.iters * threads;
    /* Traffic adds the write-allocate read of regular stores (a store miss brings the line into
     * L1/L2 first), except for an L1-resident set: its stores hit lines already in L1, so no
     * read-for-ownership, and its traffic is what is counted. */
    int in_l1 =
        strcmp(ms->level, "L1") == 0 ||
        (strcmp(ms->level, "sweep") == 0 && rl_bw_classify(&r->machine, ws, threads) == RL_BW_L1);
    double traffic_ratio =
        in_l1 ? 1.0 : (double)k->traffic_words / (k->words_loaded + k->words_stored);
    rl_bandwidth b;
    memset(&b, 0, sizeof b);
    b.theoretical_gbs = b.efficiency = -1; /* probes/cachebw.h fills them after the stage */
    snprintf(b.level, sizeof b.level, "%s", ms->level);
    snprintf(b.kernel, sizeof b.kernel, "%s", rl_stream_kind_name(k->kind));
    b.nt_stores = k->nt_stores;
    snprintf(b.isa, sizeof b.isa, "%s", k->isa);
    b.bytes_per_thread = ws;
    b.threads = threads;
    b.gbs = total / st.best_secs / 1e9;
    b.gbs_median = total / st.median_secs / 1e9;
    b.gbs_min = total / st.worst_secs / 1e9;
    b.gbs_traffic = b.gbs * traffic_ratio;
    b.repeats = st.repeats;
    if (ms->level_note && *ms->level_note)
        rl_run_note_add(b.note, sizeof b.note, "%s", ms->level_note);
    if (trial_note[0])
        rl_run_note_add(b.note, sizeof b.note, "%s", trial_note);
    rl_run_note_noise(&st, b.note, sizeof b.note);
    if (st.stopped)
        rl_run_note_add(b.note, sizeof b.note, "interrupted after %d of %d repeats", st.repeats,
                        o->repeats);
    if (rl_result_add_bandwidth(r, &b, err) < 0) {
        rl_run_stats_free(&st);
        return -1;
    }

    /* Multi-node DRAM runs: each node's share, from its threads' own times in the best repeat. */
    if (strcmp(ms->level, "DRAM") == 0 && r->machine.numa_nodes > 1 && threads > 1 && topo) {
        enum { MAX_NODES = 64 };
        double node_gbs[MAX_NODES];
        int node_threads[MAX_NODES], node_of[RL_BW_MAX_THREADS];
        for (int t = 0; t < threads && t < RL_BW_MAX_THREADS; t++) {
            int pu = rl_run_team_pu(team, t);
            node_of[t] = pu >= 0 ? rl_topology_numa_of(topo, pu) : 0;
        }
        int nodes_used =
            rl_bw_node_shares(node_of, st.thread_secs, threads, counted_per_call * (double)st.iters,
                              node_gbs, node_threads, MAX_NODES);
        for (int nd = 0; nd < MAX_NODES && nodes_used > 1; nd++) {
            if (!node_threads[nd])
                continue;
            rl_bandwidth e = b;
            snprintf(e.level, sizeof e.level, "NUMA%d", nd);
            e.threads = node_threads[nd];
            e.gbs = node_gbs[nd];
            e.gbs_median = e.gbs_min = -1;
            e.gbs_traffic = e.gbs * traffic_ratio;
            snprintf(e.note, sizeof e.note, "node %d's share of the %d-thread DRAM run", nd,
                     threads);
            if (rl_result_add_bandwidth(r, &e, err) < 0) {
                rl_run_stats_free(&st);
                return -1;
            }
        }
    }
    int stopped = st.stopped;
    rl_run_stats_free(&st);
    return stopped;
}

int rl_bw_node_shares(const int *node_of, const double *thread_secs, int threads,
                      double bytes_per_thread, double *node_gbs, int *node_threads, int max_nodes)
{
    int used = 0;
    for (int nd = 0; nd < max_nodes; nd++)
        node_gbs[nd] = 0, node_threads[nd] = 0;
    for (int t = 0; t < threads && t < RL_BW_MAX_THREADS; t++) {
        int nd = node_of[t];
        if (nd < 0 || nd >= max_nodes || !(thread_secs[t] > 0))
            continue;
        used += node_threads[nd] == 0;
        node_threads[nd]++;
        node_gbs[nd] += bytes_per_thread / thread_secs[t] / 1e9;
    }
    return used;
}

static int wants_nt(const rl_bw_opts *o, rl_stream_kind kind, int dram)
{
    if (kind == RL_STREAM_LOAD || o->nt_mode == RL_BW_NT_NONE)
        return 0;
    return o->nt_mode == RL_BW_NT_ALL || dram;
}

/* One working set: every kernel, regular then non-temporal stores. */
static int run_kernels(const rl_topology *topo, const rl_run_team *team, const rl_bw_opts *o,
                       measure *ms, rl_result *r, rl_err *err)
{
    int dram = strcmp(ms->level, "DRAM") == 0;
    for (int kind = 0; kind < RL_STREAM_KINDS_; kind++) {
        if (!(o->kinds & (1u << kind)))
            continue;
        for (int nt = 0; nt <= 1; nt++) {
            if (nt && !wants_nt(o, (rl_stream_kind)kind, dram))
                continue;
            ms->kind = (rl_stream_kind)kind;
            ms->nt = nt;
            int rc = measure_one(topo, team, o, ms, r, err);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

static int run_threads(const rl_topology *topo, const rl_run_team *team, const rl_bw_opts *o,
                       rl_result *r, rl_err *err)
{
    int threads = rl_run_team_size(team);
    char note[256];
    if (o->sweep) {
        const rl_cache *llc = rl_cache_find(&r->machine, 3);
        if (!llc)
            llc = rl_cache_find(&r->machine, 2);
        uint64_t top = 64 * MIB;
        if (llc) {
            uint64_t hold = llc->size_bytes / (uint64_t)rl_cache_threads_per_instance(llc, threads);
            top = 4 * (hold + rl_cache_size(&r->machine, 2));
        }
        if (o->mem_available > 0 && top * (uint64_t)threads > o->mem_available / 2)
            top = o->mem_available / 2 / (uint64_t)threads;
        for (int step = 0;; step++) {
            double b = 4096.0 * pow(2.0, (double)step / SWEEP_STEPS_PER_OCTAVE);
            if (b > (double)top * 1.0001 || step >= RL_SWEEP_MAX_POINTS)
                break;
            measure ms = {"sweep", "", (uint64_t)b / 512 * 512, 0, RL_STREAM_LOAD};
            int rc = run_kernels(topo, team, o, &ms, r, err);
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    if (o->size > 0) {
        rl_bw_level lv = rl_bw_classify(&r->machine, o->size, threads);
        measure ms = {rl_bw_level_name(lv), "working set from --size", o->size, 0, RL_STREAM_LOAD};
        return run_kernels(topo, team, o, &ms, r, err);
    }
    for (int lv = 0; lv < RL_BW_LEVELS_; lv++) {
        if (!(o->levels & (1u << lv)))
            continue;
        uint64_t ws = rl_bw_level_size(&r->machine, (rl_bw_level)lv, threads, o->mem_available,
                                       note, sizeof note);
        if (ws == 0) {
            if (rl_result_add_warning(r, err, "bandwidth: no %s on this machine: not measured",
                                      rl_bw_level_name((rl_bw_level)lv)) < 0)
                return -1;
            continue;
        }
        measure ms = {rl_bw_level_name((rl_bw_level)lv), note, ws, 0, RL_STREAM_LOAD};
        int rc = run_kernels(topo, team, o, &ms, r, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int rl_bw_run(const rl_topology *topo, const rl_bw_opts *o, rl_result *r, rl_err *err)
{
    for (int i = 0; i < o->n_threads; i++) {
        rl_run_team *team = NULL;
        if (rl_run_team_new(topo, o->threads[i], 0, 0, &team, err) < 0)
            return -1;
        int rc = run_threads(topo, team, o, r, err);
        rl_run_team_free(team);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            r->meta.partial = 1;
            return 0;
        }
    }
    return 0;
}
