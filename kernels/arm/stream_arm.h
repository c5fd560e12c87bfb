/* stream_arm.h: private to kernels/arm/stream_<isa>.c and the registry (kernels/stream.c): what
 * the AArch64 memory kernels share beyond kernels/stream_impl.h, and their tables. */
#ifndef RL_STREAM_ARM_H
#define RL_STREAM_ARM_H

#include <stddef.h>

#include "kernels/stream.h"

/* STNP is a non-temporal hint with weak ordering: a store barrier drains the stores before the
 * timer stops. */
#define RL_NT_FENCE() __asm__ volatile("dmb ishst" ::: "memory")

extern const rl_stream_kernel *const rl_stream_kernels_neon[];
extern const size_t rl_stream_kernels_neon_count;

#endif
