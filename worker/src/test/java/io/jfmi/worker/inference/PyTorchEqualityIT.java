package io.jfmi.worker.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.DebianPython;
import io.jfmi.worker.data.Npz;
import io.jfmi.worker.data.NpyArray;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ViT_Astro exported by Debian's PyTorch (TorchScript and ONNX) gives, through jfmi's model loader, the same
 * predictions as PyTorch itself on the same inputs.
 */
class PyTorchEqualityIT {
    static final double TOLERANCE = 1e-5;

    @TempDir
    static Path dir;

    @BeforeAll
    static void export() throws Exception {
        DebianPython.requireTorch();
        DebianPython.runOk(300, DebianPython.script("vit_astro.py").toString(), "--variant", "small", "--seed", "5",
                "--batch", "12", "--out", dir.toString());
    }

    @Test
    void torchScriptOnDjlPyTorchEqualsPyTorch() throws Exception {
        assertSamePredictions(EngineChoice.pytorch, dir.resolve("vit_astro.pt"));
    }

    @Test
    void onnxOnDjlOnnxRuntimeEqualsPyTorch() throws Exception {
        assertSamePredictions(EngineChoice.onnxruntime, dir.resolve("vit_astro.onnx"));
    }

    @Test
    void autoPicksOnnxRuntimeForATorchScriptWithAnOnnxTwin() throws Exception {
        try (RedshiftModel m = ModelLoader.open(dir.resolve("vit_astro.pt"), EngineChoice.auto, 1)) {
            assertEquals("OnnxRuntime", m.engine());
        }
    }

    private static void assertSamePredictions(EngineChoice engine, Path model) throws Exception {
        Map<String, NpyArray> ref = Npz.read(dir.resolve("reference.npz"));
        float[] images = ref.get("images").toFloats();
        float[] mags = ref.get("magnitudes").toFloats();
        float[] expected = ref.get("z").toFloats();
        try (RedshiftModel m = ModelLoader.open(model, engine, 1)) {
            float[] got = m.predict(images, mags, expected.length, new StageTimes());
            assertEquals(expected.length, got.length);
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - expected[i]));
            }
            System.out.printf("%s on %s: max |jfmi - PyTorch| = %.3g over %d samples%n", model.getFileName(),
                    m.engine(), worst, got.length);
            assertTrue(worst <= TOLERANCE, model + " on " + m.engine() + ": max difference " + worst + " > "
                    + TOLERANCE);
        }
    }
}
