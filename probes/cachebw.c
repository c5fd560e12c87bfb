/* cachebw.c: theoretical cache bandwidth per core per cycle (see cachebw.h).
 *
 * Sources, per row (peak figures; the manuals' "sustained" figures are lower and are what a good
 * kernel reaches, so efficiencies of 70-95% beyond L1 are normal):
 *  [I-HSW] Intel 64 and IA-32 Architectures Optimization Reference Manual (248966), Haswell
 *          section, "Cache parameters": L1D 64 B/cycle load (2 x 32 B) + 32 B/cycle store, L2 to
 *          L1 64 B/cycle. Broadwell: the same core.
 *  [I-SKL] ibid., Skylake client "Cache parameters" table: L1 peak 2 x 32 B load + 32 B store
 *          (sustained 81 B/cycle), L2 peak 64 B/cycle (sustained ~29), L3 peak 32 B/cycle
 *          (sustained ~18).
 *  [I-SKX] ibid., Skylake Server section: L1 2 x 64 B load + 64 B store per cycle (peak 192,
 *          sustained 133), L2 peak 64 B/cycle (sustained 52); L3 (mesh) peak not given.
 *  [I-ICL] ibid., Ice Lake client and server (Sunny Cove): 2 x 64 B loads and 64 B of stores per
 *          cycle (two 32 B store ports, or one 64 B store), L2 64 B/cycle.
 *  [I-GLC] ibid., Golden Cove (Alder Lake P-core, Sapphire Rapids) and its successors: three
 * 256-bit or two 512-bit loads per cycle (96 / 128 B), two 256-bit or one 512-bit store (64 B), L2
 * 64 B/cycle. Hybrid client parts cannot run AVX-512: 96 B/cycle of loads. [I-SNB] ibid., Sandy
 * Bridge section: two 16 B loads + one 16 B store per cycle (a 256-bit load takes both), L2 32
 * B/cycle. [A-17h] AMD Software Optimization Guide for family 17h (55723), Zen: two 128-bit loads
 * and one 128-bit store per cycle, L2 to L1 32 B/cycle, L3 to L2 32 B/cycle. [A-17h2] ibid. for
 * family 17h models 30h+ (56305), Zen 2: two 256-bit loads and one 256-bit store per cycle (64 + 32
 * B), L2 32 B/cycle, L3 32 B/cycle per core. [A-19h] AMD Software Optimization Guide for family 19h
 * (56665), Zen 3 and Zen 4: as Zen 2 (Zen 4 splits a 512-bit load or store over two cycles), L2 32
 * B/cycle, L3 32 B/cycle. [A-1Ah] AMD Software Optimization Guide for family 1Ah (58455) and AMD's
 * Zen 5 disclosures: two 512-bit loads and one 512-bit store per cycle (desktop and server cores:
 * 128 + 64 B), L2 to L1 64 B/cycle (twice Zen 4's), L3 to L2 32 B/cycle. Unknown where no source
 * gives a peak: Intel L3s other than Skylake client (the mesh and ring per-core figures are not
 * published), Zen 5 mobile cores (256-bit datapath; load width not given), Gracemont and older or
 * odd cores (the fallback). */
#include "probes/cachebw.h"

#include <stdio.h>
#include <string.h>

#include "probes/clock.h"
#include "probes/theory.h"

#define U (-1.0) /* unknown */

typedef struct cachebw_row {
    const char *uarch[7]; /* rl_uarch names this row covers */
    double l1_load, l1_store, l2, l3;
    const char *source; /* what the result says */
    const char *keys;   /* docs/sources.md keys of the documents behind the figures */
} cachebw_row;

static const cachebw_row rows[] = {
    {{"sandy-bridge", "ivy-bridge"},
     32,
     16,
     32,
     U,
     "Intel optimization manual, Sandy Bridge",
     "intel-opt"},
    {{"haswell", "broadwell"}, 64, 32, 64, U, "Intel optimization manual, Haswell", "intel-opt"},
    {{"skylake"}, 64, 32, 64, 32, "Intel optimization manual, Skylake client (peak)", "intel-opt"},
    {{"skylake-sp", "cascade-lake", "cooper-lake"},
     128,
     64,
     64,
     U,
     "Intel optimization manual, Skylake Server (peak)",
     "intel-opt"},
    {{"cannon-lake", "ice-lake", "tiger-lake", "rocket-lake", "ice-lake-sp"},
     128,
     64,
     64,
     U,
     "Intel optimization manual, Ice Lake (Sunny Cove)",
     "intel-opt"},
    {{"sapphire-rapids", "emerald-rapids", "granite-rapids"},
     128,
     64,
     64,
     U,
     "Intel optimization manual, Golden Cove server (512-bit loads)",
     "intel-opt chipsandcheese-golden-cove anandtech-alder-lake"},
    {{"alder-lake", "raptor-lake", "meteor-lake", "arrow-lake", "lunar-lake", "arrow-lake-u"},
     96,
     64,
     64,
     U,
     "Intel optimization manual, Golden Cove P-core (three 256-bit loads; no AVX-512)",
     "intel-opt chipsandcheese-golden-cove anandtech-alder-lake"},
    {{"zen", "zen+"}, 32, 16, 32, 32, "AMD family 17h optimization guide (Zen)", "amd-sog-17h"},
    {{"zen2"},
     64,
     32,
     32,
     32,
     "AMD family 17h models 30h+ optimization guide (Zen 2)",
     "amd-sog-17h-30h"},
    {{"zen3", "zen3+", "zen4"},
     64,
     32,
     32,
     32,
     "AMD family 19h optimization guide (Zen 3/4)",
     "amd-sog-19h"},
    {{"zen5", "zen5-server"},
     128,
     64,
     64,
     32,
     "AMD family 1Ah optimization guide (Zen 5)",
     "amd-sog-1ah"},
};

