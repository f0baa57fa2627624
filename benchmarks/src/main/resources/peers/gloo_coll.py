"""OSU-style collective latency for PyTorch's gloo backend, for jfmi's side-by-side comparison.

usage: RANK=r WORLD_SIZE=n python3 gloo_coll.py PORT OPS SIZES ITERATIONS WARMUP
Every rank prints one PART line (JSON) per op and size, like osu_coll.c.
"""
import json
import os
import sys
import time

import torch
import torch.distributed as dist


def scaled(requested, floor, size, n, budget):
    """Same rule in every benchmark program: fewer calls for large messages."""
    if size <= 0:
        return requested
    return min(requested, max(floor, budget // (size * n)))


WARMUP_MIN_SECONDS = 0.5


def warm_up(call, warm):
    """Same rule in every benchmark program: at least warm calls and WARMUP_MIN_SECONDS, in blocks of a tenth of warm;
    after each block rank 0 decides whether to go on (so every rank makes the same calls); none when warm is 0."""
    if warm == 0:
        return
    dist.barrier()
    start = time.perf_counter()
    block = max(1, warm // 10)
    more = torch.ones(1, dtype=torch.int64)
    calls = 0
    while more.item() != 0:
        for _ in range(block):
            call()
        calls += block
        more.fill_(1 if calls < warm or time.perf_counter() - start < WARMUP_MIN_SECONDS else 0)
        dist.broadcast(more, 0)


def make_call(op, size, n):
    """The call that times op at size bytes per rank (alltoall: per peer), with its own tensors."""
    count = size // 8
    t = torch.zeros(count, dtype=torch.int64)
    outs = [torch.zeros(count, dtype=torch.int64) for _ in range(n)]
    a2a_in = torch.zeros(count * n, dtype=torch.int64)
    a2a_out = torch.zeros(count * n, dtype=torch.int64)
    calls = {
        "barrier": lambda: dist.barrier(),
        "bcast": lambda: dist.broadcast(t, 0),
        "allgather": lambda: dist.all_gather(outs, t),
        "reduce": lambda: dist.reduce(t, 0),
        "allreduce": lambda: dist.all_reduce(t),
        "alltoall": lambda: dist.all_to_all_single(a2a_out, a2a_in),
    }
    if op not in calls:
        raise SystemExit(f"unknown op {op}")
    return calls[op]


def main():
    port, ops, sizes, iters, warmup = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(","), \
        int(sys.argv[4]), int(sys.argv[5])
    rank, n = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=n)
    points = [(op, size) for op in ops for size in ([0] if op == "barrier" else [int(s) for s in sizes])]
    # Same rule in every benchmark program: before the first point is timed, every point gets its warm-up once, in
    # order; then each gets it again right before its timed calls, so no figure depends on where its point stands.
    # A cold run (warmup 0) skips the pass.
    for op, size in (points if warmup > 0 else []):
        warm_up(make_call(op, size, n), scaled(warmup, 20, size, n, 1 << 26))
    for op, size in points:
        call = make_call(op, size, n)
        iters_here = scaled(iters, 20, size, n, 1 << 28)
        warm_up(call, scaled(warmup, 20, size, n, 1 << 26))
        dist.barrier()
        lat = []
        cpu0 = time.process_time_ns()  # the process's CPU time, every thread, as the other systems report it
        for _ in range(iters_here):
            t0 = time.perf_counter_ns()
            call()
            lat.append((time.perf_counter_ns() - t0) / 1000.0)
        cpu_us = (time.process_time_ns() - cpu0) / 1000.0 / iters_here
        lat.sort()
        print("PART " + json.dumps({"system": "gloo", "ranks": n, "rank": rank, "op": op, "bytes": size,
                                    "iterations": iters_here, "mean_us": sum(lat) / iters_here,
                                    "p50_us": lat[iters_here // 2], "p99_us": lat[int(iters_here * 0.99)],
                                    "cpu_us": cpu_us}), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
