package io.jfmi.benchmarks.collective;

import io.jfmi.worker.cli.JobOptions;
import java.util.List;

/**
 * Checks {@code --algorithm OP=NAME} entries as the ranks will read them, so that a misspelt entry is refused
 * before any peer is built or rank started rather than by every rank at once.
 */
public final class AlgorithmArgs {
    private AlgorithmArgs() {
    }

    /** Throws IllegalArgumentException naming the bad entry; returns quietly when every entry is known. */
    public static void check(List<String> entries) {
        JobOptions options = new JobOptions();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("--algorithm: '" + entry + "' is not OP=NAME (e.g. reduce=binary)");
            }
            options.algorithms.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        options.tuning();
    }
}
