/* output.h: a model's analysis as a per-layer table (terminal), JSON and CSV. The SVG chart is in
 * model_svg.h. Writers build the whole text in memory; cli/ writes it with rl_outfile_write. */
#ifndef RL_MODEL_OUTPUT_H
#define RL_MODEL_OUTPUT_H

#include "common/buf.h"
#include "common/err.h"
#include "model/model.h"
#include "model/predict.h"
#include "model/roof.h"

typedef struct rl_model_view {
    const rl_model *m;
    const rl_roof_machine *machine; /* NULL: no roofline placement */
    double time_s;                  /* predicted total, with a machine */
    const rl_profile_stats *prof;   /* NULL: no profile */
    int all_nodes;                  /* table: also show folded nodes (Constant, shape math) */
    /* --runtime: the prediction for one runtime (NULL: none, and the outputs are the bound's) */
    const rl_prediction *pred;
    int threads;          /* the profile's entry used */
    const char *cpu_here; /* the CPU predicted for (--machine's, or this machine's) */
    int cpu_mismatch;     /* the profile was calibrated on another CPU (--runtime-any-cpu) */
} rl_model_view;

#define RL_MODEL_SCHEMA "roofline-model/1"

void rl_model_table(const rl_model_view *v, rl_buf *out);
void rl_model_csv(const rl_model_view *v, rl_buf *out);
/* malloc'd JSON text (caller frees), or NULL with err. */
char *rl_model_json(const rl_model_view *v, rl_err *err);

/* The quick form (`roofline model --flops N --bytes N`): one workload placed on a machine's
 * roofline, as three lines of text, or as JSON (schema RL_MODEL_SCHEMA; malloc'd, caller frees, or
 * NULL with err). */
void rl_model_quick_text(double flops, double bytes, const rl_roof_machine *mc, rl_buf *out);
char *rl_model_quick_json(double flops, double bytes, const rl_roof_machine *mc, rl_err *err);

/* Appends `text` wrapped at `width` columns, each line starting with `indent`. */
void rl_model_wrap(rl_buf *b, const char *text, size_t width, const char *indent);

/* "4.09 G", "25.5 M", "812 k", "12" */
void rl_model_fmt_si(double x, char *out, size_t size);

#endif
