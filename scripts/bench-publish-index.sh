#!/usr/bin/env bash
# bench-publish-index.sh: how fast the index of a large site renders (issue 20: under 1 s for
# 1,000 results). Generates N synthetic results (scripts/bench_publish_index.mjs: the fixtures with
# their figures scaled), publishes them with the built binary, prints the site's size and the
# publish time, then loads index.html 5 times in headless Chromium and prints the load time (HTML
# parsed, styled, laid out, script run) and the time of one sort of the table.
# Run on a quiet machine; needs chromium and tests/browser/node_modules (install-deps.sh --test).
#   scripts/bench-publish-index.sh [N=1000] [ROOFLINE=build/rel/roofline]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
bin=${2:-build/rel/roofline}
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { echo "needs chromium (scripts/install-deps.sh --test)" >&2; exit 1; }
[ -x "$bin" ] || { echo "needs $bin (make)" >&2; exit 1; }
[ -d tests/browser/node_modules/puppeteer-core ] || {
    echo "needs tests/browser/node_modules (cd tests/browser && npm ci)" >&2; exit 1; }
work=$(mktemp -d /tmp/roofline-bench-publish-XXXXXX)
trap 'rm -rf "$work"' EXIT
node scripts/bench_publish_index.mjs make "$work/results" "$n"
start=$(date +%s.%N)
"$bin" publish "$work"/results/*.json --out "$work/site" -q
end=$(date +%s.%N)
echo "published $n results: $(du -sh "$work/site" | cut -f1) in $(echo "$end - $start" | bc) s;" \
    "index.html $(du -k "$work/site/index.html" | cut -f1) kB"
CHROMIUM="$chrome" node scripts/bench_publish_index.mjs time "$work/site/index.html"
