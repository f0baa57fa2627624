package io.jfmi.benchmarks.inference;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.jfmi.benchmarks.Folders;
import io.jfmi.worker.inference.DjlSetup;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.inference.ModelLoader;
import io.jfmi.worker.inference.RedshiftModel;
import io.jfmi.worker.inference.StageTimes;
import io.jfmi.worker.job.ProcessProbe;
import io.jfmi.worker.model.ModelFiles;
import io.jfmi.worker.model.VitAstroConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * One measurement in its own JVM, so peak RSS belongs to that system alone: {@code SYSTEM MODEL BATCH THREADS
 * SAMPLES SECONDS WARMUP}: after WARMUP batches, batches run until SAMPLES samples or SECONDS seconds have passed
 * (at least 3 batches). Systems: jfmi-pytorch (worker path, TorchScript), jfmi-onnxruntime (worker path, ONNX),
 * jfmi-block (worker path, the Block-API ViT_Astro with seeded weights), ort-java (ONNX Runtime's Java API used
 * directly) and matmul (GFLOP/s of a 1024^3 float matmul on libtorch, the machine's bound). Prints one RESULT line.
 */
public final class InferenceProbe {
    private InferenceProbe() {
    }

    public static void main(String[] args) throws Exception {
        DjlSetup.offline();
        String system = args[0];
        Path model = Path.of(args[1]);
        int batch = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        long targetSamples = Long.parseLong(args[4]);
        double maxSeconds = Double.parseDouble(args[5]);
        int warmup = Integer.parseInt(args[6]);
        if (system.equals("matmul")) {
            matmul(threads);
            return;
        }
        SyntheticBatch inputs = SyntheticBatch.of(batch);
        float[] images = inputs.images();
        float[] mags = inputs.mags();
        Batcher run = switch (system) {
            case "jfmi-pytorch" -> worker(model.resolve("vit_astro.pt"), EngineChoice.pytorch, threads);
            case "jfmi-onnxruntime" -> worker(model.resolve("vit_astro.onnx"), EngineChoice.onnxruntime, threads);
            case "jfmi-block" -> block(threads);
            case "ort-java" -> ortJava(model.resolve("vit_astro.onnx"), threads);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
        for (int i = 0; i < warmup; i++) {
            run.predict(images, mags, batch);
        }
        long rssFirst = 0;
        double[] ms = new double[16];
        int batches = 0;
        long t0 = System.nanoTime();
        while (batches < 3 || (long) batches * batch < targetSamples && (System.nanoTime() - t0) / 1e9 < maxSeconds) {
            long s = System.nanoTime();
            run.predict(images, mags, batch);
            if (batches == ms.length) {
                ms = Arrays.copyOf(ms, batches * 2);
            }
            ms[batches++] = (System.nanoTime() - s) / 1e6;
            if (batches == 1) {
                rssFirst = ProcessProbe.rssBytes();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ms = Arrays.copyOf(ms, batches);
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "RESULT samples_per_s=%.2f p50_ms=%.2f p99_ms=%.2f peak_rss_mb=%d "
                + "rss_first_mb=%d rss_last_mb=%d batches=%d%n", batches * (double) batch / seconds, ms[batches / 2],
                ms[Math.min(batches - 1, (int) Math.floor(0.99 * batches))], ProcessProbe.peakRssBytes() >> 20,
                rssFirst >> 20, ProcessProbe.rssBytes() >> 20, batches);
    }

    /** One batch through a system. */
    interface Batcher {
        void predict(float[] images, float[] mags, int n) throws Exception;
    }

    private static Batcher worker(Path file, EngineChoice engine, int threads) throws Exception {
        RedshiftModel m = ModelLoader.open(file, engine, threads);
        StageTimes t = new StageTimes();
        return (images, mags, n) -> m.predict(images, mags, n, t);
    }

    private static Batcher block(int threads) throws Exception {
        DjlSetup.pytorchThreads(threads);
        Path dir = Files.createTempDirectory("jfmi-bench-block");
        try {
            try (Model m = ModelFiles.create(VitAstroConfig.full(), 42, "PyTorch")) {
                ModelFiles.save(m, VitAstroConfig.full(), dir);
            }
            return worker(dir, EngineChoice.pytorch, threads);
        } finally {
            Folders.deleteTree(dir); // the loaded model holds its weights in memory; the files were only a way there
        }
    }

    private static Batcher ortJava(Path file, int threads) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession session = env.createSession(file.toString(), o);
        return (images, mags, n) -> SyntheticBatch.runOrt(env, session, images, mags, n);
    }

    private static void matmul(int threads) {
        DjlSetup.pytorchThreads(threads);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.randomUniform(0, 1, new Shape(1024, 1024));
            NDArray b = m.randomUniform(0, 1, new Shape(1024, 1024));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            int reps = 20;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.matMul(b).close();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "RESULT gflops=%.2f%n", reps * 2.0 * 1024 * 1024 * 1024 / s / 1e9);
        }
    }
}
