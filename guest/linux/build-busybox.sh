#!/usr/bin/env bash
# Cross-build a static riscv64 busybox from Debian's busybox source package:
# allnoconfig + busybox.config (merged, then oldconfig), checked, reproducible.
# Usage: build-busybox.sh [WORKDIR] [OUT_BINARY]
#   WORKDIR    default /var/tmp/unum-busybox-build (outside the repo)
#   OUT_BINARY default guest/linux/build/busybox (+ OUT_BINARY.links: applet paths)
# Env: BUSYBOX_VERSION (default the one the committed initramfs was built from)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
[ $# -le 2 ] || { echo "usage: build-busybox.sh [WORKDIR] [OUT_BINARY]" >&2; exit 2; }
WORK="${1:-/var/tmp/unum-busybox-build}"
OUT="${2:-$HERE/build/busybox}"
command -v riscv64-linux-gnu-gcc >/dev/null || { echo "missing riscv64-linux-gnu-gcc: apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross" >&2; exit 2; }
command -v dpkg-source >/dev/null || { echo "missing dpkg-source: apt-get install dpkg-dev" >&2; exit 2; }
BUSYBOX_VERSION="${BUSYBOX_VERSION:-1:1.35.0-4+deb12u1}"
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1767225600}" KCONFIG_NOTIMESTAMP=1

mkdir -p "$WORK"
SRC="$(find "$WORK" -maxdepth 1 -type d -name 'busybox-*' | sort | tail -n1)"
if [ -z "$SRC" ]; then
  "$HERE/deb-src.sh"
  # Pinned: the committed initramfs is this version's busybox.
  (cd "$WORK" && apt-get source -qq "busybox=$BUSYBOX_VERSION")
  SRC="$(find "$WORK" -maxdepth 1 -type d -name 'busybox-*' | sort | tail -n1)"
fi
[ -n "$SRC" ] || { echo "build-busybox.sh: apt-get source busybox gave no busybox-* dir in $WORK" >&2; exit 1; }
echo "busybox source: $SRC ($(cd "$SRC" && dpkg-parsechangelog -S Version))"

MAKE=(nice -n 15 make -C "$SRC" -j2)
"${MAKE[@]}" -s distclean >/dev/null
"${MAKE[@]}" -s allnoconfig >/dev/null
"$HERE/merge-fragment.sh" "$SRC/.config" "$HERE/busybox.config"
# Symbols the fragment made visible get their defaults (Enter to every question).
{ yes "" || true; } | "${MAKE[@]}" -s oldconfig >/dev/null
"$HERE/check-config.sh" "$HERE/busybox.config" "$SRC/.config"
start=$(date +%s)
"${MAKE[@]}" -s busybox busybox.links
echo "busybox built in $(( $(date +%s) - start )) s"
mkdir -p "$(dirname "$OUT")"
cp "$SRC/busybox" "$OUT"
cp "$SRC/busybox.links" "$OUT.links"   # applet paths, for the initramfs symlinks
ls -l "$OUT"
