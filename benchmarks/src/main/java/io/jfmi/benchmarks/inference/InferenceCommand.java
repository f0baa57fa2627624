package io.jfmi.benchmarks.inference;

import com.google.gson.JsonObject;
import io.jfmi.benchmarks.Exec;
import io.jfmi.worker.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Inference throughput of jfmi's worker path on each engine against the peers a user would pick instead (ONNX
 * Runtime's Java API, Python PyTorch) on the same ViT_Astro weights, each point in its own process.
 */
@Command(name = "inference", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Samples/s, batch latency p50/p99 and peak RSS of ViT_Astro inference: jfmi's worker path on "
                + "DJL PyTorch (TorchScript) and DJL OnnxRuntime (ONNX), the Block-API ViT_Astro, ONNX Runtime Java "
                + "used directly and Python PyTorch on the same TorchScript; plus achieved GFLOP/s against a "
                + "matmul peak measured in the same run.",
            "Every point runs in a fresh process. Without --model the full ViT_Astro is exported with "
                + "scripts/vit_astro.py (Debian python3-torch)."})
public final class InferenceCommand implements Callable<Integer> {
    static final String PYTHON = "/usr/bin/python3";
    static final List<String> ALL = List.of("jfmi-pytorch", "jfmi-onnxruntime", "jfmi-block", "ort-java",
            "python-pytorch");

    @Option(names = "--model", paramLabel = "DIR", description = "Folder with vit_astro.pt, vit_astro.onnx and "
            + "model_info.json (as scripts/vit_astro.py writes); default: export the full model into OUT/model.")
    Path model;

    @Option(names = "--batch-sizes", split = ",", description = "Default: ${DEFAULT-VALUE}.")
    List<Integer> batchSizes = List.of(64, 256, 1024);

    @Option(names = "--threads", split = ",", description = "Intra-op threads per system (default: ${DEFAULT-VALUE}).")
    List<Integer> threads = List.of(1, 2);

    @Option(names = "--systems", split = ",", description = "Subset of jfmi-pytorch, jfmi-onnxruntime, "
            + "jfmi-block, ort-java, python-pytorch (default: all).")
    List<String> systems = ALL;

    @Option(names = "--samples", description = "Samples measured per point, after warm-up (default: ${DEFAULT-VALUE}).")
    long samples = 2048;

    @Option(names = "--max-seconds", description = "Stop a point after this long (at least 3 batches; default: "
            + "${DEFAULT-VALUE}).")
    double maxSeconds = 30;

    // DJL PyTorch's TorchScript executor profiles the first calls of each input shape before it optimises:
    // with 1 warm-up batch it measured 143 samples/s, with 5 356 (batch 256, 2 threads).
    @Option(names = "--warmup", description = "Unmeasured batches first, per point (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--script", description = "Exporter (default: ${DEFAULT-VALUE}).")
    Path script = Path.of("scripts", "vit_astro.py");

    @Option(names = "--out", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results", "inference");

    @Override
    public Integer call() throws Exception {
        for (String s : systems) {
            if (!ALL.contains(s)) {
                throw new IllegalArgumentException("--systems: unknown system '" + s + "' (" + ALL + ")");
            }
        }
        out = out.toAbsolutePath(); // every child process runs inside it
        Files.createDirectories(out);
        Path modelDir = (model != null ? model : export()).toAbsolutePath(); // probes run in the results folder
        for (String f : List.of("vit_astro.pt", "vit_astro.onnx")) {
            if (!Files.isRegularFile(modelDir.resolve(f))) {
                throw new IllegalArgumentException(modelDir + " lacks " + f + " (write it with " + script + ")");
            }
        }
        double flops = flopsPerSample(modelDir);
        boolean python = Exec.works(List.of(PYTHON, "-c", "import torch"));
        Path pyScript = extract("/peers/torch_infer.py");
        List<InferenceRow> rows = new ArrayList<>();
        Map<Integer, Double> peak = new LinkedHashMap<>();
        Map<Integer, Double> matmul = new LinkedHashMap<>();
        Fp32Peak fma = new Fp32Peak(out);
        for (int t : threads) {
            String line = result(probe("matmul", modelDir, 1, t));
            matmul.put(t, Double.parseDouble(line.replaceAll(".*gflops=([0-9.]+).*", "$1")));
            peak.put(t, fma.gflops(t).orElse(Double.NaN));
            System.out.printf(Locale.ROOT, "%d thread(s): FP32 FMA peak %.1f GFLOP/s; libtorch matmul 1024^3 %.1f "
                    + "GFLOP/s%n", t, peak.get(t), matmul.get(t));
            for (int b : batchSizes) {
                for (String s : systems) {
                    if (s.equals("python-pytorch") && !python) {
                        System.out.println("python-pytorch skipped: " + PYTHON + " cannot import torch "
                                + "(benchmarks/setup-peers.sh installs it)");
                        continue;
                    }
                    List<String> cmd = s.equals("python-pytorch")
                            ? List.of(PYTHON, pyScript.toString(), modelDir.resolve("vit_astro.pt").toString(),
                                    Integer.toString(b), Integer.toString(t), Long.toString(samples),
                                    Double.toString(maxSeconds), Integer.toString(warmup))
                            : probe(s, modelDir, b, t);
                    InferenceRow row = InferenceRow.parse(s, b, t, result(cmd));
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "%-17s batch %4d threads %d: %8.1f samples/s  p50 %8.1f ms  p99 "
                            + "%8.1f ms  peak RSS %5d MB%n", s, b, t, row.samplesPerSecond(), row.p50Ms(),
                            row.p99Ms(), row.peakRssMb());
                }
            }
        }
        String table = table(rows, flops, peak, matmul);
        System.out.println();
        System.out.print(table);
        write(rows, table);
        return 0;
    }

