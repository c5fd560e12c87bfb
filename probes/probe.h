/* probe.h: everything roofline knows about a machine before it measures anything.
 *
 * rl_probe_machine identifies the CPU (this one or a --cpuid-dump), reads the topology (this
 * machine or a --topology XML), measures the clock (or takes --clock), finds the DRAM configuration
 * (SMBIOS, or --mem-channels/--mem-mts) and derives the theoretical roofline into r->machine and
 * r->theory. */
#ifndef RL_PROBE_H
#define RL_PROBE_H

#include "common/err.h"
#include "probes/cpu.h"
#include "probes/topology.h"
#include "result/result.h"

#define RL_MAX_CLOCK_OVERRIDES 8

typedef struct rl_probe_opts {
    const char *cpuid_dump;   /* NULL: this machine's CPU */
    const char *cpuinfo;      /* an AArch64 /proc/cpuinfo to describe instead (--cpuinfo) */
    const char *topology_xml; /* NULL: this machine's topology */
    double clock_ghz;         /* > 0: --clock GHZ, used instead of measuring */
    /* --clock ISA=GHZ[,ISA=GHZ...]: per clock family (probes/clock.h: rl_clock_family), threads 0,
     * method "--clock"; they go to r->machine.per_isa and rule the rows of those ISAs */
    rl_isa_clock clock_isa[RL_MAX_CLOCK_OVERRIDES];
    int n_clock_isa;
    int mem_channels;    /* > 0: --mem-channels */
    double mem_mts;      /* > 0: --mem-mts */
    int platform_memory; /* --platform-memory: this machine is the whole platform (all its
                            sockets and channels), so the CPU model's platform DRAM figure is
                            its theory where SMBIOS says nothing (automatic on bare metal) */
    int threads;         /* > 0: --threads, peaks also at this core count */
    int quick;           /* one short clock estimate instead of the full measurement */
} rl_probe_opts;

void rl_probe_opts_init(rl_probe_opts *o);

/* Fills r->machine and r->theory; warnings (a dump with this machine's topology, an unknown
 * microarchitecture, ...) go to r->warnings. Bad input files are RL_EXIT_INPUT. */
int rl_probe_machine(const rl_probe_opts *o, rl_result *r, rl_err *err);

/* The same for a CPU and a topology the caller has already read (rl_cpu_identify,
 * rl_topology_load) and keeps: the measurement job (runner/job.h) pins its threads with the
 * topology and picks kernels by the CPU's runnable ISA, so it reads the machine once and describes
 * it from those. o->cpuid_dump and o->topology_xml only name the sources here. rl_probe_identity
 * fills only the identity, ISA and topology of m (no clock, DRAM or theory: nothing slow). */
int rl_probe_describe(const rl_probe_opts *o, const rl_cpu *cpu, const rl_topology *topo,
                      rl_result *r, rl_err *err);
void rl_probe_identity(const rl_probe_opts *o, const rl_cpu *cpu, const rl_topology *topo,
                       rl_machine *m);

#endif
