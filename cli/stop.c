/* stop.c: Ctrl-C stops a measurement cleanly. The first SIGINT or SIGTERM sets a flag the runner
 * checks between repeats, so what finished is still reported (marked partial); the handler resets
 * itself, so a second Ctrl-C ends the process at once. The flag is the one piece of process-wide
 * state a signal handler cannot avoid, and it lives here in cli/, never in the library. */
#include <signal.h>
#include <string.h>

#include "cli/cmds.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

volatile sig_atomic_t *rl_cli_stop_flag(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return &stop_flag;
}
