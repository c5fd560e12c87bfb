#!/usr/bin/env bash
# Runs the Criterion test binary. Called by `make test` with RL_BIN, RL_BUILD and RL_SHARED set.
set -euo pipefail
testbin=$1
shift
# Sanitizer builds: fail on any report; leaks are checked too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(cd "$(dirname "$0")/.." && pwd)/tests/lsan.supp}
# Criterion runs each test in its own process; 2 jobs match a small machine and keep runs readable.
"$testbin" --jobs "${RL_TEST_JOBS:-2}" "$@"
# The HTML pages in headless Chromium (tests/browser/): with the whole suite only; SKIP where no
# browser or driver is installed.
if [ $# -eq 0 ] && [ "${RL_BROWSER_TESTS:-1}" != 0 ]; then
    "$(dirname "$0")/../tests/browser/run.sh"
fi
# The fleet (roofline-fleet over Open MPI on network-namespace hosts): with the whole suite only,
# not when Criterion was given a filter; each case says SKIPPED, with why, where it cannot run.
if [ $# -eq 0 ] && [ "${RL_FLEET_TESTS:-1}" != 0 ]; then
    "$(dirname "$0")/../tests/fleet/run-fleet-tests.sh"
fi
