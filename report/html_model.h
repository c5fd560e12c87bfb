/* html_model.h: a model's analysis (`roofline model ... --html FILE`) as one HTML page, rendered
 * from the model's JSON (schema roofline-model/1, model/output.h), which the page also embeds: so
 * `roofline publish` renders a saved model file the same way, with no model code.
 *
 * Three forms, as the JSON has them: a whole model (every costed layer a point on the machine's
 * roofline: a triangle when compute-bound, a circle when memory-bound, its area following its share
 * of the FLOPs, hover or focus for name, op, FLOPs, bytes, intensity, bound and roofline time; the
 * layer table sortable and filterable; the totals), a sweep (`--sweep`: each value a point on the
 * roofline and a row of the table), and the quick form (`--flops --bytes`: one point). */
#ifndef RL_HTML_MODEL_H
#define RL_HTML_MODEL_H

#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

#define RL_HTML_MODEL_SCHEMA "roofline-model/1"

/* `json` is the model's JSON text, `name` the file it came from (in messages). RL_EXIT_INPUT when
 * it is not valid JSON of that schema. */
int rl_report_model_html(rl_buf *b, const char *json, size_t len, const char *name, rl_err *err);

#endif
