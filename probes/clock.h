/* clock.h: the core clock, measured, and the nominal one for comparison.
 *
 * Measured: a dependent chain of 1-cycle integer adds timed against CLOCK_MONOTONIC on the calling
 * thread, repeated until successive estimates agree: the frequency the core really runs at under
 * load (a VM's /proc/cpuinfo shows the TSC rate instead). */
#ifndef RL_CLOCK_H
#define RL_CLOCK_H

#include "common/err.h"

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

#endif
