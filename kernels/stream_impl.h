/* stream_impl.h: the body of every memory kernel, private to kernels/<arch>/stream_<isa>.c. It is
 * portable: everything an instruction set decides comes from the vocabulary below.
 *
 * Each ISA file defines this vocabulary and then includes this file once; it expands into that
 * ISA's kernels, their descriptors and its table rl_stream_kernels_<isa>[]:
 *   RL_SUFFIX      token (avx2)                  RL_ISA_STR     "avx2"
 *   RL_REQUIRES    rl_isa_mask                   RL_V           vector type
 *   RL_W           doubles per vector            RL_LOAD(p)     aligned load
 *   RL_STORE(p,v)  aligned store                 RL_STREAM(p,v) non-temporal store
 *   RL_NT_FENCE()  orders the non-temporal stores (x86: sfence, in kernels/x86/stream_x86.h)
 *   RL_SET1(x)     broadcast                     RL_ZERO()      zero
 *   RL_HSUM(v)     sum of the lanes              RL_ADD, RL_MUL, RL_FMA(a,b,c)=a*b+c
 *   RL_FMA_OPS/RL_FMA_ADDS/RL_FMA_MULS: what RL_FMA costs
 *
 * Why it is written this way (the binary must do what the descriptor says):
 * - intrinsics fix the instruction stream: one vector load per array per register, one store;
 * - each register is stored as soon as it is computed (load, op, store, register by register):
 *   with the 8 loads first and the 8 stores after them, the L1 triad ran at 268 GB/s on a Zen 4
 *   guest against 330-350 interleaved (the core's one 256-bit store per cycle allows 352), and
 *   likwid-bench's stream_avx_fma, interleaved, at 292;
 * - the inner `#pragma GCC unroll` lines give a fixed unroll of RL_U registers per iteration, with
 *   RL_U independent accumulators in the load kernel (enough for 2 adds/cycle at latency 4);
 * - RL_STREAM_BARRIER (an empty asm with a memory clobber) ends each iteration, so the compiler
 *   cannot turn a loop into memcpy/memset, interchange or unroll-and-jam it with the `reps` loop
 *   around it (passes over the arrays within one call: a 16 KiB array would otherwise pay a call
 *   per pass), or sink its stores; tests/test_stream.c disassembles the built objects and counts
 *   loads, stores and arithmetic per loop. */
#ifndef RL_SUFFIX
#error "stream_impl.h is included by kernels/<arch>/stream_<isa>.c only"
#endif

#define RL_U                8 /* registers per array per iteration */
#define RL_STREAM_BARRIER() __asm__ volatile("" ::: "memory")

/* Sanitizer builds leave the kernels alone: instrumented loops would measure the sanitizer and add
 * calls the loop check rejects. The runner checks every result instead. */
#define RL_KERNEL __attribute__((no_sanitize("address", "undefined")))
#define RL_INLINE static inline __attribute__((always_inline)) RL_KERNEL

#define RL_CAT_(a, b) a##b
#define RL_CAT(a, b)  RL_CAT_(a, b)
#define RL_FN(name)   RL_CAT(name##_, RL_SUFFIX)

RL_INLINE void rl_put(double *p, RL_V v, int nt)
{
    if (nt)
        RL_STREAM(p, v);
    else
        RL_STORE(p, v);
}

RL_INLINE void rl_fence(int nt)
{
    if (nt)
        RL_NT_FENCE(); /* non-temporal stores are weakly ordered: drain them inside the timed
                          region */
}

RL_KERNEL __attribute__((noinline)) static double RL_FN(load)(const rl_stream_args *x)
{
    const double *a = x->a;
    size_t n = x->n, reps = x->reps ? x->reps : 1;
    RL_V acc[RL_U];
#pragma GCC unroll 8
    for (int u = 0; u < RL_U; u++)
        acc[u] = RL_ZERO();
    for (size_t rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < n; i += RL_U * RL_W) {
#pragma GCC unroll 8
            for (int u = 0; u < RL_U; u++)
                acc[u] = RL_ADD(acc[u], RL_LOAD(a + i + (size_t)u * RL_W));
            RL_STREAM_BARRIER();
        }
    RL_V t = RL_ADD(RL_ADD(RL_ADD(acc[0], acc[1]), RL_ADD(acc[2], acc[3])),
                    RL_ADD(RL_ADD(acc[4], acc[5]), RL_ADD(acc[6], acc[7])));
    return RL_HSUM(t);
}

