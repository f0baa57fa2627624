#!/usr/bin/env bash
# Test network for NAT traversal, made of network namespaces (root only).
#   usage: topology.sh up cone|symmetric|blocked      topology.sh down
#          topology.sh break blackhole|cutoff|cutoff-reset|relay   (after up: make a path die, below)
#
#   jfmi-pub   198.51.100.1/24 on bridge br0: the "public" segment, where the rendezvous server runs
#   jfmi-natA  WAN 198.51.100.2, LAN 192.0.2.1/24    hosts jfmi-a1 192.0.2.2, jfmi-a2 192.0.2.3
#   jfmi-natB  WAN 198.51.100.3, LAN 203.0.113.1/24  hosts jfmi-b1 203.0.113.2, jfmi-b2 203.0.113.3
#
# Each NAT masquerades its LAN behind its WAN address (ports preserved: a "cone" NAT) and drops unsolicited
# inbound connections on its WAN side, as real NATs do. symmetric: ports randomised (--random-fully), so
# hole punching cannot work. blocked: the two NATs cannot reach each other at all (only the server).
# Only documentation address ranges are used, and only inside these namespaces.
#
# break: the two ways a punched path dies while the path to the server (the relay) lives, applied to traffic
# between the NATs only: blackhole drops every packet of 1,200 bytes or more, silently, as a path-MTU black hole
# with its ICMP "fragmentation needed" lost does (small frames pass, large ones vanish); cutoff drops everything
# of a connection after its first 64 KiB, as a NAT that forgets a flow mid-way; cutoff-reset answers instead
# with a TCP reset. relay: the NATs drop everything to and from the public segment's server (198.51.100.1), so
# neither the relay nor the control connections work any more (combine with one of the others).
set -euo pipefail
P=jfmi
NAMES="pub natA natB a1 a2 b1 b2"
in_ns() { ip netns exec "$P-$1" "${@:2}"; }

down() {
  for n in $NAMES; do ip netns del "$P-$n" 2>/dev/null || true; done
}

up() {
  local mode=$1
  down
  for n in $NAMES; do ip netns add "$P-$n"; in_ns "$n" ip link set lo up; done
  in_ns pub ip link add br0 type bridge
  in_ns pub ip addr add 198.51.100.1/24 dev br0
  in_ns pub ip link set br0 up
  for side in A B; do
    local low wan lan other
    if [ "$side" = A ]; then low=a; wan=198.51.100.2; lan=192.0.2; other=198.51.100.3
    else low=b; wan=198.51.100.3; lan=203.0.113; other=198.51.100.2; fi
    ip link add wan netns "$P-nat$side" type veth peer name "to$side" netns "$P-pub"
    in_ns pub ip link set "to$side" master br0 up
    in_ns "nat$side" ip addr add "$wan/24" dev wan
    in_ns "nat$side" ip link set wan up
    in_ns "nat$side" ip link add br1 type bridge
    in_ns "nat$side" ip addr add "$lan.1/24" dev br1
    in_ns "nat$side" ip link set br1 up
    for h in 1 2; do
      ip link add eth0 netns "$P-$low$h" type veth peer name "h$h" netns "$P-nat$side"
      in_ns "nat$side" ip link set "h$h" master br1 up
      in_ns "$low$h" ip addr add "$lan.$((h + 1))/24" dev eth0
      in_ns "$low$h" ip link set eth0 up
      in_ns "$low$h" ip route add default via "$lan.1"
    done
    in_ns "nat$side" sysctl -qw net.ipv4.ip_forward=1
    # Byte counters on every flow from the start, so "break cutoff" can cut flows that began before it
    in_ns "nat$side" sysctl -qw net.netfilter.nf_conntrack_acct=1
    if [ "$mode" = symmetric ]; then
      in_ns "nat$side" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE --random-fully
    else
      in_ns "nat$side" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
    fi
    # Unsolicited connections from the WAN side are dropped, whether addressed through the NAT or to the NAT
    # itself (answering them with a reset would tear down the mapping a hole punch is opening).
    in_ns "nat$side" iptables -A FORWARD -i wan -m conntrack --ctstate NEW -j DROP
    in_ns "nat$side" iptables -A INPUT -i wan -m conntrack --ctstate NEW -j DROP
    if [ "$mode" = blocked ]; then
      in_ns "nat$side" iptables -A FORWARD -d "$other" -j DROP
      in_ns "nat$side" iptables -A FORWARD -s "$other" -j DROP
    fi
  done
}

breakpath() {
  local how=$1
  if [ "$how" = relay ]; then
    for side in A B; do
      in_ns "nat$side" iptables -I FORWARD -d 198.51.100.1 -j DROP
      in_ns "nat$side" iptables -I FORWARD -s 198.51.100.1 -j DROP
    done
    return
  fi
  for side in A B; do
    local other
    if [ "$side" = A ]; then other=198.51.100.3; else other=198.51.100.2; fi
    case "$how" in
      blackhole) in_ns "nat$side" iptables -I FORWARD -d "$other" -m length --length 1200:65535 -j DROP ;;
      cutoff) in_ns "nat$side" iptables -I FORWARD -d "$other" -m connbytes --connbytes 65536: \
                --connbytes-dir both --connbytes-mode bytes -j DROP ;;
      cutoff-reset) in_ns "nat$side" iptables -I FORWARD -p tcp -d "$other" -m connbytes --connbytes 65536: \
                --connbytes-dir both --connbytes-mode bytes -j REJECT --reject-with tcp-reset ;;
      *) echo "break: blackhole, cutoff, cutoff-reset or relay" >&2; exit 64 ;;
    esac
  done
}

case "${1:-}" in
  up) up "${2:?mode: cone, symmetric or blocked}" ;;
  down) down ;;
  break) breakpath "${2:?how: blackhole, cutoff, cutoff-reset or relay}" ;;
  *) echo "usage: $0 up cone|symmetric|blocked | break blackhole|cutoff|cutoff-reset|relay | down" >&2; exit 64 ;;
esac
