/* test_stream_aarch64.c: the AArch64 memory kernels (kernels/arm/stream_neon.c) compute what
 * STREAM's reference does, exactly (small integers), after one call and after several passes,
 * with regular and non-temporal (STNP) stores; the load kernel returns the expected sum; and the
 * non-temporal kernels' loops really store with STNP. Built in the aarch64 suite only. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/stream.h"

static double *array(size_t n)
{
    void *p = NULL;
    cr_assert_eq(posix_memalign(&p, RL_STREAM_ALIGN, n * sizeof(double)), 0);
    return p;
}

Test(stream_aarch64, every_kernel_matches_the_reference)
{
    const size_t n = 4 * RL_STREAM_BLOCK;
    rl_stream_args x = {.a = array(n), .b = array(n), .c = array(n), .d = array(n), .n = n};
    x.s = RL_STREAM_SCALAR;
    size_t count = rl_stream_count();
    cr_assert_eq(count, 13, "load, store, copy, scale, add, triad, triad4, the stores both ways");
    for (size_t i = 0; i < count; i++) {
        const rl_stream_kernel *k = rl_stream_at(i);
        cr_assert_str_eq(k->isa, "neon");
        for (size_t reps = 1; reps <= 3; reps += 2) {
            x.reps = reps;
            rl_stream_init(k->kind, &x);
            double r = k->run(&x);
            rl_err err = {0};
            cr_assert_eq(rl_stream_verify(k, &x, &err), 0, "%s: %s", k->name, err.msg);
            if (k->kind == RL_STREAM_LOAD)
                cr_assert_eq(r, (double)reps * rl_stream_expected_sum(n), "%s", k->name);
        }
    }
    free(x.a);
    free(x.b);
    free(x.c);
    free(x.d);
    cr_assert_not_null(rl_stream_pick(RL_STREAM_TRIAD, 1, RL_ISA_NEON, NULL));
    cr_assert_null(rl_stream_pick(RL_STREAM_TRIAD, 1, 0, NULL), "nothing without NEON");
}

/* Instructions named `mnem` in the disassembly of function `fn` of the NEON stream object. */
static int count_in(const char *fn, const char *mnem)
{
    const char *build = getenv("RL_BUILD");
    cr_assert(build, "RL_BUILD is set by make test");
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "$(command -v aarch64-linux-gnu-objdump || echo objdump) -d --no-show-raw-insn "
             "'%s/kernels/arm/stream_neon.o' | awk '/^[0-9a-f]+ <[^>]+>:$/ {f = ($2 == \"<%s>:\")}"
             " f && $2 == \"%s\" {n++} END {print n + 0}'",
             build, fn, mnem);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    int n = -1;
    cr_assert_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

Test(stream_aarch64, non_temporal_kernels_store_with_stnp)
{
    /* 8 registers per iteration, each stored as one STNP of its two halves. */
    cr_assert_eq(count_in("triad_nt_neon", "stnp"), 8);
    cr_assert_eq(count_in("copy_nt_neon", "stnp"), 8);
    cr_assert_eq(count_in("triad_neon", "stnp"), 0, "regular stores are not non-temporal");
    cr_assert_geq(count_in("triad_neon", "fmla"), 8, "the triad is one FMLA per register");
}
