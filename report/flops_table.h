/* flops_table.h: the terminal table of `roofline flops`, rendered from a result alone: one row per
 * measured kernel and thread count, then the notes beside figures and the kernels not run here. */
#ifndef RL_FLOPS_TABLE_H
#define RL_FLOPS_TABLE_H

#include "common/buf.h"
#include "result/result.h"

void rl_flops_table_text(rl_buf *b, const rl_result *r);

#endif
