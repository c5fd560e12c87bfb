/* main.c: `roofline` entry point. Finds the subcommand and hands it the rest of the arguments. */
#include <stdio.h>
#include <string.h>

#include "cli/cmds.h"
#include "common/err.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"probe", rl_cmd_probe, "identify the machine and derive its theoretical roofline"},
    {"flops", rl_cmd_flops, "measure peak FLOP/s per ISA, precision and thread count"},
    {"bandwidth", rl_cmd_bandwidth, "measure bandwidth per cache level and DRAM"},
    {"latency", rl_cmd_latency, "measure memory latency per level, loaded, and across NUMA nodes"},
    {"report", rl_cmd_report, "re-render saved results (terminal, Markdown, CSV, SVG, HTML)"},
    {"compare", rl_cmd_compare, "put saved results side by side"},
    {"model", rl_cmd_model, "place an ONNX model on a roofline"},
    {"gpu", rl_cmd_gpu, "measure the NVIDIA GPUs (CUDA plugin): peaks, bandwidths, ridges"},
    {"publish", rl_cmd_publish, "a static web site over saved results, fleets and models"},
};

static void print_help(void)
{
    printf("roofline %s: measure this machine's roofline and place models on it\n\n"
           "Usage: roofline [OPTIONS]            measure this machine and print its roofline\n"
           "       roofline COMMAND [OPTIONS]    run one part\n"
           "       roofline COMMAND --help       options and examples of one command\n\n"
           "Commands:\n",
           RL_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    printf("\nExit codes: 0 ok, 1 run-time failure, 2 usage error, 3 bad input file.\n"
           "`roofline --help-main` lists the options of the main job.\n");
}

int main(int argc, char **argv)
{
    rl_cli_save_command_line(argc, argv);
    if (argc >= 2) {
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (strcmp(argv[1], commands[i].name) == 0)
                return commands[i].run(argc - 1, argv + 1);
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
            strcmp(argv[1], "help") == 0) {
            print_help();
            return RL_EXIT_OK;
        }
        if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
            printf("roofline %s\n", RL_VERSION);
            return RL_EXIT_OK;
        }
        if (argv[1][0] != '-')
            return rl_cli_usage_error("roofline", "unknown command '%s'", argv[1]);
    }
    return rl_cmd_main(argc, argv);
}
