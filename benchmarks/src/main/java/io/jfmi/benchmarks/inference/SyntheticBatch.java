package io.jfmi.benchmarks.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fixed, seeded batch of ViT_Astro inputs (images in [0, 1), magnitudes in [16, 20)) that every inference
 * measurement feeds its engine, and the one way the measurements run it through an ONNX Runtime session.
 */
record SyntheticBatch(float[] images, float[] mags, int rows) {
    static SyntheticBatch of(int rows) {
        float[] images = new float[rows * 5 * 32 * 32];
        float[] mags = new float[rows * 5];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < mags.length; i++) {
            mags[i] = (float) (16 + 4 * r.nextDouble());
        }
        return new SyntheticBatch(images, mags, rows);
    }

    /** The first {@code n} rows through {@code session}; checks one prediction per row came back. */
    static void runOrt(OrtEnvironment env, OrtSession session, float[] images, float[] mags, int n)
            throws OrtException {
        try (OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(images, 0, n * 5120), new long[] {n, 5, 32,
            32}); OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(mags, 0, n * 5), new long[] {n, 5});
                OrtSession.Result out = session.run(Map.of("images", a, "magnitudes", b))) {
            float[][] z = (float[][]) out.get(0).getValue();
            if (z.length != n) {
                throw new IllegalStateException("ONNX Runtime returned " + z.length + " rows for " + n);
            }
        }
    }
}
