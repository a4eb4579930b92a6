#!/usr/bin/env bash
# Several "hosts" on one machine without Docker: network namespaces joined by
# veth links to a bridge (itself in a namespace of its own, so the subnet never
# touches the root namespace), with optional tc shaping, then a coordinator
# and agents started inside them. Needs root and iproute2. See docs/deploy.md.
#
#   UNUM_TOKEN=secret deploy/netns/up.sh --hosts 3 --delay 5ms
#   ip netns exec unum-c node cli/bin/unum.js run guest/bin/hello.elf --cluster 10.77.0.2:7700 --vcpus 3
#   deploy/netns/down.sh
set -Eeuo pipefail

usage() {
  cat <<'USAGE'
usage: deploy/netns/up.sh [options]
  --hosts N         agent namespaces PREFIX-h1..hN at SUBNET.11.. (default 3, at most 50)
  --prefix P        namespace name prefix (default unum; PREFIX-c coordinator, PREFIX-sw bridge)
  --subnet A.B.C    private /24 that exists only inside the namespaces (default 10.77.0)
  --delay D         netem one-way delay on every host NIC, e.g. 5ms (host-to-host RTT = 2*D)
  --jitter J        netem delay variation, e.g. 1ms (needs --delay)
  --loss PCT        netem packet loss, e.g. 0.1%
  --rate R          bandwidth cap per NIC, e.g. 100mbit (netem rate, or tbf without netem options)
  --no-start        only build the network, start no unum process
  --node-mem SIZE   each agent's --node-mem (default 256M)
  --cores N         each agent's --cores (default 1)
USAGE
}

hosts=3 prefix=unum subnet=10.77.0 delay='' jitter='' loss='' rate='' start=1 node_mem=256M cores=1
while (($#)); do
  case "$1" in
    --hosts) hosts="$2"; shift ;;
    --prefix) prefix="$2"; shift ;;
    --subnet) subnet="$2"; shift ;;
    --delay) delay="$2"; shift ;;
    --jitter) jitter="$2"; shift ;;
    --loss) loss="$2"; shift ;;
    --rate) rate="$2"; shift ;;
    --no-start) start=0 ;;
    --node-mem) node_mem="$2"; shift ;;
    --cores) cores="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "netns/up: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

die() { echo "netns/up: $*" >&2; exit 2; }
[[ "$hosts" =~ ^[0-9]+$ ]] && ((hosts >= 1 && hosts <= 50)) || die "--hosts must be 1..50"
[[ "$prefix" =~ ^[a-z][a-z0-9]{0,7}$ ]] || die "--prefix must be 1-8 lowercase letters/digits"
[[ "$subnet" =~ ^10\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || die "--subnet must be a private 10.x.y (the first three octets)"
[[ -z "$jitter" || -n "$delay" ]] || die "--jitter needs --delay"
((EUID == 0)) || die "needs root (ip netns)"
command -v ip >/dev/null && command -v tc >/dev/null || die "needs iproute2 (ip, tc)"
if ip netns list | grep -qE "^${prefix}-(sw|c|h[0-9]+)( |$)"; then
  die "namespaces ${prefix}-* exist already: run deploy/netns/down.sh --prefix ${prefix} first"
fi

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
unum_js="$repo/cli/bin/unum.js"
state="/run/unum-netns/$prefix"
if ((start)); then
  [[ -n "${UNUM_TOKEN:-}" ]] || die "set UNUM_TOKEN (the cluster secret) to start the cluster, or pass --no-start"
  [[ -f "$unum_js" ]] || die "$unum_js not found: npm run build first"
fi

# Shaping: netem when delay/jitter/loss are asked for (it also takes a rate), tbf for a rate alone.
qdisc=()
if [[ -n "$delay$loss" ]]; then
  qdisc=(netem)
  [[ -n "$delay" ]] && qdisc+=(delay "$delay" $jitter)
  [[ -n "$loss" ]] && qdisc+=(loss "$loss")
  [[ -n "$rate" ]] && qdisc+=(rate "$rate")
elif [[ -n "$rate" ]]; then
  qdisc=(tbf rate "$rate" burst 16kb latency 500ms)
fi
if ((${#qdisc[@]})); then  # probe first, so a kernel without the qdisc fails before anything is made
  probe="${prefix}-probe"
  ip netns add "$probe"
  if ! err="$(ip netns exec "$probe" tc qdisc add dev lo root "${qdisc[@]}" 2>&1)"; then
    ip netns del "$probe"
    die "this kernel cannot do 'tc qdisc ${qdisc[*]}': ${err}"
  fi
  ip netns del "$probe"
fi

mkdir -p "$state"
# Any failure from here on undoes everything made so far.
trap 'rc=$?; if ((rc)); then echo "netns/up: failed; tearing down" >&2; "$here/down.sh" --prefix "$prefix" >&2; fi' EXIT

sw="${prefix}-sw"
ip netns add "$sw"
ip -n "$sw" link add br0 type bridge
ip -n "$sw" link set br0 up

# host NAME LAST_OCTET: a namespace with eth0 on the bridge at SUBNET.LAST_OCTET/24.
add_host() {
  local ns="$1" addr="$subnet.$2"
  ip netns add "$ns"
  ip link add eth0 netns "$ns" type veth peer name "p-${ns#"$prefix"-}" netns "$sw"
  ip -n "$sw" link set "p-${ns#"$prefix"-}" master br0 up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  if ((${#qdisc[@]})); then ip netns exec "$ns" tc qdisc add dev eth0 root "${qdisc[@]}"; fi
  echo "$ns $addr" >> "$state/hosts"
}
: > "$state/hosts"
add_host "${prefix}-c" 2
for ((i = 1; i <= hosts; i++)); do add_host "${prefix}-h$i" $((10 + i)); done
echo "netns/up: ${prefix}-c at $subnet.2, ${prefix}-h1..h$hosts at $subnet.11..$((10 + hosts)) on bridge ${sw}/br0${qdisc:+ (tc ${qdisc[*]})}"

((start)) || exit 0

# spawn NS NAME ARGS...: a unum process in namespace NS, logs in $state/NAME.log.
spawn() {
  local ns="$1" name="$2"; shift 2
  ip netns exec "$ns" setsid node "$unum_js" "$@" > "$state/$name.log" 2>&1 < /dev/null &
  echo $! > "$state/$name.pid"
}
wait_healthy() {
  local ns="$1" target="$2"
  for _ in $(seq 60); do
    ip netns exec "$ns" node "$unum_js" health "$target" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  tail -n 5 "$state"/*.log >&2 || true
  die "$target in $ns not healthy after 30 s"
}
coordinator="$subnet.2:7700"
spawn "${prefix}-c" coordinator coordinator --listen 0.0.0.0:7700 --dashboard 127.0.0.1:7780
wait_healthy "${prefix}-c" "$coordinator"
for ((i = 1; i <= hosts; i++)); do
  addr="$subnet.$((10 + i)):7701"
  spawn "${prefix}-h$i" "h$i" agent --join "$coordinator" --listen "$addr" --advertise "$addr" \
    --node-mem "$node_mem" --cores "$cores" --name "${prefix}-h$i"
done
for ((i = 1; i <= hosts; i++)); do wait_healthy "${prefix}-h$i" "$subnet.$((10 + i)):7701"; done
echo "netns/up: coordinator $coordinator and $hosts agents running; logs in $state/"
echo "netns/up: run a guest: ip netns exec ${prefix}-c node $unum_js run guest/bin/hello.elf --cluster $coordinator --vcpus $hosts"
