#!/usr/bin/env bash
# Compile the kernel's usr/gen_init_cpio (a cpio writer that needs no root for
# device nodes and takes a fixed mtime) from the linux-source-6.1 tree, or
# from the tarball if build-kernel.sh has not extracted it.
# Usage: gen-cpio-tool.sh OUT_BINARY [KERNEL_WORKDIR]
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: gen-cpio-tool.sh OUT_BINARY [KERNEL_WORKDIR]" >&2; exit 2; }
OUT="$1"
SRC="${2:-/var/tmp/unum-linux-build}/linux-source-6.1/usr/gen_init_cpio.c"
TARBALL=/usr/src/linux-source-6.1.tar.xz
if [ ! -f "$SRC" ]; then
  [ -f "$TARBALL" ] || { echo "gen-cpio-tool.sh: need $SRC or $TARBALL (apt-get install linux-source-6.1)" >&2; exit 2; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  tar -xJf "$TARBALL" -C "$tmp" linux-source-6.1/usr/gen_init_cpio.c
  SRC="$tmp/linux-source-6.1/usr/gen_init_cpio.c"
fi
cc -O2 -o "$OUT" "$SRC"
