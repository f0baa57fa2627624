package io.jfmi.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VitAstroTest {
    @TempDir
    Path dir;

    @Test
    void fullShapeHasTheStudysParameterCount() {
        try (Model m = ModelFiles.create(VitAstroConfig.full(), 42, "PyTorch")) {
            long params = ModelFiles.parameterCount(m.getBlock());
            System.out.println("ViT_Astro full parameters: " + params);
            // PyTorch counts 15,801,193; DJL adds BatchNorm running mean and variance (676 values)
            assertEquals(15_801_193 + 676, params, "the study's ViT_Astro shape");
            assertArrayEquals(new long[] {3, 1}, predict(m, 3).getShape().getShape());
        }
    }

    @Test
    void seededModelsAreReproducibleAndSaveLoadRoundTripsExactly() throws Exception {
        VitAstroConfig small = VitAstroConfig.small().withScaling(0.5f, new float[] {20, 20, 20, 20, 20},
                new float[] {2, 2, 2, 2, 2});
        try (Model a = ModelFiles.create(small, 7, "PyTorch"); Model b = ModelFiles.create(small, 7, "PyTorch")) {
            float[] pa = predict(a, 4).toFloatArray();
            assertArrayEquals(pa, predict(b, 4).toFloatArray(), "same seed, same weights");
            ModelFiles.save(a, small, dir.resolve("m"));
            try (Model loaded = ModelFiles.load(dir.resolve("m"), "PyTorch")) {
                assertArrayEquals(pa, predict(loaded, 4).toFloatArray(), "save/load keeps every weight");
                assertEquals(small.toJson(), ModelFiles.readConfig(dir.resolve("m")).toJson());
            }
        }
    }

    @Test
    void inferenceLeavesOnlyItsInputsAndOutputInTheBatchManager() {
        try (Model m = ModelFiles.create(VitAstroConfig.small(), 3, "PyTorch");
                NDManager batch = m.getNDManager().newSubManager()) {
            NDList in = new NDList(batch.ones(new ai.djl.ndarray.types.Shape(2, 5, 32, 32)),
                    batch.ones(new ai.djl.ndarray.types.Shape(2, 5)));
            NDArray out = m.getBlock().forward(new ParameterStore(batch, false), in, false).singletonOrThrow();
            // Without the releasing blocks every intermediate of the batch stayed attached here (hundreds).
            java.util.List<NDArray> live = batch.getManagedArrays();
            assertTrue(live.contains(out) && live.size() <= 4, live.size() + " arrays still live after one forward: "
                    + live.stream().map(a -> a.getShape().toString()).toList());
            float[] before = out.toFloatArray();
            // Training keeps its intermediates (autograd needs them) and computes the same function.
            NDArray trained = m.getBlock().forward(new ParameterStore(batch, false), in, true).singletonOrThrow();
            assertTrue(batch.getManagedArrays().size() > 20, "training freed its intermediates");
            assertEquals(before.length, trained.toFloatArray().length);
        }
    }

    /**
     * The Inception branch takes large batches 128 rows at a time (its feature maps are the model's largest
     * activations): a batch of 150 (slices of 128 and 22) gives each row what a batch of that row alone gives,
     * and leaves no more arrays behind than a small batch.
     */
    @Test
    void largeBatchesRunTheInceptionBranchInSlicesWithTheSameResults() {
        try (Model m = ModelFiles.create(VitAstroConfig.small(), 11, "PyTorch")) {
            int rows = 150;
            float[] whole = predict(m, rows).toFloatArray();
            float[] images = inputImages(rows);
            float[] mags = inputMags(rows);
            for (int row : new int[] {0, 64, 127, 128, 149}) {
                try (NDManager one = m.getNDManager().newSubManager()) {
                    NDList in = new NDList(one.create(java.util.Arrays.copyOfRange(images, row * 5120,
                            (row + 1) * 5120), new ai.djl.ndarray.types.Shape(1, 5, 32, 32)),
                            one.create(java.util.Arrays.copyOfRange(mags, row * 5, (row + 1) * 5),
                                    new ai.djl.ndarray.types.Shape(1, 5)));
                    float alone = m.getBlock().forward(new ParameterStore(one, false), in, false).singletonOrThrow()
                            .toFloatArray()[0];
                    assertEquals(alone, whole[row], 1e-4f, "row " + row);
                }
            }
            try (NDManager batch = m.getNDManager().newSubManager()) {
                NDList in = new NDList(batch.ones(new ai.djl.ndarray.types.Shape(rows, 5, 32, 32)),
                        batch.ones(new ai.djl.ndarray.types.Shape(rows, 5)));
                m.getBlock().forward(new ParameterStore(batch, false), in, false);
                assertTrue(batch.getManagedArrays().size() <= 4, batch.getManagedArrays().size() + " arrays live");
            }
        }
    }

    private static float[] inputImages(int batch) {
        float[] images = new float[batch * 5 * 32 * 32];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) Math.sin(i * 0.01);
        }
        return images;
    }

    private static float[] inputMags(int batch) {
        float[] mags = new float[batch * 5];
        for (int i = 0; i < mags.length; i++) {
            mags[i] = 18 + i % 7;
        }
        return mags;
    }

    private static NDArray predict(Model m, int batch) {
        NDManager manager = m.getNDManager().newSubManager();
        float[] images = inputImages(batch);
        float[] mags = inputMags(batch);
        NDList in = new NDList(manager.create(images, new ai.djl.ndarray.types.Shape(batch, 5, 32, 32)),
                manager.create(mags, new ai.djl.ndarray.types.Shape(batch, 5)));
        NDArray out = m.getBlock().forward(new ParameterStore(manager, false), in, false).singletonOrThrow();
        out.detach();
        manager.close();
        return out;
    }
}
