/* latency_table.h: the latency section of a report, rendered from a result alone, for every
 * device with latency rows (the CPU's chase, a GPU's): the idle latency per level and page size,
 * the size sweep's steps matched to the caches, the loaded-latency curve per read/write mix with
 * its knee and its top bandwidth beside the bandwidth kernels' DRAM figure, and the NUMA matrix
 * with its remote penalties and weak nodes. A result without latency rows renders nothing, so
 * reports of older results are unchanged. */
#ifndef RL_LATENCY_TABLE_H
#define RL_LATENCY_TABLE_H

#include "common/buf.h"
#include "result/result.h"

typedef enum rl_latency_style {
    RL_LATENCY_TEXT,     /* the terminal summary: a titled section, tables indented */
    RL_LATENCY_MARKDOWN, /* a "###" section with pipe tables */
    RL_LATENCY_COMMAND,  /* `roofline latency`: the tables alone, every sweep point listed */
} rl_latency_style;

void rl_latency_section(rl_buf *b, const rl_result *r, rl_latency_style style);

#endif
