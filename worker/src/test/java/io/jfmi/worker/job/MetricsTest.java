package io.jfmi.worker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jfmi.worker.json.JsonCodec;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void smallExampleByHand() {
        float[] truth = {0f, 1f, 0.5f, 0.2f};
        float[] pred = {0.1f, 0.6f, 0.5f, 0.2f};
        Metrics m = Metrics.of(truth, pred);
        double e0 = (double) 0.1f;
        double e1 = (double) 0.6f - 1;
        assertEquals((Math.abs(e0) + Math.abs(e1)) / 4, m.mae(), 1e-12);
        assertEquals((e0 * e0 + e1 * e1) / 4, m.mse(), 1e-12);
        double[] dz = {e0, e1 / 2, 0, 0};
        assertEquals(Arrays.stream(dz).sum() / 4, m.bias(), 1e-12);
        // median(dz) = 0; |dz| sorted = 0, 0, 0.1, 0.2 -> median 0.05
        assertEquals(1.48 * (Math.abs(e0) + 0) / 2, m.nmad(), 1e-7);
        double mean = (0 + 1 + 0.5 + (double) 0.2f) / 4;
        double ssTot = 0;
        for (float z : truth) {
            ssTot += (z - mean) * (z - mean);
        }
        assertEquals(1 - (e0 * e0 + e1 * e1) / ssTot, m.r2(), 1e-9);
        assertEquals(0.25, m.outlierFraction(), 0, "only |dz| = 0.2 exceeds 0.15");
    }

    @Test
    void sumsOfPartsCombineToTheWhole() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 1001;
        float[] truth = new float[n];
        float[] pred = new float[n];
        for (int i = 0; i < n; i++) {
            truth[i] = (float) r.nextDouble(0.02, 1);
            pred[i] = truth[i] + (float) (r.nextGaussian() * 0.05);
        }
        Metrics whole = Metrics.of(truth, pred);
        for (int parts = 1; parts <= 7; parts++) {
            double[] sums = new double[Metrics.Sums.LENGTH];
            double[] dz = new double[n];
            int at = 0;
            for (int p = 0; p < parts; p++) {
                int from = n * p / parts;
                int to = n * (p + 1) / parts;
                double[] s = Metrics.Sums.of(Arrays.copyOfRange(truth, from, to), Arrays.copyOfRange(pred, from, to));
                for (int k = 0; k < s.length; k++) {
                    sums[k] += s[k];
                }
                double[] d = Metrics.normalisedResiduals(Arrays.copyOfRange(truth, from, to),
                        Arrays.copyOfRange(pred, from, to));
                System.arraycopy(d, 0, dz, at, d.length);
                at += d.length;
            }
            Metrics combined = Metrics.fromSums(sums, dz);
            assertEquals(whole.samples(), combined.samples());
            assertEquals(whole.nmad(), combined.nmad(), 0, "medians are exact");
            assertEquals(whole.mae(), combined.mae(), 1e-12);
            assertEquals(whole.r2(), combined.r2(), 1e-12);
            assertEquals(whole.bias(), combined.bias(), 1e-12);
        }
    }

    @Test
    void emptySetHasNoMetricsRatherThanZeros() {
        Metrics m = Metrics.of(new float[0], new float[0]);
        assertEquals(0, m.samples());
        assertTrue(Double.isNaN(m.mae()) && Double.isNaN(m.nmad()));
        JsonObject json = JsonCodec.parseObject(JsonCodec.write(ResultFiles.metricsJson(m)), "metrics");
        assertTrue(json.get("MAE").isJsonNull(), "NaN is written as null: " + json);
        assertEquals(0, json.get("samples").getAsLong());
    }
}
