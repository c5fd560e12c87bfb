/* helpers.h: what several test files need: running the built binary, finding fixtures. */
#ifndef RL_TEST_HELPERS_H
#define RL_TEST_HELPERS_H

#include <stddef.h>

/* Runs `$RL_BIN <args>` through /bin/sh (args is shell text), captures stdout and stderr (malloc'd,
 * NUL-terminated; pass NULL to discard) and returns the exit status (128+signal if killed). */
int rl_test_run(const char *args, char **out, char **err);

/* rl_test_run expecting exit status want_rc and stdout in JSON (asserted): the parsed document,
 * for cJSON_Delete. */
struct cJSON *rl_test_run_json(const char *args, int want_rc);

/* Member k of object o, asserted to be a number. */
double rl_test_num(const struct cJSON *o, const char *k);

/* Path of the built binary ($RL_BIN), the shared folder ($RL_SHARED, default ../shared), and
 * tests/data. Returned strings are static. */
const char *rl_test_bin(void);
const char *rl_test_shared(void);

/* Reads a whole file (malloc'd, NUL-terminated) or returns NULL. */
char *rl_test_slurp(const char *path, size_t *len);

/* The JSON document in file `path` (asserted readable and valid), for cJSON_Delete. */
struct cJSON *rl_test_json_file(const char *path);

/* A fresh temporary directory for the calling test (static string). */
const char *rl_test_tmpdir(void);

#endif
