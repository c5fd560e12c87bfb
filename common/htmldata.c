/* htmldata.c: the JSON inside a page (see htmldata.h). */
#include "common/htmldata.h"

#include <string.h>

int rl_htmldata_is_html(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')
            continue;
        return text[i] == '<';
    }
    return 0;
}

/* memmem over a length-bounded text (the file need not end in a NUL). */
static const char *find(const char *hay, size_t len, const char *needle)
{
    return memmem(hay, len, needle, strlen(needle));
}

int rl_htmldata_find(const char *text, size_t len, size_t *start, size_t *n)
{
    const char *open = find(text, len, "id=\"" RL_HTMLDATA_ID "\"");
    if (!open)
        return -1;
    const char *gt = memchr(open, '>', len - (size_t)(open - text));
    if (!gt)
        return -1;
    const char *body = gt + 1;
    const char *close = find(body, len - (size_t)(body - text), "</script>");
    if (!close)
        return -1;
    *start = (size_t)(body - text);
    *n = (size_t)(close - body);
    return 0;
}

int rl_htmldata_unwrap(char *text, size_t *len, const char *path, rl_err *err)
{
    if (!rl_htmldata_is_html(text, *len))
        return 0;
    size_t start = 0, n = 0;
    if (rl_htmldata_find(text, *len, &start, &n) != 0)
        return rl_err_set(err, RL_EXIT_INPUT,
                          "%s: an HTML page without roofline's data element (<script id=\"%s\">)",
                          path, RL_HTMLDATA_ID);
    memmove(text, text + start, n);
    text[n] = '\0';
    *len = n;
    return 0;
}
