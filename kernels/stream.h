/* stream.h: the memory kernels (STREAM's Copy, Scale, Add, Triad, plus load-only, store-only and
 * likwid's 4-stream triad), one ISA per file, each with regular and non-temporal stores.
 *
 * Every kernel is a `static const` descriptor: what it computes, what it needs from the CPU, the
 * bytes it moves per element (declared beside its code, counted two ways) and the shape of its loop
 * as built, so tests/test_stream.c can disassemble the object and check the binary does what the
 * descriptor says.
 *
 * Byte accounting, per element of the arrays (8-byte doubles):
 *   counted  = words_loaded + words_stored           (STREAM's convention: copy/scale 2, add/triad
 * 3, load 1, store 1, triad4 4; likwid counts the same) traffic  = counted + words_stored if
 * regular stores (the write-allocate read of each stored line), counted                if
 * non-temporal stores (they bypass the cache: no read for owner) The traffic figure is an estimate
 * of what crosses the memory bus, not a measurement.
 *
 * Arrays must be 64-byte aligned (aligned and non-temporal stores fault otherwise) and hold a
 * multiple of RL_STREAM_BLOCK elements. */
#ifndef RL_STREAM_H
#define RL_STREAM_H

#include <stddef.h>

#include "common/err.h"
#include "common/isa.h"

/* Every kernel's loop consumes a multiple of this many elements; arrays are sized to a multiple. */
#define RL_STREAM_BLOCK 64
#define RL_STREAM_ALIGN 64

/* The scalar every kernel uses (STREAM's 3.0): exact in the checks below. */
#define RL_STREAM_SCALAR 3.0

typedef enum rl_stream_kind {
    RL_STREAM_LOAD,   /* sum += a[i]          1 load            returns the sum */
    RL_STREAM_STORE,  /* a[i] = s             1 store */
    RL_STREAM_COPY,   /* c[i] = a[i]          1 load, 1 store */
    RL_STREAM_SCALE,  /* b[i] = s * c[i]      1 load, 1 store */
    RL_STREAM_ADD,    /* c[i] = a[i] + b[i]   2 loads, 1 store */
    RL_STREAM_TRIAD,  /* a[i] = b[i] + s*c[i] 2 loads, 1 store (STREAM's, likwid's "stream") */
    RL_STREAM_TRIAD4, /* a[i] = b[i]*c[i]+d[i] 3 loads, 1 store (likwid's "triad") */
    RL_STREAM_KINDS_
} rl_stream_kind;

typedef struct rl_stream_args {
    double *a, *b, *c, *d; /* those the kind does not use may be NULL */
    size_t n;              /* elements per array, a multiple of RL_STREAM_BLOCK */
    double s;              /* RL_STREAM_SCALAR */
    size_t reps;           /* passes over the arrays in one call (0 counts as 1) */
} rl_stream_args;

/* Runs the loop over the arrays `reps` times (an outer loop around it, so short arrays do not pay
 * a call per pass). Returns the sum of every pass for RL_STREAM_LOAD, 0 otherwise. */
typedef double (*rl_stream_fn)(const rl_stream_args *x);

typedef struct rl_stream_kernel {
    const char *name; /* "triad_nt_avx2" */
    rl_stream_kind kind;
    const char *isa; /* "sse2", "avx2", "avx512": the file's ISA */
    int nt_stores;   /* stores are non-temporal (movntpd); an sfence ends the loop */
    rl_isa_mask requires;
    int arrays;        /* arrays touched (working set = arrays * n * 8 bytes) */
    int words_loaded;  /* per element, counted */
    int words_stored;  /* per element, counted */
    int traffic_words; /* per element, estimated hardware traffic (see above) */
    /* The loop as built: one iteration handles `unroll` registers of `vector_doubles` per array and
     * executes per register: words_loaded loads, words_stored stores, and these arithmetic ops. */
    int vector_doubles; /* 2 (sse2), 4 (avx2), 8 (avx512) */
    int width_bits;     /* vector_doubles x 64: rl_stream_pick takes the widest runnable kernel
                           by this, never by the registry's order */
    int unroll;
    int fma_per_vec, add_per_vec, mul_per_vec;
    rl_stream_fn run;
} rl_stream_kernel;

/* The registry, one convention for both kinds of kernel (memory here, compute in kernels/fma.h):
 * each ISA file exports an array of descriptors and its length (rl_stream_kernels_<isa>[] below),
 * and the registry walks them. rl_stream_count kernels are built into this binary, whatever the
 * CPU (check `requires`); rl_stream_at returns NULL past the end. */
size_t rl_stream_count(void);
const rl_stream_kernel *rl_stream_at(size_t i);

/* The widest (width_bits) kernel of `kind` and store kind this CPU can run, or NULL. `isa`, when
 * not NULL, asks for that ISA only (a registry name or another name rl_stream_isa_lookup takes). */
const rl_stream_kernel *rl_stream_pick(rl_stream_kind kind, int nt_stores, rl_isa_mask runnable,
                                       const char *isa);

/* ISA names, as `bandwidth --isa` takes them. rl_stream_isa_lookup returns the registry name
 * `name` stands for: itself ("avx2"), the memory ISA of a compute kernel's name ("avx2-fma" ->
 * "avx2", "avx512f" -> "avx512"), or NULL when it is neither. rl_stream_isa_names writes every
 * registry name, narrowest first and comma-separated ("sse2, avx2, avx512"), rl_stream_isa_aliases
 * the other names it takes ("avx2-fma = avx2, avx512f = avx512"), for --help and errors. */
const char *rl_stream_isa_lookup(const char *name);
void rl_stream_isa_names(char *out, size_t size);
void rl_stream_isa_aliases(char *out, size_t size);

/* Names: "load", "store", "copy", "scale", "add", "triad", "triad4"; from_name returns -1 if
 * unknown. */
const char *rl_stream_kind_name(rl_stream_kind kind);
int rl_stream_kind_from_name(const char *name);

/* Arrays a kind uses (1..4), and counted/traffic bytes per element for a store kind. */
int rl_stream_kind_arrays(rl_stream_kind kind);

/* Verification, outside the timed region. rl_stream_init fills the kernel's inputs with a pattern
 * of small integers (so every result is exact) and poisons its outputs with NaN, so a kernel that
 * does not write cannot pass. rl_stream_expected_sum is what RL_STREAM_LOAD must return on those
 * inputs. rl_stream_verify checks every output element against the scalar reference after any
 * number (>= 1) of calls (all kernels are idempotent) and fails naming the first wrong element. */
void rl_stream_init(rl_stream_kind kind, const rl_stream_args *x);
double rl_stream_expected_sum(size_t n);
int rl_stream_verify(const rl_stream_kernel *k, const rl_stream_args *x, rl_err *err);

#endif
