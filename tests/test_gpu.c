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

#include "common/buf.h"
#include "probes/gpu_theory.h"
#include "probes/numa_bind.h"
#include "report/fleet.h"
#include "result/fleet.h"
#include "result/gpu_server.h"
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
    /* The latency kernels: the chases' loads are the cache path each row names (L1-cached .ca
     * for the L1 chase, L1-bypassing .cg for L2 and device memory), the empty kernel loads
     * nothing. */
    snprintf(cmd, sizeof cmd,
             "cd %s && %s -I%s -std=c++17 -O3 -gencode=arch=compute_90a,code=sm_90a -ptx "
             "%s/kernels/cuda/latency.cu -o latency.ptx",
             tmp, nvcc, getenv("PWD"), getenv("PWD"));
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(p, sizeof p, "%s/latency.ptx", tmp);
    char *lat = rl_test_slurp(p, NULL);
    cr_assert(lat);
    char *ca = strstr(lat, ".entry rl_gpu_chase_ca("), *cg = strstr(lat, ".entry rl_gpu_chase_cg(");
    char *empty = strstr(lat, ".entry rl_gpu_empty(");
    cr_assert(ca && cg && empty, "the three latency kernels are in the PTX");
    char *ld_ca = strstr(ca, "ld.global.ca.u64"), *ld_cg = strstr(cg, "ld.global.cg.u64");
    cr_expect(ld_ca && (cg < ca || ld_ca < cg), "rl_gpu_chase_ca loads through L1 (.ca)");
    cr_expect(ld_cg && (ca < cg || ld_cg < ca), "rl_gpu_chase_cg loads through L2 only (.cg)");
    char *after_empty = strstr(empty + 1, ".entry ");
    char *ld = strstr(empty, "ld.global");
    cr_expect(!ld || (after_empty && ld > after_empty), "the empty kernel loads nothing");
    free(lat);
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

/* ---- a GPU server (issue 21): links, power, latency, GPU-to-GPU copies, the odd GPU out ---- */

/* The fake server of eight (tests/tools/fake_gpu_plugin.c) with a saved two-node NUMA layout. */
static void server_of_eight(void)
{
    setenv("RL_CUDA_PLUGIN", fake_plugin(), 1);
    setenv("RL_FAKE_GPU_COUNT", "8", 1);
    setenv("RL_SYSFS_ROOT", "tests/data/sysfs-2numa", 1);
}

static void back_to_one(void)
{
    unsetenv("RL_FAKE_GPU_COUNT");
    unsetenv("RL_SYSFS_ROOT");
    unsetenv("RL_FAKE_GPU_NVML");
}

static const rl_gpu_finding *finding(const rl_gpu_findings *f, const rl_result *r, int kind,
                                     const char *device)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i].kind == kind && !strcmp(r->devices[f->items[i].device].id, device))
            return &f->items[i];
    return NULL;
}

