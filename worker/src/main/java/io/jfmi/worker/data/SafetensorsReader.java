package io.jfmi.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset stored as safetensors (tensors {@code images}, {@code magnitudes}, {@code redshifts}), decoded with
 * DJL's {@code NDList.decode}. The format has no row streaming in DJL, so the whole file is read and the share
 * sliced out: partition large datasets into .npz shards instead.
 */
final class SafetensorsReader {
    private SafetensorsReader() {
    }

    static GalaxyDataset.Loaded read(Path file, int rank, int worldSize) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); InputStream in = Files.newInputStream(file)) {
            NDList list;
            try {
                list = NDList.decode(manager, in);
            } catch (RuntimeException e) {
                throw new IOException(file + ": not a readable safetensors file (" + e.getMessage() + ")", e);
            }
            NDArray z = require(list, "redshifts", file);
            long n = z.getShape().dimension() == 1 ? z.getShape().get(0) : -1;
            expect(file, "redshifts", z, new Shape(n), DataType.FLOAT32);
            NDArray images = require(list, "images", file);
            expect(file, "images", images, new Shape(n, GalaxyDataset.BANDS, GalaxyDataset.SIDE, GalaxyDataset.SIDE),
                    DataType.FLOAT32);
            NDArray mags = require(list, "magnitudes", file);
            expect(file, "magnitudes", mags, new Shape(n, GalaxyDataset.BANDS), mags.getDataType()
                    == DataType.FLOAT32 ? DataType.FLOAT32 : DataType.FLOAT64);
            RankShare share = RankShare.of(n, rank, worldSize);
            GalaxyDataset all = new GalaxyDataset(images.toFloatArray(), mags.toType(DataType.FLOAT64, false)
                    .toDoubleArray(), z.toFloatArray());
            return new GalaxyDataset.Loaded(all.slice((int) share.start(), (int) share.end()), share.start(), n);
        }
    }

    private static NDArray require(NDList list, String name, Path file) throws IOException {
        List<String> names = new ArrayList<>();
        for (NDArray a : list) {
            if (name.equals(a.getName())) {
                return a;
            }
            names.add(a.getName());
        }
        throw new IOException(file + ": missing tensor '" + name + "' (has " + names + ")");
    }

    private static void expect(Path file, String name, NDArray a, Shape shape, DataType type) throws IOException {
        if (!a.getShape().equals(shape)) {
            throw new IOException(file + ": tensor '" + name + "' has shape " + a.getShape() + ", expected " + shape);
        }
        if (a.getDataType() != type) {
            throw new IOException(file + ": tensor '" + name + "' is " + a.getDataType() + ", expected " + type);
        }
    }
}
