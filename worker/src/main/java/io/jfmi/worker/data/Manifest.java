package io.jfmi.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code manifest.json} of a partitioned dataset: each shard's file, first sample, count, size and SHA-256. */
public record Manifest(long totalSamples, List<Shard> shards) {
    public static final String FILE = "manifest.json";
    private static final Pattern SHARD = Pattern.compile("\\{\"file\":\"([^\"]+)\",\"first\":(\\d+),\"samples\":(\\d+),"
            + "\"bytes\":(\\d+),\"sha256\":\"([0-9a-f]{64})\"}");
    private static final Pattern TOTAL = Pattern.compile("\"total_samples\":(\\d+)");

    public record Shard(String file, long first, long samples, long bytes, String sha256) {
    }

    public void write(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder("{\"total_samples\":").append(totalSamples).append(",\"shards\":[\n");
        for (int i = 0; i < shards.size(); i++) {
            Shard s = shards.get(i);
            sb.append(String.format("{\"file\":\"%s\",\"first\":%d,\"samples\":%d,\"bytes\":%d,\"sha256\":\"%s\"}%s%n",
                    s.file, s.first, s.samples, s.bytes, s.sha256, i + 1 < shards.size() ? "," : ""));
        }
        sb.append("]}\n");
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Manifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": no " + FILE + " (partition the data with 'worker.jar partition')");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher total = TOTAL.matcher(text);
        if (!total.find()) {
            throw new IOException(file + ": no total_samples");
        }
        List<Shard> shards = new ArrayList<>();
        Matcher m = SHARD.matcher(text);
        long next = 0;
        while (m.find()) {
            Shard s = new Shard(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), m.group(5));
            if (s.first != next) {
                throw new IOException(file + ": shard " + s.file + " starts at sample " + s.first + ", expected "
                        + next);
            }
            next += s.samples;
            shards.add(s);
        }
        long totalSamples = Long.parseLong(total.group(1));
        if (next != totalSamples) {
            throw new IOException(file + ": shards hold " + next + " samples, total_samples says " + totalSamples);
        }
        return new Manifest(totalSamples, shards);
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
