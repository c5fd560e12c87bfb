/* test_html.c: the HTML pages (report/html*.h) without a browser: every page type is written, is
 * self-contained (no external resource, a content policy that forbids fetching), carries its
 * document as JSON that reads back to the same bytes, keeps data from closing its script element,
 * stays under the page weight, and the commands' --html flags work and fail as documented. The
 * pages in a real browser are tests/browser/ (run by tests/browser/run.sh from `make test`). */
#include <cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/htmldata.h"
#include "report/html.h"
#include "report/html_model.h"
#include "result/result.h"
#include "tests/helpers.h"

#define DATA        "tests/data/"
#define PAGE_WEIGHT (300 * 1024)

static rl_result *load(const char *name)
{
    char path[256];
    rl_err err = {0};
    snprintf(path, sizeof path, DATA "%s", name);
    rl_result *r = rl_result_read(path, &err);
    cr_assert(r, "%s: %s", path, err.msg);
    return r;
}

static void remove_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* What every page must be: one file, nothing fetched, the data element present once. */
static void check_self_contained(const char *page, size_t len, const char *what)
{
    cr_assert(len < PAGE_WEIGHT, "%s: %zu bytes, over the page weight of %d", what, len,
              PAGE_WEIGHT);
    cr_assert(!strncmp(page, "<!DOCTYPE html>", 15), "%s: not an HTML5 document", what);
    cr_assert(strstr(page, "default-src 'none'"), "%s: no content policy", what);
    cr_assert(!strstr(page, "<script src"), "%s: an external script", what);
    cr_assert(!strstr(page, "<link"), "%s: an external stylesheet", what);
    cr_assert(!strstr(page, "url(http"), "%s: a remote resource in the styles", what);
    cr_assert(!strstr(page, "{{"), "%s: a template field left unfilled", what);
    size_t start = 0, n = 0;
    cr_assert_eq(rl_htmldata_find(page, len, &start, &n), 0, "%s: no data element", what);
    cJSON *doc = cJSON_ParseWithLength(page + start, n);
    cr_assert(doc, "%s: the data element is not JSON", what);
    cJSON_Delete(doc);
}

Test(html, result_pages_are_self_contained_and_under_the_weight)
{
    static const char *const fixtures[] = {"zen3.json", "icx-2s.json", "gpu-h200.json"};
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        rl_result *r = load(fixtures[i]);
        rl_buf b = {0};
        rl_err err = {0};
        cr_assert_eq(rl_report_html(&b, r, &err), 0, "%s", err.msg);
        check_self_contained(b.data, b.len, fixtures[i]);
        /* every chart element is reachable by keyboard and says what it is */
        cr_assert(strstr(b.data, "tabindex=\"0\" role=\"img\" data-tip=\"\" aria-label=\""));
        cr_assert(strstr(b.data, "<desc id="), "%s: a chart without a text alternative",
                  fixtures[i]);
        rl_buf_free(&b);
        rl_result_free(r);
    }
}

/* The embedded result is the result: it reads back to the same JSON, byte for byte. */
Test(html, page_reads_back_as_the_result)
{
    char dir[64]; /* rl_test_run makes a temporary directory of its own in the same buffer */
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    char cmd[1024], path[512];
    snprintf(cmd, sizeof cmd,
             "report " DATA "icx-2s.json -q --html %s/p.html --json %s/direct.json && "
             "$RL_BIN report %s/p.html -q --json %s/back.json && cmp %s/direct.json %s/back.json",
             dir, dir, dir, dir, dir, dir);
    char *err = NULL;
    cr_assert_eq(rl_test_run(cmd, NULL, &err), 0, "%s", err);
    free(err);
    snprintf(path, sizeof path, "%s/p.html", dir);
    rl_result *r = rl_result_read(path, NULL), *want = load("icx-2s.json");
    cr_assert(r);
    cr_assert_eq(r->n_flops, want->n_flops);
    rl_result_free(r);
    rl_result_free(want);
    remove_dir(dir);
}

