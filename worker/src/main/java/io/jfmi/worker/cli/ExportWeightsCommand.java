package io.jfmi.worker.cli;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.inference.DjlSetup;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.inference.ModelLoader;
import io.jfmi.worker.inference.RedshiftModel;
import io.jfmi.worker.inference.ShippedModel;
import io.jfmi.worker.inference.StageTimes;
import io.jfmi.worker.job.AtomicFiles;
import io.jfmi.worker.model.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a jfmi (Block API) model's parameters, by DJL name, to an .npz, with reference inputs and the model's own
 * predictions on them, so scripts/export_jfmi_model.py can rebuild it in PyTorch, check it gives the same answers,
 * and export ONNX (the form the Lambda zip's engine runs).
 */
@Command(name = "export-weights", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a jfmi model's parameters (by DJL name) and reference predictions to an .npz for "
                + "scripts/export_jfmi_model.py, which exports the same model as ONNX.",
            "Exit codes: 0 written, 1 the model or output could not be used, 64 bad arguments."})
public final class ExportWeightsCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "A jfmi model folder (default: the shipped "
            + "small ViT_Astro).")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .npz to write.")
    Path out;

    @Option(names = "--reference-samples", description = "Generated galaxies to record predictions for "
            + "(default: ${DEFAULT-VALUE}).")
    int referenceSamples = 64;

    @Override
    public Integer call() throws Exception {
        if (referenceSamples < 1) {
            throw new IllegalArgumentException("--reference-samples must be >= 1, got " + referenceSamples);
        }
        DjlSetup.offline();
        Path dir = model != null ? model : ShippedModel.extractTo(Files.createTempDirectory("jfmi-model-"));
        try {
            return export(dir);
        } finally {
            if (model == null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }
    }

    private int export(Path dir) throws Exception {
        if (!ModelFiles.isModelFolder(dir)) {
            throw new IllegalArgumentException("--model " + dir + ": not a jfmi model folder (" + ModelFiles.DESCRIPTION
                    + ")");
        }
        GalaxyDataset ref = GalaxyGenerator.generate(referenceSamples, 2024);
        float[] mags = new float[ref.magnitudes().length];
        for (int i = 0; i < mags.length; i++) {
            mags[i] = (float) ref.magnitudes()[i];
        }
        float[] z;
        try (RedshiftModel m = ModelLoader.open(dir, EngineChoice.pytorch, 1)) {
            z = m.predict(ref.images(), mags, referenceSamples, new StageTimes());
        }
        int count = 0;
        try (Model m = ModelFiles.load(dir, "PyTorch"); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDList arrays = new NDList();
            for (Pair<String, Parameter> p : m.getBlock().getParameters()) {
                NDArray a = p.getValue().getArray().duplicate();
                a.setName(p.getKey());
                arrays.add(a);
                count++;
            }
            arrays.add(named(manager.create(ref.images(), new Shape(referenceSamples, GalaxyDataset.BANDS,
                    GalaxyDataset.SIDE, GalaxyDataset.SIDE)), "ref_images"));
            arrays.add(named(manager.create(mags, new Shape(referenceSamples, GalaxyDataset.BANDS)),
                    "ref_magnitudes"));
            arrays.add(named(manager.create(z), "ref_z"));
            AtomicFiles.write(out, o -> arrays.encode(o, NDList.Encoding.NPZ));
        }
        System.out.printf("wrote %d parameters of %s and %d reference predictions to %s%n", count, dir,
                referenceSamples, out);
        return 0;
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }
}
