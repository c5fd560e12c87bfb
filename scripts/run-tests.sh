#!/usr/bin/env bash
# Runs the Criterion test binary. Called by `make test` with RL_BIN, RL_BUILD and RL_SHARED set.
set -euo pipefail
testbin=$1
shift
# Sanitizer builds: fail on any report; leaks are checked too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Criterion runs each test in its own process; 2 jobs match a small machine and keep runs readable.
exec "$testbin" --jobs "${RL_TEST_JOBS:-2}" "$@"
