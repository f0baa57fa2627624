package io.jfmi.worker.inference;

/** A loaded model that maps a batch of (image, magnitudes) samples to one redshift each. */
public interface RedshiftModel extends AutoCloseable {
    /**
     * Predicts {@code n} samples: {@code images} holds n x 5 x 32 x 32 floats and {@code magnitudes} n x 5, both
     * from offset 0. Stage times are added to {@code times}.
     */
    float[] predict(float[] images, float[] magnitudes, int n, StageTimes times);

    /** Engine name as DJL spells it ("PyTorch", "OnnxRuntime"). */
    String engine();

    /** What was loaded, for logs: kind and path. */
    String description();

    @Override
    void close();
}
