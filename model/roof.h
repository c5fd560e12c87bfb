/* roof.h: a machine's roofline (one peak, one bandwidth) and models placed on it.
 *
 * Per node: attainable = min(peak, intensity x bandwidth), time = FLOPs / attainable (for a node
 * without FLOPs: bytes / bandwidth), compute-bound when intensity >= the ridge peak / bandwidth.
 * The model's predicted time is the sum over nodes: one node at a time, each at its own roof. */
#ifndef RL_ROOF_H
#define RL_ROOF_H

#include "common/err.h"
#include "model/cost.h"
#include "model/shape.h"
#include "result/result.h"

typedef struct rl_roof_machine {
    double peak_gflops;
    double bw_gbs;
    char peak_source[160]; /* "measured: avx2-fma fp32, 2 threads", "theoretical: ...", "--peak" */
    char bw_source[160];
    char name[128];    /* CPU brand, or "typed in" */
    char precision[8]; /* of peak_gflops: "fp32", ...; "" typed in without --precision */
    /* The int8 roof (GOP/s) for nodes that compute in int8 (quant.h): the best int8 row of the
     * result (VNNI, AVX-VNNI, AMX: measured, else theoretical) at the largest thread count; 0 when
     * the machine has none, and such nodes then go on peak_gflops (the output says so). */
    double int8_gops;
    char int8_source[160];
} rl_roof_machine;

/* Figures the user gave that replace the result's: a value > 0 is taken as is, with its source
 * text ("--peak", "--bandwidth"); 0 means "from the result". */
typedef struct rl_roof_override {
    double peak_gflops;
    const char *peak_source;
    double bw_gbs;
    const char *bw_source;
} rl_roof_override;

/* From a result: peak = best measured flops entry of `precision` at the largest thread count,
 * bandwidth = best measured DRAM figure (counted bytes) at the largest thread count; theoretical
 * figures when measurements are absent, and the sources say which. FMA+ADD mix kernels
 * ("avx2-fma+add") are never taken as the peak. `over` (may be NULL) replaces either figure, and
 * a replaced figure need not be in the result. RL_EXIT_INPUT when a figure is in neither. */
int rl_roof_from_result(const rl_result *r, const char *precision, const rl_roof_override *over,
                        const char *file, rl_roof_machine *m, rl_err *err);

/* From one of a result's other devices (a GPU): peak = its best measured compute ceiling of
 * `precision` in GFLOP/s over every path (tensor cores win for bf16/fp16, the CUDA cores for
 * fp32/fp64, where the tensor path computes in another precision), bandwidth = its best
 * device-memory figure; its theoretical figures where nothing was measured. */
int rl_roof_from_device(const rl_device *d, const char *precision, const rl_roof_override *over,
                        const char *file, rl_roof_machine *m, rl_err *err);

/* Roofline time of `flops` and `bytes`: returns seconds; bound and attainable GFLOP/s via pointers
 * (either may be NULL). */
double rl_roof_time(double flops, double bytes, const rl_roof_machine *m, int *bound,
                    double *attainable_gflops);

/* The peak node n goes on: the int8 roof for an int8 node when the machine has one, else the
 * machine's peak. *int8 (may be NULL) says whether it was the int8 roof. */
double rl_roof_node_peak(const rl_node *n, const rl_roof_machine *m, int *int8);

/* Places every costed node (int8 nodes on the int8 roof); returns the total predicted time in
 * seconds. */
double rl_roof_place(rl_graph *g, const rl_roof_machine *m);

typedef struct rl_profile_stats {
    size_t events;          /* Node kernel events read */
    size_t nodes_matched;   /* graph nodes with a measured time */
    size_t names_unmatched; /* profile node names not in the graph (fused or renamed by ORT) */
    double matched_s;       /* per run */
    double unmatched_s;     /* per run */
    int runs;               /* profiled runs (events per node name, most common) */
} rl_profile_stats;

/* Reads an ONNX Runtime profile (Chrome-trace JSON array; `Node` events "<node>_kernel_time",
 * dur in microseconds) and sets each node's measured_s to its mean time per run, matched by name.
 */
int rl_roof_profile_read(const char *path, rl_graph *g, rl_profile_stats *st, rl_err *err);

/* The same from a buffer (`path` names it in errors): the entry point the fuzzer uses. */
int rl_roof_profile_parse(const char *text, size_t len, const char *path, rl_graph *g,
                          rl_profile_stats *st, rl_err *err);

#endif
