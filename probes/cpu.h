/* cpu.h: CPU identity and the ISA features that can actually run here, on any architecture.
 *
 * On x86-64, probes/cpu_x86.c fills everything from CPUID (libcpuid) and XCR0, of this machine or
 * of a libcpuid raw dump (../shared/fixtures/cpuid/) for a machine we do not have. On AArch64,
 * probes/cpu_arm.c fills it from the kernel: MIDR fields per core from /proc/cpuinfo, features
 * from HWCAP/HWCAP2, vector lengths from prctl; or from a saved /proc/cpuinfo (--cpuinfo) on any
 * host. Elsewhere the identity comes from /proc/cpuinfo and no ISA feature is detected (no kernels
 * are built for those architectures, so none could run). */
#ifndef RL_CPU_H
#define RL_CPU_H

#include <stdint.h>

#include "common/err.h"
#include "common/isa.h"
#include "result/result.h"

/* One kind of AArch64 core: the MIDR_EL1 fields /proc/cpuinfo prints per core, and how many cores
 * print them (a big.LITTLE or DynamIQ part has two or three kinds). */
typedef struct rl_arm_core {
    unsigned implementer, part, variant, revision;
    int count;
} rl_arm_core;

#define RL_ARM_CORE_KINDS 4

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
    /* AArch64 only (zero elsewhere): the kinds of core in /proc/cpuinfo's order of first
     * appearance; the first is the one the table and the kernels describe (the boot core), and
     * `arm_mixed` says there are others. vendor/family/model/stepping repeat the first kind as
     * implementer name / implementer code / part / revision. */
    int arm;
    rl_arm_core arm_cores[RL_ARM_CORE_KINDS];
    int n_arm_cores; /* kinds, not cores */
    int arm_mixed;
    uint64_t hwcap, hwcap2; /* this machine: getauxval; a file: rebuilt from its Features line */
    int sve_bits;           /* SVE vector length on the calling thread (prctl); 0: none/unknown */
    int sme_bits;           /* SME streaming vector length (prctl); 0: none/unknown */
    /* This process runs under user-mode emulation (qemu-user): what showed it, empty when not.
     * Timings taken under emulation are not the machine's and are reported as emulated. */
    char emulated[128];
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
