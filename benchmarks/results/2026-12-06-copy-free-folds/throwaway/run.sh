#!/bin/bash
# Three rounds: the committed kernel (`benchmarks fold`, double 1 MiB, auto loops, C2 and C1, JDK 17 and 25) beside
# the throwaway copy-free loops (C1 and C2, JDK 17 and 25).
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=/work/main/benchmarks/target/benchmarks.jar
for round in 1 2 3; do
  echo "## round $round"
  java -jar $JAR fold --java $J17,$J25 --sizes 1M --types double --loops auto --no-floor --out /tmp/uns/cf/fold-$round \
    | grep -E "median"
  for m in unsafe-direct unsafe-heap vh-direct vh-array; do
    for jit in c1 c2; do
      opt=""; [ $jit = c1 ] && opt="-XX:TieredStopAtLevel=1"
      echo -n "$jit "; $J17 $opt -cp /tmp/uns/cf CopyFreeFold $m
      echo -n "$jit "; $J25 --sun-misc-unsafe-memory-access=allow $opt -cp /tmp/uns/cf CopyFreeFold $m
    done
  done
done
