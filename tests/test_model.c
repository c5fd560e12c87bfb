/* test_model.c: the shared models against their reference values (shapes, multiply-adds,
 * parameters), and the `roofline model` command: outputs, machines, profiles, errors. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/model.h"
#include "model/roof.h"
#include "result/result.h"
#include "tests/helpers.h"

static cJSON *load_reference(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/models/reference.json", rl_test_shared());
    char *text = rl_test_slurp(path, NULL);
    cr_assert(text, "cannot read %s", path);
    cJSON *j = cJSON_Parse(text);
    free(text);
    cr_assert(j, "bad JSON in %s", path);
    return j;
}

static void shape_of(const rl_tensor *t, char *out, size_t size)
{
    rl_tensor_shape_str(t, out, size);
}

static void ref_shape(const cJSON *a, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    if (cJSON_GetArraySize(a) == 0) {
        snprintf(out, size, "scalar");
        return;
    }
    const cJSON *d;
    cJSON_ArrayForEach(d, a)
    {
        used += (size_t)snprintf(out + used, size - used, "%s%lld", used ? "x" : "",
                                 (long long)d->valuedouble);
    }
}

Test(model, shared_models_match_reference, .timeout = 120)
{
    cJSON *ref = load_reference();
    const cJSON *models = cJSON_GetObjectItem(ref, "models"), *mj;
    int n_models = 0;
    cJSON_ArrayForEach(mj, models)
    {
        const char *file = cJSON_GetObjectItem(mj, "file")->valuestring;
        char path[1024];
        snprintf(path, sizeof path, "%s/models/%s", rl_test_shared(), file);
        rl_model *m;
        rl_err err = {0};
        cr_assert_eq(rl_model_analyze_file(path, NULL, &m, &err), 0, "%s", err.msg);
        cr_assert(m->onnx->weights_absent, "%s: stripped model says weights absent", file);
        cr_assert(!m->tot.incomplete, "%s: complete", file);
        cr_assert_eq(m->g->n_unsupported, 0, "%s", file);

        /* every node output's shape */
        const cJSON *shapes = cJSON_GetObjectItem(mj, "node_output_shapes"), *s;
        size_t compared = 0, ref_none = 0;
        cJSON_ArrayForEach(s, shapes)
        {
            rl_tensor *t = rl_graph_find(m->g, s->string);
            cr_assert(t, "%s: no tensor '%s'", file, s->string);
            char got[256], want[256];
            shape_of(t, got, sizeof got);
            if (cJSON_IsNull(s)) {
                /* the reference has no shape (ONNX dropped it for some scalar Constants): ours
                 * must still be known */
                cr_assert(rl_tensor_elems(t) >= 0, "%s: '%s' unknown", file, s->string);
                ref_none++;
                continue;
            }
            ref_shape(s, want, sizeof want);
            cr_assert_str_eq(got, want, "%s: '%s'", file, s->string);
            compared++;
        }
        cr_assert_eq(compared + ref_none, (size_t)cJSON_GetArraySize(shapes));

        /* multiply-adds of Conv/Gemm/MatMul, exactly */
        double macs = 0;
        for (size_t i = 0; i < m->g->n_nodes; i++) {
            const char *op = m->g->nodes[i].src->op_type;
            if (!strcmp(op, "Conv") || !strcmp(op, "Gemm") || !strcmp(op, "MatMul"))
                macs += m->g->nodes[i].macs;
        }
        double want_macs = cJSON_GetObjectItem(mj, "macs_gemm_conv_from_profiler")->valuedouble;
        cr_assert_eq(macs, want_macs, "%s: MACs %.0f, reference %.0f", file, macs, want_macs);
        cr_assert_eq(m->tot.macs, want_macs, "%s: only those ops have MACs", file);

        /* parameters = initializer elements */
        double want_params = cJSON_GetObjectItem(mj, "initializer_elems")->valuedouble;
        cr_assert_eq((double)m->tot.params, want_params, "%s: params %llu, reference %.0f", file,
                     (unsigned long long)m->tot.params, want_params);
        double want_bytes = cJSON_GetObjectItem(mj, "initializer_bytes")->valuedouble;
        cr_assert_eq((double)m->tot.param_bytes, want_bytes, "%s", file);

        /* the seed's YOLOv5s figures */
        if (!strcmp(file, "yolov5s_v5.onnx"))
            cr_assert_eq(llround(macs / 1e7), 848, "8.48 G multiply-adds at 640: %.0f", macs);
        if (!strcmp(file, "yolov5s_v5_224.onnx"))
            cr_assert_eq(llround(macs / 1e7), 104, "1.04 G multiply-adds at 224: %.0f", macs);
        rl_model_free(m);
        n_models++;
    }
    cr_assert_geq(n_models, 9);
    cJSON_Delete(ref);
}

