/* cpu.h: CPU identity and the ISA features that can actually run here, on any architecture.
 *
 * On x86-64, probes/cpu_x86.c fills everything from CPUID (libcpuid) and XCR0, of this machine or
 * of a libcpuid raw dump (../shared/fixtures/cpuid/) for a machine we do not have. Elsewhere the
 * identity comes from /proc/cpuinfo and no ISA feature is detected yet (no kernels are built for
 * those architectures, so none could run). */
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
    /* x86 only (zero elsewhere): raw leaves probes/uarch and the report need (libcpuid 0.6.2 keeps
     * only subleaf 0 of leaf 7, so subleaf 1 is read with CPUID, or from the dump's text when it
     * recorded it). */
    uint32_t leaf1_ecx, leaf1_edx;
    uint32_t leaf7_ebx, leaf7_ecx, leaf7_edx; /* leaf 7 subleaf 0 */
    uint32_t leaf7_1_eax;                     /* leaf 7 subleaf 1 */
    int leaf7_1_known;  /* 0: the dump has no subleaf 1 (BF16/AVX-VNNI unknown) */
    int hybrid;         /* leaf 7 EDX bit 15: P and E cores */
    uint64_t xcr0;      /* XGETBV(0); meaningful when xcr0_known */
    int xcr0_known;     /* 0 for dumps: XCR0 assumed enabled */
    int amx_permitted;  /* this machine: Linux granted the AMX tile data state (1), refused it or
                           was not asked (0: no AMX in CPUID and XCR0); dumps: unused */
    char isa_note[160]; /* how runnable_isa was decided */
    /* x86 dumps that record every logical CPU (cpuid-tool's format): cores of each hybrid core
     * type from each CPU's leaf 0x1A (0x40 Core, 0x20 Atom) and leaf 0xB's threads per core;
     * 0 when the dump does not tell (one CPU recorded, no leaf 0x1A) */
    int dump_p_cores, dump_e_cores;
} rl_cpu;

/* dump_path NULL: this machine. Errors: a missing or unreadable dump is RL_EXIT_INPUT; a build
 * for another architecture than x86-64 reads no CPUID dumps (RL_EXIT_INPUT as well). */
int rl_cpu_identify(const char *dump_path, rl_cpu *cpu, rl_err *err);

/* Identity from a /proc/cpuinfo text (`path`), the fallback where no architecture probe exists:
 * vendor from "vendor_id" or AArch64's "CPU implementer", brand from "model name", each "unknown"
 * when absent; model and stepping from "CPU part" and "CPU revision" where only those exist; no
 * ISA features. An unreadable file leaves everything unknown: a machine without /proc is no error.
 * Exported so tests can feed other machines' files. */
void rl_cpu_identify_cpuinfo(const char *path, rl_cpu *cpu);

/* Copies identity and ISA into the result's machine description. */
void rl_cpu_describe(const rl_cpu *cpu, rl_machine *m);

#endif
