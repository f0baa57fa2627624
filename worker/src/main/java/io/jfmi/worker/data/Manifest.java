package io.jfmi.worker.data;

import io.jfmi.worker.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** {@code manifest.json} of a partitioned dataset: each shard's file, first sample, count, size and SHA-256. */
public record Manifest(long totalSamples, List<Shard> shards) {
    public static final String FILE = "manifest.json";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public record Shard(String file, long first, long samples, long bytes, String sha256) {
    }

    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, JsonCodec.write(this), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads and checks {@code dir/manifest.json}: shards must be contiguous, complete and name their hash. */
    public static Manifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": no " + FILE + " (partition the data with 'worker.jar partition')");
        }
        Manifest m;
        try {
            m = JsonCodec.bind(JsonCodec.readObject(file), Manifest.class, file.toString(), "total_samples", "shards");
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        long next = 0;
        for (int i = 0; i < m.shards.size(); i++) {
            Shard s = m.shards.get(i);
            if (s == null || s.file == null || s.sha256 == null || !SHA256.matcher(s.sha256).matches()) {
                throw new IOException(file + ": shard " + i + " lacks a file name or a SHA-256 of 64 hex digits");
            }
            if (s.first != next) {
                throw new IOException(file + ": shard " + s.file + " starts at sample " + s.first + ", expected "
                        + next);
            }
            next += s.samples;
        }
        if (next != m.totalSamples) {
            throw new IOException(file + ": shards hold " + next + " samples, total_samples says " + m.totalSamples);
        }
        return m;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
