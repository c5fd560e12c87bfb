/* compare.h: saved results side by side (`roofline compare A.json B.json ...`).
 *
 * One row per figure (clock, compute per ISA/precision at 1 thread and at the most threads run,
 * memory per level/kernel likewise, DRAM ridge points, theoretical DRAM), one column per input and,
 * for every input after the first, its ratio to the first. Rows no input has are left out; a figure
 * one input lacks shows "-". */
#ifndef RL_COMPARE_H
#define RL_COMPARE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

#define RL_COMPARE_MAX 10

typedef enum rl_compare_format {
    RL_COMPARE_TEXT,
    RL_COMPARE_MARKDOWN,
    RL_COMPARE_CSV,
} rl_compare_format;

/* One row of the comparison: its label ("avx2-fma fp64, most threads"), unit and each input's
 * figure (<0: that input lacks it). Rows no input has are left out. */
typedef struct rl_compare_row {
    char label[128];
    char unit[16];
    double v[RL_COMPARE_MAX];
    int integer;          /* a count (cores): printed whole */
    int higher_is_better; /* 0 where neither end is better (a ridge point) */
} rl_compare_row;

/* The rows every rendering shows, in order; *rows is malloc'd (caller frees). n in [2,
 * RL_COMPARE_MAX] (checked: -1 RL_EXIT_USAGE). */
int rl_compare_rows(const rl_result *const *rs, size_t n, rl_compare_row **rows, size_t *n_rows,
                    rl_err *err);

/* `names` label the inputs (file names). n in [2, RL_COMPARE_MAX] (checked: -1 RL_EXIT_USAGE). */
int rl_report_compare(rl_buf *b, const rl_result *const *rs, const char *const *names, size_t n,
                      rl_compare_format format, rl_err *err);

#endif
