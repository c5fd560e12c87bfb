/* document.h: any file roofline writes and reads back, whichever kind it is: a result (schema
 * roofline/1), a fleet (roofline-fleet/1) or a model analysis (roofline-model/1), as JSON or as a
 * page written by --html (its embedded JSON). `roofline publish` takes any mix of them.
 *
 * The file is read once; a damaged file (unreadable, not JSON, a field missing or mistyped) and a
 * foreign one (JSON of another schema) are RL_EXIT_INPUT with the file named and the reason. */
#ifndef RL_DOCUMENT_H
#define RL_DOCUMENT_H

#include "common/err.h"
#include "result/fleet.h"
#include "result/result.h"

#define RL_MODEL_DOC_SCHEMA "roofline-model/1"

typedef enum rl_doc_kind { RL_DOC_RESULT, RL_DOC_FLEET, RL_DOC_MODEL } rl_doc_kind;

typedef struct rl_document {
    rl_doc_kind kind;
    rl_result *result; /* RL_DOC_RESULT */
    rl_fleet *fleet;   /* RL_DOC_FLEET */
    char *model_json;  /* RL_DOC_MODEL: the JSON text, NUL-terminated (model/ has no reader: the
                          renderers read the JSON itself) */
} rl_document;

int rl_document_read(const char *path, rl_document *d, rl_err *err);
void rl_document_free(rl_document *d); /* accepts a zeroed document */

#endif
