/* csv.h: every figure of a result as one CSV table (`--csv FILE`), for spreadsheets and scripts.
 *
 * One row per figure, the same columns for all (empty when not applicable):
 *   section,name,isa,precision,level,kernel,threads,bytes_per_thread,value,unit,source,
 *   median,min,repeats,theoretical,efficiency,traffic_gbs,text
 * section is meta, machine, compute, memory, ridge, theory_fpc, theory_peak, theory_dram,
 * theory_ridge, latency (report/csv.c: latency_rows says which column holds what) or warning;
 * source says measured, derived or theoretical. Numbers are plain decimals
 * ("%.6g"), unknown figures empty; strings are quoted per RFC 4180 when needed. */
#ifndef RL_CSV_H
#define RL_CSV_H

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

/* Appends the CSV (header line first) to `b`. Returns 0, or -1 with err on allocation failure. */
int rl_report_csv(rl_buf *b, const rl_result *r, rl_err *err);

#endif