Test(gpu_server, each_fault_of_eight_is_flagged_by_name_with_the_figure_and_the_reason)
{
    server_of_eight();
    rl_result *r = rl_result_new();
    rl_err err = {0};
    char why[256] = "";
    rl_gpu_opts o = {.device = -1, .measure = 1};
    cr_assert_eq(rl_gpu_measure(r, &o, why, sizeof why, &err), 8, "%s %s", why, err.msg);
    back_to_one();
    cr_assert_eq(r->n_p2p, 8 * 7 * 3, "each ordered pair, peer on, off, and all at once");
    rl_gpu_findings f;
    cr_assert_eq(rl_gpu_findings_of(r, 0, 0, &f, &err), 0);
    const rl_gpu_finding *e = finding(&f, r, RL_GPU_FINDING_LINK, "gpu3");
    cr_assert(e, "the Gen4 x8 link");
    cr_assert(strstr(e->text, "Gen4 x8") && strstr(e->text, "Gen5 x16"), "%s", e->text);
    cr_assert_float_eq(e->value, 16 * 128.0 / 130 / 8 * 8, 1e-9, "Gen4 x8 per direction");
    cr_assert_float_eq(e->reference, 32 * 128.0 / 130 / 8 * 16, 1e-9, "Gen5 x16 = 63 GB/s");
    e = finding(&f, r, RL_GPU_FINDING_P2P, "gpu2");
    cr_assert(e && strstr(e->text, "gpu2 -> gpu6"), "the slow pair");
    cr_assert_gt(e->shortfall, 0.5);
    cr_assert_null(finding(&f, r, RL_GPU_FINDING_P2P, "gpu0"), "the healthy pairs are not");
    e = finding(&f, r, RL_GPU_FINDING_POWER_LIMIT, "gpu5");
    cr_assert(e && strstr(e->text, "500 W") && strstr(e->text, "700 W"), "power-capped gpu5");
    e = finding(&f, r, RL_GPU_FINDING_ODD_GPU, "gpu5");
    cr_assert(e, "gpu5 is slower than its siblings");
    cr_assert(strstr(e->text, "the power cap") && strstr(e->text, "SW power cap"), "%s", e->text);
    cr_assert_float_eq(e->shortfall, 1 - 1.55 / 1.95, 1e-9);
    e = finding(&f, r, RL_GPU_FINDING_ODD_GPU, "gpu7");
    cr_assert(e && strstr(e->text, "temperature") && strstr(e->text, "HW thermal"), "hot gpu7");
    for (const char *ok = "gpu0"; ok; ok = NULL)
        cr_assert_null(finding(&f, r, RL_GPU_FINDING_ODD_GPU, ok), "a healthy GPU is not odd");
    cr_assert_eq(f.n, 8, "3 faults x their findings, nothing else: %zu", f.n);
    rl_gpu_findings_free(&f);
    /* Rows: power per row with GFLOP/J and the clock's reason; host links near and far. */
    const rl_device *d5 = &r->devices[5];
    cr_assert_eq(d5->link.numa_near, 1);
    cr_assert_eq(d5->link.numa_far, 0);
    const rl_device_ceiling *fp32 = NULL;
    for (size_t i = 0; i < d5->n_ceiling; i++)
        if (!strcmp(d5->ceiling[i].id, "fp32"))
            fp32 = &d5->ceiling[i];
    cr_assert(fp32 && fp32->power.samples == 20);
    cr_assert_float_eq(fp32->power.per_joule, fp32->best / 498.0, 1e-9, "GFLOP/s per W");
    cr_assert(strstr(fp32->power.why, "power cap"), "%s", fp32->power.why);
    cr_assert_eq(d5->n_copy, 12, "3 copies x pinned/pageable x near/far");
    const rl_device_copy *h2d = &d5->copy[0];
    cr_assert_str_eq(h2d->numa, "near");
    cr_assert_float_eq(h2d->theoretical, 63.0153846, 1e-6);
    cr_assert_eq(h2d->plateau_bytes, 16u << 20, "the plateau starts where the sweep is within 3%");
    cr_assert_gt(h2d->best, h2d->gbs[5], "the plateau is above the 4 MiB point");
    cr_assert_lt(h2d->best, 55.2);
    cr_assert_eq(d5->n_latency, 2, "the launch rows stay with the device");
    int chases = 0;
    for (size_t i = 0; i < r->n_latency; i++)
        chases += !strcmp(r->latency[i].device, "gpu5") && !strcmp(r->latency[i].kind, "idle");
    cr_assert_eq(chases, 3, "L1, L2 and device memory in the memory latency rows");
    /* The JSON: every new row, the findings beside them, and a stable round trip. */
    char *json = rl_result_to_json(r, &err);
    cr_assert(json);
    cr_assert(strstr(json, "\"gpu_findings\"") && strstr(json, "\"host_links\"") &&
              strstr(json, "\"p2p\"") && strstr(json, "\"sw_power_cap\"") &&
              strstr(json, "\"launch-sync\"") && strstr(json, "\"device\":\t\"gpu7\""));
    rl_result *back = rl_result_from_json(json, strlen(json), "mem", &err);
    cr_assert(back, "%s", err.msg);
    char *json2 = rl_result_to_json(back, &err);
    cr_assert_str_eq(json, json2, "write -> read -> write is stable");
    free(json);
    free(json2);
    rl_result_free(back);
    rl_result_free(r);
}

