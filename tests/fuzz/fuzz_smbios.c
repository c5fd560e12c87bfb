/* fuzz_smbios.c: libFuzzer target for the SMBIOS type-17 readers (probes/memory.c): the raw table
 * (/sys/firmware/dmi/tables/DMI) and, on the same bytes as text, `dmidecode -t 17` output.
 *
 *   make fuzz-run FUZZ_TARGET=smbios FUZZ_TIME=120
 *
 * tests/test_fuzz_replay.c replays tests/fuzz/smbios/ inside `make test`. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/memory.h"

int rl_fuzz_smbios(const uint8_t *data, size_t size);

int rl_fuzz_smbios(const uint8_t *data, size_t size)
{
    rl_dram d;
    rl_err err = {0};
    rl_dram_init(&d);
    rl_memory_parse_smbios(data, size, "fuzz-dmi.bin", &d, &err);
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rl_dram_init(&d);
    rl_memory_parse_dmidecode(text, &d);
    free(text);
    return 0;
}

#ifndef RL_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rl_fuzz_smbios(data, size);
}
#endif
