/* stream.c: the memory-kernel registry, the kernel picker and the verification shared by every ISA
 * (see stream.h). Portable, compiled without ISA flags: it only calls kernels through their
 * descriptors. Which tables exist follows the compiler's target, as in kernels/fma.c. */
#include "kernels/stream.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__)
#include "kernels/x86/stream_x86.h"
#elif defined(__aarch64__)
#include "kernels/arm/stream_arm.h"
#else
static const size_t no_kernels = 0;
#endif

static const char *const kind_names[RL_STREAM_KINDS_] = {
    "load", "store", "copy", "scale", "add", "triad", "triad4",
};

static const int kind_arrays[RL_STREAM_KINDS_] = {1, 1, 2, 2, 3, 3, 4};

const char *rl_stream_kind_name(rl_stream_kind kind)
{
    return (unsigned)kind < RL_STREAM_KINDS_ ? kind_names[kind] : "?";
}

int rl_stream_kind_from_name(const char *name)
{
    for (int i = 0; i < RL_STREAM_KINDS_; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return i;
    return -1;
}

int rl_stream_kind_arrays(rl_stream_kind kind)
{
    return (unsigned)kind < RL_STREAM_KINDS_ ? kind_arrays[kind] : 0;
}

/* One entry per ISA file, narrowest first: the order kernels are listed in, nothing more
 * (rl_stream_pick compares width_bits). A target without kernels has one empty table (C has no
 * empty arrays). */
static const struct {
    const rl_stream_kernel *const *list;
    const size_t *count;
} tables[] = {
#if defined(__x86_64__)
    {rl_stream_kernels_sse2, &rl_stream_kernels_sse2_count},
    {rl_stream_kernels_avx2, &rl_stream_kernels_avx2_count},
    {rl_stream_kernels_avx512, &rl_stream_kernels_avx512_count},
#elif defined(__aarch64__)
    {rl_stream_kernels_neon, &rl_stream_kernels_neon_count},
#else
    {NULL, &no_kernels},
#endif
};

/* The compute kernels' names for the same registers (kernels/fma.h), so one vocabulary works for
 * both `--isa` flags. */
static const struct {
    const char *alias, *name;
} aliases[] = {
    {"avx2-fma", "avx2"},
    {"avx512f", "avx512"},
};

size_t rl_stream_count(void)
{
    size_t n = 0;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        n += *tables[t].count;
    return n;
}

const rl_stream_kernel *rl_stream_at(size_t i)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        if (i < *tables[t].count)
            return tables[t].list[i];
        i -= *tables[t].count;
    }
    return NULL;
}

const rl_stream_kernel *rl_stream_pick(rl_stream_kind kind, int nt_stores, rl_isa_mask runnable,
                                       const char *isa)
{
    const rl_stream_kernel *best = NULL;
    if (isa && !(isa = rl_stream_isa_lookup(isa)))
        return NULL;
    for (size_t i = 0, n = rl_stream_count(); i < n; i++) {
        const rl_stream_kernel *k = rl_stream_at(i);
        if (k->kind != kind || (k->words_stored > 0 && k->nt_stores != !!nt_stores))
            continue;
        if (isa && strcmp(isa, k->isa) != 0)
            continue;
        if ((k->requires & runnable) == k->requires && (!best || k->width_bits > best->width_bits))
            best = k;
    }
    return best;
}

const char *rl_stream_isa_lookup(const char *name)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        if (*tables[t].count > 0 && strcmp(tables[t].list[0]->isa, name) == 0)
            return tables[t].list[0]->isa;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].alias, name) == 0)
            return aliases[i].name;
    return NULL;
}

void rl_stream_isa_names(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        if (*tables[t].count == 0)
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", tables[t].list[0]->isa);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

void rl_stream_isa_aliases(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        int n = snprintf(out + used, size - used, "%s%s = %s", used ? ", " : "", aliases[i].alias,
                         aliases[i].name);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

/* Input patterns: small integers, so sums, products and FMAs are exact whatever the order. */
static double pat_a(size_t i)
{
    return 1.0 + (double)(i & 7);
}
static double pat_b(size_t i)
{
    return 2.0 + (double)(i & 3);
}
static double pat_c(size_t i)
{
    return 1.0 + (double)((i >> 1) & 3);
}
static double pat_d(size_t i)
{
    return 4.0 + (double)(i & 1);
}

static void fill(double *p, size_t n, double (*pat)(size_t))
{
    for (size_t i = 0; i < n; i++)
        p[i] = pat ? pat(i) : NAN;
}

void rl_stream_init(rl_stream_kind kind, const rl_stream_args *x)
{
    size_t n = x->n;
    switch (kind) {
    case RL_STREAM_LOAD:
        fill(x->a, n, pat_a);
        break;
    case RL_STREAM_STORE:
        fill(x->a, n, NULL);
        break;
    case RL_STREAM_COPY:
        fill(x->a, n, pat_a);
        fill(x->c, n, NULL);
        break;
    case RL_STREAM_SCALE:
        fill(x->c, n, pat_c);
        fill(x->b, n, NULL);
        break;
    case RL_STREAM_ADD:
        fill(x->a, n, pat_a);
        fill(x->b, n, pat_b);
        fill(x->c, n, NULL);
        break;
    case RL_STREAM_TRIAD:
        fill(x->b, n, pat_b);
        fill(x->c, n, pat_c);
        fill(x->a, n, NULL);
        break;
    case RL_STREAM_TRIAD4:
        fill(x->b, n, pat_b);
        fill(x->c, n, pat_c);
        fill(x->d, n, pat_d);
        fill(x->a, n, NULL);
        break;
    default:
        break;
    }
}

double rl_stream_expected_sum(size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += pat_a(i);
    return sum;
}

int rl_stream_verify(const rl_stream_kernel *k, const rl_stream_args *x, rl_err *err)
{
    const double s = x->s;
    const double *out;
    const char *out_name;
    switch (k->kind) {
    case RL_STREAM_LOAD:
        return 0; /* its result is the returned sum, checked by the caller on every call */
    case RL_STREAM_STORE:
        out = x->a, out_name = "a";
        break;
    case RL_STREAM_COPY:
    case RL_STREAM_ADD:
        out = x->c, out_name = "c";
        break;
    case RL_STREAM_SCALE:
        out = x->b, out_name = "b";
        break;
    case RL_STREAM_TRIAD:
    case RL_STREAM_TRIAD4:
        out = x->a, out_name = "a";
        break;
    default:
        return rl_err_set(err, RL_EXIT_RUNTIME, "%s: unknown kernel kind", k->name);
    }
    for (size_t i = 0; i < x->n; i++) {
        double want;
        switch (k->kind) {
        case RL_STREAM_STORE:
            want = s;
            break;
        case RL_STREAM_COPY:
            want = pat_a(i);
            break;
        case RL_STREAM_SCALE:
            want = s * pat_c(i);
            break;
        case RL_STREAM_ADD:
            want = pat_a(i) + pat_b(i);
            break;
        case RL_STREAM_TRIAD:
            want = pat_b(i) + s * pat_c(i);
            break;
        default: /* RL_STREAM_TRIAD4 */
            want = pat_b(i) * pat_c(i) + pat_d(i);
            break;
        }
        if (!(out[i] == want))
            return rl_err_set(err, RL_EXIT_RUNTIME,
                              "kernel %s failed its check: %s[%zu] = %g, expected %g (of %zu "
                              "elements)",
                              k->name, out_name, i, out[i], want, x->n);
    }
    return 0;
}
