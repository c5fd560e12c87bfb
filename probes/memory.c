/* memory.c: theoretical DRAM bandwidth from SMBIOS type 17 records (see memory.h).
 *
 * SMBIOS type 17 layout used here (offsets from the structure start, SMBIOS 3.x):
 *   0x01 length of the formatted area   0x0A data width (bits)   0x0C size (0: empty slot)
 *   0x10 device locator (string)        0x11 bank locator (string)
 *   0x15 speed (MT/s, 0xFFFF: see 0x54)  0x1C extended size   0x20 configured speed (MT/s)
 *   0x54 extended speed (dword)          0x58 extended configured speed (dword)
 * Each structure is its formatted area followed by NUL-terminated strings ending in an empty one.
 */
#include "probes/memory.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEVICES 256

typedef struct dimm {
    double speed, configured; /* MT/s, 0 unknown */
    int width;                /* data width bits, 0 unknown */
    char key[96];             /* channel label, "" when none */
} dimm;

typedef struct dimm_set {
    dimm d[MAX_DEVICES];
    int n;
} dimm_set;

void rl_dram_init(rl_dram *d)
{
    memset(d, 0, sizeof *d);
    d->mts = -1;
    d->gbs = -1;
    snprintf(d->source, sizeof d->source, "unknown");
    snprintf(d->note, sizeof d->note, "no SMBIOS memory-device records readable");
}

static void recompute(rl_dram *d)
{
    int bus = d->bus_bits > 0 ? d->bus_bits : 64;
    if (d->channels > 0 && d->mts > 0) {
        if (d->bus_bits <= 0)
            d->bus_bits = bus;
        d->gbs = d->channels * d->mts * 1e6 * (bus / 8.0) / 1e9;
    } else {
        d->gbs = -1;
    }
}

/* The channel label in a locator string: everything up to the end of the token after "channel"
 * ("P0 CHANNEL A" -> itself, "ChannelA-DIMM0" -> "ChannelA"), or "" when it names no channel. */
static void channel_label(const char *s, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *p = s; *p; p++) {
        if (strncasecmp(p, "channel", 7) != 0)
            continue;
        const char *q = p + 7;
        while (*q == ' ' || *q == '_' || *q == '-')
            q++;
        while (isalnum((unsigned char)*q))
            q++;
        size_t n = (size_t)(q - s);
        if (n >= size)
            n = size - 1;
        memcpy(out, s, n);
        out[n] = '\0';
        return;
    }
}

static void add_dimm(dimm_set *set, double speed, double configured, int width, const char *bank,
                     const char *loc)
{
    if (set->n >= MAX_DEVICES)
        return;
    dimm *d = &set->d[set->n++];
    d->speed = speed;
    d->configured = configured;
    d->width = width;
    char a[48], b[48];
    channel_label(bank ? bank : "", a, sizeof a);
    channel_label(loc ? loc : "", b, sizeof b);
    if (a[0] || b[0])
        snprintf(d->key, sizeof d->key, "%s|%s", a, b);
    else
        d->key[0] = '\0';
}

static void summarise(const dimm_set *set, const char *source, rl_dram *out)
{
    rl_dram_init(out);
    out->devices = set->n;
    if (set->n == 0) {
        snprintf(out->note, sizeof out->note, "%s: no populated memory devices", source);
        return;
    }
    snprintf(out->source, sizeof out->source, "%s", source);
    double mts = -1;
    int width = 0, labelled = 1;
    for (int i = 0; i < set->n; i++) {
        const dimm *d = &set->d[i];
        double s = d->configured > 0 ? d->configured : d->speed;
        if (s > 0 && (mts < 0 || s < mts))
            mts = s;
        if (d->width > 0 && (width == 0 || d->width < width))
            width = d->width;
        if (!d->key[0])
            labelled = 0;
    }
    int channels = 0;
    if (labelled) {
        for (int i = 0; i < set->n; i++) {
            int seen = 0;
            for (int j = 0; j < i && !seen; j++)
                seen = strcmp(set->d[i].key, set->d[j].key) == 0;
            channels += !seen;
        }
        snprintf(out->note, sizeof out->note,
                 "%d populated device%s on %d channel%s (from the bank locators)", set->n,
                 set->n == 1 ? "" : "s", channels, channels == 1 ? "" : "s");
    } else {
        channels = set->n;
        snprintf(out->note, sizeof out->note,
                 "%d populated device%s, one DIMM per channel assumed (locators name no channel)",
                 set->n, set->n == 1 ? "" : "s");
    }
    out->channels = channels;
    out->mts = mts;
    out->bus_bits = width;
    if (mts < 0)
        snprintf(out->note, sizeof out->note, "%s: memory speed not reported", source);
    recompute(out);
}

