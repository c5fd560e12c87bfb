/* cmd_probe.c: placeholder until its issue lands. */
#include "cli/cmds.h"
#include "common/err.h"

int rl_cmd_probe(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rl_cli_error("'probe' is not built yet");
    return RL_EXIT_RUNTIME;
}
