/* document.c: a result, fleet or model file of either form (see document.h). */
#include "result/document.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/htmldata.h"

int rl_document_read(const char *path, rl_document *d, rl_err *err)
{
    memset(d, 0, sizeof *d);
    size_t len = 0;
    char *text = rl_file_read_all(path, 1, "a roofline file", &len, err);
    if (!text)
        return -1;
    if (rl_htmldata_unwrap(text, &len, path, err) != 0) {
        free(text);
        return -1;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        free(text);
        return rl_err_set(err, RL_EXIT_INPUT, "%s: not valid JSON (near byte %zu%s)", path, off,
                          off >= len ? ", the file ends early" : "");
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    char name[64] = "";
    if (cJSON_IsObject(root) && cJSON_IsString(schema))
        snprintf(name, sizeof name, "%s", schema->valuestring);
    cJSON_Delete(root);
    int rc = 0;
    if (!strcmp(name, RL_SCHEMA)) {
        d->kind = RL_DOC_RESULT;
        d->result = rl_result_from_json(text, len, path, err);
        rc = d->result ? 0 : -1;
    } else if (!strcmp(name, RL_FLEET_SCHEMA)) {
        d->kind = RL_DOC_FLEET;
        d->fleet = rl_fleet_from_json(text, len, path, err);
        rc = d->fleet ? 0 : -1;
    } else if (!strcmp(name, RL_MODEL_DOC_SCHEMA)) {
        d->kind = RL_DOC_MODEL;
        d->model_json = text;
        return 0;
    } else {
        rc = rl_err_set(err, RL_EXIT_INPUT,
                        "%s: %s%s%s: not a roofline result, fleet or model (schema %s, %s or %s)",
                        path, name[0] ? "schema '" : "no \"schema\" member", name[0] ? name : "",
                        name[0] ? "'" : "", RL_SCHEMA, RL_FLEET_SCHEMA, RL_MODEL_DOC_SCHEMA);
    }
    free(text);
    return rc;
}

void rl_document_free(rl_document *d)
{
    if (!d)
        return;
    rl_result_free(d->result);
    rl_fleet_free(d->fleet);
    free(d->model_json);
    memset(d, 0, sizeof *d);
}