/* ---------------------------------------------------------------- the command */

Test(model_cli, json_has_totals_and_nodes)
{
    char args[1024];
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --json -", rl_test_shared());
    cJSON *j = rl_test_run_json(args, 0);
    const cJSON *t = cJSON_GetObjectItem(j, "totals");
    cr_assert_eq(rl_test_num(t, "params"), 11684712);
    cr_assert_eq(rl_test_num(t, "macs"), 1814073344);
    cr_assert(rl_test_num(t, "flops") > 2 * rl_test_num(t, "macs"),
              "2 per MAC plus elementwise ops");
    cr_assert(rl_test_num(t, "bytes_read") > 46e6, "weights are read");
    cr_assert(rl_test_num(t, "peak_activation_bytes") > 0);
    cr_assert(!cJSON_GetObjectItem(t, "time_s"), "no machine, no time");
    const cJSON *nodes = cJSON_GetObjectItem(j, "nodes");
    cr_assert_eq(cJSON_GetArraySize(nodes), 49);
    const cJSON *n0 = cJSON_GetArrayItem(nodes, 0);
    cr_assert_str_eq(cJSON_GetObjectItem(n0, "op")->valuestring, "Conv");
    const cJSON *sh =
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(n0, "outputs"), 0), "shape");
    cr_assert_eq(cJSON_GetArraySize(sh), 4);
    cr_assert_eq(cJSON_GetArrayItem(sh, 1)->valuedouble, 64);
    cr_assert_eq(cJSON_GetArrayItem(sh, 3)->valuedouble, 112);
    cr_assert_eq(rl_test_num(n0, "macs"), 118013952);
    cr_assert(cJSON_IsArray(cJSON_GetObjectItem(j, "unsupported_ops")));
    cr_assert(cJSON_IsArray(cJSON_GetObjectItem(j, "unknown_dims")));
    cr_assert_str_eq(cJSON_GetObjectItem(j, "weights")->valuestring, "absent");
    cr_assert(strstr(cJSON_GetObjectItem(j, "convention")->valuestring, "2 x MACs"));
    cJSON_Delete(j);
}

Test(model_cli, table_with_typed_in_machine)
{
    char args[1024], *out = NULL;
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --peak 100 --bandwidth 10",
             rl_test_shared());
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    cr_assert(strstr(out, "weights absent"), "%s", out);
    cr_assert(strstr(out, "/conv1/Conv") && strstr(out, "compute"), "%s", out);
    cr_assert(strstr(out, "memory"), "Relu is memory-bound");
    cr_assert(strstr(out, "predicted time"));
    cr_assert(strstr(out, "Convention:"));
    free(out);

    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --peak 100 --bandwidth 10 --json -",
             rl_test_shared());
    cJSON *j = rl_test_run_json(args, 0);
    const cJSON *t = cJSON_GetObjectItem(j, "totals");
    double time_s = rl_test_num(t, "time_s");
    /* at least the compute bound of all FLOPs, at most compute + memory bounds summed */
    double flops = rl_test_num(t, "flops"),
           bytes = rl_test_num(t, "bytes_read") + rl_test_num(t, "bytes_written");
    cr_assert(time_s >= flops / 100e9 - 1e-12 && time_s <= flops / 100e9 + bytes / 10e9 + 1e-12,
              "time %g", time_s);
    const cJSON *n1 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "nodes"), 1);
    cr_assert_str_eq(cJSON_GetObjectItem(n1, "bound")->valuestring, "memory");
    cr_assert_float_eq(rl_test_num(n1, "time_s"),
                       (rl_test_num(n1, "bytes_read") + rl_test_num(n1, "bytes_written")) / 10e9,
                       1e-12);
    cJSON_Delete(j);
}

