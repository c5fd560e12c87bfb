/* outfile.c: atomic output files (see outfile.h). */
#include "common/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int rl_outfile_write(const char *path, const void *data, size_t len, rl_err *err)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return rl_err_set(err, RL_EXIT_RUNTIME, "stdout: write failed: %s", strerror(errno));
        return 0;
    }

    /* Write through a symlink (the link stays a link), and straight into an existing file that
     * is not a regular one (/dev/null, /dev/stdout, a FIFO): renaming over it would replace the
     * device node or the link with a plain file, which as root breaks the system. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        int rc = 0;
        if (S_ISDIR(st.st_mode)) {
            rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot write: Is a directory", path);
        } else {
            int fd = open(path, O_WRONLY | O_CLOEXEC);
            if (fd < 0)
                rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot open: %s", path, strerror(errno));
            else {
                if (write_all(fd, data, len) != 0)
                    rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: write failed: %s", path,
                                    strerror(errno));
                if (close(fd) != 0 && rc == 0)
                    rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: write failed: %s", path,
                                    strerror(errno));
            }
        }
        return rc;
    }
    char *real = realpath(path, NULL); /* NULL: does not exist yet */
    const char *target = real ? real : path;
    size_t tmplen = strlen(target) + sizeof ".tmp.XXXXXX";
    char *tmp = malloc(tmplen);
    if (!tmp) {
        free(real);
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", path);
    }
    snprintf(tmp, tmplen, "%s.tmp.XXXXXX", target);

    int fd = mkstemp(tmp);
    if (fd < 0) {
        rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot create: %s", path, strerror(errno));
        goto fail;
    }
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        rl_err_set(err, RL_EXIT_RUNTIME, "%s: write failed: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        goto fail;
    }
    /* mkstemp creates 0600; output files are ordinary files the user shares. */
    fchmod(fd, 0644);
    if (close(fd) != 0 || rename(tmp, target) != 0) {
        rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        goto fail;
    }
    free(tmp);
    free(real);
    return 0;
fail:
    free(tmp);
    free(real);
    return -1;
}

int rl_outfile_check(const char *path, rl_err *err)
{
    if (strcmp(path, "-") == 0)
        return 0;
    if (!*path)
        return rl_err_set(err, RL_EXIT_RUNTIME, "output file name is empty");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot write: Is a directory", path);
    char *copy = strdup(path);
    if (!copy)
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: out of memory", path);
    const char *dir = dirname(copy);
    int rc = 0;
    if (stat(dir, &st) != 0)
        rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot create: directory '%s': %s", path, dir,
                        strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot create: '%s' is not a directory", path,
                        dir);
    else if (access(dir, W_OK | X_OK) != 0)
        rc = rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot create: directory '%s': %s", path, dir,
                        strerror(errno));
    free(copy);
    return rc;
}
