package io.jfmi.worker.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.data.GalaxyGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped model's two forms, DJL Block API on PyTorch and ONNX on ONNX Runtime, give the same predictions. */
class ShippedModelTest {
    static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    @Test
    void theOnnxFormPredictsWhatTheBlockModelPredicts() throws Exception {
        GalaxyDataset data = GalaxyGenerator.generate(100, 77);
        float[] mags = new float[data.magnitudes().length];
        for (int i = 0; i < mags.length; i++) {
            mags[i] = (float) data.magnitudes()[i];
        }
        float[] block;
        float[] onnx;
        try (RedshiftModel m = ModelLoader.open(ShippedModel.extractFor(EngineChoice.pytorch, dir.resolve("b")),
                EngineChoice.pytorch, 1)) {
            assertEquals("PyTorch", m.engine());
            block = m.predict(data.images(), mags, data.count(), new StageTimes());
        }
        try (RedshiftModel m = ModelLoader.open(ShippedModel.extractFor(EngineChoice.auto, dir.resolve("o")),
                EngineChoice.auto, 1)) {
            assertEquals("OnnxRuntime", m.engine());
            onnx = m.predict(data.images(), mags, data.count(), new StageTimes());
        }
        double worst = 0;
        for (int i = 0; i < block.length; i++) {
            worst = Math.max(worst, Math.abs(block[i] - onnx[i]));
        }
        System.out.printf("shipped model, ONNX against Block API: max |difference| %.3g over %d galaxies%n", worst,
                block.length);
        assertTrue(worst <= TOLERANCE, "max difference " + worst);
    }
}
