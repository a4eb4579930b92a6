#!/bin/sh
# Rebuild the committed test-guest ELFs: sh build.sh [outdir]
set -e
cd "$(dirname "$0")"
out=${1:-.}
for s in *.S; do
  n=${s%.S}
  riscv64-unknown-elf-gcc -march=rv64gc -mabi=lp64d -nostdlib -nostartfiles -static \
    -Wl,--build-id=none -T link.ld -o "$out/$n.elf" "$s"
done
