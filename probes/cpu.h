/* cpu.h: CPU identity (libcpuid) and the ISA features that can actually run here (CPUID and XCR0).
 * Reads this machine, or a libcpuid raw dump (../shared/fixtures/cpuid/) for a machine we do not
 * have. */
#ifndef RL_CPU_H
#define RL_CPU_H

#include <stdint.h>

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
    /* Raw leaves probes/uarch and the report need (libcpuid 0.6.2 keeps only subleaf 0 of leaf 7,
     * so subleaf 1 is read with CPUID here, or from the dump's text when it recorded it). */
    uint32_t leaf1_ecx, leaf1_edx;
    uint32_t leaf7_ebx, leaf7_ecx, leaf7_edx; /* leaf 7 subleaf 0 */
    uint32_t leaf7_1_eax;                     /* leaf 7 subleaf 1 */
    int leaf7_1_known;  /* 0: the dump has no subleaf 1 (BF16/AVX-VNNI unknown) */
    int hybrid;         /* leaf 7 EDX bit 15: P and E cores */
    uint64_t xcr0;      /* XGETBV(0); meaningful when xcr0_known */
    int xcr0_known;     /* 0 for dumps: XCR0 assumed enabled */
    char isa_note[160]; /* how runnable_isa was decided */
} rl_cpu;

/* dump_path NULL: this machine. Errors: a missing or unreadable dump is RL_EXIT_INPUT. */
int rl_cpu_identify(const char *dump_path, rl_cpu *cpu, rl_err *err);

/* Decides cpuid_isa, runnable_isa and isa_note from the leaf fields, xcr0 and xcr0_known (exported
 * so tests can feed synthetic leaves). AVX-class features need OSXSAVE and XCR0 bits 1-2 (SSE, AVX
 * state); AVX-512 ones also bits 5-7 (opmask, ZMM_Hi256, Hi16_ZMM). */
void rl_cpu_decide_isa(rl_cpu *cpu);

/* Copies identity and ISA into the result's machine description. */
void rl_cpu_describe(const rl_cpu *cpu, rl_machine *m);

#endif
