/* isa.c: names of the feature bits (see isa.h). */
#include "common/isa.h"

#include <stdio.h>
#include <string.h>

/* Indexed by bit; x86 first (bits 0-16), then AArch64 (17-27), another architecture's after them.
 */
static const char *const names[RL_ISA_COUNT_] = {
    "sse2",
    "avx",
    "avx2",
    "fma",
    "avx512f",
    "avx512vl",
    "avx512bw",
    "avx512dq",
    "avx512_fp16",
    "avx512_bf16",
    "avx512_vnni",
    "avx_vnni",
    "f16c",
    "amx_tile",
    "amx_int8",
    "amx_bf16",
    "amx_fp16",
    /* AArch64 */
    "neon",
    "asimdhp",
    "asimddp",
    "sve",
    "sve2",
    "bf16",
    "i8mm",
    "sme",
    "sme2",
    "sve_bf16",
    "sve_i8mm",
};

const char *rl_isa_name(rl_isa_mask bit)
{
    for (int i = 0; i < RL_ISA_COUNT_; i++)
        if (bit == ((rl_isa_mask)1 << i))
            return names[i];
    return NULL;
}

rl_isa_mask rl_isa_from_name(const char *name)
{
    for (int i = 0; i < RL_ISA_COUNT_; i++)
        if (strcmp(name, names[i]) == 0)
            return (rl_isa_mask)1 << i;
    return 0;
}

void rl_isa_format(rl_isa_mask mask, char *out, unsigned long size)
{
    size_t used = 0;
    if (size == 0)
        return;
    out[0] = '\0';
    for (int i = 0; i < RL_ISA_COUNT_; i++) {
        if (!(mask & ((rl_isa_mask)1 << i)))
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? " " : "", names[i]);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}
