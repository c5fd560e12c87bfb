/* clock.c: the core clock, measured with a dependent chain of integer adds (see clock.h).
 *
 * Each `add %reg, %acc` depends on the previous one, so the chain retires one add per cycle on
 * every x86 core since the Pentium Pro, whatever the width of the machine. The added value is a
 * register the compiler and the CPU cannot know is constant (add-immediate chains can be folded by
 * the renamer of recent Intel cores, so we avoid immediates). Preemption and interrupts only ever
 * make a sample slower, so the fastest of several samples is the estimate; the full measurement
 * repeats rounds until two successive rounds agree, which also waits out a core still ramping up
 * its clock.
 *
 * The chain is asm, one #if block per architecture below (x86: `add %reg, %acc`; AArch64:
 * `add x0, x0, x1`, one cycle on every AArch64 core the table knows); the rest is portable.
 * Another architecture without a chain gets no measured clock (-1) and callers report "none".
 *
 * Time is CLOCK_MONOTONIC; on AArch64 it is read from the generic timer itself (CNTVCT_EL0 ticks
 * over CNTFRQ_EL0 per second, readable from user space on Linux), the counter the kernel's
 * clock_gettime uses, without the call. */
#include "probes/clock.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ADDS_PER_ITER 200
#define RL_STR_(x)    #x
#define RL_STR(x)     RL_STR_(x)

double rl_clock_now(void)
{
#if defined(__aarch64__)
    uint64_t ticks, freq;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(ticks)::"memory");
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    if (freq > 0)
        return (double)ticks / (double)freq;
#endif
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_ADD_CHAIN 1
/* Runs iters x ADDS_PER_ITER dependent adds; returns the chain's value so nothing is dead code. */
static unsigned long add_chain(unsigned long iters, unsigned long one)
{
    unsigned long acc = 0;
    __asm__ volatile("1:\n\t"
                     ".rept " RL_STR(ADDS_PER_ITER) "\n\t"
                                                    "add %[one], %[acc]\n\t"
                                                    ".endr\n\t"
                                                    "dec %[n]\n\t"
                                                    "jnz 1b\n"
                     : [acc] "+r"(acc), [n] "+r"(iters)
                     : [one] "r"(one)
                     : "cc");
    return acc;
}
#elif defined(__aarch64__)
#define HAVE_ADD_CHAIN 1
static unsigned long add_chain(unsigned long iters, unsigned long one)
{
    unsigned long acc = 0;
    __asm__ volatile("1:\n\t"
                     ".rept " RL_STR(ADDS_PER_ITER) "\n\t"
                                                    "add %[acc], %[acc], %[one]\n\t"
                                                    ".endr\n\t"
                                                    "subs %[n], %[n], #1\n\t"
                                                    "b.ne 1b\n"
                     : [acc] "+r"(acc), [n] "+r"(iters)
                     : [one] "r"(one)
                     : "cc");
    return acc;
}
#else
#define HAVE_ADD_CHAIN 0
/* No chain for this architecture: never called (the entry points below return first), kept so the
 * portable code around it compiles everywhere. */
static unsigned long add_chain(unsigned long iters, unsigned long one)
{
    (void)iters;
    (void)one;
    return 0;
}
#endif

/* One sample: GHz of `iters` iterations, or -1 when the clock went wrong. */
static double sample(unsigned long iters, unsigned long one)
{
    double t0 = rl_clock_now();
    unsigned long v = add_chain(iters, one);
    double t1 = rl_clock_now();
    if (v != iters * ADDS_PER_ITER * one || t1 <= t0)
        return -1;
    return (double)iters * ADDS_PER_ITER / (t1 - t0) / 1e9;
}

/* The fastest of `n` samples of about `seconds` each (sized from a first guess of 3 GHz). */
static double best_of(int n, double seconds, unsigned long one)
{
    unsigned long iters = (unsigned long)(seconds * 3e9 / ADDS_PER_ITER);
    if (iters < 1)
        iters = 1;
    double best = -1;
    for (int i = 0; i < n; i++) {
        double g = sample(iters, one);
        if (g > best)
            best = g;
    }
    return best;
}

/* `one` comes from the caller at run time so the compiler cannot turn the chain into a multiply. */
static unsigned long opaque_one(void)
{
    volatile unsigned long one = 1;
    return one;
}

double rl_clock_measure_quick(void)
{
    if (!HAVE_ADD_CHAIN)
        return -1;
    unsigned long one = opaque_one();
    (void)best_of(1, 0.001, one); /* warm-up */
    return best_of(6, 0.001, one);
}

