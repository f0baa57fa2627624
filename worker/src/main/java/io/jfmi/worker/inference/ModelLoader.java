package io.jfmi.worker.inference;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.jfmi.worker.data.TorchSave;
import io.jfmi.worker.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens what {@code --model} names: a jfmi model folder (Block-API ViT_Astro, PyTorch engine), a TorchScript file
 * ({@code .pt}, PyTorch engine), an ONNX file ({@code .onnx}, OnnxRuntime engine), or a folder holding exactly one
 * of those files. On auto, a {@code .pt} with an {@code .onnx} of the same name beside it runs on ONNX Runtime,
 * which measured faster here on the ViT_Astro shape (benchmarks/RESULTS.md).
 */
public final class ModelLoader {
    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    private ModelLoader() {
    }

    public static RedshiftModel open(Path path, EngineChoice choice, int threads) throws IOException {
        DjlSetup.offline();
        if (!Files.exists(path)) {
            throw new IOException(path + ": no such model file or folder");
        }
        if (ModelFiles.isModelFolder(path)) {
            if (choice == EngineChoice.onnxruntime) {
                throw new IOException(path + ": a jfmi (Block API) model runs on the PyTorch engine only; export it "
                        + "to ONNX to use --engine onnxruntime");
            }
            DjlSetup.pytorchThreads(threads);
            Model m = ModelFiles.load(path, "PyTorch");
            return new DjlRedshiftModel(m, "ViT_Astro " + ModelFiles.readConfig(path).embedding() + "-wide (Block API) "
                    + path);
        }
        Path file = Files.isDirectory(path) ? singleModelFile(path) : path;
        String name = file.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        boolean onnx = name.endsWith(".onnx");
        if (!onnx && !name.endsWith(".pt")) {
            throw new IOException(file + ": unknown model type (expected a jfmi model folder, a TorchScript .pt or "
                    + "an .onnx file)");
        }
        Path sibling = file.resolveSibling(stem + ".onnx");
        if (!onnx && choice == EngineChoice.auto && Files.isRegularFile(sibling)) {
            log.info("{} has an ONNX twin {}: using OnnxRuntime (faster on this model shape; --engine pytorch to "
                    + "override)", file, sibling.getFileName());
            file = sibling;
            onnx = true;
        }
        if (onnx && choice == EngineChoice.pytorch) {
            throw new IOException(file + ": an ONNX model needs --engine onnxruntime (or auto)");
        }
        if (!onnx && choice == EngineChoice.onnxruntime) {
            throw new IOException(file + ": a TorchScript model needs --engine pytorch (or auto); export it to ONNX "
                    + "for OnnxRuntime");
        }
        return onnx ? openOnnx(file, threads) : openTorchScript(file, threads);
    }

    private static RedshiftModel openTorchScript(Path file, int threads) throws IOException {
        if (TorchSave.kind(file) == TorchSave.Kind.PICKLE) {
            throw new IOException(file + ": a pickled Python object (what torch.save(model) writes), not TorchScript; "
                    + "it cannot load without its Python classes. Export it once with /usr/bin/python3 "
                    + "scripts/export_model.py --model " + file + " --module-file <the .py defining its class> --out "
                    + "<dir> (writes TorchScript and ONNX)");
        }
        DjlSetup.pytorchThreads(threads);
        String stem = stem(file);
        Model m = Model.newInstance(stem, "PyTorch");
        try {
            m.load(file.toAbsolutePath().getParent(), stem);
        } catch (MalformedModelException | RuntimeException e) {
            m.close();
            throw new IOException(file + ": not a loadable TorchScript model (" + e.getMessage() + ")", e);
        }
        return new DjlRedshiftModel(m, "TorchScript " + file);
    }

    private static RedshiftModel openOnnx(Path file, int threads) throws IOException {
        String stem = stem(file);
        Model m = Model.newInstance(stem, "OnnxRuntime");
        Map<String, String> options = threads > 0
                ? Map.of("intraOpNumThreads", Integer.toString(threads), "interOpNumThreads", "1")
                : Map.of();
        try {
            m.load(file.toAbsolutePath().getParent(), stem, options);
        } catch (MalformedModelException | RuntimeException e) {
            m.close();
            throw new IOException(file + ": not a loadable ONNX model (" + e.getMessage() + ")", e);
        }
        return new DjlRedshiftModel(m, "ONNX " + file);
    }

    private static Path singleModelFile(Path dir) throws IOException {
        List<Path> candidates;
        try (Stream<Path> s = Files.list(dir)) {
            candidates = s.filter(p -> p.toString().endsWith(".pt") || p.toString().endsWith(".onnx")).sorted()
                    .toList();
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        List<Path> pt = candidates.stream().filter(p -> p.toString().endsWith(".pt")).toList();
        if (pt.size() == 1) {
            return pt.get(0);
        }
        throw new IOException(dir + ": expected a jfmi model folder (" + ModelFiles.DESCRIPTION + ") or one .pt/.onnx "
                + "file, found " + candidates.stream().map(p -> p.getFileName().toString()).toList());
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
