/* test_platform_mem.c: server CPU models -> their platform's memory (probes/platform_mem.c), and
 * how `roofline probe` uses it: beside the measurement on a VM or a description, for the ridge only
 * with --platform-memory (or on bare metal); --mem-channels/--mem-mts still win. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/platform_mem.h"
#include "result/result.h"
#include "tests/helpers.h"

Test(platform_mem, server_models_and_skus)
{
    static const struct {
        const char *vendor;
        int family, model;
        const char *brand;
        int channels, mts; /* 0: no platform */
    } cases[] = {
        {"AuthenticAMD", 0x19, 0x11, "AMD EPYC", 12, 4800}, /* a VM's brand string */
        {"AuthenticAMD", 0x19, 0x11, "AMD EPYC 9654 96-Core Processor", 12, 4800},
        {"AuthenticAMD", 0x19, 0xA0, "AMD EPYC 9754 128-Core Processor", 12, 4800},
        {"AuthenticAMD", 0x19, 0xAA, "AMD EPYC 8534P 64-Core Processor", 6, 4800},
        {"AuthenticAMD", 0x1A, 0x02, "AMD EPYC 9755 128-Core Processor", 12, 6000},
        {"AuthenticAMD", 0x19, 0x01, "AMD EPYC 7763 64-Core Processor", 8, 3200},
        {"AuthenticAMD", 0x19, 0x18, "AMD Ryzen Threadripper PRO 7995WX", 0, 0},
        {"AuthenticAMD", 0x19, 0x61, "AMD Ryzen 9 7950X 16-Core Processor", 0, 0},
        {"GenuineIntel", 6, 0x8F, "Intel(R) Xeon(R) Platinum 8480+", 8, 4800},
        {"GenuineIntel", 6, 0x8F, "Intel(R) Xeon(R) w5-2455X", 4, 4800},
        {"GenuineIntel", 6, 0xCF, "INTEL(R) XEON(R) PLATINUM 8570", 8, 5600},
        {"GenuineIntel", 6, 0xAD, "Intel(R) Xeon(R) 6980P", 12, 6400},
        {"GenuineIntel", 6, 0xAD, "Intel(R) Xeon(R) 6787P", 8, 6400},
        {"GenuineIntel", 6, 0xAD, "Intel(R) Xeon(R) Processor", 0, 0}, /* SKU hidden */
        {"GenuineIntel", 6, 0xAF, "Intel(R) Xeon(R) 6780E", 8, 6400},
        {"GenuineIntel", 6, 0x97, "12th Gen Intel(R) Core(TM) i9-12900K", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const rl_platform_mem *p =
            rl_platform_mem_for(cases[i].vendor, cases[i].family, cases[i].model, cases[i].brand);
        if (!cases[i].channels) {
            cr_expect_null(p, "'%s': %s", cases[i].brand, p ? p->platform : "");
            continue;
        }
        cr_assert_not_null(p, "'%s'", cases[i].brand);
        cr_expect_eq(p->channels, cases[i].channels, "'%s'", cases[i].brand);
        cr_expect_eq(p->mts, cases[i].mts, "'%s'", cases[i].brand);
        cr_expect_float_eq(rl_platform_mem_gbs(p), cases[i].channels * cases[i].mts * 8 / 1000.0,
                           1e-9);
    }
    cr_assert_float_eq(
        rl_platform_mem_gbs(rl_platform_mem_for("AuthenticAMD", 0x19, 0x11, "AMD EPYC")), 460.8,
        1e-9);
    cr_assert_lt(rl_platform_mem_gbs(NULL), 0);
}

static rl_result *probe_json(const char *args)
{
    char cmd[2048], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "probe --json - %s", args);
    int st = rl_test_run(cmd, &out, &err);
    cr_assert_eq(st, 0, "exit %d: %s", st, err ? err : "");
    rl_err e = {0};
    rl_result *r = rl_result_from_json(out, strlen(out), "stdout", &e);
    cr_assert_not_null(r, "%s", e.msg);
    free(out);
    free(err);
    return r;
}

#define EPYC                                                                                       \
    "--cpuid-dump tests/data/cpuid-epyc-9654.raw --topology tests/data/topo-2x32-numa4.xml "       \
    "--clock 2.4"

/* A description (or a VM): the platform beside, no ridge from it. */
Test(platform_mem, shown_but_not_used_without_confirmation)
{
    rl_result *r = probe_json(EPYC);
    const rl_platform_dram *p = &r->theory.platform;
    cr_assert_float_eq(p->gbs_per_socket, 460.8, 1e-9);
    cr_assert_eq(p->channels, 12);
    cr_assert_eq(p->used, 0);
    cr_assert_str_eq(p->memory, "DDR5-4800");
    cr_assert(strstr(p->note, "not this"), "%s", p->note);
    cr_assert_lt(r->theory.dram_gbs, 0);
    cr_assert_eq(r->theory.n_ridge, 0, "no theoretical ridge from the platform's figure");
    int warned = 0;
    for (size_t i = 0; i < r->n_warnings; i++)
        warned |= strstr(r->warnings[i], "AMD EPYC 9004 (Genoa)") != NULL;
    cr_assert(warned, "the platform is named in the notes");
    rl_result_free(r);
}

/* --platform-memory: two sockets x 12 channels x 4800 MT/s, and the ridges. */
Test(platform_mem, used_when_confirmed)
{
    rl_result *r = probe_json(EPYC " --platform-memory");
    cr_assert_eq(r->theory.platform.used, 1);
    cr_assert_eq(r->theory.platform.sockets, 2);
    cr_assert_float_eq(r->theory.dram_gbs, 2 * 460.8, 1e-9);
    cr_assert_eq(r->theory.mem_channels, 24);
    cr_assert_gt(r->theory.n_ridge, 0);
    rl_result_free(r);
}

/* --mem-channels/--mem-mts win over the platform. */
Test(platform_mem, overrides_win)
{
    rl_result *r = probe_json(EPYC " --platform-memory --mem-channels 8 --mem-mts 4800");
    cr_assert_float_eq(r->theory.dram_gbs, 8 * 4800 * 8 / 1000.0, 1e-9);
    cr_assert_eq(r->theory.platform.used, 0);
    cr_assert(strstr(r->theory.platform.note, "--mem-channels"), "%s", r->theory.platform.note);
    rl_result_free(r);
}

/* The text report names the platform's figure as the platform's. */
Test(platform_mem, text_report)
{
    char *out = NULL;
    cr_assert_eq(rl_test_run("probe " EPYC, &out, NULL), 0);
    cr_assert(strstr(out, "Platform    460.8 GB/s per socket"), "%s", out);
    free(out);
}
