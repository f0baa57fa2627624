package io.jfmi.worker.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a dataset into shards of at most a given size (10/25/50/75/100 MB in the Lambda study, counted as
 * uncompressed sample bytes) or into a given number of shards, and writes a manifest with checksums.
 */
public final class Partitioner {
    private Partitioner() {
    }

    public static Manifest bySize(GalaxyDataset data, long maxBytes, Path outDir) throws IOException {
        if (maxBytes < GalaxyDataset.BYTES_PER_SAMPLE) {
            throw new IllegalArgumentException("shard size " + maxBytes + " bytes is smaller than one sample ("
                    + GalaxyDataset.BYTES_PER_SAMPLE + " bytes)");
        }
        return write(data, (int) Math.min(Integer.MAX_VALUE, maxBytes / GalaxyDataset.BYTES_PER_SAMPLE), outDir);
    }

    public static Manifest byCount(GalaxyDataset data, int shards, Path outDir) throws IOException {
        if (shards < 1) {
            throw new IllegalArgumentException("shard count must be >= 1, got " + shards);
        }
        return write(data, Math.max(1, (data.count() + shards - 1) / shards), outDir);
    }

    private static Manifest write(GalaxyDataset data, int perShard, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Manifest.Shard> shards = new ArrayList<>();
        for (int first = 0, index = 0; first < data.count(); first += perShard, index++) {
            int end = Math.min(data.count(), first + perShard);
            String name = String.format("shard-%05d.npz", index);
            Path file = outDir.resolve(name);
            data.slice(first, end).save(file);
            shards.add(new Manifest.Shard(name, first, end - first, Files.size(file), Manifest.sha256(file)));
        }
        Manifest m = new Manifest(data.count(), shards);
        m.write(outDir);
        return m;
    }

    /**
     * The samples of rank r of N from a folder of shards, reading only the shards that overlap its share, each
     * checked against its manifest checksum.
     */
    public static GalaxyDataset.Loaded readShare(Path dir, int rank, int worldSize) throws IOException {
        Manifest m = Manifest.read(dir);
        RankShare share = RankShare.of(m.totalSamples(), rank, worldSize);
        List<GalaxyDataset> parts = new ArrayList<>();
        for (Manifest.Shard s : m.shards()) {
            long from = Math.max(share.start(), s.first());
            long to = Math.min(share.end(), s.first() + s.samples());
            if (from >= to) {
                continue;
            }
            Path file = dir.resolve(s.file());
            String sum = Manifest.sha256(file);
            if (!sum.equals(s.sha256())) {
                throw new IOException(file + ": checksum " + sum + " does not match the manifest (" + s.sha256()
                        + "): the shard is corrupt or was replaced");
            }
            GalaxyDataset shard = GalaxyDataset.load(file);
            if (shard.count() != s.samples()) {
                throw new IOException(file + ": holds " + shard.count() + " samples, the manifest says " + s.samples());
            }
            parts.add(shard.slice((int) (from - s.first()), (int) (to - s.first())));
        }
        return new GalaxyDataset.Loaded(GalaxyDataset.concat(parts), share.start(), m.totalSamples());
    }
}
