package io.jfmi.benchmarks.sweep;

import java.util.Arrays;
import java.util.List;

/**
 * One partition size: its measured requests and what they cost.
 *
 * @param label        e.g. 25MB
 * @param partitions   requests the whole dataset needs at this size
 * @param runs         the requests measured (all, or a sample)
 * @param datasetBytes the dataset's size
 */
record SweepRow(String label, int partitions, List<PartitionRun> runs, long datasetBytes) {

    double meanMillis() {
        return runs.stream().mapToDouble(PartitionRun::durationMillis).average().orElse(Double.NaN);
    }

    double p95Millis() {
        double[] d = runs.stream().mapToDouble(PartitionRun::durationMillis).sorted().toArray();
        return d[(int) Math.min(d.length - 1, Math.ceil(0.95 * d.length) - 1)];
    }

    double initP50Millis() {
        double[] d = runs.stream().mapToDouble(PartitionRun::initMillis).sorted().toArray();
        return d[d.length / 2];
    }

    long maxMemoryMb() {
        return runs.stream().mapToLong(PartitionRun::maxMemoryMb).max().orElse(0);
    }

    /** Billed milliseconds of all partitions: each measured request's Init + Duration, rounded up, scaled to all. */
    long billedMillis(int cores, int memoryMb) {
        long sampled = 0;
        for (PartitionRun r : runs) {
            sampled += LambdaPrices.billedMillis(LambdaPrices.scaledMillis(r.initMillis() + r.durationMillis(), cores,
                    memoryMb));
        }
        return Math.round(sampled * (double) partitions / runs.size());
    }

    /** Compute, requests and state transitions, in USD, for the whole dataset at {@code memoryMb}. */
    double[] cost(LambdaPrices prices, int cores, int memoryMb) {
        double compute = prices.compute(billedMillis(cores, memoryMb), memoryMb);
        double requests = prices.requests(partitions);
        double transitions = prices.transitions(LambdaPrices.transitionsPerExecution(partitions));
        return new double[] {compute, requests, transitions, compute + requests + transitions};
    }

    double perGb(double usd) {
        return usd / (datasetBytes / 1e9);
    }

    static double[] durations(List<PartitionRun> runs) {
        return runs.stream().mapToDouble(PartitionRun::durationMillis).toArray();
    }

    @Override
    public String toString() {
        return label + " " + partitions + " partitions, " + runs.size() + " measured, durations "
                + Arrays.toString(durations(runs));
    }
}
