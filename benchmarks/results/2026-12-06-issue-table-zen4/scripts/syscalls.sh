#!/bin/bash
# Syscalls and context switches per 2-rank 8 B reduce, jfmi against Open MPI: the whole host counted (perf stat -a)
# over a run of N1 and of N2 timed calls with no warm-up; the difference over N2-N1 calls is the steady state.
N1=100000; N2=300000
count() { perf stat -a -x, -e raw_syscalls:sys_enter,context-switches -- "$@" 2>&1 >/dev/null | awk -F, '/raw_syscalls|context-switches/{print $1}' | paste -sd' '; }
for round in 1 2 3; do
  for sys in jfmi ompi; do
    a=($(count "$(dirname "$0")/run-$sys.sh" $N1)); b=($(count "$(dirname "$0")/run-$sys.sh" $N2))
    echo "$sys round $round: syscalls per call $(echo "(${b[0]}-${a[0]})/($N2-$N1)" | bc -l | cut -c1-5), context switches per call $(echo "(${b[1]}-${a[1]})/($N2-$N1)" | bc -l | cut -c1-5)  (raw: $N1 -> ${a[*]}, $N2 -> ${b[*]})"
  done
done
