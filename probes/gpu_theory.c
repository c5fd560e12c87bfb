/* gpu_theory.c: the per-compute-capability table and the arithmetic of a GPU's theoretical roofline
 * (see gpu_theory.h).
 *
 * Sources, per row: NVIDIA's architecture whitepapers give FLOPs per SM per clock and the peak
 * rates with the clock each was quoted at (Tesla P100 whitepaper; Volta V100 whitepaper, Table 1;
 * Turing TU102 whitepaper, Appendix A; Ampere GA100 whitepaper, Table 1 and GA102 whitepaper,
 * Appendix A; Ada AD102 whitepaper, Appendix A and the L40S datasheet; Hopper H100 whitepaper,
 * Table 2; Blackwell B200 and RTX 5090 datasheets), and the CUDA C++ Programming Guide's
 * "Arithmetic Instructions" throughput table (results per clock per SM; one FMA = 2 FLOPs).
 * Spec-sheet peaks divided by SMs and their quoted clock give the same per-cycle figures;
 * tests/test_gpu_theory.c checks the table against those peaks for the RTX 3090, A100, H100
 * SXM/PCIe, H200, L40S and RTX 4090. Shared memory: 32 banks x 4 bytes per clock per SM
 * (Programming Guide, "Shared Memory"). A figure the sources do not give is 0 (unknown), never a
 * guess: sm_100's CUDA-core fp16/bf16. */
#include "probes/gpu_theory.h"

#include <stdio.h>
#include <string.h>

/* clang-format off */
static const rl_gpu_rates RATES[] = {
    /* cc  family        fp64  fp32  fp16  bf16 | t_fp64 t_tf32 t_fp16 t_bf16  t_fp8 t_int8  smem */
    {60, "Pascal GP100",   64,  128,  256,    0,      0,     0,     0,     0,     0,     0, 128},
    {61, "Pascal GP10x",    8,  256,    4,    0,      0,     0,     0,     0,     0,     0, 128},
    {70, "Volta",          64,  128,  256,    0,      0,     0,  1024,     0,     0,     0, 128},
    {75, "Turing",          4,  128,  256,    0,      0,     0,  1024,     0,     0,  2048, 128},
    {80, "Ampere GA100",   64,  128,  512,  256,    128,  1024,  2048,  2048,     0,  4096, 128},
    {86, "Ampere GA10x",    4,  256,  256,  256,      0,   512,  1024,  1024,     0,  2048, 128},
    {89, "Ada",             4,  256,  256,  256,      0,   512,  1024,  1024,  2048,  2048, 128},
    {90, "Hopper",        128,  256,  512,  512,    256,  2048,  4096,  4096,  8192,  8192, 128},
    {100, "Blackwell B200",128,  256,    0,    0,    128,  4096,  8192,  8192, 16384, 16384, 128},
    {120, "Blackwell GB20x", 4,  256,  256,  256,      0,   512,  1024,  1024,  2048,  2048, 128},
};
/* clang-format on */

/* Each row's documents, by docs/sources.md key (a test checks every RATES row has one). */
static const struct {
    int cc;
    const char *keys;
} RATE_SOURCES[] = {
    {60, "nvidia-p100-wp cuda-guide-throughput"},  {61, "cuda-guide-throughput"},
    {70, "nvidia-v100-wp cuda-guide-throughput"},  {75, "nvidia-turing-wp cuda-guide-throughput"},
    {80, "nvidia-a100-wp cuda-guide-throughput"},  {86, "nvidia-ga102-wp cuda-guide-throughput"},
    {89, "nvidia-ada-wp cuda-guide-throughput"},   {90, "nvidia-h100-wp cuda-guide-throughput"},
    {100, "nvidia-b200-ds cuda-guide-throughput"}, {120, "nvidia-rtx5090-ds cuda-guide-throughput"},
};

int rl_gpu_rates_row_source(size_t i, const char **name, const char **source)
{
    if (i >= sizeof RATES / sizeof RATES[0])
        return 0;
    *name = RATES[i].family;
    *source = "";
    for (size_t j = 0; j < sizeof RATE_SOURCES / sizeof RATE_SOURCES[0]; j++)
        if (RATE_SOURCES[j].cc == RATES[i].cc)
            *source = RATE_SOURCES[j].keys;
    return 1;
}

const rl_gpu_rates *rl_gpu_rates_for(int cc_major, int cc_minor)
{
    int cc = cc_major * 10 + cc_minor;
    for (size_t i = 0; i < sizeof RATES / sizeof RATES[0]; i++)
        if (RATES[i].cc == cc)
            return &RATES[i];
    return NULL;
}

int rl_gpu_is_geforce_halved(const rl_gpu_info *in)
{
    int cc = in->cc_major * 10 + in->cc_minor;
    return (cc == 86 || cc == 89 || in->cc_major == 12) && strstr(in->name, "GeForce") != NULL;
}

double rl_gpu_per_sm_cycle(const rl_gpu_info *in, const char *path, const char *precision)
{
    const rl_gpu_rates *r = rl_gpu_rates_for(in->cc_major, in->cc_minor);
    if (!r)
        return 0;
    if (!strcmp(path, "cuda-core")) {
        if (!strcmp(precision, "fp64"))
            return r->fp64;
        if (!strcmp(precision, "fp32"))
            return r->fp32;
        if (!strcmp(precision, "fp16"))
            return r->fp16;
        if (!strcmp(precision, "bf16"))
            return r->bf16;
        return 0;
    }
    if (strncmp(path, "tensor", 6) != 0)
        return 0;
    double half = rl_gpu_is_geforce_halved(in) ? 0.5 : 1.0;
    if (!strcmp(precision, "fp64"))
        return r->t_fp64;
    if (!strcmp(precision, "tf32"))
        return r->t_tf32 * half;
    if (!strcmp(precision, "fp16"))
        return r->t_fp16 * half;
    if (!strcmp(precision, "bf16"))
        return r->t_bf16 * half;
    if (!strcmp(precision, "fp8"))
        return r->t_fp8 * half;
    if (!strcmp(precision, "int8"))
        return r->t_int8;
    return 0;
}

