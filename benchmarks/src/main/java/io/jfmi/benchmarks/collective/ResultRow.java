package io.jfmi.benchmarks.collective;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.worker.json.JsonCodec;
import java.util.List;
import java.util.Locale;

/**
 * One measured (system, ranks, op, size) point, parsed from the JSON object of a RESULT or PART line (jfmi's
 * ranks, osu_coll.c and gloo_coll.py all print one); keys in snake_case, extra keys (e.g. "verified") ignored.
 *
 * @param cpuUs CPU time (user + system, every thread of the process) per timed call, averaged over ranks; 0 when
 *              not measured. With more ranks than cores the wall time of a call is bound by the CPU time all ranks
 *              spend on it, so this says where a gap comes from: more work per call, or waiting.
 * @param idlePct share of the host's CPU time left idle during the timed calls (rank 0's reading of /proc/stat),
 *                percent; null when not measured (peers, non-Linux hosts)
 */
public record ResultRow(String system, int ranks, String op, long bytes, int iterations, double meanUs,
        double p50Us, double p99Us, double cpuUs, Double idlePct) {

    public ResultRow(String system, int ranks, String op, long bytes, int iterations, double meanUs, double p50Us,
            double p99Us) {
        this(system, ranks, op, bytes, iterations, meanUs, p50Us, p99Us, 0);
    }

    public ResultRow(String system, int ranks, String op, long bytes, int iterations, double meanUs, double p50Us,
            double p99Us, double cpuUs) {
        this(system, ranks, op, bytes, iterations, meanUs, p50Us, p99Us, cpuUs, null);
    }

    /** This row with the host's idle share measured over its timed calls. */
    public ResultRow withIdlePct(Double idle) {
        return new ResultRow(system, ranks, op, bytes, iterations, meanUs, p50Us, p99Us, cpuUs, idle);
    }

    public static ResultRow parse(String json) {
        return JsonCodec.bind(JsonCodec.parseObject(json, "result line"), ResultRow.class, "result line '" + json + "'",
                "system", "ranks", "op", "bytes", "iterations", "mean_us", "p50_us", "p99_us");
    }

    /** A text table; the idle column only when some row measured it. */
    public static String table(List<ResultRow> rows) {
        boolean idle = rows.stream().anyMatch(r -> r.idlePct != null);
        StringBuilder sb = new StringBuilder();
        String idleHeader = idle ? String.format(Locale.ROOT, "%8s", "idle%") : "";
        sb.append(String.format(Locale.ROOT, "%-8s %5s %-10s %8s %11s %11s %11s %11s%s%n", "system", "ranks", "op",
                "bytes", "mean(us)", "p50(us)", "p99(us)", "cpu(us)", idleHeader));
        for (ResultRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%-8s %5d %-10s %8s %11.2f %11.2f %11.2f %11s%s%n", r.system, r.ranks,
                    r.op, Sizes.format(r.bytes), r.meanUs, r.p50Us, r.p99Us, r.cpuText(),
                    idle ? String.format(Locale.ROOT, "%8s", r.idleText()) : ""));
        }
        return sb.toString();
    }

    public static String json(List<ResultRow> rows) {
        return JsonCodec.write(rows);
    }

    /** Combines per-rank PART rows of one point: mean averaged over ranks, p50 and p99 of the slowest rank. */
    public static ResultRow combine(List<ResultRow> parts) {
        ResultRow first = parts.get(0);
        double mean = parts.stream().mapToDouble(ResultRow::meanUs).average().orElse(0);
        double p50 = parts.stream().mapToDouble(ResultRow::p50Us).max().orElse(0);
        double p99 = parts.stream().mapToDouble(ResultRow::p99Us).max().orElse(0);
        double cpu = parts.stream().mapToDouble(ResultRow::cpuUs).average().orElse(0);
        Double idle = parts.stream().map(ResultRow::idlePct).filter(v -> v != null).findFirst().orElse(null);
        return new ResultRow(first.system, first.ranks, first.op, first.bytes, first.iterations, mean, p50, p99, cpu,
                idle);
    }

    public static String csv(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder(
                "system,ranks,op,bytes,iterations,mean_us,p50_us,p99_us,cpu_us,idle_pct\n");
        for (ResultRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.3f,%.3f,%.3f,%.3f,%s%n", r.system, r.ranks, r.op,
                    r.bytes, r.iterations, r.meanUs, r.p50Us, r.p99Us, r.cpuUs,
                    r.idlePct == null ? "" : String.format(Locale.ROOT, "%.1f", r.idlePct)));
        }
        return sb.toString();
    }

    /** Idle percent for tables, "-" when not measured. */
    public String idleText() {
        return idlePct != null ? String.format(Locale.ROOT, "%.1f", idlePct) : "-";
    }

    /** CPU µs per call for tables, "-" when not measured. */
    public String cpuText() {
        return cpuUs > 0 ? String.format(Locale.ROOT, "%.2f", cpuUs) : "-";
    }
}