    private List<String> probe(String system, Path modelDir, int batch, int t) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Dai.djl.offline=true", "-cp", Exec.absoluteClassPath(),
                InferenceProbe.class.getName(), system, modelDir.toString(), Integer.toString(batch),
                Integer.toString(t), Long.toString(samples), Double.toString(maxSeconds), Integer.toString(warmup));
    }

    private String result(List<String> cmd) throws IOException, InterruptedException {
        List<String> lines = Exec.run(cmd, Map.of(), out, Duration.ofSeconds((long) maxSeconds * 4 + 300));
        return lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(() -> new IOException(
                String.join(" ", cmd) + " printed no RESULT line: " + lines));
    }

    private Path export() throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("no --model given and exporter " + script + " not found (run from the "
                    + "repository root, or pass --script)");
        }
        Path dir = out.resolve("model").toAbsolutePath();
        System.out.println("exporting the full ViT_Astro (TorchScript + ONNX) with " + script + " ...");
        Exec.run(List.of(PYTHON, script.toAbsolutePath().toString(), "--variant", "full", "--out",
                dir.toAbsolutePath().toString()), Map.of(), out, Duration.ofMinutes(10));
        return dir;
    }

    private static double flopsPerSample(Path dir) throws IOException {
        Path info = dir.resolve("model_info.json");
        if (!Files.isRegularFile(info)) {
            return Double.NaN;
        }
        JsonObject json = JsonCodec.readObject(info);
        return json.has("flops_per_sample") ? json.get("flops_per_sample").getAsDouble() : Double.NaN;
    }

    private Path extract(String resource) throws IOException {
        Path target = out.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = InferenceCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("benchmarks.jar lacks " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /**
     * Markdown table: each row with its ratio to the fastest peer at the same batch and threads, and its achieved
     * GFLOP/s as a share of the machine's FP32 peak (an FMA loop) at the same thread count.
     */
    static String table(List<InferenceRow> rows, double flops, Map<Integer, Double> peak,
            Map<Integer, Double> matmul) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "ViT_Astro, %.3f GFLOP per sample; "
                + "ratio = samples/s / fastest peer (ort-java, python-pytorch) at the same batch and threads%n",
                flops / 1e9));
        peak.forEach((t, g) -> sb.append(String.format(Locale.ROOT, "%d thread(s): FP32 peak (FMA loop) %.1f "
                + "GFLOP/s, libtorch 1024^3 matmul %.1f GFLOP/s%n", t, g, matmul.getOrDefault(t, Double.NaN))));
        sb.append(String.format("%n"));
        sb.append("| system | batch | threads | samples/s | vs best peer | p50 ms | p99 ms | peak RSS MB | GFLOP/s "
                + "| % of FP32 peak |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (InferenceRow r : rows) {
            double gflops = r.samplesPerSecond() * flops / 1e9;
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.2fx | %.1f | %.1f | %d | %.1f | %.0f%% |%n",
                    r.system(), r.batch(), r.threads(), r.samplesPerSecond(), r.vsBestPeer(rows), r.p50Ms(),
                    r.p99Ms(), r.peakRssMb(), gflops, 100 * gflops / peak.getOrDefault(r.threads(), Double.NaN)));
        }
        return sb.toString();
    }

    private void write(List<InferenceRow> rows, String table) throws IOException {
        StringBuilder csv = new StringBuilder(InferenceRow.csvHeader()).append('\n');
        rows.forEach(r -> csv.append(r.csv()).append('\n'));
        Files.writeString(out.resolve("inference.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("inference.md"), table, StandardCharsets.UTF_8);
        for (int t : threads) {
            CategoryChart c = new CategoryChartBuilder().width(900).height(500).title("ViT_Astro inference, " + t
                    + " thread(s)").xAxisTitle("batch size").yAxisTitle("samples/s").build();
            for (String s : systems) {
                List<InferenceRow> mine = rows.stream().filter(r -> r.system().equals(s) && r.threads() == t).toList();
                if (!mine.isEmpty()) {
                    c.addSeries(s, mine.stream().map(r -> Integer.toString(r.batch())).toList(),
                            mine.stream().map(InferenceRow::samplesPerSecond).toList());
                }
            }
            if (!c.getSeriesMap().isEmpty()) {
                BitmapEncoder.saveBitmap(c, out.resolve("inference-" + t + "-threads").toString(),
                        BitmapEncoder.BitmapFormat.PNG);
            }
        }
        System.out.println("wrote " + out.resolve("inference.csv") + ", inference.md and charts");
    }
}
