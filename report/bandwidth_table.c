/* bandwidth_table.c: the `roofline bandwidth` tables (see bandwidth_table.h). */
#include "report/bandwidth_table.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/bytes.h"
#include "result/sweep.h"

static const char *store_kind(const rl_bandwidth *b)
{
    if (strcmp(b->kernel, "load") == 0)
        return "-";
    return b->nt_stores ? "nt" : "regular";
}

void rl_bandwidth_table_text(rl_buf *b, const rl_result *r)
{
    char ws[32];
    int notes = 0;
    rl_buf_printf(b, "%-6s %-7s %-8s %11s %7s %10s %12s %10s\n", "level", "kernel", "stores",
                  "working set", "threads", "GB/s best", "GB/s traffic", "median");
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        const rl_bandwidth *x = &r->bandwidth[i];
        rl_bytes_format(ws, sizeof ws, x->bytes_per_thread);
        rl_buf_printf(b, "%-6s %-7s %-8s %11s %7d %10.1f %12.1f ", x->level, x->kernel,
                      store_kind(x), ws, x->threads, x->gbs, x->gbs_traffic);
        if (x->gbs_median >= 0)
            rl_buf_printf(b, "%10.1f", x->gbs_median);
        else
            rl_buf_printf(b, "%10s", "-");
        if (x->note[0])
            rl_buf_printf(b, "  [%d]", ++notes);
        rl_buf_printf(b, "\n");
    }
    rl_buf_printf(
        b,
        "\nGB/s best: counted bytes (STREAM's convention: load/store 8 B per element, copy/scale "
        "16,\nadd/triad 24, triad4 32), best of the repeats; median beside it. GB/s traffic: "
        "estimated\nbytes over the memory interface: regular stores add a write-allocate read "
        "beyond L1\n(L1 stores hit lines already there), non-temporal (nt) stores do not. "
        "Working set: per thread, all arrays of the kernel. "
        "GB/s = 1e9 B/s.\n");
    notes = 0;
    for (size_t i = 0; i < r->n_bandwidth; i++)
        if (r->bandwidth[i].note[0])
            rl_buf_printf(b, "[%d] %s\n", ++notes, r->bandwidth[i].note);
}

void rl_bandwidth_table_sweep(rl_buf *b, const rl_result *r, const char *const *kernels,
                              size_t n_kernels, const int *threads, int n_threads)
{
    char from[32], to[32], edge[32];
    for (int t = 0; t < n_threads; t++) {
        for (size_t kn = 0; kn < n_kernels; kn++) {
            const char *name = kernels[kn];
            rl_buf_printf(b, "\nsweep: %s, %d thread%s\n%12s %10s %10s\n", name, threads[t],
                          threads[t] == 1 ? "" : "s", "working set", "GB/s best", "median");
            for (size_t i = 0; i < r->n_bandwidth; i++) {
                const rl_bandwidth *x = &r->bandwidth[i];
                if (strcmp(x->level, "sweep") || strcmp(x->kernel, name) ||
                    x->threads != threads[t] || x->nt_stores)
                    continue;
                rl_bytes_format(from, sizeof from, x->bytes_per_thread);
                rl_buf_printf(b, "%12s %10.1f %10.1f\n", from, x->gbs, x->gbs_median);
            }
            rl_sweep_level lv[16];
            size_t n = rl_sweep_levels(r, name, threads[t], lv, 16);
            rl_buf_printf(b, "plateaus (flat within 12%%, at least 3 points):\n");
            if (n == 0)
                rl_buf_printf(b, "  none found (a noisy host, or too few points)\n");
            for (size_t k = 0; k < n; k++) {
                rl_bytes_format(from, sizeof from, lv[k].from_bytes);
                rl_bytes_format(to, sizeof to, lv[k].to_bytes);
                rl_buf_printf(b, "  %zu: %9s - %-9s %8.1f GB/s", k + 1, from, to, lv[k].p.gbs);
                if (k + 1 < n) {
                    rl_bytes_format(edge, sizeof edge, (uint64_t)lv[k].p.edge_bytes);
                    rl_buf_printf(b, "   edge at %s: %s", edge, lv[k].match);
                }
                rl_buf_printf(b, "\n");
            }
        }
    }
}
