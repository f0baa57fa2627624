package io.jfmi.benchmarks.fold;

import io.jfmi.benchmarks.Sizes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fold table: a row per runtime, JIT and loops; a column per type and size holding the median µs per MiB of
 * operand and its ratio to the reference row (the same runtime with C2 and automatic loops; for the C floors, the
 * first runtime's).
 */
final class FoldTable {
    private FoldTable() {
    }

    static String markdown(List<FoldPoint> points) {
        List<String> columns = new ArrayList<>();
        Map<String, Map<String, FoldPoint>> rows = new LinkedHashMap<>();
        for (FoldPoint p : points) {
            String column = column(p);
            if (!columns.contains(column)) {
                columns.add(column);
            }
            rows.computeIfAbsent(rowKey(p), k -> new LinkedHashMap<>()).put(column, p);
        }
        StringBuilder sb = new StringBuilder("| runtime | JIT | loops |");
        columns.forEach(c -> sb.append(' ').append(c).append(" |"));
        sb.append("\n|---|---|---|");
        columns.forEach(c -> sb.append("---|"));
        sb.append('\n');
        for (Map<String, FoldPoint> row : rows.values()) {
            FoldPoint any = row.values().iterator().next();
            sb.append("| ").append(any.runtime()).append(" | ").append(any.jit()).append(" | ").append(any.loops())
                    .append(" |");
            for (String c : columns) {
                FoldPoint p = row.get(c);
                FoldPoint ref = reference(points, any, c);
                if (p == null) {
                    sb.append(" - |");
                } else if (ref == null) {
                    sb.append(String.format(Locale.ROOT, " %.1f |", p.medianUsPerMib()));
                } else {
                    sb.append(String.format(Locale.ROOT, " %.1f (%.2fx) |", p.medianUsPerMib(),
                            p.medianUs() / ref.medianUs()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String csv(List<FoldPoint> points) {
        StringBuilder sb = new StringBuilder("runtime,jit,loops,type,bytes,best_us,median_us,copies_median_us\n");
        for (FoldPoint p : points) {
            sb.append(String.format(Locale.ROOT, "\"%s\",%s,\"%s\",%s,%d,%.2f,%.2f,%.2f%n", p.runtime(), p.jit(),
                    p.loops(), p.type(), p.bytes(), p.bestUs(), p.medianUs(), p.copiesMedianUs()));
        }
        return sb.toString();
    }

    /**
     * Where a JVM's fold goes, per type and size: the kernel's bulk copies alone and the rest (its loop), each in
     * median µs per MiB; the C rows, which need no copies, give the loop's floors.
     */
    static String split(List<FoldPoint> points) {
        StringBuilder sb = new StringBuilder("| runtime | JIT | loops | type | size | fold | copies alone | the rest "
                + "(loop) |\n|---|---|---|---|---|---|---|---|\n");
        for (FoldPoint p : points) {
            boolean jvm = !Double.isNaN(p.copiesMedianUs());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %sB | %.1f | %s | %s |%n", p.runtime(),
                    p.jit(), p.loops(), p.type(), Sizes.format(p.bytes()), p.medianUsPerMib(),
                    jvm ? String.format(Locale.ROOT, "%.1f", p.copiesUsPerMib()) : "-",
                    String.format(Locale.ROOT, "%.1f", p.medianUsPerMib() - (jvm ? p.copiesUsPerMib() : 0))));
        }
        return sb.toString();
    }

    private static String column(FoldPoint p) {
        return p.type() + " " + Sizes.format(p.bytes()) + "B";
    }

    private static String rowKey(FoldPoint p) {
        return p.runtime() + "|" + p.jit() + "|" + p.loops();
    }

    /** The same runtime's C2 auto point; for rows without one (the C floors), the first runtime's. */
    private static FoldPoint reference(List<FoldPoint> points, FoldPoint row, String column) {
        FoldPoint first = null;
        for (FoldPoint p : points) {
            if (!p.jit().equals("C2") || !p.loops().equals("auto") || !column(p).equals(column)) {
                continue;
            }
            if (p.runtime().equals(row.runtime())) {
                return p;
            }
            if (first == null) {
                first = p;
            }
        }
        return row.jit().equals("-") ? first : null;
    }
}
