/* cpu_arm.c: AArch64 identity and features from the kernel (see cpu_arm.h). */
#include "probes/cpu_arm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__aarch64__)
#include <sys/auxv.h>
#include <sys/prctl.h>
#endif

/* prctl requests (linux/prctl.h), defined here for older headers: PR_SVE_GET_VL and PR_SME_GET_VL
 * return the vector length in bytes in their low 16 bits. */
#define RL_PR_SVE_GET_VL  51
#define RL_PR_SME_GET_VL  64
#define RL_PR_VL_LEN_MASK 0xffff

/* AArch64 "CPU implementer" codes (MIDR_EL1 bits 31:24, Arm's list in the Arm ARM, "MIDR_EL1"). */
static const struct {
    unsigned code;
    const char *name;
} implementers[] = {
    {0x41, "ARM"},       {0x42, "Broadcom"},  {0x43, "Cavium"}, {0x46, "Fujitsu"},
    {0x48, "HiSilicon"}, {0x4e, "NVIDIA"},    {0x50, "APM"},    {0x51, "Qualcomm"},
    {0x61, "Apple"},     {0x6d, "Microsoft"}, {0xc0, "Ampere"},
};

const char *rl_cpu_arm_implementer_name(unsigned code)
{
    for (size_t i = 0; i < sizeof implementers / sizeof implementers[0]; i++)
        if (implementers[i].code == code)
            return implementers[i].name;
    return NULL;
}

/* The features this module knows, by the kernel's /proc/cpuinfo name, its HWCAP word and bit, and
 * the ISA bit it stands for. */
static const struct {
    const char *name;
    int word; /* 1: AT_HWCAP, 2: AT_HWCAP2 */
    uint64_t bit;
    rl_isa_mask isa;
} features[] = {
    {"asimd", 1, RL_HWCAP_ASIMD, RL_ISA_NEON},
    {"asimdhp", 1, RL_HWCAP_ASIMDHP, RL_ISA_ASIMDHP},
    {"asimddp", 1, RL_HWCAP_ASIMDDP, RL_ISA_ASIMDDP},
    {"cpuid", 1, RL_HWCAP_CPUID, 0},
    {"sve", 1, RL_HWCAP_SVE, RL_ISA_SVE},
    {"sve2", 2, RL_HWCAP2_SVE2, RL_ISA_SVE2},
    {"svei8mm", 2, RL_HWCAP2_SVEI8MM, RL_ISA_SVE_I8MM},
    {"svebf16", 2, RL_HWCAP2_SVEBF16, RL_ISA_SVE_BF16},
    {"i8mm", 2, RL_HWCAP2_I8MM, RL_ISA_I8MM},
    {"bf16", 2, RL_HWCAP2_BF16, RL_ISA_BF16},
    {"sme", 2, RL_HWCAP2_SME, RL_ISA_SME},
    {"sme2", 2, RL_HWCAP2_SME2, RL_ISA_SME2},
};

rl_isa_mask rl_cpu_arm_isa_from_hwcap(uint64_t hwcap, uint64_t hwcap2)
{
    rl_isa_mask isa = 0;
    for (size_t i = 0; i < sizeof features / sizeof features[0]; i++)
        if ((features[i].word == 1 ? hwcap : hwcap2) & features[i].bit)
            isa |= features[i].isa;
    /* Extensions mean nothing without their base: SVE2 and SVE's bf16/i8mm without SVE, SME2
     * without SME (a kernel never reports them alone; a hand-edited file might). */
    if (!(isa & RL_ISA_SVE))
        isa &= ~(rl_isa_mask)(RL_ISA_SVE2 | RL_ISA_SVE_BF16 | RL_ISA_SVE_I8MM);
    if (!(isa & RL_ISA_SME))
        isa &= ~(rl_isa_mask)RL_ISA_SME2;
    return isa;
}

