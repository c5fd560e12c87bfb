/* cpu_x86.c: CPU identity with libcpuid and the ISA that can really run, on x86 (see cpu_x86.h).
 *
 * Identity (vendor, brand, family, model, libcpuid's codename) comes from libcpuid, from this
 * machine or from a raw dump. ISA features come from the raw CPUID leaves, not from libcpuid's flag
 * table: libcpuid 0.6.2 has no flag for AVX512_FP16, AVX512_BF16 or AVX-VNNI, and its raw struct
 * keeps only subleaf 0 of leaf 7, so subleaf 1 is read with CPUID here or from the dump's own text.
 * A feature is runnable only when the OS saves its registers: OSXSAVE set and XCR0 (XGETBV) holding
 * the state bits. A dump records no XCR0, so for dumps the state is assumed enabled, and isa_note
 * says so. */
#include "probes/cpu_x86.h"

#include <cpuid.h>
#include <ctype.h>
#include <errno.h>
#include <libcpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BIT(r, n) (((r) >> (n)) & 1u)

/* XCR0 state bits: SSE+AVX, AVX-512 (opmask, ZMM_Hi256, Hi16_ZMM), AMX (XTILECFG, XTILEDATA). */
enum { XCR0_SSE_AVX = 0x6, XCR0_AVX512 = 0xe0, XCR0_AMX = 0x60000 };

