/* test_cache.c: result/cache's questions about hand-made machines: which cache is "the L<n>" and
 * how many compactly placed threads share one instance of it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "result/cache.h"

static void add_cache(rl_machine *m, int level, const char *type, uint64_t size, int sharing,
                      int instances)
{
    rl_cache *c = &m->caches[m->n_caches++];
    c->level = level;
    snprintf(c->type, sizeof c->type, "%s", type);
    c->size_bytes = size;
    c->cores_sharing = sharing;
    c->instances = instances;
}

Test(cache, data_caches_only_and_the_most_common_on_hybrid_parts)
{
    rl_machine m;
    memset(&m, 0, sizeof m);
    add_cache(&m, 1, "instruction", 64 << 10, 1, 8);
    add_cache(&m, 1, "data", 48 << 10, 1, 4);  /* big cores */
    add_cache(&m, 1, "data", 32 << 10, 1, 16); /* small cores: more instances */
    add_cache(&m, 2, "unified", 0, 1, 4);      /* described without a size */
    add_cache(&m, 3, "unified", 30 << 20, 20, 1);
    cr_assert_eq(rl_cache_size(&m, 1), 32 << 10);
    cr_assert_str_eq(rl_cache_find(&m, 1)->type, "data");
    cr_assert_null(rl_cache_find(&m, 2), "size 0 is no cache");
    cr_assert_eq(rl_cache_size(&m, 2), 0);
    cr_assert_eq(rl_cache_size(&m, 4), 0);
    cr_assert_eq(rl_cache_size(&m, 3), 30 << 20);
}

Test(cache, threads_per_instance)
{
    rl_cache c = {3, "unified", 32 << 20, 8, 2};
    cr_assert_eq(rl_cache_threads_per_instance(&c, 1), 1);
    cr_assert_eq(rl_cache_threads_per_instance(&c, 8), 8);
    cr_assert_eq(rl_cache_threads_per_instance(&c, 16), 8);
    c.cores_sharing = 0; /* unknown: one core each */
    cr_assert_eq(rl_cache_threads_per_instance(&c, 16), 1);
}
