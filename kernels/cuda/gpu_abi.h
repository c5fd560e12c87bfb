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

#define RL_GPU_ABI_VERSION 2

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
    int host_numa;       /* cudaDevAttrHostNumaId: the host NUMA node nearest the GPU; -1 unknown */
} rl_gpu_info;

/* NVML's clock event ("throttle") reasons, bit for bit as nvmlDeviceGetCurrentClocksEventReasons
 * returns them; result/gpu_server.c names them. */
#define RL_GPU_REASON_IDLE         0x1ULL
#define RL_GPU_REASON_APP_CLOCKS   0x2ULL
#define RL_GPU_REASON_SW_POWER_CAP 0x4ULL
#define RL_GPU_REASON_HW_SLOWDOWN  0x8ULL
#define RL_GPU_REASON_SYNC_BOOST   0x10ULL
#define RL_GPU_REASON_SW_THERMAL   0x20ULL
#define RL_GPU_REASON_HW_THERMAL   0x40ULL
#define RL_GPU_REASON_POWER_BRAKE  0x80ULL
#define RL_GPU_REASON_DISPLAY      0x100ULL
#define RL_GPU_REASONS             9 /* bits 0..8 */

/* What NVML said while one row ran (sampled on a host thread every few milliseconds). */
typedef struct rl_gpu_power {
    int samples;                       /* 0: not sampled (rl_gpu_links.nvml says why) */
    double seconds;                    /* how long the sampled launches took */
    double power_w;                    /* average board power over the samples */
    double power_max_w;                /* highest sample */
    double energy_j;                   /* NVML's energy counter across the launches; <0 unknown */
    double sm_mhz;                     /* average SM clock */
    double sm_mhz_min;                 /* lowest sample */
    double mem_mhz;                    /* average memory clock */
    double temp_c;                     /* highest GPU temperature */
    uint64_t reasons;                  /* OR of the clock event reasons of every sample */
    float reason_frac[RL_GPU_REASONS]; /* per reason bit: the fraction of samples it was set in */
} rl_gpu_power;

/* The GPU's links as the driver reports them (NVML; PCIe and NVLink), and its power limit. */
typedef struct rl_gpu_links {
    char nvml[160];           /* "" when NVML answered; else why not ("NVML not found: ...") */
    int pcie_gen, pcie_width; /* the link as trained now; 0 unknown */
    int pcie_gen_max, pcie_width_max; /* the most the GPU and its slot support; 0 unknown */
    int c2c;                          /* 1: NVLink-C2C to the CPU (Grace Hopper) */
    int nvlinks;                      /* active NVLink links */
    int nvlinks_to[16];               /* active links whose far end is GPU ordinal i */
    int nvlinks_switch;               /* active links to an NVSwitch */
    double power_limit_w;             /* enforced power limit; <0 unknown */
    double power_default_w;           /* the board's default limit; <0 unknown */
} rl_gpu_links;

/* A copy rate: host links (one GPU) and GPU-to-GPU copies (a pair), measured over a size sweep,
 * each point the best of its repeats; the caller takes the plateau from the sweep
 * (runner/gpu.c). */
#define RL_GPU_SWEEP_POINTS 12
typedef struct rl_gpu_copy {
    char id[12];   /* "h2d", "d2h", "bidir"; "p2p" */
    char mode[12]; /* host: "pinned", "pageable"; p2p: "peer", "no-peer", "all-pairs" */
    int src, dst;  /* p2p: device ordinals; host rows: -1 */
    int ok;        /* 1 measured; 0: note says why */
    int n_points;  /* GB/s per size (bidir: both directions together) */
    uint64_t size[RL_GPU_SWEEP_POINTS];
    double gbs[RL_GPU_SWEEP_POINTS];
    char note[160];
} rl_gpu_copy;

/* A latency: kernel launch overhead, or a pointer chase through one memory level. */
typedef struct rl_gpu_latency {
    char id[16];   /* "launch", "launch-sync", "chase-l1", "chase-l2", "chase-dram" */
    char level[8]; /* "launch" or the memory level "L1", "L2", "DRAM" */
    int ok;
    double ns;             /* per launch / per dependent load */
    double cycles;         /* per dependent load (SM cycles); <0 for launches */
    double clock_ghz;      /* measured inside the chase; <0 */
    uint64_t work_bytes;   /* chase: the working set */
    uint64_t stride_bytes; /* chase: the distance between consecutive loads (random order) */
    char note[160];
} rl_gpu_latency;

/* What to measure. `only` is NULL (everything) or a comma-separated list of row ids
 * ("fp32,dram-copy"); see rl_gpu_row.id. */
typedef struct rl_gpu_plan {
    int quick;     /* fewer rows (the widest of each class), shorter launches */
    int repeats;   /* timed launches per row after calibration, >= 1 */
    double min_ms; /* calibrate until one launch takes at least this long */
    const char *only;
    int host_numa; /* host-link rows: the NUMA node the caller bound itself to (-1 none) */
    int host_far;  /* 1: that node is the farthest from the GPU, 0: the nearest */
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
    rl_gpu_power power; /* NVML's samples during the timed launches */
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
    /* The GPU's links and power limit (NVML). Returns 0 (links->nvml says what NVML could not
     * tell), or -1 when the device itself cannot be asked. */
    int (*links)(int dev, rl_gpu_links *links, char *msg, size_t len);
    /* Host-to-device, device-to-host and bidirectional copies, pinned and pageable, from the host
     * memory of the calling thread's NUMA binding (the caller binds it; plan->host_numa says
     * where). Same return convention as run. */
    int (*host_copies)(int dev, const rl_gpu_plan *plan, rl_gpu_copy *rows, int cap, int *n,
                       char *msg, size_t len);
    /* GPU-to-GPU copies between the devices `devs` (n_devs of them): each ordered pair with peer
     * access on and off, then every pair at once. Same return convention as run. */
    int (*peer_copies)(const int *devs, int n_devs, const rl_gpu_plan *plan, rl_gpu_copy *rows,
                       int cap, int *n, char *msg, size_t len);
    /* Launch overhead and pointer-chase latency. Same return convention as run. */
    int (*latency)(int dev, const rl_gpu_plan *plan, rl_gpu_latency *rows, int cap, int *n,
                   char *msg, size_t len);
} rl_gpu_api;

#define RL_GPU_MAX_COPIES  256 /* 8 GPUs: 56 pairs x 2 modes + 56 at once */
#define RL_GPU_MAX_LATENCY 8

/* The plugin's one exported symbol. */
typedef const rl_gpu_api *(*rl_gpu_plugin_api_fn)(void);
#define RL_GPU_PLUGIN_SYMBOL "rl_gpu_plugin_api"

#endif
