package io.jfmi.worker.inference;

import io.jfmi.worker.model.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The small ViT_Astro trained on synthetic galaxies that ships inside worker.jar (see README, "The shipped model",
 * for the commands that produced it), as a DJL Block-API model and as ONNX with the same weights. Used when no
 * {@code --model} is given.
 */
public final class ShippedModel {
    static final String RESOURCE_DIR = "/io/jfmi/worker/model/vit-astro-small/";
    static final String[] FILES = {ModelFiles.DESCRIPTION, ModelFiles.PARAMS};
    /** The same weights as ONNX (made by scripts/export_jfmi_model.py, checked equal): for ONNX Runtime. */
    static final String ONNX = "vit_astro.onnx";

    private ShippedModel() {
    }

    /** Copies the model (DJL Block API, PyTorch engine) into {@code dir} (created if needed) and returns it. */
    public static Path extractTo(Path dir) throws IOException {
        for (String f : FILES) {
            copy(f, dir);
        }
        return dir;
    }

    /** Copies the ONNX form of the model into {@code dir} and returns the file. */
    public static Path extractOnnxTo(Path dir) throws IOException {
        return copy(ONNX, dir);
    }

    /** The form that runs on {@code engine}: ONNX for ONNX Runtime and auto (faster here), else the Block model. */
    public static Path extractFor(EngineChoice engine, Path dir) throws IOException {
        return engine == EngineChoice.pytorch ? extractTo(dir) : extractOnnxTo(dir);
    }

    private static Path copy(String file, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (InputStream in = ShippedModel.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IOException("worker.jar lacks the shipped model file " + RESOURCE_DIR + file
                        + " (rebuild, or pass --model)");
            }
            Path tmp = Files.createTempFile(dir, "." + file, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Path target = dir.resolve(file);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }
}
