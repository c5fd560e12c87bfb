#!/usr/bin/env bash
# The aarch64 suite under qemu-user (docs/arm.md).
#   run-tests-cross.sh aarch64        from an x86-64 `make test`: checks the cross toolchain and
#                                     Criterion's arm64 build, then `make ARCH=aarch64 test`
#   run-tests-cross.sh --run TESTBIN  from `make ARCH=aarch64 test`: runs the cross-built suite at
#                                     every vector length below
# Where something is missing it prints one line starting "SKIP: aarch64 suite:" with the reason
# and exits 0: the x86 suite has run, and a skipped suite is named, never silent.
# The emulated CPUs: SVE off (NEON only), SVE at 128, 256 and 512 bits; qemu's `max` also has SME
# (streaming vectors) and reports it in HWCAP2. Emulated timings mean nothing: the suite asserts
# results, FLOP counts and instruction counts, never a time.
set -euo pipefail
cd "$(dirname "$0")/.."

CPUS=${RL_QEMU_CPUS:-"max,sve=off max,sve128=on max,sve256=on max,sve512=on"}
CROSS_CRITERION=${CROSS_CRITERION:-/opt/roofline-cross/criterion-aarch64}
skip() { echo "SKIP: aarch64 suite: $*"; exit 0; }

binfmt_ok() {
    [ -r /proc/sys/fs/binfmt_misc/qemu-aarch64 ] &&
        head -1 /proc/sys/fs/binfmt_misc/qemu-aarch64 | grep -qx enabled
}

if [ "${1:-}" = aarch64 ]; then
    [ "${RL_CROSS:-1}" != 0 ] || skip "RL_CROSS=0"
    command -v aarch64-linux-gnu-gcc >/dev/null ||
        skip "no cross compiler (gcc-aarch64-linux-gnu; scripts/install-deps.sh --test installs it)"
    [ -f "$CROSS_CRITERION/usr/lib/aarch64-linux-gnu/libcriterion.so" ] ||
        skip "no Criterion for arm64 in $CROSS_CRITERION (scripts/install-cross-aarch64.sh)"
    binfmt_ok || skip "qemu-aarch64 is not registered with binfmt_misc (needs root once:" \
        "scripts/install-cross-aarch64.sh)"
    echo "aarch64 suite: cross-built, run under qemu-user at: $CPUS"
    exec make --no-print-directory ARCH=aarch64 test
fi

[ "${1:-}" = --run ] && [ $# -eq 2 ] || { echo "usage: $0 aarch64 | --run TESTBIN" >&2; exit 2; }
testbin=$2
case "$(uname -m)" in
aarch64) exec scripts/run-tests.sh "$testbin" ;; # a real ARM host: this CPU, no emulation
esac
binfmt_ok || skip "qemu-aarch64 is not registered with binfmt_misc"
# AddressSanitizer's shadow memory does not fit qemu-user's address space: the suite's sanitizer
# build is UndefinedBehaviorSanitizer only (the Makefile drops address for cross builds).
# The browser tests (pages, not code paths that differ by architecture) run in the host's suite.
for cpu in $CPUS; do
    echo "aarch64 suite: QEMU_CPU=$cpu"
    QEMU_CPU=$cpu RL_EMULATED="qemu-user $cpu" RL_FLEET_TESTS=0 RL_BROWSER_TESTS=0 \
        scripts/run-tests.sh "$testbin"
done
