#!/bin/bash
# C1 only (Lambda's default) against C2, warm 1 MiB reduce and allreduce at 2 and 4 ranks, bound; seven
# alternations, the order flipped each time. Each run: collectives with the default warm-up and 1,000 timed calls
# (the harness cuts large messages to its traffic budget).
JAR=${JAR:-benchmarks/target/benchmarks.jar}
BASE="--jvm-opt=-Xmx512m --jvm-opt=-XX:+UseSerialGC --jvm-opt=-Djfmi.log.level=WARN"
for i in 1 2 3 4 5 6 7; do
  if [ $((i % 2)) = 1 ]; then order="c2 c1"; else order="c1 c2"; fi
  for jit in $order; do
    opt=""; [ $jit = c1 ] && opt="--jvm-opt=-XX:TieredStopAtLevel=1"
    java -jar $JAR collectives --ranks 2,4 --ops reduce,allreduce --sizes 1M --bind-to core $BASE $opt 2>&1 \
      | grep '^jfmi' | sed "s/^/$i $jit /"
  done
done
