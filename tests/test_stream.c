/* test_stream.c: the memory kernels. Every kernel this CPU can run gives exact results against the
 * scalar reference at small sizes with both store kinds; every built kernel's loop (disassembled
 * from $RL_BUILD/kernels/x86/stream_<isa>.o) does the loads, stores and arithmetic its descriptor
 * declares, as one loop with no call (no memcpy/memset) in it; descriptors count bytes the STREAM
 * way. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/stream.h"

static rl_isa_mask this_cpu(void)
{
    rl_isa_mask m = RL_ISA_SSE2;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx"))
        m |= RL_ISA_AVX;
    if (__builtin_cpu_supports("avx2"))
        m |= RL_ISA_AVX2;
    if (__builtin_cpu_supports("fma"))
        m |= RL_ISA_FMA;
    if (__builtin_cpu_supports("avx512f"))
        m |= RL_ISA_AVX512F;
    return m;
}

static double *alloc_array(size_t n)
{
    double *p = aligned_alloc(RL_STREAM_ALIGN, n * sizeof(double));
    cr_assert_not_null(p);
    return p;
}

static rl_stream_args make_args(size_t n)
{
    rl_stream_args x = {
        alloc_array(n), alloc_array(n), alloc_array(n), alloc_array(n), n, RL_STREAM_SCALAR, 1};
    return x;
}

static void free_args(rl_stream_args *x)
{
    free(x->a);
    free(x->b);
    free(x->c);
    free(x->d);
}

Test(stream, every_runnable_kernel_matches_the_scalar_reference)
{
    rl_isa_mask cpu = this_cpu();
    static const size_t sizes[] = {RL_STREAM_BLOCK, 3 * RL_STREAM_BLOCK, 4096};
    int ran = 0;
    for (size_t i = 0; i < rl_stream_count(); i++) {
        const rl_stream_kernel *k = rl_stream_at(i);
        if ((k->requires & cpu) != k->requires)
            continue;
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            rl_stream_args x = make_args(sizes[s]);
            rl_stream_init(k->kind, &x);
            for (size_t reps = 0; reps < 4; reps++) { /* 0 counts as 1 */
                x.reps = reps;
                double r = k->run(&x),
                       want = rl_stream_expected_sum(x.n) * (double)(reps ? reps : 1);
                if (k->kind == RL_STREAM_LOAD)
                    cr_assert_eq(r, want, "%s n=%zu reps=%zu: sum %g, want %g", k->name, x.n, reps,
                                 r, want);
            }
            rl_err err = {0};
            cr_assert_eq(rl_stream_verify(k, &x, &err), 0, "%s n=%zu: %s", k->name, x.n, err.msg);
            free_args(&x);
        }
        ran++;
    }
    cr_assert_geq(ran, 13, "at least the sse2 kernels ran (ran %d)", ran);
}

Test(stream, verify_rejects_a_kernel_that_did_not_write_or_wrote_wrong)
{
    for (int kind = RL_STREAM_STORE; kind < RL_STREAM_KINDS_; kind++) {
        const rl_stream_kernel *k = rl_stream_pick((rl_stream_kind)kind, 0, RL_ISA_SSE2, "sse2");
        cr_assert_not_null(k);
        rl_stream_args x = make_args(RL_STREAM_BLOCK);
        rl_err err = {0};
        rl_stream_init(k->kind, &x);
        cr_assert_eq(rl_stream_verify(k, &x, &err), -1, "%s: outputs are poisoned", k->name);
        cr_assert(strstr(err.msg, "failed its check"), "%s", err.msg);
        k->run(&x);
        cr_assert_eq(rl_stream_verify(k, &x, &err), 0, "%s", err.msg);
        double *out = k->kind == RL_STREAM_SCALE                                ? x.b
                      : (k->kind == RL_STREAM_COPY || k->kind == RL_STREAM_ADD) ? x.c
                                                                                : x.a;
        out[17] += 1.0;
        cr_assert_eq(rl_stream_verify(k, &x, &err), -1);
        cr_assert(strstr(err.msg, "[17]"), "names the element: %s", err.msg);
        free_args(&x);
    }
}

