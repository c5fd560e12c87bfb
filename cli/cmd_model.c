/* cmd_model.c: `roofline model`: parse flags, run model/ and write what was asked for. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmds.h"
#include "cli/machine_opts.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "model/cost.h"
#include "model/model.h"
#include "model/model_svg.h"
#include "model/output.h"
#include "model/roof.h"
#include "probes/probe.h"
#include "result/result.h"

#define CMD      "roofline model"
#define MAX_OPTS 64

static void print_help(void)
{
    rl_buf conv = {0};
    rl_model_wrap(&conv, rl_cost_convention(), 94, "  ");
    printf(
        "Usage: roofline model FILE.onnx [OPTIONS]\n"
        "       roofline model --flops N --bytes N (--machine FILE | --peak G --bandwidth B)\n\n"
        "Reads an ONNX model without loading its weights (a stripped model whose weight file is\n"
        "gone is fine), infers every tensor's shape, and prints per layer: output shape,\n"
        "parameters, multiply-adds, FLOPs, bytes moved and arithmetic intensity. With a machine\n"
        "it places each layer on that machine's roofline: attainable GFLOP/s = min(peak,\n"
        "intensity x bandwidth), compute- or memory-bound, and its time; the model's predicted\n"
        "time is the sum. With an ONNX Runtime profile it adds each layer's measured time.\n\n"
        "Shapes:\n"
        "  --dim NAME=VALUE        value of a symbolic dimension (repeatable), e.g. batch=1\n"
        "  --input NAME=AxBxC      shape of a graph input (repeatable), e.g. input=1x3x640x640\n"
        "                          Dimensions left unknown are reported, never guessed.\n\n"
        "Machine:\n"
        "  --machine FILE          a result of `roofline --json`: peak = best measured FLOP/s of\n"
        "                          --precision at the largest thread count, bandwidth = best\n"
        "                          measured DRAM figure at the largest thread count; theoretical\n"
        "                          figures from the same file when not measured (the output says\n"
        "                          which)\n"
        "  --peak GFLOPS           peak typed in (with --bandwidth); beside --machine or the\n"
        "                          flags below, it replaces that figure\n"
        "  --bandwidth GBS         DRAM bandwidth typed in, GB/s = 1e9 bytes/s; likewise\n"
        "  --precision P           fp32 (default), fp64, fp16, bf16: which peak to take\n"
        "  --profile FILE          ONNX Runtime profile (Chrome trace JSON; `Node` events\n"
        "                          '<node>_kernel_time', dur in us): each node's measured time\n"
        "                          (median over the profiled runs) beside its roofline time,\n"
        "                          achieved GFLOP/s and fraction of the roof\n\n"
        "Theoretical machine, as in `roofline probe`: any of these flags takes the peak of the\n"
        "widest FMA ISA on all cores and the DRAM bandwidth from channels x rate; --peak or\n"
        "--bandwidth beside them replaces one figure (e.g. when SMBIOS gives no DRAM data).\n"
        "%s\n"
        "Quick form (no model file):\n"
        "  --flops N --bytes N     place one workload of N FLOPs moving N bytes\n\n"
        "Output:\n"
        "  --json FILE             JSON (schema " RL_MODEL_SCHEMA "); '-' for stdout\n"
        "  --csv FILE              one row per node; '-' for stdout\n"
        "  --svg FILE              layers as points on the machine's roofline (needs a machine)\n"
        "  --all                   table: also show nodes folded at load time (Constant, shapes)\n"
        "  -h, --help              this help\n\n"
        "Convention:\n%s\n"
        "Examples:\n"
        "  roofline model resnet50.onnx\n"
        "  roofline model yolov5s.onnx --machine this.json --svg yolo.svg --json yolo.json\n"
        "  roofline model bert.onnx --dim batch=1 --dim seq=128 --peak 200 --bandwidth 20\n"
        "  roofline model resnet50.onnx --machine m.json --profile ort_profile.json\n"
        "  roofline model --flops 8.48e9 --bytes 442.74e6 --machine m.json\n"
        "  roofline model vgg16.onnx --cpuid-dump skylake.raw --clock 2.5 --mem-channels 6 \\\n"
        "      --mem-mts 2666\n\n"
        "Exit codes: 0 ok, 1 run-time failure, 2 usage error, 3 bad input file (missing, "
        "truncated,\n"
        "malformed: the message names the file, the byte offset and the node being read).\n",
        rl_machine_opts_help, conv.data ? conv.data : "");
    rl_buf_free(&conv);
}

static int parse_dim_opt(const char *s, rl_shape_dim_opt *d)
{
    const char *eq = strchr(s, '=');
    long v;
    if (!eq || eq == s || rl_cli_parse_int(eq + 1, 0, 1L << 40, &v) != 0)
        return -1;
    d->name = strndup(s, (size_t)(eq - s));
    d->value = v;
    return d->name ? 0 : -1;
}

static int parse_input_opt(const char *s, rl_shape_input_opt *in)
{
    const char *eq = strrchr(s, '=');
    if (!eq || eq == s || !eq[1])
        return -1;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", eq + 1);
    in->rank = 0;
    for (char *tok = strtok(buf, "x,"); tok; tok = strtok(NULL, "x,")) {
        long v;
        if (in->rank >= RL_ONNX_MAX_RANK || rl_cli_parse_int(tok, 0, 1L << 40, &v) != 0)
            return -1;
        in->dims[in->rank++] = v;
    }
    if (strcmp(eq + 1, "scalar") == 0)
        in->rank = 0;
    else if (in->rank == 0)
        return -1;
    in->name = strndup(s, (size_t)(eq - s));
    return in->name ? 0 : -1;
}

static int write_buf(const char *path, rl_buf *b)
{
    rl_err err = {0};
    if (b->failed) {
        rl_cli_error("%s: out of memory", path);
        return RL_EXIT_RUNTIME;
    }
    if (rl_outfile_write(path, b->data ? b->data : "", b->len, &err) != 0) {
        rl_cli_error("%s", err.msg);
        return err.code;
    }
    return RL_EXIT_OK;
}

static int quick_form(double flops, double bytes, const rl_roof_machine *mc, const char *json)
{
    int bound;
    double att;
    double t = rl_roof_time(flops, bytes, mc, &bound, &att);
    double intensity = bytes > 0 ? flops / bytes : 0;
    if (!json || strcmp(json, "-") != 0) {
        printf("machine: %s: peak %.1f GFLOP/s (%s), bandwidth %.1f GB/s (%s), ridge %.2f FLOP/B\n",
               mc->name, mc->peak_gflops, mc->peak_source, mc->bw_gbs, mc->bw_source,
               mc->peak_gflops / mc->bw_gbs);
        printf("workload: %.4g FLOPs, %.4g bytes, intensity %.2f FLOP/B\n", flops, bytes,
               intensity);
        printf("attainable %.1f GFLOP/s, %s-bound, roofline time %.3f ms\n", att,
               bound == RL_BOUND_COMPUTE ? "compute" : "memory", t * 1e3);
    }
    if (!json)
        return RL_EXIT_OK;
    cJSON *o = cJSON_CreateObject();
    int bad = !o;
    bad = bad || !cJSON_AddStringToObject(o, "schema", RL_MODEL_SCHEMA);
    bad = bad || !cJSON_AddNumberToObject(o, "flops", flops);
    bad = bad || !cJSON_AddNumberToObject(o, "bytes", bytes);
    bad = bad || !cJSON_AddNumberToObject(o, "intensity", intensity);
    bad = bad || !cJSON_AddNumberToObject(o, "peak_gflops", mc->peak_gflops);
    bad = bad || !cJSON_AddStringToObject(o, "peak_source", mc->peak_source);
    bad = bad || !cJSON_AddNumberToObject(o, "bandwidth_gbs", mc->bw_gbs);
    bad = bad || !cJSON_AddStringToObject(o, "bandwidth_source", mc->bw_source);
    bad = bad || !cJSON_AddNumberToObject(o, "attainable_gflops", att);
    bad = bad ||
          !cJSON_AddStringToObject(o, "bound", bound == RL_BOUND_COMPUTE ? "compute" : "memory");
    bad = bad || !cJSON_AddNumberToObject(o, "time_s", t);
    char *text = bad ? NULL : cJSON_Print(o);
    cJSON_Delete(o);
    if (!text) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }
    rl_buf b = {0};
    rl_buf_printf(&b, "%s\n", text);
    free(text);
    int rc = write_buf(json, &b);
    rl_buf_free(&b);
    return rc;
}

int rl_cmd_model(int argc, char **argv)
{
    enum {
        O_DIM = 256,
        O_INPUT,
        O_MACHINE,
        O_PEAK,
        O_BW,
        O_PREC,
        O_PROFILE,
        O_FLOPS,
        O_BYTES,
        O_JSON,
        O_CSV,
        O_SVG,
        O_ALL
    };
    static const struct option longopts[] = {{"dim", required_argument, 0, O_DIM},
                                             {"input", required_argument, 0, O_INPUT},
                                             {"machine", required_argument, 0, O_MACHINE},
                                             {"peak", required_argument, 0, O_PEAK},
                                             {"bandwidth", required_argument, 0, O_BW},
                                             {"precision", required_argument, 0, O_PREC},
                                             {"profile", required_argument, 0, O_PROFILE},
                                             {"flops", required_argument, 0, O_FLOPS},
                                             {"bytes", required_argument, 0, O_BYTES},
                                             {"json", required_argument, 0, O_JSON},
                                             {"csv", required_argument, 0, O_CSV},
                                             {"svg", required_argument, 0, O_SVG},
                                             {"all", no_argument, 0, O_ALL},
                                             {"help", no_argument, 0, 'h'},
                                             RL_MACHINE_LONGOPTS,
                                             {0, 0, 0, 0}};
    rl_probe_opts popts;
    rl_probe_opts_init(&popts);
    int theoretical = 0;
    rl_shape_dim_opt dims[MAX_OPTS];
    rl_shape_input_opt *inputs = calloc(MAX_OPTS, sizeof *inputs);
    rl_shape_opts sopts = {dims, 0, inputs, 0};
    const char *machine_path = NULL, *profile = NULL, *json = NULL, *csv = NULL, *svg = NULL;
    const char *precision = "fp32";
    double peak = -1, bw = -1, qflops = -1, qbytes = -1;
    int all = 0, rc = RL_EXIT_OK;
    rl_model *m = NULL;
    rl_result *res = NULL;
    rl_err err = {0};
    rl_buf b = {0};
    memset(dims, 0, sizeof dims);
    if (!inputs) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int mr = rl_machine_opt(c, optarg, CMD, &popts);
        if (mr == 0) {
            theoretical = 1;
            continue;
        }
        if (mr > 0) {
            rc = mr;
            goto done;
        }
        switch (c) {
        case 'h':
            print_help();
            goto done;
        case O_DIM:
            if (sopts.n_dims >= MAX_OPTS || parse_dim_opt(optarg, &dims[sopts.n_dims]) != 0) {
                rc = rl_cli_usage_error(CMD, "--dim: '%s' is not NAME=VALUE", optarg);
                goto done;
            }
            sopts.n_dims++;
            break;
        case O_INPUT:
            if (sopts.n_inputs >= MAX_OPTS ||
                parse_input_opt(optarg, &inputs[sopts.n_inputs]) != 0) {
                rc = rl_cli_usage_error(CMD, "--input: '%s' is not NAME=1x3x224x224", optarg);
                goto done;
            }
            sopts.n_inputs++;
            break;
        case O_MACHINE:
            if (!*optarg) {
                rc = rl_cli_usage_error(CMD, "--machine: needs a RESULT.json file name");
                goto done;
            }
            machine_path = optarg;
            break;
        case O_PEAK:
        case O_BW:
        case O_FLOPS:
        case O_BYTES: {
            double v;
            const char *flag = c == O_PEAK    ? "--peak"
                               : c == O_BW    ? "--bandwidth"
                               : c == O_FLOPS ? "--flops"
                                              : "--bytes";
            if (rl_cli_parse_double(optarg, c == O_FLOPS ? 0 : 1e-9, 1e30, &v) != 0) {
                rc = rl_cli_usage_error(CMD, "%s: '%s' is not a positive number", flag, optarg);
                goto done;
            }
            *(c == O_PEAK ? &peak : c == O_BW ? &bw : c == O_FLOPS ? &qflops : &qbytes) = v;
            break;
        }
        case O_PREC:
            if (strcmp(optarg, "fp32") && strcmp(optarg, "fp64") && strcmp(optarg, "fp16") &&
                strcmp(optarg, "bf16")) {
                rc = rl_cli_usage_error(CMD, "--precision: '%s' is not fp32, fp64, fp16 or bf16",
                                        optarg);
                goto done;
            }
            precision = optarg;
            break;
        case O_PROFILE:
            if (!*optarg) {
                rc = rl_cli_usage_error(CMD, "--profile: needs a file name");
                goto done;
            }
            profile = optarg;
            break;
        case O_JSON:
            json = optarg;
            break;
        case O_CSV:
            csv = optarg;
            break;
        case O_SVG:
            svg = optarg;
            break;
        case O_ALL:
            all = 1;
            break;
        case ':':
            rc = rl_cli_usage_error(CMD, "%s needs a value", argv[optind - 1]);
            goto done;
        default:
            rc = rl_cli_unknown_option(CMD, argv);
            goto done;
        }
    }
    const char *file = optind < argc ? argv[optind] : NULL;
    if (optind + 1 < argc) {
        rc = rl_cli_usage_error(CMD, "one model file at a time ('%s' is extra)", argv[optind + 1]);
        goto done;
    }
    if (file && !*file) {
        rc = rl_cli_usage_error(CMD, "FILE.onnx: the model file name is empty");
        goto done;
    }
    int quick = qflops >= 0 || qbytes >= 0;
    if (quick && (qflops < 0 || qbytes < 0)) {
        rc = rl_cli_usage_error(CMD, "%s: the quick form needs both --flops and --bytes",
                                qflops < 0 ? "--flops" : "--bytes");
        goto done;
    }
    if (quick && file) {
        rc = rl_cli_usage_error(CMD, "--flops: give either a model file or --flops/--bytes");
        goto done;
    }
    if (!quick && !file) {
        rc = rl_cli_usage_error(CMD, "FILE.onnx: no model file given");
        goto done;
    }
    if (!theoretical && !machine_path && (peak > 0) != (bw > 0)) {
        rc = rl_cli_usage_error(CMD, "%s: --peak and --bandwidth go together",
                                peak > 0 ? "--peak" : "--bandwidth");
        goto done;
    }
    if (machine_path && theoretical) {
        rc = rl_cli_usage_error(CMD, "--machine: give either --machine or the theoretical machine "
                                     "flags (--cpuid-dump, --clock, ...)");
        goto done;
    }
    int have_machine = machine_path || peak > 0 || theoretical;
    if ((svg || quick) && !have_machine) {
        rc = rl_cli_usage_error(CMD, "%s: needs a machine (--machine or --peak/--bandwidth)",
                                svg ? "--svg" : "--flops");
        goto done;
    }
    const rl_cli_output outs[] = {{"--json", json}, {"--csv", csv}, {"--svg", svg}};
    rc = rl_cli_check_outputs(CMD, outs, 3);
    if (rc != RL_EXIT_OK)
        goto done;

    /* The machine: a saved result, the theoretical one (probe flags), or typed in. --peak and
     * --bandwidth beside --machine or the probe flags replace that one figure. */
    rl_roof_machine mc;
    memset(&mc, 0, sizeof mc);
    if (machine_path || theoretical) {
        const char *what = machine_path ? machine_path : "theoretical machine";
        if (machine_path) {
            res = rl_result_read(machine_path, &err);
        } else if ((res = rl_result_new()) != NULL) {
            popts.quick = 1;
            if (rl_probe_machine(&popts, res, &err) != 0) {
                rl_result_free(res);
                res = NULL;
            }
        } else {
            rl_err_set(&err, RL_EXIT_RUNTIME, "out of memory");
        }
        if (!res) {
            rl_cli_error("%s", err.msg);
            rc = err.code ? err.code : RL_EXIT_INPUT;
            goto done;
        }
        for (size_t i = 0; theoretical && i < res->n_warnings; i++)
            if (!(bw > 0 && strstr(res->warnings[i], "DRAM bandwidth unknown")))
                rl_cli_warn("%s", res->warnings[i]);
        rl_roof_override over = {
            .peak_gflops = peak, .peak_source = "--peak", .bw_gbs = bw, .bw_source = "--bandwidth"};
        if (rl_roof_from_result(res, precision, &over, what, &mc, &err) != 0) {
            if (theoretical && !(bw > 0) && res->theory.dram_gbs <= 0)
                rc = rl_cli_usage_error(CMD, "--mem-channels: the DRAM bandwidth is unknown (give "
                                             "--mem-channels and --mem-mts, or --bandwidth)");
            else {
                rl_cli_error("%s (--peak/--bandwidth can supply it)", err.msg);
                rc = RL_EXIT_INPUT;
            }
            goto done;
        }
    } else if (peak > 0) {
        mc.peak_gflops = peak;
        mc.bw_gbs = bw;
        snprintf(mc.peak_source, sizeof mc.peak_source, "--peak");
        snprintf(mc.bw_source, sizeof mc.bw_source, "--bandwidth");
        snprintf(mc.name, sizeof mc.name, "typed in");
    }
    if (quick) {
        rc = quick_form(qflops, qbytes, &mc, json);
        goto done;
    }

    if (rl_model_analyze_file(file, &sopts, &m, &err) != 0) {
        if (err.code == RL_EXIT_USAGE)
            rc = rl_cli_usage_error(CMD, "%s", err.msg);
        else {
            rl_cli_error("%s", err.msg);
            rc = err.code ? err.code : RL_EXIT_INPUT;
        }
        goto done;
    }
    for (size_t i = 0; i < sopts.n_dims; i++)
        if (!dims[i].used)
            rl_cli_warn("--dim %s: no graph input has a dimension of that name", dims[i].name);

    rl_model_view v = {.m = m, .all_nodes = all};
    if (have_machine) {
        v.machine = &mc;
        v.time_s = rl_roof_place(m->g, &mc);
    }
    rl_profile_stats ps;
    if (profile) {
        if (rl_roof_profile_read(profile, m->g, &ps, &err) != 0) {
            rl_cli_error("%s", err.msg);
            rc = err.code;
            goto done;
        }
        v.prof = &ps;
        if (ps.nodes_matched == 0)
            rl_cli_warn("%s: no profile node name matches a node of %s", profile, file);
    }

    int to_stdout =
        (json && !strcmp(json, "-")) || (csv && !strcmp(csv, "-")) || (svg && !strcmp(svg, "-"));
    if (!to_stdout) {
        rl_model_table(&v, &b);
        if ((rc = write_buf("-", &b)) != 0)
            goto done;
        rl_buf_free(&b);
    }
    if (json) {
        char *text = rl_model_json(&v, &err);
        if (!text) {
            rl_cli_error("%s", err.msg);
            rc = RL_EXIT_RUNTIME;
            goto done;
        }
        rl_buf_printf(&b, "%s\n", text);
        free(text);
        if ((rc = write_buf(json, &b)) != 0)
            goto done;
        rl_buf_free(&b);
    }
    if (csv) {
        rl_model_csv(&v, &b);
        if ((rc = write_buf(csv, &b)) != 0)
            goto done;
        rl_buf_free(&b);
    }
    if (svg) {
        rl_model_svg(&v, &b);
        if ((rc = write_buf(svg, &b)) != 0)
            goto done;
        rl_buf_free(&b);
    }
    if (m->tot.incomplete)
        rl_cli_warn("%s: totals are incomplete (%zu nodes not costed)", file,
                    m->tot.nodes_not_costed);
done:
    rl_buf_free(&b);
    rl_model_free(m);
    rl_result_free(res);
    for (size_t i = 0; i < sopts.n_dims; i++)
        free((char *)dims[i].name);
    for (size_t i = 0; i < sopts.n_inputs; i++)
        free((char *)inputs[i].name);
    free(inputs);
    return rc;
}
