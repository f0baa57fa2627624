package io.jfmi.worker.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.job.ProcessProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped model loads, predicts finite values, and native memory does not grow from batch to batch. */
class BatchMemoryTest {
    @TempDir
    Path dir;

    @Test
    void residentMemoryStaysFlatOverManyBatches() throws IOException {
        try (RedshiftModel m = ModelLoader.open(ShippedModel.extractTo(dir.resolve("m")), EngineChoice.auto, 1)) {
            int batch = 32;
            float[] images = new float[batch * 5 * 32 * 32];
            float[] mags = new float[batch * 5];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) Math.abs(Math.sin(i * 0.37));
            }
            java.util.Arrays.fill(mags, 18f);
            StageTimes times = new StageTimes();
            long warm = 0;
            for (int b = 0; b < 400; b++) {
                float[] z = m.predict(images, mags, batch, times);
                assertEquals(batch, z.length);
                assertTrue(Float.isFinite(z[0]), "finite prediction");
                if (b == 99) {
                    warm = ProcessProbe.rssBytes();
                }
            }
            long growth = ProcessProbe.rssBytes() - warm;
            System.out.printf("RSS after 100 batches %d MB, growth over the next 300: %d MB%n", warm >> 20,
                    growth >> 20);
            assertTrue(growth < 64L << 20, "RSS grew " + (growth >> 20) + " MB over 300 batches: a leak");
        }
    }

    @Test
    void unusableModelsGetErrorsNamingThePath() throws IOException {
        IOException e = assertThrows(IOException.class, () -> ModelLoader.open(dir.resolve("none.pt"),
                EngineChoice.auto, 1));
        assertTrue(e.getMessage().contains("none.pt") && e.getMessage().contains("no such"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.pt"), "not a model");
        e = assertThrows(IOException.class, () -> ModelLoader.open(junk, EngineChoice.auto, 1));
        assertTrue(e.getMessage().contains("junk.pt") && e.getMessage().contains("TorchScript"), e.getMessage());
        Path txt = Files.writeString(dir.resolve("model.txt"), "x");
        e = assertThrows(IOException.class, () -> ModelLoader.open(txt, EngineChoice.auto, 1));
        assertTrue(e.getMessage().contains("unknown model type"), e.getMessage());
        Path shipped = ShippedModel.extractTo(dir.resolve("s"));
        e = assertThrows(IOException.class, () -> ModelLoader.open(shipped, EngineChoice.onnxruntime, 1));
        assertTrue(e.getMessage().contains("PyTorch engine only"), e.getMessage());
        Files.write(shipped.resolve("vit_astro-0000.params"), new byte[100]);
        e = assertThrows(IOException.class, () -> ModelLoader.open(shipped, EngineChoice.auto, 1));
        assertTrue(e.getMessage().contains(shipped.toString()), e.getMessage());
    }
}
