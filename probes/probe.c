/* probe.c: the machine description and its theoretical roofline (see probe.h). */
#include "probes/probe.h"

#include <stdio.h>
#include <string.h>

#include "probes/clock.h"
#include "probes/cpu.h"
#include "probes/memory.h"
#include "probes/theory.h"
#include "probes/topology.h"
#include "probes/uarch.h"

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
    if (rl_cpu_identify(o->cpuid_dump, &cpu, err) != 0)
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
             o->cpuid_dump ? o->cpuid_dump : "this machine");
    rl_topology_describe(topo, m);
    snprintf(m->topology_source, sizeof m->topology_source, "%s",
             o->topology_xml ? o->topology_xml : "this machine");
}

int rl_probe_describe(const rl_probe_opts *o, const rl_cpu *cpu, const rl_topology *topo,
                      rl_result *r, rl_err *err)
{
    rl_machine *m = &r->machine;
    rl_probe_identity(o, cpu, topo, m);

    rl_uarch u;
    rl_uarch_lookup(cpu->vendor, cpu->family, cpu->model, cpu->stepping, cpu->brand,
                    cpu->runnable_isa, &u);
    rl_uarch_apply_hybrid_bit(&u, cpu->hybrid);
    snprintf(m->uarch, sizeof m->uarch, "%s", u.name);
    if (set_clock(o, cpu, r, err) != 0)
        return -1;

    rl_dram dram;
    if (!o->cpuid_dump && !o->topology_xml) {
        rl_memory_detect(&dram);
    } else {
        rl_dram_init(&dram);
        snprintf(dram.note, sizeof dram.note,
                 "describing another machine: give --mem-channels and --mem-mts");
    }
    rl_memory_override(&dram, o->mem_channels, o->mem_mts);

    int threads[3] = {1, o->threads, m->cores};
    if (rl_theory_derive(r, &u, cpu->runnable_isa, &dram, threads, 3, err) != 0)
        return -1;

    /* What a reader of the figures must know. */
    if (o->cpuid_dump && !o->topology_xml &&
        rl_result_add_warning(r, err,
                              "the CPU is %s but the topology (core count) is this "
                              "machine's: give --topology for the dump's machine",
                              o->cpuid_dump) != 0)
        return -1;
    if (cpu->from_dump && rl_result_add_warning(r, err, "%s", cpu->isa_note) != 0)
        return -1;
    if (!u.known && rl_result_add_warning(r, err, "%s", u.note) != 0)
        return -1;
    if (u.hybrid && rl_result_add_warning(r, err,
                                          "hybrid CPU: peaks use the P-core figure for every core, "
                                          "an upper bound when E-cores are counted") != 0)
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
    if (dram.gbs <= 0 &&
        rl_result_add_warning(r, err, "DRAM bandwidth unknown: %s", dram.note) != 0)
        return -1;
    return 0;
}
