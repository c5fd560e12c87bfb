/* arena.h: a bump allocator whose objects all die together.
 *
 * A model's graph (nodes, names, attributes, shapes) is allocated here and freed with the model in
 * one call: no object inside it is freed on its own. Memory is zeroed. Allocation failure and size
 * overflow return NULL. */
#ifndef RL_ARENA_H
#define RL_ARENA_H

#include <stddef.h>

typedef struct rl_arena rl_arena;

rl_arena *rl_arena_new(void);
void rl_arena_free(rl_arena *a); /* accepts NULL */

void *rl_arena_alloc(rl_arena *a, size_t size);
/* n * size bytes, NULL when the product overflows. */
void *rl_arena_array(rl_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of n bytes. */
char *rl_arena_strndup(rl_arena *a, const char *s, size_t n);
char *rl_arena_strdup(rl_arena *a, const char *s);

/* Bytes obtained from malloc so far (for tests and the memory budget). */
size_t rl_arena_footprint(const rl_arena *a);

#endif
