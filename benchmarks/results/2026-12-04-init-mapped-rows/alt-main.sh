#!/bin/bash
# The README's main command, old build (0f19b05) and new build alternated; Init per rank and wall
for rep in 1 2 3 4; do
 for b in old new; do
  d=/tmp/s40/old; [ $b = new ] && d=/work/main
  cd $d
  s=$(date +%s.%N)
  java -jar worker/target/worker.jar launch --world-size 4 > /tmp/s40/am-$b-$rep.txt 2>&1
  e=$(date +%s.%N)
  echo "$b $rep: init $(grep -o 'Init Duration: [0-9.]*' /tmp/s40/am-$b-$rep.txt | awk '{print $3}' | sort -n | tr '\n' ' ') total $(echo "$e - $s" | bc | cut -c1-5) $(grep -o 'generated.*in [0-9.]* s' /tmp/s40/am-$b-$rep.txt | grep -o 'in [0-9.]* s') job $(grep -o 'succeeded in [0-9.]* s' /tmp/s40/am-$b-$rep.txt) $(grep -o 'R^2 [0-9.]*' /tmp/s40/am-$b-$rep.txt)"
 done
done
