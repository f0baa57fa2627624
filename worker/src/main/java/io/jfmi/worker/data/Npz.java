package io.jfmi.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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

    /** The header of array {@code name} in a .npz (or of a .npy), without reading its data. */
    public static Npy.Header header(Path file, String name) throws IOException {
        try (InputStream in = open(file, name)) {
            return Npy.readHeader(in, where(file, name));
        }
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) of array {@code name}, streaming past the rows before
     * them: memory stays proportional to the rows read, whatever the file's size.
     */
    public static NpyArray readRows(Path file, String name, long from, long to) throws IOException {
        String where = where(file, name);
        Optional<NpyArray> mapped = mapRows(file, name, from, to, where);
        if (mapped.isPresent()) {
            return mapped.get();
        }
        try (InputStream in = open(file, name)) {
            Npy.Header h = Npy.readHeader(in, where);
            int want = rowBytes(h, from, to, where);
            try {
                in.skipNBytes(from * h.rowBytes());
            } catch (java.io.EOFException e) {
                throw new IOException(where + ": truncated data (ends before row " + from + ")", e);
            }
            byte[] data = in.readNBytes(want);
            if (data.length < want) {
                throw new IOException(where + ": truncated data: rows " + from + ".." + to + " need " + want
                        + " bytes, only " + data.length + " remain");
            }
            return new NpyArray(h.dtype(), rowsShape(h, from, to), java.nio.ByteBuffer.wrap(data));
        } catch (ZipException e) {
            throw new IOException(where + ": truncated or corrupt (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The rows mapped straight from the file when the array's bytes lie uncompressed in it (a .npy, or a .npz entry
     * stored as numpy and {@code generate} write them); empty for a compressed entry or an archive whose directory
     * cannot be read (the zip stream then reads it, or says what is wrong). The mapping holds no heap: the caller
     * copies what it needs out of it, and it goes with the returned array.
     */
    private static Optional<NpyArray> mapRows(Path file, String name, long from, long to, String where)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            boolean npy = file.toString().endsWith(".npy");
            Optional<StoredZipEntry> entry = npy ? Optional.of(new StoredZipEntry(0, ch.size()))
                    : StoredZipEntry.find(ch, name + ".npy", file.toString());
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            long start = entry.get().dataOffset();
            Npy.Header h = Npy.readHeader(Channels.newInputStream(ch.position(start)), where);
            int want = rowBytes(h, from, to, where);
            long at = h.dataOffset() + from * h.rowBytes();
            if (at + want > entry.get().size()) {
                throw new IOException(where + ": truncated data: rows " + from + ".." + to + " need " + want
                        + " bytes from byte " + at + ", the array has " + entry.get().size());
            }
            return Optional.of(new NpyArray(h.dtype(), rowsShape(h, from, to),
                    ch.map(FileChannel.MapMode.READ_ONLY, start + at, want)));
        }
    }

    /** The bytes of rows {@code from..to}, checked against the array's rows and what one read can hold. */
    private static int rowBytes(Npy.Header h, long from, long to, String where) throws IOException {
        long rows = h.shape().length == 0 ? 1 : h.shape()[0];
        if (from < 0 || to > rows || from > to) {
            throw new IOException(where + ": rows " + from + ".." + to + " outside 0.." + rows);
        }
        long want = (to - from) * h.rowBytes();
        if (want > Integer.MAX_VALUE - 16) {
            throw new IOException(where + ": " + want + " bytes is too much for one read; partition the data");
        }
        return (int) want;
    }

    /** The array's shape with its first dimension cut to {@code to - from} rows. */
    private static long[] rowsShape(Npy.Header h, long from, long to) {
        long[] shape = h.shape().clone();
        if (shape.length > 0) {
            shape[0] = to - from;
        }
        return shape;
    }

    private static String where(Path file, String name) {
        return file.toString().endsWith(".npy") ? file.toString() : file + ":" + name + ".npy";
    }

    /** A stream positioned at the start of array {@code name}'s .npy bytes. */
    private static InputStream open(Path file, String name) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        if (file.toString().endsWith(".npy")) {
            return new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
        }
        // ZipFile reads the central directory at the end of the archive, so a truncated file fails here even when
        // the rows this rank needs come before the cut.
        java.util.zip.ZipFile zip;
        try {
            zip = new java.util.zip.ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(file + ": not a readable .npz archive, truncated or corrupt (" + e.getMessage() + ")",
                    e);
        }
        ZipEntry e = zip.getEntry(name + ".npy");
        if (e == null) {
            java.util.List<String> seen = zip.stream().map(ZipEntry::getName).toList();
            zip.close();
            throw new IOException(file + ": missing array '" + name + "' (has " + seen + ")");
        }
        return new java.io.FilterInputStream(new java.io.BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    zip.close();
                }
            }
        };
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
