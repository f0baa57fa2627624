package io.jfmi.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.DebianPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/pickle_to_npz.py turns a torch.save'd TensorDataset into an .npz that jfmi reads unchanged. */
class PickleConverterIT {
    @TempDir
    Path dir;

    @Test
    void tensorDatasetPickleRoundTripsThroughTheConverter() throws Exception {
        DebianPython.requireTorch();
        GalaxyDataset original = GalaxyGenerator.generate(37, 4);
        Path npz = dir.resolve("original.npz");
        original.save(npz);
        Path pickle = dir.resolve("study.pt");
        // the study's form: TensorDataset(images float32, magnitudes float64, redshift float32)
        DebianPython.runOk(120, "-c", "import numpy as np, torch, sys\n"
                + "d = np.load(sys.argv[1])\n"
                + "ds = torch.utils.data.TensorDataset(torch.from_numpy(d['images']),"
                + " torch.from_numpy(d['magnitudes']), torch.from_numpy(d['redshifts']))\n"
                + "torch.save(ds, sys.argv[2])\n", npz.toString(), pickle.toString());
        Path converted = dir.resolve("converted.npz");
        String out = DebianPython.runOk(120, DebianPython.script("pickle_to_npz.py").toString(), pickle.toString(),
                converted.toString());
        assertTrue(out.contains("wrote 37 samples"), out);
        GalaxyDataset back = GalaxyDataset.load(converted);
        assertArrayEquals(original.images(), back.images());
        assertArrayEquals(original.magnitudes(), back.magnitudes());
        assertArrayEquals(original.redshifts(), back.redshifts());
    }

    @Test
    void wrongShapesAreNamed() throws Exception {
        DebianPython.requireTorch();
        Path pickle = dir.resolve("bad.pt");
        DebianPython.runOk(120, "-c", "import torch, sys\n"
                + "torch.save(torch.utils.data.TensorDataset(torch.zeros(4, 3, 32, 32), torch.zeros(4, 5), "
                + "torch.zeros(4)), sys.argv[1])\n", pickle.toString());
        DebianPython.Result r = DebianPython.run(List.of(DebianPython.PYTHON.toString(),
                DebianPython.script("pickle_to_npz.py").toString(), pickle.toString(),
                dir.resolve("x.npz").toString()), 120);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("bad.pt") && r.output().contains("(4, 3, 32, 32)"), r.output());
        assertTrue(Files.notExists(dir.resolve("x.npz")), "nothing written");
    }
}
