package io.jfmi.worker.cli;

import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.inference.DjlSetup;
import io.jfmi.worker.model.ModelFiles;
import io.jfmi.worker.train.Training;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains a ViT_Astro on a .npz dataset and saves it as a jfmi model folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a ViT_Astro (small or full) on a galaxy .npz with Adam and squared error; the last "
                + "--validation share of samples is held out and scored after every epoch.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training data (.npz).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model folder to write.")
    Path out;

    @Option(names = "--variant", description = "small or full (default: ${DEFAULT-VALUE}).")
    String variant = "small";

    @Option(names = "--epochs", description = "Passes over the training split (default: ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--batch-size", description = "Samples per step (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--learning-rate", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate = 1e-3f;

    @Option(names = "--seed", description = "Seed of the initial weights and the shuffle (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--validation", description = "Share of samples held out, 0..0.5 (default: ${DEFAULT-VALUE}).")
    double validation = 0.1;

    // PyTorch 2.7.1 CPU (DJL's build) returned NaN input gradients from 5x5 conv backward when run on several
    // threads on this machine (NNPACK "unsupported hardware"); one thread trains correctly.
    @Option(names = "--threads", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}; more threads hit "
            + "NaN gradients in libtorch 2.7.1's multi-threaded conv backward on CPUs without NNPACK support).")
    int threads = 1;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || batchSize < 1 || learningRate <= 0 || validation < 0 || validation > 0.5) {
            throw new IllegalArgumentException("need --epochs >= 1, --batch-size >= 1, --learning-rate > 0 and "
                    + "--validation in 0..0.5");
        }
        DjlSetup.offline();
        DjlSetup.pytorchThreads(threads);
        GalaxyDataset d = GalaxyDataset.load(data);
        System.out.printf("training %s ViT_Astro on %,d samples of %s (%d held out)%n", variant, d.count(), data,
                Math.round(d.count() * validation));
        Training.Trained t = Training.train(d, new Training.Settings(variant, epochs, batchSize, learningRate, seed,
                validation), System.out, (model, config, epoch) -> ModelFiles.save(model, config, out));
        try (var model = t.model()) {
            System.out.printf("%s holds the epoch with the best validation RMSE (%,d parameters)%n", out,
                    ModelFiles.parameterCount(model.getBlock()));
        }
        return 0;
    }
}
