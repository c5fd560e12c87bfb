/* fuzz_profile.c: libFuzzer target for the ONNX Runtime profile reader (`roofline model
 * --profile`): rl_roof_profile_parse matched against a small graph of three named nodes.
 *
 *   make fuzz-run FUZZ_TARGET=profile FUZZ_TIME=120
 *
 * tests/test_fuzz_replay.c replays tests/fuzz/profile/ inside `make test`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/roof.h"

int rl_fuzz_profile(const uint8_t *data, size_t size);

int rl_fuzz_profile(const uint8_t *data, size_t size)
{
    rl_onnx_node src[3] = {{.name = "conv1"}, {.name = "relu"}, {.name = ""}};
    rl_node nodes[3];
    memset(nodes, 0, sizeof nodes);
    for (size_t i = 0; i < 3; i++)
        nodes[i].src = &src[i];
    rl_graph g;
    memset(&g, 0, sizeof g);
    g.nodes = nodes;
    g.n_nodes = 3;
    rl_profile_stats st;
    rl_err err = {0};
    rl_roof_profile_parse((const char *)data, size, "fuzz-profile.json", &g, &st, &err);
    return 0;
}

#ifndef RL_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rl_fuzz_profile(data, size);
}
#endif
