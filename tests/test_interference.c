/* test_interference.c: a core busy with other work is named in the warnings (runner/run.h's
 * rl_run_warn_interference). A child process spins pinned to CPU 1 while `roofline flops --threads
 * 2` runs (its second thread is pinned to CPU 1 on the machines this suite runs on: one PU per
 * core, numbered in order); the measuring thread there gets at most about half the core, so the
 * warning must name CPU 1. Shares are not asserted beyond the threshold: the host is shared. */
#include <criterion/criterion.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/helpers.h"

Test(interference, a_busy_core_is_named)
{
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
        cr_skip_test("needs two CPUs");
        return;
    }
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(1, &set);
        sched_setaffinity(0, sizeof set, &set);
        alarm(60); /* never outlive the test */
        for (volatile unsigned long spin = 0;; spin++)
            ;
    }
    char *out = NULL;
    int st = rl_test_run("flops --isa sse2 --precision fp64 --threads 2 --repeat 3 --min-time 0.05 "
                         "-q --json -",
                         &out, NULL);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    cr_assert_eq(st, 0);
    cr_assert(strstr(out, "interference: CPU 1 was "), "%s", out);
    cr_assert(strstr(out, "% busy with other work during sse2 fp64, 2 threads"), "%s", out);
    free(out);
}
