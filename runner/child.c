/* child.c: one measurement job in a child process, under a time limit (see child.h). */
#include "runner/child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "result/result.h"

/* After SIGTERM, how long an interrupted child has to write what finished. */
#define RL_CHILD_STOP_GRACE_S 5.0

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        len -= (size_t)n;
    }
}

/* The child: measure, write "ok\n<json>" or "failed: <why>\n[<json>]", leave with _exit. */
static void child_main(int fd, pid_t parent, const rl_plan *plan, volatile sig_atomic_t *stop,
                       const char *command_line)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* the parent died before the line above */
        _exit(1);
    prctl(PR_SET_NAME, RL_CHILD_NAME);
    signal(SIGPIPE, SIG_IGN);
    rl_result *r = rl_result_new();
    if (!r) {
        write_all(fd, "failed: out of memory\n", 22);
        _exit(1);
    }
    snprintf(r->meta.command_line, sizeof r->meta.command_line, "%s", command_line);
    rl_job_hooks hooks = {.stop = stop};
    rl_err err = {0};
    int rc = rl_job_run(plan, &hooks, r, &err);
    int measured = r->n_flops > 0 || r->n_bandwidth > 0 || r->n_devices > 0;
    char head[1200];
    if (rc == 0 && !r->meta.partial)
        snprintf(head, sizeof head, "ok\n");
    else if (rc == 0 || (stop && *stop))
        snprintf(head, sizeof head, "failed: interrupted (the result holds what finished)\n");
    else
        snprintf(head, sizeof head, "failed: %s\n", err.msg);
    /* One line: a message never carries a newline into the status. */
    for (char *p = head; *p && p[1]; p++)
        if (*p == '\n')
            *p = ' ';
    write_all(fd, head, strlen(head));
    if (rc == 0 || measured) {
        char *json = rl_result_to_json(r, &err);
        if (json)
            write_all(fd, json, strlen(json));
        free(json);
    }
    rl_result_free(r);
    close(fd);
    _exit(0);
}

/* Reads the child's pipe until EOF, the deadline or a stop; returns 1 when the deadline passed. */
static int read_child(int fd, pid_t pid, double timeout_s, volatile sig_atomic_t *stop, char **buf,
                      size_t *len, int *oom)
{
    size_t cap = 0;
    double deadline = timeout_s > 0 ? now_s() + timeout_s : -1;
    int term_sent = 0;
    for (;;) {
        if (stop && *stop && !term_sent) {
            kill(pid, SIGTERM);
            term_sent = 1;
            double grace = now_s() + RL_CHILD_STOP_GRACE_S;
            if (deadline < 0 || grace < deadline)
                deadline = grace;
        }
        int wait_ms = 100;
        if (deadline >= 0) {
            double left = deadline - now_s();
            if (left <= 0)
                return 1;
            if (left * 1e3 < wait_ms)
                wait_ms = (int)(left * 1e3) + 1;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, wait_ms);
        if (n < 0 && errno != EINTR)
            return 0;
        if (n <= 0)
            continue;
        if (cap - *len < 65536) {
            size_t ncap = cap ? cap * 2 : 1 << 17;
            char *q = realloc(*buf, ncap + 1);
            if (!q) {
                *oom = 1;
                return 0;
            }
            *buf = q;
            cap = ncap;
        }
        ssize_t got = read(fd, *buf + *len, cap - *len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return 0;
        *len += (size_t)got;
        (*buf)[*len] = '\0';
    }
}

int rl_child_measure(const rl_plan *plan, double timeout_s, volatile sig_atomic_t *stop,
                     const char *command_line, rl_child_result *out, rl_err *err)
{
    memset(out, 0, sizeof *out);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return rl_err_set(err, RL_EXIT_RUNTIME, "cannot create a pipe: %s", strerror(errno));
    double t0 = now_s();
    pid_t parent = getpid();
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return rl_err_set(err, RL_EXIT_RUNTIME, "cannot start the measurement: fork: %s",
                          strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1], parent, plan, stop, command_line ? command_line : "");
    }
    close(fds[1]);
    char *buf = NULL;
    size_t len = 0;
    int oom = 0;
    int timed_out = read_child(fds[0], pid, timeout_s, stop, &buf, &len, &oom);
    close(fds[0]);
    if (timed_out || oom)
        kill(pid, SIGKILL);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    out->seconds = now_s() - t0;

    char *nl = buf ? memchr(buf, '\n', len) : NULL;
    if (oom) {
        snprintf(out->status, sizeof out->status, "failed: out of memory reading the result");
    } else if (timed_out && !(stop && *stop)) {
        snprintf(out->status, sizeof out->status,
                 "failed: no result within %g s (the per-node time limit); the measurement was "
                 "killed",
                 timeout_s);
    } else if (timed_out) {
        snprintf(out->status, sizeof out->status,
                 "failed: interrupted, and the measurement did not stop in time");
    } else if (WIFSIGNALED(ws)) {
        snprintf(out->status, sizeof out->status,
                 "failed: the measurement process was killed by signal %d (%s)", WTERMSIG(ws),
                 strsignal(WTERMSIG(ws)));
    } else if (!nl) {
        snprintf(out->status, sizeof out->status,
                 "failed: the measurement process ended without a result (exit status %d)",
                 WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
    } else {
        snprintf(out->status, sizeof out->status, "%.*s", (int)(nl - buf), buf);
        size_t rest = len - (size_t)(nl + 1 - buf);
        if (rest > 0) {
            memmove(buf, nl + 1, rest);
            buf[rest] = '\0';
            out->json = buf;
            out->len = rest;
            buf = NULL;
        }
    }
    free(buf);
    return 0;
}
