package io.jfmi.worker.job;

import java.util.Arrays;

/**
 * The study's accuracy metrics for photometric redshifts. With e = z_pred - z_true and dz = e / (1 + z_true):
 * MAE = mean |e|, MSE = mean e^2, RMSE = sqrt(MSE), bias = mean dz, NMAD = 1.48 x median(|dz - median(dz)|),
 * R^2 = 1 - sum e^2 / sum (z_true - mean z_true)^2, outlier fraction = share of |dz| > 0.15.
 * They are built from per-rank {@link Sums} (added with a reduction) and all dz values (for the medians).
 */
public record Metrics(long samples, double mae, double mse, double rmse, double bias, double nmad, double r2,
        double outlierFraction) {
    public static final double OUTLIER_DZ = 0.15;
    public static final double NMAD_SCALE = 1.48;

    /** Additive statistics of a set of predictions; summing the arrays of two sets gives those of their union. */
    public static final class Sums {
        public static final int LENGTH = 7;

        private Sums() {
        }

        /** [n, sum |e|, sum e^2, sum dz, sum z, sum z^2, outliers]. */
        public static double[] of(float[] zTrue, float[] zPred) {
            double[] s = new double[LENGTH];
            for (int i = 0; i < zTrue.length; i++) {
                double z = zTrue[i];
                double e = (double) zPred[i] - z;
                double dz = e / (1 + z);
                s[0] += 1;
                s[1] += Math.abs(e);
                s[2] += e * e;
                s[3] += dz;
                s[4] += z;
                s[5] += z * z;
                s[6] += Math.abs(dz) > OUTLIER_DZ ? 1 : 0;
            }
            return s;
        }
    }

    /** dz of each prediction, in sample order. */
    public static double[] normalisedResiduals(float[] zTrue, float[] zPred) {
        double[] dz = new double[zTrue.length];
        for (int i = 0; i < dz.length; i++) {
            dz[i] = ((double) zPred[i] - zTrue[i]) / (1 + (double) zTrue[i]);
        }
        return dz;
    }

    /** Metrics of one set of predictions. */
    public static Metrics of(float[] zTrue, float[] zPred) {
        return fromSums(Sums.of(zTrue, zPred), normalisedResiduals(zTrue, zPred));
    }

    /** Metrics from summed {@link Sums} and every dz of the set (any order; it is sorted here). */
    public static Metrics fromSums(double[] sums, double[] allDz) {
        long n = Math.round(sums[0]);
        if (n == 0) {
            return new Metrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mse = sums[2] / n;
        double ssTotal = sums[5] - sums[4] * sums[4] / n;
        double[] sorted = allDz.clone();
        Arrays.sort(sorted);
        double median = median(sorted);
        double[] deviations = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            deviations[i] = Math.abs(sorted[i] - median);
        }
        Arrays.sort(deviations);
        return new Metrics(n, sums[1] / n, mse, Math.sqrt(mse), sums[3] / n, NMAD_SCALE * median(deviations),
                ssTotal > 0 ? 1 - sums[2] / ssTotal : Double.NaN, sums[6] / n);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
