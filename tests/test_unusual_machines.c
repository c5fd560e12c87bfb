/* test_unusual_machines.c: the probe on machines unlike this one: hwloc topologies without caches,
 * with a single PU, with missing cache levels or no Core objects, a zero-size cache, a huge machine
 * (8 packages, 128 NUMA nodes, 32768 PUs, generated with lstopo at test time: too big to commit),
 * and every CPUID dump of ../shared/fixtures/cpuid combined with a 2-socket 256-core topology. Each
 * must give a result that writes to JSON and reads back, never a crash. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "probes/probe.h"
#include "report/machine.h"
#include "result/result.h"
#include "tests/helpers.h"

/* Probes `dump` (NULL: this CPU) on `topology` at 2 GHz; checks the result survives JSON both ways
 * and the text report. Returns 0 or logs why not. */
static int probe_ok(const char *dump, const char *topology)
{
    rl_probe_opts o;
    rl_probe_opts_init(&o);
    o.cpuid_dump = dump;
    o.topology_xml = topology;
    o.clock_ghz = 2;
    rl_err err = {0};
    rl_result *r = rl_result_new();
    cr_assert(r);
    int ok = rl_probe_machine(&o, r, &err) == 0;
    if (!ok)
        cr_log_error("%s + %s: %s", dump ? dump : "this CPU", topology, err.msg);
    char *text = ok ? rl_result_to_json(r, &err) : NULL;
    if (ok && !text) {
        cr_log_error("%s + %s: to JSON: %s", dump ? dump : "this CPU", topology, err.msg);
        ok = 0;
    }
    if (text) {
        rl_result *back = rl_result_from_json(text, strlen(text), "probe.json", &err);
        if (!back) {
            cr_log_error("%s + %s: JSON does not read back: %s", dump ? dump : "this CPU", topology,
                         err.msg);
            ok = 0;
        }
        rl_result_free(back);
        free(text);
    }
    if (ok) {
        rl_buf b = {0};
        rl_report_machine(&b, r);
        ok = !b.failed && b.len > 0;
        rl_buf_free(&b);
    }
    rl_result_free(r);
    return ok ? 0 : -1;
}

static const char *const odd_topologies[] = {
    "tests/data/topo-nocache.xml",      /* pack:1 core:4 pu:1, no cache objects */
    "tests/data/topo-single-pu.xml",    /* pu:1 */
    "tests/data/topo-l2-only.xml",      /* L2 without L1 or L3 */
    "tests/data/topo-2x8-l3-only.xml",  /* L3 without L1 or L2, 2 packages, SMT */
    "tests/data/topo-no-cores.xml",     /* PUs straight under packages, no Core objects */
    "tests/data/topo-zero-size-l2.xml", /* an L2 of size 0 */
    "tests/data/topo-hybrid-2p4e.xml",  /* P and E cores */
    "tests/data/topo-2x128-numa8.xml",  /* big */
    "tests/data/topo-1x64-l3-512m.xml", /* huge L3 */
};

Test(unusual, odd_topologies_with_dumps_and_this_cpu)
{
    char dump[1024];
    snprintf(dump, sizeof dump,
             "%s/fixtures/cpuid/amd__zen5__amd-ryzen-9-9950x-16-core-processor.raw",
             rl_test_shared());
    int bad = 0;
    for (size_t i = 0; i < sizeof odd_topologies / sizeof odd_topologies[0]; i++) {
        bad += probe_ok(dump, odd_topologies[i]) != 0;
        bad += probe_ok(NULL, odd_topologies[i]) != 0;
    }
    cr_assert_eq(bad, 0, "%d probes failed (see the log)", bad);
}

Test(unusual, topology_counts_survive)
{
    rl_probe_opts o;
    rl_probe_opts_init(&o);
    o.topology_xml = "tests/data/topo-no-cores.xml";
    o.clock_ghz = 2;
    rl_err err = {0};
    rl_result *r = rl_result_new();
    cr_assert_eq(rl_probe_machine(&o, r, &err), 0, "%s", err.msg);
    /* no Core objects: each PU counts as a core */
    cr_assert_eq(r->machine.packages, 2);
    cr_assert_eq(r->machine.cores, 8);
    cr_assert_eq(r->machine.n_caches, 0);
    rl_result_free(r);
}

/* Every fixture dump on a 2-socket, 256-core, 8-NUMA-node topology: exit 0, valid JSON. */
Test(unusual, every_fixture_dump_on_a_big_machine)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/fixtures/cpuid", rl_test_shared());
    DIR *d = opendir(dir);
    cr_assert(d, "cannot open %s", dir);
    struct dirent *e;
    int n = 0, bad = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".raw") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        bad += probe_ok(path, "tests/data/topo-2x128-numa8.xml") != 0;
        n++;
    }
    closedir(d);
    cr_assert_geq(n, 300, "only %d dumps in %s", n, dir);
    cr_assert_eq(bad, 0, "%d of %d dumps failed (see the log)", bad, n);
}

