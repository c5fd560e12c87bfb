/* nvml.cu: NVML through dlopen (see gpu_int.cuh): the GPU's links and power limit, and a sampler
 * thread that reads power, energy, clocks, temperature and the clock event ("throttle") reasons
 * every few milliseconds while a row runs.
 *
 * The NVML calls are declared here from NVIDIA's NVML API reference (the CUDA toolkit on the build
 * machine ships no nvml.h), each looked up by name, so a driver that lacks one (the clock event
 * reasons were called throttle reasons before driver 535) simply leaves that figure unknown. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels/cuda/gpu_int.cuh"

typedef int nvml_ret; /* nvmlReturn_t: 0 is NVML_SUCCESS */
typedef struct {      /* nvmlPciInfo_t (the _v2 query's layout) */
    char bus_id_legacy[16];
    unsigned domain, bus, device, pci_device_id, pci_subsystem_id;
    char bus_id[32];
} nvml_pci;

#define NVML_CLOCK_SM           1
#define NVML_CLOCK_MEM          2
#define NVML_TEMPERATURE_GPU    0
#define NVML_NVLINK_MAX_LINKS   18
#define NVML_NVLINK_TYPE_SWITCH 2

static struct {
    pthread_once_t once;
    int ok;
    char why[160];
    nvml_ret (*init)(void);
    nvml_ret (*by_bus)(const char *, rl_nvml_device *);
    nvml_ret (*gen)(rl_nvml_device, unsigned *), (*width)(rl_nvml_device, unsigned *);
    nvml_ret (*gen_max)(rl_nvml_device, unsigned *), (*width_max)(rl_nvml_device, unsigned *);
    nvml_ret (*power)(rl_nvml_device, unsigned *);
    nvml_ret (*energy)(rl_nvml_device, unsigned long long *);
    nvml_ret (*clock)(rl_nvml_device, int, unsigned *);
    nvml_ret (*temp)(rl_nvml_device, int, unsigned *);
    nvml_ret (*reasons)(rl_nvml_device, unsigned long long *);
    nvml_ret (*limit)(rl_nvml_device, unsigned *), (*limit_default)(rl_nvml_device, unsigned *);
    nvml_ret (*link_state)(rl_nvml_device, unsigned, int *);
    nvml_ret (*link_remote)(rl_nvml_device, unsigned, nvml_pci *);
    nvml_ret (*link_type)(rl_nvml_device, unsigned, int *);
    nvml_ret (*c2c)(rl_nvml_device, unsigned *);
} N = {PTHREAD_ONCE_INIT};

template <typename F> static void sym(void *h, F *fn, const char *name)
{
    *(void **)fn = dlsym(h, name);
}

static void open_once(void)
{
    void *h = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(N.why, sizeof N.why, "NVML not found (%.120s)", dlerror());
        return;
    }
    sym(h, &N.init, "nvmlInit_v2");
    sym(h, &N.by_bus, "nvmlDeviceGetHandleByPciBusId_v2");
    sym(h, &N.gen, "nvmlDeviceGetCurrPcieLinkGeneration");
    sym(h, &N.width, "nvmlDeviceGetCurrPcieLinkWidth");
    sym(h, &N.gen_max, "nvmlDeviceGetMaxPcieLinkGeneration");
    sym(h, &N.width_max, "nvmlDeviceGetMaxPcieLinkWidth");
    sym(h, &N.power, "nvmlDeviceGetPowerUsage");
    sym(h, &N.energy, "nvmlDeviceGetTotalEnergyConsumption");
    sym(h, &N.clock, "nvmlDeviceGetClockInfo");
    sym(h, &N.temp, "nvmlDeviceGetTemperature");
    sym(h, &N.reasons, "nvmlDeviceGetCurrentClocksEventReasons");
    if (!N.reasons)
        sym(h, &N.reasons, "nvmlDeviceGetCurrentClocksThrottleReasons");
    sym(h, &N.limit, "nvmlDeviceGetEnforcedPowerLimit");
    sym(h, &N.limit_default, "nvmlDeviceGetPowerManagementDefaultLimit");
    sym(h, &N.link_state, "nvmlDeviceGetNvLinkState");
    sym(h, &N.link_remote, "nvmlDeviceGetNvLinkRemotePciInfo_v2");
    sym(h, &N.link_type, "nvmlDeviceGetNvLinkRemoteDeviceType");
    sym(h, &N.c2c, "nvmlDeviceGetC2cModeInfoV");
    if (!N.init || !N.by_bus) {
        snprintf(N.why, sizeof N.why, "NVML too old: no nvmlInit_v2 or handle by PCI bus id");
        return;
    }
    nvml_ret e = N.init();
    if (e != 0) {
        snprintf(N.why, sizeof N.why, "NVML did not start (nvmlInit_v2 returned %d)", e);
        return;
    }
    N.ok = 1; /* the library stays loaded: the sampler threads use it until exit */
}

