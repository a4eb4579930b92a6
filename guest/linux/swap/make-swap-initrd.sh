#!/usr/bin/env bash
# The committed initramfs plus /bin/unum-swapon (unum-swapon.c), for the
# memory-cliff experiment's "Linux swaps to a virtio disk" configuration,
# appended as a second cpio by ../append-initrd.sh (busybox has no
# mkswap/swapon). Nothing committed is rebuilt. Needs riscv64-linux-gnu-gcc
# (static) and cpio.
# Usage: make-swap-initrd.sh OUT [INITRAMFS]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: make-swap-initrd.sh OUT [INITRAMFS]" >&2; exit 2; }
OUT="$1"
INITRAMFS="${2:-$HERE/../out/initramfs.cpio.gz}"
[ -f "$INITRAMFS" ] || { echo "make-swap-initrd.sh: no $INITRAMFS" >&2; exit 2; }
for t in riscv64-linux-gnu-gcc cpio; do
  command -v "$t" >/dev/null || { echo "make-swap-initrd.sh: $t not found (guest/linux/README.md)" >&2; exit 2; }
done
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -O2 -Wall -Wextra -Werror -static -s -Wl,--build-id=none \
  "$HERE/unum-swapon.c" -o "$TMP/unum-swapon"
"$HERE/../append-initrd.sh" "$OUT" "$INITRAMFS" "$TMP/unum-swapon"
