/* isaclock.c: the registry of clock-under-load kernels (see isaclock.h). Portable, compiled with
 * baseline flags: it only holds pointers to the descriptors each ISA file exports. */
#include "kernels/isaclock.h"

#include <string.h>

typedef struct clock_table {
    const rl_isaclock_kernel *const *list;
    const size_t *count;
} clock_table;

#if defined(__x86_64__)
#include "kernels/x86/clock_x86.h"

static const clock_table tables[] = {
    {rl_isaclock_list_scalar, &rl_isaclock_list_scalar_count},
    {rl_isaclock_list_sse2, &rl_isaclock_list_sse2_count},
    {rl_isaclock_list_avx, &rl_isaclock_list_avx_count},
    {rl_isaclock_list_avx2, &rl_isaclock_list_avx2_count},
    {rl_isaclock_list_avx512, &rl_isaclock_list_avx512_count},
};
#else
static const size_t no_kernels = 0;
static const clock_table tables[] = {{NULL, &no_kernels}}; /* C has no empty arrays */
#endif

size_t rl_isaclock_count(void)
{
    size_t n = 0;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        n += *tables[t].count;
    return n;
}

const rl_isaclock_kernel *rl_isaclock_at(size_t i)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        if (i < *tables[t].count)
            return tables[t].list[i];
        i -= *tables[t].count;
    }
    return NULL;
}

const rl_isaclock_kernel *rl_isaclock_for(const char *family)
{
    const rl_isaclock_kernel *k;
    for (size_t i = 0; family && (k = rl_isaclock_at(i)) != NULL; i++)
        if (strcmp(k->family, family) == 0)
            return k;
    return NULL;
}
