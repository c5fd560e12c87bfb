/* test_cli.c: the command line's contract: help, version, unknown commands and flags. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"

Test(cli, version_prints_name_and_exits_0)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("--version", &out, NULL), 0);
    cr_assert(strncmp(out, "roofline ", 9) == 0, "got '%s'", out);
    free(out);
}

Test(cli, help_lists_commands)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("--help", &out, NULL), 0);
    cr_assert(strstr(out, "probe") && strstr(out, "model") && strstr(out, "Exit codes"));
    free(out);
}

Test(cli, unknown_command_is_a_usage_error)
{
    char *err = NULL;
    cr_assert_eq(rl_test_run("frobnicate", NULL, &err), 2);
    cr_assert(strstr(err, "unknown command 'frobnicate'"), "got '%s'", err);
    cr_assert(strchr(err, '\n') == strrchr(err, '\n'), "error is one line: '%s'", err);
    free(err);
}
