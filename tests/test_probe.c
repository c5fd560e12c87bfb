/* test_probe.c: `roofline probe` end to end: JSON that reads back, the figures from a dump plus a
 * topology, and bad input (missing/garbled dump or XML, bad --clock, --threads 0): exit 2 or 3 with
 * a one-line message, never a crash. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/result.h"
#include "tests/helpers.h"

static rl_result *run_json(const char *args)
{
    char cmd[2048], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "probe --json - %s", args);
    int st = rl_test_run(cmd, &out, &err);
    cr_assert_eq(st, 0, "exit %d: %s", st, err ? err : "");
    rl_err e = {0};
    rl_result *r = rl_result_from_json(out, strlen(out), "stdout", &e);
    cr_assert_not_null(r, "%s", e.msg);
    free(out);
    free(err);
    return r;
}

static double fpc(const rl_result *r, const char *isa, const char *prec)
{
    for (size_t i = 0; i < r->theory.n_fpc; i++)
        if (strcmp(r->theory.fpc[i].isa, isa) == 0 && strcmp(r->theory.fpc[i].precision, prec) == 0)
            return r->theory.fpc[i].per_core;
    return -1;
}

static const rl_peak *peak(const rl_result *r, const char *isa, const char *prec, int threads)
{
    for (size_t i = 0; i < r->theory.n_peak; i++) {
        const rl_peak *p = &r->theory.peak[i];
        if (strcmp(p->isa, isa) == 0 && strcmp(p->precision, prec) == 0 && p->threads == threads)
            return p;
    }
    return NULL;
}

Test(probe, this_machine_json)
{
    rl_result *r = run_json("--quick");
    cr_assert_gt(r->machine.cores, 0);
    cr_assert(r->machine.vendor[0]);
    cr_assert(r->machine.measured_ghz > 0.2 && r->machine.measured_ghz < 10);
    cr_assert(strstr(r->machine.measured_source, "measured"), "%s", r->machine.measured_source);
    cr_assert_str_eq(r->machine.cpu_source, "this machine");
    cr_assert_gt(r->theory.n_fpc, 0);
    /* this machine is AVX2+FMA (Zen 3 in CI): 32 FP32 / 16 FP64 per cycle when it has AVX2+FMA */
    if (fpc(r, "avx2-fma", "fp32") > 0 && strncmp(r->machine.uarch, "zen", 3) == 0) {
        cr_assert_eq(fpc(r, "avx2-fma", "fp32"), 32);
        cr_assert_eq(fpc(r, "avx2-fma", "fp64"), 16);
    }
    rl_result_free(r);
}

Test(probe, dump_topology_clock_and_memory)
{
    char args[1024];
    snprintf(args, sizeof args,
             "--cpuid-dump %s/fixtures/cpuid/intel__x86-64__skylake__intel-core-i9-7900x-cpu.raw "
             "--topology tests/data/topo-2x32-numa4.xml --clock 2.0 --mem-channels 8 "
             "--mem-mts 3200 --threads 16",
             rl_test_shared());
    rl_result *r = run_json(args);
    cr_assert_str_eq(r->machine.uarch, "skylake-sp");
    cr_assert_eq(r->machine.cores, 64);
    cr_assert_eq(r->machine.packages, 2);
    cr_assert_eq(r->machine.numa_nodes, 4);
    cr_assert_float_eq(r->machine.measured_ghz, 2.0, 1e-12);
    cr_assert_str_eq(r->machine.measured_source, "--clock");
    cr_assert_float_eq(r->machine.nominal_ghz, 3.3, 1e-12, "from the dump's brand string");
    cr_assert_eq(fpc(r, "avx512f", "fp32"), 64);
    const rl_peak *p = peak(r, "avx512f", "fp32", 64);
    cr_assert_not_null(p);
    cr_assert_float_eq(p->gflops_at_measured_clock, 64 * 2.0 * 64, 1e-6);
    cr_assert_not_null(peak(r, "avx512f", "fp32", 16), "--threads 16 adds a row");
    cr_assert_not_null(peak(r, "avx512f", "fp32", 1));
    cr_assert_float_eq(r->theory.dram_gbs, 204.8, 1e-9);
    cr_assert_gt(r->theory.n_ridge, 0);
    rl_result_free(r);
}

