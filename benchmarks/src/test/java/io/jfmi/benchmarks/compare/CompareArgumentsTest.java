package io.jfmi.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.benchmarks.BadArguments;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `compare` refuses bad arguments before it builds a peer or starts a rank. */
class CompareArgumentsTest {
    @TempDir
    Path work;

    @Test
    void anUnknownOpIsRefusedBeforeAnythingRuns() throws Exception {
        String err = BadArguments.refused("compare", "--ops", "reduce,reduce_scatter", "--systems",
                "jfmi,openmpi", "--work", work.toString());
        assertTrue(err.contains("unknown op 'reduce_scatter'") && err.contains("known: barrier"), err);
        try (var built = Files.list(work)) {
            assertEquals(0, built.count(), "nothing may be built for a refused run");
        }
    }

    @Test
    void anUnknownOrMalformedAlgorithmIsRefusedBeforeAnythingRuns() throws Exception {
        String err = BadArguments.refused("compare", "--algorithm", "reduce=binray", "--systems", "jfmi,openmpi",
                "--work", work.toString());
        assertTrue(err.contains("unknown reduce algorithm 'binray'") && err.contains("binary"), err);
        err = BadArguments.refused("compare", "--algorithm", "reduce", "--work", work.toString());
        assertTrue(err.contains("'reduce' is not OP=NAME"), err);
        err = BadArguments.refused("collectives", "--algorithm", "scan=linear");
        assertTrue(err.contains("unknown op 'scan'"), err);
        try (var built = Files.list(work)) {
            assertEquals(0, built.count(), "nothing may be built for a refused run");
        }
    }

    @Test
    void anUnknownSystemIsRefused() throws Exception {
        String err = BadArguments.refused("compare", "--systems", "jfmi,mpich", "--work", work.toString());
        assertTrue(err.contains("--systems: unknown [mpich]"), err);
    }
}