static const char *dmi_string(const unsigned char *s, const unsigned char *end, int index)
{
    if (index <= 0)
        return "";
    const unsigned char *p = s;
    for (int i = 1; p < end; i++) {
        const unsigned char *z = memchr(p, 0, (size_t)(end - p));
        if (!z || z == p)
            return "";
        if (i == index)
            return (const char *)p;
        p = z + 1;
    }
    return "";
}

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int rl_memory_parse_smbios(const unsigned char *buf, size_t len, const char *name, rl_dram *out,
                           rl_err *err)
{
    dimm_set *set = calloc(1, sizeof *set);
    if (!set)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory");
    size_t off = 0;
    int rc = 0;
    while (off + 4 <= len) {
        const unsigned char *h = buf + off;
        unsigned type = h[0], flen = h[1];
        if (flen < 4 || off + flen > len) {
            rc = rl_err_set(err, RL_EXIT_INPUT,
                            "%s: offset 0x%zx: structure type %u: length %u runs past the table "
                            "(%zu bytes)",
                            name, off, type, flen, len);
            goto done;
        }
        /* the string set ends at the first double NUL after the formatted area */
        size_t s = off + flen, e = s;
        while (e + 1 < len && !(buf[e] == 0 && buf[e + 1] == 0))
            e++;
        if (e + 1 >= len) {
            rc = rl_err_set(err, RL_EXIT_INPUT,
                            "%s: offset 0x%zx: structure type %u: strings not terminated", name,
                            off, type);
            goto done;
        }
        if (type == 17 && flen >= 0x17) {
            unsigned size = rd16(h + 0x0C);
            if (size != 0 && size != 0xFFFF) {
                const unsigned char *strs = buf + s, *end = buf + e + 1;
                double speed = rd16(h + 0x15);
                if (speed == 0xFFFF)
                    speed = flen >= 0x58 ? rd32(h + 0x54) : 0;
                double conf = flen >= 0x22 ? rd16(h + 0x20) : 0;
                if (conf == 0xFFFF)
                    conf = flen >= 0x5C ? rd32(h + 0x58) : 0;
                int width = (int)rd16(h + 0x0A);
                if (width == 0xFFFF)
                    width = 0;
                add_dimm(set, speed, conf, width, dmi_string(strs, end, h[0x11]),
                         dmi_string(strs, end, h[0x10]));
            }
        }
        off = e + 2;
        if (type == 127)
            break;
    }
    summarise(set, "SMBIOS type 17", out);
done:
    free(set);
    return rc;
}

/* "Key: value" inside a dmidecode block: returns the value or NULL. */
static const char *field(const char *line, const char *key)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0 || line[n] != ':')
        return NULL;
    line += n + 1;
    while (*line == ' ')
        line++;
    return line;
}

