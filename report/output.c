/* output.c: a result's renderings to files (see output.h). */
#include "report/output.h"

#include <stdio.h>
#include <string.h>

#include "common/outfile.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/latency_svg.h"
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

/* The CPU's chart goes to `path`; each other device's to "<path without .svg>-<id>.svg", except a
 * result that measured only one device and no CPU (roofline gpu), whose chart is `path` itself. On
 * stdout ("-") only the first chart is written: one document per stream. */
/* "<path without .svg>-<suffix>.svg" */
static void sibling(char *out, size_t size, const char *path, const char *suffix)
{
    size_t n = strlen(path);
    if (n >= 4 && !strcmp(path + n - 4, ".svg"))
        n -= 4;
    snprintf(out, size, "%.*s-%s.svg", (int)n, path, suffix);
}

/* The latency charts (report/latency_svg.h): the staircase to "-latency.svg" and the loaded curves
 * to "-loaded.svg" beside the roofline chart; a result with latency only (roofline latency) puts
 * its staircase at `path` itself. Nothing for a result without latency rows, nor on stdout when a
 * chart already went there. Returns 1 when it wrote to `path`. */
static int latency_svgs(const rl_result *r, const char *path, int path_taken, rl_err *err)
{
    char p[4096];
    int wrote_path = 0;
    if (rl_latency_svg_has_staircase(r)) {
        if (!path_taken)
            snprintf(p, sizeof p, "%s", path), wrote_path = 1;
        else if (strcmp(path, "-") != 0)
            sibling(p, sizeof p, path, "latency");
        else
            return 0;
        if (rl_output_render(p, rl_report_svg_staircase, r, err) != 0)
            return -1;
        path_taken = 1;
    }
    if (rl_latency_svg_has_loaded(r) && strcmp(path, "-") != 0) {
        sibling(p, sizeof p, path, "loaded");
        if (rl_output_render(p, rl_report_svg_loaded, r, err) != 0)
            return -1;
    }
    return wrote_path;
}

static int svg_files(const rl_result *r, const char *path, rl_err *err)
{
    int cpu = r->n_flops > 0 || r->n_bandwidth > 0 || (r->n_devices == 0 && r->n_latency == 0);
    if (cpu && rl_output_render(path, rl_report_svg, r, err) != 0)
        return -1;
    /* A GPU result's chart keeps `path` (its pointer chases are latency rows too). */
    int lat = latency_svgs(r, path, cpu || r->n_devices > 0, err);
    if (lat < 0)
        return -1;
    cpu |= lat;
    for (size_t i = 0; i < r->n_devices; i++) {
        char dev_path[4096];
        if (!cpu && r->n_devices == 1) {
            snprintf(dev_path, sizeof dev_path, "%s", path);
        } else {
            if (!strcmp(path, "-"))
                return 0;
            size_t n = strlen(path);
            if (n >= 4 && !strcmp(path + n - 4, ".svg"))
                n -= 4;
            snprintf(dev_path, sizeof dev_path, "%.*s-%s.svg", (int)n, path, r->devices[i].id);
        }
        rl_buf b = {0};
        int rc = rl_report_svg_device(&b, r, i, err);
        if (rc == 0)
            rc = rl_outfile_write(dev_path, b.data ? b.data : "", b.len, err);
        rl_buf_free(&b);
        if (rc != 0)
            return -1;
        if (!strcmp(path, "-"))
            return 0;
    }
    return 0;
}

int rl_output_files(const rl_result *r, const rl_outputs *o, rl_err *err)
{
    if (o->json && rl_result_write(r, o->json, err) != 0)
        return -1;
    if (o->markdown && rl_output_render(o->markdown, rl_report_markdown, r, err) != 0)
        return -1;
    if (o->csv && rl_output_render(o->csv, rl_report_csv, r, err) != 0)
        return -1;
    if (o->svg && svg_files(r, o->svg, err) != 0)
        return -1;
    if (o->html && rl_output_render(o->html, rl_report_html, r, err) != 0)
        return -1;
    return 0;
}

static int is_stdout(const char *p)
{
    return p && strcmp(p, "-") == 0;
}

int rl_output_uses_stdout(const rl_outputs *o)
{
    return is_stdout(o->json) || is_stdout(o->markdown) || is_stdout(o->csv) || is_stdout(o->svg) ||
           is_stdout(o->html);
}
