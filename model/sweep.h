/* sweep.h: one model analysed at several values of a symbolic dimension (`roofline model DEC.onnx
 * --sweep past_sequence=0,128,512,2048`): for each value the shapes are inferred again, every node
 * costed and placed on the machine's roofline, and one record kept with the totals a reader of an
 * LLM's decode and prefill needs: FLOPs, bytes split into weights, KV cache and activations,
 * intensity, which side of the ridge it falls, roofline time and tokens per second.
 *
 * The split: weights are the bytes nodes read from initializers (packed at their data type, a
 * fused weight DequantizeLinear's inputs included, see cost.h); the KV cache is what nodes read
 * from graph inputs whose name holds "past" or "cache" (past_key_values.0.key, cache_k, ...): the
 * cache a decode step must read once; activations are every other byte read or written (the
 * copies a graph makes when it concatenates the new token's keys to the cache count here).
 * Tokens per run: the element count of the first rank-2 integer graph input (input_ids
 * [batch, sequence]). */
#ifndef RL_SWEEP_H
#define RL_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "model/roof.h"
#include "model/shape.h"

#define RL_SWEEP_MAX 64 /* values in one sweep */

typedef struct rl_sweep_point {
    int64_t value;
    double flops, bytes; /* bytes read + written */
    double weight_bytes, kv_bytes, act_bytes;
    double intensity; /* flops / bytes */
    double tokens;    /* per run; < 0 unknown */
    /* with a machine */
    double time_s;           /* sum of per-node roofline times */
    double compute_s;        /* ... of which in compute-bound nodes */
    double tokens_per_s;     /* tokens / time_s; < 0 unknown */
    int bound;               /* RL_BOUND_COMPUTE when most of time_s is in compute-bound nodes */
    size_t nodes_not_costed; /* > 0: the figures are a lower bound */
} rl_sweep_point;

typedef struct rl_sweep {
    char dim[128];
    int64_t values[RL_SWEEP_MAX];
    size_t n;
    /* filled by rl_sweep_run */
    const char *file;
    const rl_roof_machine *machine; /* NULL: no time, bound or tokens/s */
    const rl_shape_opts *fixed;     /* the other --dim values, for the header */
    rl_sweep_point pts[RL_SWEEP_MAX];
    char unknown_dims[512]; /* dims left unknown at the first value ("input 'x' dim 0 'batch'; ...")
                             */
} rl_sweep;

/* Parses "DIM=V1,V2,..." (each value a whole number >= 0, at most RL_SWEEP_MAX of them).
 * RL_EXIT_USAGE with a message naming --sweep and the value at fault. */
int rl_sweep_parse(const char *spec, rl_sweep *s, rl_err *err);

/* Loads `path` once and analyses it at every value of s->dim beside the dims in `opts` (which
 * must not name s->dim; their `used` flags are set as a plain analysis sets them). `mc` may be
 * NULL. Errors: RL_EXIT_USAGE when s->dim is also in opts or no graph input has that dimension,
 * RL_EXIT_INPUT for a bad file, RL_EXIT_RUNTIME when out of memory. */
int rl_sweep_run(rl_sweep *s, const char *path, rl_shape_opts *opts, const rl_roof_machine *mc,
                 rl_err *err);

/* Renderings: a table (terminal), one CSV row per value, and JSON (schema RL_MODEL_SCHEMA with a
 * `sweep` member holding one record per value; malloc'd, caller frees, or NULL with err). */
void rl_sweep_text(const rl_sweep *s, rl_buf *out);
void rl_sweep_csv(const rl_sweep *s, rl_buf *out);
char *rl_sweep_json(const rl_sweep *s, rl_err *err);

#endif
