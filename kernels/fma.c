/* fma.c: the registry of compute kernels (see fma.h). Portable, compiled with baseline flags: it
 * only holds pointers to the descriptors each ISA file exports, and never calls a kernel.
 *
 * The kernels are one architecture's: the Makefile builds kernels/<arch>/ for the compiler's target
 * (ARCH), and the same target decides below which lists exist. Another architecture adds an #elif
 * with its own lists (kernels/arm/fma_arm.h); a target with none has an empty registry. */
#include "kernels/fma.h"

#include <stdio.h>
#include <string.h>

typedef struct fma_table {
    const rl_fma_kernel *const *list;
    const size_t *count;
} fma_table;

#if defined(__x86_64__)
#include "kernels/x86/fma_x86.h"

static const fma_table tables[] = {
    {rl_fma_list_scalar, &rl_fma_list_scalar_count},
    {rl_fma_list_sse2, &rl_fma_list_sse2_count},
    {rl_fma_list_avx, &rl_fma_list_avx_count},
    {rl_fma_list_avx2, &rl_fma_list_avx2_count},
    {rl_fma_list_avx512, &rl_fma_list_avx512_count},
    {rl_fma_list_avx512fp16, &rl_fma_list_avx512fp16_count},
    {rl_fma_list_avx512bf16, &rl_fma_list_avx512bf16_count},
    {rl_fma_list_avx512vnni, &rl_fma_list_avx512vnni_count},
    {rl_fma_list_avxvnni, &rl_fma_list_avxvnni_count},
    {rl_fma_list_amx, &rl_fma_list_amx_count},
};
#elif defined(__aarch64__)
#include "kernels/arm/fma_arm.h"

static const fma_table tables[] = {
    {rl_fma_list_neon, &rl_fma_list_neon_count},
    {rl_fma_list_neonfp16, &rl_fma_list_neonfp16_count},
    {rl_fma_list_dotprod, &rl_fma_list_dotprod_count},
    {rl_fma_list_bf16, &rl_fma_list_bf16_count},
    {rl_fma_list_i8mm, &rl_fma_list_i8mm_count},
    {rl_fma_list_sve, &rl_fma_list_sve_count},
    {rl_fma_list_sme, &rl_fma_list_sme_count},
};
#else
static const size_t no_kernels = 0;
static const fma_table tables[] = {{NULL, &no_kernels}}; /* C has no empty arrays */
#endif

/* What a user types for the ISA of a register width, beside the kernel names that say more
 * ("avx2-fma": AVX2 registers and FMA3 instructions). */
static const struct {
    const char *alias, *name;
} aliases[] = {
    {"avx2", "avx2-fma"},
    {"avx512", "avx512f"},
};

size_t rl_fma_count(void)
{
    size_t n = 0;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        n += *tables[t].count;
    return n;
}

const rl_fma_kernel *rl_fma_kernel_at(size_t i)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        if (i < *tables[t].count)
            return tables[t].list[i];
        i -= *tables[t].count;
    }
    return NULL;
}

double rl_fma_flops_per_iter(const rl_fma_kernel *k)
{
    if (!k->vl_bits)
        return k->flops_per_iter;
    double g = k->vl_bits() / 128.0;
    return k->flops_per_iter * (k->vl_power == 2 ? g * g : g);
}

rl_isa_mask rl_fma_missing(const rl_fma_kernel *k, rl_isa_mask runnable)
{
    return k->requires & ~runnable;
}

const char *rl_fma_isa_lookup(const char *name)
{
    const rl_fma_kernel *k;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++)
        if (strcmp(k->isa, name) == 0)
            return k->isa;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].alias, name) == 0)
            return aliases[i].name;
    return NULL;
}

void rl_fma_isa_names(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    const rl_fma_kernel *k;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp(rl_fma_kernel_at(j)->isa, k->isa) == 0)
                dup = 1;
        if (dup)
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", k->isa);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

void rl_fma_isa_aliases(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        int n = snprintf(out + used, size - used, "%s%s = %s", used ? ", " : "", aliases[i].alias,
                         aliases[i].name);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

int rl_fma_wider(const rl_fma_kernel *a, const rl_fma_kernel *b)
{
    if (a->width_bits != b->width_bits)
        return a->width_bits > b->width_bits;
    return a->math == RL_FMA_MATH_FMA && b->math != RL_FMA_MATH_FMA;
}
