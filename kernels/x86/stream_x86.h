/* stream_x86.h: private to kernels/x86/stream_<isa>.c and the registry (kernels/stream.c): the
 * part of the memory kernels' vocabulary (kernels/stream_impl.h) that every x86 ISA shares, and the
 * x86 tables the registry lists. */
#ifndef RL_STREAM_X86_H
#define RL_STREAM_X86_H

#include <stddef.h>
#include <xmmintrin.h>

#include "kernels/stream.h"

/* movntpd and its wider forms are weakly ordered: sfence makes them visible before the timer stops.
 */
#define RL_NT_FENCE() _mm_sfence()

/* Per-ISA tables, defined in kernels/x86/stream_<isa>.c through kernels/stream_impl.h. */
extern const rl_stream_kernel *const rl_stream_kernels_sse2[];
extern const rl_stream_kernel *const rl_stream_kernels_avx2[];
extern const rl_stream_kernel *const rl_stream_kernels_avx512[];
extern const size_t rl_stream_kernels_sse2_count, rl_stream_kernels_avx2_count,
    rl_stream_kernels_avx512_count;

#endif