void rl_cpu_x86_decide_isa(rl_cpu *cpu)
{
    rl_isa_mask isa = 0;
    if (BIT(cpu->leaf1_edx, 26))
        isa |= RL_ISA_SSE2;
    if (BIT(cpu->leaf1_ecx, 28))
        isa |= RL_ISA_AVX;
    if (BIT(cpu->leaf1_ecx, 12))
        isa |= RL_ISA_FMA;
    if (BIT(cpu->leaf1_ecx, 29))
        isa |= RL_ISA_F16C;
    if (BIT(cpu->leaf7_ebx, 5))
        isa |= RL_ISA_AVX2;
    if (BIT(cpu->leaf7_ebx, 16))
        isa |= RL_ISA_AVX512F;
    if (BIT(cpu->leaf7_ebx, 17))
        isa |= RL_ISA_AVX512DQ;
    if (BIT(cpu->leaf7_ebx, 30))
        isa |= RL_ISA_AVX512BW;
    if (BIT(cpu->leaf7_ebx, 31))
        isa |= RL_ISA_AVX512VL;
    if (BIT(cpu->leaf7_ecx, 11))
        isa |= RL_ISA_AVX512_VNNI;
    if (BIT(cpu->leaf7_edx, 23))
        isa |= RL_ISA_AVX512_FP16;
    if (cpu->leaf7_1_known && BIT(cpu->leaf7_1_eax, 5))
        isa |= RL_ISA_AVX512_BF16;
    if (cpu->leaf7_1_known && BIT(cpu->leaf7_1_eax, 4))
        isa |= RL_ISA_AVX_VNNI;
    /* AMX (leaf 7 EDX 24 tiles, 25 int8, 22 bf16; subleaf 1 EAX 21 fp16): nothing without tiles */
    if (BIT(cpu->leaf7_edx, 24)) {
        isa |= RL_ISA_AMX_TILE;
        if (BIT(cpu->leaf7_edx, 25))
            isa |= RL_ISA_AMX_INT8;
        if (BIT(cpu->leaf7_edx, 22))
            isa |= RL_ISA_AMX_BF16;
        if (cpu->leaf7_1_known && BIT(cpu->leaf7_1_eax, 21))
            isa |= RL_ISA_AMX_FP16;
    }
    /* The AVX-512 extensions mean nothing without the foundation. */
    if (!(isa & RL_ISA_AVX512F))
        isa &= ~(rl_isa_mask)(RL_ISA_AVX512DQ | RL_ISA_AVX512BW | RL_ISA_AVX512VL |
                              RL_ISA_AVX512_VNNI | RL_ISA_AVX512_FP16 | RL_ISA_AVX512_BF16);
    cpu->cpuid_isa = isa;

    const rl_isa_mask avx_class =
        RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA | RL_ISA_F16C | RL_ISA_AVX_VNNI;
    const rl_isa_mask avx512_class = RL_ISA_AVX512F | RL_ISA_AVX512DQ | RL_ISA_AVX512BW |
                                     RL_ISA_AVX512VL | RL_ISA_AVX512_VNNI | RL_ISA_AVX512_FP16 |
                                     RL_ISA_AVX512_BF16;
    const rl_isa_mask amx_class =
        RL_ISA_AMX_TILE | RL_ISA_AMX_INT8 | RL_ISA_AMX_BF16 | RL_ISA_AMX_FP16;
    rl_isa_mask run = isa;
    const char *sub1 = cpu->leaf7_1_known ? ""
                                          : "; the dump has no CPUID leaf 7 subleaf 1, so "
                                            "AVX512_BF16 and AVX-VNNI are unknown (not counted)";
    if (!cpu->xcr0_known) {
        snprintf(cpu->isa_note, sizeof cpu->isa_note,
                 "CPUID from a dump: OS register state (XCR0) assumed enabled%s", sub1);
    } else if (!BIT(cpu->leaf1_ecx, 27)) {
        run &= ~(avx_class | avx512_class | amx_class);
        snprintf(cpu->isa_note, sizeof cpu->isa_note,
                 "OSXSAVE is off: the OS does not save AVX state, AVX and AVX-512 cannot run");
    } else {
        int avx_ok = (cpu->xcr0 & XCR0_SSE_AVX) == XCR0_SSE_AVX;
        int avx512_ok = avx_ok && (cpu->xcr0 & XCR0_AVX512) == XCR0_AVX512;
        /* AMX: XCR0's tile bits and Linux's per-process permission for the tile data */
        int amx_ok = (cpu->xcr0 & XCR0_AMX) == XCR0_AMX && cpu->amx_permitted;
        if (!avx_ok)
            run &= ~(avx_class | avx512_class);
        else if (!avx512_ok)
            run &= ~avx512_class;
        if (!amx_ok)
            run &= ~amx_class;
        snprintf(cpu->isa_note, sizeof cpu->isa_note, "CPUID and XCR0=0x%llx (AVX state %s%s%s)",
                 (unsigned long long)cpu->xcr0, avx_ok ? "on" : "off",
                 (isa & avx512_class) ? (avx512_ok ? ", AVX-512 state on" : ", AVX-512 state off")
                                      : "",
                 !(isa & amx_class) ? ""
                 : amx_ok           ? ", AMX state on and permitted"
                 : (cpu->xcr0 & XCR0_AMX) == XCR0_AMX
                     ? ", AMX state on but Linux refused the tile data permission"
                     : ", AMX state off");
    }
    cpu->runnable_isa = run;
}

/* Linux keeps the 8 KiB AMX tile data out of a process's state until it asks for it (5.16 and
 * later; ARCH_REQ_XCOMP_PERM = 0x1023, XFEATURE_XTILEDATA = 18); a tile instruction before that
 * is a SIGILL. The permission is per process, so asking once here covers every thread the run
 * starts later. Older kernels lack the call and never enabled the state in XCR0 either. */
static int request_amx_permission(void)
{
#if defined(__linux__) && defined(SYS_arch_prctl)
    return syscall(SYS_arch_prctl, 0x1023, 18) == 0;
#else
    return 0;
#endif
}

static uint64_t read_xcr0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

/* Leaf 7 subleaf 1 EAX from a dump's text: "CPUID 00000007: EAX-EBX-ECX-EDX [SL 01]" (cpuid-tool
 * format) within the first logical CPU. libcpuid's own format records no subleaves. */
