/* platform_mem.c: server CPU models -> their memory system (see platform_mem.h).
 *
 * A row matches a vendor, family and model range and, where one model spans several platforms,
 * a word of the brand string (EPYC 8004 "Siena" shares Genoa's model range with six channels;
 * Xeon 6 6900 parts have twelve channels, 6700 parts eight). A model whose brand string names no
 * SKU (a VM's "Intel Xeon Processor") matches only rows that need no SKU. The rate is the highest
 * of the platform's standard registered DIMMs at one DIMM per channel; faster module types it also
 * takes (MRDIMM) are named in `memory`, not counted. */
#include "probes/platform_mem.h"

#include <string.h>

typedef struct platform_row {
    const char *vendor;
    int family, model_lo, model_hi;
    const char *brand_has; /* NULL: any brand string */
    rl_platform_mem mem;
} platform_row;

#define INTEL "GenuineIntel"
#define AMD   "AuthenticAMD"

/* First match wins: SKU-specific rows before the family's default. */
/* clang-format off */
static const platform_row rows[] = {
    {AMD, 0x17, 0x00, 0x0F, "EPYC", {"AMD EPYC 7001 (Naples)", 8, 2666, "DDR4-2666", "amd-epyc-7001"}},
    {AMD, 0x17, 0x30, 0x3F, "EPYC", {"AMD EPYC 7002 (Rome)", 8, 3200, "DDR4-3200", "amd-epyc-ddr4"}},
    {AMD, 0x19, 0x00, 0x0F, "EPYC", {"AMD EPYC 7003 (Milan)", 8, 3200, "DDR4-3200", "amd-epyc-ddr4"}},
    {AMD, 0x19, 0xA0, 0xAF, "EPYC 8", {"AMD EPYC 8004 (Siena)", 6, 4800, "DDR5-4800", "amd-epyc-9004"}},
    {AMD, 0x19, 0x10, 0x1F, "EPYC", {"AMD EPYC 9004 (Genoa)", 12, 4800, "DDR5-4800", "amd-epyc-9004"}},
    {AMD, 0x19, 0xA0, 0xAF, "EPYC", {"AMD EPYC 9004 (Bergamo)", 12, 4800, "DDR5-4800", "amd-epyc-9004"}},
    {AMD, 0x1A, 0x00, 0x1F, "EPYC", {"AMD EPYC 9005 (Turin)", 12, 6000, "DDR5-6000", "amd-epyc-9005"}},
    {INTEL, 6, 0x6A, 0x6A, NULL, {"Intel Xeon 3rd gen (Ice Lake-SP)", 8, 3200, "DDR4-3200", "intel-xeon-spec"}},
    {INTEL, 6, 0x8F, 0x8F, "-24", {"Intel Xeon W-2400 (Sapphire Rapids)", 4, 4800, "DDR5-4800", "intel-xeon-spec"}},
    {INTEL, 6, 0x8F, 0x8F, NULL, {"Intel Xeon 4th gen (Sapphire Rapids)", 8, 4800, "DDR5-4800", "intel-xeon-ddr5"}},
    {INTEL, 6, 0xCF, 0xCF, NULL, {"Intel Xeon 5th gen (Emerald Rapids)", 8, 5600, "DDR5-5600", "intel-xeon-spec"}},
    {INTEL, 6, 0xAD, 0xAD, " 69", {"Intel Xeon 6 6900P (Granite Rapids-AP)", 12, 6400, "DDR5-6400 or MRDIMM-8800", "intel-xeon-ddr5"}},
    {INTEL, 6, 0xAD, 0xAD, " 67", {"Intel Xeon 6 6700P (Granite Rapids-SP)", 8, 6400, "DDR5-6400 or MRDIMM-8000", "intel-xeon-ddr5"}},
    {INTEL, 6, 0xAF, 0xAF, " 69", {"Intel Xeon 6 6900E (Sierra Forest-AP)", 12, 6400, "DDR5-6400", "intel-xeon-ddr5"}},
    {INTEL, 6, 0xAF, 0xAF, " 67", {"Intel Xeon 6 6700E (Sierra Forest-SP)", 8, 6400, "DDR5-6400", "intel-xeon-ddr5"}},
};
/* clang-format on */

const rl_platform_mem *rl_platform_mem_for(const char *vendor, int family, int model,
                                           const char *brand)
{
    if (!vendor)
        return NULL;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const platform_row *r = &rows[i];
        if (strcmp(vendor, r->vendor) != 0 || family != r->family || model < r->model_lo ||
            model > r->model_hi)
            continue;
        if (r->brand_has && !(brand && strstr(brand, r->brand_has)))
            continue;
        return &r->mem;
    }
    return NULL;
}

double rl_platform_mem_gbs(const rl_platform_mem *p)
{
    return p ? p->channels * (double)p->mts * 8 / 1000 : -1;
}

int rl_platform_mem_row_source(size_t i, const char **name, const char **source)
{
    if (i >= sizeof rows / sizeof rows[0])
        return 0;
    *name = rows[i].mem.platform;
    *source = rows[i].mem.source;
    return 1;
}
