#!/bin/bash
J=/tmp/trial/benchmarks/target/benchmarks.jar
run() { name=$1; shift; java -jar $J compare --rounds 5 --ranks 8 --ops reduce --sizes 8,1K --systems jfmi,openmpi --bind-to core --out /tmp/s41/out-$name "$@" > /tmp/s41/cmp-$name.txt 2>&1; echo "== $name"; grep -E "^\| 8 |reduce .*(above|below|noise)" /tmp/s41/cmp-$name.txt | head; }
run linear-f0 --jvm-opt=-Djfmi.trial.fill=0
run binary-f0 --algorithm reduce=binary --jvm-opt=-Djfmi.trial.fill=0
run binary-f8192 --algorithm reduce=binary --jvm-opt=-Djfmi.trial.fill=8192
run binary-f2048 --algorithm reduce=binary --jvm-opt=-Djfmi.trial.fill=2048