void rl_cpu_arm_hwcap_from_features(const char *line, uint64_t *hwcap, uint64_t *hwcap2)
{
    *hwcap = *hwcap2 = 0;
    const char *p = line;
    while (*p) {
        p += strspn(p, " \t");
        size_t n = strcspn(p, " \t");
        for (size_t i = 0; n > 0 && i < sizeof features / sizeof features[0]; i++)
            if (strlen(features[i].name) == n && strncmp(features[i].name, p, n) == 0)
                *(features[i].word == 1 ? hwcap : hwcap2) |= features[i].bit;
        p += n;
    }
}

/* ---------------------------------------------------------------- /proc/cpuinfo */

/* The reader's state: the file, the line being read, and what it has found. */
typedef struct cpuinfo_reader {
    const char *path;
    long line;
    rl_cpu *cpu;
    rl_err *err;
    rl_arm_core cur; /* the record being read */
    int cur_fields;  /* MIDR fields seen in it: bit per field */
    char features[1024];
    int records; /* records with MIDR fields */
} cpuinfo_reader;

enum { F_IMPL = 1, F_PART = 2, F_VAR = 4, F_REV = 8, F_ALL = 15 };

/* "key<spaces/tabs>: value": the trimmed value when the line's key is exactly `key`, else NULL. */
static char *field_value(char *line, const char *key)
{
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0)
        return NULL;
    char *v = line + n;
    v += strspn(v, " \t");
    if (*v != ':')
        return NULL;
    v++;
    v += strspn(v, " \t");
    size_t len = strcspn(v, "\r\n");
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    v[len] = '\0';
    return v;
}

/* A MIDR field: a number (the kernel prints 0x-prefixed hex, and the revision in decimal) up to
 * `max`. */
static int midr_field(cpuinfo_reader *r, const char *key, const char *v, unsigned max,
                      unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 0);
    if (end == v || *end != '\0' || errno != 0 || x > max || v[0] == '-')
        return rl_err_set(r->err, RL_EXIT_INPUT,
                          "%s: line %ld: '%s' is '%s', not a number from 0 to 0x%x", r->path,
                          r->line, key, v, max);
    *out = (unsigned)x;
    return 0;
}

/* The record just read (a blank line or the end of the file ended it) joins its kind of core. */
static int end_record(cpuinfo_reader *r)
{
    if (r->cur_fields == 0)
        return 0;
    if (r->cur_fields != F_ALL)
        return rl_err_set(r->err, RL_EXIT_INPUT,
                          "%s: line %ld: a processor record without all four MIDR fields (CPU "
                          "implementer, variant, part, revision)",
                          r->path, r->line);
    rl_cpu *cpu = r->cpu;
    r->records++;
    for (int i = 0; i < cpu->n_arm_cores; i++) {
        rl_arm_core *k = &cpu->arm_cores[i];
        if (k->implementer == r->cur.implementer && k->part == r->cur.part &&
            k->variant == r->cur.variant && k->revision == r->cur.revision) {
            k->count++;
            goto done;
        }
    }
    if (cpu->n_arm_cores < RL_ARM_CORE_KINDS) {
        cpu->arm_cores[cpu->n_arm_cores] = r->cur;
        cpu->arm_cores[cpu->n_arm_cores].count = 1;
        cpu->n_arm_cores++;
    }
done:
    memset(&r->cur, 0, sizeof r->cur);
    r->cur_fields = 0;
    return 0;
}

