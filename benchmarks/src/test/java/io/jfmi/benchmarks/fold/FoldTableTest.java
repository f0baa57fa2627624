package io.jfmi.benchmarks.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing the RESULT lines and the ratios in the tables. */
class FoldTableTest {
    @Test
    void parsesJvmAndCLines() {
        FoldPoint jvm = FoldPoint.parseLine("JDK 17", "C1", "auto",
                "RESULT type=double bytes=2097152 best_us=200.00 median_us=250.00 copies_median_us=100.00");
        assertEquals(125.0, jvm.medianUsPerMib(), 1e-9);
        assertEquals(50.0, jvm.copiesUsPerMib(), 1e-9);
        FoldPoint c = FoldPoint.parseLine("C", "-", "scalar", "RESULT type=float bytes=1048576 best_us=40.5 "
                + "median_us=41.25");
        assertTrue(Double.isNaN(c.copiesMedianUs()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FoldPoint.parseLine("C", "-", "x", "RESULT type=float bytes=8"));
        assertTrue(e.getMessage().contains("not a fold RESULT line"), e.getMessage());
    }

    @Test
    void ratiosAreToTheSameRuntimesC2AutoAndCRowsToTheFirstRuntime() {
        List<FoldPoint> points = List.of(
                point("JDK 17", "C2", "auto", 100), point("JDK 17", "C1", "unrolled", 150),
                point("JDK 25", "C2", "auto", 80), point("JDK 25", "C1", "auto", 200),
                new FoldPoint("C", "-", "vector", "double", 1 << 20, 20, 25, Double.NaN));
        String md = FoldTable.markdown(points);
        assertTrue(md.contains("| JDK 17 | C1 | unrolled | 150.0 (1.50x) |"), md);
        assertTrue(md.contains("| JDK 25 | C1 | auto | 200.0 (2.50x) |"), md);
        assertTrue(md.contains("| C | - | vector | 25.0 (0.25x) |"), md);
        String split = FoldTable.split(points);
        assertTrue(split.contains("| JDK 17 | C1 | unrolled | double | 1MB | 150.0 | 60.0 | 90.0 |"), split);
        assertTrue(split.contains("| C | - | vector | double | 1MB | 25.0 | - | 25.0 |"), split);
    }

    private static FoldPoint point(String runtime, String jit, String loops, double median) {
        return new FoldPoint(runtime, jit, loops, "double", 1 << 20, median, median, median * 0.4);
    }
}
