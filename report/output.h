/* output.h: writing a result's renderings to files, shared by `roofline report` and the main job.
 *
 * Every file goes through rl_outfile_write, so it is complete or absent (never half-written); "-"
 * means stdout. */
#ifndef RL_OUTPUT_H
#define RL_OUTPUT_H

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

typedef struct rl_outputs {
    const char *json, *markdown, *csv, *svg, *html; /* NULL: not wanted */
} rl_outputs;

typedef int (*rl_render_fn)(rl_buf *b, const rl_result *r, rl_err *err);

/* Renders `r` with `render` and writes it atomically to `path`. Returns 0 or -1 (err names the
 * file). */
int rl_output_render(const char *path, rl_render_fn render, const rl_result *r, rl_err *err);

/* Writes every requested output, JSON first. Stops at the first failure. */
int rl_output_files(const rl_result *r, const rl_outputs *o, rl_err *err);

/* 1 when one of the outputs is "-": stdout is taken, so no terminal summary goes there. */
int rl_output_uses_stdout(const rl_outputs *o);

#endif
