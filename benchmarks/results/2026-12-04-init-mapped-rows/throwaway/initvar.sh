#!/bin/bash
# Init per rank for JVM-flag variants of the main command, alternated
cd /work/main
for rep in 1 2 3; do
 for v in "base:" "serial:--jvm-opt=-XX:+UseSerialGC" "serial-ci1:--jvm-opt=-XX:+UseSerialGC --jvm-opt=-XX:CICompilerCount=1" "xss-nonverify:--jvm-opt=-XX:+UseSerialGC --jvm-opt=-XX:-UsePerfData"; do
  name=${v%%:*}; opts=${v#*:}
  s=$(date +%s.%N)
  java -jar worker/target/worker.jar launch --world-size 4 --jvm-opt=-Xmx1g --jvm-opt=-XX:TieredStopAtLevel=1 $opts > /tmp/s40/iv-$name-$rep.txt 2>&1
  e=$(date +%s.%N)
  echo "$name $rep: $(grep -o 'Init Duration: [0-9.]*' /tmp/s40/iv-$name-$rep.txt | awk '{print $3}' | sort -n | tr '\n' ' ') total $(echo "$e - $s" | bc) $(grep -o 'R^2 [0-9.]*' /tmp/s40/iv-$name-$rep.txt)"
 done
done
