/* chase.c: the pointer chase (see chase.h). */
#include "kernels/chase.h"

#include <stdlib.h>
#include <string.h>

/* splitmix64: a small, fast generator whose every output bit depends on every seed bit; the order
 * only has to look random to a prefetcher, not to a cryptographer. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A uniform draw in [0, bound) (bound >= 1) without modulo bias (Lemire's multiply-shift). */
static uint32_t below(uint64_t *state, uint32_t bound)
{
    return (uint32_t)(((next_random(state) >> 32) * (uint64_t)bound) >> 32);
}

int rl_chase_link(void *mem, size_t lines, uint64_t seed, rl_err *err)
{
    if (lines == 0)
        return rl_err_set(err, RL_EXIT_RUNTIME, "pointer chase: an empty set");
    if ((uint64_t)lines > UINT32_MAX)
        return rl_err_set(err, RL_EXIT_USAGE, "pointer chase: more than 2^32 lines");
    uint32_t *next = malloc(lines * sizeof *next);
    if (!next)
        return rl_err_set(err, RL_EXIT_RUNTIME, "pointer chase: out of memory for the order");
    /* Sattolo's algorithm: next[] becomes a uniformly random permutation made of one cycle
     * through every line (i -> next[i]). Its random accesses stay inside this 4-byte-per-line
     * index, so the set itself is then written once, in address order: a DRAM-sized set is
     * first-touched sequentially instead of by millions of scattered writes. */
    for (size_t i = 0; i < lines; i++)
        next[i] = (uint32_t)i;
    uint64_t state = seed;
    for (size_t i = lines - 1; i > 0; i--) {
        uint32_t j = below(&state, (uint32_t)i); /* j < i: what makes it one cycle */
        uint32_t t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
    char *base = mem;
    for (size_t i = 0; i < lines; i++)
        *(void **)(base + i * RL_CHASE_LINE) = base + (size_t)next[i] * RL_CHASE_LINE;
    free(next);
    return 0;
}

/* The loads go through a volatile-free `void **`: the compiler must keep each one (its value is the
 * next address) and cannot reorder them (each address is the previous value). */
void *rl_chase_run(void *start, uint64_t steps)
{
    void **p = start;
    for (uint64_t i = 0; i < steps; i += RL_CHASE_UNROLL) {
#define STEP p = (void **)*p;
        STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP
#undef STEP
    }
    return p;
}

void *rl_chase_walk(void *start, uint64_t steps)
{
    uint64_t rounded = (steps + RL_CHASE_UNROLL - 1) / RL_CHASE_UNROLL * RL_CHASE_UNROLL;
    void *p = start;
    for (uint64_t i = 0; i < rounded; i++)
        memcpy(&p, p, sizeof p);
    return p;
}

size_t rl_chase_cycle_length(const void *mem, size_t lines)
{
    /* Addresses as integers: a bad link may point anywhere, and comparing such a pointer with the
     * set's bounds would be undefined. */
    uintptr_t base = (uintptr_t)mem, end = base + lines * RL_CHASE_LINE;
    unsigned char *seen = calloc(lines ? lines : 1, 1);
    if (!seen)
        return 0;
    size_t count = 0;
    uintptr_t p = base;
    do {
        if (p < base || p >= end || (p - base) % RL_CHASE_LINE != 0)
            break;
        size_t i = (size_t)((p - base) / RL_CHASE_LINE);
        if (seen[i])
            break;
        seen[i] = 1;
        count++;
        const void *next;
        memcpy(&next, (const void *)p, sizeof next);
        p = (uintptr_t)next;
    } while (p != base);
    int closed = p == base;
    free(seen);
    return closed && count == lines ? count : 0;
}
