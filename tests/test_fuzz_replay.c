/* test_fuzz_replay.c: replays every saved fuzzing input (tests/fuzz/corpus/, crashers included)
 * through the fuzz target itself, so `make SANITIZE=address,undefined test` catches a regression.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"

/* the libFuzzer target, compiled here without libFuzzer's main */
#include "tests/fuzz/fuzz_onnx.c"

Test(fuzz, replay_saved_corpus, .timeout = 120)
{
    const char *dir = "tests/fuzz/corpus";
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
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        free(data);
        n++;
    }
    closedir(d);
    cr_assert_geq(n, 20, "%zu inputs replayed", n);
}
