/* gpu_abi.h: the C interface between roofline and its CUDA plugin (libroofline-cuda.so).
 *
 * The CUDA backend is a separate shared library so that the `roofline` binary runs on machines with
 * no NVIDIA driver, no CUDA toolkit and no GPU: probes/gpu.c dlopen()s the plugin when it exists
 * and asks it, through the one exported symbol rl_gpu_plugin_api(), for the devices and for
 * measured rates. The plugin links the CUDA runtime statically, so it needs only the driver's
 * libcuda.so.1, which the runtime itself loads on first use: without a driver every call reports
 * why, nothing crashes. Plain C types only; both sides check `abi` before anything else.
 *
 * What the plugin knows: how to run each kernel and how many FLOPs or bytes one launch does
 * (declared beside each kernel in kernels/cuda/peak.cu and stream.cu). What it does not: theory
 * (probes/gpu_theory.c, from the device's properties and a per-compute-capability table), reports,
 * files. */
#ifndef RL_GPU_ABI_H
#define RL_GPU_ABI_H

#include <stddef.h>
#include <stdint.h>

#define RL_GPU_ABI_VERSION 1

/* What the CUDA runtime says of one device. Clocks in kHz as the runtime gives them. */
typedef struct rl_gpu_info {
    int ordinal;
    char name[96];
    char pci_bus_id[32];
    int cc_major, cc_minor;
    int sms;
    int sm_clock_khz;   /* cudaDevAttrClockRate: the peak (boost) SM clock; 0 unknown */
    int mem_clock_khz;  /* cudaDevAttrMemoryClockRate: peak memory clock; 0 unknown */
    int mem_bus_bits;   /* cudaDevAttrGlobalMemoryBusWidth */
    uint64_t mem_bytes; /* total device memory */
    uint64_t mem_free_bytes;
    uint64_t l2_bytes;
    uint64_t smem_per_sm_bytes;
    uint64_t smem_per_block_optin_bytes;
    int max_threads_per_sm;
    int regs_per_sm;
    int driver_version;  /* cudaDriverGetVersion: 13000 = 13.0 */
    int runtime_version; /* cudaRuntimeGetVersion of the runtime the plugin was built with */
} rl_gpu_info;

/* What to measure. `only` is NULL (everything) or a comma-separated list of row ids
 * ("fp32,dram-copy"); see rl_gpu_row.id. */
typedef struct rl_gpu_plan {
    int quick;     /* fewer rows (the widest of each class), shorter launches */
    int repeats;   /* timed launches per row after calibration, >= 1 */
    double min_ms; /* calibrate until one launch takes at least this long */
    const char *only;
    void (*progress)(void *user, const char *line); /* may be NULL */
    void *progress_user;
    volatile int *stop; /* non-zero: stop between rows (Ctrl-C); may be NULL */
} rl_gpu_plan;

/* One measured row. Compute rows count FLOPs (integer OPs for int8) from the declaration beside the
 * kernel; memory rows count the bytes the kernel names (STREAM's convention). */
typedef struct rl_gpu_row {
    char id[24];       /* stable: "fp32", "mma-bf16", "wgmma-bf16", "dram-triad", "l2-read" */
    char kind[8];      /* "compute" or "memory" */
    char path[16];     /* compute: "cuda-core", "tensor-mma", "tensor-wgmma"; memory: the level
                          "DRAM", "L2", "L1", "shared" */
    char precision[8]; /* compute: fp64 fp32 fp16 bf16 tf32 int8; memory: "" */
    char op[16];       /* memory: read write copy triad; compute: the instruction form */
    char insn[16];     /* the SASS instruction the loop is built around (FFMA, DFMA, HFMA2, HMMA,
                          IMMA, HGMMA); what a disassembly check looks for */
    char kernel[40];   /* the extern "C" __global__ function */
    char unit[8];      /* "GFLOP/s", "GOP/s", "GB/s" */
    int ok;            /* 1 measured; 0 not run or failed: note says why */
    double best, median, min; /* rates over the timed launches */
    int repeats;
    double clock_ghz;    /* SM clock measured inside the fastest launch (clock64 / %globaltimer) */
    uint64_t work_bytes; /* memory rows: the working set (all arrays); compute: 0 */
    int blocks, threads; /* the launch shape */
    char note[192];
} rl_gpu_row;

#define RL_GPU_MAX_ROWS 32

typedef struct rl_gpu_api {
    int abi; /* RL_GPU_ABI_VERSION */
    /* Each returns 0, or -1 with a one-line reason in msg (of len bytes). */
    int (*count)(int *n, char *msg, size_t len);
    int (*info)(int dev, rl_gpu_info *out, char *msg, size_t len);
    /* Fills up to `cap` rows. Returns 0 when every row ran or was reported as not run; -1 when the
     * device failed (lost, sticky error): the rows already filled stay valid, msg says why. */
    int (*run)(int dev, const rl_gpu_plan *plan, rl_gpu_row *rows, int cap, int *n, char *msg,
               size_t len);
    /* The rows the plugin can measure, identity only (id, kind, path, precision, op, insn, kernel,
     * unit), in run order; needs no driver. For `roofline gpu --list` and the disassembly check. */
    int (*list)(rl_gpu_row *rows, int cap, int *n);
} rl_gpu_api;

/* The plugin's one exported symbol. */
typedef const rl_gpu_api *(*rl_gpu_plugin_api_fn)(void);
#define RL_GPU_PLUGIN_SYMBOL "rl_gpu_plugin_api"

#endif
