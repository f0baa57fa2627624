package io.jfmi.benchmarks.inference;

import io.jfmi.benchmarks.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The machine's FP32 ceiling: {@code fp32_peak.c} (shipped in the jar) built with {@code gcc -O3 -march=native} and
 * run for a few seconds per thread count; chains of fused multiply-adds on the widest vectors, bound by the FMA units
 * only. Empty, with the reason printed, when gcc is missing.
 */
final class Fp32Peak {
    private final Path work;
    private Path exe;
    private boolean unavailable;

    Fp32Peak(Path work) {
        this.work = work;
    }

    OptionalDouble gflops(int threads) throws IOException, InterruptedException {
        if (!build()) {
            return OptionalDouble.empty();
        }
        List<String> lines = Exec.run(List.of(exe.toString(), Integer.toString(threads), "3"), Map.of(), work,
                Duration.ofSeconds(60));
        String line = lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IOException(exe + " printed no RESULT line: " + lines));
        return OptionalDouble.of(parse(line));
    }

    /** "RESULT threads=2 gflops=158.3 vector_bits=512" -> 158.3 */
    static double parse(String line) {
        for (String field : line.split(" ")) {
            if (field.startsWith("gflops=")) {
                return Double.parseDouble(field.substring("gflops=".length()));
            }
        }
        throw new IllegalArgumentException("no gflops= in '" + line + "'");
    }

    private boolean build() throws IOException, InterruptedException {
        if (exe != null || unavailable) {
            return exe != null;
        }
        if (!Exec.works(List.of("gcc", "--version"))) {
            System.out.println("FP32 peak skipped: gcc not found (benchmarks/setup-peers.sh installs it)");
            unavailable = true;
            return false;
        }
        Path source = work.resolve("fp32_peak.c");
        try (InputStream in = Fp32Peak.class.getResourceAsStream("/peers/fp32_peak.c")) {
            if (in == null) {
                throw new IOException("benchmarks.jar lacks /peers/fp32_peak.c");
            }
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path built = work.resolve("fp32_peak");
        Exec.run(List.of("gcc", "-O3", "-march=native", "-pthread", "-o", built.toString(), source.toString()),
                Map.of(), work, Duration.ofSeconds(60));
        exe = built;
        return true;
    }
}
