/* test_cmd_flops.c: `roofline flops` on the command line: argument errors (exit 2, one line naming
 * the flag), refusing an ISA this CPU lacks, and a tiny real run whose JSON reads back. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "probes/cpu.h"
#include "result/result.h"
#include "tests/helpers.h"

static void expect_usage_error(const char *args, const char *flag)
{
    char *out = NULL, *err = NULL;
    int rc = rl_test_run(args, &out, &err);
    cr_assert_eq(rc, 2, "'%s' exited %d: %s", args, rc, err);
    cr_assert(strstr(err, flag), "'%s': error does not name %s: %s", args, flag, err);
    cr_assert(strchr(err, '\n') == strrchr(err, '\n'), "'%s': not one line: %s", args, err);
    cr_assert(strncmp(err, "roofline: error: ", 17) == 0, "%s", err);
    cr_assert_str_eq(out, "", "nothing on stdout for a usage error");
    free(out);
    free(err);
}

Test(cmd_flops, argument_errors_name_the_flag)
{
    expect_usage_error("flops --threads 0", "--threads");
    expect_usage_error("flops --threads abc", "--threads");
    expect_usage_error("flops --threads 1-", "--threads");
    expect_usage_error("flops --threads 100000", "--threads");
    expect_usage_error("flops --isa avx3", "--isa");
    expect_usage_error("flops --isa scalar,", "--isa");
    expect_usage_error("flops --precision fp128", "--precision");
    expect_usage_error("flops --bind diagonal", "--bind");
    expect_usage_error("flops --repeat 0", "--repeat");
    expect_usage_error("flops --repeat x", "--repeat");
    expect_usage_error("flops --min-time -1", "--min-time");
    expect_usage_error("flops --min-time 1e9", "--min-time");
    expect_usage_error("flops --json", "--json");
    expect_usage_error("flops --frobnicate", "--frobnicate");
    expect_usage_error("flops extra", "extra");
}

Test(cmd_flops, help_has_groups_defaults_and_examples)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("flops --help", &out, NULL), 0);
    cr_assert(strstr(out, "--isa") && strstr(out, "--threads") && strstr(out, "--bind"));
    cr_assert(strstr(out, "default: 5") && strstr(out, "Examples:") && strstr(out, "avx2-fma"));
    free(out);
}

Test(cmd_flops, an_isa_this_cpu_lacks_is_refused_not_run)
{
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_identify(NULL, &cpu, &err), 0, "%s", err.msg);
    if (cpu.runnable_isa & RL_ISA_AVX512F)
        cr_skip_test("this CPU runs AVX-512F");
    expect_usage_error("flops --isa avx512f", "avx512f");
}

Test(cmd_flops, tiny_run_writes_json_that_reads_back)
{
    char *out = NULL, *err = NULL;
    int rc = rl_test_run("flops --isa scalar --precision fp64 --threads 1 --repeat 2 "
                         "--min-time 0.001 --quiet --json -",
                         &out, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    cr_assert_str_eq(err, "", "--quiet: nothing on stderr");
    rl_err e = {0};
    rl_result *r = rl_result_from_json(out, strlen(out), "stdout", &e);
    cr_assert_not_null(r, "%s", e.msg);
    cr_assert_eq(r->n_flops, 1);
    const rl_flops *f = &r->flops[0];
    cr_assert_str_eq(f->isa, "scalar");
    cr_assert_str_eq(f->precision, "fp64");
    cr_assert_str_eq(f->unit, "GFLOP/s");
    cr_assert_eq(f->threads, 1);
    cr_assert_eq(f->repeats, 2);
    cr_assert(f->gflops > 0 && f->gflops >= f->gflops_median && f->gflops_median >= f->gflops_min);
    cr_assert(f->clock_ghz_before > 0 && f->clock_ghz_after > 0);
    cr_assert(f->theoretical_gflops > 0, "zen3 and most CPUs have a FLOPs/cycle row");
    cr_assert_float_eq(f->efficiency, f->gflops / f->theoretical_gflops, 1e-9);
    rl_result_free(r);
    free(out);
    free(err);
}

Test(cmd_flops, table_lists_rows_and_not_run_kernels)
{
    char *out = NULL;
    int rc = rl_test_run("flops --precision fp32 --threads 1 --repeat 1 --min-time 0.001 --quiet",
                         &out, NULL);
    cr_assert_eq(rc, 0);
    cr_assert(strstr(out, "ISA") && strstr(out, "theoretical") && strstr(out, "scalar"), "%s", out);
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_identify(NULL, &cpu, &err), 0);
    if (!(cpu.runnable_isa & RL_ISA_AVX512F))
        cr_assert(strstr(out, "avx512f fp32: not run: CPU lacks AVX-512F"), "%s", out);
    free(out);
}
