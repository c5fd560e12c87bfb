/* file.c: reading an input file whole (see file.h). */
#include "common/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rl_file_read_all(const char *path, unsigned max_gib, const char *what, size_t *len,
                       rl_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || ferror(f))
            break;
        if (cap >= ((size_t)max_gib << 30)) {
            rl_err_set(err, RL_EXIT_INPUT, "%s: larger than %u GiB: not %s", path, max_gib, what);
            free(buf);
            fclose(f);
            return NULL;
        }
        char *p = realloc(buf, cap * 2 + 1);
        if (!p) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = p;
        cap *= 2;
    }
    if (!buf || ferror(f)) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: cannot read: %s", path,
                   buf ? strerror(errno) : "out of memory");
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}
