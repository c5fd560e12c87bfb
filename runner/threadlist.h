/* threadlist.h: the `--threads` value shared by every measuring command.
 *
 *   1,2       a list          1-64     a range (both ends included)      1,4-8  both
 *   all       every physical core (every hardware thread with --smt): the caller passes that as max
 *   sweep     1, 2, 4, 8, ... and max
 *
 * The result is sorted ascending without duplicates. Anything else, 0, a negative number, a count
 * above max or an empty element is RL_EXIT_USAGE with a message that quotes the bad part; the
 * caller prefixes the flag name ("--threads: ..."). */
#ifndef RL_THREADLIST_H
#define RL_THREADLIST_H

#include "common/err.h"

/* `out` has room for `max` entries (a valid list never has more); *n receives the count. */
int rl_threadlist_parse(const char *spec, int max, int *out, int *n, rl_err *err);

#endif
