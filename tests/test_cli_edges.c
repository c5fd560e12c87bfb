/* test_cli_edges.c: hostile command lines for every command. Each case gives the arguments, the
 * exit code and a text the error must contain (the flag or the file); every failing case must print
 * exactly one line on stderr, starting "roofline: error:", and nothing on stdout.
 *
 * Cases that would measure are kept tiny (--repeat 1 --min-time 0.001, 1 thread, a 16K size) or
 * fail before measuring; none asserts on time. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/helpers.h"

#define Z     "tests/data/zen3.json"
#define NODIR "/nonexistent-roofline-dir/out"
#define TINY_FLOPS                                                                                 \
    "flops --quiet --repeat 1 --min-time 0.001 --threads 1 --isa scalar --precision fp64"
#define TINY_BW     "bandwidth --quiet --repeat 1 --min-time 0.001 --threads 1 --size 16K --kernel load"
#define QUICK_MODEL "model --flops 1e9 --bytes 1e6 --peak 100 --bandwidth 10"

typedef struct edge {
    const char *args;
    int code;
    const char *names; /* what the one error line must contain */
} edge;

static const edge edges[] = {
    /* the main job: usage errors come before any measurement */
    {"--threads 0", 2, "--threads"},
    {"--threads -1", 2, "--threads"},
    {"--threads abc", 2, "--threads"},
    {"--threads ''", 2, "--threads"},
    {"--threads 1x", 2, "--threads"},
    {"--threads", 2, "--threads"},
    {"--clock nan", 2, "--clock"},
    {"--json", 2, "--json"},
    {"--json ''", 2, "--json"},
    {"--json - --svg -", 2, "--svg"},
    {"--json - --csv - --quick", 2, "--csv"},
    {"--markdown - --json -", 2, "--json"},
    {"--json " NODIR ".json", 1, NODIR ".json"},
    {"--svg . --quick", 1, "--svg ."},
    {"--cpuid-dump x.raw", 2, "--cpuid-dump"},
    {"stray", 2, "stray"},
    {"--bogus", 2, "--bogus"},
    {"-x", 2, "-x"},
    {"frobnicate", 2, "frobnicate"},

    /* probe */
    {"probe --clock 0", 2, "--clock"},
    {"probe --clock -2", 2, "--clock"},
    {"probe --clock nan", 2, "--clock"},
    {"probe --clock inf", 2, "--clock"},
    {"probe --clock 1e400", 2, "--clock"},
    {"probe --clock 101", 2, "--clock"},
    {"probe --clock ''", 2, "--clock"},
    {"probe --clock 2GHz", 2, "--clock"},
    {"probe --clock 0x2", 2, "--clock"},
    {"probe --clock ' 2'", 2, "--clock"},
    {"probe --mem-channels ' 4'", 2, "--mem-channels"},
    {"probe --clock", 2, "--clock"},
    {"probe --mem-channels 0", 2, "--mem-channels"},
    {"probe --mem-channels -1", 2, "--mem-channels"},
    {"probe --mem-channels 99999999999999999999", 2, "--mem-channels"},
    {"probe --mem-channels 2.5", 2, "--mem-channels"},
    {"probe --mem-mts nan", 2, "--mem-mts"},
    {"probe --mem-mts 0", 2, "--mem-mts"},
    {"probe --mem-mts 3200x", 2, "--mem-mts"},
    {"probe --threads 0", 2, "--threads"},
    {"probe --threads 1e3", 2, "--threads"},
    {"probe --cpuid-dump ''", 2, "--cpuid-dump"},
    {"probe --topology ''", 2, "--topology"},
    {"probe --json ''", 2, "--json"},
    {"probe --json " NODIR ".json", 1, NODIR ".json"},
    {"probe --json .", 1, "--json ."},
    {"probe --json /etc/passwd/x.json", 1, "/etc/passwd/x.json"},
    {"probe --cpuid-dump /nonexistent.raw --clock 2", 3, "/nonexistent.raw"},
    {"probe --cpuid-dump tests/data --clock 2", 3, "tests/data"},
    {"probe --cpuid-dump " Z " --clock 2", 3, Z},
    {"probe --topology /nonexistent.xml --clock 2", 3, "/nonexistent.xml"},
    {"probe --topology " Z " --clock 2", 3, Z},
    {"probe extra", 2, "extra"},
    {"probe --bogus", 2, "--bogus"},

    /* flops */
    {TINY_FLOPS " --repeat 0", 2, "--repeat"},
    {TINY_FLOPS " --repeat -3", 2, "--repeat"},
    {TINY_FLOPS " --repeat nan", 2, "--repeat"},
    {TINY_FLOPS " --repeat 1e9", 2, "--repeat"},
    {TINY_FLOPS " --repeat 2junk", 2, "--repeat"},
    {TINY_FLOPS " --repeat ''", 2, "--repeat"},
    {TINY_FLOPS " --min-time 0", 2, "--min-time"},
    {TINY_FLOPS " --min-time -1", 2, "--min-time"},
    {TINY_FLOPS " --min-time inf", 2, "--min-time"},
    {TINY_FLOPS " --min-time nan", 2, "--min-time"},
    {TINY_FLOPS " --min-time 1e300", 2, "--min-time"},
    {TINY_FLOPS " --threads 0", 2, "--threads"},
    {TINY_FLOPS " --threads 99999999999999999999", 2, "--threads"},
    {TINY_FLOPS " --threads 3-1", 2, "--threads"},
    {TINY_FLOPS " --threads 1,,2", 2, "--threads"},
    {TINY_FLOPS " --isa bogus", 2, "--isa"},
    {TINY_FLOPS " --isa ''", 2, "--isa"},
    {TINY_FLOPS " --precision fp8", 2, "--precision"},
    {TINY_FLOPS " --bind what", 2, "--bind"},
    {TINY_FLOPS " --json ''", 2, "--json"},
    {TINY_FLOPS " --json " NODIR ".json", 1, NODIR ".json"},
    {TINY_FLOPS " --json .", 1, "--json ."},
    {TINY_FLOPS " pos", 2, "pos"},
    {"flops --json", 2, "--json"},

    /* bandwidth */
    {TINY_BW " --size 0", 2, "--size"},
    {TINY_BW " --size -5", 2, "--size"},
    {TINY_BW " --size 1e30", 2, "--size"},
    {TINY_BW " --size nan", 2, "--size"},
    {TINY_BW " --size 16Q", 2, "--size"},
    {TINY_BW " --size ''", 2, "--size"},
    {TINY_BW " --size 99999999999999999999K", 2, "--size"},
    {TINY_BW " --size 1024G", 2, "--size"}, /* more than half the free memory */
    {TINY_BW " --repeat 0", 2, "--repeat"},
    {TINY_BW " --min-time nan", 2, "--min-time"},
    {TINY_BW " --threads 0", 2, "--threads"},
    {TINY_BW " --kernel foo", 2, "--kernel"},
    {TINY_BW " --kernel ''", 2, "--kernel"},
    {TINY_BW " --kernel load,", 2, "--kernel"},
    {TINY_BW " --level L9", 2, "--level"},
    {TINY_BW " --isa bogus", 2, "--isa"},
    {TINY_BW " --sweep", 2, "--sweep"},
    {TINY_BW " --nt --no-nt", 2, "--nt"},
    {TINY_BW " --json ''", 2, "--json"},
    {TINY_BW " --json " NODIR ".json", 1, NODIR ".json"},
    {TINY_BW " --json .", 1, "--json ."},
    {TINY_BW " pos", 2, "pos"},

    /* report */
    {"report", 2, "RESULT.json"},
    {"report /nonexistent.json", 3, "/nonexistent.json"},
    {"report tests/data", 3, "tests/data"},
    {"report tests/data/bad/empty.json", 3, "empty.json"},
    {"report tests/data/bad/not-json.json", 3, "not-json.json"},
    {"report tests/data/bad/truncated.json", 3, "truncated.json"},
    {"report tests/data/bad/wrong-schema.json", 3, "wrong-schema.json"},
    {"report tests/data/bad/wrong-type.json", 3, "wrong-type.json"},
    {"report " Z " --json - --csv -", 2, "--csv"},
    {"report " Z " --markdown - --svg -", 2, "--svg"},
    {"report " Z " --json ''", 2, "--json"},
    {"report " Z " --svg " NODIR ".svg", 1, NODIR ".svg"},
    {"report " Z " --csv .", 1, "--csv ."},
    {"report " Z " " Z " --csv x.csv", 2, "--csv"},
    {"report " Z " --json", 2, "--json"},
    {"report --bogus " Z, 2, "--bogus"},
    {"report " Z " -zq", 2, "'-z'"},
    {"report " Z " -qz", 2, "'-z'"},
    {"report " Z " --bogus=1", 2, "--bogus"},

    /* compare */
    {"compare", 2, "RESULT.json"},
    {"compare " Z, 2, "RESULT.json"},
    {"compare " Z " " Z " --json -", 2, "--json"},
    {"compare " Z " " Z " --svg x.svg", 2, "--svg"},
    {"compare " Z " " Z " --csv - --markdown -", 2, "--markdown"},
    {"compare " Z " " Z " --csv " NODIR ".csv", 1, NODIR ".csv"},
    {"compare " Z " " Z " --markdown .", 1, "--markdown ."},
    {"compare " Z " /nonexistent.json", 3, "/nonexistent.json"},
    {"compare " Z " tests/data/bad/empty.json", 3, "empty.json"},

    /* model */
    {"model", 2, "FILE.onnx"},
    {"model a.onnx b.onnx", 2, "b.onnx"},
    {"model /nonexistent.onnx", 3, "/nonexistent.onnx"},
    {"model tests/data", 3, "tests/data"},
    {"model " Z, 3, "zen3.json"},
    {"model ''", 2, "FILE.onnx"},
    {"model x.onnx --profile '' --peak 1 --bandwidth 1", 2, "--profile"},
    {"model x.onnx --peak 0 --bandwidth 1", 2, "--peak"},
    {"model x.onnx --peak nan --bandwidth 1", 2, "--peak"},
    {"model x.onnx --peak inf --bandwidth 1", 2, "--peak"},
    {"model x.onnx --peak 1 --bandwidth -1", 2, "--bandwidth"},
    {"model x.onnx --peak 1 --bandwidth 1e400", 2, "--bandwidth"},
    {"model x.onnx --peak 1x --bandwidth 1", 2, "--peak"},
    {"model x.onnx --peak 1", 2, "--peak"},
    {"model x.onnx --dim batch=abc", 2, "--dim"},
    {"model x.onnx --dim batch=-1", 2, "--dim"},
    {"model x.onnx --dim batch=99999999999999999999", 2, "--dim"},
    {"model x.onnx --dim =3", 2, "--dim"},
    {"model x.onnx --dim batch", 2, "--dim"},
    {"model x.onnx --dim ''", 2, "--dim"},
    {"model x.onnx --input x=1x2xa", 2, "--input"},
    {"model x.onnx --input x=", 2, "--input"},
    {"model x.onnx --input x=0x-1", 2, "--input"},
    {"model x.onnx --precision fp8 --peak 1 --bandwidth 1", 2, "--precision"},
    {"model x.onnx --machine ''", 2, "--machine"},
    {"model x.onnx --svg x.svg", 2, "--svg"},
    {"model x.onnx --machine /nonexistent.json", 3, "/nonexistent.json"},
    {"model x.onnx --machine tests/data/bad/empty.json", 3, "empty.json"},
    {QUICK_MODEL " --flops nan", 2, "--flops"},
    {QUICK_MODEL " --bytes -1", 2, "--bytes"},
    {QUICK_MODEL " --bytes 0", 2, "--bytes"},
    {QUICK_MODEL " --bytes inf", 2, "--bytes"},
    {"model --flops 1e9", 2, "--bytes"},
    {QUICK_MODEL " --json ''", 2, "--json"},
    {QUICK_MODEL " --json - --csv -", 2, "--csv"},
    {QUICK_MODEL " --json " NODIR ".json", 1, NODIR ".json"},
    {QUICK_MODEL " --json .", 1, "--json ."},
    {QUICK_MODEL " x.onnx", 2, "--flops"},
    {"model --bogus", 2, "--bogus"},
};

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

