/* machine.h: the text rendering of a result's machine description and theoretical roofline, used by
 * `roofline probe` and as the first part of the full report. */
#ifndef RL_REPORT_MACHINE_H
#define RL_REPORT_MACHINE_H

#include "common/buf.h"
#include "result/result.h"

/* Appends the machine section (identity, topology, caches, clock, DRAM) and the theoretical section
 * (FLOPs/cycle/core, peaks per thread count at the measured and nominal clock, DRAM ridge points),
 * then the result's warnings. */
void rl_report_machine(rl_buf *b, const rl_result *r);

/* The "Under load" line: the clocks measured (or given) under each ISA family's load, per thread
 * count, e.g. "avx512f 1.500 GHz (--clock); scalar 2.200 GHz (--clock)". Nothing when none. */
void rl_report_isa_clocks(rl_buf *b, const rl_machine *m);

#endif
