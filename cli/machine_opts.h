/* machine_opts.h: the flags that describe the machine, shared by `roofline`, probe, flops,
 * bandwidth and model: --cpuid-dump FILE, --cpuinfo FILE, --topology FILE.xml, --clock GHZ,
 * --mem-channels N, --mem-mts N.
 *
 * Use: put RL_MACHINE_LONGOPTS in the command's getopt_long table, and hand every option it returns
 * to rl_machine_opt first. */
#ifndef RL_MACHINE_OPTS_H
#define RL_MACHINE_OPTS_H

#include <getopt.h>

#include "probes/probe.h"

enum {
    RL_OPT_CPUID_DUMP = 1000,
    RL_OPT_TOPOLOGY,
    RL_OPT_CLOCK,
    RL_OPT_MEM_CHANNELS,
    RL_OPT_MEM_MTS,
    RL_OPT_PLATFORM_MEMORY,
    RL_OPT_CPUINFO,
};

#define RL_MACHINE_LONGOPTS                                                                        \
    {"cpuid-dump", required_argument, NULL, RL_OPT_CPUID_DUMP},                                    \
        {"topology", required_argument, NULL, RL_OPT_TOPOLOGY},                                    \
        {"clock", required_argument, NULL, RL_OPT_CLOCK},                                          \
        {"mem-channels", required_argument, NULL, RL_OPT_MEM_CHANNELS},                            \
        {"platform-memory", no_argument, NULL, RL_OPT_PLATFORM_MEMORY},                            \
        {"cpuinfo", required_argument, NULL, RL_OPT_CPUINFO},                                      \
    {                                                                                              \
        "mem-mts", required_argument, NULL, RL_OPT_MEM_MTS                                         \
    }

/* The --help lines for these flags (a block of "  --flag ...  text\n" lines). */
extern const char rl_machine_opts_help[];

/* Handles one option from getopt_long. Returns 0 when it was one of ours and valid, -1 when it is
 * not ours, and RL_EXIT_USAGE (after printing the one-line error naming the flag) for a bad value.
 */
int rl_machine_opt(int opt, const char *arg, const char *cmd, rl_probe_opts *o);

#endif
