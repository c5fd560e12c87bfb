/* result.h: the one data model every measurement lands in, and its JSON reader/writer.
 *
 * Probes fill `machine` and `theory`, the runner appends to `flops` and `bandwidth`, the report
 * only reads. The JSON (schema "roofline/1") is what `--json` writes and what `report`, `compare`
 * and `model --machine` read back; rl_result_read checks it field by field and names the file and
 * the field it rejects.
 *
 * Conventions: GHz, GFLOP/s (GOP/s for integer dot products, said in `unit`), GB/s = 1e9 bytes/s,
 * sizes in bytes. A figure that is not known is negative (written as JSON null), never a guess. */
#ifndef RL_RESULT_H
#define RL_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define RL_SCHEMA "roofline/1"

/* When the runner writes a noise note beside a figure (the report counts those notes, it does not
 * re-derive them): repeats spreading more than RL_NOISY_REPEAT_SPREAD ((slowest - fastest) /
 * fastest repeat), threads disagreeing by more than RL_NOISY_THREAD_SPREAD, the clock moving by
 * more than RL_NOISY_CLOCK_DRIFT between the probes before and after a compute run. */
#define RL_NOISY_REPEAT_SPREAD 0.05
#define RL_NOISY_THREAD_SPREAD 0.10
#define RL_NOISY_CLOCK_DRIFT   0.05

typedef struct rl_cache {
    int level;           /* 1, 2, 3, 4 */
    char type[12];       /* "data", "unified", "instruction" */
    uint64_t size_bytes; /* per instance */
    int cores_sharing;   /* physical cores under one instance */
    int instances;       /* in the whole machine */
} rl_cache;

typedef struct rl_core_kind {
    char name[32];  /* hwloc's CoreType / FrequencyMaxMHz info, or "kind N" */
    int cores;      /* physical cores of this kind */
    int efficiency; /* hwloc's efficiency rank: higher is faster */
} rl_core_kind;

/* The clock measured under one ISA family's load (kernels/isaclock.h), or given per ISA with
 * --clock ISA=GHZ. `isa` is the family's name (probes/clock.h: rl_clock_family): "scalar", "sse2",
 * "avx", "avx2-fma", "avx512f". `threads` is the team it was measured on (all-core clocks differ
 * from one-core ones); 0 when it holds at every thread count (--clock). */
typedef struct rl_isa_clock {
    char isa[24];
    int threads;
    double ghz;
    char method[48]; /* "under load (FMA + add chain)", "--clock" */
} rl_isa_clock;

#define RL_MAX_ISA_CLOCKS 48

typedef struct rl_machine {
    /* identity (libcpuid) */
    char vendor[16]; /* "GenuineIntel", "AuthenticAMD" */
    char brand[64];
    int family, model, stepping; /* extended (display) family and model */
    char codename[64];           /* libcpuid's, which may be wrong: see uarch */
    char uarch[32];              /* from probes/uarch: "zen3", "skylake-sp", ... or "unknown" */
    char isa[512];               /* runnable ISA features (CPUID and XCR0), space-separated */
    char cpu_source[256];        /* "this machine" or the --cpuid-dump path */
    /* AArch64: SVE and SME (streaming) vector lengths in bits on the measuring thread (prctl), or
     * a --cpuinfo row's SVE length; 0 (and no JSON member) where there is none */
    int sve_bits, sme_bits;
    /* topology (hwloc) */
    int packages, numa_nodes, cores, threads;
    rl_cache caches[12];
    int n_caches;
    rl_core_kind core_kinds[4];
    int n_core_kinds;          /* 1 on ordinary CPUs; 2+ on hybrid ones */
    char topology_source[256]; /* "this machine" or the --topology path */
    /* clock */
    double nominal_ghz;       /* <0 unknown */
    char nominal_source[32];  /* "brand string", "cpuinfo (TSC)", "sysfs cpuinfo_max_freq", ... */
    double measured_ghz;      /* <0 unknown (not measured); from the dependent-add chain */
    char measured_source[32]; /* "measured (add chain)", "--clock", "none" */
    /* Per ISA family and thread count (JSON clock.per_isa, written only when there are any) */
    rl_isa_clock per_isa[RL_MAX_ISA_CLOCKS];
    int n_per_isa;
} rl_machine;

