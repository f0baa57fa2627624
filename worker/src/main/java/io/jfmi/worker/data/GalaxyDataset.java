package io.jfmi.worker.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public GalaxyDataset slice(int from, int to) {
        return new GalaxyDataset(Arrays.copyOfRange(images, from * PIXELS, to * PIXELS),
                Arrays.copyOfRange(magnitudes, from * BANDS, to * BANDS), Arrays.copyOfRange(redshifts, from, to));
    }

    public void save(Path file) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        int n = count();
        arrays.put("images", NpyArray.ofFloats(images, n, BANDS, SIDE, SIDE));
        arrays.put("magnitudes", NpyArray.ofDoubles(magnitudes, n, BANDS));
        arrays.put("redshifts", NpyArray.ofFloats(redshifts, n));
        Npz.write(file, arrays);
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