Test(gpu_server, every_report_names_the_faults)
{
    char *out = NULL, *err = NULL;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s", rl_test_tmpdir());
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "gpu --json %s/s.json --csv %s/s.csv --markdown %s/s.md --svg %s/s.svg", tmp, tmp, tmp,
             tmp);
    server_of_eight();
    int rc = rl_test_run(cmd, &out, &err);
    back_to_one();
    cr_assert_eq(rc, 0, "%s", err);
    static const char *const WANT[] = {"gpu3 (PCI 0000:1b:00.0): PCIe link trained at Gen4 x8",
                                       "gpu2 -> gpu6: peer copy",
                                       "gpu5 (PCI 0000:1d:00.0): power-capped",
                                       "gpu5 (PCI 0000:1d:00.0): slower than its siblings",
                                       "gpu7 (PCI 0000:1f:00.0): slower than its siblings"};
    const char *files[] = {NULL, "s.md", "s.csv"};
    for (size_t k = 0; k < 3; k++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", tmp, files[k] ? files[k] : "");
        char *text = files[k] ? rl_test_slurp(p, NULL) : out;
        cr_assert(text);
        for (size_t i = 0; i < sizeof WANT / sizeof WANT[0]; i++)
            cr_assert(strstr(text, WANT[i]), "%s lacks '%s'", files[k] ? files[k] : "stdout",
                      WANT[i]);
        if (files[k])
            free(text);
    }
    cr_assert(strstr(out, "Host links") && strstr(out, "Kernel launch") &&
              strstr(out, "Memory latency") && strstr(out, "  gpu7:") &&
              strstr(out, "Power, clocks and throttling per row") &&
              strstr(out, "GPU-to-GPU copies, peer access on"));
    char p[600];
    snprintf(p, sizeof p, "%s/s-gpu5.svg", tmp);
    char *svg = rl_test_slurp(p, NULL);
    cr_assert(svg && strstr(svg, "Energy roofline: NVIDIA H100 80GB HBM3 (gpu5)") &&
                  strstr(svg, "GFLOP/J"),
              "the energy roofline beside the time roofline");
    free(svg);
    snprintf(p, sizeof p, "%s/s.csv", tmp);
    char *csv = rl_test_slurp(p, NULL);
    cr_assert(strstr(csv, "\ngpu_flag,gpu3,link,,,PCIe link,") && strstr(csv, "\ngpu_p2p,gpu2,") &&
              strstr(csv, "\ngpu_power,gpu5,fp32,") && strstr(csv, "\ngpu_host_link,gpu0,h2d,") &&
              strstr(csv, "\ngpu_latency,gpu0,launch,"));
    free(csv);
    free(out);
    free(err);
    unsetenv("RL_CUDA_PLUGIN");
}

Test(gpu_server, without_nvml_the_rows_run_and_say_so)
{
    char *out = NULL, *err = NULL;
    setenv("RL_CUDA_PLUGIN", fake_plugin(), 1);
    setenv("RL_FAKE_GPU_NVML", "0", 1);
    int rc = rl_test_run("gpu -q --only fp32,wgmma-bf16,host-links", &out, &err);
    back_to_one();
    unsetenv("RL_CUDA_PLUGIN");
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(strstr(out, "Links       unknown: NVML not found"), "%s", out);
    cr_assert(strstr(out, "Power, clocks and throttling per row"), "%s", out);
    cr_assert(strstr(out, "not sampled: NVML not found"), "%s", out);
    cr_assert(strstr(out, "Host links"), "the copies ran: %s", out);
    cr_assert(strstr(out, "unknown"), "their theory is unknown without the link");
    free(out);
    free(err);
}

