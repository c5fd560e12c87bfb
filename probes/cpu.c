/* cpu.c: CPU identity on any architecture (see cpu.h). x86-64 has a probe of its own
 * (probes/cpu_x86.c: CPUID, XCR0, libcpuid), and so has AArch64 (probes/cpu_arm.c: MIDR, HWCAP,
 * prctl); every other target gets the identity Linux reports in /proc/cpuinfo and no ISA
 * features, which is honest: no kernels are built for it, so none runs. */
#include "probes/cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/cpu_arm.h"
#if defined(__x86_64__)
#include "probes/cpu_x86.h"
#endif

/* "key\t: value\n": the trimmed value when the line's key is exactly `key`, else NULL. */
static char *cpuinfo_value(char *line, const char *key)
{
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0)
        return NULL;
    char *v = line + n;
    v += strspn(v, " \t");
    if (*v != ':') /* "model name" is not "model" */
        return NULL;
    v++;
    v += strspn(v, " \t");
    size_t len = strcspn(v, "\r\n");
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    v[len] = '\0';
    return v;
}

static int cpuinfo_int(const char *v)
{
    long x = strtol(v, NULL, 0); /* decimal on x86, 0x-prefixed hex on AArch64 */
    return x >= 0 && x <= 0xffff ? (int)x : 0;
}

void rl_cpu_identify_cpuinfo(const char *path, rl_cpu *cpu)
{
    memset(cpu, 0, sizeof *cpu);
    snprintf(cpu->vendor, sizeof cpu->vendor, "unknown");
    snprintf(cpu->brand, sizeof cpu->brand, "unknown");
    snprintf(cpu->codename, sizeof cpu->codename, "unknown");
    snprintf(cpu->isa_note, sizeof cpu->isa_note,
             "identity from /proc/cpuinfo; ISA features are not detected on this architecture "
             "(no kernels are built for it)");
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    int seen = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '\n' && seen)
            break; /* the first processor's block describes the package */
        char *v;
        if ((v = cpuinfo_value(line, "vendor_id"))) {
            snprintf(cpu->vendor, sizeof cpu->vendor, "%s", v);
        } else if ((v = cpuinfo_value(line, "CPU implementer"))) {
            const char *name = rl_cpu_arm_implementer_name((unsigned)strtoul(v, NULL, 0));
            snprintf(cpu->vendor, sizeof cpu->vendor, "%s", name ? name : v);
        } else if ((v = cpuinfo_value(line, "model name"))) {
            snprintf(cpu->brand, sizeof cpu->brand, "%s", v);
        } else if ((v = cpuinfo_value(line, "cpu family"))) {
            cpu->family = cpuinfo_int(v);
        } else if ((v = cpuinfo_value(line, "model")) || (v = cpuinfo_value(line, "CPU part"))) {
            cpu->model = cpuinfo_int(v);
        } else if ((v = cpuinfo_value(line, "stepping")) ||
                   (v = cpuinfo_value(line, "CPU revision"))) {
            cpu->stepping = cpuinfo_int(v);
        } else {
            continue;
        }
        seen = 1;
    }
    fclose(f);
}

int rl_cpu_identify(const char *dump_path, rl_cpu *cpu, rl_err *err)
{
#if defined(__x86_64__)
    return rl_cpu_x86_identify(dump_path, cpu, err);
#elif defined(__aarch64__)
    if (dump_path) {
        memset(cpu, 0, sizeof *cpu);
        return rl_err_set(err, RL_EXIT_INPUT,
                          "%s: CPUID dumps describe x86 CPUs, and only an x86-64 build reads them",
                          dump_path);
    }
    return rl_cpu_arm_identify(NULL, cpu, err);
#else
    if (dump_path) {
        memset(cpu, 0, sizeof *cpu);
        return rl_err_set(err, RL_EXIT_INPUT,
                          "%s: CPUID dumps describe x86 CPUs, and only an x86-64 build reads them",
                          dump_path);
    }
    rl_cpu_identify_cpuinfo("/proc/cpuinfo", cpu);
    return 0;
#endif
}

void rl_cpu_describe(const rl_cpu *cpu, rl_machine *m)
{
    snprintf(m->vendor, sizeof m->vendor, "%s", cpu->vendor);
    snprintf(m->brand, sizeof m->brand, "%s", cpu->brand);
    snprintf(m->codename, sizeof m->codename, "%s", cpu->codename);
    m->family = cpu->family;
    m->model = cpu->model;
    m->stepping = cpu->stepping;
    rl_isa_format(cpu->runnable_isa, m->isa, sizeof m->isa);
}
