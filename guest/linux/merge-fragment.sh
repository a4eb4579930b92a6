#!/usr/bin/env bash
# Merge a Kconfig fragment into a .config: drop every line that sets a symbol
# the fragment sets, then append the fragment. Busybox's kconfig has no
# merge_config.sh, and its allnoconfig overrides KCONFIG_ALLCONFIG values.
# Usage: merge-fragment.sh DOTCONFIG FRAGMENT
set -euo pipefail
[ $# -eq 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: merge-fragment.sh DOTCONFIG FRAGMENT" >&2; exit 2; }
syms="$(sed -nE 's/^(# )?(CONFIG_[A-Za-z0-9_]+)[= ].*/\2/p' "$2" | sort -u)"
tmp="$1.merge"
grep -vE "^(# )?($(echo "$syms" | paste -sd'|'))[= ]" "$1" > "$tmp" || true
cat "$2" >> "$tmp"
mv "$tmp" "$1"