/* Theoretical FLOPs (or integer ops) per cycle per core for one ISA and precision. */
typedef struct rl_fpc {
    char isa[24];      /* "scalar", "sse2", "avx", "avx2-fma", "avx2-fma+add", "avx512f", ... */
    char precision[8]; /* "fp64", "fp32", "fp16", "bf16", "int8" */
    double per_core;
    char unit[8];       /* "FLOP" or "OP" */
    int is_mix;         /* 1 for FMA+ADD mixes: never the ISA's peak */
    char core_type[24]; /* hybrid CPUs: the core type the row is for ("golden-cove"); "" else */
} rl_fpc;

typedef struct rl_peak {
    char isa[24];
    char precision[8];
    int threads;                     /* cores used */
    double gflops_at_measured_clock; /* <0 when no clock was measured */
    double gflops_at_nominal_clock;  /* <0 when no nominal clock is known */
    char core_type[24]; /* hybrid CPUs: that core type's cores alone; "" the machine (the sum over
                           its types, fastest cores first) */
} rl_peak;

typedef struct rl_ridge {
    char isa[24];
    char precision[8];
    int threads;
    char level[8]; /* "DRAM", "L1", ... (theoretical: DRAM only) */
    double peak_gflops;
    double gbs;
    double imax; /* FLOP/byte = peak_gflops / gbs */
} rl_ridge;

/* Theoretical bandwidth of one cache level for one operation (probes/cachebw.h): bytes per cycle
 * per core from the microarchitecture table, times the clock and the cores. Where the level is
 * shared and its aggregate is known, gbs is capped by it. */
typedef struct rl_bw_theory {
    char level[8];          /* "L1", "L2", "L3" */
    char op[8];             /* "load", "store" */
    int threads;            /* cores */
    double bytes_per_cycle; /* per core; <0 unknown */
    double gbs;             /* at the measured clock; <0 unknown */
    char source[128];       /* the table row's source, or "unknown" */
} rl_bw_theory;

/* One core type of a hybrid CPU (JSON theoretical.core_types[]). */
typedef struct rl_core_type_theory {
    char name[24];   /* core microarchitecture: "lion-cove", "skymont" */
    char role[4];    /* "P" or "E" */
    int cores;       /* cores of this type in the topology; -1 unknown (a dump without one) */
    char source[96]; /* docs/sources.md keys of its figures */
} rl_core_type_theory;

#define RL_MAX_CORE_TYPES 4

/* The memory system the CPU model's platform fixes (probes/platform_mem.h; JSON
 * theoretical.platform_memory, written only when known): per socket, the platform's, not
 * necessarily this machine's share. */
typedef struct rl_platform_dram {
    double gbs_per_socket; /* <0: no platform known */
    int channels;          /* per socket */
    double mts;
    int sockets;       /* the topology's packages */
    int used;          /* 1: dram_gbs is the platform's (bare metal, or --platform-memory) */
    char platform[64]; /* "AMD EPYC 9004 (Genoa)" */
    char memory[48];   /* "DDR5-4800" */
    char note[192];    /* why it is or is not used for the ridge */
} rl_platform_dram;

typedef struct rl_theory {
    rl_fpc *fpc;
    size_t n_fpc;
    rl_peak *peak;
    size_t n_peak;
    double dram_gbs;      /* <0 unknown */
    int mem_channels;     /* 0 unknown */
    double mem_mts;       /* MT/s, <0 unknown */
    int mem_bus_bits;     /* 64 per DDR channel */
    char dram_source[64]; /* "SMBIOS type 17", "--mem-channels/--mem-mts", "unknown" */
    char uarch_note[256]; /* how FLOPs/cycle were derived: table row, or the fallback and why */
    rl_ridge *ridge;
    size_t n_ridge;
    rl_bw_theory *bw; /* JSON theoretical.bandwidth, written only when there are any */
    size_t n_bw;
    rl_core_type_theory core_types[RL_MAX_CORE_TYPES]; /* hybrid CPUs only */
    int n_core_types;
    rl_platform_dram platform;
} rl_theory;