Test(cli_edges, every_bad_command_line_fails_cleanly)
{
    size_t failures = 0;
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        const edge *e = &edges[i];
        char *out = NULL, *err = NULL;
        int code = rl_test_run(e->args, &out, &err);
        int ok = code == e->code && strncmp(err, "roofline: error: ", 17) == 0 &&
                 count_lines(err) == 1 && strstr(err, e->names) && out[0] == '\0';
        if (!ok) {
            cr_log_error("roofline %s: exit %d (want %d), stdout %zu bytes, stderr: %s", e->args,
                         code, e->code, strlen(out), err);
            failures++;
        }
        free(out);
        free(err);
    }
    cr_assert_eq(failures, 0, "%zu of %zu command lines misbehaved (see the log above)", failures,
                 sizeof edges / sizeof edges[0]);
}

/* Commands that succeed with unusual but valid command lines. */
static const char *const fine[] = {
    "probe --clock 2 --clock 3 --json -",
    "probe --clock 1e-3 --mem-channels 4096 --mem-mts 100000 --json -",
    "probe --cpuid-dump tests/fuzz/cpuid/seed-k5.raw --clock 2 --json - --json -",
    TINY_FLOPS " --json -",
    TINY_BW " --json -",
    "report " Z " --json -",
    "report " Z " --json /dev/null --json -",
    "report " Z " --quiet --json -",
    QUICK_MODEL " --json -",
    "model --flops 0 --bytes 1 --peak 1 --bandwidth 1 --json -",
};