Test(model_cli, quick_form)
{
    cJSON *j = rl_test_run_json(
        "model --flops 8.48e9 --bytes 442.74e6 --peak 100 --bandwidth 10 --json -", 0);
    cr_assert_float_eq(rl_test_num(j, "intensity"), 8.48e9 / 442.74e6, 1e-9);
    cr_assert_str_eq(cJSON_GetObjectItem(j, "bound")->valuestring, "compute");
    cr_assert_float_eq(rl_test_num(j, "time_s"), 0.0848, 1e-9);
    cJSON_Delete(j);
    char *out = NULL;
    cr_assert_eq(rl_test_run("model --flops 1e9 --bytes 1e9 --peak 100 --bandwidth 10", &out, NULL),
                 0);
    cr_assert(strstr(out, "memory-bound, roofline time 100.000 ms"), "%s", out);
    free(out);
}

static void write_result(const char *path, int measured)
{
    rl_result *r = rl_result_new();
    rl_err err = {0};
    snprintf(r->machine.brand, sizeof r->machine.brand, "Test CPU");
    if (measured) {
        rl_flops f = {.isa = "avx2-fma",
                      .precision = "fp32",
                      .unit = "GFLOP/s",
                      .threads = 1,
                      .gflops = 50,
                      .repeats = 1};
        cr_assert_eq(rl_result_add_flops(r, &f, &err), 0, "%s", err.msg);
        f.threads = 2;
        f.gflops = 90;
        cr_assert_eq(rl_result_add_flops(r, &f, &err), 0);
        f.gflops = 130; /* an FMA+ADD mix is faster but not the ISA's peak: never the roof */
        snprintf(f.isa, sizeof f.isa, "avx2-fma+add");
        cr_assert_eq(rl_result_add_flops(r, &f, &err), 0);
        snprintf(f.isa, sizeof f.isa, "avx");
        f.gflops = 40;
        cr_assert_eq(rl_result_add_flops(r, &f, &err), 0);
        f.threads = 2;
        snprintf(f.precision, sizeof f.precision, "fp64");
        f.gflops = 45;
        cr_assert_eq(rl_result_add_flops(r, &f, &err), 0);
        rl_bandwidth b = {.level = "DRAM",
                          .kernel = "triad",
                          .isa = "avx2",
                          .threads = 2,
                          .gbs = 12,
                          .bytes_per_thread = 1 << 28,
                          .repeats = 1};
        cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
        b.threads = 1;
        b.gbs = 20; /* higher, but fewer threads */
        cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
        b.threads = 2;
        b.gbs = 13; /* the best DRAM figure, with non-temporal stores: named in the source */
        b.nt_stores = 1;
        snprintf(b.kernel, sizeof b.kernel, "copy");
        cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
        b.nt_stores = 0;
        snprintf(b.level, sizeof b.level, "L1");
        b.threads = 2;
        b.gbs = 500;
        cr_assert_eq(rl_result_add_bandwidth(r, &b, &err), 0);
    } else {
        rl_peak p = {.isa = "avx2-fma",
                     .precision = "fp32",
                     .threads = 2,
                     .gflops_at_measured_clock = -1,
                     .gflops_at_nominal_clock = 150};
        cr_assert_eq(rl_result_add_peak(r, &p, &err), 0);
        r->theory.dram_gbs = 25.6;
        snprintf(r->theory.dram_source, sizeof r->theory.dram_source, "SMBIOS type 17");
    }
    cr_assert_eq(rl_result_write(r, path, &err), 0, "%s", err.msg);
    rl_result_free(r);
}

