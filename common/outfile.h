/* outfile.h: output files that are never half-written.
 *
 * Everything roofline writes (JSON, CSV, Markdown, SVG) goes through here: the bytes go to a
 * temporary file beside the target, which is flushed and renamed over it only when complete. "-"
 * means stdout. */
#ifndef RL_OUTFILE_H
#define RL_OUTFILE_H

#include <stddef.h>

#include "common/err.h"

/* Writes `len` bytes to `path` atomically (or to stdout when path is "-"). */
int rl_outfile_write(const char *path, const void *data, size_t len, rl_err *err);

/* Checks, before any work is done, that `path` can be written: "-" always can; otherwise the path
 * must not be a directory and its directory must exist and be writable. RL_EXIT_RUNTIME naming the
 * file otherwise (a command checks its outputs first, so a long measurement is not lost to a typo).
 */
int rl_outfile_check(const char *path, rl_err *err);

#endif
