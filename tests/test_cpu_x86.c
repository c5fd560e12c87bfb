/* test_cpu_x86.c: the x86 CPU probe (probes/cpu_x86.c): identity from dumps, ISA from raw leaves
 * masked by OSXSAVE/XCR0, bad dumps. Built for x86-64 only (the Makefile's ARCH_KEEP). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "probes/cpu_x86.h"
#include "tests/helpers.h"

static void dump_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/fixtures/cpuid/%s", rl_test_shared(), name);
}

Test(cpu_x86, this_machine)
{
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_x86_identify(NULL, &cpu, &err), 0, "%s", err.msg);
    cr_assert(cpu.vendor[0]);
    cr_assert_eq(cpu.from_dump, 0);
    cr_assert_eq(cpu.xcr0_known, 1);
    cr_assert_eq(cpu.runnable_isa & ~cpu.cpuid_isa, 0, "runnable is a subset of CPUID");
    cr_assert(cpu.runnable_isa & RL_ISA_SSE2);
}

Test(cpu_x86, dump_identity_display_family_model)
{
    char p[1024];
    dump_path(p, sizeof p, "amd__zen4__amd-ryzen-9-7900x-12-core-processor.raw");
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_x86_identify(p, &cpu, &err), 0, "%s", err.msg);
    cr_assert_str_eq(cpu.vendor, "AuthenticAMD");
    cr_assert_eq(cpu.family, 0x19);
    cr_assert_eq(cpu.model, 0x61);
    cr_assert(strstr(cpu.brand, "7900X"), "%s", cpu.brand);
    cr_assert(cpu.runnable_isa & RL_ISA_AVX512F);
    cr_assert(cpu.runnable_isa & RL_ISA_AVX512_BF16, "leaf 7 subleaf 1 read from the dump text");
    cr_assert(strstr(cpu.isa_note, "assumed enabled"), "%s", cpu.isa_note);
}

Test(cpu_x86, dump_without_subleaf_1_says_so)
{
    char p[1024];
    dump_path(p, sizeof p, "amd__zen4__amd-ryzen-7-8845hs-with-radeon-780m-graphics.raw");
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_x86_identify(p, &cpu, &err), 0, "%s", err.msg);
    cr_assert_eq(cpu.leaf7_1_known, 0);
    cr_assert_eq(cpu.runnable_isa & RL_ISA_AVX512_BF16, 0);
    cr_assert(strstr(cpu.isa_note, "subleaf 1"), "%s", cpu.isa_note);
}

Test(cpu_x86, hybrid_bit)
{
    char p[1024];
    dump_path(p, sizeof p, "intel__x86-64__golden-cove__12th-gen-intel-core-i9-12900k.raw");
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_x86_identify(p, &cpu, &err), 0, "%s", err.msg);
    cr_assert_eq(cpu.hybrid, 1);
    cr_assert_eq(cpu.family, 6);
    cr_assert_eq(cpu.model, 0x97);
    cr_assert(cpu.runnable_isa & RL_ISA_AVX_VNNI);
}

static rl_cpu synthetic(uint64_t xcr0, int osxsave)
{
    rl_cpu c;
    memset(&c, 0, sizeof c);
    c.leaf1_edx = 1u << 26;                                                      /* SSE2 */
    c.leaf1_ecx = (1u << 28) | (1u << 12) | (osxsave ? 1u << 27 : 0);            /* AVX FMA */
    c.leaf7_ebx = (1u << 5) | (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31); /* AVX2, 512 */
    c.leaf7_ecx = 1u << 11;                                                      /* VNNI */
    c.leaf7_edx = 1u << 23;                                                      /* FP16 */
    c.leaf7_1_known = 1;
    c.leaf7_1_eax = (1u << 5) | (1u << 4); /* BF16, AVX-VNNI */
    c.xcr0_known = 1;
    c.xcr0 = xcr0;
    rl_cpu_x86_decide_isa(&c);
    return c;
}

