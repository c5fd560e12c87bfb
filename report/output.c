/* output.c: a result's renderings to files (see output.h). */
#include "report/output.h"

#include <string.h>

#include "common/outfile.h"
#include "report/csv.h"
#include "report/markdown.h"
#include "report/svg.h"

int rl_output_render(const char *path, rl_render_fn render, const rl_result *r, rl_err *err)
{
    rl_buf b = {0};
    int rc = render(&b, r, err);
    if (rc == 0)
        rc = rl_outfile_write(path, b.data ? b.data : "", b.len, err);
    rl_buf_free(&b);
    return rc;
}

int rl_output_files(const rl_result *r, const rl_outputs *o, rl_err *err)
{
    if (o->json && rl_result_write(r, o->json, err) != 0)
        return -1;
    if (o->markdown && rl_output_render(o->markdown, rl_report_markdown, r, err) != 0)
        return -1;
    if (o->csv && rl_output_render(o->csv, rl_report_csv, r, err) != 0)
        return -1;
    if (o->svg && rl_output_render(o->svg, rl_report_svg, r, err) != 0)
        return -1;
    return 0;
}

static int is_stdout(const char *p)
{
    return p && strcmp(p, "-") == 0;
}

int rl_output_uses_stdout(const rl_outputs *o)
{
    return is_stdout(o->json) || is_stdout(o->markdown) || is_stdout(o->csv) || is_stdout(o->svg);
}
