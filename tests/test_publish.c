/* test_publish.c: `roofline publish` (report/publish.h, common/sitedir.h, result/document.h): a
 * site over the fixtures, the same bytes twice, damaged and foreign inputs named and left out
 * (exit 3, the rest written), an existing directory that is not a site left alone (exit 2) unless
 * --force (then only added to), a previous site replaced whole. The site in a browser is
 * tests/browser/. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/publish.h"
#include "tests/helpers.h"

#define DATA   "tests/data/"
#define INPUTS DATA "zen3.json " DATA "fleet.json " DATA "gpu-h200.json " DATA "icx-2s.json"

static int exists(const char *dir, const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static void sh(const char *fmt, const char *a, const char *b)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

Test(publish, a_site_over_the_fixtures_links_every_page)
{
    char dir[64], cmd[1024];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    snprintf(cmd, sizeof cmd, "publish " INPUTS " --out %s/site", dir);
    char *err = NULL;
    cr_assert_eq(rl_test_run(cmd, NULL, &err), 0, "%s", err);
    free(err);
    char site[128], path[256];
    snprintf(site, sizeof site, "%s/site", dir);
    static const char *const pages[] = {"index.html",    "zen3.html",   "fleet.html",
                                        "gpu-h200.html", "icx-2s.html", "roofline-site.txt"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        cr_assert(exists(site, pages[i]), "%s missing", pages[i]);
    snprintf(path, sizeof path, "%s/index.html", site);
    char *index = rl_test_slurp(path, NULL);
    cr_assert(index);
    for (size_t i = 1; i < 5; i++) {
        char href[64];
        snprintf(href, sizeof href, "href=\"%s", pages[i]);
        cr_assert(strstr(index, href), "index does not link %s", pages[i]);
    }
    cr_assert(strstr(index, "href=\"fleet.html#node-1\""), "a fleet node's row links its roofline");
    cr_assert(strstr(index, "href=\"gpu-h200.html#gpu0\""), "a GPU's row links its section");
    free(index);
    snprintf(path, sizeof path, "%s/zen3.html", site);
    char *page = rl_test_slurp(path, NULL);
    cr_assert(page && strstr(page, "<nav class=\"site\"><a href=\"index.html\">"),
              "a page leads back to the index");
    free(page);
    /* the same inputs give the same bytes */
    snprintf(cmd, sizeof cmd, "publish " INPUTS " --out %s/again", dir);
    cr_assert_eq(rl_test_run(cmd, NULL, NULL), 0);
    sh("diff -r %s/site %s/again >/dev/null", dir, dir);
    sh("rm -rf %s%s", dir, "");
}

Test(publish, bad_inputs_are_named_and_left_out)
{
    char dir[64], cmd[1024];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    snprintf(cmd, sizeof cmd,
             "publish " DATA "zen3.json " DATA "bad/truncated.json " DATA
             "bad/wrong-schema.json " DATA "bad/missing-field.json --out %s/site",
             dir);
    char *err = NULL;
    cr_assert_eq(rl_test_run(cmd, NULL, &err), 3, "%s", err);
    cr_assert(strstr(err, "truncated.json: not valid JSON"), "%s", err);
    cr_assert(strstr(err, "wrong-schema.json: schema 'roofline/0'"), "%s", err);
    cr_assert(strstr(err, "missing-field.json"), "%s", err);
    cr_assert(strstr(err, "3 of 4 inputs left out"), "%s", err);
    free(err);
    char site[128];
    snprintf(site, sizeof site, "%s/site", dir);
    cr_assert(exists(site, "index.html") && exists(site, "zen3.html"), "the rest is written");
    cr_assert(!exists(site, "truncated.html"));
    sh("rm -rf %s%s", dir, "");
}

Test(publish, a_directory_that_is_not_a_site_is_left_alone)
{
    char dir[64], cmd[1024];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    sh("mkdir %s/mine && echo keep > %s/mine/notes.txt", dir, dir);
    snprintf(cmd, sizeof cmd, "publish " DATA "zen3.json --out %s/mine", dir);
    char *err = NULL;
    cr_assert_eq(rl_test_run(cmd, NULL, &err), 2, "%s", err);
    cr_assert(strstr(err, "--force"), "%s", err);
    free(err);
    char mine[128];
    snprintf(mine, sizeof mine, "%s/mine", dir);
    cr_assert(!exists(mine, "index.html"), "nothing written without --force");
    snprintf(cmd, sizeof cmd, "publish " DATA "zen3.json --out %s/mine --force", dir);
    cr_assert_eq(rl_test_run(cmd, NULL, NULL), 0);
    cr_assert(exists(mine, "index.html") && exists(mine, "notes.txt"), "added to, not replaced");
    sh("rm -rf %s%s", dir, "");
}

Test(publish, a_previous_site_is_replaced_whole)
{
    char dir[64], cmd[1024];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    snprintf(cmd, sizeof cmd, "publish " DATA "zen3.json " DATA "icx-2s.json --out %s/site", dir);
    cr_assert_eq(rl_test_run(cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "publish " DATA "icx-2s.json --out %s/site", dir);
    cr_assert_eq(rl_test_run(cmd, NULL, NULL), 0);
    char site[128];
    snprintf(site, sizeof site, "%s/site", dir);
    cr_assert(exists(site, "icx-2s.html") && !exists(site, "zen3.html"),
              "the new site holds exactly its inputs' pages");
    /* no temporary directory is left beside it */
    sh("test -z \"$(ls -d %s/site.* 2>/dev/null)\"%s", dir, "");
    sh("rm -rf %s%s", dir, "");
}

Test(publish, page_names_are_plain_and_distinct)
{
    rl_publish_page taken[2] = {0};
    char name[96];
    rl_publish_page_name("a/b/zen3.json", taken, 0, name, sizeof name);
    cr_assert_str_eq(name, "zen3.html");
    snprintf(taken[0].name, sizeof taken[0].name, "zen3.html");
    rl_publish_page_name("other/zen3.html", taken, 1, name, sizeof name);
    cr_assert_str_eq(name, "zen3-2.html");
    rl_publish_page_name("we ird&<name>.json", taken, 1, name, sizeof name);
    cr_assert_str_eq(name, "we-ird--name-.html");
    rl_publish_page_name("index.json", taken, 1, name, sizeof name);
    cr_assert_str_eq(name, "index-page.html");
}

Test(publish, usage_errors)
{
    char *err = NULL;
    cr_assert_eq(rl_test_run("publish " DATA "zen3.json", NULL, &err), 2);
    cr_assert(strstr(err, "--out"), "%s", err);
    free(err);
    cr_assert_eq(rl_test_run("publish --out /tmp/x", NULL, &err), 2);
    free(err);
}
