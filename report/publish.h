/* publish.h: a static site over many results (`roofline publish RESULTS... --out DIR`): one page
 * per input (a result's page, a fleet's, a model's: report/html*.h) and index.html, the table
 * users publish: one row per machine (a result's CPU, each of its GPUs, each node of a fleet that
 * answered): CPU or device, cores, clock, fp64 and fp32 peaks, DRAM and cache bandwidths, I_max,
 * efficiency against theory, date, version, each linked to its page, sortable, any two comparable
 * side by side (page.js); and a table of the models.
 *
 * A renderer: it takes documents already read (result/document.h) and returns the files' bytes;
 * common/sitedir.h writes them. The bytes depend on the inputs (and their order) only: no date or
 * name of this run goes in, so the same inputs give the same site, which a lab can keep in git. */
#ifndef RL_PUBLISH_H
#define RL_PUBLISH_H

#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"
#include "result/document.h"

typedef struct rl_publish_input {
    const char *source; /* the file it was read from (its name names the page) */
    const rl_document *doc;
} rl_publish_input;

typedef struct rl_publish_page {
    char name[96]; /* "zen3.html", "index.html" */
    rl_buf data;
} rl_publish_page;

typedef struct rl_publish_site {
    rl_publish_page *pages; /* the inputs' pages in input order, then index.html */
    size_t n;
} rl_publish_site;

/* Renders the site. Returns 0, or -1 with err (out of memory; a model document that is not a
 * model: RL_EXIT_INPUT). rl_publish_free accepts a zeroed site. */
int rl_publish(const rl_publish_input *in, size_t n, rl_publish_site *site, rl_err *err);
void rl_publish_free(rl_publish_site *site);

/* The page name of source file `source`: its base name without .json/.html, every byte but
 * letters, digits, '.', '_' and '-' as '-', ".html" added; "index" becomes "index-page". Names
 * already taken (`taken`, n of them) get "-2", "-3"... */
void rl_publish_page_name(const char *source, const rl_publish_page *taken, size_t n, char *out,
                          size_t size);

#endif
