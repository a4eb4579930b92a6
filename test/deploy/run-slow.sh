#!/usr/bin/env bash
# The deploy suites on a real Docker engine (what CI can call): starts dockerd
# if none answers (as in a fresh CI machine), makes the local base image, then
# runs test/deploy with UNUM_SLOW=1. A suite that still cannot run skips with
# its printed reason. Needs a built tree (npm run build).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! docker info >/dev/null 2>&1 && command -v dockerd >/dev/null; then
  echo "run-slow: starting dockerd (log: /tmp/unum-dockerd.log)"
  dockerd > /tmp/unum-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
fi
if docker info >/dev/null 2>&1; then deploy/make-base-image.sh; fi
UNUM_SLOW=1 exec npx vitest run test/deploy
