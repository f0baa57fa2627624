package io.jfmi.benchmarks.inference;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One measured point: a system at a batch size and thread count. */
public record InferenceRow(String system, int batch, int threads, double samplesPerSecond, double p50Ms,
        double p99Ms, long peakRssMb, long rssFirstMb, long rssLastMb, int batches) {
    private static final Pattern FIELD = Pattern.compile("(\\w+)=([0-9.]+)");

    /** Parses a probe's "RESULT k=v ..." line. */
    static InferenceRow parse(String system, int batch, int threads, String line) {
        Map<String, Double> f = new java.util.HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            f.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        if (!f.containsKey("samples_per_s")) {
            throw new IllegalArgumentException(system + ": no result in '" + line + "'");
        }
        return new InferenceRow(system, batch, threads, f.get("samples_per_s"), f.get("p50_ms"), f.get("p99_ms"),
                f.get("peak_rss_mb").longValue(), f.get("rss_first_mb").longValue(),
                f.get("rss_last_mb").longValue(), f.get("batches").intValue());
    }

    /** Systems a user would pick instead of jfmi's engines; the table compares every row with the faster one. */
    static final List<String> PEERS = List.of("ort-java", "python-pytorch");

    /**
     * This row's throughput over the best peer's at the same batch size and thread count (1.0 = as fast; NaN when
     * no peer ran that point).
     */
    double vsBestPeer(List<InferenceRow> rows) {
        double best = rows.stream().filter(o -> o.batch == batch && o.threads == threads && PEERS.contains(o.system))
                .mapToDouble(InferenceRow::samplesPerSecond).max().orElse(Double.NaN);
        return samplesPerSecond / best;
    }

    static String csvHeader() {
        return "system,batch,threads,samples_per_s,p50_ms,p99_ms,peak_rss_mb,rss_first_mb,rss_last_mb,batches";
    }

    String csv() {
        return String.format(Locale.ROOT, "%s,%d,%d,%.2f,%.2f,%.2f,%d,%d,%d,%d", system, batch, threads,
                samplesPerSecond, p50Ms, p99Ms, peakRssMb, rssFirstMb, rssLastMb, batches);
    }
}
