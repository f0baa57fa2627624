package io.jfmi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's python3 with python3-torch, for tests that compare against real PyTorch. Where it is missing the test
 * is skipped, unless JFMI_REQUIRE_TORCH=1 (CI sets it) turns the skip into a failure.
 */
public final class DebianPython {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private DebianPython() {
    }

    /** Skips (or fails under CI) when python3-torch is not importable. */
    public static void requireTorch() throws Exception {
        boolean ok = Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import torch, numpy"),
                60).exitCode() == 0;
        if (!ok && "1".equals(System.getenv("JFMI_REQUIRE_TORCH"))) {
            throw new AssertionError("JFMI_REQUIRE_TORCH=1 but " + PYTHON + " cannot import torch and numpy "
                    + "(apt-get install -y python3-torch python3-numpy)");
        }
        Assumptions.assumeTrue(ok, "Debian python3-torch not installed");
    }

    /** The repository's scripts folder (tests run with the worker module as working directory). */
    public static Path script(String name) {
        Path p = Path.of("..", "scripts", name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing " + p);
        }
        return p;
    }

    /** Runs python with the arguments; fails the test with its output unless it exits 0. */
    public static String runOk(long timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString()));
        cmd.addAll(List.of(args));
        Result r = run(cmd, timeoutSeconds);
        assertEquals(0, r.exitCode(), () -> String.join(" ", cmd) + " failed:\n" + r.output());
        return r.output();
    }

    public record Result(int exitCode, String output) {
    }

    public static Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(output lost: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(2000);
            throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
        }
        reader.join(5000);
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }
}
