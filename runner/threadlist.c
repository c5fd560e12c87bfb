/* threadlist.c: parsing `--threads` (see threadlist.h). */
#include "runner/threadlist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FORMS "use a list like 1,2, a range like 1-4, 'all' or 'sweep'"

/* Reads a positive decimal count at *p, advancing it; -1 when there is none. */
static long read_count(const char **p)
{
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0)
        return -1;
    *p = end;
    return v;
}

static int add_range(long lo, long hi, int max, char *seen, const char *spec, rl_err *err)
{
    if (lo < 1 || hi < 1)
        return rl_err_set(err, RL_EXIT_USAGE, "'%s': thread counts start at 1", spec);
    if (hi < lo)
        return rl_err_set(err, RL_EXIT_USAGE, "'%s': range %ld-%ld runs backwards", spec, lo, hi);
    if (hi > max)
        return rl_err_set(err, RL_EXIT_USAGE, "'%s': %ld threads asked for, but 'all' is %d here",
                          spec, hi, max);
    for (long v = lo; v <= hi; v++)
        seen[v] = 1;
    return 0;
}

int rl_threadlist_parse(const char *spec, int max, int *out, int *n, rl_err *err)
{
    *n = 0;
    if (max < 1)
        return rl_err_set(err, RL_EXIT_RUNTIME, "no cores to run on");
    if (!spec || !*spec)
        return rl_err_set(err, RL_EXIT_USAGE, "empty value (" FORMS ")");
    if (strcmp(spec, "all") == 0) {
        out[0] = max;
        *n = 1;
        return 0;
    }
    if (strcmp(spec, "sweep") == 0) {
        for (int v = 1; v < max; v *= 2)
            out[(*n)++] = v;
        out[(*n)++] = max;
        return 0;
    }

    char *seen = calloc((size_t)max + 1, 1);
    if (!seen)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    const char *p = spec;
    for (;;) {
        long lo, hi;
        if (strncmp(p, "all", 3) == 0 && (p[3] == ',' || p[3] == '\0')) {
            lo = hi = max;
            p += 3;
        } else {
            lo = hi = read_count(&p);
            if (lo < 0)
                goto bad;
            if (*p == '-') {
                p++;
                hi = read_count(&p);
                if (hi < 0)
                    goto bad;
            }
        }
        if (add_range(lo, hi, max, seen, spec, err) < 0)
            goto fail;
        if (*p == '\0')
            break;
        if (*p != ',')
            goto bad;
        p++;
    }
    for (int v = 1; v <= max; v++)
        if (seen[v])
            out[(*n)++] = v;
    free(seen);
    return 0;
bad:
    rl_err_set(err, RL_EXIT_USAGE, "'%s' is not a thread list (" FORMS ")", spec);
fail:
    free(seen);
    *n = 0;
    return -1;
}