Test(stream, descriptors_count_bytes_the_stream_way)
{
    static const int counted[RL_STREAM_KINDS_] = {1, 1, 2, 2, 3, 3, 4};
    for (size_t i = 0; i < rl_stream_count(); i++) {
        const rl_stream_kernel *k = rl_stream_at(i);
        cr_assert_eq(k->words_loaded + k->words_stored, counted[k->kind], "%s", k->name);
        cr_assert_eq(k->arrays, rl_stream_kind_arrays(k->kind), "%s", k->name);
        cr_assert_eq(k->words_stored, k->kind == RL_STREAM_LOAD ? 0 : 1, "%s", k->name);
        cr_assert_eq(k->traffic_words, counted[k->kind] + (k->nt_stores ? 0 : k->words_stored),
                     "%s: write-allocate read only for regular stores", k->name);
        cr_assert_eq(RL_STREAM_BLOCK % (k->vector_doubles * k->unroll), 0, "%s", k->name);
        char want[40];
        snprintf(want, sizeof want, "%s%s_%s", rl_stream_kind_name(k->kind),
                 k->nt_stores ? "_nt" : "", k->isa);
        cr_assert_str_eq(k->name, want);
    }
    cr_assert_eq(rl_stream_kind_from_name("triad"), RL_STREAM_TRIAD);
    cr_assert_eq(rl_stream_kind_from_name("memcpy"), -1);
}

Test(stream, pick_takes_the_widest_runnable_isa)
{
    rl_isa_mask avx2 = RL_ISA_SSE2 | RL_ISA_AVX | RL_ISA_AVX2 | RL_ISA_FMA;
    const rl_stream_kernel *k = rl_stream_pick(RL_STREAM_TRIAD, 1, avx2, NULL);
    cr_assert_str_eq(k->name, "triad_nt_avx2");
    k = rl_stream_pick(RL_STREAM_COPY, 0, avx2 | RL_ISA_AVX512F, NULL);
    cr_assert_str_eq(k->name, "copy_avx512");
    k = rl_stream_pick(RL_STREAM_COPY, 0, RL_ISA_SSE2 | RL_ISA_AVX, NULL);
    cr_assert_str_eq(k->name, "copy_sse2", "AVX without AVX2/FMA falls back to SSE2");
    k = rl_stream_pick(RL_STREAM_LOAD, 1, avx2, "sse2");
    cr_assert_str_eq(k->name, "load_sse2", "load has no stores: nt does not matter");
    cr_assert_null(rl_stream_pick(RL_STREAM_COPY, 0, avx2, "avx512"));
}

/* ---- the loop as built ---- */

typedef struct insn {
    unsigned long addr;
    char mnem[32];
    char ops[160];
} insn;

typedef struct func {
    insn *v;
    size_t n, cap;
    int bad_reloc; /* a call to memcpy/memset/memmove anywhere in the function */
} func;

/* Reads `name`'s instructions from objdump's AT&T listing of `obj`. */
static int disassemble(const char *obj, const char *name, func *f)
{
    char cmd[1024], line[512], header[128];
    snprintf(cmd, sizeof cmd, "objdump -dr --no-show-raw-insn '%s' 2>/dev/null", obj);
    snprintf(header, sizeof header, "<%s>:", name);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    int in = 0;
    memset(f, 0, sizeof *f);
    while (fgets(line, sizeof line, p)) {
        if (!in) {
            in = strstr(line, header) != NULL;
            continue;
        }
        if (line[0] == '\n' || line[0] == '\0')
            break;
        if (strstr(line, "R_X86_64")) {
            if (strstr(line, "memcpy") || strstr(line, "memset") || strstr(line, "memmove"))
                f->bad_reloc = 1;
            continue;
        }
        insn in1 = {0};
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        in1.addr = strtoul(line, NULL, 16);
        char *s = colon + 1;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t m = strcspn(s, " \t\n");
        if (m == 0 || m >= sizeof in1.mnem)
            continue;
        memcpy(in1.mnem, s, m);
        s += m;
        while (*s == ' ' || *s == '\t')
            s++;
        snprintf(in1.ops, sizeof in1.ops, "%.*s", (int)strcspn(s, "\n#"), s);
        if (f->n == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 64;
            f->v = realloc(f->v, f->cap * sizeof *f->v);
            cr_assert_not_null(f->v);
        }
        f->v[f->n++] = in1;
    }
    pclose(p);
    return in ? 0 : -1;
}

