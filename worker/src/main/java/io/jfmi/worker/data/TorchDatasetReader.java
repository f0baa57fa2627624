package io.jfmi.worker.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.objects.ClassDict;

/**
 * The CosmicAI study's data files: {@code torch.save(TensorDataset(images, magnitudes, redshifts))}. Also accepted:
 * a tuple or list of those three tensors, or a dict with keys images, magnitudes, redshifts. Shapes are checked and
 * named in errors; float64 values are narrowed to float32 as the study's model did ({@code .float()}).
 */
public final class TorchDatasetReader {
    private TorchDatasetReader() {
    }

    public static GalaxyDataset read(Path file) throws IOException {
        try (TorchSave archive = TorchSave.open(file)) {
            List<TorchTensor> t = tensors(file, archive.root());
            TorchTensor images = t.get(0);
            TorchTensor magnitudes = t.get(1);
            TorchTensor redshifts = t.get(2);
            long n = images.shape().length > 0 ? images.shape()[0] : -1;
            expect(file, "images", images, new long[] {n, GalaxyDataset.BANDS, GalaxyDataset.SIDE, GalaxyDataset.SIDE});
            expect(file, "magnitudes", magnitudes, new long[] {n, GalaxyDataset.BANDS});
            if (!Arrays.equals(redshifts.shape(), new long[] {n}) && !Arrays.equals(redshifts.shape(),
                    new long[] {n, 1})) {
                throw new IOException(file + ": tensor 'redshifts' (third) has shape "
                        + Arrays.toString(redshifts.shape()) + ", expected [" + n + "] or [" + n + ", 1]");
            }
            float[] mags = magnitudes.toFloats(archive);
            double[] magsWide = new double[mags.length];
            for (int i = 0; i < mags.length; i++) {
                magsWide[i] = mags[i];
            }
            return new GalaxyDataset(images.toFloats(archive), magsWide, redshifts.toFloats(archive));
        }
    }

    /** Rank {@code rank} of {@code worldSize}'s rows of one file (the pickle is read whole, then sliced). */
    public static GalaxyDataset.Loaded readShare(Path file, int rank, int worldSize) throws IOException {
        GalaxyDataset all = read(file);
        RankShare share = RankShare.of(all.count(), rank, worldSize);
        return new GalaxyDataset.Loaded(all.slice((int) share.start(), (int) share.end()), share.start(), all.count());
    }

    private static List<TorchTensor> tensors(Path file, Object root) throws IOException {
        Object body = root;
        if (root instanceof ClassDict d && d.getClassName().endsWith("TensorDataset")) {
            body = d.get("tensors");
        }
        if (body instanceof Map<?, ?> m && m.containsKey("images")) {
            body = new Object[] {m.get("images"), m.get("magnitudes"), m.get("redshifts")};
        }
        if (body instanceof List<?> l) {
            body = l.toArray();
        }
        if (body instanceof Object[] a && a.length == 3 && Arrays.stream(a).allMatch(x -> x instanceof TorchTensor)) {
            return List.of((TorchTensor) a[0], (TorchTensor) a[1], (TorchTensor) a[2]);
        }
        throw new IOException(file + ": expected TensorDataset(images, magnitudes, redshifts) (or a tuple or dict of "
                + "those three tensors), found " + describe(root));
    }

    private static String describe(Object o) {
        if (o instanceof ClassDict d) {
            Object t = d.get("tensors");
            return d.getClassName() + (t instanceof Object[] a ? " of " + a.length + " tensors" : "");
        }
        if (o instanceof Object[] a) {
            return "a tuple of " + a.length;
        }
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private static void expect(Path file, String name, TorchTensor t, long[] shape) throws IOException {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IOException(file + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape).replace("-1", "n"));
        }
    }
}
