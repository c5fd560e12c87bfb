/* cmd_model.c: `roofline model`: parse flags, run model/ and write what was asked for. The
 * analysis and every rendering live in model/. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmds.h"
#include "cli/machine_opts.h"
#include "cli/runtime_opts.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/outfile.h"
#include "model/cost.h"
#include "model/model.h"
#include "model/model_svg.h"
#include "model/output.h"
#include "model/roof.h"
#include "model/sweep.h"
#include "probes/probe.h"
#include "report/html_model.h"
#include "result/result.h"

#define CMD      "roofline model"
#define MAX_OPTS 64

static void print_help(void)
{
    rl_buf conv = {0};
    rl_model_wrap(&conv, rl_cost_convention(), 94, "  ");
    rl_model_wrap(&conv, rl_cost_convention_weights(), 94, "  ");
    rl_model_wrap(&conv, rl_cost_convention_int8(), 94, "  ");
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
        "                          Dimensions left unknown are reported, never guessed.\n"
        "  --sweep DIM=V1,V2,...   analyse at each value of a symbolic dimension and print one\n"
        "                          row per value: FLOPs, bytes (weights, KV cache, activations),\n"
        "                          intensity and, with a machine, bound, time, tokens/s and the\n"
        "                          side of the ridge (--json: a `sweep` array, --csv: a row "
        "each)\n\n"
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
        "  --device ID             a GPU of --machine (gpu0, ...): its best measured ceiling of\n"
        "                          --precision (tensor cores for bf16/fp16, CUDA cores for\n"
        "                          fp32/fp64) and its device-memory bandwidth\n"
        "  --profile FILE          ONNX Runtime profile (Chrome trace JSON; `Node` events\n"
        "                          '<node>_kernel_time', dur in us): each node's measured time\n"
        "                          (median over the profiled runs) beside its roofline time,\n"
        "                          achieved GFLOP/s and fraction of the roof\n\n"
        "Runtime prediction:\n"
        "  --runtime FILE          a runtime profile (roofline-runtime/1, written by\n"
        "                          scripts/calibrate-ort.sh): predicts the time ONNX Runtime "
        "takes\n"
        "                          at its default optimisation (its fusions and layouts "
        "modelled),\n"
        "                          per node (class, predicted time) and in total, beside the "
        "bound\n"
        "  --threads N             the profile's thread count to predict for (default: its "
        "largest)\n"
        "  --runtime-any-cpu       predict even when the profile was calibrated on another CPU\n"
        "                          (flagged in the output)\n\n"
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
        "  --html FILE             one self-contained web page: the layers (or the sweep) on the\n"
        "                          roofline, hover for each one's figures, a sortable table\n"
        "  --all                   table: also show nodes folded at load time (Constant, shapes)\n"
        "  -h, --help              this help\n\n"
        "Convention:\n%s\n"
        "Examples:\n"
        "  roofline model resnet50.onnx\n"
        "  roofline model yolov5s.onnx --machine this.json --svg yolo.svg --json yolo.json\n"
        "  roofline model resnet50.onnx --machine this.json --html resnet50.html\n"
        "  roofline model bert.onnx --dim batch=1 --dim seq=128 --peak 200 --bandwidth 20\n"
        "  roofline model llama.onnx --dim batch=1 --dim sequence=1 \\\n"
        "      --sweep past_sequence=0,128,512,2048 --machine m.json   (decode)\n"
        "  roofline model llama.onnx --dim batch=1 --dim past_sequence=0 \\\n"
        "      --sweep sequence=1,128,2048 --machine m.json            (prefill)\n"
        "  roofline model resnet50.onnx --machine m.json --profile ort_profile.json\n"
        "  roofline model resnet50.onnx --machine m.json --runtime ort.json --threads 2\n"
        "  roofline model --flops 8.48e9 --bytes 442.74e6 --machine m.json\n"
        "  roofline model resnet50.onnx --machine h200.json --device gpu0 --precision bf16\n"
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
    O_HTML,
    O_ALL,
    O_DEVICE,
    O_SWEEP,
    O_RUNTIME,
    O_THREADS,
    O_ANY_CPU
};

typedef struct model_args {
    rl_probe_opts popts; /* the theoretical machine's flags */
    int theoretical;     /* one of them was given */
    rl_shape_dim_opt dims[MAX_OPTS];
    rl_shape_input_opt *inputs; /* [MAX_OPTS] */
    rl_shape_opts sopts;
    const char *file, *machine_path, *profile, *json, *csv, *svg, *html, *precision;
    const char *device; /* --device: "gpu0" (a result's devices[]); NULL the CPU */
    const char *sweep;  /* --sweep DIM=V1,V2,...: model/sweep.c */
    double peak, bw, qflops, qbytes;
    int all, quick, have_machine;
    rl_runtime_use rt; /* --runtime, --threads, --runtime-any-cpu */
} model_args;

