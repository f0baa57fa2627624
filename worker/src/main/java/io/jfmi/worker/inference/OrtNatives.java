package io.jfmi.worker.inference;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * ONNX Runtime's native libraries, unpacked once into a folder that every later JVM loads from directly (the
 * {@code onnxruntime.native.path} property). Without it each JVM copies the 22 MB library into a fresh temporary
 * folder at start-up (and leaves the empty folder behind): ~100 ms per rank, measured.
 */
public final class OrtNatives {
    /** The system property ONNX Runtime's Java API reads. */
    public static final String PROPERTY = "onnxruntime.native.path";
    private static final String[] LIBRARIES = {"libonnxruntime.so", "libonnxruntime4j_jni.so"};

    private OrtNatives() {
    }

    /**
     * Unpacks the libraries for this platform under {@code cacheRoot} (once per build of the jar that holds them)
     * and returns the folder; empty when this platform has none in the jar (then ONNX Runtime does its own thing).
     */
    public static Optional<Path> unpack(Path cacheRoot) throws IOException {
        String platform = platform();
        if (platform == null || OrtNatives.class.getResource(resource(platform, LIBRARIES[0])) == null) {
            return Optional.empty();
        }
        Path dir = cacheRoot.resolve("onnxruntime-natives").resolve(platform + "-" + jarStamp());
        if (Files.isRegularFile(dir.resolve(LIBRARIES[0])) && Files.isRegularFile(dir.resolve(LIBRARIES[1]))) {
            return Optional.of(dir);
        }
        Files.createDirectories(dir);
        for (String lib : LIBRARIES) {
            try (InputStream in = OrtNatives.class.getResourceAsStream(resource(platform, lib))) {
                if (in == null) {
                    return Optional.empty();
                }
                Path tmp = Files.createTempFile(dir, "." + lib, ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dir.resolve(lib), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return Optional.of(dir);
    }

    private static String platform() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64" -> "linux-aarch64";
            default -> null;
        };
    }

    private static String resource(String platform, String lib) {
        return "/ai/onnxruntime/native/" + platform + "/" + lib;
    }

    /** Size and time of the jar the libraries come from, so a rebuilt jar gets a folder of its own. */
    private static String jarStamp() throws IOException {
        try {
            Path jar = Path.of(OrtNatives.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
        } catch (URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }
}
