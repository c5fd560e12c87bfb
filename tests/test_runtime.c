/* test_runtime.c: the runtime profile reader (model/runtime.c) against
 * tests/data/runtime-profile.json and damaged copies of it, and the curve interpolation every
 * prediction uses. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/runtime.h"
#include "tests/helpers.h"

#define PROFILE "tests/data/runtime-profile.json"

Test(runtime, reads_the_test_profile)
{
    rl_runtime *p = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_runtime_read(PROFILE, &p, &err), 0, "%s", err.msg);
    cr_assert_str_eq(p->name, "onnxruntime-node");
    cr_assert_str_eq(p->version, "1.30.0");
    cr_assert_str_eq(p->optimization, "all");
    cr_assert_str_eq(p->provider, "cpu");
    cr_assert_str_eq(p->cpu, "AMD EPYC 7B13 64-Core Processor");
    cr_assert_eq(p->logical_cpus, 2);
    cr_assert_eq(p->n_threads, 2);
    const rl_rt_threads *t2 = rl_runtime_threads(p, 2);
    cr_assert(t2 && t2->threads == 2);
    cr_assert_null(rl_runtime_threads(p, 3));
    cr_assert_float_eq(t2->node_overhead_s, 3e-6, 1e-15);
    cr_assert_float_eq(t2->run_overhead_s, 3e-5, 1e-15);
    cr_assert_eq(t2->n_curves, 15, "every class of the contract");
    const rl_rt_curve *g = rl_rt_curve_find(t2, "gemm");
    cr_assert(g && g->n == 3);
    cr_assert_float_eq(g->pts[1].x, 1e7, 1);
    cr_assert_str_eq(g->pts[0].what, "test point 0");
    cr_assert_null(rl_rt_curve_find(t2, "free"));
    char list[32];
    rl_runtime_thread_list(p, list, sizeof list);
    cr_assert_str_eq(list, "1, 2");
    rl_runtime_free(p);
    rl_runtime_free(NULL);
}

/* The test profile as a cJSON tree, to damage. */
static cJSON *good(void)
{
    return rl_test_json_file(PROFILE);
}

/* Parses j (and frees it), asserting that the reader accepts it. */
static rl_runtime *parse_ok(cJSON *j)
{
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    rl_runtime *p = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_runtime_parse(text, strlen(text), "x.json", &p, &err), 0, "%s", err.msg);
    free(text);
    return p;
}

static cJSON *th(cJSON *j, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(j, "threads"), i);
}

static cJSON *pt(cJSON *j, int t, const char *cls, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(th(j, t), "classes"), cls),
                              i);
}

static void set(cJSON *o, const char *key, cJSON *v)
{
    cr_assert(cJSON_ReplaceItemInObjectCaseSensitive(o, key, v), "no member %s", key);
}

/* Parses the damaged tree: must fail with RL_EXIT_INPUT and a message holding `want`. */
static void expect_bad(cJSON *j, const char *want)
{
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    rl_runtime *p = NULL;
    rl_err err = {0};
    int rc = rl_runtime_parse(text, strlen(text), "bad.json", &p, &err);
    free(text);
    cr_assert_eq(rc, -1, "accepted: expected '%s'", want);
    cr_assert_null(p);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, want), "'%s' does not name '%s'", err.msg, want);
    cr_assert(!strncmp(err.msg, "bad.json: ", 10), "names the file: %s", err.msg);
}