Test(probe, dump_without_clock_has_unknown_measured_peaks)
{
    char args[1024];
    snprintf(args, sizeof args,
             "--cpuid-dump %s/fixtures/cpuid/amd__zen4__amd-ryzen-9-7900x-12-core-processor.raw "
             "--topology tests/data/topo-1x64-l3-512m.xml",
             rl_test_shared());
    rl_result *r = run_json(args);
    cr_assert_lt(r->machine.measured_ghz, 0);
    cr_assert_lt(r->machine.nominal_ghz, 0, "AMD brand strings carry no clock");
    cr_assert_lt(r->theory.dram_gbs, 0);
    cr_assert_eq(fpc(r, "avx512f", "fp32"), fpc(r, "avx2-fma", "fp32"), "Zen 4: 256-bit datapath");
    rl_result_free(r);
}

Test(probe, text_report_and_help)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("probe --help", &out, NULL), 0);
    cr_assert(strstr(out, "Examples") && strstr(out, "--cpuid-dump") && strstr(out, "--threads"));
    free(out);
    out = NULL;
    char args[1024];
    snprintf(args, sizeof args,
             "probe --cpuid-dump %s/fixtures/cpuid/intel__x86-64__skylake__intel-core-i7-6700k-"
             "cpu.raw --topology tests/data/topo-hybrid-2p4e.xml --clock 4",
             rl_test_shared());
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert(strstr(out, "Machine") && strstr(out, "Theoretical peak") && strstr(out, "DRAM"),
              "%s", out);
    cr_assert(strstr(out, "IntelAtom"), "core kinds shown: %s", out);
    free(out);
}

static void expect_fail(const char *args, int code, const char *needle)
{
    char *out = NULL, *err = NULL;
    int st = rl_test_run(args, &out, &err);
    cr_assert_eq(st, code, "'%s': exit %d, stderr '%s'", args, st, err ? err : "");
    cr_assert(err && strstr(err, needle), "'%s': stderr '%s' lacks '%s'", args, err, needle);
    cr_assert(strstr(err, "roofline: error: "), "%s", err);
    cr_assert(strchr(err, '\n') == strrchr(err, '\n'), "one line: '%s'", err);
    cr_assert_eq(out ? strlen(out) : 0, 0, "nothing on stdout: '%s'", out);
    free(out);
    free(err);
}

Test(probe, bad_input_exits_2_or_3)
{
    expect_fail("probe --threads 0", 2, "--threads");
    expect_fail("probe --threads -4", 2, "--threads");
    expect_fail("probe --clock -1", 2, "--clock");
    expect_fail("probe --clock 0", 2, "--clock");
    expect_fail("probe --clock abc", 2, "--clock");
    expect_fail("probe --mem-channels x", 2, "--mem-channels");
    expect_fail("probe --mem-mts 0", 2, "--mem-mts");
    expect_fail("probe --frobnicate", 2, "--frobnicate");
    expect_fail("probe --json", 2, "--json");
    expect_fail("probe --cpuid-dump tests/data/missing.raw", 3, "tests/data/missing.raw");
    expect_fail("probe --cpuid-dump tests/data/cpuid-garbled.raw", 3, "cpuid-garbled.raw");
    expect_fail("probe --cpuid-dump tests/data/cpuid-not-a-dump.raw", 3, "cpuid-not-a-dump.raw");
    expect_fail("probe --topology tests/data/missing.xml", 3, "tests/data/missing.xml");
    expect_fail("probe --topology tests/data/topo-garbled.xml", 3, "topo-garbled.xml");
}