Test(model_cli, machine_from_result_measured_and_theoretical)
{
    char path[256], args[1024];
    snprintf(path, sizeof path, "%s/m.json", rl_test_tmpdir());
    write_result(path, 1);
    snprintf(args, sizeof args, "model --flops 1e9 --bytes 1e8 --machine %s --json -", path);
    cJSON *j = rl_test_run_json(args, 0);
    cr_assert_eq(rl_test_num(j, "peak_gflops"), 90);
    cr_assert_eq(rl_test_num(j, "bandwidth_gbs"), 13);
    cr_assert(strstr(cJSON_GetObjectItem(j, "peak_source")->valuestring,
                     "measured: avx2-fma fp32, 2 threads"));
    cr_assert(strstr(cJSON_GetObjectItem(j, "bandwidth_source")->valuestring,
                     "measured: DRAM copy (nt), 2 threads"));
    cJSON_Delete(j);
    snprintf(args, sizeof args,
             "model --flops 1e9 --bytes 1e8 --machine %s --precision fp64 --json -", path);
    j = rl_test_run_json(args, 0);
    cr_assert_eq(rl_test_num(j, "peak_gflops"), 45);
    cJSON_Delete(j);

    write_result(path, 0);
    snprintf(args, sizeof args, "model --flops 1e9 --bytes 1e8 --machine %s --json -", path);
    j = rl_test_run_json(args, 0);
    cr_assert_eq(rl_test_num(j, "peak_gflops"), 150);
    cr_assert_eq(rl_test_num(j, "bandwidth_gbs"), 25.6);
    cr_assert(strstr(cJSON_GetObjectItem(j, "peak_source")->valuestring, "theoretical"));
    cr_assert(strstr(cJSON_GetObjectItem(j, "bandwidth_source")->valuestring, "theoretical"));
    cJSON_Delete(j);

    char *err = NULL;
    snprintf(args, sizeof args, "model --flops 1e9 --bytes 1e8 --machine %s --precision bf16",
             path);
    cr_assert_eq(rl_test_run(args, NULL, &err), 3);
    cr_assert(strstr(err, "no bf16 peak"), "%s", err);
    free(err);
    unlink(path);
}

Test(model_cli, profile_matches_nodes_by_name)
{
    char path[256], args[1024];
    snprintf(path, sizeof path, "%s/prof.json", rl_test_tmpdir());
    FILE *f = fopen(path, "w");
    cr_assert(f);
    /* two runs: conv 1000 us and 3000 us (median 2 ms), relu 10 us twice, one fused name */
    fprintf(f, "[{\"cat\":\"Session\",\"name\":\"model_run\",\"dur\":99999},"
               "{\"cat\":\"Node\",\"name\":\"/conv1/"
               "Conv_kernel_time\",\"dur\":1000,\"args\":{\"op_name\":\"Conv\"}},"
               "{\"cat\":\"Node\",\"name\":\"/conv1/Conv_fence_before\",\"dur\":5},"
               "{\"cat\":\"Node\",\"name\":\"/relu/Relu_kernel_time\",\"dur\":10},"
               "{\"cat\":\"Node\",\"name\":\"/conv1/Conv_kernel_time\",\"dur\":3000},"
               "{\"cat\":\"Node\",\"name\":\"/relu/Relu_kernel_time\",\"dur\":10},"
               "{\"cat\":\"Node\",\"name\":\"fused_thing_kernel_time\",\"dur\":40},"
               "{\"cat\":\"Node\",\"name\":\"fused_thing_kernel_time\",\"dur\":60}]\n");
    fclose(f);
    snprintf(args, sizeof args,
             "model %s/models/resnet18.onnx --peak 100 --bandwidth 10 --profile %s --json -",
             rl_test_shared(), path);
    cJSON *j = rl_test_run_json(args, 0);
    const cJSON *nodes = cJSON_GetObjectItem(j, "nodes");
    const cJSON *n0 = cJSON_GetArrayItem(nodes, 0), *n1 = cJSON_GetArrayItem(nodes, 1),
                *n2 = cJSON_GetArrayItem(nodes, 2);
    cr_assert_float_eq(rl_test_num(n0, "measured_s"), 2e-3, 1e-12);
    cr_assert_float_eq(rl_test_num(n0, "achieved_gflops"), rl_test_num(n0, "flops") / 2e-3 / 1e9,
                       1e-6);
    cr_assert_float_eq(rl_test_num(n0, "fraction_of_roofline"),
                       rl_test_num(n0, "achieved_gflops") / rl_test_num(n0, "attainable_gflops"),
                       1e-9);
    cr_assert_float_eq(rl_test_num(n1, "measured_s"), 10e-6, 1e-12);
    cr_assert(!cJSON_GetObjectItem(n2, "measured_s"), "maxpool was not in the profile");
    const cJSON *t = cJSON_GetObjectItem(j, "totals");
    cr_assert_float_eq(rl_test_num(t, "measured_matched_s"), 2.01e-3, 1e-12);
    cr_assert_float_eq(rl_test_num(t, "measured_unmatched_s"), 50e-6, 1e-12);
    cJSON_Delete(j);

    f = fopen(path, "w");
    fprintf(f, "{\"not\": \"a profile\"}");
    fclose(f);
    char *err = NULL;
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --profile %s", rl_test_shared(),
             path);
    cr_assert_eq(rl_test_run(args, NULL, &err), 3);
    cr_assert(strstr(err, "not an ONNX Runtime profile"), "%s", err);
    free(err);
    unlink(path);
}

