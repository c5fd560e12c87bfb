/* test_cpu_arm.c: the AArch64 identity and features (probes/cpu_arm.c) on saved /proc/cpuinfo
 * files of real machines (tests/data/cpuinfo-aarch64-*.txt, sources in
 * tests/data/cpuinfo-aarch64-sources.md), and the HWCAP words bit by bit. Portable: runs in the
 * x86 suite and in the aarch64 one. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "probes/cpu_arm.h"
#include "tests/helpers.h"

static void identify(const char *file, rl_cpu *cpu)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/%s", file);
    rl_err err = {0};
    cr_assert_eq(rl_cpu_arm_identify(path, cpu, &err), 0, "%s: %s", path, err.msg);
}

Test(cpu_arm, neoverse_n1_midr_and_features)
{
    rl_cpu cpu;
    identify("cpuinfo-aarch64-neoverse-n1-altra.txt", &cpu);
    cr_assert(cpu.arm && cpu.from_dump);
    cr_assert_str_eq(cpu.vendor, "ARM");
    cr_assert_eq(cpu.n_arm_cores, 1);
    cr_assert_eq(cpu.arm_cores[0].implementer, 0x41);
    cr_assert_eq(cpu.arm_cores[0].part, 0xd0c);
    cr_assert_eq(cpu.arm_cores[0].variant, 3);
    cr_assert_eq(cpu.arm_cores[0].revision, 1);
    cr_assert_str_eq(cpu.brand, "ARM part 0xd0c r3p1");
    cr_assert_eq(cpu.runnable_isa, RL_ISA_NEON | RL_ISA_ASIMDHP | RL_ISA_ASIMDDP,
                 "Neoverse N1: NEON, fp16 and dot product; no SVE, bf16 or i8mm");
    cr_assert_eq(cpu.sve_bits, 0, "a file records no vector length");
}

Test(cpu_arm, graviton3_has_sve_bf16_i8mm_in_hwcap2)
{
    rl_cpu cpu;
    identify("cpuinfo-aarch64-graviton3.txt", &cpu);
    cr_assert_eq(cpu.arm_cores[0].part, 0xd40);
    rl_isa_mask want = RL_ISA_NEON | RL_ISA_ASIMDHP | RL_ISA_ASIMDDP | RL_ISA_SVE | RL_ISA_BF16 |
                       RL_ISA_I8MM | RL_ISA_SVE_BF16 | RL_ISA_SVE_I8MM;
    cr_assert_eq(cpu.runnable_isa, want, "0x%llx", (unsigned long long)cpu.runnable_isa);
    /* bf16 and i8mm are second-word bits: a reader testing them in AT_HWCAP gets other bits. */
    cr_assert(cpu.hwcap2 & RL_HWCAP2_BF16);
    cr_assert(cpu.hwcap2 & RL_HWCAP2_I8MM);
    cr_assert_eq(cpu.hwcap & (RL_HWCAP2_BF16 | RL_HWCAP2_I8MM), 0);
    cr_assert(cpu.hwcap & RL_HWCAP_SVE);
}

Test(cpu_arm, grace_and_a64fx)
{
    rl_cpu cpu;
    identify("cpuinfo-aarch64-grace.txt", &cpu);
    cr_assert_eq(cpu.arm_cores[0].part, 0xd4f);
    cr_assert(cpu.runnable_isa & RL_ISA_SVE2);
    identify("cpuinfo-aarch64-a64fx.txt", &cpu);
    cr_assert_str_eq(cpu.vendor, "Fujitsu");
    cr_assert_eq(cpu.arm_cores[0].implementer, 0x46);
    cr_assert_eq(cpu.arm_cores[0].part, 0x001);
    cr_assert_eq(cpu.runnable_isa, RL_ISA_NEON | RL_ISA_ASIMDHP | RL_ISA_SVE);
}

/* A phone SoC with four kinds of core (util-linux's lscpu dump): every kind is seen, in order of
 * first appearance, with its count. */