/* --peak, --bandwidth, --flops, --bytes. */
static int parse_number_opt(int c, const char *arg, model_args *a)
{
    double v;
    const char *flag = c == O_PEAK    ? "--peak"
                       : c == O_BW    ? "--bandwidth"
                       : c == O_FLOPS ? "--flops"
                                      : "--bytes";
    if (rl_cli_parse_double(arg, c == O_FLOPS ? 0 : 1e-9, 1e30, &v) != 0)
        return rl_cli_usage_error(CMD, "%s: '%s' is not a positive number", flag, arg);
    *(c == O_PEAK ? &a->peak : c == O_BW ? &a->bw : c == O_FLOPS ? &a->qflops : &a->qbytes) = v;
    return -1;
}

/* One option (not a machine-description flag); returns -1 to go on, or an exit code. */
static int parse_opt(int c, char **argv, model_args *a)
{
    rl_shape_opts *so = &a->sopts;
    switch (c) {
    case 'h':
        print_help();
        return RL_EXIT_OK;
    case O_DIM:
        if (so->n_dims >= MAX_OPTS || parse_dim_opt(optarg, &a->dims[so->n_dims]) != 0)
            return rl_cli_usage_error(CMD, "--dim: '%s' is not NAME=VALUE", optarg);
        so->n_dims++;
        return -1;
    case O_INPUT:
        if (so->n_inputs >= MAX_OPTS || parse_input_opt(optarg, &a->inputs[so->n_inputs]) != 0)
            return rl_cli_usage_error(CMD, "--input: '%s' is not NAME=1x3x224x224", optarg);
        so->n_inputs++;
        return -1;
    case O_MACHINE:
        if (!*optarg)
            return rl_cli_usage_error(CMD, "--machine: needs a RESULT.json file name");
        a->machine_path = optarg;
        return -1;
    case O_PEAK:
    case O_BW:
    case O_FLOPS:
    case O_BYTES:
        return parse_number_opt(c, optarg, a);
    case O_PREC:
        if (strcmp(optarg, "fp32") && strcmp(optarg, "fp64") && strcmp(optarg, "fp16") &&
            strcmp(optarg, "bf16"))
            return rl_cli_usage_error(CMD, "--precision: '%s' is not fp32, fp64, fp16 or bf16",
                                      optarg);
        a->precision = optarg;
        return -1;
    case O_PROFILE:
        if (!*optarg)
            return rl_cli_usage_error(CMD, "--profile: needs a file name");
        a->profile = optarg;
        return -1;
    case O_JSON:
        a->json = optarg;
        return -1;
    case O_CSV:
        a->csv = optarg;
        return -1;
    case O_SVG:
        a->svg = optarg;
        return -1;
    case O_HTML:
        a->html = optarg;
        return -1;
    case O_ALL:
        a->all = 1;
        return -1;
    case O_DEVICE:
        if (!*optarg)
            return rl_cli_usage_error(CMD, "--device: needs a device id such as gpu0");
        a->device = optarg;
        return -1;
    case O_SWEEP:
        a->sweep = optarg;
        return -1;
    case O_RUNTIME:
        if (!*optarg)
            return rl_cli_usage_error(CMD, "--runtime: needs a runtime profile file name");
        a->rt.path = optarg;
        return -1;
    case O_THREADS:
        if (rl_cli_parse_int(optarg, 1, 4096, &a->rt.threads) != 0)
            return rl_cli_usage_error(CMD, "--threads: '%s' is not a thread count", optarg);
        return -1;
    case O_ANY_CPU:
        a->rt.any_cpu = 1;
        return -1;
    case ':':
        return rl_cli_usage_error(CMD, "%s needs a value", argv[optind - 1]);
    default:
        return rl_cli_unknown_option(CMD, argv);
    }
}

