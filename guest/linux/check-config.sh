#!/usr/bin/env bash
# Fail (one line, naming the option) if a Kconfig fragment line did not survive
# olddefconfig (kernel or busybox): Kconfig silently drops options whose dependencies are unmet.
# Usage: check-config.sh FRAGMENT DOTCONFIG
set -euo pipefail
[ $# -eq 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: check-config.sh FRAGMENT DOTCONFIG" >&2; exit 2; }
while IFS= read -r line; do
  case "$line" in
    CONFIG_*=*)
      grep -qxF -- "$line" "$2" || { echo "config lost: $line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$2" || echo unset))" >&2; exit 1; } ;;
    "# CONFIG_"*" is not set")
      opt="${line#\# }"; opt="${opt%% *}"
      ! grep -q "^$opt=" "$2" || { echo "config lost: $line (got: $(grep "^$opt=" "$2"))" >&2; exit 1; } ;;
  esac
done < "$1"
echo "config: all $(grep -cE '^(CONFIG_|# CONFIG_.* is not set)' "$1") fragment lines kept"