rl_nvml_device rl_nvml_of(int dev, char *why, size_t len)
{
    pthread_once(&N.once, open_once);
    if (!N.ok) {
        snprintf(why, len, "%s", N.why);
        return NULL;
    }
    char bus[32];
    if (cudaDeviceGetPCIBusId(bus, (int)sizeof bus, dev) != cudaSuccess) {
        cudaGetLastError();
        snprintf(why, len, "NVML: the CUDA device has no PCI bus id");
        return NULL;
    }
    rl_nvml_device h = NULL;
    nvml_ret e = N.by_bus(bus, &h);
    if (e != 0 || !h) {
        snprintf(why, len, "NVML does not know PCI %s (error %d)", bus, e);
        return NULL;
    }
    return h;
}

void rl_nvml_links(rl_nvml_device h, int n_cuda, rl_gpu_links *o)
{
    unsigned v = 0;
    if (N.gen && N.gen(h, &v) == 0)
        o->pcie_gen = (int)v;
    if (N.width && N.width(h, &v) == 0)
        o->pcie_width = (int)v;
    if (N.gen_max && N.gen_max(h, &v) == 0)
        o->pcie_gen_max = (int)v;
    if (N.width_max && N.width_max(h, &v) == 0)
        o->pcie_width_max = (int)v;
    if (N.limit && N.limit(h, &v) == 0)
        o->power_limit_w = v / 1000.0;
    if (N.limit_default && N.limit_default(h, &v) == 0)
        o->power_default_w = v / 1000.0;
    if (N.c2c && N.c2c(h, &v) == 0) /* nvmlC2cModeInfo_v1_t: {isC2cEnabled} */
        o->c2c = v != 0;
    for (unsigned link = 0; N.link_state && link < NVML_NVLINK_MAX_LINKS; link++) {
        int on = 0;
        if (N.link_state(h, link, &on) != 0 || !on)
            continue;
        o->nvlinks++;
        int type = -1;
        if (N.link_type && N.link_type(h, link, &type) == 0 && type == NVML_NVLINK_TYPE_SWITCH) {
            o->nvlinks_switch++;
            continue;
        }
        nvml_pci pci;
        memset(&pci, 0, sizeof pci);
        if (!N.link_remote || N.link_remote(h, link, &pci) != 0)
            continue;
        for (int d = 0; d < n_cuda && d < 16; d++) {
            int dom = 0, bus = 0, dev = 0;
            if (cudaDeviceGetAttribute(&dom, cudaDevAttrPciDomainId, d) == cudaSuccess &&
                cudaDeviceGetAttribute(&bus, cudaDevAttrPciBusId, d) == cudaSuccess &&
                cudaDeviceGetAttribute(&dev, cudaDevAttrPciDeviceId, d) == cudaSuccess &&
                (unsigned)dom == pci.domain && (unsigned)bus == pci.bus &&
                (unsigned)dev == pci.device)
                o->nvlinks_to[d]++;
        }
    }
    cudaGetLastError();
}

