package io.jfmi.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.DebianPython;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.inference.ModelLoader;
import io.jfmi.worker.inference.RedshiftModel;
import io.jfmi.worker.inference.StageTimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study's data files, {@code torch.save(TensorDataset(images, magnitudes, redshifts))}, written by Debian's
 * real PyTorch and read in Java; and a pickled whole model, refused with the way out, then exported by
 * scripts/export_model.py and run.
 */
class TorchSaveIT {
    static final int N = 37;

    @TempDir
    static Path dir;
    static GalaxyDataset expected;

    @BeforeAll
    static void write() throws Exception {
        DebianPython.requireTorch();
        expected = GalaxyGenerator.generate(N, 9);
        Path npz = dir.resolve("galaxies.npz");
        expected.save(npz);
        DebianPython.runOk(120, "-c", String.join("\n",
                "import numpy as np, torch, sys",
                "from torch.utils.data import TensorDataset",
                "d = np.load(sys.argv[1]); out = sys.argv[2]",
                "im = torch.from_numpy(d['images']); mg = torch.from_numpy(d['magnitudes']);"
                        + " z = torch.from_numpy(d['redshifts'])",
                // the study's layout: float32 images, float64 magnitudes, float32 redshifts
                "torch.save(TensorDataset(im, mg, z), out + '/study.pt')",
                // all float64, redshifts as [n, 1]
                "torch.save(TensorDataset(im.double(), mg, z.double().unsqueeze(1)), out + '/float64.pt')",
                // views: images at an offset into a larger storage, magnitudes transposed (column-major),
                // redshifts with stride 2
                "big = torch.cat([torch.full((3, 5, 32, 32), -7.0), im])",
                "mt = mg.t().contiguous().t()",
                "zz = torch.stack([z, torch.zeros_like(z)], 1)[:, 0]",
                "assert not mt.is_contiguous() and not zz.is_contiguous() and big[3:].storage_offset() > 0",
                "torch.save(TensorDataset(big[3:], mt, zz), out + '/views.pt')",
                "torch.save((im, mg, z), out + '/tuple.pt')",
                "torch.save(TensorDataset(im[:, :, :16, :16], mg, z), out + '/small-images.pt')",
                "torch.save(TensorDataset(im, mg), out + '/two-tensors.pt')"),
                npz.toString(), dir.toString());
    }

    @Test
    void theStudysTensorDatasetReadsAsTheSameSamples() throws Exception {
        for (String f : new String[] {"study.pt", "views.pt", "tuple.pt"}) {
            GalaxyDataset got = TorchDatasetReader.read(dir.resolve(f));
            assertArrayEquals(expected.images(), got.images(), f + " images");
            assertArrayEquals(expected.redshifts(), got.redshifts(), f + " redshifts");
            for (int i = 0; i < expected.magnitudes().length; i++) {
                assertEquals((float) expected.magnitudes()[i], (float) got.magnitudes()[i], f + " magnitude " + i);
            }
        }
    }

    @Test
    void float64TensorsAreNarrowedAndAColumnOfRedshiftsIsAccepted() throws Exception {
        GalaxyDataset got = TorchDatasetReader.read(dir.resolve("float64.pt"));
        assertArrayEquals(expected.images(), got.images());
        assertArrayEquals(expected.redshifts(), got.redshifts());
    }

    @Test
    void aRanksShareIsItsRowsOnly() throws Exception {
        GalaxyDataset.Loaded share = ShareReader.read(dir.resolve("study.pt"), 1, 3);
        RankShare expectedShare = RankShare.of(N, 1, 3);
        assertEquals(expectedShare.start(), share.firstIndex());
        assertEquals(N, share.totalSamples());
        assertArrayEquals(expected.slice((int) expectedShare.start(), (int) expectedShare.end()).redshifts(),
                share.data().redshifts());
    }

    @Test
    void wrongShapesAndLayoutsAreNamed() throws Exception {
        IOException shape = assertThrows(IOException.class, () -> TorchDatasetReader.read(dir.resolve(
                "small-images.pt")));
        assertTrue(shape.getMessage().contains("small-images.pt: tensor 'images' has shape [37, 5, 16, 16], "
                + "expected [37, 5, 32, 32]"), shape.getMessage());
        IOException two = assertThrows(IOException.class, () -> TorchDatasetReader.read(dir.resolve(
                "two-tensors.pt")));
        assertTrue(two.getMessage().contains("expected TensorDataset(images, magnitudes, redshifts)")
                && two.getMessage().contains("TensorDataset of 2 tensors"), two.getMessage());
        Path junk = dir.resolve("junk.pt");
        Files.writeString(junk, "not a zip");
        IOException notZip = assertThrows(IOException.class, () -> TorchDatasetReader.read(junk));
        assertTrue(notZip.getMessage().contains("junk.pt: not a torch.save archive"), notZip.getMessage());
        Path cut = dir.resolve("cut.pt");
        byte[] whole = Files.readAllBytes(dir.resolve("study.pt"));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        IOException truncated = assertThrows(IOException.class, () -> TorchDatasetReader.read(cut));
        assertTrue(truncated.getMessage().contains("cut.pt"), truncated.getMessage());
    }

    @Test
    void aPickledWholeModelIsRefusedWithTheWayOutWhichThenRuns() throws Exception {
        Path script = DebianPython.script("vit_astro.py");
        DebianPython.runOk(300, "-c", String.join("\n",
                "import sys, numpy as np, torch",
                "sys.path.insert(0, sys.argv[1])",
                "import vit_astro",
                "torch.manual_seed(3)",
                "m = vit_astro.VitAstro('small').eval()",
                "torch.save(m, sys.argv[2] + '/whole.pt')",
                "im = torch.rand(6, 5, 32, 32); mg = torch.rand(6, 5) * 20",
                "with torch.no_grad(): z = m(im, mg).reshape(-1)",
                "np.savez(sys.argv[2] + '/ref.npz', images=im.numpy(), magnitudes=mg.numpy(), z=z.numpy())"),
                script.getParent().toString(), dir.toString());
        assertEquals(TorchSave.Kind.PICKLE, TorchSave.kind(dir.resolve("whole.pt")));
        IOException e = assertThrows(IOException.class, () -> ModelLoader.open(dir.resolve("whole.pt"),
                EngineChoice.pytorch, 1));
        assertTrue(e.getMessage().contains("torch.save(model)") && e.getMessage().contains("export_model.py"),
                e.getMessage());

        Path exported = dir.resolve("exported");
        DebianPython.runOk(300, DebianPython.script("export_model.py").toString(), "--model",
                dir.resolve("whole.pt").toString(), "--module-file", script.toString(), "--out", exported.toString());
        assertEquals(TorchSave.Kind.TORCHSCRIPT, TorchSave.kind(exported.resolve("whole.pt")));
        Map<String, NpyArray> ref = Npz.read(dir.resolve("ref.npz"));
        float[] want = ref.get("z").toFloats();
        for (EngineChoice engine : new EngineChoice[] {EngineChoice.pytorch, EngineChoice.onnxruntime}) {
            Path model = exported.resolve(engine == EngineChoice.pytorch ? "whole.pt" : "whole.onnx");
            try (RedshiftModel m = ModelLoader.open(model, engine, 1)) {
                float[] got = m.predict(ref.get("images").toFloats(), ref.get("magnitudes").toFloats(), want.length,
                        new StageTimes());
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-5, engine + " sample " + i);
                }
            }
        }
    }
}
