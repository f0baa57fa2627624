package io.jfmi.worker.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.job.Metrics;
import io.jfmi.worker.model.ModelFiles;
import io.jfmi.worker.model.VitAstro;
import io.jfmi.worker.model.VitAstroConfig;
import java.io.PrintStream;
import java.util.SplittableRandom;

/**
 * Trains a ViT_Astro on a galaxy dataset with Adam and a squared-error loss. Input scaling (pixel spread, per-band
 * magnitude mean and spread) is measured on the training split and stored in the model, so inference needs no
 * preprocessing. The last {@code validationFraction} of the samples is held out and scored after every epoch.
 */
public final class Training {

    /** @param variant small or full; @param validationFraction share of samples held out (0..0.5) */
    public record Settings(String variant, int epochs, int batchSize, float learningRate, long seed,
            double validationFraction) {
    }

    private Training() {
    }

    /** Told each time the validation RMSE improves (or after every epoch without a validation split). */
    @FunctionalInterface
    public interface Checkpoint {
        void improved(Model model, VitAstroConfig config, int epoch) throws java.io.IOException;
    }

    /**
     * Trains and returns the model (caller closes it) with its config. Steps whose gradients are not finite are
     * skipped and counted rather than applied (see TrainCommand's note on libtorch's conv backward).
     */
    public static Trained train(GalaxyDataset data, Settings s, PrintStream log, Checkpoint checkpoint)
            throws java.io.IOException {
        int n = data.count();
        int validation = (int) Math.round(n * s.validationFraction());
        int training = n - validation;
        if (training < s.batchSize()) {
            throw new IllegalArgumentException("only " + training + " training samples for batch size "
                    + s.batchSize());
        }
        VitAstroConfig config = scaled(VitAstroConfig.named(s.variant()), data, training);
        Engine.getEngine("PyTorch").setRandomSeed((int) s.seed());
        Model model = Model.newInstance(ModelFiles.NAME, "PyTorch");
        model.setBlock(VitAstro.build(config));
        model.getBlock().setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(s.learningRate())).build());
        SplittableRandom random = new SplittableRandom(s.seed());
        int[] order = new int[training];
        for (int i = 0; i < training; i++) {
            order[i] = i;
        }
        double bestRmse = Double.MAX_VALUE;
        try (Trainer trainer = model.newTrainer(tc)) {
            trainer.initialize(ModelFiles.inputShapes(s.batchSize()));
            for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                shuffle(order, random);
                long t0 = System.nanoTime();
                double lossSum = 0;
                int steps = 0;
                int skipped = 0;
                String lastBad = null;
                for (int from = 0; from + s.batchSize() <= training; from += s.batchSize()) {
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDList[] io = batch(batch, data, order, from, s.batchSize());
                        float lossValue;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(io[0]);
                            NDArray loss = trainer.getLoss().evaluate(io[1], pred);
                            gc.backward(loss);
                            lossValue = loss.getFloat();
                        }
                        String bad = Float.isFinite(lossValue) ? firstNonFiniteGradient(model) : "loss";
                        if (bad == null) {
                            trainer.step();
                            lossSum += lossValue;
                            steps++;
                        } else {
                            if (skipped++ == 0) {
                                lastBad = bad;
                            }
                        }
                    }
                }
                Metrics score = validation > 0 ? evaluate(model, data, training, n) : null;
                boolean better = score == null || Double.isFinite(score.rmse()) && score.rmse() < bestRmse;
                String skips = skipped > 0
                        ? ", " + skipped + " steps skipped (non-finite gradient, first in " + lastBad + ")" : "";
                String scored = score == null ? "" : "; validation " + describe(score);
                log.printf("epoch %d/%d: train loss %.5f, %.1f s%s%s%s%n", epoch, s.epochs(),
                        lossSum / Math.max(1, steps), (System.nanoTime() - t0) / 1e9, skips, scored,
                        better ? " (saved)" : "");
                if (better) {
                    bestRmse = score == null ? bestRmse : score.rmse();
                    checkpoint.improved(model, config, epoch);
                }
            }
        }
        return new Trained(model, config);
    }

    /** A trained model and the config it was built from. */
    public record Trained(Model model, VitAstroConfig config) {
    }

    /** The name of the first parameter whose gradient holds a NaN or infinity, or null when all are finite. */
    private static String firstNonFiniteGradient(Model model) {
        for (var p : model.getBlock().getParameters()) {
            NDArray value = p.getValue().getArray();
            if (value.hasGradient() && !Float.isFinite(value.getGradient().abs().max().getFloat())) {
                return p.getKey();
            }
        }
        return null;
    }

    /** Metrics of the model on samples [from, to). */
    public static Metrics evaluate(Model model, GalaxyDataset data, int from, int to) {
        float[] truth = new float[to - from];
        float[] pred = new float[to - from];
        int step = 256;
        for (int at = from; at < to; at += step) {
            int count = Math.min(step, to - at);
            int[] idx = new int[count];
            for (int i = 0; i < count; i++) {
                idx[i] = at + i;
            }
            try (NDManager batch = model.getNDManager().newSubManager()) {
                NDList[] io = batch(batch, data, idx, 0, count);
                float[] z = model.getBlock().forward(new ParameterStore(batch, false), io[0], false).get(0)
                        .toFloatArray();
                System.arraycopy(z, 0, pred, at - from, count);
                System.arraycopy(data.redshifts(), at, truth, at - from, count);
            }
        }
        return Metrics.of(truth, pred);
    }

    static String describe(Metrics m) {
        return String.format(java.util.Locale.ROOT, "MAE %.4f RMSE %.4f NMAD %.4f R^2 %.3f outliers %.1f%%", m.mae(),
                m.rmse(), m.nmad(), m.r2(), 100 * m.outlierFraction());
    }

    /** [inputs, labels] of samples order[from .. from + count). */
    private static NDList[] batch(NDManager manager, GalaxyDataset data, int[] order, int from, int count) {
        float[] images = new float[count * GalaxyDataset.PIXELS];
        float[] mags = new float[count * GalaxyDataset.BANDS];
        float[] z = new float[count];
        for (int i = 0; i < count; i++) {
            int s = order[from + i];
            System.arraycopy(data.images(), s * GalaxyDataset.PIXELS, images, i * GalaxyDataset.PIXELS,
                    GalaxyDataset.PIXELS);
            for (int b = 0; b < GalaxyDataset.BANDS; b++) {
                mags[i * GalaxyDataset.BANDS + b] = (float) data.magnitudes()[s * GalaxyDataset.BANDS + b];
            }
            z[i] = data.redshifts()[s];
        }
        NDList inputs = new NDList(manager.create(images, new Shape(count, 5, 32, 32)),
                manager.create(mags, new Shape(count, 5)));
        return new NDList[] {inputs, new NDList(manager.create(z, new Shape(count, 1)))};
    }

    /** The config with input scaling measured on the first {@code training} samples. */
    static VitAstroConfig scaled(VitAstroConfig c, GalaxyDataset data, int training) {
        double sq = 0;
        long pixels = (long) training * GalaxyDataset.PIXELS;
        for (long i = 0; i < pixels; i++) {
            double v = data.images()[(int) i];
            sq += v * v;
        }
        float imageScale = (float) (1 / Math.sqrt(sq / pixels));
        float[] mean = new float[5];
        float[] std = new float[5];
        for (int b = 0; b < 5; b++) {
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < training; i++) {
                double m = data.magnitudes()[i * 5 + b];
                s += m;
                s2 += m * m;
            }
            double mu = s / training;
            mean[b] = (float) mu;
            std[b] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, s2 / training - mu * mu)));
        }
        return c.withScaling(imageScale, mean, std);
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
