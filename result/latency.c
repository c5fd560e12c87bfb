/* latency.c: the latency rows read together (see latency.h). */
#include "result/latency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is(const rl_latency *e, const char *device, const char *kind)
{
    return strcmp(e->device, device) == 0 && strcmp(e->kind, kind) == 0;
}

size_t rl_latency_steps(const rl_result *r, const char *device, const char *pages,
                        rl_sweep_level *out, size_t max)
{
    double bytes[RL_SWEEP_MAX_POINTS], ns[RL_SWEEP_MAX_POINTS];
    size_t n = 0;
    for (size_t i = 0; i < r->n_latency && n < RL_SWEEP_MAX_POINTS; i++) {
        const rl_latency *e = &r->latency[i];
        if (!is(e, device, "sweep") || strcmp(e->pages, pages) != 0 || !(e->ns > 0))
            continue;
        bytes[n] = (double)e->bytes;
        ns[n] = e->ns;
        n++;
    }
    rl_sweep_plateau p[16];
    size_t np = rl_sweep_plateaus(bytes, ns, n, 0.12, 3, p, 16);
    if (np > 16)
        np = 16;
    size_t k;
    for (k = 0; k < np && k < max; k++) {
        out[k].p = p[k];
        out[k].from_bytes = (uint64_t)bytes[p[k].first];
        out[k].to_bytes = (uint64_t)bytes[p[k].last];
        out[k].match[0] = '\0';
        if (k + 1 < np)
            rl_sweep_match_edge(&r->machine, p[k].edge_bytes, 1, out[k].match, sizeof out[k].match);
    }
    return k;
}

static int pages_rank(const char *pages)
{
    return strcmp(pages, "1g") == 0 ? 3 : strcmp(pages, "thp") == 0 ? 2 : 1;
}

const rl_latency *rl_latency_dram(const rl_result *r, const char *device)
{
    const rl_latency *best = NULL;
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        if (!is(e, device, "idle") || strcmp(e->level, "DRAM") != 0 || !(e->ns > 0))
            continue;
        if (!best || pages_rank(e->pages) > pages_rank(best->pages) ||
            (pages_rank(e->pages) == pages_rank(best->pages) && e->ns < best->ns))
            best = e;
    }
    return best;
}

size_t rl_latency_devices(const rl_result *r, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_latency; i++) {
        size_t k;
        for (k = 0; k < n; k++)
            if (strcmp(out[k], r->latency[i].device) == 0)
                break;
        if (k == n && n < max)
            out[n++] = r->latency[i].device;
    }
    return n;
}

/* ---- loaded ---- */

size_t rl_latency_curves(const rl_result *r, const char *device, rl_latency_curve *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_latency && n < max; i++) {
        const rl_latency *e = &r->latency[i];
        if (!is(e, device, "loaded"))
            continue;
        size_t k;
        for (k = 0; k < n; k++)
            if (strcmp(out[k].mix, e->mix) == 0)
                break;
        if (k < n)
            continue;
        rl_latency_curve *c = &out[n++];
        memset(c, 0, sizeof *c);
        snprintf(c->mix, sizeof c->mix, "%s", e->mix);
        c->first = i;
        c->top_gbs = c->knee_gbs = c->knee_ns = c->idle_ns = -1;
        for (size_t j = i; j < r->n_latency; j++) {
            const rl_latency *q = &r->latency[j];
            if (!is(q, device, "loaded") || strcmp(q->mix, e->mix) != 0)
                continue;
            c->n++;
            if (q->gbs > c->top_gbs)
                c->top_gbs = q->gbs;
            if (c->idle_ns < 0)
                c->idle_ns = q->ns;
            if (q->ns > 0 && c->idle_ns > 0 && q->ns <= RL_LATENCY_KNEE * c->idle_ns &&
                q->gbs > c->knee_gbs)
                c->knee_gbs = q->gbs, c->knee_ns = q->ns;
        }
        if (c->n < 2)
            c->knee_gbs = c->knee_ns = -1;
    }
    return n;
}

static const struct {
    const char *mix, *kernel;
    int nt;
} mixes[] = {
    {"read", "load", 0}, {"3:1", "triad4", 1},         {"2:1", "triad", 1},
    {"1:1", "copy", 1},  {"stream-write", "store", 1},
};

