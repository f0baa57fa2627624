#!/bin/bash
# variants of the wait strategy, 8 ranks, 1 KiB reduce; prints the root's and max leaf's per-rank line
B="java -jar /work/main/benchmarks/target/benchmarks.jar collectives --ranks 8 --ops reduce --sizes 1K --bind-to core --iterations 3000 --per-rank"
for rep in 1 2; do
 for v in "default:" "park:--spin-nanos 0" "busy1ms:--spin-nanos 1000000 --busy-nanos 1000000" "yield50:--spin-nanos 50000" "yield1ms:--spin-nanos 1000000 --busy-nanos 0"; do
  name=${v%%:*}; opts=${v#*:}
  $B $opts > /tmp/s40/knob-$name-$rep.txt 2>&1
  echo "$name $rep: $(grep 'rank 0:' /tmp/s40/knob-$name-$rep.txt | sed 's/.*rank 0: //') | table: $(grep '^jfmi' /tmp/s40/knob-$name-$rep.txt | tr -s ' ')"
 done
done
