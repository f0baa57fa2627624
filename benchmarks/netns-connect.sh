#!/usr/bin/env bash
# Time to a fully connected job through Linux NATs (root only; needs iproute2, iptables, built jars).
#   usage: benchmarks/netns-connect.sh cone|symmetric|blocked RANKS
# Builds the test network of worker/src/test/resources/netns/topology.sh, runs rendezvous.jar on its public
# segment and RANKS ranks spread evenly over its four hosts (two behind each NAT), prints rank 0's RESULT
# line and the server's channel-plan line, and removes the network again.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?mode: cone, symmetric or blocked}
ranks=${2:?number of ranks, a multiple of 4}
if [ $((ranks % 4)) -ne 0 ]; then echo "RANKS must be a multiple of 4" >&2; exit 64; fi
topology=worker/src/test/resources/netns/topology.sh
work=$(mktemp -d)
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  bash "$topology" down
  rm -rf "$work"
}
trap cleanup EXIT
bash "$topology" up "$mode"
echo "netns-connect-secret-0123456789" > "$work/secret"
ip netns exec jfmi-pub java -jar rendezvous-server/target/rendezvous.jar --host 198.51.100.1 --port 7700 \
  --http-port 7701 --secret-file "$work/secret" --port-file "$work/ports" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do [ -f "$work/ports" ] && break; sleep 0.1; done
hosts=(a1 a2 b1 b2)
per=$((ranks / 4))
pids=()
for i in $(seq 0 $((ranks - 1))); do
  ip netns exec "jfmi-${hosts[$((i / per))]}" java -Xmx128m -XX:TieredStopAtLevel=1 -Djfmi.log.level=WARN \
    -cp benchmarks/target/benchmarks.jar io.jfmi.benchmarks.connect.ConnectBenchRank \
    --rendezvous 198.51.100.1:7700 --job "netns-$mode-$ranks" --secret-file "$work/secret" --rank "$i" \
    --world-size "$ranks" --punch-timeout 3 > "$work/rank$i.log" 2>&1 &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
grep -h "RESULT" "$work"/rank*.log || true
grep -h "channel plan" "$work/server.log" || true
exit $status
