package io.jfmi.worker.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The CosmicAI sample layout: {@code images} float32 [n, 5, 32, 32] (bands u, g, r, i, z), {@code magnitudes}
 * [n, 5] (float64 as in the study; float32 accepted) and {@code redshifts} float32 [n].
 */
public record GalaxyDataset(float[] images, double[] magnitudes, float[] redshifts) {
    public static final int BANDS = 5;
    public static final int SIDE = 32;
    public static final int PIXELS = BANDS * SIDE * SIDE;
    /** Bytes one sample takes in a .npz before compression (image, magnitudes, redshift). */
    public static final int BYTES_PER_SAMPLE = PIXELS * 4 + BANDS * 8 + 4;

    public GalaxyDataset {
        int n = redshifts.length;
        if (images.length != (long) n * PIXELS || magnitudes.length != n * BANDS) {
            throw new IllegalArgumentException("inconsistent dataset: " + n + " redshifts, " + images.length
                    + " image values, " + magnitudes.length + " magnitudes");
        }
    }

    public int count() {
        return redshifts.length;
    }

    /** The samples of {@code parts}, in order, as one dataset. */
    public static GalaxyDataset concat(java.util.List<GalaxyDataset> parts) {
        int n = parts.stream().mapToInt(GalaxyDataset::count).sum();
        float[] images = new float[n * PIXELS];
        double[] mags = new double[n * BANDS];
        float[] z = new float[n];
        int at = 0;
        for (GalaxyDataset p : parts) {
            System.arraycopy(p.images(), 0, images, at * PIXELS, p.images().length);
            System.arraycopy(p.magnitudes(), 0, mags, at * BANDS, p.magnitudes().length);
            System.arraycopy(p.redshifts(), 0, z, at, p.count());
            at += p.count();
        }
        return new GalaxyDataset(images, mags, z);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public GalaxyDataset slice(int from, int to) {
        return new GalaxyDataset(Arrays.copyOfRange(images, from * PIXELS, to * PIXELS),
                Arrays.copyOfRange(magnitudes, from * BANDS, to * BANDS), Arrays.copyOfRange(redshifts, from, to));
    }

    /**
     * Writes an .npz atomically, streaming each array through a small buffer (no second copy of the dataset in
     * memory). Entries are stored uncompressed, as numpy's {@code savez} stores them: noisy float images shrink by 7%
     * at deflate level 1, which costs more time to write and to read than the bytes save, and a stored entry can be
     * read at its offset in the file (a rank maps its rows: {@link Npz#readRows}). A stored entry's size and CRC
     * come before its bytes, so each array is written twice: once into the checksum, then into the file.
     */
    public void save(Path file) throws IOException {
        int n = count();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                putStored(zip, "images.npy", Npy.header("<f4", new long[] {n, BANDS, SIDE, SIDE}),
                        4L * images.length, out -> writeFloats(out, images));
                putStored(zip, "magnitudes.npy", Npy.header("<f8", new long[] {n, BANDS}), 8L * magnitudes.length,
                        out -> writeValues(out, magnitudes.length, (b, i) -> b.putDouble(magnitudes[i])));
                putStored(zip, "redshifts.npy", Npy.header("<f4", new long[] {n}), 4L * n,
                        out -> writeFloats(out, redshifts));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** What writes an array's data to a stream. */
    private interface DataWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** One uncompressed entry: a .npy header, then {@code dataBytes} of data, checksummed first. */
    private static void putStored(ZipOutputStream zip, String name, byte[] header, long dataBytes, DataWriter data)
            throws IOException {
        CheckedOutputStream sum = new CheckedOutputStream(OutputStream.nullOutputStream(), new CRC32());
        sum.write(header);
        data.writeTo(sum);
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(header.length + dataBytes);
        e.setCompressedSize(header.length + dataBytes);
        e.setCrc(sum.getChecksum().getValue());
        zip.putNextEntry(e);
        zip.write(header);
        data.writeTo(zip);
        zip.closeEntry();
    }

    /** Little-endian floats through a 64 KiB buffer, in bulk. */
    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < values.length;) {
            int n = Math.min(values.length - at, b.capacity() / Float.BYTES);
            b.clear();
            b.asFloatBuffer().put(values, at, n);
            out.write(b.array(), 0, n * Float.BYTES);
            at += n;
        }
    }