RL_INLINE double rl_store_body(const rl_stream_args *x, int nt)
{
    double *a = x->a;
    size_t n = x->n, reps = x->reps ? x->reps : 1;
    RL_V s = RL_SET1(x->s);
    for (size_t rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < n; i += RL_U * RL_W) {
#pragma GCC unroll 8
            for (int u = 0; u < RL_U; u++)
                rl_put(a + i + (size_t)u * RL_W, s, nt);
            RL_STREAM_BARRIER();
        }
    rl_fence(nt);
    return 0.0;
}

RL_INLINE double rl_copy_body(const rl_stream_args *x, int nt)
{
    const double *a = x->a;
    double *c = x->c;
    size_t n = x->n, reps = x->reps ? x->reps : 1;
    for (size_t rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < n; i += RL_U * RL_W) {
#pragma GCC unroll 8
            for (int u = 0; u < RL_U; u++)
                rl_put(c + i + (size_t)u * RL_W, RL_LOAD(a + i + (size_t)u * RL_W), nt);
            RL_STREAM_BARRIER();
        }
    rl_fence(nt);
    return 0.0;
}

RL_INLINE double rl_scale_body(const rl_stream_args *x, int nt)
{
    const double *c = x->c;
    double *b = x->b;
    size_t n = x->n, reps = x->reps ? x->reps : 1;
    RL_V s = RL_SET1(x->s);
    for (size_t rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < n; i += RL_U * RL_W) {
#pragma GCC unroll 8
            for (int u = 0; u < RL_U; u++)
                rl_put(b + i + (size_t)u * RL_W, RL_MUL(s, RL_LOAD(c + i + (size_t)u * RL_W)), nt);
            RL_STREAM_BARRIER();
        }
    rl_fence(nt);
    return 0.0;
}

RL_INLINE double rl_add_body(const rl_stream_args *x, int nt)
{
    const double *a = x->a, *b = x->b;
    double *c = x->c;
    size_t n = x->n, reps = x->reps ? x->reps : 1;
    for (size_t rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < n; i += RL_U * RL_W) {
#pragma GCC unroll 8
            for (int u = 0; u < RL_U; u++)
                rl_put(c + i + (size_t)u * RL_W,
                       RL_ADD(RL_LOAD(a + i + (size_t)u * RL_W), RL_LOAD(b + i + (size_t)u * RL_W)),
                       nt);
            RL_STREAM_BARRIER();
        }
    rl_fence(nt);
    return 0.0;
}

RL_INLINE double rl_triad_body(const rl_stream_args *x, int nt)
{
    const double *b = x->b, *c = x->c;
    double *a = x->a;
    size_t n = x->n, reps = x->reps ? x->reps : 1;
    RL_V s = RL_SET1(x->s);
    for (size_t rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < n; i += RL_U * RL_W) {
#pragma GCC unroll 8
            for (int u = 0; u < RL_U; u++)
                rl_put(
                    a + i + (size_t)u * RL_W,
                    RL_FMA(s, RL_LOAD(c + i + (size_t)u * RL_W), RL_LOAD(b + i + (size_t)u * RL_W)),
                    nt);
            RL_STREAM_BARRIER();
        }
    rl_fence(nt);
    return 0.0;
}

RL_INLINE double rl_triad4_body(const rl_stream_args *x, int nt)
{
    const double *b = x->b, *c = x->c, *d = x->d;
    double *a = x->a;
    size_t n = x->n, reps = x->reps ? x->reps : 1;
    for (size_t rep = 0; rep < reps; rep++)
        for (size_t i = 0; i < n; i += RL_U * RL_W) {
#pragma GCC unroll 8
            for (int u = 0; u < RL_U; u++)
                rl_put(a + i + (size_t)u * RL_W,
                       RL_FMA(RL_LOAD(b + i + (size_t)u * RL_W), RL_LOAD(c + i + (size_t)u * RL_W),
                              RL_LOAD(d + i + (size_t)u * RL_W)),
                       nt);
            RL_STREAM_BARRIER();
        }
    rl_fence(nt);
    return 0.0;
}

