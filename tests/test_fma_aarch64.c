/* test_fma_aarch64.c: the AArch64 compute kernels (kernels/arm/) do what their descriptors declare.
 * Built in the aarch64 suite only, and run there at every vector length qemu emulates
 * (scripts/run-tests-cross.sh) or on an ARM host:
 *  - every kernel this CPU can run returns exactly what a scalar reference of its arithmetic
 *    (kernels/fma.h) returns, and the result moves with the iteration count;
 *  - a scalable (SVE) kernel does the work of the length the thread runs at, read independently
 *    with prctl, and its FLOPs per iteration follow that length;
 *  - the built object of every kernel, runnable here or not, holds a loop with exactly the declared
 *    instructions on the declared registers, no memory access and only the loop counter besides
 *    (disassembled with the aarch64 objdump);
 *  - the generic-timer clock advances and the add chain gives a clock. No time is asserted. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>

#include "kernels/fma.h"
#include "probes/clock.h"
#include "probes/cpu_arm.h"

/* This CPU's features from the kernel's HWCAP words, as probes/cpu_arm.c reads them. */
static rl_isa_mask host_mask(void)
{
    return rl_cpu_arm_isa_from_hwcap(getauxval(AT_HWCAP), getauxval(AT_HWCAP2));
}

/* The thread's SVE length in bits from prctl (0 without SVE): independent of svcntb(). */
static unsigned prctl_sve_bits(void)
{
    if (!(host_mask() & RL_ISA_SVE))
        return 0;
    int vl = prctl(51 /* PR_SVE_GET_VL */, 0, 0, 0, 0);
    return vl > 0 ? (unsigned)(vl & 0xffff) * 8 : 0;
}

static double ref_lane(const rl_fma_kernel *k, int lane, uint64_t iters)
{
    double x = RL_FMA_INIT(lane);
    switch (k->math) {
    case RL_FMA_MATH_FMLA:
        if (strcmp(k->precision, "fp64") == 0) {
            for (uint64_t n = 0; n < iters; n++)
                x = fma(RL_FMA_A, RL_FMA_M, x);
            return x;
        }
        if (strcmp(k->precision, "fp32") == 0) {
            float f = (float)x;
            for (uint64_t n = 0; n < iters; n++)
                f = fmaf((float)RL_FMA_A, (float)RL_FMA_M, f);
            return (double)f;
        } else {
            /* A*M = 2^-6 - 2^-12 and its sum with an fp16 value are exact in double: one
             * rounding to _Float16 is the fused operation's. */
            _Float16 h = (_Float16)x;
            for (uint64_t n = 0; n < iters; n++)
                h = (_Float16)((double)h + RL_FMA_A * RL_FMA_M);
            return (double)h;
        }
    case RL_FMA_MATH_DOT_BF16: {
        float f = (float)x, p = (float)(RL_FMA_BF16_A * RL_FMA_BF16_B);
        for (uint64_t n = 0; n < iters; n++)
            f = f + 2 * p;
        return (double)f;
    }
    case RL_FMA_MATH_MMLA_BF16: {
        float f = (float)x, p = (float)(RL_FMA_BF16_A * RL_FMA_BF16_B);
        for (uint64_t n = 0; n < iters; n++)
            f = f + 4 * p;
        return (double)f;
    }
    case RL_FMA_MATH_DOT_INT8:
    case RL_FMA_MATH_MMLA_INT8: {
        uint32_t v = (uint32_t)(lane % 64) + (uint32_t)iters; /* +1 per step, modulo 2^32 */
        return (double)(int32_t)v;
    }
    default:
        cr_assert_fail("%s: an arithmetic this test has no reference for", k->name);
        return 0;
    }
}

static int lanes_of(const rl_fma_kernel *k)
{
    int granules = k->vl_bits ? (int)k->vl_bits() / 128 : 1;
    return k->accumulators * k->lanes * granules;
}

static double reference(const rl_fma_kernel *k, uint64_t iters)
{
    if (k->math == RL_FMA_MATH_MOPA) /* row 0 of each tile: SVL/32 elements, +2^-6 per FMOPA */
        return k->accumulators * (k->vl_bits() / 32.0) * k->steps * (double)iters * 0.015625;
    double sum = 0;
    for (int lane = 0; lane < lanes_of(k); lane++)
        sum += ref_lane(k, lane, iters);
    return sum;
}

Test(fma_aarch64, runnable_kernels_match_the_scalar_reference)
{
    rl_isa_mask host = host_mask();
    const uint64_t counts[] = {0, 1, 7, 100, 1000};
    const rl_fma_kernel *k;
    int ran = 0;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        if (rl_fma_missing(k, host)) {
            cr_log_info("%s: not run here (the CPU lacks it)", k->name);
            continue;
        }
        ran++;
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            double got = k->run(counts[c]), want = reference(k, counts[c]);
            cr_assert(got == want, "%s after %llu iterations: %.17g, reference %.17g", k->name,
                      (unsigned long long)counts[c], got, want);
        }
        /* Linear in the iterations: every step adds the same amount while nothing rounds. */
        double d1 = k->run(2) - k->run(1), d2 = k->run(3) - k->run(2);
        cr_assert(d1 > 0 && d1 == d2, "%s: steps add %.17g then %.17g", k->name, d1, d2);
    }
    cr_assert_geq(ran, 2, "the NEON kernels run on any AArch64 core");
}

