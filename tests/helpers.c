/* helpers.c: test helpers (see helpers.h). */
#include "tests/helpers.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *rl_test_bin(void)
{
    const char *b = getenv("RL_BIN");
    return b ? b : "./roofline";
}

const char *rl_test_shared(void)
{
    const char *s = getenv("RL_SHARED");
    return s ? s : "../shared";
}

char *rl_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n + 1 < cap)
            break;
        cap *= 2;
        char *p = realloc(buf, cap);
        if (!p) {
            free(buf);
            buf = NULL;
        }
        buf = p;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

cJSON *rl_test_json_file(const char *path)
{
    char *text = rl_test_slurp(path, NULL);
    cr_assert(text, "cannot read %s", path);
    cJSON *j = cJSON_Parse(text);
    free(text);
    cr_assert(j, "%s is not JSON", path);
    return j;
}

const char *rl_test_tmpdir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/roofline-test-XXXXXX");
    if (!mkdtemp(dir))
        return "/tmp";
    return dir;
}

int rl_test_run(const char *args, char **out, char **err)
{
    const char *dir = rl_test_tmpdir();
    char cmd[8192], outp[128], errp[128];
    snprintf(outp, sizeof outp, "%s/stdout", dir);
    snprintf(errp, sizeof errp, "%s/stderr", dir);
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>%s </dev/null", rl_test_bin(), args, outp, errp);
    int st = system(cmd);
    if (out)
        *out = rl_test_slurp(outp, NULL);
    if (err)
        *err = rl_test_slurp(errp, NULL);
    unlink(outp);
    unlink(errp);
    rmdir(dir);
    if (st == -1)
        return -1;
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
}

cJSON *rl_test_run_json(const char *args, int want_rc)
{
    char *out = NULL, *err = NULL;
    int rc = rl_test_run(args, &out, &err);
    cr_assert_eq(rc, want_rc, "%s: rc %d, stderr '%s'", args, rc, err);
    cJSON *j = cJSON_Parse(out);
    cr_assert(j, "%s: stdout is not JSON: '%.200s'", args, out);
    free(out);
    free(err);
    return j;
}

double rl_test_num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    cr_assert(cJSON_IsNumber(v), "no number '%s'", k);
    return v->valuedouble;
}
