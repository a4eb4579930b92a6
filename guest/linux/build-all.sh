#!/usr/bin/env bash
# Build everything guest/linux/out holds: kernel Image (+ its .config),
# busybox, the initramfs, and SHA256SUMS over them.
# Usage: build-all.sh [OUT_DIR] [WORK_BASE]
#   OUT_DIR   default guest/linux/out
#   WORK_BASE default: the scripts' own work dirs under /var/tmp;
#             else WORK_BASE/{linux,busybox} (a fresh tree: ~1.2 GB, ~10 min)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
[ $# -le 2 ] || { echo "usage: build-all.sh [OUT_DIR] [WORK_BASE]" >&2; exit 2; }
OUT="${1:-$HERE/out}"
KWORK=/var/tmp/unum-linux-build BWORK=/var/tmp/unum-busybox-build BB="$HERE/build/busybox"
if [ $# -eq 2 ]; then KWORK="$2/linux" BWORK="$2/busybox" BB="$2/busybox-bin/busybox"; fi
mkdir -p "$OUT"
"$HERE/build-kernel.sh" "$KWORK" "$OUT/Image"
"$HERE/build-busybox.sh" "$BWORK" "$BB"
"$HERE/build-initramfs.sh" "$OUT/initramfs.cpio.gz" "$BB" "$KWORK"
(cd "$OUT" && sha256sum Image Image.config initramfs.cpio.gz > SHA256SUMS)
cat "$OUT/SHA256SUMS"