double rl_gpu_peak_gflops(const rl_gpu_info *in, const char *path, const char *precision,
                          double clock_ghz)
{
    double pc = rl_gpu_per_sm_cycle(in, path, precision);
    if (pc <= 0 || clock_ghz <= 0 || in->sms <= 0)
        return -1;
    return in->sms * pc * clock_ghz;
}

double rl_gpu_dram_gbs(const rl_gpu_info *in)
{
    if (in->mem_clock_khz <= 0 || in->mem_bus_bits <= 0)
        return -1;
    return 2.0 * in->mem_clock_khz * 1e3 * (in->mem_bus_bits / 8.0) / 1e9;
}

static void version_string(char *out, size_t size, int v)
{
    if (v > 0)
        snprintf(out, size, "%d.%d", v / 1000, v % 1000 / 10);
    else
        snprintf(out, size, "unknown");
}

int rl_gpu_theory_fill(rl_device *d, const rl_gpu_info *in, rl_err *err)
{
    snprintf(d->id, sizeof d->id, "gpu%d", in->ordinal);
    snprintf(d->backend, sizeof d->backend, "cuda");
    snprintf(d->name, sizeof d->name, "%s", in->name);
    snprintf(d->arch, sizeof d->arch, "sm_%d%d", in->cc_major, in->cc_minor);
    snprintf(d->bus_id, sizeof d->bus_id, "%s", in->pci_bus_id);
    d->units = in->sms;
    d->max_clock_ghz = in->sm_clock_khz > 0 ? in->sm_clock_khz / 1e6 : -1;
    d->mem_clock_mhz = in->mem_clock_khz > 0 ? in->mem_clock_khz / 1e3 : -1;
    d->mem_bus_bits = in->mem_bus_bits;
    d->mem_bytes = in->mem_bytes;
    d->l2_bytes = in->l2_bytes;
    d->dram_gbs = rl_gpu_dram_gbs(in);
    version_string(d->driver, sizeof d->driver, in->driver_version);
    version_string(d->runtime, sizeof d->runtime, in->runtime_version);

    const rl_gpu_rates *r = rl_gpu_rates_for(in->cc_major, in->cc_minor);
    if (!r) {
        snprintf(d->theory_note, sizeof d->theory_note,
                 "compute capability %d.%d is not in the table (probes/gpu_theory.c): theoretical "
                 "compute peaks unknown",
                 in->cc_major, in->cc_minor);
        return 0;
    }
    snprintf(d->theory_note, sizeof d->theory_note,
             "%s (sm_%d): FLOPs/SM/cycle from NVIDIA's whitepapers; peaks at the driver's peak SM "
             "clock%s",
             r->family, r->cc,
             rl_gpu_is_geforce_halved(in)
                 ? "; GeForce: fp32-accumulated tensor math and tf32 at half rate"
                 : "");
    d->smem_gbs = d->max_clock_ghz > 0 ? in->sms * r->smem_bytes_per_cycle * d->max_clock_ghz : -1;
    static const struct {
        const char *path, *precision, *unit;
    } ROWS[] = {
        {"cuda-core", "fp64", "GFLOP/s"}, {"cuda-core", "fp32", "GFLOP/s"},
        {"cuda-core", "fp16", "GFLOP/s"}, {"cuda-core", "bf16", "GFLOP/s"},
        {"tensor", "fp64", "GFLOP/s"},    {"tensor", "tf32", "GFLOP/s"},
        {"tensor", "fp16", "GFLOP/s"},    {"tensor", "bf16", "GFLOP/s"},
        {"tensor", "fp8", "GFLOP/s"},     {"tensor", "int8", "GOP/s"},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        double pc = rl_gpu_per_sm_cycle(in, ROWS[i].path, ROWS[i].precision);
        if (pc <= 0)
            continue;
        rl_device_peak p;
        memset(&p, 0, sizeof p);
        snprintf(p.path, sizeof p.path, "%s", ROWS[i].path);
        snprintf(p.precision, sizeof p.precision, "%s", ROWS[i].precision);
        snprintf(p.unit, sizeof p.unit, "%s", ROWS[i].unit);
        p.per_unit_per_cycle = pc;
        p.clock_ghz = d->max_clock_ghz;
        p.gflops = rl_gpu_peak_gflops(in, ROWS[i].path, ROWS[i].precision, d->max_clock_ghz);
        if (rl_device_add_peak(d, &p, err) != 0)
            return -1;
    }
    return 0;
}

double rl_gpu_pcie_gbs(int gen, int width)
{
    /* GB/s per lane per direction. */
    static const double LANE[] = {0,
                                  0.25,
                                  0.5,
                                  8.0 * 128 / 130 / 8,
                                  16.0 * 128 / 130 / 8,
                                  32.0 * 128 / 130 / 8,
                                  64.0 * 242 / 256 / 8};
    if (gen < 1 || gen >= (int)(sizeof LANE / sizeof LANE[0]) || width < 1)
        return -1;
    return LANE[gen] * width;
}

double rl_gpu_nvlink_gbs_per_link(int cc_major, int cc_minor)
{
    int cc = cc_major * 10 + cc_minor;
    if (cc == 60)
        return 20;
    if (cc == 70 || cc == 80 || cc == 90)
        return 25;
    if (cc == 100)
        return 50;
    return -1;
}