Test(runtime, each_damaged_field_is_named)
{
    cJSON *j;

    j = good();
    set(pt(j, 0, "gemm", 2), "time_s", cJSON_CreateNumber(-1));
    expect_bad(j, "field 'threads[0].classes.gemm[2].time_s': expected a positive number");

    j = good();
    set(pt(j, 1, "conv_kxk", 0), "x", cJSON_CreateNumber(0));
    expect_bad(j, "field 'threads[1].classes.conv_kxk[0].x': expected a positive number");

    j = good();
    set(pt(j, 0, "copy", 1), "bytes", cJSON_CreateString("many"));
    expect_bad(j, "field 'threads[0].classes.copy[1].bytes': expected a number >= 0");

    j = good();
    cJSON_DeleteItemFromObject(pt(j, 0, "norm", 0), "flops");
    expect_bad(j, "field 'threads[0].classes.norm[0].flops': missing");

    j = good();
    set(pt(j, 0, "pool", 2), "what", cJSON_CreateNumber(5));
    expect_bad(j, "field 'threads[0].classes.pool[2].what': expected a string");

    j = good();
    set(th(j, 1), "node_overhead_s", cJSON_CreateString("x"));
    expect_bad(j, "field 'threads[1].node_overhead_s': expected a number >= 0");

    j = good();
    set(th(j, 0), "run_overhead_s", cJSON_CreateNumber(-1e-6));
    expect_bad(j, "field 'threads[0].run_overhead_s'");

    j = good();
    set(th(j, 0), "threads", cJSON_CreateNumber(1.5));
    expect_bad(j, "field 'threads[0].threads': expected a whole number");

    j = good();
    set(th(j, 1), "threads", cJSON_CreateNumber(1));
    expect_bad(j, "field 'threads[1].threads': thread count given twice");

    j = good();
    cJSON_DeleteItemFromArray(
        cJSON_GetObjectItem(cJSON_GetObjectItem(th(j, 1), "classes"), "softmax"), 2);
    expect_bad(j, "field 'threads[1].classes.softmax': expected at least 3 points");

    j = good();
    set(pt(j, 0, "reduce", 1), "x", cJSON_CreateNumber(1));
    expect_bad(j, "field 'threads[0].classes.reduce[1].x': points must be sorted");

    j = good();
    cJSON_AddItemToObject(
        cJSON_GetObjectItem(th(j, 0), "classes"), "free",
        cJSON_Duplicate(cJSON_GetObjectItem(cJSON_GetObjectItem(th(j, 0), "classes"), "copy"), 1));
    expect_bad(j, "field 'threads[0].classes.free'");

    j = good();
    set(cJSON_GetObjectItem(j, "machine"), "family", cJSON_CreateString("zen"));
    expect_bad(j, "field 'machine.family': expected a whole number");

    j = good();
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(j, "runtime"), "version");
    expect_bad(j, "field 'runtime.version': missing");

    j = good();
    set(j, "threads", cJSON_CreateObject());
    expect_bad(j, "field 'threads': expected an array");

    j = good();
    set(j, "threads", cJSON_CreateArray());
    expect_bad(j, "field 'threads': no thread count calibrated");

    j = good();
    cJSON_DeleteItemFromObject(j, "created");
    expect_bad(j, "field 'created': missing");
}

Test(runtime, wrong_schema_and_not_json)
{
    cJSON *j = good();
    set(j, "schema", cJSON_CreateString("roofline-runtime/2"));
    expect_bad(j, "field 'schema': 'roofline-runtime/2' is not 'roofline-runtime/1'");

    j = good();
    cJSON_DeleteItemFromObject(j, "schema");
    expect_bad(j, "field 'schema': missing");

    rl_runtime *p = NULL;
    rl_err err = {0};
    cr_assert_eq(rl_runtime_parse("{\"schema\": ", 11, "cut.json", &p, &err), -1);
    cr_assert(strstr(err.msg, "cut.json: not valid JSON"), "%s", err.msg);
    cr_assert_eq(rl_runtime_parse("[1]", 3, "arr.json", &p, &err), -1);
    cr_assert(strstr(err.msg, "arr.json: not a runtime profile"), "%s", err.msg);
    cr_assert_eq(rl_runtime_read("/nonexistent/p.json", &p, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, "/nonexistent/p.json: cannot open"), "%s", err.msg);
}

