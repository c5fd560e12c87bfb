/* probe_mul_add_mix.c: driver for scripts/probe-mul-add-mix.sh (read that script's header first).
 *
 * The script generates one assembly function per variant (a loop of exactly the listed FP
 * instructions plus dec/jnz) and a table `variants[]` with each one's instruction counts; this
 * driver pins itself to one CPU, measures the core clock with a dependent chain of 1-cycle integer
 * adds (as probes/clock.c does), times every variant ROUNDS times in alternation and prints the best
 * rate in instructions per cycle at the highest clock seen. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct variant {
    const char *name;
    void (*fn)(uint64_t iters);
    int fma, mul, add; /* instructions of each kind per iteration */
    const char *what;
} variant;

#include "probe_variants.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* GHz from 100 x 2e5 dependent adds: the best of 5 samples. */
static double clock_ghz(void)
{
    double best = 0;
    for (int s = 0; s < 5; s++) {
        uint64_t acc = 0, one = 1, n = 2000;
        double t0 = now();
        __asm__ volatile("1:\n\t.rept 100\n\tadd %[one], %[acc]\n\t.endr\n\tdec %[n]\n\tjnz 1b"
                         : [acc] "+r"(acc), [n] "+r"(n)
                         : [one] "r"(one));
        double ghz = 2000.0 * 100 / (now() - t0) * 1e-9;
        if (ghz > best)
            best = ghz;
    }
    return best;
}

int main(int argc, char **argv)
{
    int cpu = argc > 1 ? atoi(argv[1]) : 0, rounds = argc > 2 ? atoi(argv[2]) : 7;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        perror("sched_setaffinity");
        return 1;
    }
    /* argv[3]: a comma-separated list of substrings; only variants whose name contains one run */
    static const variant *sel[sizeof variants / sizeof variants[0]];
    size_t nv = 0;
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        int take = argc <= 3;
        for (const char *p = argc > 3 ? argv[3] : ""; !take && *p;) {
            size_t len = strcspn(p, ",");
            char want[64];
            snprintf(want, sizeof want, "%.*s", (int)len, p);
            take = len > 0 && strstr(variants[v].name, want) != NULL;
            p += len + (p[len] == ',');
        }
        if (take)
            sel[nv++] = &variants[v];
    }
    double *best = calloc(nv, sizeof *best);
    uint64_t *iters = calloc(nv, sizeof *iters);
    double ghz = clock_ghz();
    for (size_t v = 0; v < nv; v++) { /* calibrate to about 20 ms */
        uint64_t n = 1000;
        for (;;) {
            double t0 = now();
            sel[v]->fn(n);
            double t = now() - t0;
            if (t > 0.02)
                break;
            n *= t < 0.002 ? 10 : 2;
        }
        iters[v] = n;
        best[v] = 1e30;
    }
    for (int r = 0; r < rounds; r++) {
        double g = clock_ghz();
        if (g > ghz)
            ghz = g;
        for (size_t v = 0; v < nv; v++) {
            double t0 = now();
            sel[v]->fn(iters[v]);
            double t = now() - t0;
            if (t < best[v])
                best[v] = t;
        }
    }
    double g = clock_ghz();
    if (g > ghz)
        ghz = g;
    printf("cpu %d, clock %.3f GHz (highest of the integer-add probes), best of %d rounds\n", cpu,
           ghz, rounds);
    printf("%-22s %9s %6s %6s %6s  %s\n", "variant", "cyc/iter", "IPC", "fma", "mul", "add  (per cycle) | what");
    for (size_t v = 0; v < nv; v++) {
        const variant *x = sel[v];
        double cyc = best[v] * ghz * 1e9 / (double)iters[v];
        int n = x->fma + x->mul + x->add;
        printf("%-22s %9.2f %6.2f %6.2f %6.2f %6.2f  | %s\n", x->name, cyc, n / cyc, x->fma / cyc,
               x->mul / cyc, x->add / cyc, x->what);
    }
    free(best);
    free(iters);
    return 0;
}
