/* test_fma_kernels.c: the compute kernels do what their descriptors declare.
 *
 *  - every kernel this CPU can run returns exactly what a scalar reference of the same arithmetic
 *    (kernels/fma.h) returns, at small iteration counts;
 *  - the built object of every kernel, AVX-512 included (the only check those get on a machine
 *    without AVX-512), contains a loop with exactly the declared instructions, on the declared
 *    register width, with no memory access (no spills) and nothing else but the loop counter;
 *  - dispatch refuses what the CPU lacks, simulated by masking features. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/fma.h"
#include "kernels/isaclock.h"
#include "runner/flops.h"

/* ---------------------------------------------------------------- scalar reference */

static double ref_fma(const rl_fma_kernel *k, double x, uint64_t iters)
{
    if (strcmp(k->precision, "fp64") == 0) {
        for (uint64_t n = 0; n < iters; n++)
            x = fma(x, RL_FMA_M, RL_FMA_A);
        return x;
    }
    if (strcmp(k->precision, "fp32") == 0) {
        float f = (float)x;
        for (uint64_t n = 0; n < iters; n++)
            f = fmaf(f, (float)RL_FMA_M, (float)RL_FMA_A);
        return (double)f;
    }
    /* fp16: the product of two 11-bit significands and the sum with 2^-6 are exact in double, so
     * one rounding to _Float16 is the fused operation's single rounding. */
    _Float16 h = (_Float16)x;
    for (uint64_t n = 0; n < iters; n++)
        h = (_Float16)((double)h * RL_FMA_M + RL_FMA_A);
    return (double)h;
}

static double ref_muladd(const rl_fma_kernel *k, double x, uint64_t iters)
{
    if (strcmp(k->precision, "fp64") == 0) {
        for (uint64_t n = 0; n < iters; n++) {
            x = x * RL_FMA_M;
            x = x + RL_FMA_A;
        }
        return x;
    }
    float f = (float)x;
    for (uint64_t n = 0; n < iters; n++) {
        f = f * (float)RL_FMA_M;
        f = f + (float)RL_FMA_A;
    }
    return (double)f;
}

/* The mix: every chain x = x*M + M (fused), then x = x + M. */
static double ref_mix(const rl_fma_kernel *k, double x, uint64_t iters)
{
    if (strcmp(k->precision, "fp64") == 0) {
        for (uint64_t n = 0; n < iters; n++)
            x = fma(x, RL_FMA_M, RL_FMA_M) + RL_FMA_M;
        return x;
    }
    float f = (float)x;
    for (uint64_t n = 0; n < iters; n++)
        f = fmaf(f, (float)RL_FMA_M, (float)RL_FMA_M) + (float)RL_FMA_M;
    return (double)f;
}

/* The square shape: square chains stay at 1.0 (1 * 1 is exact), add chains add that 1.0 twice per
 * iteration. */
static double ref_square(const rl_fma_kernel *k, int lane, double x, uint64_t iters)
{
    if (lane / k->lanes < k->accumulators / 2)
        return 1.0;
    if (strcmp(k->precision, "fp64") == 0) {
        for (uint64_t n = 0; n < 2 * iters; n++)
            x = x + 1.0;
        return x;
    }
    float f = (float)x;
    for (uint64_t n = 0; n < 2 * iters; n++)
        f = f + 1.0f;
    return (double)f;
}