/* The scalable kernels follow the thread's vector length: lanes, result and FLOPs. Under qemu the
 * length is QEMU_CPU's (sve128/256/512), on a real core the hardware's. */
Test(fma_aarch64, sve_work_follows_the_vector_length)
{
    unsigned bits = prctl_sve_bits();
    const char *qcpu = getenv("QEMU_CPU");
    if (qcpu) {
        unsigned want = strstr(qcpu, "sve=off")     ? 0
                        : strstr(qcpu, "sve128=on") ? 128
                        : strstr(qcpu, "sve256=on") ? 256
                        : strstr(qcpu, "sve512=on") ? 512
                                                    : bits;
        cr_assert_eq(bits, want, "QEMU_CPU=%s: prctl says %u bits", qcpu, bits);
    }
    const rl_fma_kernel *k;
    int seen = 0;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        if (!k->vl_bits || k->vl_power == 2)
            continue;
        seen++;
        if (bits == 0) {
            cr_assert(rl_fma_missing(k, host_mask()), "%s runnable without SVE", k->name);
            continue;
        }
        cr_assert_eq(k->vl_bits(), bits, "%s", k->name);
        cr_assert_eq(rl_fma_flops_per_iter(k), k->flops_per_iter * bits / 128, "%s", k->name);
        /* The work is there: 24 chains x (lanes per 128 bits x bits / 128) lanes moved. */
        double moved = k->run(1) - k->run(0);
        double per_lane = ref_lane(k, 0, 1) - ref_lane(k, 0, 0);
        cr_assert_float_eq(moved, per_lane * k->accumulators * k->lanes * (bits / 128),
                           1e-9 * fabs(moved), "%s at %u bits", k->name, bits);
    }
    cr_assert_geq(seen, 3, "fp64, fp32, fp16 SVE kernels are built");
}

/* SME: the streaming vector length from prctl, and FLOPs following its square. */
Test(fma_aarch64, sme_work_follows_the_streaming_length)
{
    const rl_fma_kernel *k = NULL, *e;
    for (size_t i = 0; (e = rl_fma_kernel_at(i)) != NULL; i++)
        if (e->vl_power == 2)
            k = e;
    cr_assert_not_null(k, "the SME kernel is built");
    if (!(host_mask() & RL_ISA_SME)) {
        cr_assert(rl_fma_missing(k, host_mask()));
        cr_log_info("SKIP: no SME here (qemu's max CPU has it unless SVE is off)");
        return;
    }
    int vl = prctl(64 /* PR_SME_GET_VL */, 0, 0, 0, 0);
    cr_assert_gt(vl, 0, "PR_SME_GET_VL");
    unsigned bits = (unsigned)(vl & 0xffff) * 8;
    cr_assert_eq(k->vl_bits(), bits, "rdsvl and prctl agree");
    double g = bits / 128.0;
    cr_assert_eq(rl_fma_flops_per_iter(k), k->flops_per_iter * g * g);
    cr_assert_eq(k->run(5), reference(k, 5));
}

Test(fma_aarch64, descriptors_are_consistent)
{
    const rl_fma_kernel *k;
    size_t n = 0;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++, n++) {
        /* OPs per instruction per 128-bit register: FMLA 2 per lane; SDOT 8 per int32 lane;
         * BFDOT 4 per fp32 lane; BFMMLA 8 and SMMLA 16 per output lane. */
        double per_lane = k->math == RL_FMA_MATH_FMLA        ? 2
                          : k->math == RL_FMA_MATH_DOT_INT8  ? 8
                          : k->math == RL_FMA_MATH_DOT_BF16  ? 4
                          : k->math == RL_FMA_MATH_MMLA_BF16 ? 8
                          : k->math == RL_FMA_MATH_MMLA_INT8 ? 16
                                                             : -1;
        if (k->math == RL_FMA_MATH_MOPA) {
            /* Outer products: lanes x lanes elements per tile, 2 FLOPs each, at SVL 128. */
            cr_assert_eq(k->flops_per_iter, k->accumulators * k->steps * k->lanes * k->lanes * 2);
            cr_assert_eq(k->insn[0].per_iter, k->accumulators * k->steps, "%s", k->name);
            cr_assert_eq(k->vl_power, 2);
            continue;
        }
        cr_assert_eq(k->flops_per_iter, k->accumulators * k->lanes * per_lane, "%s", k->name);
        cr_assert_eq(k->insn[0].per_iter, k->accumulators, "%s", k->name);
        cr_assert_geq(k->accumulators, 24, "%s: 24 chains or more", k->name);
        int integer = k->math == RL_FMA_MATH_DOT_INT8 || k->math == RL_FMA_MATH_MMLA_INT8;
        cr_assert(strcmp(k->unit, integer ? "OP" : "FLOP") == 0, "%s", k->name);
        cr_assert(k->requires != 0 && k->run && k->source, "%s", k->name);
    }
    cr_assert_eq(n, 11, "neon x3, sdot, bfdot, bfmmla, smmla, sve x3, sme");
}