static int read_line(cpuinfo_reader *r, char *line, size_t len)
{
    if (memchr(line, '\0', len))
        return rl_err_set(r->err, RL_EXIT_INPUT, "%s: line %ld: binary data, not a /proc/cpuinfo",
                          r->path, r->line);
    if (len > 4096)
        return rl_err_set(r->err, RL_EXIT_INPUT, "%s: line %ld: longer than 4096 bytes", r->path,
                          r->line);
    if (strspn(line, " \t\r\n") == len)
        return end_record(r);
    char *v;
    unsigned x;
    if ((v = field_value(line, "CPU implementer"))) {
        if (midr_field(r, "CPU implementer", v, 0xff, &x) != 0)
            return -1;
        r->cur.implementer = x;
        r->cur_fields |= F_IMPL;
    } else if ((v = field_value(line, "CPU part"))) {
        if (midr_field(r, "CPU part", v, 0xfff, &x) != 0)
            return -1;
        r->cur.part = x;
        r->cur_fields |= F_PART;
    } else if ((v = field_value(line, "CPU variant"))) {
        if (midr_field(r, "CPU variant", v, 0xf, &x) != 0)
            return -1;
        r->cur.variant = x;
        r->cur_fields |= F_VAR;
    } else if ((v = field_value(line, "CPU revision"))) {
        if (midr_field(r, "CPU revision", v, 0xf, &x) != 0)
            return -1;
        r->cur.revision = x;
        r->cur_fields |= F_REV;
    } else if ((v = field_value(line, "Features"))) {
        /* The kernel prints the features every core has, the same line in every record. */
        if (!r->features[0])
            snprintf(r->features, sizeof r->features, "%s", v);
    }
    return 0;
}

/* Reads `path` into cpu->arm_cores and the Features line; 0 records is not an error here (the
 * caller decides: a --cpuinfo file must have some, this machine's may be the emulator host's). */
static int read_cpuinfo(const char *path, rl_cpu *cpu, char *feat, size_t fsize, rl_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
    cpuinfo_reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.cpu = cpu;
    r.err = err;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        r.line++;
        rc = read_line(&r, line, (size_t)n);
    }
    if (rc == 0 && ferror(f))
        rc = rl_err_set(err, RL_EXIT_INPUT, "%s: read error", path);
    if (rc == 0)
        rc = end_record(&r);
    free(line);
    fclose(f);
    snprintf(feat, fsize, "%s", r.features);
    return rc;
}

/* vendor, brand, family/model/stepping from the first kind of core. */
static void describe_first_core(rl_cpu *cpu)
{
    const rl_arm_core *k = &cpu->arm_cores[0];
    const char *name = rl_cpu_arm_implementer_name(k->implementer);
    if (name)
        snprintf(cpu->vendor, sizeof cpu->vendor, "%s", name);
    else
        snprintf(cpu->vendor, sizeof cpu->vendor, "0x%02x", k->implementer);
    snprintf(cpu->brand, sizeof cpu->brand, "%s part 0x%03x r%up%u", cpu->vendor, k->part,
             k->variant, k->revision);
    cpu->family = (int)k->implementer;
    cpu->model = (int)k->part;
    cpu->stepping = (int)k->revision;
    cpu->arm_mixed = cpu->n_arm_cores > 1;
}

static void init_cpu(rl_cpu *cpu)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->arm = 1;
    snprintf(cpu->vendor, sizeof cpu->vendor, "unknown");
    snprintf(cpu->brand, sizeof cpu->brand, "unknown");
    snprintf(cpu->codename, sizeof cpu->codename, "none");
}

static int identify_file(const char *path, rl_cpu *cpu, rl_err *err)
{
    init_cpu(cpu);
    char feat[1024];
    if (read_cpuinfo(path, cpu, feat, sizeof feat, err) != 0)
        return -1;
    if (cpu->n_arm_cores == 0)
        return rl_err_set(err, RL_EXIT_INPUT,
                          "%s: no AArch64 processor records ('CPU implementer' lines): --cpuinfo "
                          "reads an AArch64 /proc/cpuinfo (for x86 use --cpuid-dump)",
                          path);
    if (!feat[0])
        return rl_err_set(err, RL_EXIT_INPUT, "%s: no 'Features' line: the ISA is unknown", path);
    describe_first_core(cpu);
    rl_cpu_arm_hwcap_from_features(feat, &cpu->hwcap, &cpu->hwcap2);
    cpu->cpuid_isa = cpu->runnable_isa = rl_cpu_arm_isa_from_hwcap(cpu->hwcap, cpu->hwcap2);
    cpu->from_dump = 1;
    snprintf(cpu->isa_note, sizeof cpu->isa_note,
             "features from the file's Features line; vector lengths from the table (a file does "
             "not record them)");
    return 0;
}

