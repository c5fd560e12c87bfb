/* cpu_x86.h: the x86 half of probes/cpu: identity from CPUID through libcpuid, this machine's or a
 * raw dump's (../shared/fixtures/cpuid/), and the ISA features that can actually run (CPUID and
 * XCR0). Built only for x86-64 (the Makefile's ARCH_KEEP): probes/cpu.c calls it there and nowhere
 * else. Exported for probes/cpu.c and the tests. */
#ifndef RL_CPU_X86_H
#define RL_CPU_X86_H

#include "common/err.h"
#include "probes/cpu.h"

/* rl_cpu_identify on x86-64 (see cpu.h): dump_path NULL reads this machine's CPUID and XCR0. */
int rl_cpu_x86_identify(const char *dump_path, rl_cpu *cpu, rl_err *err);

/* Decides cpuid_isa, runnable_isa and isa_note from the leaf fields, xcr0 and xcr0_known (exported
 * so tests can feed synthetic leaves). AVX-class features need OSXSAVE and XCR0 bits 1-2 (SSE, AVX
 * state); AVX-512 ones also bits 5-7 (opmask, ZMM_Hi256, Hi16_ZMM). */
void rl_cpu_x86_decide_isa(rl_cpu *cpu);

#endif
