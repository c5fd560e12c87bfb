/* platform_mem.h: the memory system a server CPU model fixes, for machines whose SMBIOS says
 * nothing (cloud VMs): channels per socket and the highest DDR rate the platform supports, from
 * the vendors' specifications (docs/sources.md). This is the platform's theoretical bandwidth per
 * socket, not a VM's share of it: probes/probe.c reports it as the platform's, and uses it for the
 * theoretical ridge only on bare metal (no hypervisor, every core visible) or when the user
 * confirms with --platform-memory. --mem-channels/--mem-mts still override. */
#ifndef RL_PLATFORM_MEM_H
#define RL_PLATFORM_MEM_H

#include <stddef.h>

typedef struct rl_platform_mem {
    const char *platform; /* "AMD EPYC 9004 (Genoa)" */
    int channels;         /* DRAM channels per socket */
    int mts;              /* the highest rate of its standard DIMMs, MT/s */
    const char *memory;   /* "DDR5-4800", with any faster module type the platform also takes */
    const char *source;   /* docs/sources.md keys */
} rl_platform_mem;

/* The platform of a CPU (vendor, display family and model, brand string: several platforms share
 * a model and differ by SKU), or NULL when the model is not a server part in the table or its SKU
 * cannot be told from the brand string. */
const rl_platform_mem *rl_platform_mem_for(const char *vendor, int family, int model,
                                           const char *brand);

/* Per-socket GB/s of a platform: channels x MT/s x 8 bytes. */
double rl_platform_mem_gbs(const rl_platform_mem *p);

/* The table's rows, for the sources test. Returns 0 past the last row. */
int rl_platform_mem_row_source(size_t i, const char **name, const char **source);

#endif
