/* uarch_arm.c: the AArch64 microarchitecture table (see uarch_arm.h).
 *
 * Sources. Arm's Software Optimization Guides give, per core, the FP/ASIMD issue pipelines and
 * which of them execute each instruction; LLVM's scheduling models transcribe them
 * (llvm/lib/Target/AArch64/AArch64SchedNeoverse*.td, each file naming its guide), and those files
 * are what the rows below cite, with the instruction groups they were read from. Fujitsu
 * publishes the A64FX Microarchitecture Manual (github.com/fujitsu/A64FX, doc/). The SVE vector
 * length of a core is not in the guides' tables; the rows cite where it is stated.
 *
 * Facts worth remembering beside the numbers:
 *  - Neoverse V1 runs SVE on two 256-bit pipes and NEON on four 128-bit ones: the same 16 fp64
 *    FLOPs/cycle either way. Neoverse V2 has four 128-bit pipes for both (SVE length 128).
 *  - A64FX's FLA and FLB pipelines are 512 bits wide; its FMLA latency is 9 cycles, so 18 chains
 *    (two pipes x 9) are needed to fill them: the kernels use 24 or more.
 *  - The same part number means different cores under different implementers (ARM 0xd0c is
 *    Neoverse N1; another implementer's 0xd0c would be its own design): rows key on both. */
#include "probes/uarch_arm.h"

#include <stdio.h>
#include <string.h>

#define ARM       0x41u
#define FUJITSU   0x46u
#define HISILICON 0x48u
#define MICROSOFT 0x6du

static const rl_uarch_arm_row rows[] = {
    {ARM, 0xd0c, "neoverse-n1", "AWS Graviton 2, Ampere Altra", 2, 0, 0, 1,
     "llvm-sched-neoverse-n1",
     "LLVM AArch64SchedNeoverseN1.td (from Arm's Neoverse N1 Software Optimization Guide): two "
     "FP/ASIMD pipes V0/V1; ASIMD FP multiply accumulate (FMLA) on either, latency 4"},
    /* SVE length 0: no source opened states Neoverse N2's or V3's; on the machine the thread's
     * (prctl) fills it in, and a --cpuinfo file gets NEON rows only. */
    {ARM, 0xd49, "neoverse-n2", "Neoverse N2 parts", 2, 0, 2, 1, "llvm-sched-neoverse-n2",
     "LLVM AArch64SchedNeoverseN2.td (Arm's Neoverse N2 Software Optimization Guide): two FP/ASIMD "
     "pipes V0/V1; SVE FMLA (N2Wr_ZFMA) on either, latency 4; ASIMD FMLA on the same two pipes"},
    /* The same core under Microsoft's implementer code (Linux's cputype.h: "Based on r0p0 of ARM
     * Neoverse N2"). */
    {MICROSOFT, 0xd49, "neoverse-n2", "Microsoft Azure Cobalt 100", 2, 0, 2, 1,
     "llvm-sched-neoverse-n2 linux-arm64-cputype",
     "Linux cputype.h: Cobalt 100 (implementer 0x6d, part 0xd49) is Neoverse N2 r0p0; LLVM "
     "AArch64SchedNeoverseN2.td: two FP/ASIMD pipes V0/V1 take ASIMD and SVE FMLA, latency 4"},
    {ARM, 0xd40, "neoverse-v1", "AWS Graviton 3", 4, 256, 2, 1,
     "llvm-sched-neoverse-v1 lemire-sve-2025",
     "LLVM AArch64SchedNeoverseV1.td (from Arm's Neoverse V1 Software Optimization Guide): four "
     "FP/ASIMD pipes V0-V3 take ASIMD FMLA/SDOT/BFDOT/MMLA; SVE FMLA on V0/V1, latency 4; SVE "
     "length 256 bits (D. Lemire, 2025-03-29)"},
    {ARM, 0xd4f, "neoverse-v2", "NVIDIA Grace, AWS Graviton 4, Google Axion", 4, 128, 4, 1,
     "llvm-sched-neoverse-v2 lemire-sve-2025",
     "LLVM AArch64SchedNeoverseV2.td (from Arm's Neoverse V2 Software Optimization Guide): four "
     "FP/ASIMD pipes V0-V3 take ASIMD and SVE FMLA, latency 4; SVE length 128 bits (D. Lemire, "
     "2025-03-29)"},
    {ARM, 0xd84, "neoverse-v3", "Neoverse V3 parts", 4, 0, 4, 1,
     "llvm-sched-neoverse-v3 linux-arm64-cputype",
     "LLVM AArch64SchedNeoverseV3.td (Arm's Neoverse V3 Software Optimization Guide): four "
     "FP/ASIMD "
     "pipes V0-V3; ASIMD FMLA (V3Wr_VFMA) and SVE FMLA (V3Wr_ZFMA) on any of them, latency 4; part "
     "0xd84 from Linux cputype.h"},
    {HISILICON, 0xd01, "tsv110", "HiSilicon Kunpeng 920", 2, 0, 0, 1, "llvm-sched-tsv110",
     "LLVM AArch64SchedTSV110.td: two FP/ASIMD pipes FSU1/FSU2; ASIMD FP multiply and add on "
     "either "
     "(FMLA is not listed on its own: taken at the multiply's pipes)"},
    {FUJITSU, 0x001, "a64fx", "Fujitsu A64FX (Fugaku, FX700, FX1000)", 2, 512, 2, 1,
     "fujitsu-a64fx-manual",
     "Fujitsu A64FX Microarchitecture Manual 1.8.1: FLA and FLB execute SIMD&FP and SVE "
     "multiply-add, FMLA/FMAD on either (FL*), latency 9; SVE length 512 bits"},
};

