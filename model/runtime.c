/* runtime.c: the runtime profile reader and the per-node prediction (see runtime.h). */
#include "model/runtime.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reader ------------------------------------------------------------------------------- */

/* The reader's state, as in result/result.c: the file's name and the path of the member being
 * read, so every message names the exact field. */
typedef struct reader {
    const char *name;
    char path[192];
    rl_err *err;
} reader;

static int bad(reader *rd, const char *key, const char *what)
{
    return rl_err_set(rd->err, RL_EXIT_INPUT, "%s: field '%s%s%s': %s", rd->name, rd->path,
                      rd->path[0] && key[0] && key[0] != '[' ? "." : "", key, what);
}

/* Enters member `key` (element `key[i]` when i >= 0) for messages; returns the old length. */
static size_t enter(reader *rd, const char *key, int i)
{
    size_t old = strlen(rd->path);
    size_t room = sizeof rd->path - old;
    const char *dot = old && key[0] ? "." : "";
    if (i >= 0)
        snprintf(rd->path + old, room, "%s%s[%d]", dot, key, i);
    else
        snprintf(rd->path + old, room, "%s%s", dot, key);
    return old;
}

static void leave(reader *rd, size_t old)
{
    rd->path[old] = '\0';
}

static int get_str(reader *rd, const cJSON *o, const char *key, char *out, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return bad(rd, key, "missing");
    if (!cJSON_IsString(v) || !v->valuestring)
        return bad(rd, key, "expected a string");
    size_t n = strlen(v->valuestring);
    if (n >= size)
        return bad(rd, key, "string too long");
    memcpy(out, v->valuestring, n + 1);
    return 0;
}

/* A number: > 0 with `positive`, >= 0 otherwise; always finite. */
static int get_num(reader *rd, const cJSON *o, const char *key, int positive, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    const char *what = positive ? "expected a positive number" : "expected a number >= 0";
    if (!v)
        return bad(rd, key, "missing");
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return bad(rd, key, what);
    if (positive ? !(v->valuedouble > 0) : !(v->valuedouble >= 0))
        return bad(rd, key, what);
    *out = v->valuedouble;
    return 0;
}

static int get_int(reader *rd, const cJSON *o, const char *key, int lo, int hi, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return bad(rd, key, "missing");
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi) ||
        v->valuedouble != floor(v->valuedouble)) {
        char what[64];
        snprintf(what, sizeof what, "expected a whole number from %d to %d", lo, hi);
        return bad(rd, key, what);
    }
    *out = (int)v->valuedouble;
    return 0;
}

static const cJSON *get_obj(reader *rd, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        bad(rd, key, "missing");
    else if (!cJSON_IsObject(v))
        bad(rd, key, "expected an object");
    else
        return v;
    return NULL;
}

#define STR(o, key, dst)                                                                           \
    do {                                                                                           \
        if (get_str(rd, (o), (key), (dst), sizeof(dst)) != 0)                                      \
            return -1;                                                                             \
    } while (0)

static int read_point(reader *rd, const cJSON *o, rl_rt_point *p)
{
    if (!cJSON_IsObject(o))
        return bad(rd, "", "expected an object");
    if (get_num(rd, o, "x", 1, &p->x) != 0 || get_num(rd, o, "time_s", 1, &p->time_s) != 0 ||
        get_num(rd, o, "flops", 0, &p->flops) != 0 || get_num(rd, o, "bytes", 0, &p->bytes) != 0)
        return -1;
    /* "what" describes the micro-model: optional, a string when present, kept truncated (it is
     * for people reading the profile, nothing depends on it) */
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "what");
    if (w && (!cJSON_IsString(w) || !w->valuestring))
        return bad(rd, "what", "expected a string");
    if (w)
        snprintf(p->what, sizeof p->what, "%s", w->valuestring);
    return 0;
}

static int read_curve(reader *rd, const cJSON *arr, rl_rt_curve *c)
{
    if (!cJSON_IsArray(arr))
        return bad(rd, "", "expected an array of points");
    int n = cJSON_GetArraySize(arr);
    if (n < 3)
        return bad(rd, "", "expected at least 3 points");
    c->pts = calloc((size_t)n, sizeof *c->pts);
    if (!c->pts)
        return rl_err_set(rd->err, RL_EXIT_RUNTIME, "out of memory");
    int i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        size_t old = enter(rd, "", i);
        if (read_point(rd, e, &c->pts[i]) != 0)
            return -1;
        if (i > 0 && !(c->pts[i].x > c->pts[i - 1].x))
            return bad(rd, "x", "points must be sorted by x, strictly ascending");
        leave(rd, old);
        c->n = (size_t)i + 1;
    }
    return 0;
}

