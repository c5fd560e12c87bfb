/* machine_opts.c: parsing of the machine-description flags (see machine_opts.h). */
#include "cli/machine_opts.h"

#include "cli/cmds.h"
#include "common/err.h"

const char rl_machine_opts_help[] =
    "Machine description (default: this machine):\n"
    "  --cpuid-dump FILE   identify the CPU from a libcpuid raw CPUID dump instead of this one\n"
    "  --topology FILE     read an hwloc XML topology (lstopo --of xml) instead of this machine's\n"
    "  --clock GHZ         core clock for theoretical figures, used instead of measuring it\n"
    "  --mem-channels N    populated DRAM channels (overrides SMBIOS)\n"
    "  --mem-mts N         DRAM transfer rate in MT/s, e.g. 3200 for DDR4-3200 (overrides "
    "SMBIOS)\n";

int rl_machine_opt(int opt, const char *arg, const char *cmd, rl_probe_opts *o)
{
    double d;
    long n;
    switch (opt) {
    case RL_OPT_CPUID_DUMP:
        if (!arg || !*arg)
            return rl_cli_usage_error(cmd, "--cpuid-dump: needs a file name");
        o->cpuid_dump = arg;
        return 0;
    case RL_OPT_TOPOLOGY:
        if (!arg || !*arg)
            return rl_cli_usage_error(cmd, "--topology: needs a file name");
        o->topology_xml = arg;
        return 0;
    case RL_OPT_CLOCK:
        if (rl_cli_parse_double(arg, 0, 100, &d) != 0 || d <= 0)
            return rl_cli_usage_error(cmd, "--clock: '%s' is not a clock in GHz (0 < GHZ <= 100)",
                                      arg);
        o->clock_ghz = d;
        return 0;
    case RL_OPT_MEM_CHANNELS:
        if (rl_cli_parse_int(arg, 1, 4096, &n) != 0)
            return rl_cli_usage_error(cmd, "--mem-channels: '%s' is not a channel count (1-4096)",
                                      arg);
        o->mem_channels = (int)n;
        return 0;
    case RL_OPT_MEM_MTS:
        if (rl_cli_parse_double(arg, 1, 100000, &d) != 0)
            return rl_cli_usage_error(
                cmd, "--mem-mts: '%s' is not a transfer rate in MT/s (1-100000)", arg);
        o->mem_mts = d;
        return 0;
    default:
        return -1;
    }
}
