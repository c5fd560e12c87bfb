/* sections.h: the report's tables, built once from a result and rendered by the terminal summary
 * (text) and the Markdown writer alike, so the two never disagree.
 *
 * `missing` is what an unknown figure shows ("-" in both today). Tables are initialised here; the
 * caller frees them with rl_table_free. */
#ifndef RL_SECTIONS_H
#define RL_SECTIONS_H

#include "common/buf.h"
#include "report/table.h"
#include "result/result.h"

/* ISA x precision x threads: measured best, theoretical, the clock it is quoted at ("3.69 L"),
 * efficiency. */
void rl_sections_compute(rl_table *t, const rl_result *r);
/* How a row's clock was found, as the tables label it: "L" under the ISA's load, "C" --clock, "A"
 * the add chain before/after, "" unknown (older files). */
const char *rl_sections_clock_how(const char *method);
/* The legend of those labels, one line (ends in a newline), when a row of r has one; else nothing.
 */
void rl_sections_clock_legend(rl_buf *b, const rl_result *r);
/* Level x kernel x threads (the "sweep" level left out: it is in the CSV): counted and traffic
 * GB/s, the level's theoretical GB/s and the efficiency (probes/cachebw.h: counted bytes at L1,
 * traffic beyond; "(!)" above 101%). Returns the number of sweep points left out. */
size_t rl_sections_memory(rl_table *t, const rl_result *r);
/* Per precision, the best ISA at its most threads, every level: I_max measured and theoretical. */
void rl_sections_ridge(rl_table *t, const rl_result *r);

/* One line, after `prefix`, on where the cache levels' theoretical figures come from (bytes/cycle
 * per core and the source); nothing when the result has none. */
void rl_sections_cache_theory_line(rl_buf *b, const rl_result *r, const char *prefix);
/* One sentence on theoretical DRAM bandwidth and how the best measured DRAM figure compares. */
void rl_sections_dram_line(rl_buf *b, const rl_result *r);
/* One sentence on when and how the result was made (version, date, compiler, settings). */
void rl_sections_meta_line(rl_buf *b, const rl_result *r);

#endif