Test(model_cli, csv_and_svg_files)
{
    char dir[256], args[2048];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    snprintf(args, sizeof args,
             "model %s/models/mobilenet_v3_small.onnx --peak 100 --bandwidth 10 --csv %s/m.csv "
             "--svg %s/m.svg",
             rl_test_shared(), dir, dir);
    cr_assert_eq(rl_test_run(args, NULL, NULL), 0);
    char p[512];
    snprintf(p, sizeof p, "%s/m.csv", dir);
    char *csv = rl_test_slurp(p, NULL);
    cr_assert(csv && strncmp(csv, "index,name,op,", 14) == 0);
    size_t lines = 0;
    for (char *c = csv; *c; c++)
        lines += *c == '\n';
    cr_assert_eq(lines, 142, "header + 141 nodes");
    free(csv);
    unlink(p);
    snprintf(p, sizeof p, "%s/m.svg", dir);
    char *svg = rl_test_slurp(p, NULL);
    cr_assert(svg && strncmp(svg, "<svg ", 5) == 0 && strstr(svg, "</svg>"));
    cr_assert(strstr(svg, "<circle") && strstr(svg, "HardSigmoid"), "layers are points");
    free(svg);
    unlink(p);
}

Test(model_cli, usage_errors_name_the_flag)
{
    static const struct {
        const char *args, *msg;
    } cases[] = {
        {"model", "no model file given"},
        {"model x.onnx --frobnicate", "unknown option '--frobnicate'"},
        {"model x.onnx --svg out.svg", "--svg: needs a machine"},
        {"model x.onnx --peak 100", "--peak: --peak and --bandwidth go together"},
        {"model x.onnx --peak abc --bandwidth 1", "--peak: 'abc' is not a positive number"},
        {"model --flops 1e9", "--bytes: the quick form needs both"},
        {"model x.onnx --dim batch", "--dim: 'batch' is not NAME=VALUE"},
        {"model x.onnx --input x=1xAx3", "--input: 'x=1xAx3' is not NAME=1x3x224x224"},
        {"model x.onnx --precision fp8", "--precision: 'fp8'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err = NULL;
        cr_assert_eq(rl_test_run(cases[i].args, NULL, &err), 2, "%s", cases[i].args);
        cr_assert(strstr(err, cases[i].msg), "%s: got '%s'", cases[i].args, err);
        cr_assert(strchr(err, '\n') == strrchr(err, '\n'), "one line: '%s'", err);
        free(err);
    }
    char args[1024], *err = NULL;
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --input nope=1x3", rl_test_shared());
    cr_assert_eq(rl_test_run(args, NULL, &err), 2);
    cr_assert(strstr(err, "--input: the model has no input 'nope'"), "%s", err);
    free(err);
}

Test(model_cli, bad_files_exit_3_with_file_and_offset)
{
    char *err = NULL;
    cr_assert_eq(rl_test_run("model /nonexistent/x.onnx", NULL, &err), 3);
    cr_assert(strstr(err, "/nonexistent/x.onnx: cannot open"), "%s", err);
    free(err);

    /* a truncated model */
    char src[512], dst[512], args[1024];
    snprintf(src, sizeof src, "%s/models/resnet18.onnx", rl_test_shared());
    snprintf(dst, sizeof dst, "%s/cut.onnx", rl_test_tmpdir());
    size_t len;
    char *data = rl_test_slurp(src, &len);
    cr_assert(data && len > 5000);
    FILE *f = fopen(dst, "wb");
    fwrite(data, 1, 5000, f);
    fclose(f);
    free(data);
    snprintf(args, sizeof args, "model %s", dst);
    cr_assert_eq(rl_test_run(args, NULL, &err), 3);
    cr_assert(strstr(err, "roofline: error: cut.onnx: offset 0x"), "%s", err);
    cr_assert(strstr(err, "exceeds the"), "%s", err);
    free(err);

    /* not an ONNX file at all */
    f = fopen(dst, "wb");
    fputs("hello, world\n", f);
    fclose(f);
    cr_assert_eq(rl_test_run(args, NULL, &err), 3);
    cr_assert(strstr(err, "cut.onnx: offset 0x"), "%s", err);
    free(err);
    unlink(dst);
}

Test(model_cli, help_states_convention_and_examples)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("model --help", &out, NULL), 0);
    cr_assert(strstr(out, "Convention:") && strstr(out, "2 x MACs") && strstr(out, "Examples:"));
    cr_assert(strstr(out, "--machine") && strstr(out, "--profile") && strstr(out, "Exit codes"));
    free(out);
}