/* ---------------------------------------------------------------- disassembly */

typedef struct insn_line {
    unsigned long addr;
    char mnem[32];
    char ops[160];
} insn_line;

#define MAX_LINES 8192

static int disassemble(const char *object, const char *name, insn_line *lines)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "$(command -v aarch64-linux-gnu-objdump || echo objdump) -d --no-show-raw-insn '%s' "
             "2>/dev/null",
             object);
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
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        insn_line il;
        memset(&il, 0, sizeof il);
        il.addr = strtoul(line, NULL, 16);
        char *s = colon + 1;
        s += strspn(s, " \t");
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

/* A branch's target: the hex number before "<" in its operands (b.ne, cbnz, tbnz...); 0 if
 * it is not a direct branch. */
static unsigned long branch_target(const insn_line *l)
{
    int branch = l->mnem[0] == 'b' || strncmp(l->mnem, "cb", 2) == 0 ||
                 strncmp(l->mnem, "tb", 2) == 0;
    const char *lt = strchr(l->ops, '<');
    if (!branch || !lt || strcmp(l->mnem, "bl") == 0)
        return 0;
    const char *p = lt;
    while (p > l->ops && p[-1] == ' ')
        p--;
    while (p > l->ops && strchr("0123456789abcdef", p[-1]))
        p--;
    return strtoul(p, NULL, 16);
}

static void check_loop(const rl_fma_kernel *k, const char *build)
{
    char object[512];
    snprintf(object, sizeof object, "%s/%.*s.o", build, (int)(strlen(k->source) - 2), k->source);
    static insn_line v[MAX_LINES];
    int n = disassemble(object, k->name, v);
    cr_assert_gt(n, 0, "%s: no disassembly in %s", k->name, object);
    int best_from = -1, best_to = -1, best = -1;
    for (int i = 0; i < n; i++) {
        unsigned long target = branch_target(&v[i]);
        if (target == 0 || target > v[i].addr)
            continue;
        int from = i;
        while (from > 0 && v[from].addr > target)
            from--;
        if (v[from].addr != target)
            continue;
        int c = 0;
        for (int j = from; j <= i; j++)
            c += strcmp(v[j].mnem, k->insn[0].mnemonic) == 0;
        if (c > best) {
            best = c;
            best_from = from;
            best_to = i;
        }
    }
    cr_assert_geq(best_from, 0, "%s: no loop in %s", k->name, object);
    cr_assert_eq(best, k->insn[0].per_iter, "%s: the loop has %d %s, the descriptor declares %d",
                 k->name, best, k->insn[0].mnemonic, k->insn[0].per_iter);
    int other = 0;
    for (int i = best_from; i <= best_to; i++) {
        cr_assert(strchr(v[i].ops, '[') == NULL, "%s: the loop accesses memory: '%s %s'",
                  k->name, v[i].mnem, v[i].ops);
        if (strcmp(v[i].mnem, k->insn[0].mnemonic) == 0) {
            cr_assert(strstr(v[i].ops, k->reg), "%s: '%s %s' is not on %s lanes", k->name,
                      v[i].mnem, v[i].ops, k->reg);
            cr_assert_eq(v[i].ops[0], k->vl_bits ? 'z' : 'v', "%s: '%s %s': %s registers",
                         k->name, v[i].mnem, v[i].ops, k->vl_bits ? "SVE z" : "NEON v");
        } else if (strcmp(v[i].mnem, "nop") != 0) {
            other++;
        }
    }
    cr_assert_leq(other, 3, "%s: %d instructions besides the declared ones and the counter",
                  k->name, other);
}

Test(fma_aarch64, built_loops_contain_the_declared_instructions)
{
    const char *build = getenv("RL_BUILD");
    cr_assert(build, "RL_BUILD is set by make test");
    const rl_fma_kernel *k;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++)
        check_loop(k, build);
}

/* ---------------------------------------------------------------- clock */

Test(clock_aarch64, generic_timer_advances_and_the_chain_gives_a_clock)
{
    double t0 = rl_clock_now();
    volatile double s = 0;
    for (int i = 0; i < 100000; i++)
        s += i;
    double t1 = rl_clock_now();
    cr_assert(t1 > t0, "CNTVCT_EL0 / CNTFRQ_EL0 advances: %.9f then %.9f", t0, t1);
    /* The chain runs and yields a figure; under emulation it is no core's clock, so only its
     * existence is checked. */
    cr_assert_gt(rl_clock_measure_quick(), 0);
}