/* Text from the result cannot close the data element or inject markup. */
Test(html, hostile_text_is_escaped)
{
    rl_result *r = load("zen3.json");
    rl_err err = {0};
    cr_assert_eq(rl_result_add_warning(r, &err, "</script><script>alert(1)</script><b>x"), 0);
    snprintf(r->machine.brand, sizeof r->machine.brand, "<img src=x onerror=alert(2)>");
    rl_buf b = {0};
    cr_assert_eq(rl_report_html(&b, r, &err), 0, "%s", err.msg);
    cr_assert(!strstr(b.data, "<script>alert"), "markup from the result reached the page");
    cr_assert(!strstr(b.data, "<img"), "markup from the result reached the page");
    cr_assert(strstr(b.data, "&lt;/script&gt;"), "the warning is shown, escaped");
    check_self_contained(b.data, b.len, "hostile");
    /* and the data element still reads back to the same text */
    size_t start = 0, n = 0;
    cr_assert_eq(rl_htmldata_find(b.data, b.len, &start, &n), 0);
    rl_result *back = rl_result_from_json(b.data + start, n, "page", &err);
    cr_assert(back, "%s", err.msg);
    cr_assert_str_eq(back->warnings[back->n_warnings - 1],
                     "</script><script>alert(1)</script><b>x");
    cr_assert_str_eq(back->machine.brand, "<img src=x onerror=alert(2)>");
    rl_result_free(back);
    rl_buf_free(&b);
    rl_result_free(r);
}

Test(html, a_page_without_data_is_a_bad_input)
{
    char dir[64]; /* rl_test_run makes a temporary directory of its own in the same buffer */
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    char cmd[512], path[256];
    snprintf(path, sizeof path, "%s/other.html", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("<!DOCTYPE html><html><body><p>hello</p></body></html>\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "report %s", path);
    char *err = NULL;
    cr_assert_eq(rl_test_run(cmd, NULL, &err), 3);
    cr_assert(strstr(err, "other.html") && strstr(err, "roofline-data"), "%s", err);
    free(err);
    remove_dir(dir);
}

Test(html, model_page_needs_a_model_document)
{
    rl_buf b = {0};
    rl_err err = {0};
    const char *notmodel = "{\"schema\": \"roofline/1\"}";
    cr_assert_eq(rl_report_model_html(&b, notmodel, strlen(notmodel), "x.json", &err), -1);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, "x.json"), "%s", err.msg);
    rl_buf_free(&b);
}

/* Every page type from its command: result, fleet, compare, model (layers, sweep, quick). */
Test(html, every_command_writes_its_page)
{
    char dir[64]; /* rl_test_run makes a temporary directory of its own in the same buffer */
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    struct {
        const char *args, *page, *kind;
    } cases[] = {
        {"report " DATA "zen3.json -q --html %s/%s", "result.html", "page-result"},
        {"report " DATA "fleet.json -q --html %s/%s", "fleet.html", "page-fleet"},
        {"compare " DATA "zen3.json " DATA "icx-2s.json -q --html %s/%s", "compare.html",
         "page-compare"},
        {"model $RL_SHARED/models/resnet18.onnx --machine " DATA "zen3.json --html %s/%s",
         "model.html", "page-model"},
        {"model " DATA "decoder-llama-fp32.onnx --dim batch=1 --dim sequence=1 --sweep "
         "past_sequence=0,128 --machine " DATA "zen3.json --html %s/%s",
         "sweep.html", "page-model"},
        {"model --flops 8e9 --bytes 4e8 --peak 100 --bandwidth 20 --html %s/%s", "quick.html",
         "page-model"},
        /* a hybrid CPU: each core type's ceilings named and tagged */
        {"report " DATA "alder-lake-hybrid.json -q --html %s/%s", "hybrid.html",
         "core:golden-cove"},
        /* memory latency (roofline latency): its tables on the page */
        {"report " DATA "zen3-latency.json -q --html %s/%s", "latency.html",
         "<pre class=\"latency\">"},
        /* int8 layers on their own roof */
        {"model " DATA "quant/qdq_conv.onnx --machine " DATA "icx-2s.json --html %s/%s",
         "int8.html", "roof:int8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char cmd[1024], path[512];
        snprintf(cmd, sizeof cmd, cases[i].args, dir, cases[i].page);
        char *err = NULL;
        cr_assert_eq(rl_test_run(cmd, NULL, &err), 0, "%s: %s", cmd, err);
        free(err);
        snprintf(path, sizeof path, "%s/%s", dir, cases[i].page);
        size_t len = 0;
        char *page = rl_test_slurp(path, &len);
        cr_assert(page, "%s not written", path);
        check_self_contained(page, len, cases[i].page);
        cr_assert(strstr(page, cases[i].kind), "%s: not a %s", path, cases[i].kind);
        free(page);
    }
    remove_dir(dir);
}

Test(html, html_flag_is_checked_before_work)
{
    char *err = NULL;
    cr_assert_eq(
        rl_test_run("report " DATA "zen3.json " DATA "icx-2s.json --html x.html", NULL, &err), 2);
    cr_assert(strstr(err, "--html"), "%s", err);
    free(err);
    cr_assert_eq(rl_test_run("report " DATA "zen3.json --html /nonexistent/dir/x.html", NULL, &err),
                 1);
    cr_assert(strstr(err, "--html"), "%s", err);
    free(err);
}
