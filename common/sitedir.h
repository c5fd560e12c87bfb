/* sitedir.h: a directory of files (a static site) written as a whole, never half.
 *
 * The files go to a temporary directory beside the target; only when every one is written is it
 * renamed into place (a new directory), or swapped with the previous site in one step
 * (renameat2 RENAME_EXCHANGE; two renames where the file system lacks it) and the previous site
 * removed. An existing directory is only replaced when it holds a previous site (the marker file
 * RL_SITEDIR_MARKER, which every site gets) or nothing at all; any other directory is left alone
 * unless `force`, and then the files are written into it one by one (each still atomically),
 * leaving its other files in place. */
#ifndef RL_SITEDIR_H
#define RL_SITEDIR_H

#include <signal.h>
#include <stddef.h>

#include "common/err.h"

#define RL_SITEDIR_MARKER "roofline-site.txt"

typedef struct rl_sitefile {
    const char *name; /* a plain file name: no '/', not "." or ".." */
    const char *data;
    size_t len;
} rl_sitefile;

/* Is `dir` writable as a site? 0 when it does not exist (its parent must), is empty, or holds a
 * previous site; RL_EXIT_USAGE when it holds something else and !force; RL_EXIT_RUNTIME when it
 * is not a directory or cannot be read. Checked before any work so a long render is not lost. */
int rl_sitedir_check(const char *dir, int force, rl_err *err);

/* Writes the files (and the marker). `stop` (may be NULL) is checked between files: when set, the
 * temporary directory is removed and RL_EXIT_RUNTIME "interrupted" returned, the old site intact.
 */
int rl_sitedir_write(const char *dir, const rl_sitefile *files, size_t n, int force,
                     volatile sig_atomic_t *stop, rl_err *err);

#endif
