package io.jfmi.worker.inference;

/** Nanoseconds spent per stage of a batch, summed over batches: copying inputs in, the forward pass, reading out. */
public final class StageTimes {
    public long prepareNanos;
    public long forwardNanos;
    public long fetchNanos;
}
