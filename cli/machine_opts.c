/* machine_opts.c: parsing of the machine-description flags (see machine_opts.h). */
#include "cli/machine_opts.h"

#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "common/err.h"
#include "probes/clock.h"

const char rl_machine_opts_help[] =
    "Machine description (default: this machine):\n"
    "  --cpuid-dump FILE   identify the CPU from a libcpuid raw CPUID dump instead of this one\n"
    "  --cpuinfo FILE      identify an AArch64 CPU from a saved /proc/cpuinfo (MIDR fields and\n"
    "                      Features line), on any host\n"
    "  --topology FILE     read an hwloc XML topology (lstopo --of xml) instead of this machine's\n"
    "  --clock GHZ         core clock for theoretical figures, used instead of measuring it\n"
    "  --clock ISA=GHZ[,ISA=GHZ...][,GHZ]\n"
    "                      the clock under one ISA's load (e.g. avx512f=1.5,scalar=2.2: an\n"
    "                      AVX-512 licence clock); ISA is a compute ISA or its family (scalar,\n"
    "                      sse2, avx, avx2-fma, avx512f, amx; AArch64: neon, sve, sme); a bare\n"
    "                      GHZ is every other one's\n"
    "  --mem-channels N    populated DRAM channels (overrides SMBIOS)\n"
    "  --mem-mts N         DRAM transfer rate in MT/s, e.g. 3200 for DDR4-3200 (overrides "
    "SMBIOS)\n"
    "  --platform-memory   this machine is the whole platform (every socket and channel, e.g.\n"
    "                      a whole-host VM): where SMBIOS says nothing, use the CPU model's\n"
    "                      platform DRAM (channels x top DDR rate per socket) for the ridge;\n"
    "                      automatic on bare metal\n";

/* --clock GHZ, or a list of ISA=GHZ items with at most one bare GHZ (see the help). A repeated
 * --clock replaces the whole of an earlier one. */
static int parse_clock(const char *arg, const char *cmd, rl_probe_opts *o)
{
    double d;
    if (!arg || !strchr(arg, '=')) {
        if (rl_cli_parse_double(arg, 0, 100, &d) != 0 || d <= 0)
            return rl_cli_usage_error(cmd, "--clock: '%s' is not a clock in GHz (0 < GHZ <= 100)",
                                      arg ? arg : "");
        o->clock_ghz = d;
        o->n_clock_isa = 0;
        return 0;
    }
    double all = 0;
    int n = 0;
    rl_isa_clock items[RL_MAX_CLOCK_OVERRIDES];
    for (const char *p = arg;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[64], num[64];
        if (len == 0 || len >= sizeof item)
            return rl_cli_usage_error(cmd, "--clock: '%s': empty or overlong item", arg);
        memcpy(item, p, len);
        item[len] = '\0';
        char *eq = strchr(item, '=');
        snprintf(num, sizeof num, "%s", eq ? eq + 1 : item);
        if (rl_cli_parse_double(num, 0, 100, &d) != 0 || d <= 0)
            return rl_cli_usage_error(cmd, "--clock: '%s' is not a clock in GHz (0 < GHZ <= 100)",
                                      num);
        if (!eq) {
            if (all > 0)
                return rl_cli_usage_error(cmd, "--clock: '%s': two clocks for every ISA", arg);
            all = d;
        } else {
            *eq = '\0';
            const char *family = rl_clock_family(item);
            if (!family)
                return rl_cli_usage_error(cmd,
                                          "--clock: '%s' is not an ISA (valid: scalar, sse2, avx, "
                                          "avx2-fma, avx512f, amx, neon, sve, sme, or a compute "
                                          "ISA's name)",
                                          item);
            for (int i = 0; i < n; i++)
                if (strcmp(items[i].isa, family) == 0)
                    return rl_cli_usage_error(cmd, "--clock: two clocks for %s", family);
            if (n >= RL_MAX_CLOCK_OVERRIDES)
                return rl_cli_usage_error(cmd, "--clock: more than %d ISAs",
                                          RL_MAX_CLOCK_OVERRIDES);
            memset(&items[n], 0, sizeof items[n]);
            snprintf(items[n].isa, sizeof items[n].isa, "%s", family);
            items[n].threads = 0;
            items[n].ghz = d;
            snprintf(items[n].method, sizeof items[n].method, "--clock");
            n++;
        }
        if (!end)
            break;
        p = end + 1;
    }
    o->clock_ghz = all;
    o->n_clock_isa = n;
    memcpy(o->clock_isa, items, (size_t)n * sizeof items[0]);
    return 0;
}

int rl_machine_opt(int opt, const char *arg, const char *cmd, rl_probe_opts *o)
{
    double d;
    long n;
    switch (opt) {
    case RL_OPT_CPUID_DUMP:
        if (!arg || !*arg)
            return rl_cli_usage_error(cmd, "--cpuid-dump: needs a file name");
        o->cpuid_dump = arg;
        if (o->cpuinfo)
            return rl_cli_usage_error(cmd, "--cpuinfo and --cpuid-dump: give one CPU");
        return 0;
    case RL_OPT_CPUINFO:
        if (!arg || !*arg)
            return rl_cli_usage_error(cmd, "--cpuinfo: needs a file name");
        o->cpuinfo = arg;
        if (o->cpuid_dump)
            return rl_cli_usage_error(cmd, "--cpuinfo and --cpuid-dump: give one CPU");
        return 0;
    case RL_OPT_TOPOLOGY:
        if (!arg || !*arg)
            return rl_cli_usage_error(cmd, "--topology: needs a file name");
        o->topology_xml = arg;
        return 0;
    case RL_OPT_CLOCK:
        return parse_clock(arg, cmd, o);
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
    case RL_OPT_PLATFORM_MEMORY:
        o->platform_memory = 1;
        return 0;
    default:
        return -1;
    }
}
