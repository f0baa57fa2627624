package io.jfmi.worker.inference;

/** Which DJL engine runs a model: chosen by the user, or by the model file when left on auto. */
public enum EngineChoice {
    auto(null), pytorch("PyTorch"), onnxruntime("OnnxRuntime");

    private final String djlName;

    EngineChoice(String djlName) {
        this.djlName = djlName;
    }

    /** DJL's engine name; null for auto. */
    public String djlName() {
        return djlName;
    }
}
