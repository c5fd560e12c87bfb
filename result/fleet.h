/* fleet.h: the roofline of every node of a cluster (`roofline-fleet`), its JSON, and the summary
 * that names the slow nodes.
 *
 * A fleet is a list of nodes, each a host name, a status ("ok", or "failed: <reason>") and the
 * node's ordinary result (result/result.h; NULL when nothing came back). The JSON (schema
 * "roofline-fleet/1") is
 *
 *     {"schema": "roofline-fleet/1", "tool_version": ..., "date": ..., "command_line": ...,
 *      "partial": false, "serial": true, "thresholds": {...}, "node_timeout_s": 120,
 *      "gather_s": 0.01,
 *      "nodes": [{"host": "node1", "status": "ok", "seconds": 2.1, "result": {roofline/1}}, ...],
 *      "summary": {"nodes": 3, "ok": 3, "failed": 0, "groups": [...], "flags": [...]}}
 *
 * The summary is derived (rl_fleet_summarize) from the nodes and the thresholds; the reader reads
 * the nodes and thresholds and derives it again, so a hand-edited summary cannot disagree with the
 * figures.
 *
 * Nodes are grouped by hardware: the same CPU model, core count, sockets, NUMA nodes and memory
 * configuration (DRAM channels and transfer rate). Within a group, each ceiling (fp64 and fp32
 * peak, DRAM and L3 bandwidth, at the most threads measured) has a median; a node more than a
 * threshold below its group's median, or below its own theoretical figure, is flagged with the
 * ceiling that fell.
 *
 * GPUs (each node's r->devices) take part: a node's hardware names its GPUs (so nodes with
 * different GPUs form different groups), its row carries the slowest GPU's best compute ceiling
 * and device-memory bandwidth (the two GPU ceilings, against the group's median as the CPU's
 * are), and each GPU finding of the node (result/gpu_server.h: the odd GPU out among its
 * siblings, a PCIe link below its maximum, a slow GPU-to-GPU pair, a power limit below the
 * default) is a flag of the node. A fleet without GPUs shows none of this. */
#ifndef RL_FLEET_H
#define RL_FLEET_H

#include <stddef.h>

#include "common/err.h"
#include "result/result.h"

#define RL_FLEET_SCHEMA "roofline-fleet/1"

/* Defaults of the thresholds: a fraction below the group's median, or below the node's own
 * theory. The theory checks have their own, wider defaults: with every core busy the clock falls
 * below the one-core clock the theory is quoted at, so healthy nodes measure 85-97% of their
 * theoretical peak; STREAM-like kernels reach 60-90% of the theoretical DRAM bandwidth, so only a
 * node below 50% (a missing DIMM, a channel down, memory clocked low) is named. */
#define RL_FLEET_COMPUTE_THRESHOLD        0.05
#define RL_FLEET_BANDWIDTH_THRESHOLD      0.10
#define RL_FLEET_THEORY_COMPUTE_THRESHOLD 0.15
#define RL_FLEET_THEORY_DRAM_THRESHOLD    0.50

/* The ceilings compared across nodes. */
typedef enum rl_fleet_ceiling {
    RL_FLEET_FP64, /* best fp64 GFLOP/s at the most threads measured */
    RL_FLEET_FP32,
    RL_FLEET_DRAM, /* best counted DRAM GB/s at the most threads measured */
    RL_FLEET_L3,
    RL_FLEET_GPU_COMPUTE, /* the slowest GPU's best compute ceiling (GFLOP/s) */
    RL_FLEET_GPU_DRAM,    /* the slowest GPU's best device-memory bandwidth */
    RL_FLEET_CEILINGS
} rl_fleet_ceiling;
#define RL_FLEET_CPU_CEILINGS 4 /* the CPU's: all a fleet without GPUs shows */

/* The idle DRAM latency (result/latency.h: rl_latency_dram), a figure beside the ceilings where
 * lower is better: a node more than the bandwidth threshold above its group's median is flagged
 * (RL_FLEET_ABOVE_GROUP). Not one of the RL_FLEET_CEILINGS, so fleets without latency rows render
 * as before; the ceiling name/id/unit functions take it. */
#define RL_FLEET_DRAM_LATENCY RL_FLEET_CEILINGS

const char *rl_fleet_ceiling_name(int c); /* "fp64 peak", "DRAM bandwidth", ... */
const char *rl_fleet_ceiling_id(int c);   /* "fp64_gflops", "dram_gbs", ... (JSON, CSV) */
const char *rl_fleet_ceiling_unit(int c); /* "GFLOP/s" or "GB/s" */
int rl_fleet_ceiling_is_compute(int c);

typedef struct rl_fleet_node {
    char host[256];
    char status[512];  /* "ok" or "failed: <reason>" */
    double seconds;    /* the node's measurement, wall clock; <0 unknown */
    rl_result *result; /* owned; NULL when nothing came back */
} rl_fleet_node;

typedef struct rl_fleet {
    char tool_version[32];
    char date[32]; /* ISO 8601 UTC, when rank 0 started */
    char command_line[512];
    int partial; /* 1 when interrupted before every node answered */
    int serial;  /* --serial: nodes measured one after another */
    double compute_threshold, bandwidth_threshold;          /* below the group's median */
    double theory_compute_threshold, theory_dram_threshold; /* below the node's own theory */
    double node_timeout_s; /* the per-node time limit the run used; <0 unknown */
    double gather_s;       /* rank 0's wait for the results after its own; <0 unknown */
    rl_fleet_node *nodes;
    size_t n_nodes;
} rl_fleet;