/* One compute measurement: the best of `repeats` runs of one kernel at one thread count. */
typedef struct rl_flops {
    char core_type[24]; /* hybrid CPUs: measured on that core type's cores alone ("lion-cove");
                           "" on any cores (fastest first) */
    char isa[24];
    char precision[8];
    char unit[8]; /* "GFLOP/s" or "GOP/s" */
    int threads;
    double gflops, gflops_median, gflops_min;
    int repeats;
    double clock_ghz_before, clock_ghz_after; /* measured; <0 not measured */
    double theoretical_gflops;                /* at clock_ghz; <0 unknown */
    double efficiency;                        /* gflops / theoretical_gflops; <0 unknown */
    char note[256]; /* noisy host, suspicious efficiency, ...; "" when none */
    /* The clock theoretical_gflops is quoted at and how it was found: the clock under this ISA's
     * load at this thread count, --clock, or the add chain before and after. Optional in JSON
     * (clock_ghz, clock_method: older files have neither; clock_method "" then). */
    double clock_ghz;
    char clock_method[48];
    /* The kernel shape that won the row's short trial (kernels/fma.h: rl_fma_kernel.variant), ""
     * when the row's ISA has one shape. Optional in JSON (variant: absent when ""). */
    char variant[32];
} rl_flops;

/* One bandwidth measurement. */
typedef struct rl_bandwidth {
    char level[8];   /* "L1", "L2", "L3", "DRAM", or "sweep" */
    char kernel[16]; /* "load", "store", "copy", "scale", "add", "triad" */
    int nt_stores;
    char isa[16];
    uint64_t bytes_per_thread; /* working set of one thread */
    int threads;
    double gbs, gbs_median, gbs_min; /* counted bytes (STREAM convention) */
    double gbs_traffic;              /* estimated hardware traffic (adds write-allocate reads) */
    int repeats;
    char note[256];
    /* The level's theoretical figure for this kernel at this thread count (probes/cachebw.h), and
     * gbs_traffic / theoretical_gbs; <0 unknown. Optional in JSON: written only when known. */
    double theoretical_gbs;
    double efficiency;
} rl_bandwidth;

/* One memory-latency figure (runner/latency.h), of any device: the time of one step of a
 * dependent pointer chase, in ns and in cycles of the clock it ran at. `kind` says which:
 *   "idle"    one core chasing alone over a working set sized for `level` (L1..DRAM)
 *   "sweep"   the same over a size sweep (level "sweep"): the lat_mem_rd staircase
 *   "loaded"  one core chasing over a DRAM set while the other cores move `gbs` of `mix` traffic
 *             (a delay of `delay` loop iterations between their blocks: larger is slower)
 *   "numa"    a core of node `cpu_node` chasing over memory bound to node `mem_node`, with the
 *             node pair's bandwidth beside it
 * Written as the optional JSON member "latency" only when there is one, so files without it are
 * unchanged. */
typedef struct rl_latency {
    char device[16]; /* "cpu", or a device id ("gpu0") */
    char kind[8];    /* "idle", "sweep", "loaded", "numa" */
    char level[8];   /* "L1".."DRAM", "sweep", "NUMA" */
    char pages[8];   /* page size asked for: "4k", "thp", "1g" ("" where it does not apply) */
    double
        huge_share; /* share of the set the kernel backed with huge pages (measured); <0 unknown */
    uint64_t bytes; /* working set */
    double ns, ns_median, ns_max; /* best, median and slowest repeat, per step */
    double clock_ghz;             /* the clock the cycles are counted at; <0 unknown */
    double cycles;                /* ns x clock_ghz; <0 unknown */
    int repeats;
    char mix[16];     /* loaded: "read", "3:1", "2:1", "1:1", "stream-write"; else "" */
    int load_threads; /* loaded: the traffic threads; numa: the bandwidth run's threads */
    uint64_t delay;   /* loaded: delay-loop iterations between the traffic threads' blocks */
    double gbs;       /* loaded: traffic moved (GB/s, hardware bytes); numa: bandwidth; else -1 */
    int cpu_node, mem_node; /* numa: the pair; else -1 */
    char note[256];
} rl_latency;

/* ---- other devices (the device seam) --------------------------------------------------------
 * The CPU the run started on stays at the top level of the result (schema roofline/1, unchanged).
 * Every other device measured in the same run (today: CUDA GPUs, by the backend in runner/gpu.c) is
 * an entry of `devices`, written as an optional JSON member "devices" only when there is one, so
 * older files read as before and older readers ignore it. A device is described by what every
 * accelerator has: compute units, clocks, memory, its theoretical ceilings per path and precision,
 * and the measured ceilings; the report renders any device the same way. */

