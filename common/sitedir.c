/* sitedir.c: a site written whole (see sitedir.h). */
#include "common/sitedir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/outfile.h"

#define MARKER_TEXT "roofline-site/1: this directory is a site written by `roofline publish`\n"

static int is_ours(const char *dir)
{
    char path[4096], text[32] = "";
    snprintf(path, sizeof path, "%s/" RL_SITEDIR_MARKER, dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return !strncmp(text, "roofline-site/1", 15);
}

/* 1 when the directory has no entry, 0 when it has one, -1 when it cannot be read. */
static int is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    const struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    return empty;
}

int rl_sitedir_check(const char *dir, int force, rl_err *err)
{
    struct stat st;
    if (!dir || !*dir)
        return rl_err_set(err, RL_EXIT_USAGE, "--out: needs a directory");
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT)
            return rl_err_set(err, RL_EXIT_RUNTIME, "%s: %s", dir, strerror(errno));
        /* A new directory: its parent must take it (rl_outfile_check checks a file there). */
        char probe[4096];
        snprintf(probe, sizeof probe, "%s.probe", dir);
        return rl_outfile_check(probe, err) == 0
                   ? 0
                   : rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot create it here", dir);
    }
    if (!S_ISDIR(st.st_mode))
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: exists and is not a directory", dir);
    int empty = is_empty(dir);
    if (empty < 0)
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot read: %s", dir, strerror(errno));
    if (empty || is_ours(dir) || force)
        return 0;
    return rl_err_set(err, RL_EXIT_USAGE,
                      "%s: exists and holds no previous site (no %s): not written into; give "
                      "--force to add the site's files to it",
                      dir, RL_SITEDIR_MARKER);
}

static int write_file(const char *dir, const char *name, const char *data, size_t len, rl_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot write: %s", path, strerror(errno));
    int ok = fwrite(data, 1, len, f) == len;
    ok &= fflush(f) == 0;
    ok &= fclose(f) == 0;
    if (!ok)
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot write: %s", path, strerror(errno));
    return 0;
}

/* Removes a directory this module filled: plain files only, one level. */
static void remove_site(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        const struct dirent *e;
        char path[4096];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

static int valid_name(const char *name)
{
    return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int stopped(volatile sig_atomic_t *stop)
{
    return stop && *stop;
}

/* --force into someone else's directory: each file atomically, the marker last. */
static int write_into(const char *dir, const rl_sitefile *files, size_t n,
                      volatile sig_atomic_t *stop, rl_err *err)
{
    char path[4096];
    for (size_t i = 0; i < n; i++) {
        if (stopped(stop))
            return rl_err_set(err, RL_EXIT_RUNTIME, "interrupted: %zu of %zu files written", i, n);
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        if (rl_outfile_write(path, files[i].data, files[i].len, err) != 0)
            return -1;
    }
    snprintf(path, sizeof path, "%s/" RL_SITEDIR_MARKER, dir);
    return rl_outfile_write(path, MARKER_TEXT, strlen(MARKER_TEXT), err);
}

int rl_sitedir_write(const char *dir, const rl_sitefile *files, size_t n, int force,
                     volatile sig_atomic_t *stop, rl_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (!valid_name(files[i].name))
            return rl_err_set(err, RL_EXIT_RUNTIME, "site file name '%s' is not a plain name",
                              files[i].name ? files[i].name : "");
    if (rl_sitedir_check(dir, force, err) != 0)
        return -1;
    struct stat st;
    int exists = stat(dir, &st) == 0;
    if (exists && force && is_empty(dir) == 0 && !is_ours(dir))
        return write_into(dir, files, n, stop, err);

    char tmp[4096];
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') /* "site/" names the directory "site" */
        dl--;
    snprintf(tmp, sizeof tmp, "%.*s.tmp-XXXXXX", (int)dl, dir);
    if (!mkdtemp(tmp))
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot make a temporary directory: %s", tmp,
                          strerror(errno));
    chmod(tmp, 0755); /* mkdtemp makes it 0700: a site is for reading */
    for (size_t i = 0; i < n; i++) {
        if (stopped(stop)) {
            remove_site(tmp);
            return rl_err_set(err, RL_EXIT_RUNTIME, "interrupted: nothing written to %s", dir);
        }
        if (write_file(tmp, files[i].name, files[i].data, files[i].len, err) != 0) {
            remove_site(tmp);
            return -1;
        }
    }
    if (write_file(tmp, RL_SITEDIR_MARKER, MARKER_TEXT, strlen(MARKER_TEXT), err) != 0) {
        remove_site(tmp);
        return -1;
    }
    char target[4096];
    snprintf(target, sizeof target, "%.*s", (int)dl, dir);
    if (!exists) {
        if (rename(tmp, target) != 0) {
            int e = errno;
            remove_site(tmp);
            return rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot move the site into place: %s",
                              target, strerror(e));
        }
        return 0;
    }
    /* Swap the new site and the old in one step; the old one is then at tmp. */
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
        remove_site(tmp);
        return 0;
    }
    /* No exchange on this file system: the old site moves aside, the new one in. */
    char old[4096 + 16];
    snprintf(old, sizeof old, "%s.old-XXXXXX", target);
    if (!mkdtemp(old) || rmdir(old) != 0 || rename(target, old) != 0) {
        int e = errno;
        remove_site(tmp);
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot replace the previous site: %s", target,
                          strerror(e));
    }
    if (rename(tmp, target) != 0) {
        int e = errno;
        rename(old, target); /* put the old site back */
        remove_site(tmp);
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: cannot move the site into place: %s", target,
                          strerror(e));
    }
    remove_site(old);
    return 0;
}
