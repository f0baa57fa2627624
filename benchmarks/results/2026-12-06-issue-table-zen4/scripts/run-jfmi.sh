#!/bin/bash
exec java -jar ${JAR:-benchmarks/target/benchmarks.jar} collectives --ranks 2 --ops reduce --sizes 8 --bind-to core --warmup 0 --iterations $1
