package io.jfmi.worker.inference;

import io.jfmi.worker.model.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The small ViT_Astro trained on synthetic galaxies that ships inside worker.jar (see README, "The shipped model",
 * for the command that produced it). Used when no {@code --model} is given.
 */
public final class ShippedModel {
    static final String RESOURCE_DIR = "/io/jfmi/worker/model/vit-astro-small/";
    static final String[] FILES = {ModelFiles.DESCRIPTION, ModelFiles.PARAMS};

    private ShippedModel() {
    }

    /** Copies the model into {@code dir} (created if needed) and returns it. */
    public static Path extractTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : FILES) {
            try (InputStream in = ShippedModel.class.getResourceAsStream(RESOURCE_DIR + f)) {
                if (in == null) {
                    throw new IOException("worker.jar lacks the shipped model file " + RESOURCE_DIR + f
                            + " (rebuild, or pass --model)");
                }
                Path tmp = Files.createTempFile(dir, "." + f, ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dir.resolve(f), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }
}
