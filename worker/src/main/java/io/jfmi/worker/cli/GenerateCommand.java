package io.jfmi.worker.cli;

import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.data.GalaxyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a deterministic synthetic galaxy dataset. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write synthetic galaxies (images [n,5,32,32] float32, magnitudes [n,5] float64, redshifts "
                + "[n] float32) whose size, brightness and colour depend on redshift, as a .npz.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--samples", required = true, description = "Number of galaxies.")
    int samples;

    @Option(names = "--seed", description = "Random seed; the same seed gives the same file (default: "
            + "${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--out", required = true, description = "Output .npz file (written atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (samples < 1 || samples > 1_000_000) {
            throw new IllegalArgumentException("--samples must be 1..1000000, got " + samples);
        }
        if (!out.getFileName().toString().endsWith(".npz")) {
            throw new IllegalArgumentException("--out must name a .npz file, got " + out);
        }
        GalaxyDataset data = GalaxyGenerator.generate(samples, seed);
        data.save(out);
        System.out.printf("wrote %,d galaxies (seed %d) to %s (%,d bytes)%n", samples, seed, out, Files.size(out));
        return 0;
    }
}
