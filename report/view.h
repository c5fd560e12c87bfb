/* view.h: what every renderer derives the same way from a result: number formatting, the best
 * measurement per key, the ceilings a chart draws, and the warnings that close a report.
 *
 * Renderers (summary, markdown, csv, svg, compare) only read a result; putting these choices in one
 * place keeps the terminal, the tables and the chart showing the same numbers. Sizes in bytes are
 * written by common/bytes.h, which the runner's notes use too. */
#ifndef RL_VIEW_H
#define RL_VIEW_H

#include <stddef.h>

#include "common/buf.h"
#include "result/result.h"

/* Above this measured/theoretical ratio a figure is flagged as suspicious, never praised. */
#define RL_VIEW_SUSPICIOUS 1.01

/* 3-4 significant digits ("1234", "98.2", "3.10", "0.125"); unknown (negative, NaN) is `missing`.
 */
const char *rl_view_num(char *out, size_t size, double v, const char *missing);
/* A ratio as a percentage ("98.7%"); unknown is `missing`. */
const char *rl_view_pct(char *out, size_t size, double ratio, const char *missing);
/* (best - worst) / best of a measurement's repeats, or -1 when unknown. */
double rl_view_spread(double best, double worst);

/* The best compute figure for (isa, precision) at `threads` (<= 0: the most threads measured). */
const rl_flops *rl_view_best_flops(const rl_result *r, const char *isa, const char *precision,
                                   int threads);
/* The best counted bandwidth for `level` (kernel NULL: any) at `threads` (<= 0: the most). */
const rl_bandwidth *rl_view_best_bandwidth(const rl_result *r, const char *level,
                                           const char *kernel, int threads);
/* The theoretical ridge for (isa, precision, level) at `threads`, else at its most threads. */
const rl_ridge *rl_view_theory_ridge(const rl_result *r, const char *isa, const char *precision,
                                     const char *level, int threads);

/* The roofline a chart or a comparison draws: one compute ceiling per (ISA, precision) at the most
 * threads measured, one memory ceiling per level (best counted GB/s at the most threads). */
typedef struct rl_view_compute {
    char isa[24], precision[8], unit[8];
    char core_type[24]; /* hybrid CPUs: one core type's own ceiling; "" the machine's */
    int threads;
    double gflops;      /* measured */
    double theoretical; /* at the measured clock; <0 unknown */
} rl_view_compute;

typedef struct rl_view_memory {
    char level[8], kernel[16];
    int threads;
    double gbs; /* measured, counted */
} rl_view_memory;

typedef struct rl_view_roof {
    rl_view_compute compute[64];
    size_t n_compute;
    rl_view_memory memory[8];
    size_t n_memory;
} rl_view_roof;

void rl_view_roof_of(const rl_result *r, rl_view_roof *roof);

/* The same for another device (a GPU): one compute ceiling per (path, precision), its best measured
 * figure and the theory at the clock measured during it; one memory ceiling per level, its best
 * kernel. `threads` holds the device's compute units (SMs). */
void rl_view_device_roof(const rl_device *d, rl_view_roof *roof);
/* The same ceilings in energy: each row's rate per joule (its best over its average power, NVML);
 * rows NVML did not sample are left out, and there is no theory. */
void rl_view_device_energy_roof(const rl_device *d, rl_view_roof *roof);

/* Appends the warnings that close a report, one line each ("\n"-terminated), in a fixed order: a
 * partial run, the result's own warnings, suspicious efficiencies, noise, what was not run and why,
 * unknown clock or DRAM figures, each measurement's note. Returns the number of lines. */
size_t rl_view_warnings(const rl_result *r, rl_buf *out);

/* "AMD EPYC 7B13 64-Core Processor (zen3)"-style one-line machine name. */
void rl_view_machine_name(const rl_result *r, char *out, size_t size);

#endif