static int read_threads(reader *rd, const cJSON *o, rl_rt_threads *t)
{
    if (!cJSON_IsObject(o))
        return bad(rd, "", "expected an object");
    if (get_int(rd, o, "threads", 1, 4096, &t->threads) != 0 ||
        get_num(rd, o, "run_overhead_s", 0, &t->run_overhead_s) != 0 ||
        get_num(rd, o, "node_overhead_s", 0, &t->node_overhead_s) != 0)
        return -1;
    const cJSON *cls = get_obj(rd, o, "classes");
    if (!cls)
        return -1;
    int n = cJSON_GetArraySize(cls);
    if (n < 1)
        return bad(rd, "classes", "no class");
    t->curves = calloc((size_t)n, sizeof *t->curves);
    if (!t->curves)
        return rl_err_set(rd->err, RL_EXIT_RUNTIME, "out of memory");
    size_t old = enter(rd, "classes", -1);
    for (const cJSON *e = cls->child; e; e = e->next) {
        rl_rt_curve *c = &t->curves[t->n_curves];
        const char *name = e->string ? e->string : "";
        if (!name[0] || strlen(name) >= sizeof c->name)
            return bad(rd, name, "class name empty or too long");
        if (!strcmp(name, "free"))
            return bad(rd, name, "'free' nodes (views, folded, fused) are never timed");
        for (size_t k = 0; k < t->n_curves; k++)
            if (!strcmp(t->curves[k].name, name))
                return bad(rd, name, "class given twice");
        snprintf(c->name, sizeof c->name, "%s", name);
        size_t o2 = enter(rd, name, -1);
        t->n_curves++; /* counted before reading, so rl_runtime_free releases a partial curve */
        if (read_curve(rd, e, c) != 0)
            return -1;
        c->spread = rl_rt_curve_spread(c, t->node_overhead_s);
        leave(rd, o2);
    }
    leave(rd, old);
    return 0;
}

static int read_profile(reader *rd, const cJSON *root, rl_runtime *p)
{
    const cJSON *o;
    size_t old;
    if (!(o = get_obj(rd, root, "runtime")))
        return -1;
    old = enter(rd, "runtime", -1);
    STR(o, "name", p->name);
    STR(o, "version", p->version);
    STR(o, "optimization", p->optimization);
    STR(o, "provider", p->provider);
    leave(rd, old);
    if (!(o = get_obj(rd, root, "machine")))
        return -1;
    old = enter(rd, "machine", -1);
    STR(o, "cpu", p->cpu);
    STR(o, "vendor", p->vendor);
    if (get_int(rd, o, "family", 0, 1 << 16, &p->family) != 0 ||
        get_int(rd, o, "model", 0, 1 << 16, &p->model) != 0 ||
        get_int(rd, o, "logical_cpus", 1, 1 << 20, &p->logical_cpus) != 0)
        return -1;
    leave(rd, old);
    STR(root, "created", p->created);
    STR(root, "calibration", p->calibration);

    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "threads");
    if (!arr)
        return bad(rd, "threads", "missing");
    if (!cJSON_IsArray(arr))
        return bad(rd, "threads", "expected an array");
    int n = cJSON_GetArraySize(arr);
    if (n < 1)
        return bad(rd, "threads", "no thread count calibrated");
    p->threads = calloc((size_t)n, sizeof *p->threads);
    if (!p->threads)
        return rl_err_set(rd->err, RL_EXIT_RUNTIME, "out of memory");
    int i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        rl_rt_threads *t = &p->threads[i];
        old = enter(rd, "threads", i);
        p->n_threads = (size_t)i + 1;
        if (read_threads(rd, e, t) != 0)
            return -1;
        for (int k = 0; k < i; k++)
            if (p->threads[k].threads == t->threads)
                return bad(rd, "threads", "thread count given twice");
        leave(rd, old);
    }
    return 0;
}

int rl_runtime_parse(const char *text, size_t len, const char *name, rl_runtime **out, rl_err *err)
{
    *out = NULL;
    reader rd = {.name = name, .path = "", .err = err};
    rl_runtime *p = NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        return rl_err_set(err, RL_EXIT_INPUT, "%s: not valid JSON (near byte %zu%s)", name, off,
                          off >= len ? ", the file ends early" : "");
    }
    if (!cJSON_IsObject(root)) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: not a runtime profile (expected a JSON object)", name);
        goto fail;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsString(schema) || !schema->valuestring) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: field 'schema': missing (not a runtime profile?)",
                   name);
        goto fail;
    }
    if (strcmp(schema->valuestring, RL_RUNTIME_SCHEMA) != 0) {
        rl_err_set(err, RL_EXIT_INPUT, "%s: field 'schema': '%.64s' is not '%s'", name,
                   schema->valuestring, RL_RUNTIME_SCHEMA);
        goto fail;
    }
    if (!(p = calloc(1, sizeof *p))) {
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
        goto fail;
    }
    snprintf(p->file, sizeof p->file, "%s", name);
    if (read_profile(&rd, root, p) != 0)
        goto fail;
    cJSON_Delete(root);
    *out = p;
    return 0;
