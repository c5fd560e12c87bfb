/* fuzz_runtime.c: libFuzzer target for the runtime profile reader (`roofline model --runtime`,
 * schema roofline-runtime/1): rl_runtime_parse, then every curve of what it accepted is read at
 * a few sizes, as the prediction does.
 *
 *   make fuzz-run FUZZ_TARGET=runtime FUZZ_TIME=120
 *
 * tests/test_fuzz_replay.c replays tests/fuzz/runtime/ inside `make test`. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "model/runtime.h"

int rl_fuzz_runtime(const uint8_t *data, size_t size);

int rl_fuzz_runtime(const uint8_t *data, size_t size)
{
    rl_runtime *p = NULL;
    rl_err err = {0};
    if (rl_runtime_parse((const char *)data, size, "fuzz-runtime.json", &p, &err) != 0)
        return 0;
    static const double xs[] = {0, 1, 1e3, 1e6, 1e9, 1e12};
    for (size_t i = 0; i < p->n_threads; i++) {
        const rl_rt_threads *t = &p->threads[i];
        for (size_t k = 0; k < t->n_curves; k++)
            for (size_t j = 0; j < sizeof xs / sizeof xs[0]; j++) {
                double y = rl_rt_curve_predict(&t->curves[k], t->node_overhead_s, xs[j]);
                /* what the reader accepts predicts a finite, non-negative time */
                if (!(y >= 0) || isinf(y))
                    abort();
            }
    }
    rl_runtime_free(p);
    return 0;
}

#ifndef RL_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rl_fuzz_runtime(data, size);
}
#endif
