package io.jfmi.worker.inference;

import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.job.ProcessProbe;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child-process half of {@link BatchMemoryTest}: runs the shipped model over many batches and prints its resident
 * memory after the warm-up and at the end, as "RSS warm=<bytes> end=<bytes>".
 */
public final class BatchLeakProbe {
    static final int WARM_BATCHES = 100;
    static final int MEASURED_BATCHES = 300;

    private BatchLeakProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (RedshiftModel m = ModelLoader.open(ShippedModel.extractTo(Path.of(args[0])), EngineChoice.auto, 1)) {
            int batch = 32;
            float[] images = new float[batch * GalaxyDataset.PIXELS];
            float[] mags = new float[batch * GalaxyDataset.BANDS];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) Math.abs(Math.sin(i * 0.37));
            }
            Arrays.fill(mags, 18f);
            StageTimes times = new StageTimes();
            long warm = 0;
            for (int b = 0; b < WARM_BATCHES + MEASURED_BATCHES; b++) {
                float[] z = m.predict(images, mags, batch, times);
                if (z.length != batch || !Float.isFinite(z[0])) {
                    throw new IllegalStateException("batch " + b + ": " + z.length + " values, first " + z[0]);
                }
                if (b == WARM_BATCHES - 1) {
                    warm = ProcessProbe.rssBytes();
                }
            }
            System.out.println("RSS warm=" + warm + " end=" + ProcessProbe.rssBytes());
        }
    }
}
