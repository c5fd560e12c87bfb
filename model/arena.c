/* arena.c: bump allocator (see arena.h). Chunks are a singly linked list; a request larger than the
 * default chunk gets a chunk of its own. */
#include "model/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE ((size_t)64 * 1024)
#define ALIGN      ((size_t)16)

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} chunk;

struct rl_arena {
    chunk *head;
    size_t footprint;
};

rl_arena *rl_arena_new(void)
{
    return calloc(1, sizeof(rl_arena));
}

void rl_arena_free(rl_arena *a)
{
    if (!a)
        return;
    chunk *c = a->head;
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void *rl_arena_alloc(rl_arena *a, size_t size)
{
    if (!a)
        return NULL;
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - ALIGN - sizeof(chunk))
        return NULL;
    size_t rounded = (size + ALIGN - 1) & ~(ALIGN - 1);
    chunk *c = a->head;
    if (!c || c->cap - c->used < rounded) {
        size_t cap = rounded > CHUNK_SIZE ? rounded : CHUNK_SIZE;
        chunk *n = malloc(sizeof(chunk) + cap);
        if (!n)
            return NULL;
        n->used = 0;
        n->cap = cap;
        a->footprint += sizeof(chunk) + cap;
        if (c && rounded > CHUNK_SIZE) {
            /* keep filling the current chunk: put the big one behind it */
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = c->data + c->used;
    c->used += rounded;
    memset(p, 0, size);
    return p;
}

void *rl_arena_array(rl_arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return rl_arena_alloc(a, n * size);
}

char *rl_arena_strndup(rl_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = rl_arena_alloc(a, n + 1);
    if (p && n)
        memcpy(p, s, n);
    return p;
}

char *rl_arena_strdup(rl_arena *a, const char *s)
{
    return rl_arena_strndup(a, s, strlen(s));
}

size_t rl_arena_footprint(const rl_arena *a)
{
    return a ? a->footprint : 0;
}