static double reference(const rl_fma_kernel *k, uint64_t iters)
{
    int chains = k->accumulators * k->lanes;
    double sum = 0;
    for (int lane = 0; lane < chains; lane++) {
        double x = RL_FMA_INIT(lane);
        switch (k->math) {
        case RL_FMA_MATH_FMA:
            x = ref_fma(k, x, iters);
            break;
        case RL_FMA_MATH_MULADD:
            x = ref_muladd(k, x, iters);
            break;
        case RL_FMA_MATH_MIX:
            x = ref_mix(k, x, iters * (uint64_t)(k->steps > 0 ? k->steps : 1));
            break;
        case RL_FMA_MATH_MULADD_SQUARE:
            x = ref_square(k, lane, x, iters);
            break;
        case RL_FMA_MATH_DOT_BF16: {
            float f = (float)x, p = (float)(RL_FMA_BF16_A * RL_FMA_BF16_B);
            for (uint64_t n = 0; n < iters; n++) {
                f = f + p;
                f = f + p;
            }
            x = (double)f;
            break;
        }
        case RL_FMA_MATH_AMX_INT8: /* C from 0, +64 per instruction (mod 2^32) */
            x = (double)(int32_t)(uint32_t)(64 * iters);
            break;
        case RL_FMA_MATH_AMX_BF16:
        case RL_FMA_MATH_AMX_FP16: { /* C from 0, +2^-7 per instruction (fp32) */
            float f = 0;
            for (uint64_t n = 0; n < iters; n++)
                f += 0.0078125f;
            x = (double)f;
            break;
        }
        case RL_FMA_MATH_DOT_INT8: {
            uint32_t v = (uint32_t)(lane % 64);
            v += (uint32_t)iters; /* +1 per iteration, modulo 2^32 */
            x = (double)(int32_t)v;
            break;
        }
        case RL_FMA_MATH_FMLA: /* AArch64's: tests/test_fma_aarch64.c */
        case RL_FMA_MATH_MMLA_BF16:
        case RL_FMA_MATH_MMLA_INT8:
        case RL_FMA_MATH_MOPA:
            cr_assert_fail("%s: an AArch64 arithmetic in an x86 build", k->name);
        }
        sum += x;
    }
    return sum;
}

/* This CPU's runnable features, from the compiler's own detection (which checks XCR0 for AVX and
 * AVX-512 state): independent of probes/cpu, so this test checks the kernels, not the probe. */
static rl_isa_mask host_mask(void)
{
    rl_isa_mask m = 0;
    __builtin_cpu_init();
    m |= __builtin_cpu_supports("sse2") ? RL_ISA_SSE2 : 0;
    m |= __builtin_cpu_supports("avx") ? RL_ISA_AVX : 0;
    m |= __builtin_cpu_supports("avx2") ? RL_ISA_AVX2 : 0;
    m |= __builtin_cpu_supports("fma") ? RL_ISA_FMA : 0;
    m |= __builtin_cpu_supports("avx512f") ? RL_ISA_AVX512F : 0;
    m |= __builtin_cpu_supports("avx512vl") ? RL_ISA_AVX512VL : 0;
    m |= __builtin_cpu_supports("avx512bw") ? RL_ISA_AVX512BW : 0;
    m |= __builtin_cpu_supports("avx512dq") ? RL_ISA_AVX512DQ : 0;
    m |= __builtin_cpu_supports("avx512fp16") ? RL_ISA_AVX512_FP16 : 0;
    m |= __builtin_cpu_supports("avx512bf16") ? RL_ISA_AVX512_BF16 : 0;
    m |= __builtin_cpu_supports("avx512vnni") ? RL_ISA_AVX512_VNNI : 0;
    m |= __builtin_cpu_supports("avxvnni") ? RL_ISA_AVX_VNNI : 0;
    return m;
}

Test(fma_kernels, runnable_kernels_match_the_scalar_reference)
{
    rl_isa_mask host = host_mask();
    const uint64_t counts[] = {0, 1, 7, 100, 1000};
    const rl_fma_kernel *k;
    int ran = 0;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        if (rl_fma_missing(k, host))
            continue;
        ran++;
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            double got = k->run(counts[c]), want = reference(k, counts[c]);
            cr_assert(got == want, "%s after %llu iterations: %.17g, reference %.17g", k->name,
                      (unsigned long long)counts[c], got, want);
        }
        /* The check really depends on the count (a kernel that skipped its loop would fail). */
        cr_assert(k->run(3) != k->run(4), "%s: result does not change with iterations", k->name);
    }
    cr_assert_geq(ran, 2, "at least the scalar kernels run on any x86-64");
}

/* Long runs stay finite and converge: the FMA and mul+add chains settle at their fixed point
 * A / (1 - M) = 1, far from denormals (within a few fp32 ulps: mul+add rounds twice per step). */
Test(fma_kernels, long_runs_stay_bounded)
{
    rl_isa_mask host = host_mask();
    const rl_fma_kernel *k;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        if (rl_fma_missing(k, host))
            continue;
        double got = k->run(200000);
        cr_assert(isfinite(got) && got > 0, "%s: %g", k->name, got);
        if (k->math == RL_FMA_MATH_FMA || k->math == RL_FMA_MATH_MULADD)
            cr_assert_float_eq(got, (double)(k->accumulators * k->lanes),
                               1e-4 * k->accumulators * k->lanes,
                               "%s: lanes did not settle at 1: sum %.17g", k->name, got);
    }
}