#if defined(__aarch64__)
/* MIDR_EL1 read from user space: Linux traps the read and returns the current core's value
 * (HWCAP_CPUID), and qemu-user answers it too. The fallback when /proc/cpuinfo has no AArch64
 * records. */
static unsigned long read_midr(void)
{
    unsigned long v;
    __asm__ volatile("mrs %0, midr_el1" : "=r"(v));
    return v;
}

static int identify_this_machine(rl_cpu *cpu, rl_err *err)
{
    init_cpu(cpu);
    char feat[1024];
    rl_err ferr = {0};
    if (read_cpuinfo("/proc/cpuinfo", cpu, feat, sizeof feat, &ferr) != 0)
        cpu->n_arm_cores = 0;
    cpu->hwcap = getauxval(AT_HWCAP);
    cpu->hwcap2 = getauxval(AT_HWCAP2);
    if (cpu->n_arm_cores == 0) {
        /* qemu-user shows the host's /proc/cpuinfo (an x86 one here): the process is emulated. */
        snprintf(cpu->emulated, sizeof cpu->emulated,
                 "user-mode emulation: /proc/cpuinfo describes the host, not an AArch64 CPU");
        if (cpu->hwcap & RL_HWCAP_CPUID) {
            unsigned long midr = read_midr();
            cpu->arm_cores[0].implementer = (unsigned)(midr >> 24) & 0xff;
            cpu->arm_cores[0].variant = (unsigned)(midr >> 20) & 0xf;
            cpu->arm_cores[0].part = (unsigned)(midr >> 4) & 0xfff;
            cpu->arm_cores[0].revision = (unsigned)midr & 0xf;
            cpu->arm_cores[0].count = 1;
            cpu->n_arm_cores = 1;
        }
    }
    if (cpu->n_arm_cores > 0)
        describe_first_core(cpu);
    cpu->cpuid_isa = cpu->runnable_isa = rl_cpu_arm_isa_from_hwcap(cpu->hwcap, cpu->hwcap2);
    if (cpu->runnable_isa & RL_ISA_SVE) {
        int vl = prctl(RL_PR_SVE_GET_VL, 0, 0, 0, 0);
        cpu->sve_bits = vl > 0 ? (vl & RL_PR_VL_LEN_MASK) * 8 : 0;
    }
    if (cpu->runnable_isa & RL_ISA_SME) {
        int vl = prctl(RL_PR_SME_GET_VL, 0, 0, 0, 0);
        cpu->sme_bits = vl > 0 ? (vl & RL_PR_VL_LEN_MASK) * 8 : 0;
    }
    snprintf(cpu->isa_note, sizeof cpu->isa_note,
             "HWCAP 0x%llx, HWCAP2 0x%llx (getauxval); SVE %d bits, SME %d bits (prctl)",
             (unsigned long long)cpu->hwcap, (unsigned long long)cpu->hwcap2, cpu->sve_bits,
             cpu->sme_bits);
    (void)err;
    return 0;
}
#endif

int rl_cpu_arm_identify(const char *path, rl_cpu *cpu, rl_err *err)
{
    if (path)
        return identify_file(path, cpu, err);
#if defined(__aarch64__)
    return identify_this_machine(cpu, err);
#else
    init_cpu(cpu);
    return rl_err_set(err, RL_EXIT_RUNTIME,
                      "this machine is not AArch64: give a saved "
                      "/proc/cpuinfo with --cpuinfo");
#endif
}
