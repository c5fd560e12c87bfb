/* cache.c: cache questions about a described machine (see cache.h). */
#include "result/cache.h"

#include <string.h>

const rl_cache *rl_cache_find(const rl_machine *m, int level)
{
    const rl_cache *best = NULL;
    for (int i = 0; i < m->n_caches; i++) {
        const rl_cache *c = &m->caches[i];
        if (c->level != level || strcmp(c->type, "instruction") == 0 || c->size_bytes == 0)
            continue;
        if (!best || c->instances > best->instances)
            best = c;
    }
    return best;
}

uint64_t rl_cache_size(const rl_machine *m, int level)
{
    const rl_cache *c = rl_cache_find(m, level);
    return c ? c->size_bytes : 0;
}

int rl_cache_threads_per_instance(const rl_cache *c, int threads)
{
    int sharing = c->cores_sharing > 0 ? c->cores_sharing : 1;
    return threads < sharing ? threads : sharing;
}
