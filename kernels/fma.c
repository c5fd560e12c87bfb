/* fma.c: the registry of compute kernels (see fma.h). Portable, compiled with baseline flags: it
 * only holds pointers to the descriptors each ISA file exports, and never calls a kernel.
 *
 * The kernels are one architecture's: the Makefile builds kernels/<arch>/ for the compiler's target
 * (ARCH), and the same target decides below which lists exist. Another architecture adds an #elif
 * with its own lists (kernels/arm/fma_arm.h); a target with none has an empty registry. */
#include "kernels/fma.h"

#include <string.h>

#if defined(__x86_64__)
#include "kernels/x86/fma_x86.h"

static const rl_fma_kernel *const *const lists[] = {
    rl_fma_list_scalar,     rl_fma_list_sse2,       rl_fma_list_avx,
    rl_fma_list_avx2,       rl_fma_list_avx512,     rl_fma_list_avx512fp16,
    rl_fma_list_avx512bf16, rl_fma_list_avx512vnni, rl_fma_list_avxvnni,
};
#else
static const rl_fma_kernel *const no_kernels[] = {NULL};
static const rl_fma_kernel *const *const lists[] = {no_kernels};
#endif

const rl_fma_kernel *rl_fma_kernel_at(size_t i)
{
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t k = 0; lists[l][k]; k++)
            if (i-- == 0)
                return lists[l][k];
    return NULL;
}

rl_isa_mask rl_fma_missing(const rl_fma_kernel *k, rl_isa_mask runnable)
{
    return k->requires & ~runnable;
}

int rl_fma_isa_known(const char *isa)
{
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t i = 0; lists[l][i]; i++)
            if (strcmp(lists[l][i]->isa, isa) == 0)
                return 1;
    return 0;
}