Test(cpu_arm, big_little_kinds_are_all_seen)
{
    rl_cpu cpu;
    identify("cpuinfo-aarch64-a510-a710-a715-x3.txt", &cpu);
    cr_assert_eq(cpu.n_arm_cores, 4);
    cr_assert(cpu.arm_mixed);
    unsigned parts[4] = {0};
    int total = 0;
    for (int i = 0; i < 4; i++) {
        parts[i] = cpu.arm_cores[i].part;
        total += cpu.arm_cores[i].count;
    }
    cr_assert_eq(total, 8);
    cr_assert_eq(parts[0], 0xd46, "cpu0 is a Cortex-A510");
    cr_assert_eq(cpu.arm_cores[0].count, 3);
    cr_assert_eq(parts[3], 0xd4e, "one Cortex-X3");
    cr_assert_eq(cpu.arm_cores[3].count, 1);
}

Test(cpu_arm, kunpeng_920_many_records)
{
    rl_cpu cpu;
    identify("cpuinfo-aarch64-kunpeng920.txt", &cpu);
    cr_assert_str_eq(cpu.vendor, "HiSilicon");
    cr_assert_eq(cpu.n_arm_cores, 1);
    cr_assert_eq(cpu.arm_cores[0].count, 128);
    cr_assert_eq(cpu.arm_cores[0].part, 0xd01);
}

Test(cpu_arm, hwcap_words_are_read_bit_by_bit)
{
    cr_assert_eq(rl_cpu_arm_isa_from_hwcap(RL_HWCAP_ASIMD, 0), RL_ISA_NEON);
    /* The same bit positions in the other word mean other features. */
    cr_assert_eq(rl_cpu_arm_isa_from_hwcap(RL_HWCAP2_BF16 | RL_HWCAP2_I8MM, 0), 0,
                 "bits 13/14 of AT_HWCAP are jscvt/fcma, not i8mm/bf16");
    cr_assert_eq(rl_cpu_arm_isa_from_hwcap(0, RL_HWCAP2_BF16 | RL_HWCAP2_I8MM),
                 RL_ISA_BF16 | RL_ISA_I8MM);
    cr_assert_eq(rl_cpu_arm_isa_from_hwcap(0, RL_HWCAP2_SVE2), 0, "sve2 without sve is dropped");
    cr_assert_eq(rl_cpu_arm_isa_from_hwcap(RL_HWCAP_SVE, RL_HWCAP2_SVE2), RL_ISA_SVE | RL_ISA_SVE2);
    cr_assert_eq(rl_cpu_arm_isa_from_hwcap(0, RL_HWCAP2_SME | RL_HWCAP2_SME2),
                 RL_ISA_SME | RL_ISA_SME2);
    uint64_t h1, h2;
    rl_cpu_arm_hwcap_from_features("fp asimd sve svebf16 unknownfeature sme2 sme", &h1, &h2);
    cr_assert_eq(h1, RL_HWCAP_ASIMD | RL_HWCAP_SVE);
    cr_assert_eq(h2, RL_HWCAP2_SVEBF16 | RL_HWCAP2_SME | RL_HWCAP2_SME2);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

Test(cpu_arm, bad_files_name_the_file_and_line)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cpuinfo", rl_test_tmpdir());
    rl_cpu cpu;
    rl_err err = {0};
    write_file(path, "processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\n"
                     "CPU variant\t: 0x3\nCPU part\t: 0xzz\nCPU revision\t: 1\n");
    cr_assert_eq(rl_cpu_arm_identify(path, &cpu, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, path) && strstr(err.msg, "line 5") && strstr(err.msg, "CPU part"),
              "%s", err.msg);

    write_file(path, "processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n\n");
    cr_assert_eq(rl_cpu_arm_identify(path, &cpu, &err), -1);
    cr_assert(strstr(err.msg, "four MIDR fields"), "%s", err.msg);

    rl_err_clear(&err);
    cr_assert_eq(rl_cpu_arm_identify("tests/data/cpuinfo-x86-epyc-7763.txt", &cpu, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, "--cpuid-dump"), "an x86 file says what to use: %s", err.msg);

    rl_err_clear(&err);
    cr_assert_eq(rl_cpu_arm_identify("tests/data/no-such-file", &cpu, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_INPUT);

    write_file(path, "processor\t: 0\nCPU implementer\t: 0x41\nCPU variant\t: 0x0\n"
                     "CPU part\t: 0xd0c\nCPU revision\t: 0\n");
    rl_err_clear(&err);
    cr_assert_eq(rl_cpu_arm_identify(path, &cpu, &err), -1);
    cr_assert(strstr(err.msg, "Features"), "%s", err.msg);
}