void rl_cachebw_lookup(const rl_uarch *u, rl_cachebw *out)
{
    out->l1_load = out->l1_store = out->l2 = out->l3 = U;
    out->source = "unknown";
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (size_t j = 0; j < 7 && rows[i].uarch[j]; j++)
            if (strcmp(u->name, rows[i].uarch[j]) == 0) {
                out->l1_load = rows[i].l1_load;
                out->l1_store = rows[i].l1_store;
                out->l2 = rows[i].l2;
                out->l3 = rows[i].l3;
                out->source = rows[i].source;
                return;
            }
}

int rl_cachebw_row_source(size_t i, const char **name, const char **source)
{
    if (i >= sizeof rows / sizeof rows[0])
        return 0;
    *name = rows[i].uarch[0];
    *source = rows[i].keys;
    return 1;
}

static int add(rl_result *r, const char *level, const char *op, int threads, double bpc, double ghz,
               const char *source, rl_err *err)
{
    rl_bw_theory e;
    memset(&e, 0, sizeof e);
    snprintf(e.level, sizeof e.level, "%s", level);
    snprintf(e.op, sizeof e.op, "%s", op);
    e.threads = threads;
    e.bytes_per_cycle = bpc >= 0 ? bpc : -1;
    e.gbs = bpc > 0 && ghz > 0 ? bpc * ghz * threads : -1;
    snprintf(e.source, sizeof e.source, "%s", bpc >= 0 ? source : "unknown");
    return rl_result_add_bw_theory(r, &e, err);
}

int rl_cachebw_derive(rl_result *r, const rl_cachebw *bw, const int *threads, size_t n_threads,
                      rl_err *err)
{
    double ghz = rl_theory_clock(&r->machine);
    for (size_t k = 0; k < n_threads; k++) {
        int th = threads[k], dup = th <= 0;
        for (size_t j = 0; j < k && !dup; j++)
            dup = threads[j] == th;
        if (dup)
            continue;
        if (add(r, "L1", "load", th, bw->l1_load, ghz, bw->source, err) != 0 ||
            add(r, "L1", "store", th, bw->l1_store, ghz, bw->source, err) != 0 ||
            add(r, "L2", "load", th, bw->l2, ghz, bw->source, err) != 0 ||
            add(r, "L3", "load", th, bw->l3, ghz, bw->source, err) != 0)
            return -1;
    }
    return 0;
}

/* Bytes/cycle/core of a level and operation from the theory (any thread count: they are per
 * core), or -1. */
static double per_core(const rl_theory *t, const char *level, const char *op)
{
    for (size_t i = 0; i < t->n_bw; i++)
        if (strcmp(t->bw[i].level, level) == 0 && strcmp(t->bw[i].op, op) == 0)
            return t->bw[i].bytes_per_cycle;
    return -1;
}

/* Words loaded and stored per element, STREAM's counting (kernels/stream.h). */
static int words(const char *kernel, int *loads, int *stores)
{
    static const struct {
        const char *name;
        int loads, stores;
    } k[] = {{"load", 1, 0}, {"store", 0, 1}, {"copy", 1, 1},  {"scale", 1, 1},
             {"add", 2, 1},  {"triad", 2, 1}, {"triad4", 3, 1}};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(kernel, k[i].name) == 0) {
            *loads = k[i].loads;
            *stores = k[i].stores;
            return 0;
        }
    return -1;
}

double rl_cachebw_row(const rl_result *r, const rl_bandwidth *b)
{
    const rl_theory *t = &r->theory;
    if (strcmp(b->level, "DRAM") == 0)
        return t->dram_gbs > 0 ? t->dram_gbs : -1;
    int cores = b->threads;
    if (r->machine.cores > 0 && cores > r->machine.cores)
        cores = r->machine.cores; /* SMT siblings share their core's ports */
    double ghz = rl_clock_for(&r->machine, b->isa, b->threads, NULL);
    if (ghz <= 0)
        ghz = rl_theory_clock(&r->machine);
    if (ghz <= 0 || cores <= 0)
        return -1;
    if (strcmp(b->level, "L1") == 0) {
        int loads, stores;
        if (words(b->kernel, &loads, &stores) != 0)
            return -1;
        double ld = per_core(t, "L1", "load"), st = per_core(t, "L1", "store");
        if ((loads && ld <= 0) || (stores && st <= 0))
            return -1;
        double cycles = 0; /* per element */
        if (loads && 8.0 * loads / ld > cycles)
            cycles = 8.0 * loads / ld;
        if (stores && 8.0 * stores / st > cycles)
            cycles = 8.0 * stores / st;
        return cycles > 0 ? 8.0 * (loads + stores) / cycles * ghz * cores : -1;
    }
    if ((strcmp(b->level, "L2") == 0 || strcmp(b->level, "L3") == 0) && !b->nt_stores) {
        double bpc = per_core(t, b->level, "load");
        return bpc > 0 ? bpc * ghz * cores : -1;
    }
    return -1; /* sweep points and per-node shares: no single level */
}

void rl_cachebw_apply(rl_result *r)
{
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        rl_bandwidth *b = &r->bandwidth[i];
        double th = rl_cachebw_row(r, b);
        /* the caches compare counted bytes (see cachebw.h), DRAM its traffic */
        double got = strcmp(b->level, "DRAM") == 0 ? b->gbs_traffic : b->gbs;
        b->theoretical_gbs = th > 0 ? th : -1;
        b->efficiency = th > 0 && got > 0 ? got / th : -1;
    }
}
