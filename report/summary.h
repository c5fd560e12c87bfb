/* summary.h: the terminal summary a person reads after a run or `roofline report`.
 *
 * The machine, then compute ceilings (ISA x precision x threads: measured, theoretical at the
 * measured clock, efficiency), memory ceilings (level x kernel x threads: counted and traffic GB/s,
 * theoretical DRAM), ridge points I_max measured and theoretical per precision, and the warnings.
 * Every number is labelled measured or theoretical/derived. */
#ifndef RL_SUMMARY_H
#define RL_SUMMARY_H

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

/* Appends the summary to `b`. Returns 0, or -1 with err on allocation failure. */
int rl_report_summary(rl_buf *b, const rl_result *r, rl_err *err);

#endif
