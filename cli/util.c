/* util.c: diagnostics and strict flag-value parsing shared by the subcommands. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cmds.h"
#include "common/err.h"
#include "common/outfile.h"

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "roofline: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void rl_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("error", fmt, ap);
    va_end(ap);
}

void rl_cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning", fmt, ap);
    va_end(ap);
}

int rl_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("roofline: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see '%s --help')\n", cmd);
    return RL_EXIT_USAGE;
}

int rl_cli_unknown_option(const char *cmd, char **argv)
{
    /* a short option (alone or in a cluster) sets optopt; optind may still point at its cluster */
    if (optopt && optopt != '?')
        return rl_cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return rl_cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int rl_cli_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    /* decimal only: strtod would also take " 2", "0x1p3", "infinity" */
    if (!s || !*s || isspace((unsigned char)*s) || strpbrk(s, "xX"))
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int rl_cli_parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int rl_cli_check_outputs(const char *cmd, const rl_cli_output *outs, unsigned long n)
{
    const char *stdout_flag = NULL;
    for (unsigned long i = 0; i < n; i++) {
        if (outs[i].path && !*outs[i].path)
            return rl_cli_usage_error(cmd, "%s: needs a file name or '-'", outs[i].flag);
        if (!outs[i].path || strcmp(outs[i].path, "-") != 0)
            continue;
        if (stdout_flag)
            return rl_cli_usage_error(cmd, "%s: stdout ('-') is already taken by %s", outs[i].flag,
                                      stdout_flag);
        stdout_flag = outs[i].flag;
    }
    for (unsigned long i = 0; i < n; i++) {
        rl_err err = {0};
        if (outs[i].path && rl_outfile_check(outs[i].path, &err) != 0) {
            rl_cli_error("%s %s", outs[i].flag, err.msg);
            return RL_EXIT_RUNTIME;
        }
    }
    return RL_EXIT_OK;
}

int rl_cli_parse_size(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    double v = strtod(s, &end);
    if (end == s || !(v > 0))
        return -1;
    double mult = 1;
    if (*end) {
        char unit = (char)(*end >= 'a' && *end <= 'z' ? *end - 32 : *end);
        const char *rest = end + 1;
        if (unit == 'K')
            mult = 1024.0;
        else if (unit == 'M')
            mult = 1024.0 * 1024;
        else if (unit == 'G')
            mult = 1024.0 * 1024 * 1024;
        else if (unit == 'B')
            rest = end + 1, mult = 1;
        else
            return -1;
        if (unit != 'B' && *rest && strcasecmp(rest, "iB") != 0 && strcasecmp(rest, "B") != 0)
            return -1;
        if (unit == 'B' && *rest)
            return -1;
    }
    v *= mult;
    if (v < 4096 || v > 1024.0 * 1024 * 1024 * 1024)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int rl_cli_parse_names(const char *list, int (*lookup)(const char *), unsigned *mask, char *bad,
                       size_t bad_size)
{
    char buf[256];
    if (strlen(list) >= sizeof buf || !*list) {
        snprintf(bad, bad_size, "%.40s", list);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", list);
    *mask = 0;
    char *save = NULL;
    int count = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int v = lookup(tok);
        if (v < 0) {
            snprintf(bad, bad_size, "%.60s", tok);
            return -1;
        }
        *mask |= 1u << v;
        count++;
    }
    if (count == 0 || list[strlen(list) - 1] == ',' || list[0] == ',' || strstr(list, ",,")) {
        snprintf(bad, bad_size, "%.40s", list);
        return -1;
    }
    return 0;
}

static char saved_cmdline[512];

void rl_cli_save_command_line(int argc, char **argv)
{
    size_t used = 0;
    saved_cmdline[0] = '\0';
    for (int i = 0; i < argc && used < sizeof saved_cmdline; i++) {
        int n = snprintf(saved_cmdline + used, sizeof saved_cmdline - used, "%s%s", i ? " " : "",
                         argv[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

void rl_cli_command_line(char *out, unsigned long size)
{
    snprintf(out, size, "%s", saved_cmdline);
}
