/* test_bandwidth_table.c: report/bandwidth_table renders a hand-made result (no measuring): row
 * layout, notes numbered beside rows and listed below, sweep curves filtered by kernel and thread
 * count; and runner/bandwidth's kind names match the kernels' numbering. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "report/bandwidth_table.h"
#include "runner/bandwidth.h"

static void add_row(rl_result *r, const char *level, const char *kernel, int nt, uint64_t bytes,
                    int threads, double gbs, double traffic, double median, const char *note)
{
    rl_bandwidth e;
    memset(&e, 0, sizeof e);
    snprintf(e.level, sizeof e.level, "%s", level);
    snprintf(e.kernel, sizeof e.kernel, "%s", kernel);
    e.nt_stores = nt;
    e.bytes_per_thread = bytes;
    e.threads = threads;
    e.gbs = gbs;
    e.gbs_traffic = traffic;
    e.gbs_median = median;
    e.gbs_min = median;
    e.repeats = 1;
    snprintf(e.note, sizeof e.note, "%s", note);
    rl_err err = {0};
    cr_assert_eq(rl_result_add_bandwidth(r, &e, &err), 0, "%s", err.msg);
}

Test(bandwidth_table, rows_notes_and_missing_median)
{
    rl_result *r = rl_result_new();
    cr_assert_not_null(r);
    add_row(r, "L1", "load", 0, 16384, 1, 168.0, 168.0, 167.5, "");
    add_row(r, "DRAM", "copy", 1, 256ull << 20, 2, 20.25, 20.25, -1, "capped at half the memory");
    rl_buf b = {0};
    rl_bandwidth_table_text(&b, r);
    cr_assert(!b.failed);
    cr_assert_not_null(strstr(b.data, "level  kernel  stores   working set threads  GB/s best "
                                      "GB/s traffic     median\n"),
                       "%s", b.data);
    cr_assert_not_null(strstr(b.data,
                              "L1     load    -             16 KiB       1      168.0        168.0"
                              "      167.5\n"),
                       "%s", b.data);
    cr_assert_not_null(strstr(b.data, "DRAM   copy    nt           256 MiB       2       20.2"),
                       "%s", b.data);
    cr_assert_not_null(strstr(b.data, "         -  [1]\n"), "%s", b.data);
    cr_assert_not_null(strstr(b.data, "\n[1] capped at half the memory\n"), "%s", b.data);
    cr_assert_null(strstr(b.data, "[2]"), "%s", b.data);
    rl_buf_free(&b);
    rl_result_free(r);
}

Test(bandwidth_table, sweep_keeps_its_kernel_and_thread_count)
{
    rl_result *r = rl_result_new();
    cr_assert_not_null(r);
    add_row(r, "sweep", "load", 0, 4096, 1, 100.0, 100.0, 99.0, "");
    add_row(r, "sweep", "load", 0, 8192, 2, 55.5, 55.5, 55.0, "");
    add_row(r, "sweep", "copy", 0, 4096, 1, 77.7, 77.7, 77.0, "");
    add_row(r, "sweep", "load", 1, 4096, 1, 33.3, 33.3, 33.0, "");
    rl_buf b = {0};
    const char *kernels[] = {"load"};
    const int threads[] = {1};
    rl_bandwidth_table_sweep(&b, r, kernels, 1, threads, 1);
    cr_assert(!b.failed);
    cr_assert_not_null(strstr(b.data, "\nsweep: load, 1 thread\n"), "%s", b.data);
    cr_assert_not_null(strstr(b.data, "       4 KiB      100.0       99.0\n"), "%s", b.data);
    cr_assert_null(strstr(b.data, "55.5"), "other thread count: %s", b.data);
    cr_assert_null(strstr(b.data, "77.7"), "other kernel: %s", b.data);
    cr_assert_null(strstr(b.data, "33.3"), "nt rows: %s", b.data);
    cr_assert_not_null(strstr(b.data, "plateaus (flat within 12%, at least 3 points):\n"), "%s",
                       b.data);
    rl_buf_free(&b);
    rl_result_free(r);
}

Test(bandwidth_table, kind_names_round_trip)
{
    static const char *const names[] = {"load", "store", "copy", "scale", "add", "triad", "triad4"};
    cr_assert_eq(RL_BW_KINDS_, 7);
    for (int k = 0; k < RL_BW_KINDS_; k++) {
        cr_assert_str_eq(rl_bw_kind_name(k), names[k]);
        cr_assert_eq(rl_bw_kind_from_name(names[k]), k);
    }
    cr_assert_eq(rl_bw_kind_from_name("triad5"), -1);
    cr_assert_eq(rl_bw_kind_runnable(RL_BW_KIND_LOAD, RL_ISA_SSE2, "sse2"), 1);
    cr_assert_eq(rl_bw_kind_runnable(RL_BW_KIND_LOAD, RL_ISA_SSE2, "avx512"), 0);
}