Test(gpu_server, only_names_the_sections)
{
    char *out = NULL, *err = NULL;
    setenv("RL_CUDA_PLUGIN", fake_plugin(), 1);
    cr_assert_eq(rl_test_run("gpu -q --only latency", &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "launch-sync") && strstr(out, "Memory latency") && strstr(out, "  gpu0:"),
              "%s", out);
    cr_assert_null(strstr(out, "Host links"), "%s", out);
    cr_assert_null(strstr(out, "Compute ceilings (measured"), "%s", out);
    free(out);
    free(err);
    cr_assert_eq(rl_test_run("gpu -q --only latencies", NULL, &err), 2);
    cr_assert(strstr(err, "host-links, p2p, latency"), "the sections are listed: %s", err);
    free(err);
    unsetenv("RL_CUDA_PLUGIN");
}

Test(gpu_server, numa_layout_from_a_saved_tree)
{
    setenv("RL_SYSFS_ROOT", "tests/data/sysfs-2numa", 1);
    cr_assert_eq(rl_numa_farthest(0), 1);
    cr_assert_eq(rl_numa_farthest(1), 0);
    cr_assert_eq(rl_numa_farthest(-1), -1);
    cr_assert_eq(rl_numa_of_pci("0000:18:00.0"), -1, "no such device in the tree");
    rl_numa_binding b;
    char why[160];
    cr_assert_eq(rl_numa_bind(0, &b, why, sizeof why), -1, "a saved tree is not this machine");
    cr_assert(strstr(why, "RL_SYSFS_ROOT"), "%s", why);
    rl_numa_unbind(&b);
    unsetenv("RL_SYSFS_ROOT");
}

Test(gpu_server, link_theory)
{
    cr_assert_float_eq(rl_gpu_pcie_gbs(5, 16), 63.0153846, 1e-6, "Gen5 x16");
    cr_assert_float_eq(rl_gpu_pcie_gbs(4, 8), 15.7538462, 1e-6, "Gen4 x8");
    cr_assert_float_eq(rl_gpu_pcie_gbs(3, 16), 15.7538462, 1e-6, "Gen3 x16 = Gen4 x8");
    cr_assert_float_eq(rl_gpu_pcie_gbs(2, 16), 8.0, 1e-9, "8b/10b");
    cr_assert_lt(rl_gpu_pcie_gbs(0, 16), 0);
    cr_assert_lt(rl_gpu_pcie_gbs(7, 16), 0, "not a generation yet");
    cr_assert_float_eq(rl_gpu_nvlink_gbs_per_link(9, 0) * 18, 450, 1e-9, "H100: 18 x 25 GB/s");
    cr_assert_float_eq(rl_gpu_nvlink_gbs_per_link(8, 0) * 12, 300, 1e-9, "A100: 12 x 25");
    cr_assert_lt(rl_gpu_nvlink_gbs_per_link(8, 6), 0, "GA10x: no NVLink figure");
}

/* Two nodes of eight GPUs and one whose gpu0 is 20% slower: the slow node is flagged against its
 * group by its slowest GPU, every node's own GPU findings are flags, and its hardware names its
 * GPUs. */
