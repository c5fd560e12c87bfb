#!/usr/bin/env bash
# Installs what the aarch64 suite needs on an x86-64 Debian host (called by install-deps.sh --test;
# idempotent: what is there already is left alone). What Debian offers and what it does not:
#  - gcc-aarch64-linux-gnu and qemu-user-static install normally; hwloc, cJSON, libc and Criterion's
#    own dependencies install as arm64 multiarch packages (dpkg --add-architecture arm64);
#  - libcriterion-dev:arm64 cannot be installed beside the amd64 one (libnanomsg5 is not
#    multi-arch), so its four packages are fetched with apt-get download and unpacked with dpkg -x
#    into a private folder, CROSS_CRITERION (the Makefile links the tests against it);
#  - Criterion forks and re-executes the test binary, so the kernel must run aarch64 binaries by
#    itself: the qemu-aarch64 binfmt_misc entry is registered here (as root; update-binfmts is not
#    in bookworm), with the multiarch libc as the loader's library path (QEMU_LD_PREFIX makes a
#    dynamically linked fork hang under qemu 7.2).
# Nothing here is fatal: a step that cannot be done is said, and `make test` says SKIP.
set -uo pipefail

CROSS_CRITERION=${CROSS_CRITERION:-/opt/roofline-cross/criterion-aarch64}
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
say() { echo "roofline: aarch64 suite: $*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

native=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user-static)
arm64=(libc6-dev:arm64 libgomp1:arm64 libubsan1:arm64 libhwloc-dev:arm64 libcjson-dev:arm64 libgit2-1.5:arm64
       libffi8:arm64)
criterion_debs=(libcriterion3 libcriterion-dev libboxfort-dev libnanomsg5)

missing=()
for p in "${native[@]}" "${arm64[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo dpkg --add-architecture arm64 || { say "cannot add the arm64 architecture"; exit 0; }
  fi
  say "installing ${missing[*]}"
  $sudo apt-get update -qq || say "apt-get update failed"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { say "cannot install ${missing[*]}"; exit 0; }
fi

if [ ! -f "$CROSS_CRITERION/usr/lib/aarch64-linux-gnu/libcriterion.so" ]; then
  tmp=$(mktemp -d)
  ( cd "$tmp" && chmod 755 . &&
    apt-get download "${criterion_debs[@]/%/:arm64}" >/dev/null 2>&1 ) ||
    { say "cannot download ${criterion_debs[*]} for arm64"; rm -rf "$tmp"; exit 0; }
  $sudo mkdir -p "$CROSS_CRITERION"
  for d in "$tmp"/*.deb; do $sudo dpkg -x "$d" "$CROSS_CRITERION"; done
  rm -rf "$tmp"
  say "Criterion for arm64 unpacked into $CROSS_CRITERION"
fi

# binfmt_misc: the entry qemu-user-static describes in /usr/share/binfmts/qemu-aarch64.
bm=/proc/sys/fs/binfmt_misc
if [ ! -e "$bm/qemu-aarch64" ]; then
  [ -e "$bm/register" ] || $sudo mount -t binfmt_misc binfmt_misc "$bm" 2>/dev/null ||
    { say "cannot mount binfmt_misc (a container without the privilege?)"; exit 0; }
  spec=/usr/share/binfmts/qemu-aarch64
  field() { sed -n "s/^$1 //p" "$spec"; }
  flags=""
  [ "$(field fix_binary)" = yes ] && flags+=F
  [ "$(field preserve)" = yes ] && flags+=P
  [ "$(field credentials)" = yes ] && flags+=C
  line=":qemu-aarch64:M:$(field offset):$(field magic):$(field mask):$(field interpreter):$flags"
  echo "$line" | $sudo tee "$bm/register" >/dev/null 2>&1 ||
    say "cannot register qemu-aarch64 with binfmt_misc"
fi
exit 0
