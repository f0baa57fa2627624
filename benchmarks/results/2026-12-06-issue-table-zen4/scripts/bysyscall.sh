#!/bin/bash
# Per-syscall counts per 2-rank 8 B reduce (both ranks together), jfmi against Open MPI: perf stat -a over runs of
# N1 and N2 timed calls with no warm-up; (count at N2 - count at N1) / (N2 - N1).
N1=100000; N2=500000
for round in 1 2; do
  for sys in jfmi ompi; do
    perf stat -a -x, -e raw_syscalls:sys_enter,syscalls:sys_enter_clock_nanosleep,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,syscalls:sys_enter_getrusage,syscalls:sys_enter_ioctl,syscalls:sys_enter_nanosleep,syscalls:sys_enter_poll,syscalls:sys_enter_ppoll,syscalls:sys_enter_pselect6,syscalls:sys_enter_read,syscalls:sys_enter_readv,syscalls:sys_enter_recvfrom,syscalls:sys_enter_recvmsg,syscalls:sys_enter_sched_yield,syscalls:sys_enter_select,syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_write,syscalls:sys_enter_writev -- "$(dirname "$0")/run-$sys.sh" $N1 2>"${TMPDIR:-/tmp}/a.csv" >/dev/null
    perf stat -a -x, -e raw_syscalls:sys_enter,syscalls:sys_enter_clock_nanosleep,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,syscalls:sys_enter_getrusage,syscalls:sys_enter_ioctl,syscalls:sys_enter_nanosleep,syscalls:sys_enter_poll,syscalls:sys_enter_ppoll,syscalls:sys_enter_pselect6,syscalls:sys_enter_read,syscalls:sys_enter_readv,syscalls:sys_enter_recvfrom,syscalls:sys_enter_recvmsg,syscalls:sys_enter_sched_yield,syscalls:sys_enter_select,syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_write,syscalls:sys_enter_writev -- "$(dirname "$0")/run-$sys.sh" $N2 2>"${TMPDIR:-/tmp}/b.csv" >/dev/null
    echo "$sys round $round: per call: $(paste -d, "${TMPDIR:-/tmp}/a.csv" "${TMPDIR:-/tmp}/b.csv" | awk -F, -v n=$((N2-N1)) 'NF>=10 && $3 ~ /sys/ {d=($8-$1)/n; if (d>0.01 || d<-0.01) {sub(/.*sys_enter_?/,"",$3); printf "%s %.2f  ", ($3==""?"all":$3), d}}')"
  done
done
