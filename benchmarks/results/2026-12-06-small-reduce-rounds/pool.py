#!/usr/bin/env python3
"""Pools the per-round jfmi/Open MPI ratios of the 2-rank reduce rows of several `compare --rounds` outputs.

Usage: pool.py FILE...   Prints, for mean and p99 at each size, the rounds' count, median and geometric mean with
a 95% t interval on the logs (what `compare` prints for one run). Needs scipy for the t quantile.
"""
import math
import re
import statistics
import sys

from scipy import stats


def ratios(path):
    """{(measure, size): [per-round ratios]} from the 2-rank reduce rows of one compare output."""
    found, section = {}, None
    for line in open(path):
        if 'mean ratio in each round' in line:
            section = 'mean'
        elif 'p99 ratio in each round' in line:
            section = 'p99'
        row = re.match(r'\s+2 reduce\s+(\S+)\s+(.*)', line)
        if row and section:
            values = [float(v[:-1]) for v in row.group(2).split() if v.endswith('x')]
            found[(section, row.group(1))] = values[:-2]  # the last two are the median and the geometric mean
    return found


runs = [ratios(p) for p in sys.argv[1:]]
for key in sorted({k for r in runs for k in r}):
    values = [v for r in runs for v in r.get(key, [])]
    logs = [math.log(v) for v in values]
    mean = statistics.mean(logs)
    half = stats.t.ppf(0.975, len(logs) - 1) * statistics.stdev(logs) / math.sqrt(len(logs))
    print(f'{key[0]:4} {key[1]:>3}: {len(values)} rounds, median {statistics.median(values):.2f}, '
          f'geomean {math.exp(mean):.2f} [{math.exp(mean - half):.2f}-{math.exp(mean + half):.2f}]')
