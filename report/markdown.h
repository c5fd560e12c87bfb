/* markdown.h: publishable Markdown (`--markdown FILE`): how the result was made (tool version,
 * date, compiler, command line, settings), the machine, the compute, memory and ridge tables,
 * warnings. */
#ifndef RL_MARKDOWN_H
#define RL_MARKDOWN_H

#include "common/buf.h"
#include "common/err.h"
#include "result/result.h"

/* Appends the Markdown document to `b`. Returns 0, or -1 with err on allocation failure. */
int rl_report_markdown(rl_buf *b, const rl_result *r, rl_err *err);

#endif
