/* cmd_flops.c: placeholder until its issue lands. */
#include "cli/cmds.h"
#include "common/err.h"

int rl_cmd_flops(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rl_cli_error("'flops' is not built yet");
    return RL_EXIT_RUNTIME;
}
