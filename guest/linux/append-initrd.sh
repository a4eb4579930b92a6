#!/usr/bin/env bash
# The committed initramfs plus extra programs in /bin, without rebuilding it:
# Linux unpacks concatenated initramfs archives in order, so the programs
# ride in a second, uncompressed cpio appended after the gzip one (padded to
# 4 bytes, where the kernel looks for the next archive). QEMU's -initrd and
# unum's --initrd take the result as it is. Needs cpio.
# Usage: append-initrd.sh OUT INITRAMFS PROGRAM...
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: append-initrd.sh OUT INITRAMFS PROGRAM..." >&2; exit 2; }
OUT="$1"
INITRAMFS="$2"
shift 2
[ -f "$INITRAMFS" ] || { echo "append-initrd.sh: no $INITRAMFS" >&2; exit 2; }
command -v cpio >/dev/null || { echo "append-initrd.sh: cpio not found" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/root/bin"
list='bin\n'
for p in "$@"; do
  [ -f "$p" ] || { echo "append-initrd.sh: no $p" >&2; exit 2; }
  cp "$p" "$TMP/root/bin/"
  list="${list}bin/$(basename "$p")\n"
done
(cd "$TMP/root" && printf "$list" | cpio -o -H newc --quiet -R 0:0 > "$TMP/tool.cpio")
cp "$INITRAMFS" "$TMP/initrd"
pad=$(( (4 - $(stat -c %s "$TMP/initrd") % 4) % 4 ))
head -c "$pad" /dev/zero >> "$TMP/initrd"
cat "$TMP/tool.cpio" >> "$TMP/initrd"
mv "$TMP/initrd" "$OUT"