Test(cli_edges, unusual_valid_command_lines_give_json_on_stdout)
{
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        char *out = NULL, *err = NULL;
        int code = rl_test_run(fine[i], &out, &err);
        if (code != 0)
            cr_log_error("roofline %s: exit %d: %s", fine[i], code, err);
        cJSON *j = cJSON_Parse(out);
        if (!j)
            cr_log_error("roofline %s: stdout is not one JSON document: %.200s", fine[i], out);
        cJSON_Delete(j);
        free(out);
        free(err);
        cr_assert(code == 0 && j, "roofline %s failed", fine[i]);
    }
}

/* An output that cannot be written leaves nothing behind, not even the temporary file. */
Test(cli_edges, failed_outputs_leave_no_files)
{
    char dir[128], args[1024];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir()); /* rl_test_run reuses the static buffer */
    const char *cmds[] = {"report " Z " --json %s/sub/x.json", "report " Z " --svg %s",
                          "report " Z " --csv %s/", "probe --clock 2 --json %s/sub/x.json",
                          QUICK_MODEL " --json %s"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        snprintf(args, sizeof args, cmds[i], dir);
        char *err = NULL;
        int code = rl_test_run(args, NULL, &err);
        int names = strstr(err, dir) != NULL;
        if (code != 1 || !names)
            cr_log_error("roofline %s: exit %d, want 1 and the file named: %s", args, code, err);
        free(err);
        cr_assert(code == 1 && names);
    }
    DIR *d = opendir(dir);
    cr_assert(d);
    struct dirent *e;
    while ((e = readdir(d)))
        cr_assert(e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")),
                  "left behind: %s/%s", dir, e->d_name);
    closedir(d);
    rmdir(dir);
}

