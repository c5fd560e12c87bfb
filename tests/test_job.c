/* test_job.c: the measurement job (runner/job.h): each command's plan and its defaults, the flags
 * that map onto it, the machine identified once per run (an identify hook that counts), the
 * stages it announces, usage errors before anything is measured, and the ISA vocabulary of the
 * kernel registries (short forms, errors that list the valid names). Runs are tiny: one scalar
 * kernel, one L1 kernel, one thread, 1 ms repeats. Nothing here asserts on speed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/fma.h"
#include "kernels/stream.h"
#include "probes/cpu.h"
#include "result/result.h"
#include "runner/bandwidth.h"
#include "runner/device.h"
#include "runner/flops.h"
#include "runner/job.h"
#include "tests/helpers.h"

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- plans and their defaults ---- */

/* Field by field: a struct's padding is not part of it. */
static int same_plan(const rl_plan *a, const rl_plan *b)
{
    return a->compute == b->compute && a->memory == b->memory && a->theory == b->theory &&
           a->quick == b->quick && a->clock_quick == b->clock_quick && a->threads == b->threads &&
           a->scatter == b->scatter && a->smt == b->smt && a->timing.repeats == b->timing.repeats &&
           a->timing.min_time == b->timing.min_time && a->isa == b->isa &&
           a->precision == b->precision && a->peaks_at_max_threads == b->peaks_at_max_threads &&
           a->levels == b->levels && a->kinds == b->kinds && a->nt == b->nt && a->size == b->size &&
           a->sweep == b->sweep && a->mem_isa == b->mem_isa && a->clock_ghz == b->clock_ghz &&
           a->mem_channels == b->mem_channels && a->mem_mts == b->mem_mts;
}

Test(job_plan, the_three_commands_differ_only_where_they_do)
{
    rl_plan m = rl_plan_main(), f = rl_plan_flops(), b = rl_plan_bandwidth();
    cr_assert(m.compute && m.memory && m.theory);
    cr_assert(!m.quick && !m.clock_quick && !m.peaks_at_max_threads);
    cr_assert(!m.threads && !m.isa && !m.precision && !m.mem_isa);
    cr_assert(m.levels == 0 && m.kinds == 0 && m.nt == RL_PLAN_NT_DEFAULT && m.size == 0);
    cr_assert(f.compute && !f.memory && f.theory && f.clock_quick && f.peaks_at_max_threads);
    cr_assert(!b.compute && b.memory && !b.theory && !b.clock_quick);
    /* Apart from those, the same defaults. */
    f.memory = 1, f.clock_quick = 0, f.peaks_at_max_threads = 0;
    b.compute = 1, b.theory = 1;
    cr_assert(same_plan(&m, &f));
    cr_assert(same_plan(&m, &b));
    cr_assert_eq(rl_plan_stages(&m), 4, "probe, compute, bandwidth, latency");
    cr_assert_eq(rl_plan_stages(&f), 3, "flops has no latency stage");
    f = rl_plan_flops();
    cr_assert_eq(rl_plan_stages(&f), 2);
}

Test(job_plan, defaults_resolve_per_stage)
{
    rl_plan_resolved rp;
    rl_plan p = rl_plan_main();
    rl_plan_resolve(&p, &rp);
    cr_assert_eq(rp.compute_timing.repeats, 5);
    cr_assert_float_eq(rp.compute_timing.min_time, RL_FLOPS_MIN_TIME, 1e-12);
    cr_assert_eq(rp.memory_timing.repeats, 5);
    cr_assert_float_eq(rp.memory_timing.min_time, 0.03, 1e-12);
    cr_assert_eq(rp.plan.levels, 0xfu, "L1, L2, L3, DRAM");
    cr_assert_eq(rp.plan.kinds,
                 (1u << RL_BW_KIND_LOAD) | (1u << RL_BW_KIND_COPY) | (1u << RL_BW_KIND_TRIAD));
    cr_assert_eq(rp.plan.nt, RL_PLAN_NT_DRAM);

    p.quick = 1; /* roofline --quick */
    rl_plan_resolve(&p, &rp);
    cr_assert_eq(rp.compute_timing.repeats, 2);
    cr_assert_eq(rp.memory_timing.repeats, 2);
    cr_assert_float_eq(rp.compute_timing.min_time, 0.01, 1e-12);
    cr_assert_float_eq(rp.memory_timing.min_time, 0.01, 1e-12);
    cr_assert_eq(rp.plan.kinds, (1u << RL_BW_KIND_LOAD) | (1u << RL_BW_KIND_TRIAD));
    cr_assert_eq(rp.plan.nt, RL_PLAN_NT_NONE);

    p = rl_plan_bandwidth();
    p.sweep = 1; /* roofline bandwidth --sweep */
    rl_plan_resolve(&p, &rp);
    cr_assert_eq(rp.memory_timing.repeats, 3);
    cr_assert_float_eq(rp.memory_timing.min_time, 0.01, 1e-12);
    cr_assert_eq(rp.plan.kinds, 1u << RL_BW_KIND_LOAD);
    cr_assert_eq(rp.plan.nt, RL_PLAN_NT_NONE);
    p.nt = RL_PLAN_NT_ALL; /* --sweep --nt */
    p.timing.repeats = 7;
    p.timing.min_time = 0.5;
    rl_plan_resolve(&p, &rp);
    cr_assert_eq(rp.plan.nt, RL_PLAN_NT_ALL);
    cr_assert_eq(rp.memory_timing.repeats, 7);
    cr_assert_float_eq(rp.memory_timing.min_time, 0.5, 1e-12);
}