Test(gpu_server, fleet_takes_the_gpus_into_rows_groups_and_flags)
{
    rl_err err = {0};
    rl_fleet *f = rl_fleet_new();
    for (int i = 0; i < 3; i++) {
        rl_result *r = rl_result_read("tests/data/gpu-server8.json", &err);
        cr_assert(r, "%s", err.msg);
        if (i == 2)
            for (size_t d = 0; d < r->n_devices; d++)
                for (size_t k = 0; k < r->devices[d].n_ceiling; k++)
                    if (!strcmp(r->devices[d].ceiling[k].kind, "compute"))
                        r->devices[d].ceiling[k].best *= 0.7;
        char host[16];
        snprintf(host, sizeof host, "n%d", i + 1);
        cr_assert_eq(rl_fleet_add_node(f, host, NULL, 1, r, &err), 0);
    }
    rl_fleet_summary s;
    cr_assert_eq(rl_fleet_summarize(f, &s, &err), 0, "%s", err.msg);
    cr_assert_eq(s.n_groups, 1);
    cr_assert(strstr(s.groups[0].hardware, "8 x NVIDIA H100 80GB HBM3"), "%s",
              s.groups[0].hardware);
    cr_assert_eq(s.n_ceilings, RL_FLEET_CEILINGS);
    int slow_node = 0, gpu5 = 0;
    for (size_t k = 0; k < s.n_flags; k++) {
        const rl_fleet_flag *fl = &s.flags[k];
        slow_node |= fl->node == 2 && fl->ceiling == RL_FLEET_GPU_COMPUTE &&
                     fl->below == RL_FLEET_BELOW_GROUP;
        gpu5 |= fl->node == 0 && !strcmp(fl->gpu, "gpu5") && strstr(fl->text, "power");
    }
    cr_assert(slow_node, "n3's slowest GPU is below the group's");
    cr_assert(gpu5, "n1's power-capped gpu5 is a flag of n1");
    rl_fleet_summary_free(&s);
    rl_buf b = {0};
    cr_assert_eq(rl_report_fleet_text(&b, f, &err), 0);
    cr_assert(strstr(b.data, "slowest GPU GFLOP/s") && strstr(b.data, "n1: gpu3 (PCI") &&
                  strstr(b.data, "GPU compute (slowest GPU)"),
              "%s", b.data);
    rl_buf_free(&b);
    char *json = rl_fleet_to_json(f, &err);
    cr_assert(json && strstr(json, "\"gpu\":\t\"gpu5\"") && strstr(json, "gpu_compute_gflops"));
    free(json);
    rl_fleet_free(f);
}

Test(gpu_server, compare_puts_device_rows_side_by_side)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(
        rl_test_run("compare tests/data/gpu-server8.json tests/data/gpu-h200.json", &out, &err), 0,
        "%s", err);
    cr_assert(strstr(out, "gpu0 wgmma-bf16") && strstr(out, "gpu0 host link h2d pinned near") &&
                  strstr(out, "gpu0 latency launch"),
              "%s", out);
    free(out);
    free(err);
}

/* The sentence about a row's clock, for each case a row can be in. */
Test(gpu_server, the_clock_sentence_says_why_or_that_it_cannot)
{
    rl_result *r = rl_result_new();
    rl_err err = {0};
    rl_device *d = rl_result_add_device(r, &err);
    d->max_clock_ghz = 1.98;
    d->has_link = 1;
    d->link.power_limit_w = 700;
    rl_device_power p;
    rl_device_power_unknown(&p);
    char s[192];
    rl_gpu_clock_why(d, &p, 1.97, s, sizeof s);
    cr_assert(strstr(s, "at its peak"), "%s", s);
    snprintf(d->link.nvml, sizeof d->link.nvml, "NVML not found (libnvidia-ml.so.1)");
    rl_gpu_clock_why(d, &p, 1.62, s, sizeof s);
    cr_assert(strstr(s, "18% below") && strstr(s, "why unknown (NVML not found"), "%s", s);
    d->link.nvml[0] = '\0';
    p.samples = 10;
    p.power_w = 450;
    rl_gpu_clock_why(d, &p, 1.62, s, sizeof s);
    cr_assert(strstr(s, "NVML reported no throttle reason (450 W average)"), "%s", s);
    p.reasons = 0x4 | 0x10;
    p.reason_frac[2] = 0.05f; /* set in too few samples to count */
    p.reason_frac[4] = 0.5f;
    rl_gpu_clock_why(d, &p, 1.62, s, sizeof s);
    cr_assert(strstr(s, "sync boost (50% of samples)") && !strstr(s, "power cap"), "%s", s);
    p.reason_frac[2] = 0.9f;
    p.power_max_w = 701;
    rl_gpu_clock_why(d, &p, 1.62, s, sizeof s);
    cr_assert(strstr(s, "the power cap (450 W average, 701 W peak, limit 700 W;"), "%s", s);
    rl_result_free(r);
}
