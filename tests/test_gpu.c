/* test_gpu.c: the GPU path without a GPU. The device backend (runner/gpu), the plugin loader
 * (probes/gpu), `roofline gpu` and `roofline probe` run against tests/tools/fake_gpu_plugin.c (an
 * H100's properties and fixed rows, a failure mid-run, no driver, no device); the real plugin,
 * where make built it, must load and say why it cannot measure here; and where nvcc exists, the
 * CUDA kernels are compiled for sm_90a and checked in their PTX for the declared instructions and
 * in ptxas's report for the registers every accumulator needs (a dead accumulator is deleted by
 * ptxas: that once made mma.sync rates look 4.8x the hardware's). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/result.h"
#include "runner/gpu.h"
#include "tests/helpers.h"

static char fake[512];

static const char *fake_plugin(void)
{
    const char *build = getenv("RL_BUILD");
    snprintf(fake, sizeof fake, "%s/tests/libfake-gpu.so", build ? build : "build/rel");
    return fake;
}

static int run_fake(const char *env, const char *args, char **out, char **err)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s", args);
    setenv("RL_CUDA_PLUGIN", fake_plugin(), 1);
    char full[2560];
    snprintf(full, sizeof full, "%s", cmd);
    (void)env;
    return rl_test_run(full, out, err);
}

static rl_result *read_json(const char *path)
{
    rl_err err = {0};
    rl_result *r = rl_result_read(path, &err);
    cr_assert(r, "%s", err.msg);
    return r;
}

Test(gpu, backend_fills_the_device_with_theory_beside_each_row)
{
    setenv("RL_CUDA_PLUGIN", fake_plugin(), 1);
    rl_result *r = rl_result_new();
    rl_err err = {0};
    char why[256] = "";
    rl_gpu_opts o = {.device = -1, .measure = 1};
    cr_assert_eq(rl_gpu_measure(r, &o, why, sizeof why, &err), 1, "%s %s", why, err.msg);
    cr_assert_eq(r->n_devices, 1);
    const rl_device *d = &r->devices[0];
    cr_assert_str_eq(d->id, "gpu0");
    cr_assert_str_eq(d->arch, "sm_90");
    cr_assert_float_eq(d->dram_gbs, 2 * 2.619e9 * 640 / 1e9, 1e-6);
    cr_assert_float_eq(d->measured_clock_ghz, 1.90, 1e-12, "median of the compute rows' clocks");
    int seen_fp32 = 0, seen_l2 = 0, seen_mma = 0;
    for (size_t i = 0; i < d->n_ceiling; i++) {
        const rl_device_ceiling *c = &d->ceiling[i];
        if (!strcmp(c->id, "fp32")) { /* theory at the clock measured in that kernel */
            seen_fp32 = 1;
            cr_assert_float_eq(c->theoretical, 132 * 256 * 1.95, 1e-6);
            cr_assert_float_eq(c->efficiency, 64000 / (132 * 256 * 1.95), 1e-9);
        }
        if (!strcmp(c->id, "l2-read")) {
            seen_l2 = 1;
            cr_assert_lt(c->theoretical, 0, "no vendor figure for L2: unknown");
        }
        if (!strcmp(c->id, "mma-bf16")) {
            seen_mma = 1;
            cr_assert(strstr(c->note, "wgmma"), "Hopper's mma.sync row says why: %s", c->note);
        }
    }
    cr_assert(seen_fp32 && seen_l2 && seen_mma);
    cr_assert_gt(d->n_ridge, 0);
    cr_assert_gt(d->n_theory_ridge, 0);
    /* The JSON carries the device and reads back the same. */
    char *json = rl_result_to_json(r, &err);
    cr_assert(json);
    rl_result *back = rl_result_from_json(json, strlen(json), "mem", &err);
    cr_assert(back, "%s", err.msg);
    cr_assert_eq(back->n_devices, 1);
    cr_assert_eq(back->devices[0].n_ceiling, d->n_ceiling);
    cr_assert_eq(back->devices[0].n_ridge, d->n_ridge);
    char *json2 = rl_result_to_json(back, &err);
    cr_assert_str_eq(json, json2, "write -> read -> write is stable");
    free(json);
    free(json2);
    rl_result_free(back);
    rl_result_free(r);
}

Test(gpu, cpu_only_results_have_no_devices_member)
{
    rl_result *r = rl_result_new();
    rl_err err = {0};
    char *json = rl_result_to_json(r, &err);
    cr_assert_null(strstr(json, "\"devices\""), "older readers and goldens see no change");
    free(json);
    rl_result_free(r);
}