/* A theoretical compute ceiling of a device: units x per_unit_per_cycle x clock. */
typedef struct rl_device_peak {
    char path[16];             /* "cuda-core", "tensor" */
    char precision[8];         /* "fp64", "fp32", "fp16", "bf16", "tf32", "fp8", "int8" */
    char unit[8];              /* "GFLOP/s" or "GOP/s" */
    double per_unit_per_cycle; /* FLOPs (OPs) per SM per cycle */
    double clock_ghz;          /* the clock this figure is quoted at */
    double gflops;             /* units x per_unit_per_cycle x clock_ghz */
} rl_device_peak;

/* Power, clocks and throttling sampled (NVML) while one row ran, and what they give: the row's
 * efficiency per joule and, where the SM clock fell below the device's peak, why. */
#define RL_DEVICE_REASONS 9 /* NVML's clock event reason bits 0..8 (kernels/cuda/gpu_abi.h) */
typedef struct rl_device_power {
    int samples;        /* 0: not sampled; the other figures are unknown */
    double seconds;     /* the sampled launches' duration */
    double power_w;     /* average board power; <0 unknown */
    double power_max_w; /* highest sample */
    double energy_j;    /* NVML's energy counter over the launches; <0 unknown */
    double per_joule;   /* derived: best rate / average power: GFLOP/J (GOP/J, GB/J); <0 */
    double sm_mhz;      /* average SM clock over the samples */
    double sm_mhz_min;  /* lowest */
    double mem_mhz;     /* average memory clock */
    double temp_c;      /* highest temperature */
    uint64_t reasons;   /* OR of the clock event reasons (bits as NVML's) */
    double reason_frac[RL_DEVICE_REASONS]; /* fraction of samples each reason was set in */
    char why[192]; /* derived: why the SM clock was where it was (result/gpu_server.h) */
} rl_device_power;

/* A measured ceiling of a device: compute (GFLOP/s, GOP/s) or memory (GB/s, counted bytes). */
typedef struct rl_device_ceiling {
    char id[24];       /* the backend's stable row id: "fp32", "wgmma-bf16", "dram-triad" */
    char kind[8];      /* "compute" or "memory" */
    char path[16];     /* compute: "cuda-core", "tensor-mma", "tensor-wgmma"; memory: the level
                          ("DRAM", "L2", "L1", "shared") */
    char precision[8]; /* compute only */
    char op[16];       /* memory: read/write/copy/triad; compute: the instruction form */
    char insn[16];     /* the machine instruction the kernel is built around (FFMA, HGMMA, ...) */
    char unit[8];
    double best, median, min; /* <0: not measured (note says why) */
    int repeats;
    double clock_ghz;    /* the device clock measured during the kernel; <0 unknown */
    double theoretical;  /* at clock_ghz; <0 unknown */
    double efficiency;   /* best / theoretical; <0 unknown */
    uint64_t work_bytes; /* memory: the working set; 0 otherwise */
    char note[256];
    rl_device_power power; /* NVML's samples during the kernel (power.samples 0: none) */
} rl_device_ceiling;

/* A device's links to the host and to its peers as its driver reports them (NVML), with their
 * theory (derived, probes/gpu_theory.h): PCIe lanes x the per-lane rate of the generation, per
 * direction before protocol overhead; NVLink: active links x the per-link rate. */
typedef struct rl_device_link {
    char nvml[160];                        /* "" when NVML answered; else why not */
    int pcie_gen, pcie_width;              /* trained now; 0 unknown */
    int pcie_gen_max, pcie_width_max;      /* the most the GPU and slot support; 0 unknown */
    double pcie_gbs, pcie_max_gbs;         /* theory per direction at each; <0 unknown */
    int c2c;                               /* NVLink-C2C to the CPU (Grace Hopper) */
    double c2c_gbs;                        /* its theory per direction; <0 */
    int nvlinks;                           /* active NVLink links */
    int nvlinks_switch;                    /* of them, to an NVSwitch */
    double nvlink_gbs_per_link;            /* per direction; <0 unknown */
    double power_limit_w, power_default_w; /* enforced and default power limit; <0 unknown */
    int numa_near, numa_far;               /* host NUMA nodes the host-link rows ran on; -1 none */
} rl_device_link;

