package io.jfmi.core;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether large sums run {@link UnrolledSums} (no C2 in this JVM) or the plain loops C2 vectorises. Decided once,
 * at the first fold of more than one chunk, from the JVM's arguments ({@code -XX:TieredStopAtLevel}, {@code
 * -XX:-TieredCompilation}, {@code -Xint}, including those from {@code JAVA_TOOL_OPTIONS}); reading them starts the
 * JVM's management beans (~17 ms once where nothing else has), which small folds never pay. The system property
 * {@value #PROPERTY} ({@code auto}, {@code plain} or {@code unrolled}) overrides the decision.
 */
final class ReduceLoopChoice {
    static final String PROPERTY = "jfmi.reduce.loops";
    private static final Logger log = LoggerFactory.getLogger(ReduceLoopChoice.class);

    /** The decision and why, for the log. */
    record Decision(boolean unrolled, String reason) {
    }

    private ReduceLoopChoice() {
    }

    private static final class Holder {
        static final Decision DECISION = logged(decide(System.getProperty(PROPERTY), Holder::jvmArguments));

        /** Empty when they cannot be read (no java.management in a trimmed runtime): then the plain loops. */
        private static List<String> jvmArguments() {
            try {
                return ManagementFactory.getRuntimeMXBean().getInputArguments();
            } catch (RuntimeException | LinkageError e) {
                log.debug("cannot read the JVM's arguments ({}); large sums use the plain loops", e.toString());
                return List.of();
            }
        }
    }

    /** Supplies the JVM's arguments only when they are needed. */
    interface Arguments {
        List<String> get();
    }

    static boolean unrolledSums() {
        return Holder.DECISION.unrolled();
    }

    static Decision decide(String property, Arguments arguments) {
        String value = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "plain":
                return new Decision(false, "-D" + PROPERTY + "=plain");
            case "unrolled":
                return new Decision(true, "-D" + PROPERTY + "=unrolled");
            case "auto":
                return fromJvmArguments(arguments.get());
            default:
                Decision auto = fromJvmArguments(arguments.get());
                log.warn("-D{}={} is not one of auto, plain, unrolled; ignored, deciding as auto ({})", PROPERTY,
                        property, auto.reason());
                return new Decision(auto.unrolled(), "-D" + PROPERTY + "=" + property + " ignored; " + auto.reason());
        }
    }

    /** The last of each flag wins, as in the JVM. */
    static Decision fromJvmArguments(List<String> args) {
        boolean tiered = true;
        boolean interpretedOnly = false;
        int stopLevel = 4;
        String stopFlag = null;
        for (String arg : args) {
            if (arg.equals("-Xint")) {
                interpretedOnly = true;
            } else if (arg.equals("-Xmixed")) {
                interpretedOnly = false;
            } else if (arg.equals("-XX:-TieredCompilation")) {
                tiered = false;
            } else if (arg.equals("-XX:+TieredCompilation")) {
                tiered = true;
            } else if (arg.startsWith("-XX:TieredStopAtLevel=")) {
                try {
                    stopLevel = Integer.parseInt(arg.substring("-XX:TieredStopAtLevel=".length()));
                    stopFlag = arg;
                } catch (NumberFormatException e) {
                    // The JVM would not have started with it; nothing to learn from it here.
                }
            }
        }
        if (interpretedOnly) {
            return new Decision(true, "-Xint: no JIT compiler");
        }
        if (tiered && stopLevel < 4) {
            return new Decision(true, stopFlag + (stopLevel == 0 ? ": no JIT compiler" : ": C1 only"));
        }
        return new Decision(false, tiered ? "C2 available" : "-XX:-TieredCompilation: C2 only");
    }

    private static Decision logged(Decision d) {
        log.debug("large sums use {} loops ({})", d.unrolled() ? "unrolled" : "plain", d.reason());
        return d;
    }
}
