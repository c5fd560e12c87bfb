/* bytes.h: the one way sizes in bytes are written for people, so a working set reads the same in a
 * runner's note, a command-line error and a report table. */
#ifndef RL_BYTES_H
#define RL_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* Writes `bytes` in the largest binary unit (B, KiB, MiB, GiB, TiB) it reaches: a whole number
 * when it is an exact multiple of that unit ("16 KiB", "1 GiB", "512 B"), else 3 significant
 * digits ("1.5 MiB", "1.02e+03 KiB" just under 1 MiB). Truncates to fit `size`; returns `out`. */
const char *rl_bytes_format(char *out, size_t size, uint64_t bytes);

#endif
