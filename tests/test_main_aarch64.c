/* test_main_aarch64.c: the main job end to end on AArch64: it measures, writes every report, marks
 * its figures as emulated under qemu, and `roofline model` and `compare` (against an x86 result)
 * read its JSON. Built in the aarch64 suite only. Under qemu it runs at one vector length
 * (QEMU_CPU with sve256, the run-tests-cross.sh setting that exercises SVE and SME) and says
 * SKIP at the others; on an ARM host it always runs. Nothing here asserts a speed. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"

Test(main_aarch64, quick_run_writes_every_report_and_model_and_compare_read_it, .timeout = 240)
{
    const char *qcpu = getenv("QEMU_CPU");
    if (qcpu && !strstr(qcpu, "sve256"))
        cr_skip_test("SKIP: the end-to-end run goes once per suite, at QEMU_CPU=max,sve256=on");
    char dir[64]; /* rl_test_tmpdir's buffer is reused by rl_test_run */
    snprintf(dir, sizeof dir, "%s", rl_test_tmpdir());
    char args[2048];
    snprintf(args, sizeof args,
             "--quick --threads 1 -q --json %s/arm.json --svg %s/arm.svg --markdown %s/arm.md "
             "--csv %s/arm.csv",
             dir, dir, dir, dir);
    char *out = NULL;
    cr_assert_eq(rl_test_run(args, &out, NULL), 0, "the main job runs");
    cr_assert(out && strstr(out, "Compute ceilings"), "the terminal report");
    if (qcpu)
        cr_assert(strstr(out, "EMULATED"), "the terminal report says its figures are emulated");
    free(out);
    static const char *const files[] = {"arm.json", "arm.svg", "arm.md", "arm.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        char *text = rl_test_slurp(path, &len);
        cr_assert(text && len > 100, "%s written", files[i]);
        if (qcpu && strcmp(files[i], "arm.md") == 0)
            cr_assert(strstr(text, "Emulated"), "%s says its figures are emulated", files[i]);
        free(text);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/arm.json", dir);
    cJSON *d = rl_test_json_file(path);
    const cJSON *meta = cJSON_GetObjectItem(d, "meta");
    const char *emu = cJSON_GetStringValue(cJSON_GetObjectItem(meta, "emulated"));
    if (qcpu)
        cr_assert(emu && strstr(emu, "emulation"), "meta.emulated is set under qemu");
    const cJSON *flops = cJSON_GetObjectItem(d, "flops");
    cr_assert(cJSON_GetArraySize(flops) > 0, "compute rows measured");
    cJSON_Delete(d);

    snprintf(args, sizeof args, "model tests/data/decoder-llama-fp32.onnx --machine %s", path);
    cr_assert_eq(rl_test_run(args, &out, NULL), 0, "model reads the AArch64 result");
    cr_assert(out && strstr(out, "(measured: s"),
              "the model is placed on the measured SVE or SME peak: %s", out ? out : "");
    free(out);
    snprintf(args, sizeof args, "compare tests/data/icx-2s.json %s", path);
    cr_assert_eq(rl_test_run(args, &out, NULL), 0, "compare puts it beside an x86 result");
    cr_assert(out && strstr(out, "icx-2s"), "%s", out ? out : "");
    free(out);
}