/* What the flags say together: the model file or the quick form, a machine where one is needed,
 * the outputs. Returns -1 to go on, or an exit code. */
static int check_args(int argc, char **argv, model_args *a)
{
    a->file = optind < argc ? argv[optind] : NULL;
    if (optind + 1 < argc)
        return rl_cli_usage_error(CMD, "one model file at a time ('%s' is extra)",
                                  argv[optind + 1]);
    if (a->file && !*a->file)
        return rl_cli_usage_error(CMD, "FILE.onnx: the model file name is empty");
    a->quick = a->qflops >= 0 || a->qbytes >= 0;
    if (a->quick && (a->qflops < 0 || a->qbytes < 0))
        return rl_cli_usage_error(CMD, "%s: the quick form needs both --flops and --bytes",
                                  a->qflops < 0 ? "--flops" : "--bytes");
    if (a->quick && a->file)
        return rl_cli_usage_error(CMD, "--flops: give either a model file or --flops/--bytes");
    if (!a->quick && !a->file)
        return rl_cli_usage_error(CMD, "FILE.onnx: no model file given");
    if (!a->theoretical && !a->machine_path && (a->peak > 0) != (a->bw > 0))
        return rl_cli_usage_error(CMD, "%s: --peak and --bandwidth go together",
                                  a->peak > 0 ? "--peak" : "--bandwidth");
    if (a->device && !a->machine_path)
        return rl_cli_usage_error(CMD, "--device: needs --machine (a result that measured it)");
    if (a->machine_path && a->theoretical)
        return rl_cli_usage_error(CMD, "--machine: give either --machine or the theoretical "
                                       "machine flags (--cpuid-dump, --clock, ...)");
    if (a->sweep && (a->quick || a->svg || a->profile || a->rt.path))
        return rl_cli_usage_error(CMD, "--sweep: not with %s (a sweep prints one row per value)",
                                  a->quick     ? "--flops"
                                  : a->svg     ? "--svg"
                                  : a->rt.path ? "--runtime"
                                               : "--profile");
    a->have_machine = a->machine_path || a->peak > 0 || a->theoretical;
    if ((a->rt.threads || a->rt.any_cpu) && !a->rt.path)
        return rl_cli_usage_error(CMD, "%s: needs --runtime (a runtime profile)",
                                  a->rt.threads ? "--threads" : "--runtime-any-cpu");
    if (a->rt.path && a->quick)
        return rl_cli_usage_error(CMD, "--runtime: predicts a model file, not --flops/--bytes");
    if ((a->svg || a->quick) && !a->have_machine)
        return rl_cli_usage_error(CMD, "%s: needs a machine (--machine or --peak/--bandwidth)",
                                  a->svg ? "--svg" : "--flops");
    const rl_cli_output outs[] = {
        {"--json", a->json}, {"--csv", a->csv}, {"--svg", a->svg}, {"--html", a->html}};
    int rc = rl_cli_check_outputs(CMD, outs, 4);
    return rc != RL_EXIT_OK ? rc : -1;
}

/* Parses the command line into a; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, model_args *a)
{
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
                                             {"html", required_argument, 0, O_HTML},
                                             {"all", no_argument, 0, O_ALL},
                                             {"device", required_argument, 0, O_DEVICE},
                                             {"sweep", required_argument, 0, O_SWEEP},
                                             {"runtime", required_argument, 0, O_RUNTIME},
                                             {"threads", required_argument, 0, O_THREADS},
                                             {"runtime-any-cpu", no_argument, 0, O_ANY_CPU},
                                             {"help", no_argument, 0, 'h'},
                                             RL_MACHINE_LONGOPTS,
                                             {0, 0, 0, 0}};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int mr = rl_machine_opt(c, optarg, CMD, &a->popts);
        if (mr == 0) {
            a->theoretical = 1;
            continue;
        }
        if (mr > 0)
            return mr;
        int rc = parse_opt(c, argv, a);
        if (rc >= 0)
            return rc;
    }
    return check_args(argc, argv, a);
}

/* The machine: a saved result, the theoretical one (probe flags), or typed in. --peak and
 * --bandwidth beside --machine or the probe flags replace that one figure. *res (freed by the
 * caller) holds the result read or probed. Returns RL_EXIT_OK or an exit code. */
