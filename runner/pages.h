/* pages.h: memory for the latency runner (runner/latency.h) on a chosen page size, and what the
 * kernel actually gave.
 *
 * A pointer chase over a set larger than the TLBs reach pays a page walk on most steps with 4 KiB
 * pages; on 2 MiB or 1 GiB pages it does not, so measuring both separates the TLB's share from the
 * memory's. Three kinds:
 *   4k   anonymous memory with transparent huge pages refused (MADV_NOHUGEPAGE), so even a
 *        THP=always system backs it with 4 KiB pages
 *   thp  anonymous memory, 2 MiB aligned, asked for transparent huge pages (MADV_HUGEPAGE): a hint
 *        the kernel may refuse (THP=never, fragmented memory), so the share it granted is read back
 *        from /proc/self/smaps (AnonHugePages of the mapping) after the first touch
 *   1g   hugetlbfs 1 GiB pages (MAP_HUGETLB | MAP_HUGE_1GB): only where the administrator reserved
 *        them (/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages); else not measured, said
 */
#ifndef RL_PAGES_H
#define RL_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

typedef enum rl_pages_kind {
    RL_PAGES_4K,
    RL_PAGES_THP,
    RL_PAGES_1G,
    RL_PAGES_KINDS_
} rl_pages_kind;

const char *rl_pages_name(rl_pages_kind kind); /* "4k", "thp", "1g" */
int rl_pages_from_name(const char *name);      /* -1 if unknown */

typedef struct rl_pages {
    void *mem;
    size_t bytes; /* mapped (the request rounded up to the page size) */
    rl_pages_kind kind;
} rl_pages;

/* Maps at least `bytes` of the kind's pages. RL_EXIT_RUNTIME with the reason when the kernel
 * refuses (no 1 GiB pages reserved, out of memory). */
int rl_pages_alloc(size_t bytes, rl_pages_kind kind, rl_pages *out, rl_err *err);
void rl_pages_free(rl_pages *p); /* accepts a zeroed one */

/* Free 1 GiB pages (/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages); 0 when none or
 * unknown. */
long rl_pages_free_1g(void);

/* The share (0..1) of [start, start + bytes) backed by huge pages: 1 for hugetlbfs pages, the
 * mapping's AnonHugePages / Size from /proc/self/smaps for the others (after the first touch);
 * -1 when it cannot be read. */
double rl_pages_huge_share(const rl_pages *p);

/* The smaps parser behind it, on text in /proc/PID/smaps's format: the AnonHugePages (bytes) of
 * the mapping that contains `addr`, its size in *size (bytes); -1 when no mapping holds addr. */
int64_t rl_pages_smaps_anon_huge(const char *smaps, uintptr_t addr, uint64_t *size);

#endif