int rl_memory_parse_dmidecode(const char *text, rl_dram *out)
{
    dimm_set *set = calloc(1, sizeof *set);
    rl_dram_init(out);
    if (!set)
        return -1;
    const char *p = text;
    int in_dev = 0, populated = 0, width = 0;
    double speed = 0, conf = 0;
    char bank[64] = "", loc[64] = "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[256];
        if (n >= sizeof line)
            n = sizeof line - 1;
        memcpy(line, p, n);
        line[n] = '\0';
        int block_start = strncmp(line, "Memory Device", 13) == 0;
        if ((block_start || !nl) && in_dev && populated)
            add_dimm(set, speed, conf, width, bank, loc);
        if (block_start) {
            in_dev = 1;
            populated = 0;
            width = 0;
            speed = conf = 0;
            bank[0] = loc[0] = '\0';
        } else if (in_dev) {
            const char *v;
            if ((v = field(line, "Size")))
                populated = isdigit((unsigned char)*v) != 0;
            else if ((v = field(line, "Speed")))
                speed = atof(v);
            else if ((v = field(line, "Configured Memory Speed")) ||
                     (v = field(line, "Configured Clock Speed")))
                conf = atof(v);
            else if ((v = field(line, "Data Width")))
                width = atoi(v);
            else if ((v = field(line, "Bank Locator")))
                snprintf(bank, sizeof bank, "%s", v);
            else if ((v = field(line, "Locator")))
                snprintf(loc, sizeof loc, "%s", v);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    summarise(set, "dmidecode -t 17", out);
    int rc = set->n > 0 ? 0 : -1;
    free(set);
    return rc;
}

static unsigned char *slurp(const char *path, size_t *len, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = malloc(max);
    size_t n = buf ? fread(buf, 1, max, f) : 0;
    fclose(f);
    if (!buf || n == 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

void rl_memory_detect(rl_dram *out)
{
    rl_dram_init(out);
    size_t len = 0;
    unsigned char *buf = slurp("/sys/firmware/dmi/tables/DMI", &len, 1 << 20);
    if (buf) {
        rl_err err = {0};
        rl_dram d;
        int rc = rl_memory_parse_smbios(buf, len, "/sys/firmware/dmi/tables/DMI", &d, &err);
        free(buf);
        if (rc == 0 && d.gbs > 0) {
            *out = d;
            return;
        }
    }
    FILE *p = popen("dmidecode -t 17 2>/dev/null", "r");
    if (!p)
        return;
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap);
    if (text) {
        size_t got;
        while ((got = fread(text + n, 1, cap - n - 1, p)) > 0) {
            n += got;
            if (n + 1 >= cap)
                break;
        }
        text[n] = '\0';
    }
    pclose(p);
    if (text) {
        rl_dram d;
        if (rl_memory_parse_dmidecode(text, &d) == 0)
            *out = d;
        free(text);
    }
    if (out->gbs < 0 && out->devices == 0)
        snprintf(out->note, sizeof out->note,
                 "no SMBIOS memory-device records readable (needs root, or a VM exposes none): "
                 "give --mem-channels and --mem-mts");
}

void rl_memory_override(rl_dram *d, int channels, double mts)
{
    if (channels <= 0 && mts <= 0)
        return;
    int had = d->channels > 0 || d->mts > 0;
    if (channels > 0)
        d->channels = channels;
    if (mts > 0)
        d->mts = mts;
    if (channels > 0 && mts > 0)
        snprintf(d->source, sizeof d->source, "--mem-channels/--mem-mts");
    else if (had) {
        char from[sizeof d->source];
        snprintf(from, sizeof from, "%s", d->source);
        snprintf(d->source, sizeof d->source, "%.40s + %s", from,
                 channels > 0 ? "--mem-channels" : "--mem-mts");
    } else
        snprintf(d->source, sizeof d->source, "%s", channels > 0 ? "--mem-channels" : "--mem-mts");
    recompute(d);
    if (d->gbs < 0)
        snprintf(d->note, sizeof d->note, "%s given but the %s is unknown: give both",
                 channels > 0 ? "--mem-channels" : "--mem-mts",
                 channels > 0 ? "transfer rate" : "channel count");
    else
        snprintf(d->note, sizeof d->note, "%d channel%s x %.0f MT/s x %d bit", d->channels,
                 d->channels == 1 ? "" : "s", d->mts, d->bus_bits);
}