static int load_machine(const model_args *a, rl_roof_machine *mc, rl_result **res)
{
    rl_err err = {0};
    memset(mc, 0, sizeof *mc);
    if (!a->machine_path && !a->theoretical) {
        if (a->peak > 0) {
            mc->peak_gflops = a->peak;
            mc->bw_gbs = a->bw;
            snprintf(mc->peak_source, sizeof mc->peak_source, "--peak");
            snprintf(mc->bw_source, sizeof mc->bw_source, "--bandwidth");
            snprintf(mc->name, sizeof mc->name, "typed in");
        }
        return RL_EXIT_OK;
    }
    const char *what = a->machine_path ? a->machine_path : "theoretical machine";
    if (a->machine_path) {
        *res = rl_result_read(a->machine_path, &err);
    } else if ((*res = rl_result_new()) != NULL) {
        rl_probe_opts po = a->popts;
        po.quick = 1;
        if (rl_probe_machine(&po, *res, &err) != 0) {
            rl_result_free(*res);
            *res = NULL;
        }
    } else {
        rl_err_set(&err, RL_EXIT_RUNTIME, "out of memory");
    }
    if (!*res) {
        rl_cli_error("%s", err.msg);
        return err.code ? err.code : RL_EXIT_INPUT;
    }
    for (size_t i = 0; a->theoretical && i < (*res)->n_warnings; i++)
        if (!(a->bw > 0 && strstr((*res)->warnings[i], "DRAM bandwidth unknown")))
            rl_cli_warn("%s", (*res)->warnings[i]);
    rl_roof_override over = {.peak_gflops = a->peak,
                             .peak_source = "--peak",
                             .bw_gbs = a->bw,
                             .bw_source = "--bandwidth"};
    if (a->device) {
        const rl_device *d = NULL;
        for (size_t i = 0; i < (*res)->n_devices && !d; i++)
            if (!strcmp((*res)->devices[i].id, a->device))
                d = &(*res)->devices[i];
        if (!d) {
            char ids[256] = "";
            for (size_t i = 0; i < (*res)->n_devices; i++) {
                size_t used = strlen(ids);
                snprintf(ids + used, sizeof ids - used, "%s%s", used ? ", " : "",
                         (*res)->devices[i].id);
            }
            return rl_cli_usage_error(CMD, "--device: %s has no device '%s' (%s%s)", what,
                                      a->device, ids[0] ? "it has: " : "it measured no GPU", ids);
        }
        if (rl_roof_from_device(d, a->precision, &over, what, mc, &err) != 0) {
            rl_cli_error("%s (--peak/--bandwidth can supply it)", err.msg);
            return RL_EXIT_INPUT;
        }
        return RL_EXIT_OK;
    }
    if (rl_roof_from_result(*res, a->precision, &over, what, mc, &err) != 0) {
        if (a->theoretical && !(a->bw > 0) && (*res)->theory.dram_gbs <= 0)
            return rl_cli_usage_error(CMD, "--mem-channels: the DRAM bandwidth is unknown (give "
                                           "--mem-channels and --mem-mts, or --bandwidth)");
        rl_cli_error("%s (--peak/--bandwidth can supply it)", err.msg);
        return RL_EXIT_INPUT;
    }
    return RL_EXIT_OK;
}

/* The page of a model's JSON (report/html_model.h) to `path`; the JSON is the page's data. */
static int write_html(const char *path, const char *json)
{
    rl_err err = {0};
    rl_buf b = {0};
    int rc = RL_EXIT_OK;
    if (rl_report_model_html(&b, json, strlen(json), path, &err) != 0) {
        rl_cli_error("%s", err.msg);
        rc = err.code ? err.code : RL_EXIT_RUNTIME;
    } else {
        rc = write_buf(path, &b);
    }
    rl_buf_free(&b);
    return rc;
}

static int is_stdout(const char *path)
{
    return path && !strcmp(path, "-");
}

