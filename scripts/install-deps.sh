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
if [ "${1:-}" = "--test" ]; then
  packages+=(libonnx-testdata clang libclang-rt-14-dev chromium python3 iproute2)
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

# The aarch64 suite, on an x86-64 host with --test (docs/arm.md): Debian's cross compiler, the arm64
# multiarch libraries, qemu-user-static, Criterion's arm64 build and the binfmt_misc entry that
# lets Criterion re-execute itself under qemu. Every step that cannot be done here (no root, a
# container that refuses binfmt_misc) is said and left: `make test` then says SKIP for that suite.
if [ "${1:-}" = "--test" ] && [ "$(uname -m)" = x86_64 ] && [ "${RL_CROSS:-1}" != 0 ]; then
  exec "$(dirname "$0")/install-cross-aarch64.sh"
fi
