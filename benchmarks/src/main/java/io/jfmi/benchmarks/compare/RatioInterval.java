package io.jfmi.benchmarks.compare;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where jfmi's ratio to a peer lies, from one ratio per round: the geometric mean and a 95% interval (Student's t on
 * the logarithms of the ratios). Each round runs the two systems back to back, alternating which goes first, so each
 * ratio is one paired measurement; on a machine whose speed drifts by tens of percent between minutes, a median
 * alone cannot say whether a point is above the peer or only drew a slow round.
 *
 * @param rounds   how many rounds measured both systems
 * @param geoMean  the geometric mean of the ratios
 * @param low      the interval's lower end (NaN below three rounds)
 * @param high     the interval's upper end (NaN below three rounds)
 */
record RatioInterval(int rounds, double geoMean, double low, double high) {
    /** Fewer rounds than this give no interval: with two, t's 97.5% point is 12.7 and the interval says nothing. */
    static final int MIN_ROUNDS = 3;

    /** Student's t, 97.5% point, for 1 to 30 degrees of freedom; above 30 the normal's 1.96 is close enough. */
    private static final double[] T_975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    /** The interval of the measured (non-NaN, positive) ratios; null when none was measured. */
    static RatioInterval of(double[] ratios) {
        double[] logs = Arrays.stream(ratios).filter(r -> !Double.isNaN(r) && r > 0).map(Math::log).toArray();
        int n = logs.length;
        if (n == 0) {
            return null;
        }
        double mean = Arrays.stream(logs).average().orElseThrow();
        if (n < MIN_ROUNDS) {
            return new RatioInterval(n, Math.exp(mean), Double.NaN, Double.NaN);
        }
        double squares = Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum();
        double halfWidth = t975(n - 1) * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
        return new RatioInterval(n, Math.exp(mean), Math.exp(mean - halfWidth), Math.exp(mean + halfWidth));
    }

    static double t975(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + degreesOfFreedom);
        }
        return degreesOfFreedom <= T_975.length ? T_975[degreesOfFreedom - 1] : 1.96;
    }

    /** "above" or "below" when the whole interval is on that side of 1.0; "noise" when it spans 1.0; else "-". */
    String verdict() {
        if (Double.isNaN(low)) {
            return "-";
        }
        return low > 1 ? "above" : high < 1 ? "below" : "noise";
    }

    /** "1.04x [0.93-1.16]", or the geometric mean alone below three rounds. */
    String describe() {
        if (Double.isNaN(low)) {
            return String.format(Locale.ROOT, "%.2fx", geoMean);
        }
        return String.format(Locale.ROOT, "%.2fx [%.2f-%.2f]", geoMean, low, high);
    }
}