Test(job_plan, thread_lists)
{
    rl_plan p = rl_plan_main();
    rl_err err = {0};
    int *t = NULL, n = 0;
    cr_assert_eq(rl_plan_threads(&p, 8, 16, &t, &n, &err), 0);
    cr_assert(n == 2 && t[0] == 1 && t[1] == 8, "1,all on 8 cores");
    free(t);
    p.smt = 1;
    cr_assert_eq(rl_plan_threads(&p, 8, 16, &t, &n, &err), 0);
    cr_assert(n == 2 && t[1] == 16, "all is every hardware thread with --smt");
    free(t);
    p = rl_plan_bandwidth();
    p.sweep = 1;
    cr_assert_eq(rl_plan_threads(&p, 8, 16, &t, &n, &err), 0);
    cr_assert(n == 1 && t[0] == 1, "a sweep runs one thread unless asked");
    free(t);
    p.threads = "0";
    cr_assert_eq(rl_plan_threads(&p, 8, 16, &t, &n, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_USAGE);
    cr_assert(strncmp(err.msg, "--threads: ", 11) == 0, "%s", err.msg);
    cr_assert_null(t);
}

Test(job_plan, the_cpu_is_the_first_device)
{
    cr_assert_geq(rl_device_count(), 1);
    cr_assert_str_eq(rl_device_at(0)->name, "cpu");
    cr_assert_null(rl_device_at(rl_device_count()));
}

/* ---- runs ---- */

typedef struct counter {
    int calls;
    rl_isa_mask clear; /* features to hide from the runnable set (a CPU without them) */
} counter;

static int counting_identify(void *user, rl_job_host *host, rl_err *err)
{
    counter *c = user;
    c->calls++;
    if (rl_job_identify(NULL, host, err) != 0)
        return -1;
    host->cpu.runnable_isa &= ~c->clear;
    return 0;
}

typedef struct stages {
    char names[8][16];
    int n;
} stages;

static void record_stage(void *user, const char *name)
{
    stages *s = user;
    if (s->n < 8)
        snprintf(s->names[s->n++], sizeof s->names[0], "%s", name);
}

/* The smallest plan that runs both stages: scalar fp64 and an L1 load on one thread. */
static rl_plan tiny_main(void)
{
    rl_plan p = rl_plan_main();
    p.isa = "scalar";
    p.precision = "fp64";
    p.threads = "1";
    p.timing.repeats = 1;
    p.timing.min_time = 0.001;
    p.levels = 1u << RL_BW_L1;
    p.kinds = 1u << RL_BW_KIND_LOAD;
    p.clock_quick = 1;
    p.latency = 0; /* its own tests: tests/test_latency.c */
    return p;
}

Test(job_run, the_machine_is_identified_once_per_run)
{
    counter c = {0};
    stages st = {0};
    rl_job_hooks hooks = {.identify = counting_identify,
                          .identify_user = &c,
                          .stage = record_stage,
                          .progress_user = &st};
    rl_plan p = tiny_main();
    rl_result *r = rl_result_new();
    rl_err err = {0};
    cr_assert_eq(rl_job_run(&p, &hooks, r, &err), 0, "%s", err.msg);
    cr_assert_eq(c.calls, 1, "identified %d times", c.calls);
    cr_assert_eq(r->n_flops, 1);
    cr_assert_str_eq(r->flops[0].isa, "scalar");
    cr_assert_gt(r->n_bandwidth, 0);
    cr_assert_gt(r->n_ridge, 0, "measured ridge points derived");
    cr_assert_str_eq(r->machine.cpu_source, "this machine");
    cr_assert_gt(r->machine.cores, 0);
    cr_assert_gt(r->theory.n_fpc, 0, "the theoretical roofline is described");
    cr_assert(starts_with(r->meta.settings, "repeat=1 min_time=0.001s(flops),0.001s(bandwidth) "),
              "%s", r->meta.settings);
    cr_assert_eq(st.n, 3);
    cr_assert_str_eq(st.names[0], "probe");
    cr_assert_str_eq(st.names[1], "compute");
    cr_assert_str_eq(st.names[2], "bandwidth");
    rl_result_free(r);

    /* The flops and bandwidth plans likewise. */
    rl_plan f = rl_plan_flops(), b = rl_plan_bandwidth();
    f.isa = "scalar", f.precision = "fp64", f.threads = "1";
    f.timing = (rl_plan_timing){1, 0.001};
    b.levels = 1u << RL_BW_L1, b.kinds = 1u << RL_BW_KIND_LOAD, b.threads = "1";
    b.timing = (rl_plan_timing){1, 0.001};
    hooks.stage = NULL;
    for (int i = 0; i < 2; i++) {
        c.calls = 0;
        r = rl_result_new();
        cr_assert_eq(rl_job_run(i ? &b : &f, &hooks, r, &err), 0, "%s", err.msg);
        cr_assert_eq(c.calls, 1);
        cr_assert_eq(r->n_flops > 0, i == 0);
        cr_assert_eq(r->n_bandwidth > 0, i == 1);
        cr_assert_eq(r->theory.n_fpc > 0, i == 0, "bandwidth describes no theory");
        cr_assert_str_eq(r->machine.topology_source, "this machine");
        cr_assert(starts_with(r->meta.settings, i ? "bandwidth repeat=1 min_time=0.001s levels=L1"
                                                  : "flops repeat=1 min_time=0.001s threads=1"),
                  "%s", r->meta.settings);
        rl_result_free(r);
    }
}

/* A usage error comes back before anything slow: no clock, no theory, no figure. */
static void expect_job_usage_error(const rl_plan *p, rl_isa_mask hide, const char *flag,
                                   const char *needle)
{
    counter c = {.clear = hide};
    rl_job_hooks hooks = {.identify = counting_identify, .identify_user = &c};
    rl_result *r = rl_result_new();
    rl_err err = {0};
    cr_assert_eq(rl_job_run(p, &hooks, r, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_USAGE, "%s", err.msg);
    cr_assert(strncmp(err.msg, flag, strlen(flag)) == 0, "%s", err.msg);
    cr_assert(strstr(err.msg, needle), "'%s' not in: %s", needle, err.msg);
    cr_assert_eq(c.calls, 1);
    cr_assert(r->n_flops == 0 && r->n_bandwidth == 0);
    cr_assert(r->machine.measured_ghz < 0 && r->theory.n_fpc == 0, "nothing slow ran");
    rl_result_free(r);
}

Test(job_run, usage_errors_name_the_flag_before_anything_runs)
{
    const rl_isa_mask avx512 = RL_ISA_AVX512F | RL_ISA_AVX512VL | RL_ISA_AVX512BW |
                               RL_ISA_AVX512DQ | RL_ISA_AVX512_FP16 | RL_ISA_AVX512_BF16 |
                               RL_ISA_AVX512_VNNI;
    rl_plan p = tiny_main();
    p.threads = "0";
    expect_job_usage_error(&p, 0, "--threads: ", "0");
    p = tiny_main();
    p.isa = "avx3";
    expect_job_usage_error(&p, 0, "--isa: ", "avx2-fma");
    p = tiny_main();
    p.precision = "fp128";
    expect_job_usage_error(&p, 0, "--precision: ", "fp64");
    /* A CPU without AVX-512: the short form resolves, and the error says what this CPU runs. */
    p = rl_plan_flops();
    p.isa = "avx512";
    expect_job_usage_error(&p, avx512, "--isa: avx512f: this CPU cannot run it", "scalar");
    p = rl_plan_bandwidth();
    p.mem_isa = "avx512f";
    p.size = 16384;
    p.threads = "1";
    expect_job_usage_error(&p, avx512, "--isa: this CPU cannot run", "sse2, avx2, avx512");
    p.mem_isa = "mmx";
    expect_job_usage_error(&p, 0, "--isa: 'mmx'", "sse2, avx2, avx512");
}

/* ---- the ISA vocabulary ---- */

Test(job_isa, short_forms_resolve_to_registry_names)
{
    cr_assert_str_eq(rl_fma_isa_lookup("avx2"), "avx2-fma");
    cr_assert_str_eq(rl_fma_isa_lookup("avx512"), "avx512f");
    cr_assert_str_eq(rl_fma_isa_lookup("avx2-fma"), "avx2-fma");
    cr_assert_str_eq(rl_fma_isa_lookup("avx2-fma+add"), "avx2-fma+add");
    cr_assert_null(rl_fma_isa_lookup("avx3"));
    cr_assert_str_eq(rl_stream_isa_lookup("avx2-fma"), "avx2");
    cr_assert_str_eq(rl_stream_isa_lookup("avx512f"), "avx512");
    cr_assert_str_eq(rl_stream_isa_lookup("sse2"), "sse2");
    cr_assert_null(rl_stream_isa_lookup("mmx"));

    rl_flops_plan plan;
    const char *which;
    rl_err err = {0};
    cr_assert_eq(rl_flops_plan_make("avx2", "fp64", ~(rl_isa_mask)0, &plan, &which, &err), 0, "%s",
                 err.msg);
    cr_assert_eq(plan.n_run, 1);
    cr_assert_str_eq(plan.run[0]->isa, "avx2-fma");
    cr_assert_eq(rl_flops_plan_make("sse2,avx512", NULL, ~(rl_isa_mask)0, &plan, &which, &err), 0);
    for (size_t i = 0; i < plan.n_run; i++)
        cr_assert(!strcmp(plan.run[i]->isa, "sse2") || !strcmp(plan.run[i]->isa, "avx512f"));
    /* The memory kernels take a compute name for the same registers. */
    cr_assert_not_null(rl_stream_pick(RL_STREAM_COPY, 0, ~(rl_isa_mask)0, "avx2-fma"));
    cr_assert_str_eq(rl_stream_pick(RL_STREAM_COPY, 0, ~(rl_isa_mask)0, "avx2-fma")->isa, "avx2");
}

Test(job_isa, widest_is_declared_not_listed)
{
    const rl_fma_kernel *k, *widest64 = NULL;
    cr_assert_gt(rl_fma_count(), 0);
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        cr_assert_gt(k->width_bits, 0, "%s declares its width", k->name);
        if (!k->is_mix && !strcmp(k->precision, "fp64") && (!widest64 || rl_fma_wider(k, widest64)))
            widest64 = k;
    }
    cr_assert_null(rl_fma_kernel_at(rl_fma_count()));
    cr_assert_str_eq(widest64->isa, "avx512f");
    /* At equal width, a fused kernel is wider than a separate multiply and add. */
    const rl_fma_kernel *avx = NULL, *fma = NULL;
    for (size_t i = 0; (k = rl_fma_kernel_at(i)) != NULL; i++) {
        if (!strcmp(k->precision, "fp64") && !strcmp(k->isa, "avx"))
            avx = k;
        if (!strcmp(k->precision, "fp64") && !strcmp(k->isa, "avx2-fma"))
            fma = k;
    }
    cr_assert(avx && fma && avx->width_bits == fma->width_bits);
    cr_assert(rl_fma_wider(fma, avx) && !rl_fma_wider(avx, fma));
    for (size_t i = 0; i < rl_stream_count(); i++)
        cr_assert_eq(rl_stream_at(i)->width_bits, rl_stream_at(i)->vector_doubles * 64);
}

/* ---- the command line maps its flags onto the plan ---- */

static void expect_cli_isa_error(const char *args, const char *list)
{
    char *out = NULL, *err = NULL;
    int rc = rl_test_run(args, &out, &err);
    cr_assert_eq(rc, 2, "'%s' exited %d: %s", args, rc, err);
    cr_assert(strstr(err, "--isa") && strstr(err, list), "'%s': %s", args, err);
    cr_assert(strchr(err, '\n') == strrchr(err, '\n'), "one line: %s", err);
    cr_assert_str_eq(out, "");
    free(out);
    free(err);
}

Test(job_cli, a_bad_isa_lists_the_registry)
{
    char names[256], line[300];
    rl_fma_isa_names(names, sizeof names);
    expect_cli_isa_error("flops --isa bogus", names);
    expect_cli_isa_error("flops --isa bogus", "avx2 = avx2-fma");
    rl_stream_isa_names(names, sizeof names);
    cr_assert_str_eq(names, "sse2, avx2, avx512");
    expect_cli_isa_error("bandwidth --isa bogus", names);
    expect_cli_isa_error("bandwidth --isa bogus", "avx2-fma = avx2");
    char *out = NULL;
    cr_assert_eq(rl_test_run("bandwidth --help", &out, NULL), 0);
    snprintf(line, sizeof line, "only: %s", names);
    cr_assert(strstr(out, line) && strstr(out, "avx512f = avx512"), "%s", out);
    free(out);
    cr_assert_eq(rl_test_run("flops --help", &out, NULL), 0);
    cr_assert(strstr(out, "avx512 = avx512f"), "%s", out);
    free(out);
}

static rl_result *run_json(const char *args)
{
    char *out = NULL, *err = NULL;
    int rc = rl_test_run(args, &out, &err);
    cr_assert_eq(rc, 0, "'%s' exited %d: %s", args, rc, err);
    rl_err e = {0};
    rl_result *r = rl_result_from_json(out, strlen(out), "stdout", &e);
    cr_assert_not_null(r, "%s", e.msg);
    free(out);
    free(err);
    return r;
}

Test(job_cli, flags_map_onto_the_plan)
{
    rl_cpu cpu;
    rl_err err = {0};
    cr_assert_eq(rl_cpu_identify(NULL, &cpu, &err), 0, "%s", err.msg);
    int avx2 = (cpu.runnable_isa & (RL_ISA_AVX2 | RL_ISA_FMA)) == (RL_ISA_AVX2 | RL_ISA_FMA);

    rl_result *r = run_json(avx2 ? "flops --isa avx2 --precision fp64 --threads 1 --repeat 2 "
                                   "--min-time 0.001 --bind scatter -q --json -"
                                 : "flops --isa scalar --precision fp64 --threads 1 --repeat 2 "
                                   "--min-time 0.001 --bind scatter -q --json -");
    cr_assert_str_eq(r->meta.settings, "flops repeat=2 min_time=0.001s threads=1 bind=scatter "
                                       "smt=no");
    cr_assert_eq(r->n_flops, 1);
    cr_assert_str_eq(r->flops[0].isa, avx2 ? "avx2-fma" : "scalar");
    cr_assert_eq(r->flops[0].repeats, 2);
    cr_assert_eq(r->n_bandwidth, 0);
    rl_result_free(r);

    r = run_json(avx2 ? "bandwidth --level L1 --kernel copy --nt --isa avx2-fma --threads 1 "
                        "--repeat 2 --min-time 0.001 -q --json -"
                      : "bandwidth --level L1 --kernel copy --nt --isa sse2 --threads 1 "
                        "--repeat 2 --min-time 0.001 -q --json -");
    cr_assert_str_eq(r->meta.settings, "bandwidth repeat=2 min_time=0.001s levels=L1 "
                                       "kernels=copy nt=all threads=1");
    cr_assert_eq(r->n_bandwidth, 2, "copy with regular and non-temporal stores");
    for (size_t i = 0; i < r->n_bandwidth; i++) {
        cr_assert_str_eq(r->bandwidth[i].isa, avx2 ? "avx2" : "sse2");
        cr_assert_str_eq(r->bandwidth[i].level, "L1");
    }
    cr_assert_eq(r->n_flops, 0);
    cr_assert_lt(r->machine.measured_ghz, 0, "bandwidth measures no clock");
    rl_result_free(r);

    r = run_json("--quick --threads 1 --clock 2.5 --mem-channels 2 --mem-mts 3200 -q --json -");
    cr_assert(starts_with(r->meta.settings,
                          "repeat=2 min_time=0.01s(flops),0.01s(bandwidth) quick=yes threads=1 "
                          "placement=compact smt=no os="),
              "%s", r->meta.settings);
    cr_assert_float_eq(r->machine.measured_ghz, 2.5, 1e-9);
    cr_assert_str_eq(r->machine.measured_source, "--clock");
    cr_assert_eq(r->theory.mem_channels, 2);
    cr_assert_leq(r->n_flops, 2, "--quick: the widest kernel per precision");
    for (size_t i = 0; i < r->n_bandwidth; i++)
        cr_assert(!strcmp(r->bandwidth[i].kernel, "load") ||
                  !strcmp(r->bandwidth[i].kernel, "triad"));
    rl_result_free(r);
}