Test(fma_kernels, descriptors_are_consistent)
{
    const rl_fma_kernel *k;
    size_t n = 0;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++, n++) {
        /* FLOPs per iteration follow from the declared instructions. */
        double per_insn_lane = k->math == RL_FMA_MATH_DOT_BF16   ? 4
                               : k->math == RL_FMA_MATH_DOT_INT8 ? 8
                               : k->math == RL_FMA_MATH_AMX_INT8 ? 128 /* K = 64 int8 */
                               : k->math == RL_FMA_MATH_AMX_BF16 ? 64  /* K = 32 pairs */
                               : k->math == RL_FMA_MATH_AMX_FP16 ? 64
                                                                 : 2;
        int steps = k->steps > 0 ? k->steps : 1;
        cr_assert(steps == 1 || k->math == RL_FMA_MATH_MIX, "%s: steps is the mix's", k->name);
        double want = steps * (k->accumulators * k->lanes * per_insn_lane + k->adders * k->lanes);
        cr_assert_eq(k->flops_per_iter, want, "%s declares %g FLOPs/iteration, arithmetic says %g",
                     k->name, k->flops_per_iter, want);
        cr_assert_eq(k->insn[0].per_iter, steps * k->accumulators, "%s", k->name);
        int second = k->math == RL_FMA_MATH_MULADD || k->math == RL_FMA_MATH_MULADD_SQUARE
                         ? k->accumulators
                     : k->math == RL_FMA_MATH_MIX ? steps * k->adders
                                                  : 0;
        cr_assert_eq(k->insn[1].per_iter, second, "%s", k->name);
        cr_assert(k->is_mix == (k->math == RL_FMA_MATH_MIX), "%s", k->name);
        if (k->math == RL_FMA_MATH_MIX) /* one add per FMA chain, right after its FMA */
            cr_assert_eq(k->adders, k->accumulators, "%s", k->name);
        int integer = k->math == RL_FMA_MATH_DOT_INT8 || k->math == RL_FMA_MATH_AMX_INT8;
        cr_assert(strcmp(k->unit, integer ? "OP" : "FLOP") == 0, "%s", k->name);
        cr_assert(k->requires != 0 && k->run != NULL && k->source != NULL);
    }
    cr_assert_geq(n, 14, "every ISA file is registered");
}

/* ---------------------------------------------------------------- disassembly */

typedef struct insn_line {
    unsigned long addr;
    char mnem[32];
    char ops[160];
} insn_line;

#define MAX_LINES 16384

/* Disassembles `name` from `object` into lines[] (at most MAX_LINES); returns the count or -1. */
static int disassemble(const char *object, const char *name, insn_line *lines)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "objdump -d --no-show-raw-insn '%s' 2>/dev/null", object);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char header[128], line[512];
    snprintf(header, sizeof header, "<%s>:", name);
    int in = 0, n = 0;
    while (n < MAX_LINES && fgets(line, sizeof line, p)) {
        if (!in) {
            in = strstr(line, header) != NULL;
            continue;
        }
        if (line[0] == '\n' || strstr(line, ">:"))
            break;
        insn_line il;
        memset(&il, 0, sizeof il);
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        il.addr = strtoul(line, NULL, 16);
        char *s = colon + 1;
        s += strspn(s, " \t");
        if (strncmp(s, "{vex}", 5) == 0) /* AVX-VNNI's VEX encoding marker */
            s += 5 + strspn(s + 5, " \t");
        size_t ml = strcspn(s, " \t\n");
        if (ml == 0 || ml >= sizeof il.mnem)
            continue;
        memcpy(il.mnem, s, ml);
        s += ml;
        s += strspn(s, " \t");
        snprintf(il.ops, sizeof il.ops, "%.*s", (int)strcspn(s, "\n"), s);
        lines[n++] = il;
    }
    pclose(p);
    return n;
}

/* Does `mnem` match `pattern`, where one '*' matches any characters? */
static int mnem_match(const char *pattern, const char *mnem)
{
    const char *star = strchr(pattern, '*');
    if (!star)
        return strcmp(pattern, mnem) == 0;
    size_t pre = (size_t)(star - pattern), post = strlen(star + 1), len = strlen(mnem);
    return len >= pre + post && strncmp(mnem, pattern, pre) == 0 &&
           strcmp(mnem + len - post, star + 1) == 0;
}

static int count_in(const insn_line *v, int from, int to, const char *pattern)
{
    int c = 0;
    for (int i = from; i <= to; i++)
        if (pattern && mnem_match(pattern, v[i].mnem))
            c++;
    return c;
}

