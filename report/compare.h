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

/* `names` label the inputs (file names). n in [2, RL_COMPARE_MAX] (checked: -1 RL_EXIT_USAGE). */
int rl_report_compare(rl_buf *b, const rl_result *const *rs, const char *const *names, size_t n,
                      rl_compare_format format, rl_err *err);

#endif
