/* file.h: reading an input file whole. */
#ifndef RL_FILE_H
#define RL_FILE_H

#include <stddef.h>

#include "common/err.h"

/* The whole file at `path`, malloc'd and NUL-terminated, its length in *len; or NULL with err
 * (RL_EXIT_INPUT). A file of `max_gib` GiB or more is refused as "not `what`" (a roofline result
 * is never that large, so a bigger file is something else). */
char *rl_file_read_all(const char *path, unsigned max_gib, const char *what, size_t *len,
                       rl_err *err);

#endif
