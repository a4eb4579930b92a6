#!/usr/bin/env bash
# Pack the unum Linux guest's initramfs (cpio newc, gzip): busybox + applet
# symlinks, /init, and the SDK workloads in /bin. Reproducible: entries sorted,
# uid/gid 0, every mtime SOURCE_DATE_EPOCH, gzip without name or time.
# Usage: build-initramfs.sh [OUT] [BUSYBOX] [KERNEL_WORKDIR]
#   OUT     default guest/linux/out/initramfs.cpio.gz
#   BUSYBOX default guest/linux/build/busybox (from build-busybox.sh; BUSYBOX.links beside it)
#   KERNEL_WORKDIR where build-kernel.sh extracted the kernel (for gen_init_cpio.c)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
[ $# -le 3 ] || { echo "usage: build-initramfs.sh [OUT] [BUSYBOX] [KERNEL_WORKDIR]" >&2; exit 2; }
OUT="${1:-$HERE/out/initramfs.cpio.gz}"
BUSYBOX="${2:-$HERE/build/busybox}"
KWORK="${3:-/var/tmp/unum-linux-build}"
[ -f "$BUSYBOX" ] && [ -f "$BUSYBOX.links" ] || { echo "build-initramfs.sh: no $BUSYBOX(.links): run build-busybox.sh first" >&2; exit 2; }
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1767225600}"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
STAGE="$TMP/stage"
BUILD="$TMP/build"
mkdir -p "$STAGE"

# The workloads, built fresh from the shared sources.
make -s -C "$HERE" BUILD="$BUILD" all
cp "$BUSYBOX" "$STAGE/busybox"
cp "$HERE/init" "$STAGE/init"
cp "$BUILD"/bin/* "$STAGE/"
# gen_init_cpio takes regular files' mtimes from disk; pin them.
touch -h -d "@$SOURCE_DATE_EPOCH" "$STAGE"/*

"$HERE/gen-cpio-tool.sh" "$TMP/gen_init_cpio" "$KWORK"
{
  for d in /bin /dev /etc /proc /root /sbin /sys /tmp /usr /usr/bin /usr/sbin; do
    echo "dir $d $([ "$d" = /tmp ] && echo 1777 || echo 0755) 0 0"
  done
  echo "nod /dev/console 0600 0 0 c 5 1"
  echo "file /init $STAGE/init 0755 0 0"
  echo "file /bin/busybox $STAGE/busybox 0755 0 0"
  grep -vx /bin/busybox "$BUSYBOX.links" | sort -u | while read -r link; do echo "slink $link /bin/busybox 0777 0 0"; done
  for f in "$BUILD"/bin/*; do echo "file /bin/$(basename "$f") $STAGE/$(basename "$f") 0755 0 0"; done
} > "$TMP/list"
"$TMP/gen_init_cpio" -t "$SOURCE_DATE_EPOCH" "$TMP/list" > "$TMP/initramfs.cpio"
mkdir -p "$(dirname "$OUT")"
gzip -9 -n < "$TMP/initramfs.cpio" > "$OUT"
echo "initramfs: $(wc -l < "$TMP/list") entries, $(stat -c %s "$TMP/initramfs.cpio") bytes cpio, $(stat -c %s "$OUT") bytes gzip → $OUT"