fail:
    cJSON_Delete(root);
    rl_runtime_free(p);
    return -1;
}

int rl_runtime_read(const char *path, rl_runtime **out, rl_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int rc = -1;
    while (buf) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        if (cap >= ((size_t)1 << 28)) {
            rl_err_set(err, RL_EXIT_INPUT, "%s: larger than 256 MiB: not a runtime profile", path);
            goto done;
        }
        char *q = realloc(buf, cap * 2);
        if (!q) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = q;
        cap *= 2;
    }
    if (!buf || ferror(f)) {
        rl_err_set(err, buf ? RL_EXIT_INPUT : RL_EXIT_RUNTIME, "%s: cannot read: %s", path,
                   buf ? strerror(errno) : "out of memory");
        goto done;
    }
    rc = rl_runtime_parse(buf, len, path, out, err);
done:
    free(buf);
    fclose(f);
    return rc;
}

void rl_runtime_free(rl_runtime *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_threads; i++) {
        for (size_t k = 0; k < p->threads[i].n_curves; k++)
            free(p->threads[i].curves[k].pts);
        free(p->threads[i].curves);
    }
    free(p->threads);
    free(p);
}

/* ---- queries and the prediction ----------------------------------------------------------- */

const rl_rt_threads *rl_runtime_threads(const rl_runtime *p, int threads)
{
    for (size_t i = 0; i < p->n_threads; i++)
        if (p->threads[i].threads == threads)
            return &p->threads[i];
    return NULL;
}

void rl_runtime_thread_list(const rl_runtime *p, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < p->n_threads && used < size; i++) {
        int w = snprintf(out + used, size - used, "%s%d", i ? ", " : "", p->threads[i].threads);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

const rl_rt_curve *rl_rt_curve_find(const rl_rt_threads *t, const char *name)
{
    for (size_t i = 0; i < t->n_curves; i++)
        if (!strcmp(t->curves[i].name, name))
            return &t->curves[i];
    return NULL;
}

int rl_rt_class_by_flops(const char *name)
{
    return !strncmp(name, "conv_", 5) || !strcmp(name, "gemm") || !strcmp(name, "matmul") ||
           !strcmp(name, "gemm_int8") || !strcmp(name, "matmul_int8");
}

/* time per unit of work beyond the fixed cost, at point i */
static double unit_time(const rl_rt_curve *c, size_t i, double node_overhead_s)
{
    double t = c->pts[i].time_s - node_overhead_s;
    return (t > 0 ? t : 0) / c->pts[i].x;
}

double rl_rt_curve_predict(const rl_rt_curve *c, double node_overhead_s, double x)
{
    if (!(x > 0) || c->n == 0)
        return node_overhead_s;
    double u;
    if (x <= c->pts[0].x) {
        u = unit_time(c, 0, node_overhead_s);
    } else if (x >= c->pts[c->n - 1].x) {
        u = unit_time(c, c->n - 1, node_overhead_s);
    } else {
        size_t i = 0;
        while (i + 2 < c->n && x >= c->pts[i + 1].x)
            i++;
        double u0 = unit_time(c, i, node_overhead_s), u1 = unit_time(c, i + 1, node_overhead_s);
        double f = (log(x) - log(c->pts[i].x)) / (log(c->pts[i + 1].x) - log(c->pts[i].x));
        u = u0 + f * (u1 - u0);
    }
    return node_overhead_s + u * x;
}

double rl_rt_curve_spread(const rl_rt_curve *c, double node_overhead_s)
{
    if (c->n < 3)
        return 0;
    rl_rt_point *rest = malloc((c->n - 1) * sizeof *rest);
    if (!rest)
        return 0;
    double sum = 0;
    size_t used = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t m = 0;
        for (size_t j = 0; j < c->n; j++)
            if (j != i)
                rest[m++] = c->pts[j];
        rl_rt_curve without = {.pts = rest, .n = m};
        double pred = rl_rt_curve_predict(&without, node_overhead_s, c->pts[i].x);
        if (!(pred > 0))
            continue;
        double r = log(c->pts[i].time_s / pred);
        sum += r * r;
        used++;
    }
    free(rest);
    return used ? sqrt(sum / (double)used) : 0;
}

size_t rl_rt_curve_nearest(const rl_rt_curve *c, double x, double *ratio)
{
    size_t best = 0;
    double best_d = INFINITY;
    for (size_t i = 0; i < c->n && x > 0; i++) {
        double d = fabs(log(x / c->pts[i].x));
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    if (ratio)
        *ratio = isfinite(best_d) ? exp(best_d) : INFINITY;
    return best;
}
