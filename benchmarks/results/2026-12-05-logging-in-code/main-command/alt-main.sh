#!/bin/bash
# The README's main command, HEAD (085613a, logback.xml) and the working tree (logging configured in code)
# alternated, each in its own folder; Init per rank, command to result, job time, peak RSS per rank
for rep in 1 2 3 4; do
 for b in old new; do
  d=/tmp/mc; jar=/work/main/worker/target/worker.jar
  [ $b = old ] && d=/tmp/mc-old && jar=/tmp/old/worker/target/worker.jar
  cd $d
  f=/tmp/s41/am/am-$b-$rep.txt
  s=$(date +%s.%N)
  java -jar $jar launch --world-size 4 > $f 2>&1
  e=$(date +%s.%N)
  echo "$b $rep: init $(grep -o 'Init Duration: [0-9.]*' $f | awk '{print $3}' | sort -n | tr '\n' ' ') total $(echo "$e - $s" | bc | cut -c1-5) job $(grep -o 'succeeded in [0-9.]* s' $f) rss $(grep -o 'Max Memory Used: [0-9]*' $f | awk '{print $4}' | sort -n | tr '\n' ' ') $(grep -o 'R^2 [0-9.]*' $f)"
 done
done
