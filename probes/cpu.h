/* cpu.h: CPU identity (libcpuid) and the ISA features that can actually run here (CPUID and XCR0).
 * Reads this machine, or a libcpuid raw dump (../shared/fixtures/cpuid/) for a machine we do not
 * have. */
#ifndef RL_CPU_H
#define RL_CPU_H

#include "common/err.h"
#include "common/isa.h"
#include "result/result.h"

typedef struct rl_cpu {
    char vendor[16], brand[64], codename[64];
    int family, model, stepping; /* display family/model (extended fields folded in) */
    rl_isa_mask cpuid_isa;       /* what CPUID reports */
    rl_isa_mask runnable_isa;    /* cpuid_isa masked by XCR0 (a dump: by the XCR0 it recorded, or
                                    assumed enabled when it recorded none) */
    int from_dump;
    /* ... the probes module may add fields (leaf values needed by probes/uarch) */
} rl_cpu;

/* dump_path NULL: this machine. Errors: a missing or unreadable dump is RL_EXIT_INPUT. */
int rl_cpu_identify(const char *dump_path, rl_cpu *cpu, rl_err *err);

/* Copies identity and ISA into the result's machine description. */
void rl_cpu_describe(const rl_cpu *cpu, rl_machine *m);

#endif
