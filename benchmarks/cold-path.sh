#!/usr/bin/env bash
# The cold-path table of benchmarks/RESULTS.md: the first 300 calls of a fresh rank (cold) and calls after warm-up
# (warm), on JDK 17 and JDK 25 (JAVA25, default the Temurin 25 beside JDK 17 here), with C2 and C1 only, and C1
# with 1,000 rounds of in-process priming. Prints: variant mode ranks op bytes mean p50 p99 (µs).
# BIND=core (the default) starts each rank JVM on its own CPU (r modulo the CPUs), as a Lambda rank has its
# function's CPUs to itself; BIND=none lets the kernel place them (on these 2-vCPU machines it can keep both ranks
# on one CPU for 10-20 ms, most of a cold run's 300 calls).
# RANKS (default 2), OPS (default barrier,allreduce), SIZES (default 8,1M) and VARIANTS (default all six, e.g.
# VARIANTS="jdk17-c1 jdk17-c1-prime") choose the points. EACH=1 starts a fresh job for every op and size, so that
# each one's cold calls are its ranks' first calls (without it, the ops after the first follow the earlier ones).
set -euo pipefail
cd "$(dirname "$0")/.."
J17=java; J25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
BIND=${BIND:-core}
RANKS=${RANKS:-2}; OPS=${OPS:-barrier,allreduce}; SIZES=${SIZES:-8,1M}
VARIANTS=${VARIANTS:-jdk17-c2 jdk17-c1 jdk17-c1-prime jdk25-c2 jdk25-c1 jdk25-c1-prime}
EACH=${EACH:-0}
B=(--bind-to "$BIND" --jvm-opt -Xmx512m --jvm-opt -XX:+UseSerialGC --jvm-opt -Djfmi.log.level=WARN)
C1=(--jvm-opt -XX:TieredStopAtLevel=1)
run() { # label java mode ops sizes extra...
  local label=$1 java=$2 mode=$3 ops=$4 sizes=$5; shift 5
  if [ $mode = cold ]; then w=(--warmup 0 --iterations 300); else w=(--warmup 20000 --iterations 1000); fi
  $java -jar benchmarks/target/benchmarks.jar collectives --ranks "$RANKS" --ops "$ops" --sizes "$sizes" "${w[@]}" \
      "${B[@]}" "$@" 2>/dev/null \
    | grep -E '^jfmi' | awk -v l="$label" -v m="$mode" '{print l, m, $2, $3, $4, $5, $6, $7}' || true
}
points() { # prints "ops sizes" per job: one job for all, or (EACH=1) one per op and size (a barrier has no size)
  if [ "$EACH" != 1 ]; then echo "$OPS $SIZES"; return; fi
  for op in ${OPS//,/ }; do
    if [ "$op" = barrier ]; then echo "barrier 8"; continue; fi
    for size in ${SIZES//,/ }; do echo "$op $size"; done
  done
}
for v in $VARIANTS; do
  case $v in
    jdk17-c2) J=$J17; X=();; jdk17-c1) J=$J17; X=("${C1[@]}");; jdk17-c1-prime) J=$J17; X=("${C1[@]}" --prime 1000);;
    jdk25-c2) J=$J25; X=();; jdk25-c1) J=$J25; X=("${C1[@]}");; jdk25-c1-prime) J=$J25; X=("${C1[@]}" --prime 1000);;
    *) echo "cold-path.sh: unknown variant '$v' (jdk17-c2, jdk17-c1, jdk17-c1-prime, jdk25-c2, jdk25-c1," \
            "jdk25-c1-prime)" >&2; exit 64;;
  esac
  while read -r ops sizes; do
    run $v $J cold "$ops" "$sizes" "${X[@]}"
    case $v in *prime) ;; *) run $v $J warm "$ops" "$sizes" "${X[@]}";; esac
  done < <(points)
done
