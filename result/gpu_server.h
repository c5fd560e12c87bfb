/* gpu_server.h: what a GPU server's bring-up looks for, derived from a result's devices: a PCIe
 * link that trained below its maximum, a GPU-to-GPU pair slower than the others, a power limit set
 * below the board's default, and the odd GPU out (a GPU whose ceilings fell below the median of
 * its siblings of the same model), each named with the figure that fell and, where NVML sampled
 * it, why its clock fell. Also the sentence each row carries about its SM clock.
 *
 * Everything here is derived from the result (the reports render it, the JSON writes it beside the
 * figures and the reader derives it again), so a hand-edited finding cannot disagree with the
 * figures. */
#ifndef RL_GPU_SERVER_H
#define RL_GPU_SERVER_H

#include <stddef.h>

#include "common/err.h"
#include "result/result.h"

/* Defaults, as the fleet's for nodes: a GPU is the odd one out when a compute ceiling is more than
 * 5% (memory: 10%) below the median of its siblings; a GPU-to-GPU pair when its copy is more than
 * 10% below the median of the pairs copying the same way; a power limit more than 5% below the
 * board's default. Siblings: at least RL_GPU_MIN_SIBLINGS GPUs of one model (with two, the median
 * cannot say which one fell). */
#define RL_GPU_ODD_COMPUTE_THRESHOLD 0.05
#define RL_GPU_ODD_MEMORY_THRESHOLD  0.10
#define RL_GPU_P2P_THRESHOLD         0.10
#define RL_GPU_POWER_LIMIT_THRESHOLD 0.05
#define RL_GPU_MIN_SIBLINGS          3

typedef enum rl_gpu_finding_kind {
    RL_GPU_FINDING_LINK,        /* PCIe trained below its maximum */
    RL_GPU_FINDING_P2P,         /* a GPU-to-GPU pair below the others */
    RL_GPU_FINDING_POWER_LIMIT, /* power limit below the default */
    RL_GPU_FINDING_ODD_GPU,     /* a ceiling below the siblings' median */
} rl_gpu_finding_kind;

typedef struct rl_gpu_finding {
    int kind;         /* rl_gpu_finding_kind */
    size_t device;    /* index into r->devices (P2P: the source) */
    char what[40];    /* the figure that fell: "PCIe link", "fp32", "p2p peer gpu2 -> gpu6" */
    double value;     /* the device's figure */
    double reference; /* what it fell below: the maximum, the median, the default */
    double shortfall; /* 1 - value / reference */
    char text[512];   /* the finding in one sentence, device named first */
} rl_gpu_finding;

typedef struct rl_gpu_findings {
    rl_gpu_finding *items;
    size_t n;
} rl_gpu_findings;

/* Derives the findings of r with the given thresholds (fractions; <=0: the defaults above).
 * Returns 0, or -1 with err (out of memory). rl_gpu_findings_free accepts a zeroed one. */
int rl_gpu_findings_of(const rl_result *r, double compute_thr, double memory_thr,
                       rl_gpu_findings *out, rl_err *err);
void rl_gpu_findings_free(rl_gpu_findings *f);

/* NVML's clock event reason bit i in words ("SW power cap", "HW thermal slowdown"); "?" past the
 * last. */
const char *rl_gpu_reason_name(int bit);

/* The reasons set in at least 10% of a row's samples, the idle bit left out: "SW power cap (100%
 * of samples), sync boost (40%)"; "none reported" when NVML sampled and none was set; "" when not
 * sampled. */
void rl_gpu_reasons_text(const rl_device_power *p, char *out, size_t size);

/* The sentence a row carries about its SM clock (`clock_ghz` measured inside the kernel) against
 * the device's peak: at the peak, or fallen and why (the reasons NVML reported, the power against
 * the limit, the temperature), or that NVML was not there to say. */
void rl_gpu_clock_why(const rl_device *d, const rl_device_power *p, double clock_ghz, char *out,
                      size_t size);

#endif
