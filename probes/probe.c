/* probe.c: the machine description and its theoretical roofline (see probe.h). */
#include "probes/probe.h"

#include <stdio.h>
#include <string.h>

#include "probes/clock.h"
#include "probes/cpu.h"
#include "probes/cpu_arm.h"
#include "probes/memory.h"
#include "probes/platform_mem.h"
#include "probes/theory.h"
#include "probes/topology.h"
#include "probes/uarch.h"
#include "probes/uarch_arm.h"

void rl_probe_opts_init(rl_probe_opts *o)
{
    memset(o, 0, sizeof *o);
}

static int set_clock(const rl_probe_opts *o, const rl_cpu *cpu, rl_result *r, rl_err *err)
{
    rl_machine *m = &r->machine;
    char src[32];
    double nominal = rl_clock_nominal(cpu->brand, src, sizeof src);
    /* Another machine's nominal clock can only come from its own brand string. */
    if (cpu->from_dump && strcmp(src, "brand string") != 0) {
        nominal = -1;
        snprintf(src, sizeof src, "unknown");
    }
    m->nominal_ghz = nominal;
    snprintf(m->nominal_source, sizeof m->nominal_source, "%s", src);

    if (o->clock_ghz > 0) {
        m->measured_ghz = o->clock_ghz;
        snprintf(m->measured_source, sizeof m->measured_source, "--clock");
    } else if (cpu->from_dump) {
        m->measured_ghz = -1;
        snprintf(m->measured_source, sizeof m->measured_source, "none");
    } else {
        double g = -1;
        rl_err cerr = {0};
        if (o->quick)
            g = rl_clock_measure_quick();
        else if (rl_clock_measure(&g, &cerr) != 0)
            g = -1;
        m->measured_ghz = g > 0 ? g : -1;
        snprintf(m->measured_source, sizeof m->measured_source, "%s",
                 g > 0 ? (o->quick ? "measured (add chain, quick)" : "measured (add chain)")
                       : "none");
    }
    for (int i = 0; i < o->n_clock_isa; i++)
        if (rl_result_add_isa_clock(r, &o->clock_isa[i], err) != 0)
            return -1;
    return 0;
}

int rl_probe_machine(const rl_probe_opts *o, rl_result *r, rl_err *err)
{
    rl_topology *topo = NULL;
    rl_cpu cpu;
    if (o->cpuinfo ? rl_cpu_arm_identify(o->cpuinfo, &cpu, err) != 0
                   : rl_cpu_identify(o->cpuid_dump, &cpu, err) != 0)
        return -1;
    if (rl_topology_load(o->topology_xml, &topo, err) != 0)
        return -1;
    int rc = rl_probe_describe(o, &cpu, topo, r, err);
    rl_topology_free(topo);
    return rc;
}

void rl_probe_identity(const rl_probe_opts *o, const rl_cpu *cpu, const rl_topology *topo,
                       rl_machine *m)
{
    rl_cpu_describe(cpu, m);
    snprintf(m->cpu_source, sizeof m->cpu_source, "%s",
             o->cpuid_dump ? o->cpuid_dump
             : o->cpuinfo  ? o->cpuinfo
                           : "this machine");
    rl_topology_describe(topo, m);
    snprintf(m->topology_source, sizeof m->topology_source, "%s",
             o->topology_xml ? o->topology_xml : "this machine");
}

/* The memory system of the CPU model's platform (probes/platform_mem.h), into pd; where nothing
 * else gave the DRAM bandwidth and the machine is the whole platform (bare metal: CPUID's
 * hypervisor bit clear on this machine; or --platform-memory), also into dram: channels per socket
 * x sockets at the platform's top rate. A VM's share of a host is unknown, so there it only
 * stands beside the measurement. */