static int dump_leaf7_1(const char *path, uint32_t *eax)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[512];
    int found = 0, cpus = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "Logical CPU") && ++cpus > 1)
            break;
        unsigned a, b, c, d;
        if (strncmp(line, "CPUID 00000007:", 15) == 0 && strstr(line, "[SL 01]") &&
            sscanf(line + 15, " %8x-%8x-%8x-%8x", &a, &b, &c, &d) == 4) {
            *eax = a;
            found = 1;
            break;
        }
    }
    fclose(f);
    return found;
}

/* Cores per hybrid core type in a dump that records every logical CPU ("Logical CPU #n" blocks
 * of cpuid-tool's format): each CPU's leaf 0x1A EAX[31:24] is its core type, its leaf 0xB
 * subleaf 0 EBX[15:0] the threads of its core, so a core of type T adds 1/threads to T. */
static void dump_core_types(const char *path, int *p_cores, int *e_cores)
{
    *p_cores = *e_cores = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    double p = 0, e = 0;
    unsigned type = 0, smt = 1;
    int cpus = 0;
    for (int more = 1; more;) {
        more = fgets(line, sizeof line, f) != NULL;
        if (!more || strstr(line, "Logical CPU")) {
            if (cpus > 0 && type == 0x40)
                p += 1.0 / smt;
            else if (cpus > 0 && type == 0x20)
                e += 1.0 / smt;
            cpus++;
            type = 0;
            smt = 1;
            continue;
        }
        unsigned a, b, c, d;
        if (strncmp(line, "CPUID 0000001A:", 15) == 0 &&
            sscanf(line + 15, " %8x-%8x-%8x-%8x", &a, &b, &c, &d) == 4)
            type = a >> 24;
        else if (strncmp(line, "CPUID 0000000B:", 15) == 0 && strstr(line, "[SL 00]") &&
                 sscanf(line + 15, " %8x-%8x-%8x-%8x", &a, &b, &c, &d) == 4 && (b & 0xFFFF) > 0)
            smt = b & 0xFFFF;
    }
    fclose(f);
    *p_cores = (int)(p + 0.5);
    *e_cores = (int)(e + 0.5);
}

/* n hex digits at p (n == 8: exactly 8, then a non-hex character). */
static int hex_run(const char *p, int n)
{
    for (int i = 0; i < n; i++)
        if (!isxdigit((unsigned char)p[i]))
            return 0;
    return !isxdigit((unsigned char)p[n]);
}

/* One line of a dump: 1 libcpuid format ("basic_cpuid[0]=0000000d 68747541 444d4163 69746e65",
 * or "version=..."), 2 cpuid-tool format ("CPUID 00000000: 0000000d-68747541-444d4163-69746e65
 * [...]"), 0 a header or blank line, -1 anything else. */
static int dump_line_kind(const char *l)
{
    while (*l == ' ' || *l == '\t')
        l++;
    if (!*l || *l == '\n' || *l == '\r' || strstr(l, "Logical CPU"))
        return 0;
    if (strncmp(l, "CPUID ", 6) == 0) {
        const char *p = l + 6;
        if (!hex_run(p, 8) || p[8] != ':' || p[9] != ' ')
            return -1;
        p += 10;
        for (int i = 0; i < 4; i++, p += 9)
            if (!hex_run(p, 8) || (i < 3 && p[8] != '-'))
                return -1;
        return 2;
    }
    size_t key = strspn(l, "abcdefghijklmnopqrstuvwxyz0123456789_");
    if (key == 0)
        return -1;
    const char *p = l + key;
    if (*p == '=')
        return 1; /* version=, build_date=: libcpuid's own header lines */
    if (*p != '[')
        return -1;
    size_t digits = strspn(p + 1, "0123456789");
    if (digits == 0 || digits > 3 || p[1 + digits] != ']' || p[2 + digits] != '=')
        return -1;
    p += digits + 3;
    for (int i = 0; i < 4; i++) {
        if (!hex_run(p, 8))
            return -1;
        p += 8;
        if (i < 3) {
            if (*p != ' ')
                return -1;
            p++;
        }
    }
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return *p == '\n' || !*p ? 1 : -1;
}

