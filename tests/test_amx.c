/* test_amx.c: AMX gating and theory; the kernels themselves are checked by disassembly in
 * test_fma_kernels.c (they cannot run on a CPU without AMX, which is every machine the suite has
 * run on so far):
 *  - CPUID's AMX bits count only with XCR0's tile state and Linux's permission for it;
 *  - Sapphire, Emerald and Granite Rapids get the AMX rows (2048 int8 OPs, 1024 bf16/fp16 FLOPs
 *    per cycle per core), nothing else does, and only where AMX is runnable;
 *  - a CPU without AMX lists the AMX kernels as "not run: CPU lacks AMX-...", and naming one is a
 *    usage error; the registry knows the three names. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/fma.h"
#include "probes/cpu_x86.h"
#include "probes/uarch.h"
#include "runner/flops.h"
#include "tests/helpers.h"

static rl_cpu spr(uint64_t xcr0, int permitted)
{
    rl_cpu c;
    memset(&c, 0, sizeof c);
    c.leaf1_edx = 1u << 26;
    c.leaf1_ecx = (1u << 28) | (1u << 12) | (1u << 27);
    c.leaf7_ebx = (1u << 5) | (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
    c.leaf7_edx = (1u << 24) | (1u << 25) | (1u << 22); /* AMX-TILE, AMX-INT8, AMX-BF16 */
    c.leaf7_1_known = 1;
    c.leaf7_1_eax = 1u << 21; /* AMX-FP16 (Granite Rapids) */
    c.xcr0_known = 1;
    c.xcr0 = xcr0;
    c.amx_permitted = permitted;
    rl_cpu_x86_decide_isa(&c);
    return c;
}

#define AMX_ALL (RL_ISA_AMX_TILE | RL_ISA_AMX_INT8 | RL_ISA_AMX_BF16 | RL_ISA_AMX_FP16)

Test(amx, cpuid_xcr0_and_permission_gate_it)
{
    rl_cpu ok = spr(0x600E7, 1);
    cr_assert_eq(ok.cpuid_isa & AMX_ALL, AMX_ALL);
    cr_assert_eq(ok.runnable_isa & AMX_ALL, AMX_ALL, "%s", ok.isa_note);
    cr_assert(strstr(ok.isa_note, "AMX state on and permitted"), "%s", ok.isa_note);

    rl_cpu refused = spr(0x600E7, 0);
    cr_assert_eq(refused.runnable_isa & AMX_ALL, 0);
    cr_assert(strstr(refused.isa_note, "refused"), "%s", refused.isa_note);
    cr_assert(refused.runnable_isa & RL_ISA_AVX512F, "AVX-512 is not AMX's business");

    rl_cpu no_state = spr(0x200E7, 1); /* XTILECFG without XTILEDATA */
    cr_assert_eq(no_state.runnable_isa & AMX_ALL, 0);
    cr_assert(strstr(no_state.isa_note, "AMX state off"), "%s", no_state.isa_note);

    /* No tile architecture: the type bits mean nothing */
    rl_cpu c;
    memset(&c, 0, sizeof c);
    c.leaf1_edx = 1u << 26;
    c.leaf7_edx = (1u << 25) | (1u << 22);
    rl_cpu_x86_decide_isa(&c);
    cr_assert_eq(c.cpuid_isa & AMX_ALL, 0);

    /* A dump: state assumed (as for AVX-512), AMX runnable */
    rl_cpu d = spr(0, 0);
    d.xcr0_known = 0;
    rl_cpu_x86_decide_isa(&d);
    cr_assert_eq(d.runnable_isa & AMX_ALL, AMX_ALL);
}

static double fpc(const rl_fpc *f, size_t n, const char *isa, const char *prec)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].isa, isa) == 0 && strcmp(f[i].precision, prec) == 0)
            return f[i].per_core;
    return -1;
}

Test(amx, theory_rows_for_the_xeons_that_have_it)
{
    rl_isa_mask isa = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA | RL_ISA_AVX512F |
                      RL_ISA_AVX512VL | RL_ISA_AVX512BW | RL_ISA_AVX512DQ | RL_ISA_AMX_TILE |
                      RL_ISA_AMX_INT8 | RL_ISA_AMX_BF16;
    static const struct {
        int model;
        const char *name;
    } xeons[] = {{0x8F, "sapphire-rapids"}, {0xCF, "emerald-rapids"}, {0xAD, "granite-rapids"}};
    for (size_t i = 0; i < 3; i++) {
        rl_uarch u;
        rl_uarch_lookup("GenuineIntel", 6, xeons[i].model, 0, "", isa, &u);
        cr_assert_str_eq(u.name, xeons[i].name);
        rl_fpc f[32];
        size_t n = rl_uarch_fpc(&u, isa, f, 32);
        cr_assert_eq(fpc(f, n, "amx-int8", "int8"), 2048, "%s", u.name);
        cr_assert_eq(fpc(f, n, "amx-bf16", "bf16"), 1024, "%s", u.name);
        cr_assert_lt(fpc(f, n, "amx-fp16", "fp16"), 0, "no AMX-FP16 in the ISA");
        n = rl_uarch_fpc(&u, isa | RL_ISA_AMX_FP16, f, 32);
        cr_assert_eq(fpc(f, n, "amx-fp16", "fp16"), 1024, "%s", u.name);
        n = rl_uarch_fpc(&u, isa & ~(rl_isa_mask)RL_ISA_AMX_TILE, f, 32);
        cr_assert_lt(fpc(f, n, "amx-int8", "int8"), 0, "not runnable: no row");
        cr_assert(strstr(u.note, "AMX 2048 int8"), "%s", u.note);
    }
    /* Ice Lake-SP has no AMX, whatever the mask says */
    rl_uarch icx;
    rl_uarch_lookup("GenuineIntel", 6, 0x6A, 0, "", isa, &icx);
    rl_fpc f[32];
    size_t n = rl_uarch_fpc(&icx, isa, f, 32);
    cr_assert_lt(fpc(f, n, "amx-int8", "int8"), 0);
}

Test(amx, listed_not_run_without_amx)
{
    const char *names[] = {"amx-int8", "amx-bf16", "amx-fp16"};
    for (size_t i = 0; i < 3; i++)
        cr_assert_str_eq(rl_fma_isa_lookup(names[i]), names[i]);
    rl_flops_plan plan;
    const char *which;
    rl_err err = {0};
    rl_isa_mask mask = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA;
    cr_assert_eq(rl_flops_plan_make(NULL, NULL, mask, &plan, &which, &err), 0, "%s", err.msg);
    int skipped = 0;
    for (size_t i = 0; i < plan.n_skip; i++)
        if (strncmp(plan.skip[i]->isa, "amx-", 4) == 0) {
            skipped++;
            cr_assert(plan.skip_missing[i] & RL_ISA_AMX_TILE);
        }
    cr_assert_eq(skipped, 3);
    cr_assert_eq(rl_flops_plan_make("amx-bf16", NULL, mask, &plan, &which, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_USAGE);

    /* End to end on this machine (no AMX anywhere the suite runs so far): the row is listed as
     * not run, by name; where AMX runs, the row is measured instead. */
    char *out = NULL;
    cr_assert_eq(rl_test_run("flops --precision bf16 --threads 1 --repeat 1 --min-time 0.002 -q",
                             &out, NULL),
                 0);
    if (!strstr(out, "amx-bf16 ") || strstr(out, "not run: CPU lacks AMX"))
        cr_assert(strstr(out, "amx-bf16 bf16: not run: CPU lacks AMX-TILE, AMX-BF16"), "%s", out);
    free(out);
}