Test(gpu, malformed_device_entry_names_the_field)
{
    char *out = NULL, *err = NULL;
    char tmp[64]; /* rl_test_tmpdir reuses its buffer: keep a copy */
    snprintf(tmp, sizeof tmp, "%s", rl_test_tmpdir());
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "gpu -q --json %s/g.json", tmp);
    cr_assert_eq(run_fake(NULL, cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd,
             "report %s/g.json >/dev/null && sed 's/\"kind\":[[:space:]]*\"compute\"/\"kind\": "
             "\"gpu\"/' "
             "%s/g.json > %s/bad.json && $RL_BIN report %s/bad.json",
             tmp, tmp, tmp, tmp);
    int rc = run_fake(NULL, cmd, &out, &err);
    cr_assert_eq(rc, 3, "exit %d: %s", rc, err);
    cr_assert(strstr(err, "devices[0].ceilings[0].kind"), "%s", err);
    free(out);
    free(err);
}

Test(gpu, command_measures_and_writes_every_output)
{
    char *out = NULL, *err = NULL;
    char tmp[64]; /* rl_test_tmpdir reuses its buffer: keep a copy */
    snprintf(tmp, sizeof tmp, "%s", rl_test_tmpdir());
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "gpu --json %s/g.json --csv %s/g.csv --markdown %s/g.md --svg %s/g.svg", tmp, tmp, tmp,
             tmp);
    int rc = run_fake(NULL, cmd, &out, &err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(strstr(out, "GPU gpu0: NVIDIA H100 80GB HBM3"), "%s", out);
    cr_assert(strstr(out, "HGMMA"), "%s", out);
    const char *files[] = {"g.json", "g.csv", "g.md", "g.svg"};
    for (size_t i = 0; i < 4; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", tmp, files[i]);
        size_t len = 0;
        char *text = rl_test_slurp(p, &len);
        cr_assert(text && len > 100, "%s", p);
        if (i == 1)
            cr_assert(strstr(text, "gpu_compute,gpu0,cuda-core,fp32"), "CSV rows for the GPU");
        if (i == 3)
            cr_assert(strstr(text, "Roofline: NVIDIA H100 80GB HBM3 (gpu0, sm_90)"), "GPU chart");
        free(text);
    }
    free(out);
    free(err);
}

Test(gpu, failure_mid_run_keeps_what_was_measured)
{
    char *out = NULL, *err = NULL;
    char tmp[64]; /* rl_test_tmpdir reuses its buffer: keep a copy */
    snprintf(tmp, sizeof tmp, "%s", rl_test_tmpdir());
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "gpu -q --json %s/f.json", tmp);
    setenv("RL_FAKE_GPU_FAIL", "1", 1);
    int rc = run_fake(NULL, cmd, &out, &err);
    unsetenv("RL_FAKE_GPU_FAIL");
    cr_assert_eq(rc, 1, "a GPU lost mid-run is a run-time failure");
    cr_assert(strstr(err, "unspecified launch failure"), "%s", err);
    char p[600];
    snprintf(p, sizeof p, "%s/f.json", tmp);
    rl_result *r = read_json(p);
    cr_assert(r->meta.partial);
    cr_assert_eq(r->n_devices, 1);
    cr_assert_eq(r->devices[0].n_ceiling, 2, "the rows before the failure");
    cr_assert(strstr(r->devices[0].status, "failed during mma-bf16"), "%s", r->devices[0].status);
    rl_result_free(r);
    free(out);
    free(err);
}

Test(gpu, no_driver_no_device_bad_device_number)
{
    char *err = NULL;
    setenv("RL_FAKE_GPU_DRIVER", "0", 1);
    cr_assert_eq(run_fake(NULL, "gpu -q", NULL, &err), 1);
    unsetenv("RL_FAKE_GPU_DRIVER");
    cr_assert(strstr(err, "no GPU to measure: no NVIDIA driver"), "%s", err);
    free(err);
    setenv("RL_FAKE_GPU_COUNT", "0", 1);
    cr_assert_eq(run_fake(NULL, "gpu -q", NULL, &err), 1);
    unsetenv("RL_FAKE_GPU_COUNT");
    cr_assert(strstr(err, "no CUDA GPU is visible"), "%s", err);
    free(err);
    cr_assert_eq(run_fake(NULL, "gpu -q --device 3", NULL, &err), 2);
    cr_assert(strstr(err, "--device 3: this machine has 1 GPU"), "%s", err);
    free(err);
    cr_assert_eq(run_fake(NULL, "gpu --only fp32,nope", NULL, &err), 2);
    cr_assert(strstr(err, "unknown row 'nope'"), "%s", err);
    free(err);
    setenv("RL_CUDA_PLUGIN", "/nonexistent/libroofline-cuda.so", 1);
    cr_assert_eq(rl_test_run("gpu -q", NULL, &err), 1);
    cr_assert(strstr(err, "no such readable file"), "%s", err);
    free(err);
    setenv("RL_CUDA_PLUGIN", "/etc/hostname", 1);
    cr_assert_eq(rl_test_run("gpu -q", NULL, &err), 1);
    cr_assert(strstr(err, "cannot load"), "not a shared library: %s", err);
    free(err);
    unsetenv("RL_CUDA_PLUGIN");
}

