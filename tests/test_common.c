/* test_common.c: error context, buffers, byte sizes, ISA names and atomic output files. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/bytes.h"
#include "common/err.h"
#include "common/isa.h"
#include "common/outfile.h"
#include "tests/helpers.h"

Test(err, set_and_prefix_build_one_line)
{
    rl_err err = {0};
    cr_assert_eq(rl_err_set(&err, RL_EXIT_INPUT, "field '%s': missing", "x"), -1);
    cr_assert_eq(rl_err_prefix(&err, "%s", "a.json"), -1);
    cr_assert_str_eq(err.msg, "a.json: field 'x': missing");
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    rl_err_clear(&err);
    cr_assert_eq(err.code, RL_EXIT_OK);
    cr_assert_eq(rl_err_set(NULL, 1, "dropped"), -1, "a NULL context is allowed");
}

Test(err, long_prefix_is_truncated_not_overflowed)
{
    rl_err err = {0};
    char longname[2000];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    rl_err_set(&err, 3, "%s", longname);
    rl_err_prefix(&err, "%s", longname);
    cr_assert_eq(strlen(err.msg), sizeof err.msg - 1);
}

Test(buf, printf_grows)
{
    rl_buf b = {0};
    for (int i = 0; i < 1000; i++)
        rl_buf_printf(&b, "%d,", i);
    cr_assert(!b.failed);
    cr_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    cr_assert_eq(b.len, strlen(b.data));
    rl_buf_free(&b);
    rl_buf_free(NULL);
}

Test(bytes, whole_units_and_three_digits)
{
    static const struct {
        uint64_t bytes;
        const char *text;
    } cases[] = {
        {0, "0 B"},
        {512, "512 B"},
        {1023, "1023 B"},
        {1024, "1 KiB"},
        {1536, "1.5 KiB"},
        {16384, "16 KiB"},
        {(1ull << 20) - 1, "1.02e+03 KiB"},
        {1310720, "1.25 MiB"},
        {1ull << 30, "1 GiB"},
        {3ull << 40, "3 TiB"},
        {5ull << 50, "5120 TiB"},
        {(1ull << 53) + 2, "8.19e+03 TiB"}, /* exact-multiple test in integers, past doubles */
        {UINT64_MAX, "1.68e+07 TiB"},
    };
    char s[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_str_eq(rl_bytes_format(s, sizeof s, cases[i].bytes), cases[i].text, "%llu",
                         (unsigned long long)cases[i].bytes);
    char tiny[4];
    cr_assert_str_eq(rl_bytes_format(tiny, sizeof tiny, 16384), "16 ", "truncated, terminated");
}

Test(isa, names_round_trip)
{
    for (int i = 0; i < RL_ISA_COUNT_; i++) {
        rl_isa_mask bit = (rl_isa_mask)1 << i;
        cr_assert_not_null(rl_isa_name(bit));
        cr_assert_eq(rl_isa_from_name(rl_isa_name(bit)), bit);
    }
    cr_assert_eq(rl_isa_from_name("avx1024"), 0);
    char out[64];
    rl_isa_format(RL_ISA_AVX2 | RL_ISA_FMA, out, sizeof out);
    cr_assert_str_eq(out, "avx2 fma");
}

Test(outfile, writes_whole_file_and_leaves_no_temporary)
{
    rl_err err = {0};
    const char *dir = rl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/out.json", dir);
    cr_assert_eq(rl_outfile_write(path, "{}\n", 3, &err), 0, "%s", err.msg);
    char *text = rl_test_slurp(path, NULL);
    cr_assert_str_eq(text, "{}\n");
    free(text);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 1", dir);
    cr_assert_eq(system(cmd), 0, "only the output file is left in the directory");
    unlink(path);
    rmdir(dir);
}

Test(outfile, failed_write_keeps_the_old_file_and_no_temporary)
{
    rl_err err = {0};
    const char *dir = rl_test_tmpdir();
    char path[256], cmd[512];
    snprintf(path, sizeof path, "%s/keep.csv", dir);
    cr_assert_eq(rl_outfile_write(path, "old\n", 4, &err), 0);
    /* Make the next write fail half-way: files may not grow past 4 bytes (each test runs in its
     * own process, so the limit dies with it). */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {.rlim_cur = 4, .rlim_max = RLIM_INFINITY};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    cr_assert_eq(rl_outfile_write(path, "new, longer content\n", 20, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_RUNTIME);
    cr_assert(strstr(err.msg, "keep.csv: write failed"), "%s", err.msg);
    char *text = rl_test_slurp(path, NULL);
    cr_assert_str_eq(text, "old\n", "the old file is untouched");
    free(text);
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 1", dir);
    cr_assert_eq(system(cmd), 0, "the temporary file was removed");
    cr_assert_eq(rl_outfile_write("/nonexistent-dir/x.csv", "new\n", 4, &err), -1);
    cr_assert(strstr(err.msg, "/nonexistent-dir/x.csv: cannot create"), "%s", err.msg);
    unlink(path);
    rmdir(dir);
}

/* Renaming over a symlink or a device would replace it with a plain file (as root: /dev/null).
 * Tested with a symlink in a scratch directory, never with /dev/null itself. */
Test(outfile, writes_through_symlinks_and_into_non_regular_files)
{
    char dir[128], target[256], link[256], devlink[256];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    snprintf(target, sizeof target, "%s/real.json", dir);
    snprintf(link, sizeof link, "%s/link.json", dir);
    snprintf(devlink, sizeof devlink, "%s/null", dir);
    FILE *f = fopen(target, "w");
    cr_assert(f);
    fputs("old", f);
    fclose(f);
    cr_assert_eq(symlink(target, link), 0);
    cr_assert_eq(symlink("/dev/null", devlink), 0);
    rl_err err = {0};
    cr_assert_eq(rl_outfile_write(link, "new", 3, &err), 0, "%s", err.msg);
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the symlink was replaced by a file");
    size_t len;
    char *got = rl_test_slurp(target, &len);
    cr_assert(got && len == 3 && memcmp(got, "new", 3) == 0, "target holds '%s'", got);
    free(got);
    /* a link to a character device: written into, the link stays */
    cr_assert_eq(rl_outfile_write(devlink, "x", 1, &err), 0, "%s", err.msg);
    cr_assert_eq(lstat(devlink, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link to /dev/null was replaced by a file");
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode), "/dev/null is no longer a character device");
    /* a directory is refused, naming it */
    cr_assert_eq(rl_outfile_write(dir, "x", 1, &err), -1);
    cr_assert(strstr(err.msg, dir) && strstr(err.msg, "directory"), "%s", err.msg);
    cr_assert_eq(rl_outfile_check(dir, &err), -1);
    cr_assert_eq(rl_outfile_check(link, &err), 0, "%s", err.msg);
    cr_assert_eq(rl_outfile_check("/nonexistent-roofline-dir/x", &err), -1);
    cr_assert(strstr(err.msg, "/nonexistent-roofline-dir/x"), "%s", err.msg);
    unlink(link);
    unlink(devlink);
    unlink(target);
    rmdir(dir);
}