/* Splits AT&T operands at top-level commas; returns how many, and whether the last is memory. */
static int operands(const char *ops, int *mem_src, int *mem_dst)
{
    int depth = 0, n = 0, mem = 0;
    *mem_src = *mem_dst = 0;
    if (!*ops)
        return 0;
    for (const char *c = ops;; c++) {
        if (*c == '(')
            depth++, mem = 1;
        else if (*c == ')')
            depth--;
        if ((*c == ',' && depth == 0) || *c == '\0') {
            n++;
            int last = *c == '\0';
            if (mem && last)
                *mem_dst = 1;
            else if (mem)
                *mem_src = 1;
            mem = 0;
            if (last)
                break;
        }
    }
    return n;
}

static const char *obj_for(const rl_stream_kernel *k, char *buf, size_t size)
{
    const char *build = getenv("RL_BUILD");
    snprintf(buf, size, "%s/kernels/x86/stream_%s.o", build ? build : "build/rel", k->isa);
    return buf;
}

/* Returns NULL when the built loop matches the descriptor, else why not (static buffer). */
#define MISMATCH(...)                                                                              \
    do {                                                                                           \
        snprintf(why, sizeof why, __VA_ARGS__);                                                    \
        free(f.v);                                                                                 \
        return why;                                                                                \
    } while (0)