Test(gpu, probe_lists_gpus_with_theory)
{
    char *out = NULL;
    cr_assert_eq(run_fake(NULL, "probe --quick", &out, NULL), 0);
    cr_assert(strstr(out, "GPU gpu0: NVIDIA H100 80GB HBM3"), "%s", out);
    cr_assert(strstr(out, "Theoretical peaks"), "%s", out);
    cr_assert_null(strstr(out, "Compute ceilings (measured: best of the launches"),
                   "a probe measures nothing");
    free(out);
    /* Another machine described by a dump: this machine's GPUs are not its GPUs. */
    char args[512];
    snprintf(args, sizeof args,
             "probe --quick --cpuid-dump %s/fixtures/cpuid/"
             "intel__x86-64__skylake__intel-core-i7-6700k-cpu.raw",
             rl_test_shared());
    cr_assert_eq(run_fake(NULL, args, &out, NULL), 0);
    cr_assert_null(strstr(out, "GPU gpu0"), "%s", out);
    free(out);
    unsetenv("RL_CUDA_PLUGIN");
}

Test(gpu, real_plugin_loads_and_says_why_it_cannot_measure)
{
    unsetenv("RL_CUDA_PLUGIN");
    char path[600];
    const char *build = getenv("RL_BUILD");
    snprintf(path, sizeof path, "%s/libroofline-cuda.so", build ? build : "build/rel");
    FILE *f = fopen(path, "rb");
    if (!f)
        cr_skip_test("no CUDA plugin built here (no nvcc): skipped");
    fclose(f);
    char *out = NULL, *err = NULL;
    cr_assert_eq(rl_test_run("gpu --list", &out, NULL), 0);
    cr_assert(strstr(out, "wgmma-bf16") && strstr(out, "HGMMA"), "%s", out);
    free(out);
    int rc = rl_test_run("gpu -q --quick", NULL, &err);
    if (rc == 0)
        cr_skip_test("this machine has a GPU: measured it (the no-driver path is not checked)");
    cr_assert_eq(rc, 1);
    cr_assert(strstr(err, "no GPU to measure:"), "%s", err);
    free(err);
}

/* Where nvcc exists: the kernels compiled for sm_90a, their PTX holds the declared instructions and
 * ptxas keeps every accumulator (registers >= what the chains need, nothing spilled). */
