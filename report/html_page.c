/* html_page.c: escaping, tables and page assembly (see html_page.h). */
#include "report/html_page.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_assets.h"

void rl_html_text(rl_buf *b, const char *s)
{
    rl_buf_xml_escape(b, s ? s : "");
}

void rl_html_textf(rl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rl_html_text(b, s);
    free(s);
}

void rl_html_table(rl_buf *b, const rl_table *t, const char *id, const char *cls)
{
    if (t->rows == 0)
        return;
    rl_buf_printf(b, "<div class=\"scroll\"><table");
    if (id)
        rl_buf_printf(b, " id=\"%s\"", id);
    if (cls && cls[0])
        rl_buf_printf(b, " class=\"%s\"", cls);
    rl_buf_printf(b, ">\n<thead><tr>");
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = t->cells[c];
        rl_buf_printf(b, "<th scope=\"col\"%s>", t->align[c] == 'r' ? " class=\"num\"" : "");
        rl_html_text(b, s);
        rl_buf_printf(b, "</th>");
    }
    rl_buf_printf(b, "</tr></thead>\n<tbody>\n");
    for (size_t r = 1; r < t->rows; r++) {
        rl_buf_printf(b, "<tr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            rl_buf_printf(b, "<td%s>", t->align[c] == 'r' ? " class=\"num\"" : "");
            rl_html_text(b, s);
            rl_buf_printf(b, "</td>");
        }
        rl_buf_printf(b, "</tr>\n");
    }
    rl_buf_printf(b, "</tbody></table></div>\n");
}

void rl_html_kv_begin(rl_buf *b)
{
    rl_buf_printf(b, "<div class=\"scroll\"><table class=\"kv\"><tbody>\n");
}

void rl_html_kv(rl_buf *b, const char *key, const char *value)
{
    rl_buf_printf(b, "<tr><th scope=\"row\">");
    rl_html_text(b, key);
    rl_buf_printf(b, "</th><td>");
    rl_html_text(b, value && value[0] ? value : "-");
    rl_buf_printf(b, "</td></tr>\n");
}

void rl_html_kv_end(rl_buf *b)
{
    rl_buf_printf(b, "</tbody></table></div>\n");
}

void rl_html_lines(rl_buf *b, const char *lines, const char *cls)
{
    if (!lines || !*lines)
        return;
    rl_buf_printf(b, "<ul class=\"%s\">\n", cls);
    while (*lines) {
        const char *nl = strchr(lines, '\n');
        size_t len = nl ? (size_t)(nl - lines) : strlen(lines);
        char *line = strndup(lines, len);
        if (!line) {
            b->failed = 1;
            return;
        }
        rl_buf_printf(b, "<li>");
        rl_html_text(b, line);
        rl_buf_printf(b, "</li>\n");
        free(line);
        lines += len + (nl ? 1 : 0);
    }
    rl_buf_printf(b, "</ul>\n");
}

/* The JSON with every '<' as \u003c: '<' only occurs inside JSON strings, where the escape reads
 * back as the same character, and no "</script>" or "<!--" can end the data block early. The
 * white space between tokens is left out (the writers indent for people; a page is weighed). */
static void json_block(rl_buf *b, const char *json)
{
    int in_string = 0;
    const char *run = json; /* the bytes not yet copied */
    for (const char *p = json; *p; p++) {
        char c = *p;
        if (in_string) {
            if (c == '\\' && p[1])
                p++;
            else if (c == '"')
                in_string = 0;
            else if (c == '<') {
                rl_buf_append(b, run, (size_t)(p - run));
                rl_buf_append(b, "\\u003c", 6);
                run = p + 1;
            }
        } else if (c == '"') {
            in_string = 1;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            rl_buf_append(b, run, (size_t)(p - run));
            run = p + 1;
        }
    }
    rl_buf_append(b, run, strlen(run));
}

int rl_html_page(rl_buf *out, const char *kind, const char *title, const rl_buf *body,
                 const char *json, rl_err *err)
{
    const char *tpl = (const char *)rl_html_page_html;
    const char *end = tpl + rl_html_page_html_len;
    while (tpl < end) {
        const char *open = strstr(tpl, "{{");
        if (!open) {
            rl_buf_append(out, tpl, (size_t)(end - tpl));
            break;
        }
        rl_buf_append(out, tpl, (size_t)(open - tpl));
        const char *close = strstr(open, "}}");
        if (!close)
            return rl_err_set(err, RL_EXIT_RUNTIME, "page template: '{{' without '}}'");
        size_t n = (size_t)(close - open - 2);
        const char *key = open + 2;
        if (n == 7 && !strncmp(key, "version", n))
            rl_html_text(out, RL_VERSION);
        else if (n == 5 && !strncmp(key, "title", n))
            rl_html_text(out, title);
        else if (n == 4 && !strncmp(key, "kind", n))
            rl_html_text(out, kind);
        else if (n == 5 && !strncmp(key, "style", n))
            rl_buf_append(out, (const char *)rl_html_page_css, rl_html_page_css_len);
        else if (n == 6 && !strncmp(key, "script", n))
            rl_buf_append(out, (const char *)rl_html_page_js, rl_html_page_js_len);
        else if (n == 4 && !strncmp(key, "body", n))
            rl_buf_append(out, body->data ? body->data : "", body->len);
        else if (n == 4 && !strncmp(key, "data", n))
            json_block(out, json ? json : "null");
        else
            return rl_err_set(err, RL_EXIT_RUNTIME, "page template: unknown field '{{%.*s}}'",
                              (int)n, key);
        tpl = close + 2;
    }
    if (out->failed || body->failed)
        return rl_err_set(err, RL_EXIT_RUNTIME, "out of memory while writing the HTML page");
    return 0;
}
