/* test_memory.c: SMBIOS type 17 parsing (synthetic DMI tables in tests/data/), dmidecode text, and
 * the --mem-channels / --mem-mts overrides. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "probes/memory.h"
#include "tests/helpers.h"

static int parse_file(const char *path, rl_dram *d, rl_err *err)
{
    size_t len = 0;
    char *buf = rl_test_slurp(path, &len);
    cr_assert_not_null(buf, "%s", path);
    int rc = rl_memory_parse_smbios((const unsigned char *)buf, len, path, d, err);
    free(buf);
    return rc;
}

Test(memory, smbios_four_channels_ddr4_2400)
{
    rl_dram d;
    rl_err err = {0};
    cr_assert_eq(parse_file("tests/data/dmi-4ch-ddr4-2400.bin", &d, &err), 0, "%s", err.msg);
    cr_assert_eq(d.devices, 4, "empty slots are not devices");
    cr_assert_eq(d.channels, 4);
    cr_assert_eq(d.mts, 2400, "configured speed, not the rated 2666");
    cr_assert_eq(d.bus_bits, 64);
    cr_assert(fabs(d.gbs - 76.8) < 1e-9, "%g", d.gbs);
    cr_assert_str_eq(d.source, "SMBIOS type 17");
    cr_assert(strstr(d.note, "bank locators"), "%s", d.note);
}

Test(memory, smbios_without_channel_labels_counts_dimms_and_says_so)
{
    rl_dram d;
    rl_err err = {0};
    cr_assert_eq(parse_file("tests/data/dmi-2dimm-ddr5-4800.bin", &d, &err), 0, "%s", err.msg);
    cr_assert_eq(d.channels, 2);
    cr_assert_eq(d.mts, 4800, "rated speed when none is configured");
    cr_assert(fabs(d.gbs - 76.8) < 1e-9, "%g", d.gbs);
    cr_assert(strstr(d.note, "one DIMM per channel assumed"), "%s", d.note);
}

Test(memory, truncated_table_is_an_input_error_with_offset)
{
    rl_dram d;
    rl_err err = {0};
    cr_assert_eq(parse_file("tests/data/dmi-truncated.bin", &d, &err), -1);
    cr_assert_eq(err.code, RL_EXIT_INPUT);
    cr_assert(strstr(err.msg, "dmi-truncated.bin: offset 0x"), "%s", err.msg);
}

Test(memory, garbage_bytes_never_crash)
{
    unsigned char buf[512];
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 512);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (unsigned char)(seed >> 16);
        }
        if (len > 1 && round % 3 == 0)
            buf[0] = 17;
        rl_dram d;
        rl_err err = {0};
        (void)rl_memory_parse_smbios(buf, len, "fuzz", &d, &err);
    }
}

Test(memory, dmidecode_text)
{
    size_t len;
    char *text = rl_test_slurp("tests/data/dmidecode-t17.txt", &len);
    cr_assert_not_null(text);
    rl_dram d;
    cr_assert_eq(rl_memory_parse_dmidecode(text, &d), 0);
    free(text);
    cr_assert_eq(d.devices, 2);
    cr_assert_eq(d.channels, 2, "ChannelA / ChannelB");
    cr_assert_eq(d.mts, 2933, "the slowest configured speed");
    cr_assert(fabs(d.gbs - 2 * 2933 * 8 / 1000.0) < 1e-9, "%g", d.gbs);
    cr_assert_eq(rl_memory_parse_dmidecode("/dev/mem: No such file or directory\n", &d), -1);
    cr_assert_lt(d.gbs, 0);
}

Test(memory, overrides)
{
    rl_dram d;
    rl_dram_init(&d);
    rl_memory_override(&d, 0, 0);
    cr_assert_lt(d.gbs, 0, "nothing given: unknown");
    rl_memory_override(&d, 8, 0);
    cr_assert_lt(d.gbs, 0, "channels alone: still unknown");
    cr_assert(strstr(d.note, "give both"), "%s", d.note);
    rl_memory_override(&d, 0, 3200);
    cr_assert(fabs(d.gbs - 204.8) < 1e-9, "%g", d.gbs);
    rl_err err = {0};
    cr_assert_eq(parse_file("tests/data/dmi-4ch-ddr4-2400.bin", &d, &err), 0);
    rl_memory_override(&d, 0, 3200);
    cr_assert(fabs(d.gbs - 4 * 3200 * 8 / 1000.0) < 1e-9, "%g", d.gbs);
    cr_assert(strstr(d.source, "SMBIOS type 17 + --mem-mts"), "%s", d.source);
}
