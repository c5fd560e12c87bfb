/* test_sources.c: every row of every theory table names its documents by keys docs/sources.md
 * lists. A table added elsewhere (the ARM core table, ...) adds one line to TABLES with its
 * row-source function. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "probes/cachebw.h"
#include "probes/gpu_theory.h"
#include "probes/platform_mem.h"
#include "probes/uarch.h"
#include "probes/uarch_arm.h"
#include "tests/helpers.h"

typedef int (*row_source_fn)(size_t i, const char **name, const char **source);

static const struct {
    const char *table;
    row_source_fn row;
} TABLES[] = {
    {"probes/uarch.c (x86 cores and models)", rl_uarch_row_source},
    {"probes/cachebw.c (cache bytes/cycle)", rl_cachebw_row_source},
    {"probes/gpu_theory.c (GPU rates)", rl_gpu_rates_row_source},
    {"probes/platform_mem.c (server memory platforms)", rl_platform_mem_row_source},
    {"probes/uarch_arm.c (AArch64 FLOPs/cycle)", rl_uarch_arm_row_source},
};

/* Is `key` listed in docs/sources.md as a table row "| `key` |"? */
static int listed(const char *doc, const char *key, size_t len)
{
    char want[96];
    if (len + 6 >= sizeof want)
        return 0;
    snprintf(want, sizeof want, "| `%.*s` |", (int)len, key);
    return strstr(doc, want) != NULL;
}

Test(sources, every_table_row_names_listed_sources)
{
    char *doc = rl_test_slurp("docs/sources.md", NULL);
    cr_assert_not_null(doc, "docs/sources.md missing");
    int bad = 0, rows = 0;
    for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++) {
        const char *name, *source;
        for (size_t i = 0; TABLES[t].row(i, &name, &source); i++) {
            rows++;
            if (!source || !source[strspn(source, " ")]) {
                bad++;
                cr_log_error("%s: row %zu (%s) has no source", TABLES[t].table, i, name);
                continue;
            }
            for (const char *p = source; *p;) {
                p += strspn(p, " ");
                size_t len = strcspn(p, " ");
                if (len && !listed(doc, p, len)) {
                    bad++;
                    cr_log_error("%s: row %zu (%s): source '%.*s' is not in docs/sources.md",
                                 TABLES[t].table, i, name, (int)len, p);
                }
                p += len;
            }
        }
    }
    free(doc);
    cr_assert_geq(rows, 80, "the tables have only %d rows", rows);
    cr_assert_eq(bad, 0, "%d table rows without a listed source", bad);
}

/* The check itself: a key the page does not list is caught. */
Test(sources, an_unlisted_key_is_caught)
{
    const char *doc = "| `intel-opt` | manual |\n";
    cr_assert(listed(doc, "intel-opt", 9));
    cr_assert(!listed(doc, "intel-op", 8));
    cr_assert(!listed(doc, "made-up", 7));
}