/* A host link row: copies between host memory and the device over a size sweep. */
#define RL_DEVICE_SWEEP_POINTS 12
typedef struct rl_device_copy {
    char id[12];   /* "h2d", "d2h", "bidir" */
    char mode[12]; /* "pinned", "pageable" */
    char numa[8];  /* "near", "far" (the host NUMA node of the buffer and thread), "" unbound */
    int numa_node; /* -1 unknown */
    double best;   /* the plateau, GB/s; <0 not measured (note says why) */
    double theoretical; /* the link as trained (bidir: both directions); <0 unknown */
    double efficiency;  /* best / theoretical; <0 */
    uint64_t plateau_bytes;
    int n_points;
    uint64_t size[RL_DEVICE_SWEEP_POINTS];
    double gbs[RL_DEVICE_SWEEP_POINTS];
    char note[192];
} rl_device_copy;

/* A latency row: kernel launch overhead or a pointer chase through one memory level. */
typedef struct rl_device_latency {
    char id[16];   /* "launch", "launch-sync", "chase-l1", "chase-l2", "chase-dram" */
    char level[8]; /* "launch", "L1", "L2", "DRAM" */
    double ns;     /* <0 not measured */
    double cycles; /* <0 unknown (launch rows) */
    double clock_ghz;
    uint64_t work_bytes, stride_bytes;
    char note[160];
} rl_device_latency;

typedef struct rl_device {
    char id[16];      /* "gpu0" */
    char backend[16]; /* "cuda" */
    char name[96];
    char arch[16]; /* "sm_90" */
    char bus_id[32];
    int units;                 /* SMs */
    double max_clock_ghz;      /* the driver's peak (boost) clock: nominal */
    double measured_clock_ghz; /* median of the clocks measured inside the compute kernels; <0 */
    double mem_clock_mhz;      /* <0 unknown */
    int mem_bus_bits;
    uint64_t mem_bytes, l2_bytes;
    double dram_gbs; /* theoretical: 2 x memory clock x bus width / 8; <0 unknown */
    double smem_gbs; /* theoretical shared memory: units x bytes/cycle x clock; <0 */
    char driver[16], runtime[16];
    char theory_note[256]; /* where the per-cycle figures come from */
    char status[256];      /* "" when measured; "failed: ..." or "not measured: ..." */
    rl_device_peak *peak;
    size_t n_peak;
    rl_device_ceiling *ceiling;
    size_t n_ceiling;
    rl_ridge *ridge; /* measured: each compute ceiling over each memory level's best */
    size_t n_ridge;
    rl_ridge *theory_ridge; /* theoretical peak over theoretical DRAM, per path and precision */
    size_t n_theory_ridge;
    int has_link; /* link was asked (JSON member "link" only then) */
    rl_device_link link;
    rl_device_copy *copy; /* host links */
    size_t n_copy;
    rl_device_latency *latency;
    size_t n_latency;
} rl_device;

/* A GPU-to-GPU copy: one ordered pair, peer access on ("peer") or off ("no-peer", staged through
 * the host), or the pair's share while every pair copies at once ("all-pairs"). */
typedef struct rl_p2p {
    char src[16], dst[16]; /* device ids: "gpu2" */
    char mode[12];
    double gbs;         /* the plateau; <0 not measured */
    double theoretical; /* NVLink links x per-link rate, or the PCIe path; <0 unknown */
    double efficiency;
    char path[48]; /* "NVLink 18 links (NVSwitch)", "PCIe Gen5 x16" */
    char note[160];
} rl_p2p;

/* How and when the result was made, so a published number can be reproduced. */
typedef struct rl_meta {
    char tool_version[16];
    char date[32]; /* ISO 8601 UTC */
    char compiler[64];
    char command_line[512];
    char settings[256]; /* "repeat=5 min_time=0.1s quick=no ..." */
    int partial;        /* 1 when interrupted: only what finished is here */
    /* Measured under user-mode emulation (qemu-user running an AArch64 build elsewhere): what
     * showed it. Every measured figure is then the emulator's speed, not the machine's; the
     * reports say so. "" (and no JSON member) on real hardware. */
    char emulated[128];
} rl_meta;

