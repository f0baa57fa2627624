package io.jfmi.benchmarks.sweep;

import java.util.List;
import java.util.Locale;

/** The sweep's tables: per partition size, what was measured and what it costs, beside the study. */
final class SweepTable {
    private SweepTable() {
    }

    /** The study's USD per GB at a partition size, or NaN where it did not run that size. */
    static double studyPerGb(String label) {
        for (Object[] s : SweepCommand.STUDY) {
            if (s[0].equals(label)) {
                return (double) s[4];
            }
        }
        return Double.NaN;
    }

    /**
     * The study's mean durations priced as jfmi's are (Lambda compute at 10,240 MB, requests, transitions), per GB:
     * its reported $ per GB does not follow from its durations with the formula it states, so both are shown.
     */
    static double studyDurationsPerGb(String label, LambdaPrices prices) {
        for (Object[] s : SweepCommand.STUDY) {
            if (s[0].equals(label)) {
                int requests = (int) s[1];
                double gb = requests * io.jfmi.worker.cli.PartitionCommand.parseBytes(label) / 1e9;
                double compute = prices.compute(Math.round(requests * (double) s[2] * 1000),
                        LambdaPrices.MAX_MEMORY_MB);
                return (compute + prices.requests(requests) + prices.transitions(
                        LambdaPrices.transitionsPerExecution(requests))) / gb;
            }
        }
        return Double.NaN;
    }

    static String markdown(List<SweepRow> rows, LambdaPrices prices, int cores, int memoryMb, long datasetBytes,
            String model, int sample) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Partition sweep: %.0f MB of data, model %s, each partition one cold "
                + "handler JVM on %d core(s), %s%n%n", datasetBytes / 1e6, model, cores,
                sample == 0 ? "every partition measured" : sample + " partitions measured per size, costs scaled to "
                        + "all"));
        sb.append("| partition | requests | mean s | p95 s | init p50 s | max memory MB | billed s (all) | ")
                .append("compute $ | requests $ | transitions $ | $ per GB at ").append(memoryMb).append(" MB | ")
                .append("cheapest memory MB | $ per GB there | study: requests, mean s, max memory GB, $ per GB | ")
                .append("study's durations priced here, $ per GB |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SweepRow r : rows) {
            double[] c = r.cost(prices, cores, memoryMb);
            int cheapest = LambdaPrices.cheapestMemoryMb(r.maxMemoryMb(), cores);
            double[] cc = r.cost(prices, cores, cheapest);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %d | %.1f | %.6f | %.6f | %.6f "
                    + "| **%.4f** | %d | **%.4f** | %s | %s |%n", r.label(), r.partitions(), r.meanMillis() / 1000,
                    r.p95Millis() / 1000, r.initP50Millis() / 1000, r.maxMemoryMb(),
                    r.billedMillis(cores, memoryMb) / 1000.0, c[0], c[1], c[2], r.perGb(c[3]), cheapest,
                    r.perGb(cc[3]), study(r.label()), Double.isNaN(studyDurationsPerGb(r.label(), prices)) ? "-"
                            : String.format(Locale.ROOT, "%.4f", studyDurationsPerGb(r.label(), prices))));
        }
        sb.append(String.format(Locale.ROOT, "%nPrices: $%.10f per GB-s, $%.2f per million requests, $%.3f per "
                + "1,000 state transitions (Step Functions standard: Initialize, Map, one Task per partition, "
                + "Summarize). Billed = Init + Duration per request, rounded up to 1 ms. Measured on %d core(s) = "
                + "%d MB of Lambda memory; at more vCPUs the duration is taken as measured (no speed-up assumed), at "
                + "fewer it stretches in proportion. The study's $ per GB is as it reported it (Lambda compute only); "
                + "the last column prices the study's own mean durations (without Init) the way jfmi's are priced.%n",
                prices.gbSecond(), prices.perMillionRequests(), prices.perThousandTransitions(), cores,
                cores * LambdaPrices.MB_PER_VCPU));
        return sb.toString();
    }

    private static String study(String label) {
        for (Object[] s : SweepCommand.STUDY) {
            if (s[0].equals(label)) {
                return String.format(Locale.ROOT, "%d, %.2f, %.1f, %.2f", (int) s[1], (double) s[2], (double) s[3],
                        (double) s[4]);
            }
        }
        return "(not run)";
    }

    static String csv(List<SweepRow> rows, LambdaPrices prices, int cores, int memoryMb) {
        StringBuilder sb = new StringBuilder("partition,requests,measured,mean_ms,p95_ms,init_p50_ms,max_memory_mb,"
                + "billed_ms,compute_usd,requests_usd,transitions_usd,usd_per_gb,cheapest_memory_mb,"
                + "usd_per_gb_cheapest,study_usd_per_gb\n");
        for (SweepRow r : rows) {
            double[] c = r.cost(prices, cores, memoryMb);
            int cheapest = LambdaPrices.cheapestMemoryMb(r.maxMemoryMb(), cores);
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%.1f,%.1f,%.1f,%d,%d,%.8f,%.8f,%.8f,%.6f,%d,%.6f,%s%n",
                    r.label(), r.partitions(), r.runs().size(), r.meanMillis(), r.p95Millis(), r.initP50Millis(),
                    r.maxMemoryMb(), r.billedMillis(cores, memoryMb), c[0], c[1], c[2], r.perGb(c[3]), cheapest,
                    r.perGb(r.cost(prices, cores, cheapest)[3]), Double.isNaN(studyPerGb(r.label())) ? ""
                            : Double.toString(studyPerGb(r.label()))));
        }
        return sb.toString();
    }
}