/* What a built loop must hold: the declared instructions on `reg` registers, `adds` integer
 * `add`s (the clock kernels' chain; 0 for the compute kernels), no memory access, and besides those
 * only the loop counter. `key` picks the loop among several (the one holding the most of it). */
typedef struct loop_spec {
    const char *name, *source;
    const rl_fma_insn *insn; /* [2] */
    const char *reg;         /* NULL: no vector instructions */
    int adds;
    const char *key;
} loop_spec;

static void check_loop(const loop_spec *k, const char *build)
{
    char object[512];
    snprintf(object, sizeof object, "%s/%.*s.o", build, (int)(strlen(k->source) - 2), k->source);
    static insn_line v[MAX_LINES];
    int n = disassemble(object, k->name, v);
    cr_assert_gt(n, 0, "%s: no disassembly of %s in %s", k->name, k->name, object);

    /* Loops are backward jumps. The kernel's loop is straight-line (no other jump inside) and holds
     * the most declared instructions (the setup code may hold small loops of its own, and sanitizer
     * builds add branches that jump back across everything). */
    int best_from = -1, best_to = -1, best = -1;
    for (int i = 0; i < n; i++) {
        if (v[i].mnem[0] != 'j')
            continue;
        unsigned long target = strtoul(v[i].ops, NULL, 16);
        if (target == 0 || target > v[i].addr)
            continue;
        int from = i;
        while (from > 0 && v[from].addr > target)
            from--;
        if (v[from].addr != target)
            continue;
        int straight = 1;
        for (int j = from; j < i; j++)
            if (v[j].mnem[0] == 'j')
                straight = 0;
        if (!straight)
            continue;
        int c = count_in(v, from, i, k->key);
        if (c > best) {
            best = c;
            best_from = from;
            best_to = i;
        }
    }
    cr_assert_geq(best_from, 0, "%s: no loop found in %s", k->name, object);

    int declared = 0;
    for (int j = 0; j < 2 && k->insn[j].mnemonic; j++) {
        int c = count_in(v, best_from, best_to, k->insn[j].mnemonic);
        cr_assert_eq(c, k->insn[j].per_iter, "%s: loop has %d %s, descriptor declares %d", k->name,
                     c, k->insn[j].mnemonic, k->insn[j].per_iter);
        declared += c;
    }
    if (k->adds > 0) {
        int c = count_in(v, best_from, best_to, "add");
        cr_assert_eq(c, k->adds, "%s: loop has %d add, descriptor declares %d", k->name, c,
                     k->adds);
        declared += c;
    }
    char reg[8];
    snprintf(reg, sizeof reg, "%%%s", k->reg ? k->reg : "");
    for (int i = best_from; i <= best_to; i++) {
        int is_declared = (k->insn[0].mnemonic && mnem_match(k->insn[0].mnemonic, v[i].mnem)) ||
                          (k->insn[1].mnemonic && mnem_match(k->insn[1].mnemonic, v[i].mnem));
        if (is_declared)
            cr_assert(strstr(v[i].ops, reg), "%s: '%s %s' is not on %s registers", k->name,
                      v[i].mnem, v[i].ops, k->reg);
        cr_assert(strchr(v[i].ops, '(') == NULL, "%s: the loop accesses memory: '%s %s'", k->name,
                  v[i].mnem, v[i].ops);
    }
    /* Besides the declared instructions only the counter: increment, compare, branch (and nops). */
    int other = 0;
    for (int i = best_from; i <= best_to; i++)
        if (strncmp(v[i].mnem, "nop", 3) != 0)
            other++;
    other -= declared;
    cr_assert_leq(other, 3, "%s: %d extra instructions in the loop", k->name, other);
}

static void check_object(const rl_fma_kernel *k, const char *build)
{
    loop_spec s = {k->name, k->source, k->insn, k->reg, 0, k->insn[0].mnemonic};
    check_loop(&s, build);
}

Test(fma_kernels, built_loops_contain_the_declared_instructions)
{
    const char *build = getenv("RL_BUILD");
    cr_assert(build, "RL_BUILD is set by make test");
    const rl_fma_kernel *k;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++)
        check_object(k, build);
}

/* The clock-under-load kernels (kernels/isaclock.h): the declared vector instructions and exactly
 * the 48 adds of the chain, nothing from memory, only the counter besides. */
