package io.jfmi.worker.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads rank r of N's share of a dataset given as one .npz/.npy/.safetensors file, a {@code torch.save}d
 * TensorDataset ({@code .pt}) or a folder of shards with a manifest.
 */
public final class ShareReader {
    private ShareReader() {
    }

    public static GalaxyDataset.Loaded read(Path data, int rank, int worldSize) throws IOException {
        if (Files.isDirectory(data)) {
            if (!Files.isRegularFile(data.resolve(Manifest.FILE))) {
                throw new IOException(data + ": a dataset folder needs a " + Manifest.FILE
                        + " (write one with `worker.jar partition`)");
            }
            return Partitioner.readShare(data, rank, worldSize);
        }
        if (!Files.isRegularFile(data)) {
            throw new IOException(data + ": no such file or folder");
        }
        String name = data.getFileName().toString();
        if (name.endsWith(".safetensors")) {
            return SafetensorsReader.read(data, rank, worldSize);
        }
        if (name.endsWith(".pt") || name.endsWith(".pth")) {
            return TorchDatasetReader.readShare(data, rank, worldSize);
        }
        return GalaxyDataset.loadShare(data, rank, worldSize);
    }
}
