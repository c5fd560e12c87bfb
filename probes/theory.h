/* theory.h: the theoretical roofline of a described machine: FLOPs/cycle/core per ISA and precision
 * (from probes/uarch), peak GFLOP/s = threads x clock x FLOPs/cycle at the measured and the nominal
 * clock, DRAM bandwidth (probes/memory), and the DRAM ridge point I_max = peak / bandwidth.
 *
 * Reads r->machine (clock, cores) and fills r->theory. Pure arithmetic: tests feed it synthetic
 * machines (the seed's Xeon Silver 4210 and i5-6300U figures). */
#ifndef RL_THEORY_H
#define RL_THEORY_H

#include <stddef.h>

#include "common/err.h"
#include "common/isa.h"
#include "probes/memory.h"
#include "probes/uarch.h"
#include "result/result.h"

/* `threads` lists the core counts to give peaks for (duplicates and counts <= 0 are skipped);
 * the ridge uses the largest. Replaces any theory already in r. */
int rl_theory_derive(rl_result *r, const rl_uarch *u, rl_isa_mask runnable, const rl_dram *dram,
                     const int *threads, size_t n_threads, rl_err *err);

/* Requotes the peaks and DRAM ridges at the clocks measured under each ISA's load
 * (r->machine.per_isa, filled by the compute stage after rl_theory_derive), where one is known for
 * the ISA and thread count; the others keep the add-chain clock. */
void rl_theory_apply_isa_clocks(rl_result *r);

/* FLOPs/cycle of `threads` cores together (r->theory filled by rl_theory_derive): a core type's
 * (core_type, e.g. "gracemont") cores alone, or with core_type "" the machine's, which on a hybrid
 * CPU whose core counts are known is the sum over its types, fastest cores first (threads x the
 * core's figure elsewhere). 0 when the ISA and precision have no row. */
double rl_theory_cores_fpc(const rl_theory *t, const char *isa, const char *precision,
                           const char *core_type, int threads);

/* The clock theoretical figures are quoted at: measured (or --clock) when known, else nominal;
 * <0 when neither. */
double rl_theory_clock(const rl_machine *m);

#endif