/* One regular and one non-temporal function per body. */
#define RL_PAIR(kind)                                                                              \
    RL_KERNEL __attribute__((noinline)) static double RL_FN(kind)(const rl_stream_args *x)         \
    {                                                                                              \
        return rl_##kind##_body(x, 0);                                                             \
    }                                                                                              \
    RL_KERNEL __attribute__((noinline)) static double RL_FN(kind##_nt)(const rl_stream_args *x)    \
    {                                                                                              \
        return rl_##kind##_body(x, 1);                                                             \
    }

RL_PAIR(store)
RL_PAIR(copy)
RL_PAIR(scale)
RL_PAIR(add)
RL_PAIR(triad)
RL_PAIR(triad4)

/* Descriptor: name, kind, nt, arrays, loaded, stored, fma, add, mul per register. Traffic adds one
 * write-allocate read per stored word unless the stores are non-temporal. */
#define RL_DESC(var, nm, knd, nt, arr, ld, st, fma, add, mul)                                      \
    static const rl_stream_kernel RL_FN(var##_desc) = {                                            \
        .name = nm "_" RL_ISA_STR,                                                                 \
        .kind = knd,                                                                               \
        .isa = RL_ISA_STR,                                                                         \
        .nt_stores = nt,                                                                           \
        .requires = RL_REQUIRES,                                                                   \
        .arrays = arr,                                                                             \
        .words_loaded = ld,                                                                        \
        .words_stored = st,                                                                        \
        .traffic_words = ld + st + (nt ? 0 : st),                                                  \
        .vector_doubles = RL_W,                                                                    \
        .width_bits = RL_W * 64,                                                                   \
        .unroll = RL_U,                                                                            \
        .fma_per_vec = fma,                                                                        \
        .add_per_vec = add,                                                                        \
        .mul_per_vec = mul,                                                                        \
        .run = RL_FN(var),                                                                         \
    };

/* clang-format off */
RL_DESC(load,      "load",      RL_STREAM_LOAD,   0, 1, 1, 0, 0, 1, 0)
RL_DESC(store,     "store",     RL_STREAM_STORE,  0, 1, 0, 1, 0, 0, 0)
RL_DESC(store_nt,  "store_nt",  RL_STREAM_STORE,  1, 1, 0, 1, 0, 0, 0)
RL_DESC(copy,      "copy",      RL_STREAM_COPY,   0, 2, 1, 1, 0, 0, 0)
RL_DESC(copy_nt,   "copy_nt",   RL_STREAM_COPY,   1, 2, 1, 1, 0, 0, 0)
RL_DESC(scale,     "scale",     RL_STREAM_SCALE,  0, 2, 1, 1, 0, 0, 1)
RL_DESC(scale_nt,  "scale_nt",  RL_STREAM_SCALE,  1, 2, 1, 1, 0, 0, 1)
RL_DESC(add,       "add",       RL_STREAM_ADD,    0, 3, 2, 1, 0, 1, 0)
RL_DESC(add_nt,    "add_nt",    RL_STREAM_ADD,    1, 3, 2, 1, 0, 1, 0)
RL_DESC(triad,     "triad",     RL_STREAM_TRIAD,  0, 3, 2, 1, RL_FMA_OPS, RL_FMA_ADDS, RL_FMA_MULS)
RL_DESC(triad_nt,  "triad_nt",  RL_STREAM_TRIAD,  1, 3, 2, 1, RL_FMA_OPS, RL_FMA_ADDS, RL_FMA_MULS)
RL_DESC(triad4,    "triad4",    RL_STREAM_TRIAD4, 0, 4, 3, 1, RL_FMA_OPS, RL_FMA_ADDS, RL_FMA_MULS)
RL_DESC(triad4_nt, "triad4_nt", RL_STREAM_TRIAD4, 1, 4, 3, 1, RL_FMA_OPS, RL_FMA_ADDS, RL_FMA_MULS)
/* clang-format on */

const rl_stream_kernel *const RL_CAT(rl_stream_kernels_, RL_SUFFIX)[] = {
    &RL_FN(load_desc),      &RL_FN(store_desc), &RL_FN(store_nt_desc), &RL_FN(copy_desc),
    &RL_FN(copy_nt_desc),   &RL_FN(scale_desc), &RL_FN(scale_nt_desc), &RL_FN(add_desc),
    &RL_FN(add_nt_desc),    &RL_FN(triad_desc), &RL_FN(triad_nt_desc), &RL_FN(triad4_desc),
    &RL_FN(triad4_nt_desc),
};
const size_t RL_CAT(RL_CAT(rl_stream_kernels_, RL_SUFFIX),
                    _count) = sizeof RL_CAT(rl_stream_kernels_, RL_SUFFIX) /
                              sizeof RL_CAT(rl_stream_kernels_, RL_SUFFIX)[0];
