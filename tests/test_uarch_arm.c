/* test_uarch_arm.c: the AArch64 table and its FLOPs/cycle on saved machines. The expected figures
 * are the published pipe counts, worked out here from the sources, not read from the table:
 *   Graviton 2 / Altra (Neoverse N1): two 128-bit FMA pipes: 2 x 2 fp64 lanes x 2 = 8
 *   Graviton 3 (Neoverse V1): four 128-bit pipes (NEON) or two 256-bit (SVE): 16
 *   Grace / Graviton 4 (Neoverse V2): four 128-bit pipes, SVE 128: 16
 *   A64FX: two 512-bit FMA pipes: 2 x 8 x 2 = 32
 * Portable: runs in both suites, and through the binary (`roofline probe --cpuinfo`). */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "probes/cpu_arm.h"
#include "probes/uarch_arm.h"
#include "tests/helpers.h"

static double fpc(const rl_uarch *u, rl_isa_mask isa, const char *name, const char *prec)
{
    rl_fpc v[32];
    size_t n = rl_uarch_fpc(u, isa, v, 32);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].isa, name) == 0 && strcmp(v[i].precision, prec) == 0)
            return v[i].per_core;
    return -1;
}

static void lookup(const char *file, rl_cpu *cpu, rl_uarch *u)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/%s", file);
    rl_err err = {0};
    cr_assert_eq(rl_cpu_arm_identify(path, cpu, &err), 0, "%s", err.msg);
    rl_uarch_arm_lookup(cpu, u);
}

Test(uarch_arm, published_fp64_figures)
{
    static const struct {
        const char *file, *name, *best;
        double fp64;
    } want[] = {
        {"cpuinfo-aarch64-neoverse-n1-altra.txt", "neoverse-n1", "neon", 8},
        {"cpuinfo-aarch64-graviton3.txt", "neoverse-v1", "sve", 16},
        {"cpuinfo-aarch64-grace.txt", "neoverse-v2", "sve", 16},
        {"cpuinfo-aarch64-a64fx.txt", "a64fx", "sve", 32},
        {"cpuinfo-aarch64-kunpeng920.txt", "tsv110", "neon", 8}, /* two 128-bit FP pipes */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        rl_cpu cpu;
        rl_uarch u;
        lookup(want[i].file, &cpu, &u);
        cr_assert(u.known && u.arm, "%s", want[i].file);
        cr_assert_str_eq(u.name, want[i].name);
        cr_assert_eq(fpc(&u, cpu.runnable_isa, want[i].best, "fp64"), want[i].fp64, "%s: %g",
                     want[i].name, fpc(&u, cpu.runnable_isa, want[i].best, "fp64"));
        cr_assert(strlen(u.source) > 0 && strlen(u.detail) > 20, "%s names its source", u.name);
    }
}

Test(uarch_arm, precisions_and_dot_rows_follow_the_pipes)
{
    rl_cpu cpu;
    rl_uarch u;
    lookup("cpuinfo-aarch64-graviton3.txt", &cpu, &u);
    /* Four 128-bit pipes: fp32 4 lanes x 2 x 4, fp16 8 lanes x 2 x 4; SDOT 4 int32 lanes x 8 OPs
     * x 4; BFDOT 4 lanes x 4 FLOPs x 4; SMMLA 32 MACs x 2 x 4. */
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "neon", "fp32"), 32);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "neon", "fp16"), 64);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "sdot", "int8"), 128);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "bfdot", "bf16"), 64);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "smmla", "int8"), 256);
    /* Neoverse N1 has no bf16, i8mm or SVE: no such rows. */
    lookup("cpuinfo-aarch64-neoverse-n1-altra.txt", &cpu, &u);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "sve", "fp64"), -1);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "bfdot", "bf16"), -1);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "sdot", "int8"), 64);
}