Test(fma_kernels, clock_kernel_loops_hold_the_chain_and_the_declared_load)
{
    const char *build = getenv("RL_BUILD");
    cr_assert(build, "RL_BUILD is set by make test");
    const rl_isaclock_kernel *k;
    size_t n = 0;
    for (size_t i = 0; (k = rl_isaclock_at(i)) != NULL; i++, n++) {
        loop_spec s = {k->name, k->source, k->insn, k->reg, k->adds_per_iter, "add"};
        check_loop(&s, build);
    }
    cr_assert_eq(n, 5);
}

/* ---------------------------------------------------------------- dispatch */

Test(fma_dispatch, masked_features_move_kernels_to_not_run)
{
    rl_flops_plan plan;
    const char *which;
    rl_err err;
    rl_err_clear(&err);
    /* A CPU with SSE2 and AVX but no FMA/AVX2: the AVX2 kernels are listed as not run. */
    rl_isa_mask mask = RL_ISA_SSE2 | RL_ISA_AVX;
    cr_assert_eq(rl_flops_plan_make(NULL, NULL, mask, &plan, &which, &err), 0, "%s", err.msg);
    for (size_t i = 0; i < plan.n_run; i++)
        cr_assert_eq(rl_fma_missing(plan.run[i], mask), 0, "%s would run", plan.run[i]->name);
    int saw_avx2 = 0, saw_avx512 = 0;
    for (size_t i = 0; i < plan.n_skip; i++) {
        if (strcmp(plan.skip[i]->isa, "avx2-fma") == 0) {
            saw_avx2 = 1;
            cr_assert(plan.skip_missing[i] & RL_ISA_FMA);
        }
        if (strcmp(plan.skip[i]->isa, "avx512f") == 0) {
            saw_avx512 = 1;
            cr_assert(plan.skip_missing[i] & RL_ISA_AVX512F);
        }
    }
    cr_assert(saw_avx2 && saw_avx512);
    cr_assert_eq(plan.n_run, 6, "scalar, sse2, avx x fp64/fp32");

    /* Naming an ISA the CPU lacks is a usage error naming the missing feature, never a run. */
    cr_assert_eq(rl_flops_plan_make("avx512f", NULL, mask, &plan, &which, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_USAGE);
    cr_assert_str_eq(which, "isa");
    cr_assert(strstr(err.msg, "avx512f"), "%s", err.msg);
    cr_assert_eq(rl_flops_plan_make("sse2,avx2-fma", NULL, mask, &plan, &which, &err), -1);
    cr_assert(strstr(err.msg, "fma"), "%s", err.msg);

    /* XCR0 without AVX state: probes/cpu clears AVX bits from runnable; nothing AVX runs. */
    cr_assert_eq(rl_flops_plan_make(NULL, NULL, RL_ISA_SSE2, &plan, &which, &err), 0);
    for (size_t i = 0; i < plan.n_run; i++)
        cr_assert(strcmp(plan.run[i]->isa, "scalar") == 0 || strcmp(plan.run[i]->isa, "sse2") == 0,
                  "%s", plan.run[i]->name);
}

Test(fma_dispatch, filters)
{
    rl_flops_plan plan;
    const char *which;
    rl_err err;
    rl_err_clear(&err);
    rl_isa_mask all = ~(rl_isa_mask)0;
    cr_assert_eq(rl_flops_plan_make("avx2-fma", "fp32", all, &plan, &which, &err), 0);
    cr_assert_eq(plan.n_run, 1);
    cr_assert_str_eq(plan.run[0]->name, "fma_avx2_f32");
    cr_assert_eq(rl_flops_plan_make("avx2-fma+add", NULL, all, &plan, &which, &err), 0);
    cr_assert(plan.n_run == 2 && plan.run[0]->is_mix && plan.run[1]->is_mix);

    cr_assert_eq(rl_flops_plan_make("avx3", NULL, all, &plan, &which, &err), -1);
    cr_assert_str_eq(which, "isa");
    cr_assert(strstr(err.msg, "'avx3'") && strstr(err.msg, "avx2-fma"), "%s", err.msg);
    cr_assert_eq(rl_flops_plan_make(NULL, "fp128", all, &plan, &which, &err), -1);
    cr_assert_str_eq(which, "precision");
    cr_assert_eq(rl_flops_plan_make("scalar,", NULL, all, &plan, &which, &err), -1);
    cr_assert_eq(rl_flops_plan_make("scalar", "int8", all, &plan, &which, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_USAGE);
}
