/* probe_flops_shapes.c: every shape (rl_fma_kernel.variant) of the rows named, timed in turn for
 * ROUNDS rounds at one call length, best round kept; built and run by probe-flops-shapes.sh. The
 * experiment behind the shape trial's call length (docs/flops.md): shapes without slack reach the
 * peer's figure in short calls and stay 3-6% below in the 40 ms calls of `roofline flops`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels/fma.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int wanted(const char *isa, const char *list)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *s = strtok(buf, ","); s; s = strtok(NULL, ","))
        if (!strcmp(s, isa))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s ISA[,ISA...] CALL_MS ROUNDS\n", argv[0]);
        return 2;
    }
    double call_s = atof(argv[2]) / 1e3;
    int rounds = atoi(argv[3]);
    const rl_fma_kernel *ks[64];
    double best[64] = {0}, iters[64];
    int n = 0;
    for (size_t i = 0; i < rl_fma_count() && n < 64; i++) {
        const rl_fma_kernel *k = rl_fma_kernel_at(i);
        if (wanted(k->isa, argv[1]) && !k->is_mix)
            ks[n++] = k;
    }
    for (int i = 0; i < n; i++) { /* iterations for one call of about CALL_MS */
        double t0 = now();
        ks[i]->run(1000000);
        iters[i] = 1e6 * call_s / (now() - t0);
        if (iters[i] < 1000)
            iters[i] = 1000;
    }
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < n; i++) {
            double t0 = now();
            ks[i]->run((uint64_t)iters[i]);
            double g = ks[i]->flops_per_iter * iters[i] / (now() - t0) / 1e9;
            if (g > best[i])
                best[i] = g;
        }
    for (int i = 0; i < n; i++)
        printf("%-12s %-5s %-10s %8.2f GFLOP/s  (best of %d calls of %.1f ms)\n", ks[i]->isa,
               ks[i]->precision, ks[i]->variant ? ks[i]->variant : "-", best[i], rounds,
               call_s * 1e3);
    return 0;
}
