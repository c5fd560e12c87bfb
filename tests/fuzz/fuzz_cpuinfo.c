/* fuzz_cpuinfo.c: libFuzzer target for the AArch64 /proc/cpuinfo reader (`--cpuinfo FILE`): the
 * bytes go to an in-memory file and rl_cpu_arm_identify reads it by path, as the command line
 * does (records, MIDR fields, the Features line).
 *
 *   make fuzz-run FUZZ_TARGET=cpuinfo FUZZ_TIME=120
 *
 * tests/test_fuzz_replay.c replays tests/fuzz/cpuinfo/ inside `make test`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "probes/cpu_arm.h"

int rl_fuzz_cpuinfo(const uint8_t *data, size_t size);

int rl_fuzz_cpuinfo(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-cpuinfo", 0);
    if (fd < 0)
        return 0;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    rl_cpu cpu;
    rl_err err = {0};
    rl_cpu_arm_identify(path, &cpu, &err);
    close(fd);
    return 0;
}

#ifndef RL_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return rl_fuzz_cpuinfo(data, size);
}
#endif
