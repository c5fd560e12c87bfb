/* cmd_report.c: placeholder until its issue lands. */
#include "cli/cmds.h"
#include "common/err.h"

int rl_cmd_report(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rl_cli_error("'report' is not built yet");
    return RL_EXIT_RUNTIME;
}

int rl_cmd_compare(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rl_cli_error("'compare' is not built yet");
    return RL_EXIT_RUNTIME;
}
