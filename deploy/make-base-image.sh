#!/usr/bin/env bash
# Makes a local Node 20 base image without any container registry: a root
# filesystem holding this machine's node + npm, the shared libraries `ldd`
# lists, this machine's CA bundle (node and npm trust it, as on the host) and a static busybox (sh + coreutils for RUN steps),
# fed to `docker import`. Use it as `docker build --build-arg BASE_IMAGE=unum-base:local`.
#
#   deploy/make-base-image.sh [TAG]      default TAG: unum-base:local
#   FORCE=1 deploy/make-base-image.sh    rebuild even if TAG exists
#
# Needs: docker, node 20 on PATH, and either busybox on PATH or
# Debian's apt (busybox-static is fetched with `apt-get download`).
set -euo pipefail

tag="${1:-unum-base:local}"
die() { echo "make-base-image: $*" >&2; exit 1; }

command -v docker >/dev/null || die "docker not found"
if [[ -z "${FORCE:-}" ]] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "make-base-image: $tag already exists (FORCE=1 to rebuild)"
  exit 0
fi

node_bin="$(readlink -f "$(command -v node)")" || die "node not found"
node_major="$("$node_bin" -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" == 20 ]] || die "need node 20 on PATH, found $("$node_bin" -v)"
npm_dir="$(dirname "$node_bin")/../lib/node_modules/npm"
[[ -f "$npm_dir/bin/npm-cli.js" ]] || die "npm not found beside node ($npm_dir)"

work="$(mktemp -d /tmp/unum-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

# Debian's merged-/usr layout, so library paths from ldd resolve the same way.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64,local/bin} "$root"/{etc/ssl/certs,tmp,root,home/node,app}
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp"

# node and every shared library it links (copied to its real path, plus the
# path ldd names if that is a symlink such as /lib64/ld-linux-x86-64.so.2).
cp "$node_bin" "$root/usr/bin/node"
# Also what the native addons in node_modules link (e.g. @resvg/resvg-js needs librt).
{ ldd "$node_bin"; find "$(dirname "$0")/../node_modules" -name '*.node' -exec ldd {} \; 2>/dev/null; } \
  | grep -o '/[^ ]*' | sort -u | while read -r lib; do
  real="$(readlink -f "$lib")"
  mkdir -p "$root$(dirname "$real")"
  cp -n "$real" "$root$real"
  # -e follows the merged-/usr links, so only truly separate names get a link.
  if [[ ! -e "$root$lib" ]]; then mkdir -p "$root$(dirname "$lib")"; ln -s "$real" "$root$lib"; fi
done

# npm / npx, laid out as in the official image.
mkdir -p "$root/usr/lib/node_modules"
cp -a "$npm_dir" "$root/usr/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"

# A static busybox: /bin/sh for RUN steps and npm scripts, plus coreutils.
busybox="$(command -v busybox || true)"
if [[ -z "$busybox" ]]; then
  command -v apt-get >/dev/null || die "need a static busybox on PATH or apt-get to fetch busybox-static"
  (cd "$work" && apt-get download busybox-static >/dev/null 2>&1) \
    || die "apt-get download busybox-static failed (run apt-get update first?)"
  dpkg-deb -x "$work"/busybox-static_*.deb "$work/bb"
  busybox="$work/bb/bin/busybox"
fi
cp "$busybox" "$root/usr/bin/busybox"
for applet in $("$root/usr/bin/busybox" --list); do
  [[ -e "$root/usr/bin/$applet" ]] || ln -s busybox "$root/usr/bin/$applet"
done

cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000::/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
echo 'hosts: files dns' > "$root/etc/nsswitch.conf"
chown 1000:1000 "$root/home/node"

# Import under a scratch tag and only name it $tag once node and npm run in it.
scratch="unum-base-scratch:$$"
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV NODE_VERSION='"$("$node_bin" -p process.versions.node)" \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  --message "unum local node base (made by deploy/make-base-image.sh)" \
  - "$scratch" >/dev/null
if ! docker run --rm "$scratch" sh -c 'node -e 1 && npm -v >/dev/null'; then
  docker rmi "$scratch" >/dev/null
  die "the imported image cannot run node/npm"
fi
docker tag "$scratch" "$tag" && docker rmi "$scratch" >/dev/null
echo "make-base-image: $tag: node $("$node_bin" -v), npm $(docker run --rm "$tag" npm -v)"
