package io.jfmi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkerCliTest {

    private static String[] captureErr(Runnable r) {
        PrintStream old = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
            System.setOut(oldOut);
        }
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void helpListsTheCommands() {
        int[] code = new int[1];
        String[] io = captureErr(() -> code[0] = WorkerMain.execute("--help"));
        assertEquals(0, code[0]);
        assertTrue(io[0].contains("launch") && io[0].contains("run"), io[0]);
    }

    @Test
    void missingSecretFileIsNamed() {
        int[] code = new int[1];
        String[] io = captureErr(() -> code[0] = WorkerMain.execute("run", "--task", "pi",
                "--rendezvous", "127.0.0.1:1", "--job", "j", "--secret-file", "/nonexistent/secret", "--rank", "0",
                "--world-size", "1"));
        assertEquals(64, code[0]);
        assertTrue(io[1].contains("/nonexistent/secret"), io[1]);
    }

    @Test
    void rankOutsideTheWorldIsNamed() throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("s", ".secret");
        java.nio.file.Files.writeString(secret, "0123456789abcdef\n");
        int[] code = new int[1];
        String[] io = captureErr(() -> code[0] = WorkerMain.execute("run", "--task", "pi",
                "--rendezvous", "127.0.0.1:1", "--job", "j", "--secret-file", secret.toString(), "--rank", "5",
                "--world-size", "4"));
        assertEquals(64, code[0]);
        assertTrue(io[1].contains("rank must be 0..3"), io[1]);
    }

    /** Runs a one-rank pi job with a valid secret and {@code extra} options; expects exit 64, returns stderr. */
    private static String badArgumentsError(String... extra) throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("s", ".secret");
        java.nio.file.Files.writeString(secret, "0123456789abcdef\n");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--task", "pi",
                "--rendezvous", "127.0.0.1:1", "--job", "j", "--secret-file", secret.toString(), "--rank", "0",
                "--world-size", "1"));
        args.addAll(java.util.List.of(extra));
        int[] code = new int[1];
        String[] io = captureErr(() -> code[0] = WorkerMain.execute(args.toArray(String[]::new)));
        assertEquals(64, code[0], io[1]);
        return io[1];
    }

    @Test
    void aBadSegmentSizeIsNamed() throws Exception {
        for (String[] bad : new String[][] {{"512", "at least 1K"}, {"lots", "'lots' is not a number"}}) {
            String err = badArgumentsError("--segment-bytes", bad[0]);
            assertTrue(err.contains("--segment-bytes") && err.contains(bad[1]), err);
        }
    }

    @Test
    void aBadSendBufferIsNamed() throws Exception {
        for (String[] bad : new String[][] {{"lots", "'lots' is not a number"}, {"128M", "at most 64M"},
            {"-1", "outside 0..1G"}}) {
            String err = badArgumentsError("--send-buffer", bad[0]);
            assertTrue(err.contains("--send-buffer") && err.contains(bad[1]), err);
        }
    }

    @Test
    void anUnknownAlgorithmIsNamedWithTheKnownOnes() throws Exception {
        String err = badArgumentsError("--algorithm", "alltoall=bruk");
        assertTrue(err.contains("unknown alltoall algorithm 'bruk' (auto, bruck, posted, pairwise)"), err);
    }

    @Test
    void aNegativeBusyPartIsNamed() throws Exception {
        String err = badArgumentsError("--busy-nanos", "-5");
        assertTrue(err.contains("busyNanos must be >= 0") && err.contains("-5"), err);
    }

    @Test
    void inferenceWithoutDataNamesTheOption() {
        int[] code = new int[1];
        String[] io = captureErr(() -> code[0] = WorkerMain.execute("run", "--rendezvous", "127.0.0.1:1", "--job",
                "j", "--secret-file", "/nonexistent/secret", "--rank", "0", "--world-size", "1"));
        assertEquals(64, code[0]);
        assertTrue(io[1].contains("--data is required"), io[1]);
    }

    @Test
    void unknownOptionShowsUsageAndExitsAsBadArguments() {
        int[] code = new int[1];
        String[] io = captureErr(() -> code[0] = WorkerMain.execute("launch", "--no-such-option"));
        assertEquals(64, code[0], "README: 64 bad arguments (2 is a failed job)");
        assertTrue(io[1].contains("Unknown option"), io[1]);
        io = captureErr(() -> code[0] = WorkerMain.execute("generate", "--samples", "many"));
        assertEquals(64, code[0]);
        assertTrue(io[1].contains("many"), io[1]);
    }

    @Test
    void anOutputThatCannotBeWrittenExitsOneNamingIt() {
        int[] code = new int[1];
        String[] io = captureErr(() -> code[0] = WorkerMain.execute("generate", "--samples", "4", "--out",
                "/proc/jfmi-no-such-dir/galaxies.npz"));
        assertEquals(1, code[0], "README: 1 an input or output file could not be used");
        assertTrue(io[1].contains("/proc/jfmi-no-such-dir"), io[1]);
    }
}
