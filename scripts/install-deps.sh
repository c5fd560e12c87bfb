#!/usr/bin/env bash
# Installs what roofline needs to build and test, from Debian's packages. Idempotent: when every
# package is already installed it does nothing, so `make run` and `make test` can call it every time.
set -euo pipefail

packages=(
  build-essential pkg-config
  libhwloc-dev hwloc          # topology and pinning; lstopo makes synthetic test topologies
  libcjson-dev                # the result JSON
  libcriterion-dev            # tests
  binutils                    # objdump: the tests check the built kernels' instructions
  clang-format
  openmpi-bin libopenmpi-dev  # roofline-fleet (optional: make skips it where mpicc is missing)
)
# CPU identity and the CPUID dumps in ../shared/fixtures: x86 only (probes/cpu_x86.c), and Debian
# builds libcpuid for x86 only.
case "$(uname -m)" in
  x86_64) packages+=(libcpuid-dev) ;;
esac
# Only the tests need these: ONNX backend node tests, libFuzzer's runtime, Chromium for the SVG check,
# iproute2 for the fleet tests' network-namespace hosts (tests/fleet/).
# Node.js drives Chromium in the browser tests of the HTML pages (tests/browser/); a node already on
# PATH (with its npm) is used as it is.
if [ "${1:-}" = "--test" ]; then
  packages+=(libonnx-testdata clang libclang-rt-14-dev chromium python3 iproute2)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
  echo "roofline: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser tests' driver (puppeteer-core, pngjs), from npm at the versions
# tests/browser/package-lock.json pins, into tests/browser/node_modules (git-ignored); again only
# when the lock file changed. Without it (no npm, no registry) the browser tests say SKIP.
if [ "${1:-}" = "--test" ]; then
  browser="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  if [ ! -f "$browser/node_modules/.package-lock.json" ] ||
     [ "$browser/package-lock.json" -nt "$browser/node_modules/.package-lock.json" ]; then
    if command -v npm >/dev/null 2>&1; then
      echo "roofline: installing the browser tests' driver (npm ci in tests/browser)" >&2
      (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
        echo "roofline: warning: npm ci failed in tests/browser: the browser tests will be skipped" >&2
    fi
  fi
fi

# The aarch64 suite, on an x86-64 host with --test (docs/arm.md): Debian's cross compiler, the arm64
# multiarch libraries, qemu-user-static, Criterion's arm64 build and the binfmt_misc entry that
# lets Criterion re-execute itself under qemu. Every step that cannot be done here (no root, a
# container that refuses binfmt_misc) is said and left: `make test` then says SKIP for that suite.
if [ "${1:-}" = "--test" ] && [ "$(uname -m)" = x86_64 ] && [ "${RL_CROSS:-1}" != 0 ]; then
  exec "$(dirname "$0")/install-cross-aarch64.sh"
fi
