/* gpu_theory.h: a GPU's theoretical roofline from its own properties: compute units (SMs), clocks,
 * memory bus, and a per-compute-capability table of FLOPs per SM per cycle for each path (CUDA
 * cores, tensor cores) and precision. Pure arithmetic on rl_gpu_info, so tests feed it the
 * properties of GPUs this machine does not have (tests/data/gpu/). */
#ifndef RL_GPU_THEORY_H
#define RL_GPU_THEORY_H

#include "common/err.h"
#include "kernels/cuda/gpu_abi.h"
#include "result/result.h"

/* FLOPs (integer OPs for int8) per SM per cycle, dense (no structured sparsity); 0 where the path
 * does not exist or no source gives the figure. Tensor rates are for fp32 accumulation
 * (fp16/bf16/fp8) and int32 accumulation (int8), what the measured kernels use. */
typedef struct rl_gpu_rates {
    int cc; /* major * 10 + minor */
    const char *family;
    double fp64, fp32, fp16, bf16;                        /* CUDA cores (fp16/bf16: paired x2) */
    double t_fp64, t_tf32, t_fp16, t_bf16, t_fp8, t_int8; /* tensor cores */
    double smem_bytes_per_cycle;                          /* shared memory per SM */
} rl_gpu_rates;

/* The table row for a compute capability, or NULL when it is not in the table. */
const rl_gpu_rates *rl_gpu_rates_for(int cc_major, int cc_minor);

/* The rates table's rows, for the sources test: row i's family and its docs/sources.md keys
 * (space separated; "" when the row has none). Returns 0 past the last row. */
int rl_gpu_rates_row_source(size_t i, const char **name, const char **source);

/* 1 for GeForce parts of compute capability 8.6, 8.9 and 12.x: their tensor cores run fp32-
 * accumulated fp16/bf16/fp8 and tf32 at half the table's (professional parts') rate. */
int rl_gpu_is_geforce_halved(const rl_gpu_info *in);

/* FLOPs per SM per cycle for `path` ("cuda-core", "tensor") and `precision` on this device, after
 * the GeForce rule; 0 unknown. */
double rl_gpu_per_sm_cycle(const rl_gpu_info *in, const char *path, const char *precision);

/* Peak GFLOP/s = SMs x per-cycle x clock_ghz; <0 unknown. */
double rl_gpu_peak_gflops(const rl_gpu_info *in, const char *path, const char *precision,
                          double clock_ghz);

/* Theoretical device-memory bandwidth, GB/s: 2 (double data rate) x the memory clock the driver
 * reports x bus width / 8. <0 when either is unknown. */
double rl_gpu_dram_gbs(const rl_gpu_info *in);

/* PCIe, per direction, before protocol overhead (TLP headers, flow control): lanes x the
 * generation's transfer rate x its line coding. Gen1 2.5 GT/s and Gen2 5 GT/s at 8b/10b; Gen3
 * 8 GT/s, Gen4 16, Gen5 32 at 128b/130b; Gen6 64 GT/s PAM4 with 242/256 FLIT efficiency (PCI-SIG
 * base specifications). Gen5 x16 = 63.0 GB/s. <0 when either is unknown. */
double rl_gpu_pcie_gbs(int gen, int width);

/* One NVLink link, per direction, by the GPU generation that drives it (NVIDIA's whitepapers):
 * NVLink 1 (P100) 20 GB/s; NVLink 2, 3 and 4 (V100, A100, H100/H200) 25 GB/s; NVLink 5 (B200)
 * 50 GB/s. By compute capability, not by NVML's version field, whose numbering changed between
 * driver releases. <0 for a GPU without NVLink or not in the list. */
double rl_gpu_nvlink_gbs_per_link(int cc_major, int cc_minor);

/* NVLink-C2C between a Grace CPU and a Hopper GPU: 450 GB/s per direction (900 GB/s both,
 * NVIDIA GH200 datasheet). */
#define RL_GPU_C2C_GBS 450.0

/* Fills d's identity, properties and theoretical figures (every path and precision the table has,
 * at the driver's peak SM clock; DRAM and shared-memory bandwidth). */
int rl_gpu_theory_fill(rl_device *d, const rl_gpu_info *in, rl_err *err);

#endif
