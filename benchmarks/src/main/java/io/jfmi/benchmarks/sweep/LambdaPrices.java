package io.jfmi.benchmarks.sweep;

/**
 * What a run of Lambda functions under a Step Function costs (x86, us-east-1 public prices as defaults).
 *
 * @param gbSecond        USD per GB-second of Lambda compute (0.0000166667)
 * @param perMillionRequests USD per million Lambda requests (0.20)
 * @param perThousandTransitions USD per 1,000 Step Functions standard state transitions (0.025)
 */
public record LambdaPrices(double gbSecond, double perMillionRequests, double perThousandTransitions) {
    public static final LambdaPrices DEFAULTS = new LambdaPrices(0.0000166667, 0.20, 0.025);
    /** Memory that buys one vCPU (AWS: 1,769 MB = 1 vCPU, up to 6 vCPUs at 10,240 MB). */
    public static final int MB_PER_VCPU = 1769;
    public static final int MAX_MEMORY_MB = 10_240;
    public static final int MIN_MEMORY_MB = 128;

    public LambdaPrices {
        if (gbSecond < 0 || perMillionRequests < 0 || perThousandTransitions < 0) {
            throw new IllegalArgumentException("prices must be >= 0");
        }
    }

    /** Lambda bills each request's duration rounded up to the millisecond. */
    public static long billedMillis(double durationMillis) {
        return (long) Math.ceil(durationMillis);
    }

    /** Compute cost of requests with these billed durations at {@code memoryMb}. */
    public double compute(long totalBilledMillis, int memoryMb) {
        return totalBilledMillis / 1000.0 * (memoryMb / 1024.0) * gbSecond;
    }

    public double requests(long requests) {
        return requests / 1e6 * perMillionRequests;
    }

    public double transitions(long transitions) {
        return transitions / 1000.0 * perThousandTransitions;
    }

    /**
     * State transitions of the generated definition for one execution of {@code items} Map iterations:
     * Initialize, the Map state, one Task per iteration, Summarize.
     */
    public static long transitionsPerExecution(long items) {
        return 3 + items;
    }

    /** vCPUs of a function with {@code memoryMb}: 1 per 1,769 MB, and 6 at the 10,240 MB maximum. */
    public static double vcpus(int memoryMb) {
        return memoryMb >= MAX_MEMORY_MB ? 6.0 : Math.min(6.0, memoryMb / (double) MB_PER_VCPU);
    }

    /**
     * The memory setting that minimises compute cost for work measured on {@code cores} cores taking {@code
     * durationMillis} and peaking at {@code peakMb}, assuming CPU-bound work: with fewer vCPUs than cores it takes
     * proportionally longer (same GB-seconds), with more it takes no less (more GB-seconds). So any setting from the
     * peak memory up to {@code cores} vCPUs costs the same and the cheapest fastest one is {@code cores} vCPUs' worth,
     * or the peak memory if that is more. Rounded up to whole MB, within Lambda's 128..10,240 MB.
     */
    public static int cheapestMemoryMb(double peakMb, int cores) {
        int m = (int) Math.ceil(Math.max(peakMb, cores * (double) MB_PER_VCPU));
        return Math.max(MIN_MEMORY_MB, Math.min(MAX_MEMORY_MB, m));
    }

    /** Duration at {@code memoryMb} of work measured as {@code measuredMillis} on {@code cores} cores. */
    public static double scaledMillis(double measuredMillis, int cores, int memoryMb) {
        double v = vcpus(memoryMb);
        return v >= cores ? measuredMillis : measuredMillis * cores / v;
    }
}