/* The same through the binary, as a user runs it, for a few dumps. */
Test(unusual, probe_command_on_odd_machines)
{
    const char *dumps[] = {"amd__k5__amd-k5-pr75.raw",
                           "intel__ia-32__p6__intel-pentium-iii-katmai.raw",
                           "amd__zen5__amd-ryzen-9-9950x-16-core-processor.raw",
                           "intel__x86-64__raptor-cove__intel-core-i9-14900k.raw"};
    for (size_t i = 0; i < sizeof dumps / sizeof dumps[0]; i++)
        for (size_t t = 0; t < 3; t++) {
            char args[2048];
            snprintf(args, sizeof args,
                     "probe --cpuid-dump %s/fixtures/cpuid/%s --topology %s --clock 2 --json -",
                     rl_test_shared(), dumps[i], odd_topologies[t]);
            char *out = NULL, *err = NULL;
            int code = rl_test_run(args, &out, &err);
            cJSON *j = cJSON_Parse(out);
            int ok = code == 0 && j && cJSON_GetObjectItem(j, "topology");
            if (!ok)
                cr_log_error("roofline %s: exit %d: %s", args, code, err);
            cJSON_Delete(j);
            free(out);
            free(err);
            cr_assert(ok);
        }
}

/* A huge machine, generated with lstopo (the XML is ~50 MB): 8 packages x 16 NUMA nodes x 64 cores
 * x 4 PUs. Skipped when lstopo is not installed. */
Test(unusual, huge_synthetic_machine)
{
    if (system("command -v lstopo >/dev/null 2>&1") != 0)
        cr_skip_test("lstopo not installed");
    char dir[128], xml[256], cmd[512];
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    snprintf(xml, sizeof xml, "%s/huge.xml", dir);
    snprintf(cmd, sizeof cmd,
             "lstopo --input 'pack:8 numa:16 core:64 pu:4' --of xml %s >/dev/null 2>&1", xml);
    cr_assert_eq(system(cmd), 0, "lstopo failed: %s", cmd);
    rl_probe_opts o;
    rl_probe_opts_init(&o);
    o.topology_xml = xml;
    o.clock_ghz = 2;
    rl_err err = {0};
    rl_result *r = rl_result_new();
    int rc = rl_probe_machine(&o, r, &err);
    unlink(xml);
    rmdir(dir);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_eq(r->machine.packages, 8);
    cr_assert_eq(r->machine.numa_nodes, 128);
    cr_assert_eq(r->machine.cores, 8 * 16 * 64);
    cr_assert_eq(r->machine.threads, 8 * 16 * 64 * 4);
    char *text = rl_result_to_json(r, &err);
    cr_assert(text, "%s", err.msg);
    rl_result *back = rl_result_from_json(text, strlen(text), "huge.json", &err);
    cr_assert(back, "%s", err.msg);
    rl_result_free(back);
    free(text);
    rl_result_free(r);
}

/* hwloc's environment can hand the measuring commands another machine (HWLOC_XMLFILE,
 * HWLOC_SYNTHETIC): one that claims to be this system (HWLOC_THISSYSTEM=1) is measured on its
 * PUs, one that does not is a run-time error naming the variables, never a crash. */
Test(unusual, measuring_on_an_hwloc_environment_machine)
{
    const char *tiny[] = {"flops --quiet --repeat 1 --min-time 0.001 --isa scalar --precision fp64 "
                          "--json -",
                          "bandwidth --quiet --repeat 1 --min-time 0.001 --kernel load --json -"};
    for (size_t i = 0; i < 2; i++) {
        setenv("HWLOC_SYNTHETIC", "pu:1", 1);
        setenv("HWLOC_THISSYSTEM", "1", 1);
        char *out = NULL, *err = NULL;
        int code = rl_test_run(tiny[i], &out, &err);
        cJSON *j = cJSON_Parse(out);
        int ok = code == 0 && j;
        if (!ok)
            cr_log_error("HWLOC_SYNTHETIC=pu:1 roofline %s: exit %d: %s", tiny[i], code, err);
        cJSON_Delete(j);
        free(out);
        free(err);
        cr_assert(ok);

        unsetenv("HWLOC_SYNTHETIC");
        unsetenv("HWLOC_THISSYSTEM");
        setenv("HWLOC_XMLFILE", "tests/data/topo-nocache.xml", 1);
        code = rl_test_run(tiny[i], &out, &err);
        ok = code == 1 && strncmp(err, "roofline: error: ", 17) == 0 &&
             strstr(err, "HWLOC_XMLFILE") && strchr(err, '\n') == strrchr(err, '\n');
        if (!ok)
            cr_log_error("HWLOC_XMLFILE=... roofline %s: exit %d: %s", tiny[i], code, err);
        free(out);
        free(err);
        unsetenv("HWLOC_XMLFILE");
        cr_assert(ok);
    }
}
