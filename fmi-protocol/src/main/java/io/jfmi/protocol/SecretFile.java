package io.jfmi.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Job secrets, as text: one secret per line, either {@code <secret>} (any job) or {@code <job-id> <secret>}
 * (that job; {@code *} as job id means any job). Blank lines and lines starting with {@code #} are ignored. The
 * server and the ranks read the same format, so one file can serve both.
 */
public final class SecretFile {
    private static final String ANY_JOB = "*";

    private final Path source;
    private final Map<String, byte[]> byJob;

    private SecretFile(Path source, Map<String, byte[]> byJob) {
        this.source = source;
        this.byJob = byJob;
    }

    public static SecretFile read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("secret file " + path + " does not exist or is not a regular file");
        }
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        Map<String, byte[]> byJob = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length > 2) {
                throw new IOException(path + " line " + (i + 1) + ": expected '<secret>' or '<job-id> <secret>', got "
                        + parts.length + " words");
            }
            String job = parts.length == 1 ? ANY_JOB : parts[0];
            String secret = parts[parts.length - 1];
            if (secret.length() < 8) {
                throw new IOException(path + " line " + (i + 1) + ": secret shorter than 8 characters");
            }
            if (byJob.put(job, secret.getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IOException(path + " line " + (i + 1) + ": a second secret for job '" + job + "'");
            }
        }
        if (byJob.isEmpty()) {
            throw new IOException("secret file " + path + " holds no secret");
        }
        return new SecretFile(path, byJob);
    }

    /** Writes a new file holding one random secret for any job, readable by the owner only. */
    public static SecretFile generate(Path path) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".secret", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // non-POSIX file system: permissions stay as created
        }
        Files.writeString(tmp, "# jfmi job secret (any job)\n" + secret + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return read(path);
    }

    /** The secret for {@code jobId}: its own line, else the any-job secret. */
    public Optional<byte[]> secretFor(String jobId) {
        byte[] s = byJob.get(jobId);
        if (s == null) {
            s = byJob.get(ANY_JOB);
        }
        return Optional.ofNullable(s == null ? null : s.clone());
    }

    public Path source() {
        return source;
    }
}
