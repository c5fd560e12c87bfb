/* pages.c: memory on a chosen page size (see pages.h). */
#include "runner/pages.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/bytes.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)
#endif

#define THP_SIZE ((size_t)2 << 20)
#define GIB      ((size_t)1 << 30)

static const char *const names[RL_PAGES_KINDS_] = {"4k", "thp", "1g"};

const char *rl_pages_name(rl_pages_kind kind)
{
    return (unsigned)kind < RL_PAGES_KINDS_ ? names[kind] : "?";
}

int rl_pages_from_name(const char *name)
{
    for (int i = 0; i < RL_PAGES_KINDS_; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static size_t round_up(size_t x, size_t to)
{
    return (x + to - 1) / to * to;
}

int rl_pages_alloc(size_t bytes, rl_pages_kind kind, rl_pages *out, rl_err *err)
{
    char want[32];
    memset(out, 0, sizeof *out);
    out->kind = kind;
    rl_bytes_format(want, sizeof want, bytes);
    if (kind == RL_PAGES_1G) {
#ifdef MAP_HUGETLB
        size_t len = round_up(bytes, GIB);
        void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, -1, 0);
        if (m == MAP_FAILED)
            return rl_err_set(err, RL_EXIT_RUNTIME,
                              "no 1 GiB pages for %s (%s: reserve them in "
                              "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages)",
                              want, strerror(errno));
        out->mem = m, out->bytes = len;
        return 0;
#else
        return rl_err_set(err, RL_EXIT_RUNTIME, "1 GiB pages: not supported by this system");
#endif
    }
    /* THP: the mapping over-allocated by one huge page and trimmed to 2 MiB alignment, so every
     * 2 MiB of it can be one huge page. */
    size_t len = kind == RL_PAGES_THP ? round_up(bytes, THP_SIZE) : round_up(bytes, 4096);
    size_t extra = kind == RL_PAGES_THP ? THP_SIZE : 0;
    char *m = mmap(NULL, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return rl_err_set(err, RL_EXIT_RUNTIME, "cannot map %s: %s", want, strerror(errno));
    if (extra) {
        uintptr_t start = ((uintptr_t)m + THP_SIZE - 1) / THP_SIZE * THP_SIZE;
        size_t head = (size_t)(start - (uintptr_t)m);
        if (head)
            munmap(m, head);
        if (extra - head)
            munmap((char *)start + len, extra - head);
        m = (char *)start;
    }
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
    /* A hint either way: THP=never ignores MADV_HUGEPAGE, and the share granted is read back. */
    madvise(m, len, kind == RL_PAGES_THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#endif
    out->mem = m, out->bytes = len;
    return 0;
}

void rl_pages_free(rl_pages *p)
{
    if (p && p->mem)
        munmap(p->mem, p->bytes);
    if (p)
        p->mem = NULL, p->bytes = 0;
}

long rl_pages_free_1g(void)
{
    FILE *f = fopen("/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "r");
    long n = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%ld", &n) != 1 || n < 0)
        n = 0;
    fclose(f);
    return n;
}

int64_t rl_pages_smaps_anon_huge(const char *smaps, uintptr_t addr, uint64_t *size)
{
    int inside = 0;
    for (const char *line = smaps; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        uintmax_t lo, hi;
        char tail;
        /* A mapping's header: "7f12a0000000-7f12b0000000 rw-p ..."; its fields follow. */
        if (sscanf(line, "%jx-%jx %c", &lo, &hi, &tail) == 3) {
            inside = addr >= lo && addr < hi;
            if (inside && size)
                *size = (uint64_t)(hi - lo);
        } else if (inside && strncmp(line, "AnonHugePages:", 14) == 0) {
            uintmax_t kb;
            if (sscanf(line + 14, "%ju", &kb) == 1)
                return (int64_t)(kb * 1024);
            return -1;
        }
        line = nl ? nl + 1 : line + len;
    }
    return -1;
}

double rl_pages_huge_share(const rl_pages *p)
{
    if (!p->mem || p->bytes == 0)
        return -1;
    if (p->kind == RL_PAGES_1G)
        return 1;
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    /* smaps of a small process is tens of KiB; read it whole, it changes as we read otherwise. */
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap);
    while (text) {
        if (n + 4096 + 1 > cap) {
            char *bigger = realloc(text, cap * 2);
            if (!bigger) {
                free(text);
                text = NULL;
                break;
            }
            text = bigger, cap *= 2;
        }
        size_t got = fread(text + n, 1, 4096, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    if (!text)
        return -1;
    text[n] = '\0';
    uint64_t size = 0;
    int64_t huge = rl_pages_smaps_anon_huge(text, (uintptr_t)p->mem, &size);
    free(text);
    if (huge < 0 || size == 0)
        return -1;
    /* The mapping may be larger than ours when the kernel merged it with a neighbour. */
    double share = (double)huge / (double)p->bytes;
    return share > 1 ? 1 : share;
}
