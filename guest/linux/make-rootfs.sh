#!/usr/bin/env bash
# Build an ext4 root file system image for a virtio disk (`unum run --drive
# file=IMG --append "root=/dev/vda rw init=/init ..."`) from what the
# initramfs holds: busybox, /init and the workloads. mke2fs -d (Debian's
# e2fsprogs) fills it from a directory, no root or loop device needed.
# The image is generated, never committed: tests build their own.
# Usage: make-rootfs.sh OUT [SIZE] [INITRAMFS]
#   SIZE      default 32M (mke2fs size syntax)
#   INITRAMFS default guest/linux/out/initramfs.cpio.gz
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] && [ $# -le 3 ] || { echo "usage: make-rootfs.sh OUT [SIZE] [INITRAMFS]" >&2; exit 2; }
OUT="$1"
SIZE="${2:-32M}"
INITRAMFS="${3:-$HERE/out/initramfs.cpio.gz}"
[ -f "$INITRAMFS" ] || { echo "make-rootfs.sh: no $INITRAMFS" >&2; exit 2; }
export PATH="$PATH:/usr/sbin:/sbin" LC_ALL=C SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1767225600}"
command -v mke2fs >/dev/null || { echo "make-rootfs.sh: mke2fs not found (Debian: apt-get install e2fsprogs)" >&2; exit 2; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
ROOT="$TMP/root"
mkdir -p "$ROOT"
# /dev/console is a device node (root only to create); devtmpfs provides it on a disk root.
(cd "$ROOT" && zcat "$INITRAMFS" | cpio -idm --quiet --no-absolute-filenames --nonmatching 'dev/console')
mkdir -p "$ROOT/dev" "$ROOT/mnt" "$ROOT/data"
rm -f "$OUT"
# root_owner: / owned by root whoever builds; no lazy init, so the image is complete when mke2fs exits.
mke2fs -q -F -t ext4 -L unum-root -d "$ROOT" -E root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0 "$OUT" "$SIZE"
echo "rootfs: $(du -sk "$ROOT" | cut -f1) KiB of files in a $SIZE ext4 image → $OUT"
