/* memory.h: theoretical DRAM bandwidth = channels x transfer rate x bus width.
 *
 * From SMBIOS type 17 (memory device) records: the DMI table in sysfs (root only), or the output of
 * `dmidecode -t 17`. Channels are the distinct channel labels in the records' bank locators when
 * every populated device has one, else the number of populated devices (one DIMM per channel
 * assumed, and said so). The rate is the lowest configured speed among populated devices (the rated
 * speed when none is configured). `--mem-channels N --mem-mts N` supply or override either figure.
 * Nothing known means unknown (gbs < 0), never a guess. */
#ifndef RL_MEMORY_H
#define RL_MEMORY_H

#include <stddef.h>

#include "common/err.h"

typedef struct rl_dram {
    int devices;  /* populated memory devices seen */
    int channels; /* 0 unknown */
    double mts;   /* MT/s, <0 unknown */
    int bus_bits; /* data width per channel, 64 for DDR4/DDR5 DIMMs; 0 unknown */
    double gbs;   /* GB/s (1e9 bytes/s), <0 unknown */
    char
        source[64]; /* "SMBIOS type 17", "dmidecode -t 17", "--mem-channels/--mem-mts", "unknown" */
    char note[192]; /* how channels were counted, or why unknown */
} rl_dram;

void rl_dram_init(rl_dram *d); /* everything unknown */

/* Parses a raw SMBIOS structure table (the bytes of /sys/firmware/dmi/tables/DMI). `name` names the
 * table in errors. A truncated or malformed table is RL_EXIT_INPUT with the byte offset. */
int rl_memory_parse_smbios(const unsigned char *buf, size_t len, const char *name, rl_dram *out,
                           rl_err *err);

/* Parses the text `dmidecode -t 17` prints. Returns 0 when at least one populated device was found,
 * -1 otherwise (out stays unknown). */
int rl_memory_parse_dmidecode(const char *text, rl_dram *out);

/* This machine: sysfs table, then `dmidecode -t 17`; unknown when neither says anything. */
void rl_memory_detect(rl_dram *out);

/* Applies --mem-channels / --mem-mts (0 or negative: not given) and recomputes gbs. */
void rl_memory_override(rl_dram *d, int channels, double mts);

#endif
