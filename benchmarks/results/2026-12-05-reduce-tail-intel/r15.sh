#!/bin/bash
J=/work/main/benchmarks/target/benchmarks.jar
run() { name=$1; shift; /usr/bin/time -f "%e s" java -jar $J compare --rounds 15 --ranks 8 --ops reduce --sizes 8,1K --systems jfmi,openmpi --bind-to core --out /tmp/s41/r15-$name "$@" > /tmp/s41/r15-$name.txt 2>&1; echo "== $name"; grep -E "reduce .*(above|below|noise)| s$" /tmp/s41/r15-$name.txt | head; }
run linear
run binary --algorithm reduce=binary
