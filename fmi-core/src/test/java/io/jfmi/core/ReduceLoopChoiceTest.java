package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.ReduceLoopChoice.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which loops large sums run, from the JVM's flags and the override property. */
class ReduceLoopChoiceTest {
    private static Decision of(String... args) {
        return ReduceLoopChoice.fromJvmArguments(List.of(args));
    }

    @Test
    void c1OnlyUnrollsAndC2DoesNot() {
        assertFalse(of().unrolled());
        assertFalse(of("-Xmx1g", "-XX:TieredStopAtLevel=4").unrolled());
        Decision c1 = of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
        assertTrue(c1.unrolled());
        assertEquals("-XX:TieredStopAtLevel=1: C1 only", c1.reason());
        assertTrue(of("-XX:TieredStopAtLevel=3").unrolled());
        assertEquals("-XX:TieredStopAtLevel=0: no JIT compiler", of("-XX:TieredStopAtLevel=0").reason());
        assertTrue(of("-Xint").unrolled());
    }

    @Test
    void theLastFlagWinsAsInTheJvm() {
        assertFalse(of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4").unrolled());
        assertTrue(of("-XX:TieredStopAtLevel=4", "-XX:TieredStopAtLevel=1").unrolled());
        assertFalse(of("-Xint", "-Xmixed").unrolled());
        // Without tiers the JVM runs C2 alone and ignores the stop level.
        Decision c2Only = of("-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation");
        assertFalse(c2Only.unrolled());
        assertEquals("-XX:-TieredCompilation: C2 only", c2Only.reason());
        assertTrue(of("-XX:-TieredCompilation", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1").unrolled());
    }

    @Test
    void thePropertyOverridesAndABadValueFallsBackToAuto() {
        List<String> c1 = List.of("-XX:TieredStopAtLevel=1");
        assertFalse(ReduceLoopChoice.decide("plain", () -> c1).unrolled());
        assertTrue(ReduceLoopChoice.decide(" Unrolled ", List::of).unrolled());
        assertTrue(ReduceLoopChoice.decide("auto", () -> c1).unrolled());
        assertTrue(ReduceLoopChoice.decide(null, () -> c1).unrolled());
        Decision bad = ReduceLoopChoice.decide("fast", () -> c1);
        assertTrue(bad.unrolled());
        assertTrue(bad.reason().startsWith("-Djfmi.reduce.loops=fast ignored; "), bad.reason());
    }

    @Test
    void anOverrideDoesNotReadTheJvmArguments() {
        ReduceLoopChoice.Arguments failing = () -> {
            throw new AssertionError("read the JVM's arguments although the property decided");
        };
        assertFalse(ReduceLoopChoice.decide("plain", failing).unrolled());
        assertTrue(ReduceLoopChoice.decide("unrolled", failing).unrolled());
    }
}