/* ---- the sampler -------------------------------------------------------------------------- */

#define SAMPLE_MS 5

struct rl_nvml_sampler {
    rl_nvml_device h;
    pthread_t thread;
    volatile int stop;
    int samples, power_samples;
    double power_sum, power_max, sm_sum, sm_min, mem_sum, temp_max;
    unsigned long long reasons;
    int reason_count[RL_GPU_REASONS];
    unsigned long long energy0;
    int have_energy;
    struct timespec t0;
};

static void *sample_loop(void *arg)
{
    rl_nvml_sampler *s = (rl_nvml_sampler *)arg;
    while (!s->stop) {
        unsigned v = 0;
        unsigned long long r = 0;
        if (N.power && N.power(s->h, &v) == 0) {
            s->power_sum += v / 1000.0;
            s->power_max = v / 1000.0 > s->power_max ? v / 1000.0 : s->power_max;
            s->power_samples++;
        }
        if (N.clock && N.clock(s->h, NVML_CLOCK_SM, &v) == 0) {
            s->sm_sum += v;
            s->sm_min = s->sm_min < 0 || v < s->sm_min ? v : s->sm_min;
        }
        if (N.clock && N.clock(s->h, NVML_CLOCK_MEM, &v) == 0)
            s->mem_sum += v;
        if (N.temp && N.temp(s->h, NVML_TEMPERATURE_GPU, &v) == 0 && v > s->temp_max)
            s->temp_max = v;
        if (N.reasons && N.reasons(s->h, &r) == 0) {
            s->reasons |= r;
            for (int i = 0; i < RL_GPU_REASONS; i++)
                s->reason_count[i] += (r >> i) & 1;
        }
        s->samples++;
        struct timespec ts = {0, SAMPLE_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

rl_nvml_sampler *rl_nvml_sampler_start(rl_nvml_device h)
{
    if (!h)
        return NULL;
    rl_nvml_sampler *s = (rl_nvml_sampler *)calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->h = h;
    s->sm_min = -1;
    s->have_energy = N.energy && N.energy(h, &s->energy0) == 0;
    clock_gettime(CLOCK_MONOTONIC, &s->t0);
    if (pthread_create(&s->thread, NULL, sample_loop, s) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

void rl_nvml_sampler_stop(rl_nvml_sampler *s, rl_gpu_power *o)
{
    memset(o, 0, sizeof *o);
    if (!s)
        return;
    s->stop = 1;
    pthread_join(s->thread, NULL);
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    unsigned long long e1 = 0;
    int energy = s->have_energy && N.energy(s->h, &e1) == 0 && e1 >= s->energy0;
    int n = s->samples;
    o->samples = n;
    o->seconds = (double)(t1.tv_sec - s->t0.tv_sec) + (t1.tv_nsec - s->t0.tv_nsec) * 1e-9;
    o->energy_j = energy ? (double)(e1 - s->energy0) / 1000.0 : -1;
    /* The energy counter integrates every millisecond; the power reading is a moving average
     * (about one second on recent boards), so the average comes from the energy where it can. */
    if (energy && o->seconds > 0)
        o->power_w = o->energy_j / o->seconds;
    else
        o->power_w = s->power_samples ? s->power_sum / s->power_samples : -1;
    o->power_max_w = s->power_samples ? s->power_max : -1;
    o->sm_mhz = n ? s->sm_sum / n : -1;
    o->sm_mhz_min = s->sm_min;
    o->mem_mhz = n ? s->mem_sum / n : -1;
    o->temp_c = s->temp_max > 0 ? s->temp_max : -1;
    o->reasons = s->reasons;
    for (int i = 0; i < RL_GPU_REASONS; i++)
        o->reason_frac[i] = n ? (float)s->reason_count[i] / (float)n : 0.0f;
    free(s);
}
