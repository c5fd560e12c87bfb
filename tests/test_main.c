/* test_main.c: the main job (`roofline` alone): a quick complete run, Ctrl-C saving what finished
 * marked partial, and its usage errors. Nothing here asserts on speed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "result/result.h"
#include "tests/helpers.h"

Test(main_job, quick_run_measures_and_writes_everything)
{
    char d[64], args[512], path[128], *out = NULL, *err = NULL;
    snprintf(d, sizeof d, "%s", rl_test_tmpdir());
    snprintf(args, sizeof args,
             "--quick -q --json %s/r.json --svg %s/r.svg --csv %s/r.csv --html %s/r.html", d, d, d,
             d);
    cr_assert_eq(rl_test_run(args, &out, &err), 0, "stderr: %s", err);
    cr_assert(strstr(out, "Compute ceilings") && strstr(out, "Memory ceilings") &&
                  strstr(out, "Ridge points") && strstr(out, "quick run (--quick)") &&
                  strstr(out, "Memory latency"),
              "%s", out);
    cr_assert_str_empty(err, "--quiet prints nothing on stderr: %s", err);
    snprintf(path, sizeof path, "%s/r.json", d);
    rl_err e = {0};
    rl_result *r = rl_result_read(path, &e);
    cr_assert(r, "%s", e.msg);
    cr_assert_eq(r->meta.partial, 0);
    cr_assert_gt(r->n_flops, 0);
    cr_assert_gt(r->n_bandwidth, 0);
    cr_assert_gt(r->n_ridge, 0, "measured ridge points derived");
    cr_assert_gt(r->n_latency, 0, "the latency section: idle levels");
    for (size_t i = 0; i < r->n_latency; i++)
        cr_assert_str_eq(r->latency[i].kind, "idle", "--quick: no loaded curve");
    cr_assert(strstr(r->meta.settings, "quick=yes"), "%s", r->meta.settings);
    cr_assert(strstr(r->meta.settings, "min_time=0.01s(flops),0.01s(bandwidth)"), "%s",
              r->meta.settings);
    cr_assert(strstr(r->meta.command_line, "--quick"), "%s", r->meta.command_line);
    /* the page embeds the same result (tests/test_html.c and tests/browser/ check the page) */
    snprintf(path, sizeof path, "%s/r.html", d);
    rl_result *page = rl_result_read(path, &e);
    cr_assert(page, "%s", e.msg);
    cr_assert_eq(page->n_flops, r->n_flops);
    cr_assert_eq(page->n_bandwidth, r->n_bandwidth);
    rl_result_free(page);
    rl_result_free(r);
    free(out);
    free(err);
    snprintf(args, sizeof args, "rm -rf %s", d);
    cr_assert_eq(system(args), 0);
}

/* SIGINT during the default run: it stops between measurements, writes what finished with
 * "partial": true and exits 1 saying so. */
Test(main_job, sigint_saves_a_partial_result)
{
    char d[64], cmd[1024], path[128];
    snprintf(d, sizeof d, "%s", rl_test_tmpdir());
    snprintf(path, sizeof path, "%s/p.json", d);
    snprintf(cmd, sizeof cmd,
             "%s -q --json %s >%s/out 2>%s/err </dev/null & pid=$!; sleep 1.5; kill -INT $pid; "
             "wait $pid",
             rl_test_bin(), path, d, d);
    int st = system(cmd);
    cr_assert(WIFEXITED(st), "status %d", st);
    char errp[128];
    snprintf(errp, sizeof errp, "%s/err", d);
    char *err = rl_test_slurp(errp, NULL);
    cr_assert_eq(WEXITSTATUS(st), 1, "exit %d, stderr: %s", WEXITSTATUS(st), err);
    cr_assert(err && strstr(err, "interrupted"), "%s", err);
    rl_err e = {0};
    rl_result *r = rl_result_read(path, &e);
    cr_assert(r, "%s", e.msg);
    cr_assert_eq(r->meta.partial, 1);
    rl_result_free(r);
    free(err);
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    cr_assert_eq(system(cmd), 0);
}

Test(main_job, usage_errors_are_exit_2)
{
    const char *bad[] = {"--frobnicate", "--threads 0",        "--threads abc",
                         "--json",       "--cpuid-dump x.raw", "stray"};
    const char *flag[] = {"--frobnicate", "--threads",    "--threads",
                          "--json",       "--cpuid-dump", "stray"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *err = NULL;
        int rc = rl_test_run(bad[i], NULL, &err);
        cr_assert_eq(rc, 2, "'%s': exit %d, %s", bad[i], rc, err);
        cr_assert(strstr(err, flag[i]), "'%s': %s", bad[i], err);
        free(err);
    }
}

Test(main_job, help_lists_outputs_and_examples)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("--help-main", &out, NULL), 0);
    cr_assert(strstr(out, "--quick") && strstr(out, "--svg") && strstr(out, "Examples") &&
              strstr(out, "partial"));
    free(out);
}
