/* cpu_arm.h: the AArch64 half of probes/cpu: identity and features from what the Linux kernel
 * reports, for this machine (on an AArch64 build) or for a saved /proc/cpuinfo (on any host).
 *
 *  - Identity: the MIDR_EL1 fields /proc/cpuinfo prints per core ("CPU implementer", "CPU part",
 *    "CPU variant", "CPU revision"), so every kind of core of a big.LITTLE part is seen.
 *  - Features: getauxval(AT_HWCAP) and getauxval(AT_HWCAP2): asimd, asimdhp, asimddp and sve live
 *    in the first word; sve2, bf16, i8mm, sme, sme2, svebf16, svei8mm in the second (a reader that
 *    tests HWCAP2 bits against AT_HWCAP reads unrelated first-word bits). A saved file's Features
 *    line lists the same features by the kernel's names and stands for both words.
 *  - Vector lengths: prctl(PR_SVE_GET_VL) and prctl(PR_SME_GET_VL), which are per thread: the
 *    caller is the thread that runs the kernels.
 * The kernel reports a feature only when it saves that state for the task, so every reported
 * feature can run. Built on every architecture (the Makefile's ARCH_KEEP leaves it in): only the
 * "this machine" part is AArch64's. */
#ifndef RL_CPU_ARM_H
#define RL_CPU_ARM_H

#include <stdint.h>

#include "common/err.h"
#include "common/isa.h"
#include "probes/cpu.h"

/* The kernel's HWCAP bits this module reads (Linux arch/arm64/include/uapi/asm/hwcap.h). */
#define RL_HWCAP_ASIMD    (1ull << 1)
#define RL_HWCAP_ASIMDHP  (1ull << 10)
#define RL_HWCAP_CPUID    (1ull << 11)
#define RL_HWCAP_ASIMDDP  (1ull << 20)
#define RL_HWCAP_SVE      (1ull << 22)
#define RL_HWCAP2_SVE2    (1ull << 1)
#define RL_HWCAP2_SVEI8MM (1ull << 9)
#define RL_HWCAP2_SVEBF16 (1ull << 12)
#define RL_HWCAP2_I8MM    (1ull << 13)
#define RL_HWCAP2_BF16    (1ull << 14)
#define RL_HWCAP2_SME     (1ull << 23)
#define RL_HWCAP2_SME2    (1ull << 37)

/* path NULL: this machine (an AArch64 build only; elsewhere RL_EXIT_RUNTIME). Otherwise a saved
 * /proc/cpuinfo: a file that cannot be read, holds binary data or over-long lines, has a malformed
 * MIDR field, or has no AArch64 record at all is RL_EXIT_INPUT, naming the file and line. */
int rl_cpu_arm_identify(const char *path, rl_cpu *cpu, rl_err *err);

/* The ISA bits of two HWCAP words, and the two words a Features line stands for (unknown names
 * are ignored: the kernel adds features every release). Exported for the tests. */
rl_isa_mask rl_cpu_arm_isa_from_hwcap(uint64_t hwcap, uint64_t hwcap2);
void rl_cpu_arm_hwcap_from_features(const char *features, uint64_t *hwcap, uint64_t *hwcap2);

/* "ARM", "Ampere", "Fujitsu", ... for an implementer code; NULL when unknown. */
const char *rl_cpu_arm_implementer_name(unsigned code);

#endif
