/* test_fuzz_replay.c: replays every saved fuzzing input (crashers included) through the fuzz
 * targets themselves, so `make SANITIZE=address,undefined test` catches a regression.
 *
 *   tests/fuzz/corpus/   ONNX reader      (fuzz_onnx.c)
 *   tests/fuzz/result/   result JSON      (fuzz_result.c)
 *   tests/fuzz/profile/  ORT profile      (fuzz_profile.c)
 *   tests/fuzz/runtime/  runtime profile  (fuzz_runtime.c)
 *   tests/fuzz/smbios/   SMBIOS type 17   (fuzz_smbios.c)
 *   tests/fuzz/cpuid/    CPUID dumps      (fuzz_cpuid.c)
 *   tests/fuzz/cpuinfo/  AArch64 /proc/cpuinfo (fuzz_cpuinfo.c)
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"

/* the libFuzzer targets, compiled here without libFuzzer's entry point */
#define RL_FUZZ_REPLAY
#include "tests/fuzz/fuzz_cpuid.c"
#include "tests/fuzz/fuzz_cpuinfo.c"
#include "tests/fuzz/fuzz_onnx.c"
#include "tests/fuzz/fuzz_profile.c"
#include "tests/fuzz/fuzz_result.c"
#include "tests/fuzz/fuzz_runtime.c"
#include "tests/fuzz/fuzz_smbios.c"

/* Feeds every file of `dir` to `target`; returns how many. */
static size_t replay(const char *dir, int (*target)(const uint8_t *, size_t))
{
    DIR *d = opendir(dir);
    cr_assert(d, "cannot open %s (tests run from the repository root)", dir);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *data = rl_test_slurp(path, &len);
        cr_assert(data, "cannot read %s", path);
        target((const uint8_t *)data, len);
        free(data);
        n++;
    }
    closedir(d);
    return n;
}

Test(fuzz, replay_saved_corpus, .timeout = 120)
{
    size_t n = replay("tests/fuzz/corpus", rl_fuzz_onnx);
    cr_assert_geq(n, 20, "%zu inputs replayed", n);
}

Test(fuzz, replay_result_corpus, .timeout = 120)
{
    size_t n = replay("tests/fuzz/result", rl_fuzz_result);
    cr_assert_geq(n, 4, "%zu inputs replayed", n);
}

Test(fuzz, replay_profile_corpus, .timeout = 120)
{
    size_t n = replay("tests/fuzz/profile", rl_fuzz_profile);
    cr_assert_geq(n, 3, "%zu inputs replayed", n);
}

Test(fuzz, replay_runtime_corpus, .timeout = 120)
{
    size_t n = replay("tests/fuzz/runtime", rl_fuzz_runtime);
    cr_assert_geq(n, 5, "%zu inputs replayed", n);
}

Test(fuzz, replay_smbios_corpus, .timeout = 120)
{
    size_t n = replay("tests/fuzz/smbios", rl_fuzz_smbios);
    cr_assert_geq(n, 3, "%zu inputs replayed", n);
}

Test(fuzz, replay_cpuid_corpus, .timeout = 120)
{
    size_t n = replay("tests/fuzz/cpuid", rl_fuzz_cpuid);
    cr_assert_geq(n, 3, "%zu inputs replayed", n);
}

Test(fuzz, replay_cpuinfo_corpus)
{
    size_t n = replay("tests/fuzz/cpuinfo", rl_fuzz_cpuinfo);
    cr_assert_geq(n, 5, "%zu inputs replayed", n);
}