Test(runtime, unknown_classes_are_kept)
{
    /* calibrate may add classes the contract does not list: they are read, and used by name */
    cJSON *j = good();
    cJSON *cls = cJSON_GetObjectItem(th(j, 0), "classes");
    cJSON_AddItemToObject(cls, "conv_winograd",
                          cJSON_Duplicate(cJSON_GetObjectItem(cls, "gemm"), 1));
    rl_runtime *p = parse_ok(j);
    cr_assert(rl_rt_curve_find(rl_runtime_threads(p, 1), "conv_winograd"));
    cr_assert(rl_rt_class_by_flops("conv_winograd"), "conv_* classes are indexed by FLOPs");
    cr_assert(rl_rt_class_by_flops("gemm") && rl_rt_class_by_flops("matmul"));
    cr_assert(!rl_rt_class_by_flops("copy") && !rl_rt_class_by_flops("norm"));
    rl_runtime_free(p);
}

/* points (1e3, 2e-6), (1e4, 6e-6), (1e5, 31e-6) over a node overhead of 1e-6:
 * u = 1e-9, 5e-10, 3e-10 seconds per unit */
static rl_rt_point pts[3] = {
    {.x = 1e3, .time_s = 2e-6}, {.x = 1e4, .time_s = 6e-6}, {.x = 1e5, .time_s = 31e-6}};
static const rl_rt_curve curve = {.name = "elementwise", .pts = pts, .n = 3};
static const double ovh = 1e-6;

Test(runtime, interpolation_is_exact_at_the_points)
{
    for (size_t i = 0; i < 3; i++)
        cr_assert_float_eq(rl_rt_curve_predict(&curve, ovh, pts[i].x), pts[i].time_s, 1e-15,
                           "point %zu", i);
}

Test(runtime, interpolation_is_linear_in_log_between)
{
    /* halfway in log between 1e3 and 1e4: u = (1e-9 + 5e-10) / 2 */
    double x = sqrt(1e3 * 1e4);
    cr_assert_float_eq(rl_rt_curve_predict(&curve, ovh, x), ovh + 7.5e-10 * x, 1e-15);
    /* a quarter of the way from 1e4 to 1e5 */
    x = 1e4 * pow(10, 0.25);
    cr_assert_float_eq(rl_rt_curve_predict(&curve, ovh, x), ovh + (5e-10 - 0.25 * 2e-10) * x,
                       1e-15);
}

Test(runtime, interpolation_is_clamped_outside)
{
    /* below the first point: its u; above the last: the last one's */
    cr_assert_float_eq(rl_rt_curve_predict(&curve, ovh, 10), ovh + 1e-9 * 10, 1e-18);
    cr_assert_float_eq(rl_rt_curve_predict(&curve, ovh, 1e7), ovh + 3e-10 * 1e7, 1e-15);
    /* no size: the node overhead alone */
    cr_assert_float_eq(rl_rt_curve_predict(&curve, ovh, 0), ovh, 1e-18);
    /* a point faster than the node overhead costs nothing beyond it */
    rl_rt_point fast[3] = {
        {.x = 1, .time_s = 1e-7}, {.x = 2, .time_s = 1e-7}, {.x = 3, .time_s = 1e-7}};
    rl_rt_curve fc = {.name = "copy", .pts = fast, .n = 3};
    cr_assert_float_eq(rl_rt_curve_predict(&fc, ovh, 2.5), ovh, 1e-18);
}

Test(runtime, a_long_description_is_kept_truncated)
{
    cJSON *j = good();
    char what[600];
    memset(what, 'w', sizeof what - 1);
    what[sizeof what - 1] = '\0';
    set(pt(j, 0, "gemm", 0), "what", cJSON_CreateString(what));
    rl_runtime *p = parse_ok(j);
    const rl_rt_curve *g = rl_rt_curve_find(rl_runtime_threads(p, 1), "gemm");
    cr_assert_eq(strlen(g->pts[0].what), sizeof g->pts[0].what - 1);
    rl_runtime_free(p);
}
