package io.jfmi.worker.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Deterministic synthetic galaxies whose appearance depends on redshift, so a model can learn z from them:
 * farther galaxies are smaller (angular size), fainter (flux falls as (1+z)^-3) and redder (a rest-frame peak
 * at 0.55 µm moves through the u, g, r, i, z bands as 0.55 (1+z)). Each sample draws from its own generator
 * seeded by (seed, index), so any range of samples comes out the same whichever way the work is split.
 */
public final class GalaxyGenerator {
    /** Band centres in µm for u, g, r, i, z. */
    static final double[] BAND_MICRONS = {0.355, 0.469, 0.617, 0.748, 0.893};
    static final double Z_MIN = 0.02;
    static final double Z_MAX = 1.0;

    private GalaxyGenerator() {
    }

    public static GalaxyDataset generate(int samples, long seed) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
        float[] images = new float[samples * GalaxyDataset.PIXELS];
        double[] mags = new double[samples * GalaxyDataset.BANDS];
        float[] z = new float[samples];
        // Samples are independent (each has its own generator and its own slots), so they are made in parallel.
        IntStream.range(0, samples).parallel().forEach(i ->
                sample(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i), i, images, mags, z));
        return new GalaxyDataset(images, mags, z);
    }

    private static void sample(SplittableRandom r, int i, float[] images, double[] mags, float[] zs) {
        double z = Z_MIN + (Z_MAX - Z_MIN) * r.nextDouble();
        zs[i] = (float) z;
        double radius = 6.0 / (1 + 2 * z) * (0.8 + 0.4 * r.nextDouble());
        double axisRatio = 0.5 + 0.5 * r.nextDouble();
        double angle = Math.PI * r.nextDouble();
        double flux = 3000.0 * Math.pow(1 + z, -3) * (0.7 + 0.6 * r.nextDouble());
        double cx = 15.5 + r.nextGaussian() * 0.7;
        double cy = 15.5 + r.nextGaussian() * 0.7;
        double peak = 0.55 * (1 + z);
        double[] weight = new double[GalaxyDataset.BANDS];
        double total = 0;
        for (int b = 0; b < weight.length; b++) {
            double d = (BAND_MICRONS[b] - peak) / 0.22;
            weight[b] = Math.exp(-d * d) + 0.05;
            total += weight[b];
        }
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double profileNorm = 2 * Math.PI * radius * radius * axisRatio;
        // The light profile is the same in every band (only its flux differs): compute it once per pixel. The
        // noise draws keep their order, so the output is the same bit for bit as computing it per band.
        int side = GalaxyDataset.SIDE;
        double[] profile = new double[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double dx = x - cx;
                double dy = y - cy;
                double u = dx * cos + dy * sin;
                double v = (-dx * sin + dy * cos) / axisRatio;
                profile[y * side + x] = Math.exp(-Math.sqrt(u * u + v * v) / radius);
            }
        }
        int base = i * GalaxyDataset.PIXELS;
        for (int b = 0; b < GalaxyDataset.BANDS; b++) {
            double bandFlux = flux * weight[b] / total;
            int band = base + b * side * side;
            for (int p = 0; p < side * side; p++) {
                double value = bandFlux * profile[p] / profileNorm + r.nextGaussian() * 0.05;
                images[band + p] = (float) value;
            }
            mags[i * GalaxyDataset.BANDS + b] = 22.5 - 2.5 * Math.log10(bandFlux) + r.nextGaussian() * 0.03;
        }
    }
}
