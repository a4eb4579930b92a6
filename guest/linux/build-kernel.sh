#!/usr/bin/env bash
# Build the unum Linux guest kernel (arch/riscv/boot/Image) from Debian's
# linux-source-6.1: tinyconfig + kernel.config, checked, reproducible.
# Usage: build-kernel.sh [WORKDIR] [OUT_IMAGE]
#   WORKDIR   default /var/tmp/unum-linux-build (outside the repo: ~1 GB)
#   OUT_IMAGE default guest/linux/out/Image
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="${1:-/var/tmp/unum-linux-build}"
OUT="${2:-$HERE/out/Image}"
TARBALL=/usr/src/linux-source-6.1.tar.xz
[ $# -le 2 ] || { echo "usage: build-kernel.sh [WORKDIR] [OUT_IMAGE]" >&2; exit 2; }
[ -f "$TARBALL" ] || { echo "missing $TARBALL: apt-get install linux-source-6.1" >&2; exit 2; }
command -v riscv64-linux-gnu-gcc >/dev/null || { echo "missing riscv64-linux-gnu-gcc: apt-get install gcc-riscv64-linux-gnu" >&2; exit 2; }

# Everything that would vary between builds is pinned.
export KBUILD_BUILD_TIMESTAMP="${KBUILD_BUILD_TIMESTAMP:-Thu Jan  1 00:00:00 UTC 2026}"
export KBUILD_BUILD_USER=unum KBUILD_BUILD_HOST=unum KBUILD_BUILD_VERSION=1
export LC_ALL=C TZ=UTC
SRC="$WORK/linux-source-6.1"
# O= a direct child of the source tree, so Kbuild uses relative paths (srctree=..).
OBJ="$SRC/build"
MAKE=(nice -n 15 make -C "$SRC" O="$OBJ" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- -j2)

echo "kernel source: $TARBALL (linux-source-6.1 $(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo '?'))"
mkdir -p "$WORK"
if [ ! -f "$SRC/Makefile" ]; then
  echo "extracting $TARBALL into $WORK"
  tar -xJf "$TARBALL" -C "$WORK"
fi
mkdir -p "$OBJ"
"${MAKE[@]}" -s tinyconfig
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" "$HERE/kernel.config" >/dev/null
"${MAKE[@]}" -s olddefconfig
"$HERE/check-config.sh" "$HERE/kernel.config" "$OBJ/.config"

start=$(date +%s)
"${MAKE[@]}" Image
echo "kernel built in $(( $(date +%s) - start )) s"
mkdir -p "$(dirname "$OUT")"
cp "$OBJ/arch/riscv/boot/Image" "$OUT"
cp "$OBJ/.config" "$OUT.config"
# The symbols of this Image, for `unum run --profile-dsm --symbols`.
gzip -9 -n < "$OBJ/System.map" > "$(dirname "$OUT")/System.map.gz"
ls -l "$OUT"
