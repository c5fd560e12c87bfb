/* err.c: the error context (see err.h). */
#include "common/err.h"

#include <stdio.h>
#include <string.h>

int rl_err_vset(rl_err *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return -1;
}

int rl_err_set(rl_err *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rl_err_vset(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

int rl_err_prefix(rl_err *err, const char *fmt, ...)
{
    char prefix[512], joined[sizeof prefix + sizeof err->msg + 2];
    va_list ap;
    if (!err)
        return -1;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(joined, sizeof joined, "%s: %s", prefix, err->msg);
    snprintf(err->msg, sizeof err->msg, "%.*s", (int)(sizeof err->msg - 1), joined);
    return -1;
}

void rl_err_clear(rl_err *err)
{
    if (err) {
        err->code = RL_EXIT_OK;
        err->msg[0] = '\0';
    }
}
