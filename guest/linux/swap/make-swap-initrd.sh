#!/usr/bin/env bash
# The committed initramfs plus /bin/unum-swapon (unum-swapon.c), for the
# memory-cliff experiment's "Linux swaps to a virtio disk" configuration.
# Linux unpacks concatenated initramfs archives in order, so the tool rides
# in a second, uncompressed cpio appended after the gzip one (padded to 4
# bytes, where the kernel looks for the next archive). Nothing committed is
# rebuilt. Needs riscv64-linux-gnu-gcc (static) and cpio.
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
mkdir -p "$TMP/root/bin"
riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -O2 -Wall -Wextra -Werror -static -s -Wl,--build-id=none \
  "$HERE/unum-swapon.c" -o "$TMP/root/bin/unum-swapon"
(cd "$TMP/root" && printf 'bin\nbin/unum-swapon\n' | cpio -o -H newc --quiet -R 0:0 > "$TMP/tool.cpio")
cp "$INITRAMFS" "$TMP/initrd"
pad=$(( (4 - $(stat -c %s "$TMP/initrd") % 4) % 4 ))
head -c "$pad" /dev/zero >> "$TMP/initrd"
cat "$TMP/tool.cpio" >> "$TMP/initrd"
mv "$TMP/initrd" "$OUT"