Test(model_cli, theoretical_machine_from_probe_flags)
{
    char args[2048];
    /* a Zen 2 dump on this machine's topology, the clock and DRAM given: peak = cores x 3.0 GHz x
     * FMA FLOPs/cycle, bandwidth = 2 channels x 3200 MT/s x 8 bytes */
    snprintf(args, sizeof args,
             "model --flops 1e9 --bytes 1e8 --cpuid-dump "
             "%s/fixtures/cpuid/amd__zen2__amd-4800s-8-core-processor-desktop-kit.raw "
             "--clock 3.0 --mem-channels 2 --mem-mts 3200 --json -",
             rl_test_shared());
    cJSON *j = rl_test_run_json(args, 0);
    cr_assert_float_eq(rl_test_num(j, "bandwidth_gbs"), 51.2, 1e-9);
    cr_assert(strstr(cJSON_GetObjectItem(j, "peak_source")->valuestring, "theoretical"), "%s",
              cJSON_GetObjectItem(j, "peak_source")->valuestring);
    cr_assert(!strchr(cJSON_GetObjectItem(j, "peak_source")->valuestring, '+'),
              "never an FMA+ADD mix");
    double peak = rl_test_num(j, "peak_gflops");
    cr_assert(peak > 0 && fmod(peak / 3.0, 1.0) < 1e-9, "peak %g is a multiple of the clock", peak);
    cJSON_Delete(j);

    /* no DRAM figure: a usage error naming the flags to give; --bandwidth fills it */
    char *err = NULL;
    cr_assert_eq(
        rl_test_run("model --flops 1e9 --bytes 1e8 --clock 3.0 --mem-mts 3200", NULL, &err), 2);
    cr_assert(strstr(err, "DRAM bandwidth is unknown"), "%s", err);
    free(err);
    j = rl_test_run_json("model --flops 1e9 --bytes 1e8 --clock 3.0 --bandwidth 20 --json -", 0);
    cr_assert_eq(rl_test_num(j, "bandwidth_gbs"), 20);
    cr_assert_str_eq(cJSON_GetObjectItem(j, "bandwidth_source")->valuestring, "--bandwidth");
    cJSON_Delete(j);

    cr_assert_eq(rl_test_run("model x.onnx --machine m.json --clock 3", NULL, &err), 2);
    cr_assert(strstr(err, "--machine: give either"), "%s", err);
    free(err);
}