/* --flops N --bytes N: the text on stdout unless the JSON or the page took it, then those. */
static int quick_form(const model_args *a, const rl_roof_machine *mc)
{
    rl_buf b = {0};
    int rc = RL_EXIT_OK;
    if (!is_stdout(a->json) && !is_stdout(a->html)) {
        rl_model_quick_text(a->qflops, a->qbytes, mc, &b);
        rc = write_buf("-", &b);
        rl_buf_free(&b);
    }
    if (rc != RL_EXIT_OK || (!a->json && !a->html))
        return rc;
    rl_err err = {0};
    char *text = rl_model_quick_json(a->qflops, a->qbytes, mc, &err);
    if (!text) {
        rl_cli_error("%s", err.msg);
        return RL_EXIT_RUNTIME;
    }
    if (a->json) {
        rl_buf_printf(&b, "%s\n", text);
        rc = write_buf(a->json, &b);
        rl_buf_free(&b);
    }
    if (rc == RL_EXIT_OK && a->html)
        rc = write_html(a->html, text);
    free(text);
    return rc;
}

/* The table (unless a file took stdout), then every requested file. */
static int write_outputs(const model_args *a, const rl_model_view *v)
{
    rl_buf b = {0};
    int rc = RL_EXIT_OK;
    int to_stdout =
        is_stdout(a->json) || is_stdout(a->csv) || is_stdout(a->svg) || is_stdout(a->html);
    if (!to_stdout) {
        rl_model_table(v, &b);
        rc = write_buf("-", &b);
        rl_buf_free(&b);
    }
    if (rc == RL_EXIT_OK && (a->json || a->html)) {
        rl_err err = {0};
        char *text = rl_model_json(v, &err);
        if (!text) {
            rl_cli_error("%s", err.msg);
            return RL_EXIT_RUNTIME;
        }
        if (a->json) {
            rl_buf_printf(&b, "%s\n", text);
            rc = write_buf(a->json, &b);
            rl_buf_free(&b);
        }
        if (rc == RL_EXIT_OK && a->html)
            rc = write_html(a->html, text);
        free(text);
    }
    if (rc == RL_EXIT_OK && a->csv) {
        rl_model_csv(v, &b);
        rc = write_buf(a->csv, &b);
        rl_buf_free(&b);
    }
    if (rc == RL_EXIT_OK && a->svg) {
        rl_model_svg(v, &b);
        rc = write_buf(a->svg, &b);
        rl_buf_free(&b);
    }
    return rc;
}

/* --sweep: the model at each value of one dimension (model/sweep.c), written as the table, JSON
 * or CSV asked for. */
static int sweep(model_args *a, const rl_roof_machine *mc)
{
    rl_err err = {0};
    rl_sweep *s = calloc(1, sizeof *s);
    rl_buf b = {0};
    int rc = RL_EXIT_OK;
    if (!s) {
        rl_cli_error("out of memory");
        return RL_EXIT_RUNTIME;
    }
    if (rl_sweep_parse(a->sweep, s, &err) != 0 ||
        rl_sweep_run(s, a->file, &a->sopts, mc, &err) != 0) {
        rc = err.code == RL_EXIT_USAGE ? rl_cli_usage_error(CMD, "%s", err.msg) : err.code;
        if (err.code != RL_EXIT_USAGE)
            rl_cli_error("%s", err.msg);
        goto done;
    }
    for (size_t i = 0; i < a->sopts.n_dims; i++)
        if (!a->dims[i].used)
            rl_cli_warn("--dim %s: no graph input has a dimension of that name", a->dims[i].name);
    if (!is_stdout(a->json) && !is_stdout(a->csv) && !is_stdout(a->html)) {
        rl_sweep_text(s, &b);
        rc = write_buf("-", &b);
        rl_buf_free(&b);
    }
    char *text = NULL;
    if (rc == RL_EXIT_OK && (a->json || a->html)) {
        if (!(text = rl_sweep_json(s, &err))) {
            rl_cli_error("%s", err.msg);
            rc = RL_EXIT_RUNTIME;
            goto done;
        }
        if (a->json) {
            rl_buf_printf(&b, "%s\n", text);
            rc = write_buf(a->json, &b);
            rl_buf_free(&b);
        }
        if (rc == RL_EXIT_OK && a->html)
            rc = write_html(a->html, text);
        free(text);
    }
    if (rc == RL_EXIT_OK && a->csv) {
        rl_sweep_csv(s, &b);
        rc = write_buf(a->csv, &b);
        rl_buf_free(&b);
    }
    for (size_t i = 0; rc == RL_EXIT_OK && i < s->n; i++)
        if (s->pts[i].nodes_not_costed) {
            rl_cli_warn("%s: %s=%lld: totals are incomplete (%zu nodes not costed)", a->file,
                        s->dim, (long long)s->values[i], s->pts[i].nodes_not_costed);
            break;
        }
done:
    free(s);
    return rc;
}

