#!/usr/bin/env bash
# Undoes deploy/netns/up.sh: ends the processes inside its namespaces (by pid,
# as `ip netns pids` lists them), deletes the namespaces (their veths and the
# bridge go with them) and the state folder. Safe to run twice.
#
#   deploy/netns/down.sh [--prefix P]
set -euo pipefail
prefix=unum
while (($#)); do
  case "$1" in
    --prefix) prefix="$2"; shift ;;
    -h|--help) echo "usage: deploy/netns/down.sh [--prefix P]"; exit 0 ;;
    *) echo "netns/down: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[[ "$prefix" =~ ^[a-z][a-z0-9]{0,7}$ ]] || { echo "netns/down: bad --prefix" >&2; exit 2; }
((EUID == 0)) || { echo "netns/down: needs root (ip netns)" >&2; exit 2; }

mapfile -t namespaces < <(ip netns list | awk '{print $1}' | grep -E "^${prefix}-(sw|c|h[0-9]+|probe)$" || true)
pids_in() { for ns in "${namespaces[@]}"; do ip netns pids "$ns" 2>/dev/null || true; done; }

mapfile -t pids < <(pids_in)
if ((${#pids[@]})); then
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 50); do
    mapfile -t pids < <(pids_in)
    ((${#pids[@]})) || break
    sleep 0.1
  done
  if ((${#pids[@]})); then
    kill -KILL "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 20); do mapfile -t pids < <(pids_in); ((${#pids[@]})) || break; sleep 0.1; done
  fi
fi
for ns in "${namespaces[@]}"; do ip netns del "$ns"; done
rm -rf "/run/unum-netns/$prefix"
echo "netns/down: removed ${#namespaces[@]} namespaces (${prefix}-*)"
