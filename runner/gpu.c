/* gpu.c: the CUDA device backend (see gpu.h). The plugin measures; this file turns its rows into
 * the result model: each measured ceiling beside its theory at the clock measured during that
 * kernel (compute: SMs x FLOPs/SM/cycle x that clock; device memory: the memory bus figure; shared
 * memory: SMs x bytes/cycle x that clock; L1 and L2: unknown, no vendor figure), the efficiency, a
 * flag above 101%, and the device's measured and theoretical ridge points. */
#include "runner/gpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/gpu.h"
#include "probes/gpu_theory.h"
#include "runner/run.h"

static void progress_bridge(void *user, const char *line)
{
    const rl_gpu_opts *o = user;
    if (o->progress)
        o->progress(o->progress_user, line);
}

/* The theoretical figure of one measured row at the clock measured during it; <0 unknown. */
static double row_theory(const rl_gpu_info *in, const rl_device *d, const rl_gpu_row *g)
{
    if (!strcmp(g->kind, "compute")) {
        const char *path = strncmp(g->path, "tensor", 6) == 0 ? "tensor" : g->path;
        return rl_gpu_peak_gflops(in, path, g->precision, g->clock_ghz);
    }
    if (!strcmp(g->path, "DRAM"))
        return d->dram_gbs;
    if (!strcmp(g->path, "shared")) {
        const rl_gpu_rates *r = rl_gpu_rates_for(in->cc_major, in->cc_minor);
        return r && g->clock_ghz > 0 ? in->sms * r->smem_bytes_per_cycle * g->clock_ghz : -1;
    }
    return -1;
}

static int add_rows(rl_device *d, const rl_gpu_info *in, const rl_gpu_row *rows, int n, rl_err *err)
{
    double clocks[RL_GPU_MAX_ROWS];
    int n_clocks = 0;
    for (int i = 0; i < n; i++) {
        const rl_gpu_row *g = &rows[i];
        rl_device_ceiling c;
        memset(&c, 0, sizeof c);
        snprintf(c.id, sizeof c.id, "%s", g->id);
        snprintf(c.kind, sizeof c.kind, "%s", g->kind);
        snprintf(c.path, sizeof c.path, "%s", g->path);
        snprintf(c.precision, sizeof c.precision, "%s", g->precision);
        snprintf(c.op, sizeof c.op, "%s", g->op);
        snprintf(c.insn, sizeof c.insn, "%s", g->insn);
        snprintf(c.unit, sizeof c.unit, "%s", g->unit);
        snprintf(c.note, sizeof c.note, "%s", g->note);
        c.work_bytes = g->work_bytes;
        c.clock_ghz = g->clock_ghz > 0 ? g->clock_ghz : -1;
        c.best = c.median = c.min = c.theoretical = c.efficiency = -1;
        if (g->ok) {
            c.best = g->best;
            c.median = g->median;
            c.min = g->min;
            c.repeats = g->repeats;
            c.theoretical = row_theory(in, d, g);
            if (c.theoretical > 0) {
                c.efficiency = c.best / c.theoretical;
                if (c.efficiency > 1.01)
                    rl_run_note_add(c.note, sizeof c.note,
                                    "above its theoretical ceiling (%.0f%%): suspicious",
                                    c.efficiency * 100);
            }
            if (!strcmp(g->kind, "compute") && c.clock_ghz > 0 && n_clocks < RL_GPU_MAX_ROWS)
                clocks[n_clocks++] = c.clock_ghz;
            if (!strcmp(g->path, "tensor-mma") && in->cc_major == 9)
                rl_run_note_add(c.note, sizeof c.note,
                                "warp-level mma.sync: Hopper reaches its full tensor rate only "
                                "through wgmma");
        }
        if (rl_device_add_ceiling(d, &c, err) != 0)
            return -1;
    }
    if (n_clocks) {
        qsort(clocks, (size_t)n_clocks, sizeof clocks[0], rl_run_cmp_double);
        d->measured_clock_ghz = clocks[n_clocks / 2];
    }
    return rl_device_derive_ridge(d, err);
}

int rl_gpu_detect(char *why, size_t len)
{
    rl_gpu_backend *b = rl_gpu_open(why, len);
    if (!b)
        return 0;
    int n = 0;
    if (rl_gpu_count(b, &n, why, len) != 0)
        n = 0;
    rl_gpu_close(b);
    return n;
}

int rl_gpu_measure(rl_result *r, const rl_gpu_opts *o, char *why, size_t len, rl_err *err)
{
    rl_gpu_backend *b = rl_gpu_open(why, len);
    if (!b)
        return 0;
    const rl_gpu_api *api = rl_gpu_api_of(b);
    int n = 0, added = 0, rc = 0;
    if (rl_gpu_count(b, &n, why, len) != 0 || n == 0)
        goto done;
    if (o->device >= n) {
        rl_gpu_close(b);
        return rl_err_set(err, RL_EXIT_USAGE, "--device %d: this machine has %d GPU%s (0-%d)",
                          o->device, n, n == 1 ? "" : "s", n - 1);
    }
    for (int dev = 0; dev < n; dev++) {
        if (o->device >= 0 && dev != o->device)
            continue;
        if (o->stop && *o->stop)
            break;
        rl_gpu_info in;
        char msg[512] = "";
        rl_device *d = rl_result_add_device(r, err);
        if (!d)
            goto fail;
        added++;
        if (api->info(dev, &in, msg, sizeof msg) != 0) {
            snprintf(d->id, sizeof d->id, "gpu%d", dev);
            snprintf(d->backend, sizeof d->backend, "cuda");
            snprintf(d->status, sizeof d->status, "failed: %.240s", msg);
            rc = rl_err_set(err, RL_EXIT_RUNTIME, "GPU %d: %s", dev, msg);
            continue;
        }
        if (rl_gpu_theory_fill(d, &in, err) != 0)
            goto fail;
        if (!o->measure) {
            snprintf(d->status, sizeof d->status, "not measured (probe)");
            if (rl_device_derive_ridge(d, err) != 0)
                goto fail;
            continue;
        }
        rl_gpu_row *rows = calloc(RL_GPU_MAX_ROWS, sizeof *rows);
        if (!rows) {
            rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
            goto fail;
        }
        volatile int stop_int = 0;
        rl_gpu_plan plan = {
            .quick = o->quick,
            .repeats = o->repeats > 0 ? o->repeats : (o->quick ? 3 : 5),
            .min_ms = o->min_ms > 0 ? o->min_ms : (o->quick ? 4.0 : 20.0),
            .only = o->only,
            .progress = progress_bridge,
            .progress_user = (void *)o,
            .stop = o->stop ? (volatile int *)o->stop : &stop_int,
        };
        int nrows = 0;
        int run_rc = api->run(dev, &plan, rows, RL_GPU_MAX_ROWS, &nrows, msg, sizeof msg);
        if (nrows < 0 || nrows > RL_GPU_MAX_ROWS)
            nrows = 0;
        if (add_rows(d, &in, rows, nrows, err) != 0) {
            free(rows);
            goto fail;
        }
        free(rows);
        if (run_rc != 0) {
            /* The plugin says where and why: "during mma-bf16: unspecified launch failure ..." */
            snprintf(d->status, sizeof d->status, "failed %.240s", msg[0] ? msg : "");
            rc = rl_err_set(err, RL_EXIT_RUNTIME, "GPU %d failed %s", dev, msg);
        }
    }
done:
    rl_gpu_close(b);
    return rc < 0 ? -1 : added;
fail:
    rl_gpu_close(b);
    return -1;
}
