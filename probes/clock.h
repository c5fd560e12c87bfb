/* clock.h: the core clock, measured, and the nominal one for comparison.
 *
 * Measured: a dependent chain of 1-cycle integer adds timed against CLOCK_MONOTONIC on the calling
 * thread, repeated until successive estimates agree: the frequency the core really runs at under
 * load (a VM's /proc/cpuinfo shows the TSC rate instead). */
#ifndef RL_CLOCK_H
#define RL_CLOCK_H

#include "common/err.h"
#include "result/result.h"

/* Full measurement (about 50-200 ms): repeats until stable. On an architecture without an add
 * chain (x86 has one) it measures nothing: *ghz = -1 and an error that says why. */
int rl_clock_measure(double *ghz, rl_err *err);

/* One short estimate (about 5-10 ms), for the clock just before and after a kernel; -1 when not
 * measured (as above). */
double rl_clock_measure_quick(void);

/* Nominal clock: brand string ("@ 2.40GHz"), sysfs cpuinfo_max_freq, or /proc/cpuinfo MHz, in that
 * order; source names which. Returns -1 when none is known. */
double rl_clock_nominal(const char *brand, char *source, unsigned long source_size);

/* Monotonic time in seconds. */
double rl_clock_now(void);

/* ---- the clock under each ISA's load ---------------------------------------------------------
 * Measured by kernels/isaclock.h's kernels (runner/flops.c runs them on each thread count's team)
 * or given with --clock ISA=GHZ, and kept in rl_machine.per_isa by family. */

/* The clock family an ISA name belongs to: "scalar", "sse2", "avx", "avx2-fma" (avx2-fma,
 * avx2-fma+add, avx_vnni and the short form avx2), "avx512f" (every avx512* name), "amx" (every
 * amx* name: AMX has licence levels of its own, which no kernel here measures); NULL for a name
 * that is none of these. */
const char *rl_clock_family(const char *isa);

/* The entry of m->per_isa for exactly this family and thread count, or NULL. */
const rl_isa_clock *rl_clock_find(const rl_machine *m, const char *family, int threads);

/* The clock a row of ISA `isa` at `threads` cores is quoted at: the family's entry measured at that
 * thread count, else its --clock entry (threads 0); AMX, which has no kernel of its own, takes the
 * AVX-512 figure (its method then says so). Returns the GHz and sets *method (may be NULL), or -1
 * when there is none. */
double rl_clock_for(const rl_machine *m, const char *isa, int threads, const char **method);

#endif