Test(model_cli, machine_figures_can_be_replaced)
{
    char path[256], args[1024];
    snprintf(path, sizeof path, "%s/m.json", rl_test_tmpdir());
    write_result(path, 0);
    /* a result with a theoretical peak but no DRAM figure at all */
    rl_err e = {0};
    rl_result *r = rl_result_read(path, &e);
    cr_assert(r, "%s", e.msg);
    r->theory.dram_gbs = -1;
    cr_assert_eq(rl_result_write(r, path, &e), 0);
    rl_result_free(r);
    char *err = NULL;
    snprintf(args, sizeof args, "model --flops 1e9 --bytes 1e8 --machine %s", path);
    cr_assert_eq(rl_test_run(args, NULL, &err), 3);
    cr_assert(strstr(err, "no DRAM bandwidth") && strstr(err, "--bandwidth can supply it"), "%s",
              err);
    free(err);
    snprintf(args, sizeof args,
             "model --flops 1e9 --bytes 1e8 --machine %s --bandwidth 30 --json -", path);
    cJSON *j = rl_test_run_json(args, 0);
    cr_assert_eq(rl_test_num(j, "peak_gflops"), 150);
    cr_assert_eq(rl_test_num(j, "bandwidth_gbs"), 30);
    cJSON_Delete(j);
    snprintf(args, sizeof args,
             "model --flops 1e9 --bytes 1e8 --machine %s --bandwidth 30 --peak 70 --json -", path);
    j = rl_test_run_json(args, 0);
    cr_assert_eq(rl_test_num(j, "peak_gflops"), 70);
    cr_assert_str_eq(cJSON_GetObjectItem(j, "peak_source")->valuestring, "--peak");
    cJSON_Delete(j);
    unlink(path);
}

Test(model_cli, csv_matches_golden_file)
{
    /* every node's shape, params, MACs, FLOPs, bytes, bound and time for ResNet-18 at a typed-in
     * 100 GFLOP/s and 10 GB/s: a change in any cost rule shows up here */
    char args[1024], *out = NULL;
    snprintf(args, sizeof args, "model %s/models/resnet18.onnx --peak 100 --bandwidth 10 --csv -",
             rl_test_shared());
    cr_assert_eq(rl_test_run(args, &out, NULL), 0);
    char *want = rl_test_slurp("tests/data/model-resnet18.csv", NULL);
    cr_assert(want, "tests/data/model-resnet18.csv missing");
    cr_assert_str_eq(out, want);
    free(out);
    free(want);
}

/* --peak and --bandwidth reach the roof as overrides: the result is not edited, and a figure the
 * user gave need not be in it. */
Test(model, roof_overrides_need_no_figure_in_the_result)
{
    rl_result *r = rl_result_new();
    cr_assert(r);
    rl_err err = {0};
    rl_roof_machine mc;
    cr_assert_eq(rl_roof_from_result(r, "fp32", NULL, "empty.json", &mc, &err), -1);
    cr_assert(strstr(err.msg, "empty.json: no fp32 peak"), "%s", err.msg);

    rl_roof_override over = {.peak_gflops = 70, .peak_source = "--peak"};
    memset(&err, 0, sizeof err);
    cr_assert_eq(rl_roof_from_result(r, "fp32", &over, "empty.json", &mc, &err), -1);
    cr_assert(strstr(err.msg, "no DRAM bandwidth"), "the peak was given: %s", err.msg);

    over.bw_gbs = 30;
    over.bw_source = "--bandwidth";
    memset(&err, 0, sizeof err);
    cr_assert_eq(rl_roof_from_result(r, "fp32", &over, "empty.json", &mc, &err), 0, "%s", err.msg);
    cr_assert_eq(mc.peak_gflops, 70);
    cr_assert_eq(mc.bw_gbs, 30);
    cr_assert_str_eq(mc.peak_source, "--peak");
    cr_assert_str_eq(mc.bw_source, "--bandwidth");
    cr_assert_eq(r->theory.n_peak, 0, "the result is not edited");
    cr_assert_eq(r->n_flops, 0);
    rl_result_free(r);
}
