/* child.h: one measurement job (runner/job.h) in a child process, under a time limit.
 *
 * The fleet's node leaders measure this way, so that a measurement that crashes, hangs or is
 * killed takes only itself down: the caller (an MPI rank, which must stay alive to report) learns
 * "failed: <reason>" and goes on. The child names itself "roofline-job" (prctl PR_SET_NAME, what
 * `ps -o comm` shows), dies with its parent (PR_SET_PDEATHSIG), runs rl_job_run and writes its
 * status line and result JSON into a pipe; it never returns into the caller's code (it leaves
 * with _exit, so nothing the parent set up, such as MPI, runs its exit handlers twice).
 *
 * The parent waits for the pipe with poll(), never spinning: a rank that waits does not disturb
 * the measurement beside it. */
#ifndef RL_CHILD_H
#define RL_CHILD_H

#include <signal.h>
#include <stddef.h>

#include "common/err.h"
#include "runner/job.h"

/* The name the measuring child takes (tests find it with `ps -o comm`). */
#define RL_CHILD_NAME "roofline-job"

typedef struct rl_child_result {
    char status[512]; /* "ok", or "failed: <reason>" */
    char *json;       /* the result JSON (malloc'd, NUL-terminated); NULL when none came back */
    size_t len;
    double seconds; /* wall clock from fork to the child's end */
} rl_child_result;

/* Runs `plan` in a child process and waits at most `timeout_s` seconds for it (<= 0: no limit).
 * `command_line` goes into the result's meta. When *stop is raised (a signal handler of the
 * caller's), the child is asked to stop (SIGTERM: it stops between measurements and still writes
 * what finished) and given a few seconds before SIGKILL. A child past its time limit is killed
 * (SIGKILL) and reported failed; so is one that dies or ends without a result. A partial result
 * (interrupted, or a measurement that failed part-way) comes back with status "failed: ..." and
 * its JSON. Returns 0 whenever `out` holds an answer; -1 with err only when no child could be
 * started (pipe, fork, out of memory). Free out->json with free(). */
int rl_child_measure(const rl_plan *plan, double timeout_s, volatile sig_atomic_t *stop,
                     const char *command_line, rl_child_result *out, rl_err *err);

#endif
