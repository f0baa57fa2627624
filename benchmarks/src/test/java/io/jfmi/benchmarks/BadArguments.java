package io.jfmi.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfmi.worker.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a benchmarks command line that must be refused as bad arguments, and returns what it printed on stderr. */
public final class BadArguments {
    private BadArguments() {
    }

    public static String refused(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Cli.execute(BenchmarksMain.class, args);
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(Cli.BAD_ARGUMENTS, code, text);
        return text;
    }
}
