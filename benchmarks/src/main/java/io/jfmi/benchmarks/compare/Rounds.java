package io.jfmi.benchmarks.compare;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.benchmarks.collective.ResultRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Several rounds of one compare run. Two runs of the same system minutes apart differ here by up to 1.5x (Open MPI's
 * 8-rank 1 MiB allreduce read 5.7 ms in one run and 7.8-8.8 ms in three runs a quarter of an hour later,
 * benchmarks/RESULTS.md), so one round's ratio can
 * land anywhere in that band; the ratio of each round's adjacent runs, and the median over rounds, say more.
 */
final class Rounds {
    private Rounds() {
    }

    /** What a ratio table divides: the mean per call, or the 99th percentile (each system's slowest rank's). */
    enum Metric {
        MEAN("mean", ResultRow::meanUs),
        P99("p99", ResultRow::p99Us);

        final String label;
        final ToDoubleFunction<ResultRow> value;

        Metric(String label, ToDoubleFunction<ResultRow> value) {
            this.label = label;
            this.value = value;
        }
    }

    /** Per system and point, the row whose mean is the median over the rounds that measured it (the lower middle). */
    static List<ResultRow> medianRows(List<List<ResultRow>> rounds) {
        Map<String, List<ResultRow>> bySystemAndPoint = new LinkedHashMap<>();
        for (List<ResultRow> round : rounds) {
            for (ResultRow r : round) {
                bySystemAndPoint.computeIfAbsent(r.system() + "/" + point(r), k -> new ArrayList<>()).add(r);
            }
        }
        List<ResultRow> medians = new ArrayList<>();
        for (List<ResultRow> rows : bySystemAndPoint.values()) {
            List<ResultRow> sorted = rows.stream().sorted(Comparator.comparingDouble(ResultRow::meanUs)).toList();
            medians.add(sorted.get((sorted.size() - 1) / 2));
        }
        return medians;
    }

    /**
     * jfmi's {@code metric} over {@code peer}'s in each round, their median, their geometric mean with its 95%
     * interval and where that interval lies against 1.0; "" when no round measured both.
     */
    static String ratioTable(List<List<ResultRow>> rounds, String peer, Metric metric) {
        Map<String, double[]> ratios = new LinkedHashMap<>();
        Map<String, ResultRow> labels = new LinkedHashMap<>();
        for (int i = 0; i < rounds.size(); i++) {
            Map<String, ResultRow> jfmi = new LinkedHashMap<>();
            Map<String, ResultRow> other = new LinkedHashMap<>();
            for (ResultRow r : rounds.get(i)) {
                if (r.system().equals("jfmi")) {
                    jfmi.put(point(r), r);
                } else if (r.system().equals(peer)) {
                    other.put(point(r), r);
                }
            }
            for (Map.Entry<String, ResultRow> j : jfmi.entrySet()) {
                ResultRow p = other.get(j.getKey());
                if (p != null && metric.value.applyAsDouble(p) > 0) {
                    double[] perRound = ratios.computeIfAbsent(j.getKey(), k -> newNaNs(rounds.size()));
                    perRound[i] = metric.value.applyAsDouble(j.getValue()) / metric.value.applyAsDouble(p);
                    labels.putIfAbsent(j.getKey(), j.getValue());
                }
            }
        }
        if (ratios.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%njfmi/%s %s ratio in each round (adjacent "
                + "runs), the median, and the geometric mean with its 95%% interval (t on the log ratios; none "
                + "below %d rounds): above or below when the whole interval is%n%5s %-10s %6s", peer, metric.label,
                RatioInterval.MIN_ROUNDS, "ranks", "op", "bytes"));
        for (int i = 1; i <= rounds.size(); i++) {
            sb.append(String.format(Locale.ROOT, " %8s", "round " + i));
        }
        sb.append(String.format(Locale.ROOT, " %8s %20s %7s%n", "median", "geomean [95%]", "verdict"));
        for (Map.Entry<String, double[]> e : ratios.entrySet()) {
            ResultRow r = labels.get(e.getKey());
            sb.append(String.format(Locale.ROOT, "%5d %-10s %6s", r.ranks(), r.op(), Sizes.format(r.bytes())));
            for (double v : e.getValue()) {
                sb.append(String.format(Locale.ROOT, " %8s", Double.isNaN(v) ? "-"
                        : String.format(Locale.ROOT, "%.2fx", v)));
            }
            RatioInterval interval = RatioInterval.of(e.getValue());
            sb.append(String.format(Locale.ROOT, " %8s %20s %7s%n", String.format(Locale.ROOT, "%.2fx",
                    median(e.getValue())), interval.describe(), interval.verdict()));
        }
        return sb.toString();
    }

    /** The median of the measured (non-NaN) values; the mean of the two middle ones for an even count. */
    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double[] newNaNs(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private static String point(ResultRow r) {
        return r.ranks() + "/" + r.op() + "/" + r.bytes();
    }
}
