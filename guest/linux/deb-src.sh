#!/usr/bin/env bash
# Idempotently enable deb-src for the mirror and suite apt already uses, so
# `apt-get source` works (a stock Debian image has binary entries only).
set -euo pipefail
LIST=/etc/apt/sources.list.d/unum-deb-src.sources
if grep -rqsE '^(deb-src |Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then exit 0; fi
# The first "URIs:" of a deb822 file, else the first "deb" line of sources.list.
mirror="$(grep -hsm1 '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}')"
[ -n "$mirror" ] || mirror="$(grep -hsm1 '^deb ' /etc/apt/sources.list | awk '{print ($2 ~ /^\[/) ? $3 : $2}')"
[ -n "$mirror" ] || { echo "deb-src.sh: no Debian mirror found in /etc/apt/sources.list{,.d}" >&2; exit 2; }
. /etc/os-release
cat > "$LIST" <<EOS
Types: deb-src
URIs: $mirror
Suites: $VERSION_CODENAME
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
echo "deb-src.sh: wrote $LIST ($mirror $VERSION_CODENAME), apt-get update"
apt-get update -qq