static void platform_dram(const rl_probe_opts *o, const rl_cpu *cpu, const rl_machine *m,
                          rl_dram *dram, rl_platform_dram *pd)
{
    memset(pd, 0, sizeof *pd);
    pd->gbs_per_socket = -1;
    pd->mts = -1;
    const rl_platform_mem *p =
        rl_platform_mem_for(cpu->vendor, cpu->family, cpu->model, cpu->brand);
    if (!p)
        return;
    snprintf(pd->platform, sizeof pd->platform, "%s", p->platform);
    snprintf(pd->memory, sizeof pd->memory, "%s", p->memory);
    pd->channels = p->channels;
    pd->mts = p->mts;
    pd->gbs_per_socket = rl_platform_mem_gbs(p);
    pd->sockets = m->packages > 0 ? m->packages : 1;
    int hypervisor = (cpu->leaf1_ecx >> 31) != 0;
    int bare = !cpu->from_dump && !o->topology_xml && !hypervisor;
    if (dram->gbs > 0) {
        snprintf(pd->note, sizeof pd->note, "not used: the DRAM figure comes from %s",
                 dram->source);
        return;
    }
    if (!bare && !o->platform_memory) {
        snprintf(pd->note, sizeof pd->note,
                 "the platform's, not this %s's share: no theoretical ridge from it (give "
                 "--platform-memory if this machine is the whole platform)",
                 cpu->from_dump || o->topology_xml ? "description" : "VM");
        return;
    }
    pd->used = 1;
    dram->channels = p->channels * pd->sockets;
    dram->mts = p->mts;
    dram->bus_bits = 64;
    dram->gbs = dram->channels * dram->mts * 8 / 1000.0;
    snprintf(dram->source, sizeof dram->source, "platform: %s", p->memory);
    snprintf(pd->note, sizeof pd->note, "used for the ridge (%s): %d socket%s x %d channels",
             bare ? "bare metal" : "--platform-memory", pd->sockets, pd->sockets == 1 ? "" : "s",
             p->channels);
}

/* The core types of a hybrid CPU and how the peaks count them. */
static int hybrid_warning(rl_result *r, const rl_uarch *u, rl_err *err)
{
    const rl_theory *t = &r->theory;
    if (t->n_core_types < 2)
        return 0;
    const rl_core_type_theory *p = &t->core_types[0], *e = &t->core_types[1];
    if (p->cores >= 0 && e->cores >= 0)
        return rl_result_add_warning(r, err,
                                     "hybrid CPU (%s): %d %s P-core%s and %d %s E-core%s, each "
                                     "type's figures apart; the machine's peaks are the sum over "
                                     "both, fastest cores first, at one clock",
                                     u->name, p->cores, p->name, p->cores == 1 ? "" : "s", e->cores,
                                     e->name, e->cores == 1 ? "" : "s");
    return rl_result_add_warning(r, err,
                                 "hybrid CPU (%s: %s P-cores and %s E-cores, each type's "
                                 "figures apart): the topology does not tell the core types "
                                 "apart, so the machine's peaks use the P-core figure for every "
                                 "core, an upper bound (give a --topology with CPU kinds)",
                                 u->name, p->name, e->name);
}

/* "several kinds of core: 4 x ARM part 0xd46, 2 x ARM part 0xd47, ..." */
static const char *arm_kinds(const rl_cpu *cpu, char *out, size_t size)
{
    int n = snprintf(out, size, "%d kinds of core (big.LITTLE):", cpu->n_arm_cores);
    for (int i = 0; i < cpu->n_arm_cores && n > 0 && (size_t)n < size; i++)
        n +=
            snprintf(out + n, size - (size_t)n, "%s %d x implementer 0x%02x part 0x%03x r%up%u",
                     i ? "," : "", cpu->arm_cores[i].count, cpu->arm_cores[i].implementer,
                     cpu->arm_cores[i].part, cpu->arm_cores[i].variant, cpu->arm_cores[i].revision);
    if (n > 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, "; peaks use the first kind's figures for every core");
    return out;
}

