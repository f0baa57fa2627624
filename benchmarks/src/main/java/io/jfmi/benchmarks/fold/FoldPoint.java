package io.jfmi.benchmarks.fold;

import java.io.IOException;
import java.util.List;

/**
 * One timed point of {@code benchmarks fold}: which runtime, JIT and loops, the element type and vector size, and
 * the best and median time of one fold; for a JVM, also the median of the kernel's bulk copies alone (NaN for C,
 * which folds in place without copies).
 */
record FoldPoint(String runtime, String jit, String loops, String type, int bytes, double bestUs, double medianUs,
        double copiesMedianUs) {
    private static final double MIB = 1 << 20;

    /** The median scaled to one MiB of operand, so sizes compare. */
    double medianUsPerMib() {
        return medianUs * MIB / bytes;
    }

    double bestUsPerMib() {
        return bestUs * MIB / bytes;
    }

    double copiesUsPerMib() {
        return copiesMedianUs * MIB / bytes;
    }

    /** The first "RESULT type=.. bytes=.. best_us=.. median_us=.." line of {@code lines}; fails naming {@code who}. */
    static FoldPoint parse(String runtime, String jit, String loops, List<String> lines, String who)
            throws IOException {
        String line = lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IOException(who + " printed no RESULT line: " + lines));
        return parseLine(runtime, jit, loops, line);
    }

    static FoldPoint parseLine(String runtime, String jit, String loops, String line) {
        String type = null;
        Integer bytes = null;
        Double best = null;
        Double median = null;
        double copies = Double.NaN;
        for (String field : line.split(" ")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = field.substring(eq + 1);
            switch (field.substring(0, eq)) {
                case "type" -> type = value;
                case "bytes" -> bytes = Integer.parseInt(value);
                case "best_us" -> best = Double.parseDouble(value);
                case "median_us" -> median = Double.parseDouble(value);
                case "copies_median_us" -> copies = Double.parseDouble(value);
                default -> {
                }
            }
        }
        if (type == null || bytes == null || best == null || median == null) {
            throw new IllegalArgumentException("not a fold RESULT line (type, bytes, best_us, median_us): '" + line
                    + "'");
        }
        return new FoldPoint(runtime, jit, loops, type, bytes, best, median, copies);
    }
}
