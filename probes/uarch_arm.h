/* uarch_arm.h: the AArch64 microarchitecture table (probes/uarch_arm.c), beside the x86 one in
 * probes/uarch.c, filling the same rl_uarch (its AArch64 fields; FLOPs/cycle follow from them as
 * probes/uarch.h says).
 *
 * A core is identified by the MIDR's implementer and part number, never by a part number alone
 * (the same part number means different cores under different implementers). One row can be
 * several chips: Graviton 4, Grace and Axion are all Neoverse V2; the clock, the core count and
 * the memory always come from the machine. Every row names its public source. A core not in the
 * table gets a lower bound from its features, said to be one. */
#ifndef RL_UARCH_ARM_H
#define RL_UARCH_ARM_H

#include <stddef.h>

#include "probes/cpu.h"
#include "probes/uarch.h"

/* The row for the CPU's first kind of core (cpu->arm_cores[0]); with several kinds (big.LITTLE),
 * the note says the figures are that kind's. A known SVE length of the calling thread
 * (cpu->sve_bits, from prctl) replaces the row's. An emulated CPU (cpu->emulated) is never looked
 * up: its MIDR is the emulator's. */
void rl_uarch_arm_lookup(const rl_cpu *cpu, rl_uarch *out);

/* The table, for the tests (every row must name a source) and docs/arm.md. */
typedef struct rl_uarch_arm_row {
    unsigned implementer, part;
    const char *name;   /* "neoverse-n1" */
    const char *chips;  /* where the core ships: "AWS Graviton 2, Ampere Altra" */
    double neon_pipes;  /* 128-bit FMLA per cycle */
    int sve_bits;       /* 0: no SVE */
    double sve_pipes;   /* SVE FMLA per cycle */
    int neon_fp16;      /* FEAT_FP16 FMLA at twice fp32's lanes */
    const char *source; /* docs/sources.md keys of its documents, space separated */
    const char *detail; /* what they say that gives the figures (the text report prints it) */
} rl_uarch_arm_row;

size_t rl_uarch_arm_count(void);
const rl_uarch_arm_row *rl_uarch_arm_at(size_t i);

/* Row i's name and source keys, for tests/test_sources.c; 0 past the last row. */
int rl_uarch_arm_row_source(size_t i, const char **name, const char **source);

#endif
