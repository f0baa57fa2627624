#!/usr/bin/env bash
# The cold-path table of benchmarks/RESULTS.md: the first 300 calls of a fresh rank (cold) and calls after warm-up
# (warm), 2 ranks, on JDK 17 and JDK 25 (JAVA25, default the Temurin 25 beside JDK 17 here), with C2 and C1 only,
# and C1 with 1,000 rounds of in-process priming. Prints: variant mode op bytes mean p50 p99 (µs).
# BIND=core (the default) starts each rank JVM on its own CPU, as a Lambda rank has its function's CPUs to itself;
# BIND=none lets the kernel place them (on these 2-vCPU machines it can keep both ranks on one CPU for 10-20 ms,
# most of a cold run's 300 calls).
set -euo pipefail
cd "$(dirname "$0")/.."
J17=java; J25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
BIND=${BIND:-core}
B=(--bind-to "$BIND" --jvm-opt -Xmx512m --jvm-opt -XX:+UseSerialGC --jvm-opt -Djfmi.log.level=WARN)
C1=(--jvm-opt -XX:TieredStopAtLevel=1)
run() { # label java mode extra...
  local label=$1 java=$2 mode=$3; shift 3
  if [ $mode = cold ]; then w=(--warmup 0 --iterations 300); else w=(--warmup 20000 --iterations 1000); fi
  $java -jar benchmarks/target/benchmarks.jar collectives --ranks 2 --ops barrier,allreduce --sizes 8,1M "${w[@]}" "${B[@]}" "$@" 2>/dev/null \
    | grep -E '^jfmi' | awk -v l="$label" -v m="$mode" '{print l, m, $3, $4, $5, $6, $7}' || true
}
for v in jdk17-c2 jdk17-c1 jdk17-c1-prime jdk25-c2 jdk25-c1 jdk25-c1-prime; do
  case $v in
    jdk17-c2) J=$J17; X=();; jdk17-c1) J=$J17; X=("${C1[@]}");; jdk17-c1-prime) J=$J17; X=("${C1[@]}" --prime 1000);;
    jdk25-c2) J=$J25; X=();; jdk25-c1) J=$J25; X=("${C1[@]}");; jdk25-c1-prime) J=$J25; X=("${C1[@]}" --prime 1000);;
  esac
  run $v $J cold "${X[@]}"
  case $v in *prime) ;; *) run $v $J warm "${X[@]}";; esac
done