int rl_probe_describe(const rl_probe_opts *o, const rl_cpu *cpu, const rl_topology *topo,
                      rl_result *r, rl_err *err)
{
    char kinds[512];
    rl_machine *m = &r->machine;
    rl_probe_identity(o, cpu, topo, m);

    rl_uarch u;
    if (cpu->arm) {
        rl_uarch_arm_lookup(cpu, &u);
    } else {
        rl_uarch_lookup(cpu->vendor, cpu->family, cpu->model, cpu->stepping, cpu->brand,
                        cpu->runnable_isa, &u);
        rl_uarch_apply_hybrid_bit(&u, cpu->hybrid);
        if (u.n_types == 2 && cpu->dump_p_cores > 0 && cpu->dump_e_cores > 0) {
            u.types[0].cores = cpu->dump_p_cores;
            u.types[1].cores = cpu->dump_e_cores;
        }
    }
    snprintf(m->uarch, sizeof m->uarch, "%s", u.name);
    m->sve_bits = u.arm ? u.sve_bits : 0;
    m->sme_bits = cpu->sme_bits;
    if (set_clock(o, cpu, r, err) != 0)
        return -1;

    rl_dram dram;
    const char *other = o->cpuid_dump ? o->cpuid_dump : o->cpuinfo;
    if (!other && !o->topology_xml) {
        rl_memory_detect(&dram);
    } else {
        rl_dram_init(&dram);
        snprintf(dram.note, sizeof dram.note,
                 "describing another machine: give --mem-channels and --mem-mts");
    }
    rl_memory_override(&dram, o->mem_channels, o->mem_mts);
    platform_dram(o, cpu, m, &dram, &r->theory.platform);

    /* A dump without its topology: its own core count where its per-CPU leaves tell it. */
    int dump_cores = o->cpuid_dump && !o->topology_xml && u.n_types == 2 && u.types[0].cores > 0
                         ? u.types[0].cores + u.types[1].cores
                         : 0;
    int threads[4] = {1, o->threads, m->cores, dump_cores};
    if (rl_theory_derive(r, &u, cpu->runnable_isa, &dram, threads, 4, err) != 0)
        return -1;

    /* What a reader of the figures must know. */
    if (other && !o->topology_xml &&
        rl_result_add_warning(r, err,
                              "the CPU is %s but the topology (core count) is this "
                              "machine's: give --topology for the dump's machine",
                              other) != 0)
        return -1;
    if (cpu->from_dump && rl_result_add_warning(r, err, "%s", cpu->isa_note) != 0)
        return -1;
    if (!u.known && rl_result_add_warning(r, err, "%s", u.note) != 0)
        return -1;
    if (u.arm && u.known &&
        rl_result_add_warning(r, err, "FLOPs/cycle source (docs/sources.md: %s): %s", u.source,
                              u.detail) != 0)
        return -1;
    if (cpu->arm_mixed &&
        rl_result_add_warning(r, err, "%s", arm_kinds(cpu, kinds, sizeof kinds)) != 0)
        return -1;
    if (cpu->emulated[0] &&
        rl_result_add_warning(r, err, "emulated: %s; timings under emulation are not the machine's",
                              cpu->emulated) != 0)
        return -1;
    if (u.hybrid && hybrid_warning(r, &u, err) != 0)
        return -1;
    if (o->threads > m->cores &&
        rl_result_add_warning(r, err,
                              "--threads %d is more than the %d cores: that peak row is "
                              "hypothetical",
                              o->threads, m->cores) != 0)
        return -1;
    if (m->measured_ghz <= 0 && m->n_per_isa == 0 &&
        rl_result_add_warning(r, err,
                              "clock not measured%s: peaks at the measured clock are "
                              "unknown (give --clock GHZ)",
                              cpu->from_dump ? " (the CPU is a dump)" : "") != 0)
        return -1;
    const rl_platform_dram *pd = &r->theory.platform;
    if (dram.gbs <= 0 && pd->gbs_per_socket > 0 &&
        rl_result_add_warning(r, err,
                              "DRAM bandwidth of this machine unknown (%s); its platform, %s, has "
                              "%d x %s per socket = %.1f GB/s per socket in theory: %s",
                              dram.note, pd->platform, pd->channels, pd->memory, pd->gbs_per_socket,
                              pd->note) != 0)
        return -1;
    if (dram.gbs <= 0 && pd->gbs_per_socket <= 0 &&
        rl_result_add_warning(r, err, "DRAM bandwidth unknown: %s", dram.note) != 0)
        return -1;
    return 0;
}
