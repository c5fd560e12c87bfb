/* test_meminfo.c: MemAvailable from /proc/meminfo-format files (tests/data/meminfo-*.txt and
 * hand-made ones): the figure in bytes, and 0 (unknown) for a missing file, a kernel without the
 * line, or a figure that cannot be true. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include "probes/meminfo.h"
#include "tests/helpers.h"

Test(meminfo, available_in_bytes)
{
    cr_assert_eq(rl_meminfo_available("tests/data/meminfo-5.15.txt"), 24190336ull * 1024);
}

Test(meminfo, unknown_is_zero)
{
    cr_assert_eq(rl_meminfo_available("tests/data/meminfo-no-available.txt"), 0,
                 "kernels before 3.14 have no MemAvailable line");
    cr_assert_eq(rl_meminfo_available("tests/data/no-such-meminfo"), 0);
}

Test(meminfo, a_figure_past_64_bits_is_unknown)
{
    const char *dir = rl_test_tmpdir();
    char path[128];
    snprintf(path, sizeof path, "%s/meminfo", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "MemTotal: 1 kB\nMemAvailable: 18014398509481984 kB\n"); /* 2^54 KiB = 2^64 B */
    fclose(f);
    uint64_t got = rl_meminfo_available(path);
    unlink(path);
    rmdir(dir);
    cr_assert_eq(got, 0);
}

Test(meminfo, this_machine)
{
    if (access("/proc/meminfo", R_OK) != 0)
        cr_skip_test("no /proc/meminfo here");
    cr_assert_gt(rl_meminfo_available(NULL), 0);
}
