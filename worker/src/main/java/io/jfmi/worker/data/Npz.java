package io.jfmi.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** {@code .npz} archives (a zip of {@code name.npy} entries, as numpy.savez writes), and bare {@code .npy} files. */
public final class Npz {
    private Npz() {
    }

    /** Reads every array of a .npz (or the single array of a .npy, named by the file's base name). */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".npy")) {
            return Map.of(name.substring(0, name.length() - 4), Npy.decode(Files.readAllBytes(file), file.toString()));
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (!e.getName().endsWith(".npy")) {
                    continue;
                }
                String key = e.getName().substring(0, e.getName().length() - 4);
                arrays.put(key, Npy.decode(readEntry(zip, file, e), file + ":" + e.getName()));
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new IOException(file + ": not a readable .npz archive (" + e.getMessage() + ")", e);
        }
        if (arrays.isEmpty()) {
            throw new IOException(file + ": not a .npz archive, or it holds no arrays");
        }
        return arrays;
    }

    private static byte[] readEntry(InputStream zip, Path file, ZipEntry e) throws IOException {
        try {
            return zip.readAllBytes();
        } catch (ZipException | java.io.EOFException ex) {
            throw new IOException(file + ":" + e.getName() + ": truncated or corrupt (" + ex.getMessage() + ")", ex);
        }
    }

    /** Writes the arrays as a compressed .npz, atomically (a reader never sees half a file). */
    public static void write(Path file, Map<String, NpyArray> arrays) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.setLevel(1);
                for (Map.Entry<String, NpyArray> a : arrays.entrySet()) {
                    zip.putNextEntry(new ZipEntry(a.getKey() + ".npy"));
                    zip.write(Npy.encode(a.getValue()));
                    zip.closeEntry();
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
