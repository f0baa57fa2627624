package io.jfmi.worker.inference;

import ai.djl.engine.Engine;

/**
 * Process-wide DJL settings that must be in place before an engine loads: no network (DJL otherwise tries a
 * telemetry call and may try to download natives), no PyTorch behind ONNX Runtime, and the PyTorch thread counts.
 */
public final class DjlSetup {
    static final String DISABLE_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

    private DjlSetup() {
    }

    /** Call before any DJL class does work; safe to call more than once. */
    public static void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // DJL's OnnxRuntime engine otherwise loads PyTorch as an "alternative engine" for NDArray operations that
        // jfmi's models never use: it took model loading from 46 to 400 ms and added libtorch to memory (measured).
        if (System.getProperty(DISABLE_ALTERNATIVE) == null) {
            System.setProperty(DISABLE_ALTERNATIVE, "true");
        }
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Intra-op threads for the PyTorch engine (one inter-op thread: a batch is one graph). Must run before the
     * engine first loads; later calls have no effect on PyTorch.
     */
    public static void pytorchThreads(int threads) {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /** Loads the engine now (unpacking its native libraries into the DJL cache on first use) and names it. */
    public static String warm(String engine) {
        offline();
        Engine e = Engine.getEngine(engine);
        return e.getEngineName() + " " + e.getVersion();
    }
}
