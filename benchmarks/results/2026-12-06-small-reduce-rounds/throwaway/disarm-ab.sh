#!/bin/bash
# A/B of the throwaway build (throwaway-disarm.diff applied to 6bdde55): links leave the epoll sets after each park
# (-Djfmi.throwaway.disarm=true) or stay armed. JAR: that build's benchmarks.jar; OUT: where the outputs go.
JAR=${JAR:-benchmarks/target/benchmarks.jar}
OUT=${OUT:-.}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for pass in 1 2; do
  for d in true false; do
    echo "=== pass $pass disarm=$d $(date +%T)"
    java -jar "$JAR" compare --rounds 7 --ranks 2 --ops reduce,allreduce --sizes 8,1K \
      --systems jfmi,openmpi --bind-to core --jvm-opt=-Djfmi.throwaway.disarm=$d --out "$OUT/$pass-$d" \
      > "$OUT/$pass-$d.out" 2>&1
    sed -n '/mean ratio in each round/,$p' "$OUT/$pass-$d/compare.txt" | grep -E "reduce"
  done
done
