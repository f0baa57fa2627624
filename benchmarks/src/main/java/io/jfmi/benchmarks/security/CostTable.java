package io.jfmi.benchmarks.security;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.benchmarks.collective.ResultRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pairs each protected setup with its plain twin at every point (sealed with direct, relay-tls with relay):
 * mean and p99 latency of both, their ratios, and the protected setup's rate in MB/s (bytes per rank per call
 * over the mean).
 */
final class CostTable {
    private static final Map<String, String> TWIN = Map.of("healing", "direct", "sealed", "direct", "relay-tls",
            "relay");

    private CostTable() {
    }

    static String render(List<ResultRow> rows) {
        Map<String, ResultRow> byKey = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            byKey.put(key(r.system(), r), r);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%-10s %5s %-10s %6s %11s %11s %7s %11s %11s %7s %10s %10s%n", "setup", "ranks", "op", "bytes",
                "plain mean", "prot mean", "ratio", "plain p99", "prot p99", "ratio", "plain MB/s", "prot MB/s"));
        for (ResultRow r : rows) {
            String twin = TWIN.get(r.system());
            ResultRow plain = twin == null ? null : byKey.get(key(twin, r));
            if (plain == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-10s %5d %-10s %6s %11.2f %11.2f %6.2fx %11.2f %11.2f %6.2fx "
                    + "%10.1f %10.1f%n", r.system(), r.ranks(), r.op(), Sizes.format(r.bytes()), plain.meanUs(),
                    r.meanUs(), r.meanUs() / plain.meanUs(), plain.p99Us(), r.p99Us(), r.p99Us() / plain.p99Us(),
                    r.bytes() / plain.meanUs(), r.bytes() / r.meanUs()));
        }
        return sb.toString();
    }

    private static String key(String setup, ResultRow r) {
        return setup + "|" + r.ranks() + "|" + r.op() + "|" + r.bytes();
    }
}
