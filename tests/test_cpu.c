/* test_cpu.c: the portable CPU probe (probes/cpu.c): this machine through rl_cpu_identify, the
 * /proc/cpuinfo fallback on other machines' files, and the copy into the result. The x86 probe
 * behind rl_cpu_identify on x86-64 has its own tests (test_cpu_x86.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "probes/cpu.h"
#include "tests/helpers.h"

Test(cpu, this_machine)
{
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_identify(NULL, &cpu, &err), 0, "%s", err.msg);
    cr_assert(cpu.vendor[0]);
    cr_assert_eq(cpu.from_dump, 0);
    cr_assert_eq(cpu.runnable_isa & ~cpu.cpuid_isa, 0, "runnable is a subset of what the CPU has");
    cr_assert(cpu.isa_note[0], "says how the ISA was decided");
}

/* A CPUID dump goes to the x86 reader on x86-64 and is refused, naming the file, elsewhere. */
Test(cpu, dump_goes_to_the_x86_reader)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/fixtures/cpuid/amd__zen4__amd-ryzen-9-7900x-12-core-processor.raw",
             rl_test_shared());
    rl_cpu cpu;
    rl_err err = {0};
    int rc = rl_cpu_identify(p, &cpu, &err);
#if defined(__x86_64__)
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_eq(cpu.from_dump, 1);
    cr_assert_str_eq(cpu.vendor, "AuthenticAMD");
#else
    cr_assert_eq(rc, -1);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, p), "names the file: %s", err.msg);
#endif
}

Test(cpu, cpuinfo_aarch64_implementer_and_part)
{
    rl_cpu cpu;
    rl_cpu_identify_cpuinfo("tests/data/cpuinfo-aarch64-neoverse-n1.txt", &cpu);
    cr_assert_str_eq(cpu.vendor, "ARM", "0x41, from the first processor only");
    cr_assert_str_eq(cpu.brand, "unknown", "AArch64 Linux prints no model name");
    cr_assert_eq(cpu.family, 0);
    cr_assert_eq(cpu.model, 0xd0c);
    cr_assert_eq(cpu.stepping, 1);
    cr_assert_eq(cpu.cpuid_isa, 0);
    cr_assert_eq(cpu.runnable_isa, 0);
    cr_assert(strstr(cpu.isa_note, "not detected"), "%s", cpu.isa_note);
}

Test(cpu, cpuinfo_x86_fields)
{
    rl_cpu cpu;
    rl_cpu_identify_cpuinfo("tests/data/cpuinfo-x86-epyc-7763.txt", &cpu);
    cr_assert_str_eq(cpu.vendor, "AuthenticAMD");
    cr_assert_str_eq(cpu.brand, "AMD EPYC 7763 64-Core Processor");
    cr_assert_eq(cpu.family, 25);
    cr_assert_eq(cpu.model, 1, "'model', not 'model name'");
    cr_assert_eq(cpu.stepping, 1);
}

Test(cpu, cpuinfo_missing_is_unknown_not_an_error)
{
    rl_cpu cpu;
    rl_cpu_identify_cpuinfo("tests/data/no-such-cpuinfo", &cpu);
    cr_assert_str_eq(cpu.vendor, "unknown");
    cr_assert_str_eq(cpu.brand, "unknown");
    cr_assert_eq(cpu.runnable_isa, 0);
}

Test(cpu, describe_copies_identity_and_isa_names)
{
    rl_cpu cpu;
    rl_cpu_identify_cpuinfo("tests/data/cpuinfo-x86-epyc-7763.txt", &cpu);
    cpu.runnable_isa = RL_ISA_SSE2 | RL_ISA_AVX2;
    rl_machine m;
    memset(&m, 0, sizeof m);
    rl_cpu_describe(&cpu, &m);
    cr_assert_str_eq(m.vendor, "AuthenticAMD");
    cr_assert_str_eq(m.brand, "AMD EPYC 7763 64-Core Processor");
    cr_assert_eq(m.family, 25);
    cr_assert_str_eq(m.isa, "sse2 avx2");
}
