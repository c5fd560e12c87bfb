/* test_gpu_theory.c: the per-compute-capability table and the theoretical GPU roofline against
 * spec-sheet figures, from fixtures of device properties (what the CUDA runtime reports for each
 * GPU: SMs, peak SM clock, memory clock and bus width), on any machine.
 *
 * Each spec sheet quotes its peaks at a clock of its own per data path (the boost clock for the
 * CUDA cores, often a lower one for the tensor cores): the tests pass that clock, as the issue
 * asks, and expect the published figure within 0.2%. Sources: NVIDIA RTX 3090 (GA102 whitepaper,
 * and the seed's worked figures), A100 and H100 whitepapers and datasheets, H200, L40S and
 * RTX 4090 datasheets; the H200's memory clock and bus width are the ones its driver reported on
 * the H200 this was measured on (3201 MHz, 6016 bits). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "probes/gpu_theory.h"
#include "result/result.h"

typedef struct fixture {
    const char *name;
    int major, minor, sms;
    int sm_clock_khz, mem_clock_khz, bus_bits;
} fixture;

static const fixture RTX3090 = {"NVIDIA GeForce RTX 3090", 8, 6, 82, 1695000, 9750000, 384};
static const fixture A100 = {"NVIDIA A100-SXM4-40GB", 8, 0, 108, 1410000, 1215000, 5120};
static const fixture H100_SXM = {"NVIDIA H100 80GB HBM3", 9, 0, 132, 1980000, 2619000, 5120};
static const fixture H100_PCIE = {"NVIDIA H100 PCIe", 9, 0, 114, 1755000, 1593000, 5120};
static const fixture H200 = {"NVIDIA H200", 9, 0, 132, 1980000, 3201000, 6016};
static const fixture L40S = {"NVIDIA L40S", 8, 9, 142, 2520000, 9001000, 384};
static const fixture RTX4090 = {"NVIDIA GeForce RTX 4090", 8, 9, 128, 2520000, 10501000, 384};

static rl_gpu_info info_of(const fixture *f)
{
    rl_gpu_info in;
    memset(&in, 0, sizeof in);
    snprintf(in.name, sizeof in.name, "%s", f->name);
    in.cc_major = f->major;
    in.cc_minor = f->minor;
    in.sms = f->sms;
    in.sm_clock_khz = f->sm_clock_khz;
    in.mem_clock_khz = f->mem_clock_khz;
    in.mem_bus_bits = f->bus_bits;
    return in;
}

/* `want` in TFLOP/s (TOP/s), within 0.2%. */
static void expect_peak(const fixture *f, const char *path, const char *precision, double ghz,
                        double want)
{
    rl_gpu_info in = info_of(f);
    double got = rl_gpu_peak_gflops(&in, path, precision, ghz) / 1e3;
    cr_expect(fabs(got / want - 1) < 0.002, "%s %s %s at %.3f GHz: %.2f, spec %.2f", f->name, path,
              precision, ghz, got, want);
}

static void expect_dram(const fixture *f, double want_gbs, double tol)
{
    rl_gpu_info in = info_of(f);
    double got = rl_gpu_dram_gbs(&in);
    cr_expect(fabs(got / want_gbs - 1) < tol, "%s DRAM: %.1f GB/s, spec %.1f", f->name, got,
              want_gbs);
}

Test(gpu_theory, seed_rtx3090_exact)
{
    /* The seed: 10496 CUDA cores x 1.7 GHz x 2 = 35.7 TFLOP/s; 19.5 Gbps x 384 bit / 8 = 936 GB/s;
     * I_max = 38.13 FLOP/byte. */
    rl_gpu_info in = info_of(&RTX3090);
    double peak = rl_gpu_peak_gflops(&in, "cuda-core", "fp32", 1.7);
    cr_assert_float_eq(peak, 10496 * 1.7 * 2, 1e-6);
    double dram = rl_gpu_dram_gbs(&in);
    cr_assert_float_eq(dram, 936.0, 1e-9);
    cr_assert_eq(round(peak / dram * 100), 3813);
}

