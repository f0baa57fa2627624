package io.jfmi.worker.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A ViT_Astro model on disk: a folder with {@code model.json} (the {@link VitAstroConfig}) and DJL's
 * {@code vit_astro-0000.params}. Loading rebuilds the block from the description, then reads the parameters.
 */
public final class ModelFiles {
    public static final String DESCRIPTION = "model.json";
    public static final String NAME = "vit_astro";
    public static final String PARAMS = NAME + "-0000.params";

    private ModelFiles() {
    }

    /** True when {@code dir} holds a model this class wrote. */
    public static boolean isModelFolder(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(DESCRIPTION));
    }

    /** A new model with seeded Xavier weights, initialised for [B,5,32,32] + [B,5] inputs. */
    public static Model create(VitAstroConfig config, long seed, String engine) {
        Engine.getEngine(engine).setRandomSeed((int) seed);
        Model model = Model.newInstance(NAME, engine);
        Block block = VitAstro.build(config);
        block.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShapes(1));
        model.setBlock(block);
        model.setProperty("config", config.toJson());
        return model;
    }

    public static Shape[] inputShapes(long batch) {
        return new Shape[] {new Shape(batch, 5, 32, 32), new Shape(batch, 5)};
    }

    /**
     * Writes the description and parameters into {@code dir} as {@code vit_astro-0000.params}, replacing an older
     * model there; each file is written beside its place and renamed, so readers never see half a file.
     */
    public static void save(Model model, VitAstroConfig config, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path staging = Files.createTempDirectory(dir, ".saving");
        try {
            model.setProperty("Epoch", "0"); // else DJL numbers each save anew (vit_astro-0001.params, ...)
            model.save(staging, NAME);
            Files.move(staging.resolve(PARAMS), dir.resolve(PARAMS), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            io.jfmi.worker.job.AtomicFiles.writeString(dir.resolve(DESCRIPTION), config.toJson());
        } finally {
            try (var left = Files.list(staging)) {
                for (Path f : left.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(staging);
        }
    }

    /** The description in {@code dir}; errors name the file. */
    public static VitAstroConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(DESCRIPTION);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": not a jfmi model folder (no " + DESCRIPTION + ")");
        }
        return VitAstroConfig.fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Loads a model folder written by {@link #save}. */
    public static Model load(Path dir, String engine) throws IOException {
        VitAstroConfig config = readConfig(dir);
        Model model = Model.newInstance(NAME, engine);
        Block block = VitAstro.build(config);
        model.setBlock(block);
        try {
            model.load(dir, NAME);
            if (!block.isInitialized()) {
                // DJL returns without an error for some unreadable parameter files (e.g. all zeros)
                throw new MalformedModelException("no parameters could be read from " + NAME + "-NNNN.params");
            }
        } catch (MalformedModelException | IllegalArgumentException e) {
            model.close();
            throw new IOException(dir + ": parameters do not match " + DESCRIPTION + " (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            model.close();
            throw new IOException(dir + ": cannot read the model parameters (" + e.getMessage() + ")", e);
        }
        return model;
    }

    /** Total number of parameters of an initialised block. */
    public static long parameterCount(Block block) {
        return block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
