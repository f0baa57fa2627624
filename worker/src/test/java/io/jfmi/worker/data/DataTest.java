package io.jfmi.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
    @TempDir
    Path dir;

    @Test
    void npzRoundTripsAndMatchesNumpyHeaderLayout() throws IOException {
        GalaxyDataset d = GalaxyGenerator.generate(7, 1);
        Path f = dir.resolve("d.npz");
        d.save(f);
        GalaxyDataset back = GalaxyDataset.load(f);
        assertArrayEquals(d.images(), back.images());
        assertArrayEquals(d.magnitudes(), back.magnitudes());
        assertArrayEquals(d.redshifts(), back.redshifts());
        byte[] npy = Npy.encode(NpyArray.ofFloats(new float[] {1, 2, 3}, 3));
        int headerLength = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
        String header = new String(npy, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header.strip());
        assertTrue(header.endsWith("\n"));
        assertEquals(0, (10 + headerLength) % 64, "header padded to a multiple of 64 bytes, as numpy does");
    }

    @Test
    void generatorIsDeterministicPerSampleAndRedshiftShowsInTheData() {
        GalaxyDataset a = GalaxyGenerator.generate(400, 7);
        GalaxyDataset b = GalaxyGenerator.generate(400, 7);
        assertArrayEquals(a.images(), b.images());
        GalaxyDataset prefix = GalaxyGenerator.generate(10, 7);
        assertArrayEquals(prefix.redshifts(), Arrays.copyOf(a.redshifts(), 10), "any range comes out the same");
        // farther galaxies are redder (g - z colour) and fainter (total r-band flux)
        double[] color = new double[a.count()];
        double[] flux = new double[a.count()];
        double[] z = new double[a.count()];
        for (int i = 0; i < a.count(); i++) {
            color[i] = a.magnitudes()[i * 5 + 1] - a.magnitudes()[i * 5 + 4];
            for (int p = 0; p < 32 * 32; p++) {
                flux[i] += a.images()[i * GalaxyDataset.PIXELS + 2 * 32 * 32 + p];
            }
            z[i] = a.redshifts()[i];
        }
        assertTrue(correlation(color, z) > 0.5, "colour-redshift correlation " + correlation(color, z));
        assertTrue(correlation(flux, z) < -0.5, "flux-redshift correlation " + correlation(flux, z));
    }

    static double correlation(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    @Test
    void shardsCoverEverySampleExactlyOnceForAnyRankCount() throws IOException {
        GalaxyDataset d = GalaxyGenerator.generate(53, 3);
        Manifest m = Partitioner.bySize(d, 10L * GalaxyDataset.BYTES_PER_SAMPLE, dir.resolve("shards"));
        assertEquals(6, m.shards().size());
        assertEquals(53, Manifest.read(dir.resolve("shards")).totalSamples());
        for (int n = 1; n <= 7; n++) {
            float[] seen = new float[0];
            for (int r = 0; r < n; r++) {
                GalaxyDataset part = Partitioner.readShare(dir.resolve("shards"), r, n).data();
                float[] joined = Arrays.copyOf(seen, seen.length + part.count());
                System.arraycopy(part.redshifts(), 0, joined, seen.length, part.count());
                seen = joined;
            }
            assertArrayEquals(d.redshifts(), seen, "world size " + n);
        }
        assertEquals(new RankShare(0, 0), RankShare.of(3, 0, 5), "more ranks than samples: empty shares");
    }

    @Test
    void sharesOfOneFileReadOnlyTheirRowsAndCoverEverySampleOnce() throws IOException {
        GalaxyDataset d = GalaxyGenerator.generate(23, 9);
        Path file = dir.resolve("one.npz");
        d.save(file);
        for (int n = 1; n <= 6; n++) {
            int at = 0;
            for (int r = 0; r < n; r++) {
                GalaxyDataset.Loaded part = ShareReader.read(file, r, n);
                assertEquals(at, part.firstIndex(), "first index of rank " + r + " of " + n);
                assertEquals(23, part.totalSamples());
                GalaxyDataset expected = d.slice(at, at + part.data().count());
                assertArrayEquals(expected.images(), part.data().images());
                assertArrayEquals(expected.magnitudes(), part.data().magnitudes());
                assertArrayEquals(expected.redshifts(), part.data().redshifts());
                at += part.data().count();
            }
            assertEquals(23, at, "world size " + n);
        }
        Path truncated = dir.resolve("cut.npz");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 200));
        IOException e = assertThrows(IOException.class, () -> ShareReader.read(truncated, 1, 2));
        assertTrue(e.getMessage().contains("cut.npz"), e.getMessage());
        e = assertThrows(IOException.class, () -> ShareReader.read(dir.resolve("absent.npz"), 0, 1));
        assertTrue(e.getMessage().contains("absent.npz") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void safetensorsDatasetsAreReadThroughDjl() throws IOException {
        GalaxyDataset d = GalaxyGenerator.generate(9, 5);
        Path file = dir.resolve("galaxies.safetensors");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
            ai.djl.ndarray.NDArray images = m.create(d.images(), new ai.djl.ndarray.types.Shape(9, 5, 32, 32));
            images.setName("images");
            ai.djl.ndarray.NDArray mags = m.create(d.magnitudes(), new ai.djl.ndarray.types.Shape(9, 5));
            mags.setName("magnitudes");
            ai.djl.ndarray.NDArray z = m.create(d.redshifts(), new ai.djl.ndarray.types.Shape(9));
            z.setName("redshifts");
            try (var out = Files.newOutputStream(file)) {
                new ai.djl.ndarray.NDList(images, mags, z).encode(out, ai.djl.ndarray.NDList.Encoding.SAFETENSORS);
            }
        }
        GalaxyDataset.Loaded share = ShareReader.read(file, 1, 2);
        assertEquals(4, share.firstIndex());
        assertArrayEquals(d.slice(4, 9).images(), share.data().images());
        assertArrayEquals(d.slice(4, 9).magnitudes(), share.data().magnitudes());
        assertArrayEquals(d.slice(4, 9).redshifts(), share.data().redshifts());
        Path junk = Files.write(dir.resolve("junk.safetensors"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> ShareReader.read(junk, 0, 1));
        assertTrue(e.getMessage().contains("junk.safetensors"), e.getMessage());
    }

    @Test
    void badFilesGetErrorsNamingTheFileAndTheProblem() throws IOException {
        GalaxyDataset d = GalaxyGenerator.generate(4, 1);
        Path good = dir.resolve("good.npz");
        d.save(good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.npz");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> GalaxyDataset.load(truncated));
        assertTrue(e.getMessage().contains("truncated.npz"), e.getMessage());

        Path garbage = dir.resolve("garbage.npz");
        Files.writeString(garbage, "not numpy at all");
        e = assertThrows(IOException.class, () -> GalaxyDataset.load(garbage));
        assertTrue(e.getMessage().contains("garbage.npz"), e.getMessage());

        Path missing = dir.resolve("missing.npz");
        Npz.write(missing, Map.of("images", NpyArray.ofFloats(d.images(), 4, 5, 32, 32)));
        e = assertThrows(IOException.class, () -> GalaxyDataset.load(missing));
        assertTrue(e.getMessage().contains("missing array 'magnitudes'"), e.getMessage());

        Path shape = dir.resolve("shape.npz");
        Npz.write(shape, Map.of("images", NpyArray.ofFloats(d.images(), 4, 5, 64, 16), "magnitudes",
                NpyArray.ofDoubles(d.magnitudes(), 4, 5), "redshifts", NpyArray.ofFloats(d.redshifts(), 4)));
        e = assertThrows(IOException.class, () -> GalaxyDataset.load(shape));
        assertTrue(e.getMessage().contains("'images' has shape [4, 5, 64, 16]"), e.getMessage());

        Path shards = dir.resolve("shards");
        Partitioner.byCount(d, 2, shards);
        Files.write(shards.resolve("shard-00001.npz"), bytes);
        e = assertThrows(IOException.class, () -> Partitioner.readShare(shards, 1, 2));
        assertTrue(e.getMessage().contains("shard-00001.npz") && e.getMessage().contains("checksum"), e.getMessage());
    }
}