Test(gpu_theory, spec_sheets)
{
    expect_peak(&RTX3090, "tensor", "fp16", 1.695, 71.2); /* fp32 accumulate: GeForce half rate */
    expect_peak(&RTX3090, "tensor", "int8", 1.695, 284.7);
    expect_peak(&A100, "cuda-core", "fp32", 1.41, 19.5);
    expect_peak(&A100, "cuda-core", "fp64", 1.41, 9.75);
    expect_peak(&A100, "tensor", "fp64", 1.41, 19.5);
    expect_peak(&A100, "tensor", "tf32", 1.41, 156.0);
    expect_peak(&A100, "tensor", "bf16", 1.41, 312.0);
    expect_peak(&A100, "tensor", "int8", 1.41, 624.0);
    expect_peak(&H100_SXM, "cuda-core", "fp32", 1.98, 66.9);
    expect_peak(&H100_SXM, "cuda-core", "fp64", 1.98, 33.5);
    expect_peak(&H100_SXM, "cuda-core", "fp16", 1.98, 133.8);
    expect_peak(&H100_SXM, "tensor", "fp64", 1.98, 66.9);
    expect_peak(&H100_SXM, "tensor", "bf16", 1.83, 989.5);
    expect_peak(&H100_SXM, "tensor", "tf32", 1.83, 494.7);
    expect_peak(&H100_SXM, "tensor", "fp8", 1.83, 1979.0);
    expect_peak(&H100_SXM, "tensor", "int8", 1.83, 1979.0);
    expect_peak(&H100_PCIE, "cuda-core", "fp32", 1.755, 51.2);
    expect_peak(&H100_PCIE, "cuda-core", "fp64", 1.755, 25.6);
    expect_peak(&H100_PCIE, "tensor", "bf16", 1.62, 756.0);
    expect_peak(&H200, "cuda-core", "fp32", 1.98, 66.9);
    expect_peak(&H200, "tensor", "bf16", 1.83, 989.5);
    expect_peak(&L40S, "cuda-core", "fp32", 2.52, 91.6);
    expect_peak(&L40S, "tensor", "tf32", 2.52, 183.0);
    expect_peak(&L40S, "tensor", "fp8", 2.52, 733.0);
    expect_peak(&RTX4090, "cuda-core", "fp32", 2.52, 82.6);
    expect_peak(&RTX4090, "tensor", "fp16", 2.52, 165.2); /* fp32 accumulate: GeForce half rate */
    expect_peak(&RTX4090, "tensor", "tf32", 2.52, 82.6);
    expect_peak(&RTX4090, "tensor", "int8", 2.52, 660.6);
}

Test(gpu_theory, memory_from_the_bus)
{
    expect_dram(&A100, 1555, 0.001);
    expect_dram(&H100_SXM, 3352, 0.001);
    expect_dram(&H100_PCIE, 2000, 0.02); /* 2039 from the bus; the sheet rounds to 2.0 TB/s */
    expect_dram(&H200, 4800, 0.005);
    expect_dram(&L40S, 864, 0.001);
    expect_dram(&RTX4090, 1008, 0.001);
}

Test(gpu_theory, geforce_rule_by_name_only_where_it_applies)
{
    rl_gpu_info in = info_of(&RTX4090);
    cr_assert(rl_gpu_is_geforce_halved(&in));
    in = info_of(&L40S);
    cr_assert_not(rl_gpu_is_geforce_halved(&in));
    in = info_of(&H100_SXM);
    snprintf(in.name, sizeof in.name, "GeForce-named Hopper");
    cr_assert_not(rl_gpu_is_geforce_halved(&in), "the rule is for 8.6, 8.9 and 12.x only");
}

Test(gpu_theory, unknown_capability_is_unknown_not_a_guess)
{
    rl_gpu_info in = info_of(&H100_SXM);
    in.cc_major = 11;
    in.cc_minor = 0;
    cr_assert_null(rl_gpu_rates_for(11, 0));
    cr_assert_lt(rl_gpu_peak_gflops(&in, "cuda-core", "fp32", 1.9), 0);
    rl_result *r = rl_result_new();
    rl_err err = {0};
    rl_device *d = rl_result_add_device(r, &err);
    cr_assert_eq(rl_gpu_theory_fill(d, &in, &err), 0);
    cr_assert_eq(d->n_peak, 0);
    cr_assert(strstr(d->theory_note, "not in the table"), "%s", d->theory_note);
    cr_assert_float_eq(d->dram_gbs, 3352.32, 0.01, "memory theory needs no table");
    rl_result_free(r);
    /* No memory clock reported: unknown. */
    in = info_of(&H100_SXM);
    in.mem_clock_khz = 0;
    cr_assert_lt(rl_gpu_dram_gbs(&in), 0);
}

Test(gpu_theory, fill_lists_every_path_at_the_driver_clock)
{
    rl_gpu_info in = info_of(&H200);
    rl_result *r = rl_result_new();
    rl_err err = {0};
    rl_device *d = rl_result_add_device(r, &err);
    cr_assert_eq(rl_gpu_theory_fill(d, &in, &err), 0);
    cr_assert_str_eq(d->arch, "sm_90");
    cr_assert_eq(d->n_peak, 10);
    cr_assert_float_eq(d->max_clock_ghz, 1.98, 1e-12);
    cr_assert_float_eq(d->smem_gbs, 132 * 128 * 1.98, 1e-6);
    for (size_t i = 0; i < d->n_peak; i++)
        cr_assert_float_eq(d->peak[i].clock_ghz, 1.98, 1e-12);
    cr_assert_eq(rl_device_derive_ridge(d, &err), 0);
    cr_assert_eq(d->n_theory_ridge, 9, "every FLOP peak over DRAM (int8 is OPs)");
    rl_result_free(r);
}