typedef struct rl_result {
    rl_meta meta;
    rl_machine machine;
    rl_theory theory;
    rl_flops *flops;
    size_t n_flops;
    rl_bandwidth *bandwidth;
    size_t n_bandwidth;
    rl_ridge *ridge; /* measured ridge points */
    size_t n_ridge;
    char **warnings; /* one line each */
    size_t n_warnings;
    rl_device *devices; /* other devices (GPUs): see above */
    size_t n_devices;
    rl_p2p *p2p; /* GPU-to-GPU copies (JSON member "p2p" only where there are any) */
    size_t n_p2p;
    rl_latency *latency; /* memory latency of every device: see rl_latency */
    size_t n_latency;
} rl_result;

/* Allocation: rl_result_new returns a zeroed result with every "unknown" field set to -1 and the
 * meta filled with version, date and compiler. Every rl_result_add_* copies its argument and
 * returns 0, or -1 on allocation failure (with err set). rl_result_free accepts NULL. */
rl_result *rl_result_new(void);
void rl_result_free(rl_result *r);
int rl_result_add_fpc(rl_result *r, const rl_fpc *e, rl_err *err);
int rl_result_add_peak(rl_result *r, const rl_peak *e, rl_err *err);
int rl_result_add_theory_ridge(rl_result *r, const rl_ridge *e, rl_err *err);
int rl_result_add_flops(rl_result *r, const rl_flops *e, rl_err *err);
int rl_result_add_bandwidth(rl_result *r, const rl_bandwidth *e, rl_err *err);
int rl_result_add_ridge(rl_result *r, const rl_ridge *e, rl_err *err);
int rl_result_add_bw_theory(rl_result *r, const rl_bw_theory *e, rl_err *err);
int rl_result_add_latency(rl_result *r, const rl_latency *e, rl_err *err);
/* A latency row with every figure unknown (-1), device "cpu", nodes -1: fill what was measured. */
rl_latency rl_latency_blank(void);
/* Records a per-ISA clock (replacing one of the same isa and threads); -1 with err when full. */
int rl_result_add_isa_clock(rl_result *r, const rl_isa_clock *e, rl_err *err);
/* Appends a zeroed device (unknown figures -1) and returns it, or NULL on allocation failure. The
 * pointer stays valid until the next rl_result_add_device. */
rl_device *rl_result_add_device(rl_result *r, rl_err *err);
int rl_device_add_peak(rl_device *d, const rl_device_peak *e, rl_err *err);
int rl_device_add_ceiling(rl_device *d, const rl_device_ceiling *e, rl_err *err);
int rl_device_add_copy(rl_device *d, const rl_device_copy *e, rl_err *err);
int rl_device_add_latency(rl_device *d, const rl_device_latency *e, rl_err *err);
int rl_result_add_p2p(rl_result *r, const rl_p2p *e, rl_err *err);
/* Every figure of a link or power record set to unknown (-1), counts to 0. */
void rl_device_link_unknown(rl_device_link *l);
void rl_device_power_unknown(rl_device_power *p);
/* Measured ridges (each measured compute ceiling over the best of each memory level) and
 * theoretical ridges (each peak over the theoretical DRAM bandwidth). Replaces both lists. */
int rl_device_derive_ridge(rl_device *d, rl_err *err);

int rl_result_add_warning(rl_result *r, rl_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Measured ridge points: for each flops entry (floating point, not an FMA+ADD mix) and each memory
 * level (L1..L9, DRAM: not sweep points nor per-NUMA shares) measured at the same thread count,
 * with that level's best counted figure, I_max = gflops / gbs. Replaces r->ridge. */
int rl_result_derive_ridge(rl_result *r, rl_err *err);

/* JSON. rl_result_to_json returns a malloc'd NUL-terminated string (caller frees) or NULL with err.
 * rl_result_write writes it atomically to `path` ("-" for stdout). rl_result_read parses a file;
 * a missing file, bad JSON, a wrong schema or a missing/mistyped field is RL_EXIT_INPUT with the
 * file name and the field path in the message. */
char *rl_result_to_json(const rl_result *r, rl_err *err);
int rl_result_write(const rl_result *r, const char *path, rl_err *err);
rl_result *rl_result_from_json(const char *text, size_t len, const char *name, rl_err *err);
rl_result *rl_result_read(const char *path, rl_err *err);

#endif
