/* test_result.c: the result model's JSON round trip and the checking reader. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/result.h"

static rl_result *sample(void)
{
    rl_err err = {0};
    rl_result *r = rl_result_new();
    cr_assert(r);
    snprintf(r->machine.vendor, sizeof r->machine.vendor, "AuthenticAMD");
    snprintf(r->machine.brand, sizeof r->machine.brand, "AMD EPYC");
    snprintf(r->machine.isa, sizeof r->machine.isa, "sse2 avx avx2 fma");
    r->machine.cores = 2;
    r->machine.n_caches = 1;
    r->machine.caches[0] = (rl_cache){
        .level = 3, .type = "unified", .size_bytes = 32u << 20, .cores_sharing = 2, .instances = 1};
    r->machine.measured_ghz = 3.1;
    rl_fpc fpc = {.isa = "avx2-fma", .precision = "fp32", .per_core = 32, .unit = "FLOP"};
    cr_assert_eq(rl_result_add_fpc(r, &fpc, &err), 0);
    rl_flops f = {.isa = "avx2-fma",
                  .precision = "fp32",
                  .unit = "GFLOP/s",
                  .threads = 1,
                  .gflops = 99.2,
                  .gflops_median = 98,
                  .gflops_min = 97,
                  .repeats = 5,
                  .clock_ghz_before = 3.1,
                  .clock_ghz_after = -1,
                  .theoretical_gflops = 99.2,
                  .efficiency = 1.0,
                  .variant = "square8+add8"};
    cr_assert_eq(rl_result_add_flops(r, &f, &err), 0);
    rl_bandwidth b = {.level = "DRAM",
                      .kernel = "copy",
                      .isa = "avx2",
                      .bytes_per_thread = 1 << 30,
                      .threads = 1,
                      .gbs = 20,
                      .gbs_median = 19,
                      .gbs_min = 18,
                      .gbs_traffic = 30,
                      .repeats = 5};
    cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
    b.gbs = 25; /* a better kernel at the same level wins the ridge */
    snprintf(b.kernel, sizeof b.kernel, "load");
    cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
    b.gbs = 12; /* one NUMA node's share is not a machine ceiling */
    snprintf(b.level, sizeof b.level, "NUMA0");
    cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
    cr_assert_eq(rl_result_add_warning(r, &err, "noisy host: %d%%", 7), 0);
    cr_assert_eq(rl_result_add_warning(r, &err, "noisy host: %d%%", 7), 0);
    cr_assert_eq(rl_result_derive_ridge(r, &err), 0);
    return r;
}

Test(result, derive_ridge_uses_best_bandwidth_per_level)
{
    rl_result *r = sample();
    cr_assert_eq(r->n_ridge, 1);
    cr_assert_str_eq(r->ridge[0].level, "DRAM");
    cr_assert_float_eq(r->ridge[0].imax, 99.2 / 25, 1e-12);
    cr_assert_eq(r->n_warnings, 1, "a repeated warning is kept once");
    rl_result_free(r);
}

Test(result, json_round_trip_keeps_every_field)
{
    rl_err err = {0};
    rl_result *r = sample();
    char *text = rl_result_to_json(r, &err);
    cr_assert(text, "%s", err.msg);
    rl_result *back = rl_result_from_json(text, strlen(text), "mem.json", &err);
    cr_assert(back, "%s", err.msg);
    cr_assert_str_eq(back->machine.isa, "sse2 avx avx2 fma");
    cr_assert_eq(back->machine.caches[0].size_bytes, 32u << 20);
    cr_assert_float_eq(back->machine.nominal_ghz, -1, 0, "unknown stays unknown");
    cr_assert_float_eq(back->flops[0].clock_ghz_after, -1, 0);
    cr_assert_float_eq(back->flops[0].gflops, 99.2, 1e-12);
    cr_assert_str_eq(back->flops[0].variant, "square8+add8");
    cr_assert_eq(back->n_bandwidth, 3);
    cr_assert_eq(back->n_ridge, 1);
    cr_assert_str_eq(back->warnings[0], "noisy host: 7%");
    char *again = rl_result_to_json(back, &err);
    cr_assert_str_eq(text, again, "writing what was read gives the same file");
    free(text);
    free(again);
    rl_result_free(r);
    rl_result_free(back);
}

/* Replaces the first occurrence of `from` in the sample's JSON with `to`, parses, expects failure.
 */
static void expect_rejected(const char *from, const char *to, const char *want)
{
    rl_err err = {0};
    rl_result *r = sample();
    char *text = rl_result_to_json(r, &err);
    char *at = strstr(text, from);
    cr_assert(at, "sample has '%s'", from);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *edited = malloc(n);
    snprintf(edited, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    rl_result *bad = rl_result_from_json(edited, strlen(edited), "bad.json", &err);
    cr_assert_null(bad);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, want), "message '%s' should contain '%s'", err.msg, want);
    free(edited);
    free(text);
    rl_result_free(r);
}

Test(result, wrong_schema_is_named)
{
    expect_rejected("\"roofline/1\"", "\"roofline/9\"", "field 'schema': 'roofline/9'");
}

Test(result, wrong_type_names_the_field_path)
{
    expect_rejected("\"gflops\":\t99.2", "\"gflops\":\t\"fast\"", "field 'flops[0].gflops'");
}

Test(result, missing_field_names_the_field_path)
{
    expect_rejected("\"cores_sharing\"", "\"cores_shared\"",
                    "field 'topology.caches[0].cores_sharing': missing");
}

Test(result, truncated_file_is_an_input_error)
{
    rl_err err = {0};
    rl_result *r = sample();
    char *text = rl_result_to_json(r, &err);
    rl_result *bad = rl_result_from_json(text, strlen(text) / 2, "cut.json", &err);
    cr_assert_null(bad);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, "cut.json: not valid JSON"), "%s", err.msg);
    free(text);
    rl_result_free(r);
}

Test(result, missing_file_is_an_input_error)
{
    rl_err err = {0};
    cr_assert_null(rl_result_read("/nonexistent/result.json", &err));
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, "/nonexistent/result.json: cannot open"), "%s", err.msg);
}

Test(result, not_an_object_is_rejected)
{
    rl_err err = {0};
    cr_assert_null(rl_result_from_json("[1,2]", 5, "arr.json", &err));
    cr_assert(strstr(err.msg, "arr.json: not a roofline result"), "%s", err.msg);
}
