package io.jfmi.benchmarks.inference;

import ai.djl.pytorch.jni.JniUtils;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.jfmi.worker.inference.DjlSetup;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.inference.ModelLoader;
import io.jfmi.worker.inference.RedshiftModel;
import io.jfmi.worker.inference.StageTimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a batch's time goes, by kind of operator, in libtorch (the TorchScript model through DJL's PyTorch engine,
 * libtorch's own profiler) and in ONNX Runtime (the ONNX model, its own profiler), on the same inputs:
 * {@code MODEL_DIR BATCH THREADS BATCHES OUT_DIR}. Writes both traces and prints one table; runs in its own JVM
 * per engine ({@code torch} or {@code ort} as the sixth argument) so neither engine's threads disturb the other.
 */
public final class OpProfile {
    private OpProfile() {
    }

    public static void main(String[] args) throws Exception {
        DjlSetup.offline();
        Path model = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int batches = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        String engine = args[5];
        Files.createDirectories(out);
        SyntheticBatch inputs = SyntheticBatch.of(batch);
        float[] images = inputs.images();
        float[] mags = inputs.mags();
        Path trace;
        long wallNanos;
        if (engine.equals("torch")) {
            RedshiftModel m = ModelLoader.open(model.resolve("vit_astro.pt"), EngineChoice.pytorch, threads);
            StageTimes t = new StageTimes();
            for (int i = 0; i < 3; i++) {
                m.predict(images, mags, batch, t);
            }
            trace = out.resolve("libtorch-trace.json");
            JniUtils.startProfile(false, false, false);
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                m.predict(images, mags, batch, t);
            }
            wallNanos = System.nanoTime() - t0;
            JniUtils.stopProfile(trace.toString());
        } else {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession warm = env.createSession(model.resolve("vit_astro.onnx").toString(), o);
            for (int i = 0; i < 3; i++) {
                SyntheticBatch.runOrt(env, warm, images, mags, batch);
            }
            warm.close();
            o.enableProfiling(out.resolve("ort").toString());
            OrtSession session = env.createSession(model.resolve("vit_astro.onnx").toString(), o);
            // the profiled session's own first run, not counted
            SyntheticBatch.runOrt(env, session, images, mags, batch);
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                SyntheticBatch.runOrt(env, session, images, mags, batch);
            }
            wallNanos = System.nanoTime() - t0;
            trace = Path.of(session.endProfiling());
        }
        // ONNX Runtime's trace also holds the profiled session's first run.
        int traced = engine.equals("torch") ? batches : batches + 1;
        OpTimes times = engine.equals("torch") ? OpTimes.ofLibtorchTrace(trace) : OpTimes.ofOrtTrace(trace);
        System.out.printf(Locale.ROOT, "%s: %d batches of %d on %d threads, %.1f ms per batch (wall), trace %s%n",
                engine, batches, batch, threads, wallNanos / 1e6 / batches, trace);
        System.out.print(times.table(traced));
    }
}