int rl_latency_mix_kernel(const char *mix, const char **kernel, int *nt)
{
    for (size_t i = 0; i < sizeof mixes / sizeof mixes[0]; i++)
        if (strcmp(mix, mixes[i].mix) == 0) {
            *kernel = mixes[i].kernel;
            *nt = mixes[i].nt;
            return 0;
        }
    return -1;
}

const rl_bandwidth *rl_latency_curve_reference(const rl_result *r, const rl_latency_curve *c)
{
    const char *kernel;
    int nt;
    if (rl_latency_mix_kernel(c->mix, &kernel, &nt) != 0 || c->n == 0)
        return NULL;
    int threads = r->latency[c->first].load_threads;
    const rl_bandwidth *same = NULL, *most = NULL;
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        if (strcmp(b->level, "DRAM") != 0 || strcmp(b->kernel, kernel) != 0 ||
            (strcmp(kernel, "load") != 0 && b->nt_stores != nt))
            continue;
        if (b->threads == threads && (!same || b->gbs > same->gbs))
            same = b;
        if (!most || b->threads > most->threads ||
            (b->threads == most->threads && b->gbs > most->gbs))
            most = b;
    }
    return same ? same : most;
}

/* ---- NUMA ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int index_of(rl_latency_numa *m, int node)
{
    for (int i = 0; i < m->n; i++)
        if (m->node[i] == node)
            return i;
    if (m->n >= RL_LATENCY_MAX_NODES)
        return -1;
    /* Kept ascending: insert in place. */
    int at = m->n;
    while (at > 0 && m->node[at - 1] > node)
        at--;
    memmove(&m->node[at + 1], &m->node[at], (size_t)(m->n - at) * sizeof m->node[0]);
    m->node[at] = node;
    m->n++;
    return -2; /* inserted: indexes moved, the caller looks again */
}

int rl_latency_numa_of(const rl_result *r, const char *device, rl_latency_numa *out)
{
    memset(out, 0, sizeof *out);
    /* First the node numbers (rows and columns), then the cells. */
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        if (!is(e, device, "numa") || e->cpu_node < 0 || e->mem_node < 0)
            continue;
        index_of(out, e->cpu_node);
        index_of(out, e->mem_node);
    }
    for (int a = 0; a < RL_LATENCY_MAX_NODES; a++)
        for (int b = 0; b < RL_LATENCY_MAX_NODES; b++)
            out->ns[a][b] = out->gbs[a][b] = out->penalty[a][b] = -1;
    for (size_t i = 0; i < r->n_latency; i++) {
        const rl_latency *e = &r->latency[i];
        if (!is(e, device, "numa") || e->cpu_node < 0 || e->mem_node < 0)
            continue;
        int a = index_of(out, e->cpu_node), b = index_of(out, e->mem_node);
        if (a < 0 || b < 0)
            continue;
        out->ns[a][b] = e->ns;
        out->gbs[a][b] = e->gbs;
    }
    for (int a = 0; a < out->n; a++)
        for (int b = 0; b < out->n; b++)
            if (out->ns[a][b] > 0 && out->ns[a][a] > 0)
                out->penalty[a][b] = out->ns[a][b] / out->ns[a][a];
    /* A weak node: its own memory, from its own cores, slower than its peers': the median of the
     * other nodes' local figures (a half-populated socket, a missing DIMM). */
    for (int a = 0; a < out->n; a++) {
        double peer_ns[RL_LATENCY_MAX_NODES], peer_gbs[RL_LATENCY_MAX_NODES];
        int n_ns = 0, n_gbs = 0;
        for (int b = 0; b < out->n; b++) {
            if (b == a)
                continue;
            if (out->ns[b][b] > 0)
                peer_ns[n_ns++] = out->ns[b][b];
            if (out->gbs[b][b] > 0)
                peer_gbs[n_gbs++] = out->gbs[b][b];
        }
        double ns = out->ns[a][a], gbs = out->gbs[a][a];
        out->weak[a] = (n_ns > 0 && ns > median(peer_ns, n_ns) * (1 + RL_LATENCY_FLAG_THRESHOLD)) ||
                       (n_gbs > 0 && gbs > 0 &&
                        gbs < median(peer_gbs, n_gbs) * (1 - RL_LATENCY_FLAG_THRESHOLD));
    }
    return out->n;
}