int rl_clock_measure(double *ghz, rl_err *err)
{
    if (!HAVE_ADD_CHAIN) {
        *ghz = -1;
        return rl_err_set(err, RL_EXIT_RUNTIME,
                          "clock: not measured: the add chain that times the core is written for "
                          "x86 and AArch64 only");
    }
    unsigned long one = opaque_one();
    (void)best_of(3, 0.005, one); /* warm-up: let the core leave its idle clock */
    double prev = best_of(8, 0.002, one);
    double best = prev;
    for (int round = 0; round < 40; round++) {
        double g = best_of(8, 0.002, one);
        if (g > best)
            best = g;
        if (prev > 0 && g > 0 && g / prev > 0.997 && g / prev < 1.003) {
            *ghz = g > prev ? g : prev;
            return 0;
        }
        prev = g;
    }
    if (best <= 0)
        return rl_err_set(err, RL_EXIT_RUNTIME, "clock: the monotonic clock did not advance");
    /* Never stable (a busy host): the fastest round is still the best estimate of the clock. */
    *ghz = best;
    return 0;
}

/* "... @ 2.40GHz" in Intel brand strings, "...@1.83GHz" in Zhaoxin ones. */
static double brand_ghz(const char *brand)
{
    const char *at = brand ? strrchr(brand, '@') : NULL;
    if (!at)
        return -1;
    at++;
    while (*at == ' ')
        at++;
    char *end;
    double v = strtod(at, &end);
    if (end == at || v <= 0)
        return -1;
    while (*end == ' ')
        end++;
    if (strncmp(end, "GHz", 3) == 0)
        return v;
    if (strncmp(end, "MHz", 3) == 0)
        return v / 1e3;
    return -1;
}

static double sysfs_max_ghz(void)
{
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "r");
    if (!f)
        return -1;
    double khz = -1;
    if (fscanf(f, "%lf", &khz) != 1)
        khz = -1;
    fclose(f);
    return khz > 0 ? khz / 1e6 : -1;
}

static double cpuinfo_ghz(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return -1;
    char line[512];
    double mhz = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "cpu MHz", 7) == 0) {
            const char *colon = strchr(line, ':');
            if (colon)
                mhz = strtod(colon + 1, NULL);
            break;
        }
    fclose(f);
    return mhz > 0 ? mhz / 1e3 : -1;
}

double rl_clock_nominal(const char *brand, char *source, unsigned long source_size)
{
    double g = brand_ghz(brand);
    const char *src = "brand string";
    if (g <= 0) {
        g = sysfs_max_ghz();
        src = "sysfs cpuinfo_max_freq";
    }
    if (g <= 0) {
        g = cpuinfo_ghz();
        /* without a cpufreq driver (VMs), the kernel reports its TSC rate here */
        src = access("/sys/devices/system/cpu/cpu0/cpufreq", F_OK) == 0 ? "/proc/cpuinfo MHz"
                                                                        : "/proc/cpuinfo (TSC)";
    }
    if (g <= 0) {
        g = -1;
        src = "unknown";
    }
    if (source && source_size)
        snprintf(source, source_size, "%s", src);
    return g;
}

const char *rl_clock_family(const char *isa)
{
    static const struct {
        const char *name, *family;
    } exact[] = {
        {"scalar", "scalar"},
        {"sse2", "sse2"},
        {"avx", "avx"},
        {"avx2", "avx2-fma"},
        {"avx2-fma", "avx2-fma"},
        {"avx2-fma+add", "avx2-fma"},
        {"avx_vnni", "avx2-fma"},
        /* AArch64: the NEON rows share one family, SVE and SME one each */
        {"neon", "neon"},
        {"sdot", "neon"},
        {"bfdot", "neon"},
        {"bfmmla", "neon"},
        {"smmla", "neon"},
        {"sve", "sve"},
        {"sme", "sme"},
    };
    if (!isa)
        return NULL;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(isa, exact[i].name) == 0)
            return exact[i].family;
    if (strncmp(isa, "avx512", 6) == 0)
        return "avx512f";
    if (strncmp(isa, "amx", 3) == 0)
        return "amx";
    return NULL;
}

const rl_isa_clock *rl_clock_find(const rl_machine *m, const char *family, int threads)
{
    for (int i = 0; family && i < m->n_per_isa; i++)
        if (m->per_isa[i].threads == threads && strcmp(m->per_isa[i].isa, family) == 0 &&
            m->per_isa[i].ghz > 0)
            return &m->per_isa[i];
    return NULL;
}

double rl_clock_for(const rl_machine *m, const char *isa, int threads, const char **method)
{
    const char *family = rl_clock_family(isa);
    const rl_isa_clock *c = rl_clock_find(m, family, threads);
    if (!c)
        c = rl_clock_find(m, family, 0);
    if (!c && family && strcmp(family, "amx") == 0) {
        c = rl_clock_find(m, "avx512f", threads);
        if (!c)
            c = rl_clock_find(m, "avx512f", 0);
        if (c && method)
            *method = strcmp(c->method, "--clock") == 0 ? "--clock avx512f (AMX's own not known)"
                                                        : "under AVX-512 load (AMX's own not "
                                                          "measured)";
        return c ? c->ghz : -1;
    }
    if (c && method)
        *method = c->method;
    return c ? c->ghz : -1;
}