/* A fleet with the default thresholds, this tool's version and the date; NULL when out of memory.
 * rl_fleet_free accepts NULL and frees every node's result. */
rl_fleet *rl_fleet_new(void);
void rl_fleet_free(rl_fleet *f);

/* Appends a node; takes ownership of `r` (may be NULL), also on failure. Status NULL is "ok". */
int rl_fleet_add_node(rl_fleet *f, const char *host, const char *status, double seconds,
                      rl_result *r, rl_err *err);

/* 1 when the node's status is "ok". */
int rl_fleet_node_ok(const rl_fleet_node *n);

/* ---- the summary ---- */

/* What the report shows of one node, taken from its result. Unknown figures are negative. */
typedef struct rl_fleet_figures {
    double value[RL_FLEET_CEILINGS];  /* measured */
    double theory[RL_FLEET_CEILINGS]; /* its theoretical figure (compute at the measured clock,
                                         DRAM from the memory configuration; L3: unknown) */
    int threads;                      /* the most threads the fp64 figure used */
    double clock_ghz;                 /* measured (else nominal) */
    double imax;                      /* fp64 peak / DRAM bandwidth, FLOP/byte */
    double efficiency;                /* fp64 measured / theoretical */
    int gpus;                         /* GPUs in the node's result */
    double dram_ns;                   /* idle DRAM latency (ns); <0 not measured */
} rl_fleet_figures;

void rl_fleet_figures_of(const rl_result *r, rl_fleet_figures *out);

/* The hardware a node is grouped by, as one line: "AMD EPYC 7763 (zen3), 64 cores, 1 socket,
 * 1 NUMA node, DRAM 8 x 3200 MT/s". */
void rl_fleet_hardware(const rl_result *r, char *out, size_t size);

typedef struct rl_fleet_group {
    char hardware[320];
    size_t *nodes; /* indices into fleet->nodes, in fleet order */
    size_t n_nodes;
    double median[RL_FLEET_CEILINGS]; /* <0 when no node of the group measured it */
    double median_dram_ns;            /* the same for the DRAM latency */
} rl_fleet_group;

/* What a flagged figure fell below. */
enum {
    RL_FLEET_BELOW_GROUP,    /* its group's median */
    RL_FLEET_BELOW_THEORY,   /* the node's own theoretical figure */
    RL_FLEET_BELOW_SIBLINGS, /* a NUMA node's DRAM share below the median of the node's NUMA nodes:
                                a half-populated socket, a missing DIMM */
    RL_FLEET_GPU_FINDING,    /* a finding about one of the node's GPUs (result/gpu_server.h) */
    RL_FLEET_ABOVE_GROUP,    /* a latency above its group's median (shortfall is then negative) */
};

typedef struct rl_fleet_flag {
    size_t node;
    int ceiling;      /* rl_fleet_ceiling */
    int below;        /* RL_FLEET_BELOW_* */
    int numa;         /* RL_FLEET_BELOW_SIBLINGS: the NUMA node; else -1 */
    double value;     /* the node's figure */
    double reference; /* the group median or the theoretical figure */
    double shortfall; /* 1 - value / reference */
    char gpu[16];     /* RL_FLEET_GPU_FINDING: the device ("gpu5"); else "" */
    char text[512];   /* RL_FLEET_GPU_FINDING: the finding's sentence */
} rl_fleet_flag;

typedef struct rl_fleet_summary {
    rl_fleet_figures *figures; /* one per node (all unknown for a node without a result) */
    int *group_of;             /* per node: its group, -1 for a failed node */
    rl_fleet_group *groups;
    size_t n_groups;
    rl_fleet_flag *flags; /* in node order, then ceiling order, group median before theory */
    size_t n_flags;
    size_t n_ok, n_failed;
    int n_ceilings; /* the ceilings shown: RL_FLEET_CPU_CEILINGS, or all when a node has GPUs */
} rl_fleet_summary;

/* Derives the summary. Returns 0, or -1 with err (out of memory). rl_fleet_summary_free accepts a
 * zeroed or half-filled summary. */
int rl_fleet_summarize(const rl_fleet *f, rl_fleet_summary *s, rl_err *err);
void rl_fleet_summary_free(rl_fleet_summary *s);

/* ---- JSON ---- */

/* The fleet JSON (summary included), malloc'd and NUL-terminated, or NULL with err. */
char *rl_fleet_to_json(const rl_fleet *f, rl_err *err);
int rl_fleet_write(const rl_fleet *f, const char *path, rl_err *err);
/* Reads a fleet file: each node's result is read as an ordinary result (the message names the
 * node: "fleet.json: nodes[2].result: field 'meta.date': missing"). RL_EXIT_INPUT when bad. */
rl_fleet *rl_fleet_from_json(const char *text, size_t len, const char *name, rl_err *err);
rl_fleet *rl_fleet_read(const char *path, rl_err *err);

/* 1 when `text` is a JSON object whose "schema" is RL_FLEET_SCHEMA; rl_fleet_is_fleet_file reads
 * the file first (0 when it cannot). `roofline report` renders either kind of file with it. */
int rl_fleet_is_fleet_json(const char *text, size_t len);
int rl_fleet_is_fleet_file(const char *path);

#endif