size_t rl_uarch_arm_count(void)
{
    return sizeof rows / sizeof rows[0];
}

const rl_uarch_arm_row *rl_uarch_arm_at(size_t i)
{
    return i < rl_uarch_arm_count() ? &rows[i] : NULL;
}

int rl_uarch_arm_row_source(size_t i, const char **name, const char **source)
{
    if (i >= rl_uarch_arm_count())
        return 0;
    *name = rows[i].name;
    *source = rows[i].source;
    return 1;
}

/* What the features prove, a lower bound: a core with NEON executes at least one 128-bit FMLA
 * every two cycles (the narrowest AArch64 FP datapaths are 64 bits wide), and one with SVE at
 * least the same 64 bits of FMLA work per cycle at its vector length. */
static void fallback(const rl_cpu *cpu, rl_uarch *out)
{
    snprintf(out->name, sizeof out->name, "fallback");
    out->known = 0;
    out->neon_pipes = 0.5;
    out->sve_bits = cpu->sve_bits;
    out->sve_pipes = cpu->sve_bits > 0 ? 64.0 / cpu->sve_bits : 0;
    out->neon_fp16 = (cpu->runnable_isa & RL_ISA_ASIMDHP) != 0;
    snprintf(out->detail, sizeof out->detail, "none: a lower bound from the features");
    const rl_arm_core *k = &cpu->arm_cores[0];
    snprintf(out->note, sizeof out->note,
             "%s part 0x%03x%s: a lower bound from its features alone, one 64-bit FMA per "
             "cycle (half a 128-bit FMLA)%s",
             cpu->vendor, k->part,
             cpu->emulated[0] ? " (emulated: the emulator's MIDR, not a real core's)"
                              : " is not in the AArch64 table",
             cpu->sve_bits > 0 ? ", SVE at the thread's vector length" : "");
}

void rl_uarch_arm_lookup(const rl_cpu *cpu, rl_uarch *out)
{
    memset(out, 0, sizeof *out);
    out->arm = 1;
    const rl_arm_core *k = &cpu->arm_cores[0];
    const rl_uarch_arm_row *r = NULL;
    for (size_t i = 0; !cpu->emulated[0] && cpu->n_arm_cores > 0 && i < rl_uarch_arm_count(); i++)
        if (rows[i].implementer == k->implementer && rows[i].part == k->part)
            r = &rows[i];
    if (!r) {
        fallback(cpu, out);
        return;
    }
    out->known = 1;
    snprintf(out->name, sizeof out->name, "%s", r->name);
    out->neon_pipes = r->neon_pipes;
    out->sve_bits = cpu->sve_bits > 0 ? cpu->sve_bits : r->sve_bits;
    /* A thread whose length was lowered (prctl PR_SVE_SET_VL) keeps the pipes' count, each
     * doing less: the FLOPs follow the length it runs at. */
    out->sve_pipes = r->sve_pipes;
    out->neon_fp16 = r->neon_fp16;
    snprintf(out->source, sizeof out->source, "%s", r->source);
    snprintf(out->detail, sizeof out->detail, "%s", r->detail);
    int n = snprintf(out->note, sizeof out->note, "%s (%s part 0x%03x; %s): %g x 128-bit FMLA",
                     r->name, cpu->vendor, k->part, r->chips, r->neon_pipes);
    if (n > 0 && (size_t)n < sizeof out->note && out->sve_bits > 0)
        n += snprintf(out->note + n, sizeof out->note - (size_t)n, ", %g x %d-bit SVE FMLA",
                      r->sve_pipes, out->sve_bits);
    if (n > 0 && (size_t)n < sizeof out->note && cpu->arm_mixed)
        snprintf(out->note + n, sizeof out->note - (size_t)n,
                 " per cycle; %d kinds of core: the figures are the first kind's",
                 cpu->n_arm_cores);
    else if (n > 0 && (size_t)n < sizeof out->note)
        snprintf(out->note + n, sizeof out->note - (size_t)n, " per cycle");
}
