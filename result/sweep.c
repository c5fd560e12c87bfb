/* sweep.c: plateaus and edges of a measured bandwidth-vs-size curve (see sweep.h). */
#include "result/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "result/cache.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of g[first..last] without the points marked in `skip`; last < RL_SWEEP_MAX_POINTS. */
static double median_of(const double *g, size_t first, size_t last, const unsigned char *skip)
{
    double v[RL_SWEEP_MAX_POINTS];
    size_t k = 0;
    for (size_t i = first; i <= last && k < RL_SWEEP_MAX_POINTS; i++)
        if (!skip[i])
            v[k++] = g[i];
    if (k == 0)
        return g[first];
    qsort(v, k, sizeof v[0], cmp_double);
    return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

static int near(double x, double level, double tol)
{
    return x > 0 && level > 0 && fabs(log(x / level)) <= log1p(tol);
}

size_t rl_sweep_plateaus(const double *bytes, const double *gbs, size_t n, double tol,
                         size_t min_points, rl_sweep_plateau *out, size_t max)
{
    rl_sweep_plateau found[RL_SWEEP_MAX_POINTS];
    unsigned char skip[RL_SWEEP_MAX_POINTS];
    size_t nf = 0;
    if (n > RL_SWEEP_MAX_POINTS)
        n = RL_SWEEP_MAX_POINTS;
    if (min_points < 1)
        min_points = 1;
    memset(skip, 0, sizeof skip);

    /* 1. Greedy runs: extend while the next point is near the run's median; one stray point is
     *    kept inside the run (and out of its median) when the point after it is near again. */
    for (size_t i = 0; i < n;) {
        size_t last = i, j = i + 1;
        double level = gbs[i];
        while (j < n) {
            if (near(gbs[j], level, tol)) {
                last = j++;
            } else if (j + 1 < n && near(gbs[j + 1], level, tol) && j > i) {
                skip[j] = 1;
                last = j + 1;
                j += 2;
            } else {
                break;
            }
            level = median_of(gbs, i, last, skip);
        }
        size_t real = 0;
        for (size_t k = i; k <= last; k++)
            real += !skip[k];
        if (real >= min_points && nf < RL_SWEEP_MAX_POINTS)
            found[nf++] = (rl_sweep_plateau){i, last, level, 0};
        i = last + 1;
    }

    /* 2. Merge neighbours that a noisy stretch split. */
    size_t m = 0;
    for (size_t k = 0; k < nf; k++) {
        if (m > 0 && near(found[k].gbs, found[m - 1].gbs, tol)) {
            found[m - 1].last = found[k].last;
            found[m - 1].gbs = median_of(gbs, found[m - 1].first, found[m - 1].last, skip);
        } else {
            found[m++] = found[k];
        }
    }

    /* 3. Edges: where the curve crosses the geometric mean of two neighbouring levels. */
    for (size_t k = 0; k + 1 < m; k++) {
        double target = sqrt(found[k].gbs * found[k + 1].gbs);
        double edge = bytes[found[k].last];
        int rising = found[k + 1].gbs > found[k].gbs;
        for (size_t i = found[k].last; i < found[k + 1].first; i++) {
            double g0 = gbs[i], g1 = gbs[i + 1];
            int crosses = rising ? (g0 <= target && g1 >= target) : (g0 >= target && g1 <= target);
            if (!crosses || g0 <= 0 || g1 <= 0)
                continue;
            double f =
                fabs(log(g0) - log(g1)) > 0 ? (log(g0) - log(target)) / (log(g0) - log(g1)) : 0.5;
            edge = exp(log(bytes[i]) + f * (log(bytes[i + 1]) - log(bytes[i])));
            break;
        }
        found[k].edge_bytes = edge;
    }
    for (size_t k = 0; k < m && k < max; k++)
        out[k] = found[k];
    return m;
}

int rl_sweep_match_edge(const rl_machine *m, double edge_bytes, int threads, char *out, size_t size)
{
    double cap[4] = {0};
    cap[1] = (double)rl_cache_size(m, 1);
    cap[2] = (double)rl_cache_size(m, 2);
    const rl_cache *c3 = rl_cache_find(m, 3);
    if (c3)
        cap[3] =
            (double)c3->size_bytes / rl_cache_threads_per_instance(c3, threads < 1 ? 1 : threads);
    int best = 0;
    double best_d = log(2.0);
    for (int l = 1; l <= 3; l++) {
        if (cap[l] <= 0 || edge_bytes <= 0)
            continue;
        double d = fabs(log(edge_bytes / cap[l]));
        if (d <= best_d)
            best = l, best_d = d;
    }
    if (best) {
        char s[32];
        rl_bytes_format(s, sizeof s, (uint64_t)cap[best]);
        snprintf(out, size, "L%d (%s%s)", best, s, best == 3 && threads > 1 ? " per thread" : "");
    } else {
        snprintf(out, size, "no probed cache near it");
    }
    return best;
}

size_t rl_sweep_levels(const rl_result *r, const char *kernel, int threads, rl_sweep_level *out,
                       size_t max)
{
    double bytes[RL_SWEEP_MAX_POINTS], gbs[RL_SWEEP_MAX_POINTS];
    size_t n = 0;
    for (size_t i = 0; i < r->n_bandwidth && n < RL_SWEEP_MAX_POINTS; i++) {
        const rl_bandwidth *b = &r->bandwidth[i];
        if (strcmp(b->level, "sweep") != 0 || strcmp(b->kernel, kernel) != 0 ||
            b->threads != threads || b->nt_stores)
            continue;
        bytes[n] = (double)b->bytes_per_thread;
        gbs[n] = b->gbs;
        n++;
    }
    rl_sweep_plateau p[16];
    size_t np = rl_sweep_plateaus(bytes, gbs, n, 0.12, 3, p, 16);
    if (np > 16)
        np = 16;
    size_t k;
    for (k = 0; k < np && k < max; k++) {
        out[k].p = p[k];
        out[k].from_bytes = (uint64_t)bytes[p[k].first];
        out[k].to_bytes = (uint64_t)bytes[p[k].last];
        out[k].match[0] = '\0';
        if (k + 1 < np)
            rl_sweep_match_edge(&r->machine, p[k].edge_bytes, threads, out[k].match,
                                sizeof out[k].match);
    }
    return k;
}
