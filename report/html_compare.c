/* html_compare.c: the comparison page (see html_compare.h). */
#include "report/html_compare.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/compare.h"
#include "report/html_chart.h"
#include "report/html_page.h"
#include "report/html_roof.h"
#include "report/view.h"

static char *inputs_json(const rl_result *const *rs, const char *const *names, size_t n,
                         rl_err *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "inputs") : NULL;
    int bad = !root || !arr || !cJSON_AddStringToObject(root, "schema", RL_COMPARE_SCHEMA);
    for (size_t k = 0; k < n && !bad; k++) {
        char *text = rl_result_to_json(rs[k], err);
        cJSON *res = text ? cJSON_Parse(text) : NULL;
        free(text);
        cJSON *o = cJSON_CreateObject();
        if (!res || !o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(res);
            cJSON_Delete(o);
            bad = 1;
            break;
        }
        bad |= !cJSON_AddStringToObject(o, "name", names[k]) ||
               !cJSON_AddItemToObject(o, "result", res);
    }
    char *out = bad ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    if (!out)
        rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing the comparison page");
    return out;
}

static void table(rl_buf *b, const rl_compare_row *rows, size_t nrows, size_t n)
{
    rl_buf_printf(b, "<div class=\"scroll\"><table id=\"comparison\" class=\"sortable "
                     "filterable\">\n<thead><tr><th scope=\"col\">figure</th><th "
                     "scope=\"col\">unit</th>");
    for (size_t k = 0; k < n; k++)
        rl_buf_printf(b, "<th scope=\"col\" class=\"num\">[%zu]</th>", k + 1);
    for (size_t k = 1; k < n; k++)
        rl_buf_printf(b, "<th scope=\"col\" class=\"num\">[%zu]/[1]</th>", k + 1);
    rl_buf_printf(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < nrows; i++) {
        const rl_compare_row *r = &rows[i];
        double best = -1;
        size_t known = 0;
        for (size_t k = 0; k < n; k++)
            if (r->v[k] >= 0) {
                known++;
                if (r->v[k] > best)
                    best = r->v[k];
            }
        rl_buf_printf(b, "<tr><td>");
        rl_html_text(b, r->label);
        rl_buf_printf(b, "</td><td>");
        rl_html_text(b, r->unit);
        rl_buf_printf(b, "</td>");
        for (size_t k = 0; k < n; k++) {
            char s[32];
            if (r->v[k] >= 0 && r->integer)
                snprintf(s, sizeof s, "%.6g", r->v[k]);
            else
                rl_view_num(s, sizeof s, r->v[k], "-");
            int better = r->higher_is_better && known > 1 && r->v[k] >= 0 && r->v[k] == best;
            rl_buf_printf(b, "<td class=\"num%s\"", better ? " better" : "");
            if (r->v[k] >= 0)
                rl_buf_printf(b, " data-v=\"%.17g\"", r->v[k]);
            rl_buf_printf(b, "%s>%s</td>", better ? " title=\"the higher figure\"" : "", s);
        }
        for (size_t k = 1; k < n; k++) {
            if (r->v[k] >= 0 && r->v[0] > 0)
                rl_buf_printf(b, "<td class=\"num\">%.2fx</td>", r->v[k] / r->v[0]);
            else
                rl_buf_printf(b, "<td class=\"num\">-</td>");
        }
        rl_buf_printf(b, "</tr>\n");
    }
    rl_buf_printf(b, "</tbody></table></div>\n");
}

int rl_report_compare_html(rl_buf *b, const rl_result *const *rs, const char *const *names,
                           size_t n, rl_err *err)
{
    rl_compare_row *rows = NULL;
    size_t nrows = 0;
    if (rl_compare_rows(rs, n, &rows, &nrows, err) != 0)
        return -1;
    char *json = inputs_json(rs, names, n, err);
    if (!json) {
        free(rows);
        return -1;
    }
    rl_buf body = {0};
    char name[160];
    rl_buf_printf(&body,
                  "<p class=\"lead\">%zu results side by side: measured figures, ratios to "
                  "[1]. In each row the higher figure is in bold and marked "
                  "\xe2\x96\xb2 (none for ridge points, where neither end is better).</p>\n"
                  "<h2 id=\"machines\">Machines</h2>\n<ol class=\"machines\">\n",
                  n);
    for (size_t k = 0; k < n; k++) {
        rl_view_machine_name(rs[k], name, sizeof name);
        rl_buf_printf(&body, "<li>");
        rl_html_textf(&body, "[%zu] %s: %s, %s, roofline %s%s", k + 1, names[k], name,
                      rs[k]->meta.date, rs[k]->meta.tool_version,
                      rs[k]->meta.partial ? ", PARTIAL" : "");
        rl_buf_printf(&body, "</li>\n");
    }
    rl_buf_printf(&body, "</ol>\n<h2 id=\"rooflines\">Rooflines overlaid</h2>\n");
    rl_hchart c = {0};
    snprintf(c.id, sizeof c.id, "chart-compare");
    snprintf(c.title, sizeof c.title, "%zu rooflines overlaid", n);
    static const char *const DASH[] = {NULL, "dash1", "dash2", "dash3"};
    for (size_t k = 0; k < n; k++) {
        char tag[32];
        snprintf(tag, sizeof tag, "[%zu]", k + 1);
        rl_html_roof_result(&c, rs[k], (int)k, tag, DASH[k % 4], 0);
        for (size_t d = 0; d < rs[k]->n_devices; d++)
            rl_html_roof_device(&c, &rs[k]->devices[d], (int)(k + n * (d + 1)), tag, DASH[k % 4],
                                0);
    }
    snprintf(c.desc, sizeof c.desc,
             "Log-log roofline chart of %zu machines: %zu ceilings and %zu ridge points, each "
             "labelled with its machine's number; the table below lists every figure.",
             n, c.n_roofs, c.n_points);
    rl_hchart_render(&body, &c,
                     "Each machine's lines have their own dash pattern and their labels start with "
                     "its number; theory is left to the tables. Hover or focus any line for its "
                     "value; the toggles above hide a machine, precision or level.");
    rl_hchart_free(&c);
    rl_buf_printf(&body, "<h2 id=\"figures\">Figures</h2>\n");
    table(&body, rows, nrows, n);
    free(rows);
    char title[256];
    snprintf(title, sizeof title, "Roofline comparison of %zu machines", n);
    int rc = rl_html_page(b, "compare", title, &body, json, err);
    rl_buf_free(&body);
    free(json);
    return rc;
}
