/* cmd_bandwidth.c: placeholder until its issue lands. */
#include "cli/cmds.h"
#include "common/err.h"

int rl_cmd_bandwidth(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rl_cli_error("'bandwidth' is not built yet");
    return RL_EXIT_RUNTIME;
}
