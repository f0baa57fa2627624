#!/bin/bash
B="java -jar /tmp/trial/benchmarks/target/benchmarks.jar collectives --ranks 8 --ops reduce --sizes 1K --bind-to core --iterations 3000 --per-rank --algorithm reduce=binary"
for rep in 1 2; do
 for f in 0 2048 8192; do
  $B --jvm-opt=-Djfmi.trial.fill=$f > /tmp/s41/bfill-$f-$rep.txt 2>&1
  echo "fill $f rep $rep: $(grep '^jfmi' /tmp/s41/bfill-$f-$rep.txt | tr -s ' ') | $(grep -o 'rank [0-7]: mean.*' /tmp/s41/bfill-$f-$rep.txt | awk '{print $2,$7}' | tr '\n' ' ')"
 done
done
