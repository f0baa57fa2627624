package io.jfmi.worker.cli;

import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.data.Manifest;
import io.jfmi.worker.data.Partitioner;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Cuts a dataset into shards with a manifest. */
@Command(name = "partition", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cut a .npz dataset into shards of at most --size bytes (uncompressed sample bytes; e.g. "
                + "10MB, 25MB, 50MB, 75MB, 100MB as in the Lambda study) or into --count shards, with a "
                + "manifest.json listing each shard's samples, bytes and SHA-256.")
public final class PartitionCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, description = "Input .npz (images, magnitudes, redshifts).")
    Path in;

    @ArgGroup(exclusive = true, multiplicity = "1")
    How how;

    static final class How {
        @Option(names = "--size", description = "Largest shard, e.g. 25MB or 512KB (decimal units).")
        String size;

        @Option(names = "--count", description = "Number of shards.")
        Integer count;
    }

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        GalaxyDataset data;
        try {
            data = GalaxyDataset.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Manifest m = how.count != null ? Partitioner.byCount(data, how.count, out)
                : Partitioner.bySize(data, parseBytes(how.size), out);
        System.out.printf("wrote %d shards of %,d samples in total to %s%n", m.shards().size(), m.totalSamples(),
                out);
        return 0;
    }

    /** Decimal data sizes as the study wrote them: 25MB = 25,000,000 bytes; B, KB, MB, GB. */
    public static long parseBytes(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"GB", "1000000000"}, {"MB", "1000000"}, {"KB", "1000"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            return Math.round(Double.parseDouble(t) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a size such as 25MB");
        }
    }
}