/* Before libcpuid sees the file (it prints a warning per line it does not understand, and its
 * reader crashes on some malformed lines, e.g. "basic_cpuid[0]=" then "intel_fn4[0]=0 1 0 0"):
 * every line must be a header, a blank line or a leaf in one of the two formats libcpuid reads,
 * one format per file, with leaf 0 present; no NUL bytes. */
static int check_dump_text(const char *path, rl_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: cannot open CPUID dump: %s", path,
                          strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0, format = 0, leaf0 = 0;
    long lineno = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (memchr(line, '\0', (size_t)n)) {
            rc = rl_err_set(err, RL_EXIT_INPUT,
                            "%s: line %ld: binary data, not a CPUID dump (text)", path, lineno);
            break;
        }
        if (n > 1024) {
            rc = rl_err_set(err, RL_EXIT_INPUT, "%s: line %ld: longer than 1024 bytes", path,
                            lineno);
            break;
        }
        int kind = dump_line_kind(line);
        if (kind < 0) {
            rc = rl_err_set(err, RL_EXIT_INPUT,
                            "%s: line %ld: not a CPUID dump line (expected 'basic_cpuid[N]=' with "
                            "four 8-digit hex words, or 'CPUID XXXXXXXX: A-B-C-D')",
                            path, lineno);
            break;
        }
        if (kind > 0 && format && kind != format) {
            rc = rl_err_set(err, RL_EXIT_INPUT,
                            "%s: line %ld: mixes libcpuid's and cpuid-tool's dump formats", path,
                            lineno);
            break;
        }
        if (kind > 0)
            format = kind;
        if (strncmp(line, "basic_cpuid[0]=", 15) == 0 || strncmp(line, "CPUID 00000000:", 15) == 0)
            leaf0 = 1;
    }
    free(line);
    fclose(f);
    if (rc == 0 && !leaf0)
        rc = rl_err_set(err, RL_EXIT_INPUT,
                        "%s: not a CPUID dump: no leaf 0 line ('basic_cpuid[0]=' or "
                        "'CPUID 00000000:')",
                        path);
    return rc;
}

/* libcpuid reports each line of a dump it does not understand on stderr; library code does not
 * print, and the checks below turn a dump that is not usable into one clear error. */
static void quiet_warning(const char *msg)
{
    (void)msg;
}

static int check_dump_file(const char *path, rl_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: cannot open CPUID dump: %s", path,
                          strerror(errno));
    if (!S_ISREG(st.st_mode))
        return rl_err_set(err, RL_EXIT_INPUT, "%s: not a regular file", path);
    if (st.st_size == 0)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: empty CPUID dump", path);
    return check_dump_text(path, err);
}

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
    /* trim the padding some brand strings carry */
    size_t n = strlen(dst);
    while (n > 0 && dst[n - 1] == ' ')
        dst[--n] = '\0';
    size_t lead = strspn(dst, " ");
    if (lead)
        memmove(dst, dst + lead, n - lead + 1);
}

