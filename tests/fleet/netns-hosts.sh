#!/usr/bin/env bash
# netns-hosts.sh: a cluster of "hosts" on one machine, for the fleet tests. Each host is a Linux
# network namespace with its own veth pair on one bridge and its own address; Open MPI reaches them
# through ns-agent.sh (its remote launch agent), which enters the namespace instead of ssh'ing.
#
#   netns-hosts.sh up N     create hosts 1..N: namespace ${RLF_PREFIX}hN, address $RLF_SUBNET.(N+1),
#                           the bridge ${RLF_PREFIX}br at $RLF_SUBNET.1 (the mpirun side)
#   netns-hosts.sh down     remove them (every namespace and link with the prefix); safe to repeat
#   netns-hosts.sh check    exit 0 when this kernel lets us create a namespace and a bridge
#
# Needs root (ip netns). RLF_PREFIX (default "rlf") and RLF_SUBNET (default 10.77.0, a /24) keep
# concurrent users apart.
set -euo pipefail
prefix=${RLF_PREFIX:-rlf}
bridge=${prefix}br
subnet=${RLF_SUBNET:-10.77.0}

down() {
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${prefix}h[0-9]*$" || true); do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' |
        grep "^${prefix}\(v[0-9]*\|br\)$" || true); do
        ip link del "$l" 2>/dev/null || true
    done
}

check() {
    [ "$(id -u)" -eq 0 ] || { echo "not root"; return 1; }
    command -v ip >/dev/null || { echo "no ip (iproute2)"; return 1; }
    local ns=${prefix}probe$$
    ip netns add "$ns" 2>/dev/null || { echo "the kernel refuses network namespaces"; return 1; }
    ip netns del "$ns"
    ip link add ${prefix}probebr type bridge 2>/dev/null ||
        { echo "the kernel refuses bridges"; return 1; }
    ip link del ${prefix}probebr
    unshare --uts true 2>/dev/null || { echo "the kernel refuses UTS namespaces"; return 1; }
}

up() {
    local n=$1
    down
    ip link add "$bridge" type bridge
    ip addr add "$subnet.1/24" dev "$bridge"
    ip link set "$bridge" up
    for i in $(seq 1 "$n"); do
        local ns=${prefix}h$i
        ip netns add "$ns"
        ip link add "${prefix}v$i" type veth peer name eth0 netns "$ns"
        ip link set "${prefix}v$i" master "$bridge" up
        ip -n "$ns" addr add "$subnet.$((i + 1))/24" dev eth0
        ip -n "$ns" link set eth0 up
        ip -n "$ns" link set lo up
    done
}

case "${1:-}" in
up) up "${2:?how many hosts}" ;;
down) down ;;
check) check ;;
*) echo "usage: $0 up N | down | check" >&2; exit 2 ;;
esac