    /** Little-endian values {@code 0..count-1}, each put by {@code put}, through a 64 KiB buffer. */
    private static void writeValues(OutputStream out, int count, java.util.function.ObjIntConsumer<ByteBuffer> put)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            if (b.remaining() < Double.BYTES) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            put.accept(b, i);
        }
        out.write(b.array(), 0, b.position());
    }

    /** Loads and checks names, shapes and dtypes; every error names the file and the array. */
    public static GalaxyDataset load(Path file) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(file);
        NpyArray images = require(arrays, "images", file);
        NpyArray magnitudes = require(arrays, "magnitudes", file);
        NpyArray redshifts = require(arrays, "redshifts", file);
        long n = redshifts.shape().length == 1 ? redshifts.shape()[0] : -1;
        expectShape(file, "redshifts", redshifts, new long[] {n});
        expectShape(file, "images", images, new long[] {n, BANDS, SIDE, SIDE});
        expectShape(file, "magnitudes", magnitudes, new long[] {n, BANDS});
        if (!images.dtype().equals("<f4") || !redshifts.dtype().equals("<f4")) {
            throw new IOException(file + ": images and redshifts must be float32 ('<f4'), got " + images.dtype()
                    + " and " + redshifts.dtype());
        }
        if (!magnitudes.dtype().equals("<f8") && !magnitudes.dtype().equals("<f4")) {
            throw new IOException(file + ": magnitudes must be float64 or float32, got " + magnitudes.dtype());
        }
        return new GalaxyDataset(images.toFloats(), magnitudes.toDoubles(), redshifts.toFloats());
    }

    /**
     * Rank {@code rank} of {@code worldSize}'s share of one file, reading only that share's rows (plus the headers):
     * the same checks as {@link #load}, in constant memory beyond the share.
     */
    public static Loaded loadShare(Path file, int rank, int worldSize) throws IOException {
        Npy.Header z = Npz.header(file, "redshifts");
        if (z.shape().length != 1) {
            throw new IOException(file + ": array 'redshifts' has shape " + Arrays.toString(z.shape())
                    + ", expected [n]");
        }
        long n = z.shape()[0];
        expectHeader(file, "images", Npz.header(file, "images"), new long[] {n, BANDS, SIDE, SIDE}, "<f4");
        Npy.Header mags = Npz.header(file, "magnitudes");
        expectHeader(file, "magnitudes", mags, new long[] {n, BANDS}, mags.dtype().equals("<f4") ? "<f4" : "<f8");
        expectHeader(file, "redshifts", z, new long[] {n}, "<f4");
        RankShare share = RankShare.of(n, rank, worldSize);
        GalaxyDataset data = new GalaxyDataset(
                Npz.readRows(file, "images", share.start(), share.end()).toFloats(),
                Npz.readRows(file, "magnitudes", share.start(), share.end()).toDoubles(),
                Npz.readRows(file, "redshifts", share.start(), share.end()).toFloats());
        return new Loaded(data, share.start(), n);
    }

    /** A share of a dataset: its samples, the global index of the first, and the dataset's total. */
    public record Loaded(GalaxyDataset data, long firstIndex, long totalSamples) {
    }

    private static void expectHeader(Path file, String name, Npy.Header h, long[] shape, String dtype)
            throws IOException {
        if (!Arrays.equals(h.shape(), shape)) {
            throw new IOException(file + ": array '" + name + "' has shape " + Arrays.toString(h.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        if (!h.dtype().equals(dtype)) {
            throw new IOException(file + ": array '" + name + "' has dtype " + h.dtype() + ", expected "
                    + (name.equals("magnitudes") ? "<f8 or <f4" : dtype));
        }
    }

    private static NpyArray require(Map<String, NpyArray> arrays, String name, Path file) throws IOException {
        NpyArray a = arrays.get(name);
        if (a == null) {
            throw new IOException(file + ": missing array '" + name + "' (has " + arrays.keySet()
                    + "; expected images, magnitudes, redshifts)");
        }
        return a;
    }

    private static void expectShape(Path file, String name, NpyArray a, long[] shape) throws IOException {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new IOException(file + ": array '" + name + "' has shape " + Arrays.toString(a.shape())
                    + ", expected " + Arrays.toString(shape).replace("-1", "n"));
        }
    }
}
