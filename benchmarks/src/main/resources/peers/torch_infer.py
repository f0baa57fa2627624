"""Python PyTorch peer of jfmi's inference benchmark: the same TorchScript, inputs and loop as InferenceProbe.

    python3 torch_infer.py MODEL.pt BATCH THREADS SAMPLES SECONDS WARMUP
Prints one RESULT line (samples/s, batch latency p50/p99 in ms, peak RSS in MB).
"""
import resource
import sys
import time

import torch


def main():
    model, batch, threads, samples, seconds, warmup = sys.argv[1:7]
    batch, threads, samples, seconds, warmup = int(batch), int(threads), int(samples), float(seconds), int(warmup)
    torch.set_num_threads(threads)  # Debian's build starts with 1 intra-op thread otherwise
    torch.set_num_interop_threads(1)
    m = torch.jit.load(model).eval()
    g = torch.Generator().manual_seed(1)
    images = torch.rand(batch, 5, 32, 32, generator=g)
    mags = 16 + 4 * torch.rand(batch, 5, generator=g)
    with torch.inference_mode():
        for _ in range(warmup):
            m(images, mags)
        times = []
        start = time.perf_counter()
        while len(times) < 3 or (len(times) * batch < samples and time.perf_counter() - start < seconds):
            t = time.perf_counter()
            m(images, mags)
            times.append((time.perf_counter() - t) * 1e3)
        total = time.perf_counter() - start
    times.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print("RESULT samples_per_s=%.2f p50_ms=%.2f p99_ms=%.2f peak_rss_mb=%d rss_first_mb=0 rss_last_mb=0 batches=%d"
          % (len(times) * batch / total, times[len(times) // 2], times[min(len(times) - 1, int(0.99 * len(times)))],
             rss, len(times)))


if __name__ == "__main__":
    main()