Test(gpu, kernels_compile_with_declared_instructions, .timeout = 300)
{
    const char *nvcc = getenv("RL_NVCC");
    if (!nvcc || !*nvcc)
        cr_skip_test("no nvcc (RL_NVCC empty): the CUDA kernels are not compiled here: skipped");
    char tmp[64]; /* rl_test_tmpdir reuses its buffer: keep a copy */
    snprintf(tmp, sizeof tmp, "%s", rl_test_tmpdir());
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd %s && %s -I%s -std=c++17 -O3 -gencode=arch=compute_90a,code=sm_90a -ptx "
             "%s/kernels/cuda/peak.cu -o peak.ptx && %s -I%s -std=c++17 -O3 "
             "-gencode=arch=compute_90a,code=sm_90a -Xptxas -v -c %s/kernels/cuda/peak.cu "
             "-o peak.o 2> ptxas.txt",
             tmp, nvcc, getenv("PWD"), getenv("PWD"), nvcc, getenv("PWD"), getenv("PWD"));
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    char p[600];
    snprintf(p, sizeof p, "%s/peak.ptx", tmp);
    char *ptx = rl_test_slurp(p, NULL);
    cr_assert(ptx);
    /* Count an instruction inside one .entry. */
    struct {
        const char *entry, *insn;
        int min;
    } want[] = {
        {"rl_gpu_fma_fp32", "fma.rn.f32", 8 * 32},
        {"rl_gpu_fma_fp64", "fma.rn.f64", 8 * 32},
        {"rl_gpu_fma_fp16", "fma.rn.f16x2", 8 * 32},
        {"rl_gpu_fma_bf16", "fma.rn.bf16x2", 8 * 32},
        {"rl_gpu_mma_bf16", "mma.sync.aligned.m16n8k16.row.col.f32.bf16", 32},
        {"rl_gpu_mma_int8", "mma.sync.aligned.m16n8k32.row.col.s32.s8", 32},
        {"rl_gpu_wgmma_bf16", "wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16", 16},
        {"rl_gpu_wgmma_tf32", "wgmma.mma_async.sync.aligned.m64n256k8.f32.tf32", 16},
        {"rl_gpu_wgmma_fp8", "wgmma.mma_async.sync.aligned.m64n256k32.f32.e4m3", 16},
        {"rl_gpu_wgmma_int8", "wgmma.mma_async.sync.aligned.m64n256k32.s32.s8", 16},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char head[128];
        snprintf(head, sizeof head, ".entry %s(", want[i].entry);
        char *start = strstr(ptx, head);
        cr_assert(start, "no %s in the PTX", want[i].entry);
        char *end = strstr(start + 1, ".entry ");
        int n = 0;
        for (char *q = strstr(start, want[i].insn); q && (!end || q < end);
             q = strstr(q + 1, want[i].insn))
            n++;
        cr_expect_geq(n, want[i].min, "%s: %d x %s, declared %d", want[i].entry, n, want[i].insn,
                      want[i].min);
    }
    free(ptx);
    snprintf(p, sizeof p, "%s/ptxas.txt", tmp);
    char *rep = rl_test_slurp(p, NULL);
    cr_assert(rep);
    struct {
        const char *entry;
        int min_regs;
    } regs[] = {{"rl_gpu_mma_bf16", 8 * 4},
                {"rl_gpu_mma_int8", 8 * 4},
                {"rl_gpu_wgmma_bf16", 128},
                {"rl_gpu_wgmma_fp8", 128},
                {"rl_gpu_wgmma_int8", 128}};
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        char head[128];
        snprintf(head, sizeof head, "entry function '%s'", regs[i].entry);
        char *s = strstr(rep, head);
        cr_assert(s, "%s not in ptxas's report", regs[i].entry);
        char *u = strstr(s, "Used ");
        int n = u ? atoi(u + 5) : 0;
        cr_expect_geq(n, regs[i].min_regs, "%s uses %d registers: accumulators deleted?",
                      regs[i].entry, n);
        char *spill = strstr(s, "bytes spill stores");
        cr_expect(spill && spill[-2] == '0' && spill[-3] == ' ', "%s spills", regs[i].entry);
    }
    free(rep);
}

/* A model on a GPU of a saved result (an H200 measured by roofline gpu): the tensor-core row for
 * bf16, the CUDA-core row for fp32, device memory for the bandwidth. */
Test(gpu, model_on_a_saved_gpu)
{
    char *out = NULL, *err = NULL;
    char args[512];
    snprintf(args, sizeof args,
             "model --flops 1e12 --bytes 1e9 --machine tests/data/gpu-h200.json --device gpu0 "
             "--precision bf16");
    cr_assert_eq(rl_test_run(args, &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "tensor-wgmma bf16 (HGMMA)"), "%s", out);
    cr_assert(strstr(out, "device memory"), "%s", out);
    free(out);
    free(err);
    snprintf(args, sizeof args,
             "model --flops 1e12 --bytes 1e9 --machine tests/data/gpu-h200.json --device gpu0");
    cr_assert_eq(rl_test_run(args, &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "cuda-core fp32 (FFMA)"), "fp32 takes the CUDA cores: %s", out);
    free(out);
    free(err);
    snprintf(args, sizeof args,
             "model --flops 1e12 --bytes 1e9 --machine tests/data/gpu-h200.json --device gpu5");
    cr_assert_eq(rl_test_run(args, NULL, &err), 2);
    cr_assert(strstr(err, "no device 'gpu5' (it has: gpu0)"), "%s", err);
    free(err);
    cr_assert_eq(rl_test_run("model --flops 1e12 --bytes 1e9 --machine tests/data/zen3.json "
                             "--device gpu0",
                             NULL, &err),
                 2);
    cr_assert(strstr(err, "it measured no GPU"), "%s", err);
    free(err);
}