int rl_cpu_x86_identify(const char *dump_path, rl_cpu *cpu, rl_err *err)
{
    memset(cpu, 0, sizeof *cpu);
    struct cpu_raw_data_array_t all;
    struct cpu_raw_data_t raw;
    memset(&all, 0, sizeof all);
    memset(&raw, 0, sizeof raw);
    if (dump_path) {
        if (check_dump_file(dump_path, err) != 0)
            return -1;
        /* The _all_ reader understands every dump format (old single-CPU, new per-CPU, cpuid-tool)
         * without printing warnings; the first logical CPU stands for the package. */
        libcpuid_warn_fn_t old_warn = cpuid_set_warn_function(quiet_warning);
        int rc = cpuid_deserialize_all_raw_data(&all, dump_path);
        cpuid_set_warn_function(old_warn);
        if (rc != 0 || all.num_raw == 0 || !all.raw) {
            rl_err_set(err, RL_EXIT_INPUT, "%s: libcpuid cannot read this CPUID dump", dump_path);
            cpuid_free_raw_data_array(&all);
            return -1;
        }
        raw = all.raw[0];
        cpuid_free_raw_data_array(&all);
        cpu->from_dump = 1;
    } else {
        if (!cpuid_present())
            return rl_err_set(err, RL_EXIT_RUNTIME, "this CPU has no CPUID instruction");
        if (cpuid_get_raw_data(&raw) != 0)
            return rl_err_set(err, RL_EXIT_RUNTIME, "libcpuid: cannot read CPUID: %s",
                              cpuid_error());
    }
    /* A file of the right shape but no CPUID in it: no leaves, or a vendor string of zeros. */
    if (raw.basic_cpuid[0][0] == 0 || raw.basic_cpuid[0][1] == 0)
        return rl_err_set(err, RL_EXIT_INPUT, "%s: no CPUID leaves in the dump (leaf 0 is empty)",
                          dump_path ? dump_path : "this machine");
    if (raw.basic_cpuid[1][0] == 0)
        return rl_err_set(err, RL_EXIT_INPUT,
                          "%s: CPUID leaf 1 (family/model signature) missing or zero",
                          dump_path ? dump_path : "this machine");

    struct cpu_id_t id;
    memset(&id, 0, sizeof id);
    if (cpu_identify(&raw, &id) != 0)
        return rl_err_set(err, dump_path ? RL_EXIT_INPUT : RL_EXIT_RUNTIME,
                          "%s: libcpuid cannot identify the CPU: %s",
                          dump_path ? dump_path : "this machine", cpuid_error());
    copy_str(cpu->vendor, sizeof cpu->vendor, id.vendor_str);
    copy_str(cpu->brand, sizeof cpu->brand, id.brand_str);
    copy_str(cpu->codename, sizeof cpu->codename, id.cpu_codename);
    cpu->family = id.ext_family;
    cpu->model = id.ext_model;
    cpu->stepping = id.stepping;

    uint32_t max_leaf = raw.basic_cpuid[0][0];
    cpu->leaf1_ecx = raw.basic_cpuid[1][2];
    cpu->leaf1_edx = raw.basic_cpuid[1][3];
    if (max_leaf >= 7) {
        cpu->leaf7_ebx = raw.basic_cpuid[7][1];
        cpu->leaf7_ecx = raw.basic_cpuid[7][2];
        cpu->leaf7_edx = raw.basic_cpuid[7][3];
        cpu->hybrid = (int)BIT(cpu->leaf7_edx, 15);
    }
    if (dump_path) {
        /* Subleaf 1 exists only when subleaf 0 EAX (the highest subleaf) is at least 1. */
        if (max_leaf < 7 || raw.basic_cpuid[7][0] < 1) {
            cpu->leaf7_1_known = 1; /* known to be absent */
        } else {
            cpu->leaf7_1_known = dump_leaf7_1(dump_path, &cpu->leaf7_1_eax);
        }
        if (cpu->hybrid)
            dump_core_types(dump_path, &cpu->dump_p_cores, &cpu->dump_e_cores);
        cpu->xcr0_known = 0;
    } else {
        if (max_leaf >= 7) {
            unsigned a, b, c, d;
            __cpuid_count(7, 0, a, b, c, d);
            if (a >= 1) {
                __cpuid_count(7, 1, a, b, c, d);
                cpu->leaf7_1_eax = a;
            }
            (void)b;
            (void)c;
            (void)d;
        }
        cpu->leaf7_1_known = 1;
        cpu->xcr0_known = 1;
        cpu->xcr0 = BIT(cpu->leaf1_ecx, 27) ? read_xcr0() : 0;
        cpu->amx_permitted = BIT(cpu->leaf7_edx, 24) && (cpu->xcr0 & XCR0_AMX) == XCR0_AMX &&
                             request_amx_permission();
    }
    rl_cpu_x86_decide_isa(cpu);
    return 0;
}
