/* err.h: the error context every fallible library function fills in.
 *
 * Library code never prints and never exits: it returns -1 and leaves a message and an exit code in
 * the rl_err its caller passed. Only cli/ turns that into "roofline: error: ..." and an exit
 * status. */
#ifndef RL_ERR_H
#define RL_ERR_H

#include <stdarg.h>

/* Exit codes, stable and documented in README.md and every --help. */
enum {
    RL_EXIT_OK = 0,      /* success */
    RL_EXIT_RUNTIME = 1, /* the run failed: a kernel check failed, a write failed, interrupted */
    RL_EXIT_USAGE = 2,   /* bad command line: unknown flag, bad value, unsupported request */
    RL_EXIT_INPUT = 3,   /* a bad input file: missing, truncated, malformed, wrong schema */
};

typedef struct rl_err {
    int code;       /* one of RL_EXIT_*; RL_EXIT_OK while no error has been set */
    char msg[1024]; /* one line, no trailing newline, no "error:" prefix */
} rl_err;

/* Records an error and returns -1, so callers can write `return rl_err_set(err, ...)`.
 * `err` may be NULL (the message is dropped). The first error set wins only if it was not cleared.
 */
int rl_err_set(rl_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rl_err_vset(rl_err *err, int code, const char *fmt, va_list ap);

/* Prepends "prefix: " to the message already set, to add context on the way up. Returns -1. */
int rl_err_prefix(rl_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void rl_err_clear(rl_err *err);

#endif
