/* cmds.h: the subcommands. Each takes the arguments after its name (argv[0] is the subcommand name,
 * as getopt_long expects) and returns an exit code (RL_EXIT_*). cli/ only parses, calls the
 * measurement job (runner/job.h: its flags map onto an rl_plan) or the model analysis (model/), and
 * renders (report/, model/output.h): measuring lives in runner/, deriving in probes/.
 */
#ifndef RL_CMDS_H
#define RL_CMDS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

int rl_cmd_main(int argc, char **argv);  /* `roofline` alone: measure this machine (cmd_main.c) */
int rl_cmd_probe(int argc, char **argv); /* cmd_probe.c */
int rl_cmd_flops(int argc, char **argv); /* cmd_flops.c */
int rl_cmd_bandwidth(int argc, char **argv); /* cmd_bandwidth.c */
int rl_cmd_latency(int argc, char **argv);   /* cmd_latency.c */
int rl_cmd_report(int argc, char **argv);    /* cmd_report.c */
int rl_cmd_compare(int argc, char **argv);   /* cmd_report.c */
int rl_cmd_model(int argc, char **argv);     /* cmd_model.c */
int rl_cmd_gpu(int argc, char **argv);       /* cmd_gpu.c */
int rl_cmd_publish(int argc, char **argv);   /* cmd_publish.c */

/* Diagnostics, on stderr, as "roofline: error: ..." / "roofline: warning: ...". */
void rl_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rl_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Usage errors name the flag; `cmd` is "roofline probe" etc. Prints
 *   roofline: error: --clock: 'abc' is not a number (see 'roofline probe --help')
 * and returns RL_EXIT_USAGE. */
int rl_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* getopt_long's '?' case: names the unknown option ("-z" inside "-qz", "--bogus") and returns
 * RL_EXIT_USAGE. */
int rl_cli_unknown_option(const char *cmd, char **argv);

/* Strict number parsing for flag values: the whole string must be a number in [lo, hi].
 * Return 0 on success, -1 (nothing printed) otherwise. */
int rl_cli_parse_double(const char *s, double lo, double hi, double *out);
int rl_cli_parse_int(const char *s, long lo, long hi, long *out);
/* A size per thread ("16K", "256KiB", "4M", "1G", "4096": K, M, G are powers of 1024) from 4 KiB to
 * 1024 GiB; -1 when it is not one. */
int rl_cli_parse_size(const char *s, uint64_t *out);
/* A comma-separated list of names into a bit mask (bit lookup(name)); -1 with the bad element (or
 * the whole list when it is empty or has empty elements) in `bad`. */
int rl_cli_parse_names(const char *list, int (*lookup)(const char *), unsigned *mask, char *bad,
                       size_t bad_size);

/* A command's output flags, checked before any work: at most one may be '-' (stdout), else a usage
 * error naming both flags; every file must be writable (rl_outfile_check), else a run-time error
 * naming the file. Prints the error; returns RL_EXIT_OK, RL_EXIT_USAGE or RL_EXIT_RUNTIME. Entries
 * with a NULL path are skipped. */
typedef struct rl_cli_output {
    const char *flag; /* "--json" */
    const char *path; /* NULL: not wanted */
} rl_cli_output;
int rl_cli_check_outputs(const char *cmd, const rl_cli_output *outs, unsigned long n);

/* Installs SIGINT/SIGTERM handlers that set the returned flag (give it to rl_run_opts.stop); the
 * handlers reset themselves, so a second Ctrl-C ends the process (cli/stop.c). */
volatile sig_atomic_t *rl_cli_stop_flag(void);

/* The process's command line as one string, for rl_meta.command_line (saved by main). */
void rl_cli_save_command_line(int argc, char **argv);
void rl_cli_command_line(char *out, unsigned long size);

#endif