/* Reads and analyses the model, places it on the machine, adds the profile, writes. */
static int analyze(model_args *a, rl_roof_machine *mc)
{
    rl_err err = {0};
    rl_model *m = NULL;
    if (rl_model_analyze_file(a->file, &a->sopts, &m, &err) != 0) {
        if (err.code == RL_EXIT_USAGE)
            return rl_cli_usage_error(CMD, "%s", err.msg);
        rl_cli_error("%s", err.msg);
        return err.code ? err.code : RL_EXIT_INPUT;
    }
    for (size_t i = 0; i < a->sopts.n_dims; i++)
        if (!a->dims[i].used)
            rl_cli_warn("--dim %s: no graph input has a dimension of that name", a->dims[i].name);

    int rc = RL_EXIT_OK;
    rl_model_view v = {.m = m, .all_nodes = a->all};
    if (a->have_machine) {
        v.machine = mc;
        v.time_s = rl_roof_place(m->g, mc);
    }
    if (a->rt.path) {
        if ((rc = rl_runtime_use_predict(&a->rt, m->g, v.machine)) != RL_EXIT_OK)
            goto done;
        v.pred = &a->rt.pred;
        v.threads = (int)a->rt.threads;
        v.cpu_here = a->rt.cpu;
        v.cpu_mismatch = a->rt.mismatch;
    }
    rl_profile_stats ps;
    if (a->profile) {
        if (rl_roof_profile_read(a->profile, m->g, &ps, &err) != 0) {
            rl_cli_error("%s", err.msg);
            rc = err.code;
            goto done;
        }
        v.prof = &ps;
        if (ps.nodes_matched == 0)
            rl_cli_warn("%s: no profile node name matches a node of %s", a->profile, a->file);
    }
    if ((rc = write_outputs(a, &v)) != RL_EXIT_OK)
        goto done;
    if (m->tot.incomplete)
        rl_cli_warn("%s: totals are incomplete (%zu nodes not costed)", a->file,
                    m->tot.nodes_not_costed);
done:
    rl_model_free(m);
    return rc;
}

int rl_cmd_model(int argc, char **argv)
{
    model_args *a = calloc(1, sizeof *a);
    rl_shape_input_opt *inputs = calloc(MAX_OPTS, sizeof *inputs);
    rl_result *res = NULL;
    int rc;
    if (!a || !inputs) {
        rl_cli_error("out of memory");
        rc = RL_EXIT_RUNTIME;
        goto done;
    }
    rl_probe_opts_init(&a->popts);
    a->inputs = inputs;
    a->sopts = (rl_shape_opts){a->dims, 0, inputs, 0};
    a->precision = "fp32";
    a->peak = a->bw = a->qflops = a->qbytes = -1;

    if ((rc = parse_args(argc, argv, a)) >= 0)
        goto done;
    rl_roof_machine mc;
    if ((rc = load_machine(a, &mc, &res)) != RL_EXIT_OK)
        goto done;
    if (a->rt.path && (rc = rl_runtime_use_load(&a->rt, res)) != RL_EXIT_OK)
        goto done;
    rc = a->quick   ? quick_form(a, &mc)
         : a->sweep ? sweep(a, a->have_machine ? &mc : NULL)
                    : analyze(a, &mc);
done:
    if (a)
        rl_runtime_use_free(&a->rt);
    rl_result_free(res);
    for (size_t i = 0; a && i < a->sopts.n_dims; i++)
        free((char *)a->dims[i].name);
    for (size_t i = 0; a && i < a->sopts.n_inputs; i++)
        free((char *)inputs[i].name);
    free(inputs);
    free(a);
    return rc;
}