static const char *check_loop(const rl_stream_kernel *k, const char *as)
{
    static char why[1024];
    char obj[512];
    func f = {0};
    obj_for(k, obj, sizeof obj);
    if (disassemble(obj, as, &f) < 0)
        MISMATCH("%s: no function in %s", as, obj);
    if (f.bad_reloc)
        MISMATCH("%s calls memcpy/memset/memmove", as);

    /* The loops are the backward conditional branches. The kernel's loop is the innermost one with
     * vector memory operands; besides it there may be the `reps` loop around it and loops without
     * vector work (gcc's path for empty arrays), nothing else: no loop inside it (unroll-and-jam),
     * no second vector loop (a remainder or a versioned copy), one enclosing loop at most. */
    const char *reg = k->vector_doubles == 8 ? "%zmm" : k->vector_doubles == 4 ? "%ymm" : "%xmm";
    struct {
        size_t head, tail;
        int vec;
    } loops[16];
    int nl = 0, sfence = 0, inner = -1;
    for (size_t i = 0; i < f.n; i++) {
        if (strcmp(f.v[i].mnem, "sfence") == 0)
            sfence = 1;
        if (f.v[i].mnem[0] != 'j' || strcmp(f.v[i].mnem, "jmp") == 0)
            continue;
        unsigned long target = strtoul(f.v[i].ops, NULL, 16);
        if (target > f.v[i].addr)
            continue;
        if (nl == 16)
            MISMATCH("%s: more than 16 loops", as);
        size_t head = 0;
        while (head < i && f.v[head].addr < target)
            head++;
        loops[nl].head = head, loops[nl].tail = i, loops[nl].vec = 0;
        for (size_t j = head; j <= i; j++)
            if (strchr(f.v[j].ops, '(') && strstr(f.v[j].ops, reg) &&
                strncmp(f.v[j].mnem, "lea", 3) != 0)
                loops[nl].vec = 1;
        if (loops[nl].vec && (inner < 0 || i - head < loops[inner].tail - loops[inner].head))
            inner = nl;
        nl++;
    }
    if (inner < 0)
        MISMATCH("%s: no vector loop", as);
    size_t head = loops[inner].head, tail = loops[inner].tail;
    int enclosing = 0;
    for (int l = 0; l < nl; l++) {
        if (l == inner)
            continue;
        if (loops[l].head >= head && loops[l].tail <= tail)
            MISMATCH("%s: a loop inside the kernel's loop (unroll-and-jam?)", as);
        if (loops[l].head <= head && loops[l].tail >= tail)
            enclosing++;
        else if (loops[l].vec)
            MISMATCH("%s: a second vector loop", as);
    }
    if (enclosing > 1)
        MISMATCH("%s: %d loops around the kernel's loop", as, enclosing);
    if (sfence != k->nt_stores)
        MISMATCH("%s: sfence after non-temporal stores only", as);

    int loads = 0, stores = 0, nt = 0, fma = 0, add = 0, mul = 0;
    for (size_t i = head; i <= tail; i++) {
        const insn *in = &f.v[i];
        if (strstr(in->mnem, "call"))
            MISMATCH("%s: call in the loop", as);
        if (strstr(in->mnem, "rep"))
            MISMATCH("%s: string op in the loop", as);
        if (strstr(in->mnem, "nop") || strncmp(in->mnem, "lea", 3) == 0 ||
            strcmp(in->mnem, "cs") == 0 || strcmp(in->mnem, "data16") == 0)
            continue;
        int src, dst;
        operands(in->ops, &src, &dst);
        int vec = strstr(in->ops, reg) != NULL;
        if (src || dst)
            if (!vec)
                MISMATCH("%s: memory access '%s %s' is not a %s register op", as, in->mnem, in->ops,
                         reg);
        loads += src;
        stores += dst;
        nt += dst && strstr(in->mnem, "movnt") != NULL;
        fma += strncmp(in->mnem, "vfmadd", 6) == 0;
        add += strcmp(in->mnem, "vaddpd") == 0 || strcmp(in->mnem, "addpd") == 0;
        mul += strcmp(in->mnem, "vmulpd") == 0 || strcmp(in->mnem, "mulpd") == 0;
    }
    int u = k->unroll;
    if (loads != (u * k->words_loaded))
        MISMATCH("%s: %d loads per loop, declared %d", as, loads, u * k->words_loaded);
    if (stores != (u * k->words_stored))
        MISMATCH("%s: %d stores per loop, declared %d", as, stores, u * k->words_stored);
    if (nt != (k->nt_stores ? stores : 0))
        MISMATCH("%s: %d non-temporal stores, declared %d", as, nt, k->nt_stores ? stores : 0);
    if (fma != (u * k->fma_per_vec))
        MISMATCH("%s: %d FMAs, declared %d", as, fma, u * k->fma_per_vec);
    if (add != (u * k->add_per_vec))
        MISMATCH("%s: %d adds, declared %d", as, add, u * k->add_per_vec);
    if (mul != (u * k->mul_per_vec))
        MISMATCH("%s: %d muls, declared %d", as, mul, u * k->mul_per_vec);
    free(f.v);
    return NULL;
}

Test(stream, every_built_kernel_loop_matches_its_descriptor)
{
    if (system("objdump --version >/dev/null 2>&1") != 0)
        cr_skip_test("objdump is not installed");
    for (size_t i = 0; i < rl_stream_count(); i++) {
        const rl_stream_kernel *k = rl_stream_at(i);
        const char *why = check_loop(k, k->name);
        cr_assert_null(why, "%s", why);
    }
}

Test(stream, the_loop_check_rejects_a_wrong_declaration)
{
    if (system("objdump --version >/dev/null 2>&1") != 0)
        cr_skip_test("objdump is not installed");
    const rl_stream_kernel *copy = rl_stream_pick(RL_STREAM_COPY, 0, RL_ISA_SSE2, "sse2");
    rl_stream_kernel k = *copy;
    k.words_loaded = 2; /* a copy that claims two loads per element */
    cr_assert_not_null(check_loop(&k, k.name));
    k = *copy;
    k.nt_stores = 1; /* regular stores declared non-temporal */
    cr_assert_not_null(check_loop(&k, k.name));
    k = *copy;
    const char *why = check_loop(&k, "triad_sse2"); /* another kernel's loop */
    cr_assert_not_null(why);
    cr_assert(strstr(why, "loads per loop"), "%s", why);
}
