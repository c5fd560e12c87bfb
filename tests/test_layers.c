/* test_layers.c: the folders are layers and data flows one way (cli -> runner -> probes, kernels
 * -> result; report only renders a result). This reads every #include in the library sources
 * (common, result, kernels, probes, runner, report, model, subfolders included) and fails on one
 * that points the wrong way, naming the file, the line and the rule. Run from the repository root,
 * as `make test` does. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"

/* The folders a layer must not include from. cli/ is the top: no library code includes it. */
typedef struct layer_rule {
    const char *layer;
    const char *forbidden[8];
} layer_rule;

static const layer_rule RULES[] = {
    {"common", {"result", "probes", "kernels", "runner", "report", "model", "cli", NULL}},
    {"result", {"probes", "kernels", "runner", "report", "model", "cli", NULL}},
    {"kernels", {"probes", "runner", "report", "model", "cli", NULL}},
    {"probes", {"runner", "report", "model", "cli", NULL}},
    {"runner", {"report", "model", "cli", NULL}},
    /* report may include result/, common/ and itself only. */
    {"report", {"probes", "kernels", "runner", "model", "cli", NULL}},
    {"model", {"kernels", "runner", "cli", NULL}},
};
#define N_RULES (sizeof RULES / sizeof RULES[0])

/* The top folder an #include line names ("runner" for `#include "runner/bandwidth.h"`), written to
 * `top`; 0 when the line is no #include or names a file without a folder. */
static int include_top(const char *line, char *top, size_t size)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '#')
        return 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "include", 7) != 0)
        return 0;
    p += 7;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '"' && *p != '<')
        return 0;
    p++;
    size_t n = strcspn(p, "/\">");
    if (p[n] != '/' || n == 0 || n >= size)
        return 0;
    memcpy(top, p, n);
    top[n] = '\0';
    return 1;
}

/* Appends to `out` one line per include of `text` (the file `path` of layer `rule`) that the rule
 * forbids; returns how many. */
static int check_text(const layer_rule *rule, const char *path, const char *text, rl_buf *out)
{
    int bad = 0, lineno = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[512], top[64];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
        lineno++;
        if (include_top(buf, top, sizeof top))
            for (int k = 0; rule->forbidden[k]; k++)
                if (strcmp(top, rule->forbidden[k]) == 0) {
                    rl_buf_printf(out, "%s:%d: %s/ must not include %s/: %s\n", path, lineno,
                                  rule->layer, top, buf);
                    bad++;
                }
        line += len + (end ? 1 : 0);
    }
    return bad;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *p = realloc(buf, cap);
            cr_assert_not_null(p);
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static int is_source(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

/* Checks every .c and .h under `dir` (recursively) against `rule`; counts files in *files. */
static int check_dir(const layer_rule *rule, const char *dir, int *files, rl_buf *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int bad = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            bad += check_dir(rule, path, files, out);
        } else if (S_ISREG(st.st_mode) && is_source(e->d_name)) {
            char *text = slurp(path);
            cr_assert_not_null(text, "%s", path);
            bad += check_text(rule, path, text, out);
            free(text);
            (*files)++;
        }
    }
    closedir(d);
    return bad;
}

Test(layers, no_include_points_the_wrong_way)
{
    rl_buf out = {0};
    int bad = 0;
    for (size_t i = 0; i < N_RULES; i++) {
        int files = 0;
        bad += check_dir(&RULES[i], RULES[i].layer, &files, &out);
        cr_assert_gt(files, 0, "no sources under %s/: run from the repository root",
                     RULES[i].layer);
    }
    /* Copied out so a failing assertion leaves no leak for the sanitizer to add to the report. */
    char msg[4096];
    snprintf(msg, sizeof msg, "%s", out.data ? out.data : "");
    int failed = out.failed;
    rl_buf_free(&out);
    cr_assert(!failed);
    cr_assert_eq(bad, 0, "%d include(s) against the layering:\n%s", bad, msg);
}

/* The checker itself: it must see what it is there to catch, and nothing else. */
Test(layers, checker_flags_forbidden_includes_only)
{
    const layer_rule *report = NULL;
    for (size_t i = 0; i < N_RULES; i++)
        if (strcmp(RULES[i].layer, "report") == 0)
            report = &RULES[i];
    cr_assert_not_null(report);
    rl_buf out = {0};
    const char *text = "/* report/x.c */\n"
                       "#include \"report/x.h\"\n"
                       "#include <stdio.h>\n"
                       "#include <sys/mman.h>\n"
                       "#include \"result/result.h\"\n"
                       " * #include \"runner/run.h\" in a comment\n"
                       "#  include \"runner/bandwidth.h\"\n"
                       "#include \"kernels/stream.h\"";
    int bad = check_text(report, "report/x.c", text, &out);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", out.data ? out.data : "");
    rl_buf_free(&out);
    cr_assert_eq(bad, 2, "%s", msg);
    cr_assert_not_null(strstr(msg, "report/x.c:7: report/ must not include runner/"), "%s", msg);
    cr_assert_not_null(strstr(msg, "report/x.c:8: report/ must not include kernels/"), "%s", msg);
}