Test(uarch_arm, every_row_names_a_source_and_keys_on_the_implementer)
{
    size_t n = rl_uarch_arm_count();
    cr_assert_geq(n, 4);
    for (size_t i = 0; i < n; i++) {
        const rl_uarch_arm_row *r = rl_uarch_arm_at(i);
        cr_assert(r->source && r->source[0] && r->detail && strlen(r->detail) > 20, "%s", r->name);
        cr_assert(r->implementer != 0 && r->neon_pipes > 0, "%s", r->name);
        for (size_t j = 0; j < i; j++)
            cr_assert(rl_uarch_arm_at(j)->implementer != r->implementer ||
                          rl_uarch_arm_at(j)->part != r->part,
                      "%s listed twice", r->name);
    }
    cr_assert_null(rl_uarch_arm_at(n));
    /* The same part number under another implementer is not that core. */
    rl_cpu cpu;
    rl_uarch u;
    lookup("cpuinfo-aarch64-neoverse-n1-altra.txt", &cpu, &u);
    cpu.arm_cores[0].implementer = 0x51;
    rl_uarch_arm_lookup(&cpu, &u);
    cr_assert_not(u.known);
    /* And the same core under another implementer is: Linux's cputype.h names Microsoft's Azure
     * Cobalt 100 (implementer 0x6d, part 0xd49) as Neoverse N2 r0p0, two 128-bit FMA pipes. */
    cpu.arm_cores[0].implementer = 0x6d;
    cpu.arm_cores[0].part = 0xd49;
    rl_uarch_arm_lookup(&cpu, &u);
    cr_assert(u.known);
    cr_assert_str_eq(u.name, "neoverse-n2");
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "neon", "fp64"), 8);
}

Test(uarch_arm, unknown_cores_get_a_lower_bound_said_to_be_one)
{
    rl_cpu cpu;
    rl_uarch u;
    lookup("cpuinfo-aarch64-a510-a710-a715-x3.txt", &cpu, &u);
    cr_assert_not(u.known);
    cr_assert_str_eq(u.name, "fallback");
    cr_assert(strstr(u.note, "lower bound"), "%s", u.note);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "neon", "fp64"), 2, "one 64-bit FMA per cycle");
    /* A thread's SVE length (prctl) sets the SVE row: still 64 bits of FMA work per cycle. */
    cpu.runnable_isa |= RL_ISA_SVE;
    cpu.sve_bits = 512;
    rl_uarch_arm_lookup(&cpu, &u);
    cr_assert_eq(fpc(&u, cpu.runnable_isa, "sve", "fp64"), 2);
    /* An emulated CPU is never looked up. */
    lookup("cpuinfo-aarch64-grace.txt", &cpu, &u);
    snprintf(cpu.emulated, sizeof cpu.emulated, "qemu");
    rl_uarch_arm_lookup(&cpu, &u);
    cr_assert_not(u.known);
}

/* The whole path through the binary, on any host: the JSON of `probe --cpuinfo`, and the source
 * named in the text. */
Test(uarch_arm, probe_cpuinfo_json_and_text)
{
    cJSON *d = rl_test_run_json("probe --cpuinfo tests/data/cpuinfo-aarch64-a64fx.txt --clock 2.6 "
                                "--json -",
                                0);
    const cJSON *list =
        cJSON_GetObjectItem(cJSON_GetObjectItem(d, "theoretical"), "flops_per_cycle");
    cr_assert(cJSON_IsArray(list));
    int seen = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const char *isa = cJSON_GetStringValue(cJSON_GetObjectItem(e, "isa"));
        const char *prec = cJSON_GetStringValue(cJSON_GetObjectItem(e, "precision"));
        if (isa && prec && strcmp(isa, "sve") == 0 && strcmp(prec, "fp64") == 0) {
            cr_assert_eq(rl_test_num(e, "per_core"), 32);
            seen = 1;
        }
    }
    cr_assert(seen);
    cJSON_Delete(d);
    char *out = NULL;
    cr_assert_eq(rl_test_run("probe --cpuinfo tests/data/cpuinfo-aarch64-graviton3.txt --clock 2.6",
                             &out, NULL),
                 0);
    cr_assert(strstr(out, "AArch64SchedNeoverseV1.td"), "the source is named: %s", out);
    free(out);
    cr_assert_eq(rl_test_run("probe --cpuinfo tests/data/cpuinfo-x86-epyc-7763.txt", NULL, NULL), 3,
                 "an x86 file is a bad input (exit 3)");
    cr_assert_eq(rl_test_run("probe --cpuinfo tests/data/cpuinfo-aarch64-grace.txt --cpuid-dump x",
                             NULL, NULL),
                 2);
}
