/* fuzz_result.c: libFuzzer target for the result JSON reader. It enters where `roofline report`,
 * `compare` and `model --machine` do (rl_result_from_json), then writes the result back to JSON and
 * reads that again, so everything the reader accepts must also survive the writer.
 *
 *   make fuzz-run FUZZ_TARGET=result FUZZ_TIME=120
 *
 * tests/test_fuzz_replay.c replays tests/fuzz/result/ inside `make test`. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "result/result.h"

int rl_fuzz_result(const uint8_t *data, size_t size);

int rl_fuzz_result(const uint8_t *data, size_t size)
{
    rl_err err = {0};
    rl_result *r = rl_result_from_json((const char *)data, size, "fuzz.json", &err);
    if (!r)
        return 0;
    char *text = rl_result_to_json(r, &err);
    if (text) {
        rl_result *again = rl_result_from_json(text, strlen(text), "fuzz-again.json", &err);
        /* what the writer writes, the reader reads */
        if (!again)
            abort();
        rl_result_free(again);
        free(text);
    }
    rl_result_free(r);
    return 0;
}

#ifndef RL_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rl_fuzz_result(data, size);
}
#endif
