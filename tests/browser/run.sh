#!/usr/bin/env bash
# run.sh: the HTML pages in headless Chromium (tests/browser/pages.test.mjs). Called by
# scripts/run-tests.sh (RL_BIN: the binary under test, RL_SHARED: ../shared); writes one page of
# each type from the fixtures with that binary, publishes a site over them and runs the checks.
# Where the browser or its driver is missing, says SKIP with what is missing and succeeds: the rest
# of the suite still runs (scripts/install-deps.sh --test installs both).
#   RL_UPDATE_SCREENSHOTS=1 tests/browser/run.sh   rewrites docs/screenshots/*.png
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${RL_BIN:-build/rel/roofline}
shared=${RL_SHARED:-../shared}

skip() {
    echo "SKIP browser tests: $*"
    exit 0
}
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || skip "chromium not installed (scripts/install-deps.sh --test installs it)"
command -v node >/dev/null || skip "node not installed (scripts/install-deps.sh --test installs it)"
[ -d "$here/node_modules/puppeteer-core" ] && [ -d "$here/node_modules/pngjs" ] ||
    skip "puppeteer-core and pngjs not installed (cd tests/browser && npm ci)"

# The page script parses (a syntax error would otherwise show only as a page error below).
node --check report/html/page.js

out=$(mktemp -d /tmp/roofline-browser-XXXXXX)
keep=0
cleanup() { [ "$keep" = 1 ] || rm -rf "$out"; }
trap cleanup EXIT

d=tests/data
"$bin" report $d/zen3.json -q --html "$out/result.html"
"$bin" report $d/gpu-h200.json -q --html "$out/gpu.html"
"$bin" report $d/fleet.json -q --html "$out/fleet.html"
"$bin" compare $d/zen3.json $d/icx-2s.json -q --html "$out/compare.html"
"$bin" model "$shared/models/resnet50.onnx" --machine $d/zen3.json --html "$out/model.html" \
    --json "$out/resnet50.json" >/dev/null
"$bin" model $d/decoder-llama-fp32.onnx --dim batch=1 --dim sequence=1 \
    --sweep past_sequence=0,128,512,2048 --machine $d/zen3.json --html "$out/sweep.html" >/dev/null
"$bin" publish $d/zen3.json $d/fleet.json "$out/resnet50.json" $d/gpu-h200.json --out "$out/site" -q

if ! CHROMIUM="$chrome" RL_PAGES="$out" node "$here/pages.test.mjs"; then
    keep=1
    echo "browser tests failed: the pages (and any *-actual.png) are kept in $out"
    exit 1
fi