/* --profile: a device or a missing file is a bad input naming it, never an endless read. */
Test(cli_edges, profile_that_is_not_a_file)
{
    const char *profiles[] = {"/dev/zero", "/nonexistent-profile.json", "tests/data",
                              "tests/data/bad/not-json.json"};
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
        char args[1024];
        snprintf(args, sizeof args,
                 "model %s/models/resnet18.onnx --peak 100 --bandwidth 10 --profile %s",
                 rl_test_shared(), profiles[i]);
        char *out = NULL, *err = NULL;
        int code = rl_test_run(args, &out, &err);
        int ok = code == 3 && strncmp(err, "roofline: error: ", 17) == 0 && count_lines(err) == 1 &&
                 strstr(err, profiles[i]);
        if (!ok)
            cr_log_error("roofline %s: exit %d (want 3): %s", args, code, err);
        free(out);
        free(err);
        cr_assert(ok);
    }
}

/* A repeated flag takes its last value. */
Test(cli_edges, repeated_flag_takes_the_last_value)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("probe --clock 2 --clock 3 --json -", &out, NULL), 0);
    cJSON *j = cJSON_Parse(out);
    free(out);
    cr_assert(j);
    const cJSON *ghz = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "clock"), "measured_ghz");
    double v = cJSON_IsNumber(ghz) ? ghz->valuedouble : -1;
    cJSON_Delete(j);
    cr_assert_float_eq(v, 3.0, 1e-9, "clock %g", v);
}
