/* cmd_main.c: `roofline` alone: the main job. At this stage it is the probe report (the machine and
 * its theoretical roofline); the measuring issues extend it. */
#include <string.h>

#include "cli/cmds.h"
#include "common/err.h"

int rl_cmd_main(int argc, char **argv)
{
    /* `roofline --help-main` documents the options, which are the probe's for now. */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help-main") == 0)
            argv[i] = (char *)"--help";
    return rl_cmd_probe(argc, argv);
}