Test(cpu_x86, xcr0_masks_avx512_and_avx)
{
    rl_cpu all = synthetic(0xE7, 1);
    cr_assert(all.runnable_isa & RL_ISA_AVX512F);
    cr_assert(all.runnable_isa & RL_ISA_AVX512_FP16);
    cr_assert(all.runnable_isa & RL_ISA_AVX512_BF16);
    cr_assert(all.runnable_isa & RL_ISA_AVX_VNNI);

    rl_cpu no512 = synthetic(0x7, 1); /* OS saves AVX but not the AVX-512 state */
    cr_assert(no512.cpuid_isa & RL_ISA_AVX512F);
    cr_assert_eq(no512.runnable_isa & (RL_ISA_AVX512F | RL_ISA_AVX512_VNNI | RL_ISA_AVX512_FP16 |
                                       RL_ISA_AVX512_BF16),
                 0);
    cr_assert(no512.runnable_isa & RL_ISA_AVX2);

    rl_cpu noavx = synthetic(0x3, 1); /* x87 + SSE only */
    cr_assert_eq(noavx.runnable_isa & (RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA | RL_ISA_AVX_VNNI), 0);
    cr_assert(noavx.runnable_isa & RL_ISA_SSE2);

    rl_cpu nosave = synthetic(0xE7, 0); /* OSXSAVE off */
    cr_assert_eq(nosave.runnable_isa & (RL_ISA_AVX | RL_ISA_AVX512F), 0);
    cr_assert(strstr(nosave.isa_note, "OSXSAVE"), "%s", nosave.isa_note);

    rl_cpu partial = synthetic(0x67, 1); /* one of the three AVX-512 state bits missing */
    cr_assert_eq(partial.runnable_isa & RL_ISA_AVX512F, 0);
}

Test(cpu_x86, bad_dumps_are_input_errors)
{
    const char *bad[] = {"tests/data/no-such-dump.raw", "tests/data/cpuid-garbled.raw",
                         "tests/data/cpuid-not-a-dump.raw", "tests/data/dmi-4ch-ddr4-2400.bin",
                         "tests/data"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rl_cpu cpu;
        rl_err err = {0};
        cr_assert_eq(rl_cpu_x86_identify(bad[i], &cpu, &err), -1, "%s accepted", bad[i]);
        cr_assert_eq(err.code, RL_EXIT_INPUT, "%s", bad[i]);
        cr_assert(strstr(err.msg, bad[i]), "names the file: %s", err.msg);
    }
}

/* Every prefix length of a real dump (in steps) and a few corrupted copies: identified or rejected
 * as bad input, never a crash. */
Test(cpu_x86, truncated_and_corrupted_dumps_never_crash)
{
    char p[1024];
    dump_path(p, sizeof p, "intel__x86-64__golden-cove__12th-gen-intel-core-i9-12900k.raw");
    size_t len = 0;
    char *text = rl_test_slurp(p, &len);
    cr_assert_not_null(text);
    const char *dir = rl_test_tmpdir();
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s/dump.raw", dir);
    for (size_t cut = 0; cut < len; cut += len / 97 + 1) {
        for (int corrupt = 0; corrupt < 2; corrupt++) {
            FILE *f = fopen(tmp, "wb");
            cr_assert_not_null(f);
            fwrite(text, 1, cut, f);
            if (corrupt)
                fputs("\nCPUID 00000001: zzzz-\n[SL 01]\nbasic_cpuid[999999]=1 2\n", f);
            fclose(f);
            rl_cpu cpu;
            rl_err err = {0};
            int rc = rl_cpu_x86_identify(tmp, &cpu, &err);
            cr_assert(rc == 0 || err.code == RL_EXIT_INPUT, "cut %zu: rc %d code %d %s", cut, rc,
                      err.code, err.msg);
        }
    }
    remove(tmp);
    remove(dir);
    free(text);
}
