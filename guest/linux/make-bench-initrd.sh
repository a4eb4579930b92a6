#!/usr/bin/env bash
# The committed initramfs plus the vCPU bench's kernels as Linux programs
# (/bin/alu, /bin/fpmix, /bin/memchase, /bin/qsort: `make bench-kernels`,
# built from bench/guests/*.c, the bare-metal ELFs' sources), appended by
# append-initrd.sh. Nothing committed is rebuilt. Used by `npm run bench --
# vcpu` (Linux mode) and test/guest/linux-bench-kernels.test.ts.
# Needs riscv64-linux-gnu-gcc (static) and cpio.
# Usage: make-bench-initrd.sh OUT [INITRAMFS]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: make-bench-initrd.sh OUT [INITRAMFS]" >&2; exit 2; }
OUT="$1"
INITRAMFS="${2:-$HERE/out/initramfs.cpio.gz}"
command -v riscv64-linux-gnu-gcc >/dev/null || { echo "make-bench-initrd.sh: riscv64-linux-gnu-gcc not found (guest/linux/README.md)" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
make -s -C "$HERE" BUILD="$TMP/build" bench-kernels
"$HERE/append-initrd.sh" "$OUT" "$INITRAMFS" "$TMP"/build/bin/*
