package io.jfmi.benchmarks.sweep;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jfmi.benchmarks.Exec;
import io.jfmi.worker.WorkerMain;
import io.jfmi.worker.cli.PartitionCommand;
import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.data.Manifest;
import io.jfmi.worker.data.Partitioner;
import io.jfmi.worker.job.AtomicFiles;
import io.jfmi.worker.orchestrate.FunctionInvoker;
import io.jfmi.worker.orchestrate.StateMachineDefinition;
import io.jfmi.worker.orchestrate.StateMachineRunner;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The study's partition-size sweep, priced: a dataset cut into partitions of each size, each partition one request
 * of the Lambda handler (a cold JVM, as a new function), and the cost of the whole run per partition size.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Partition-size sweep with Lambda cost: generate a dataset, cut it into partitions of each "
                + "size, run every partition (or --sample of them) through the Step Functions definition of a "
                + "one-rank job and the local runner (as `orchestrate`), the invocation in a fresh JVM, one at a "
                + "time on --cpus cores, and report per size: requests, mean and p95 duration, billed duration, max "
                + "memory, init, and cost (Lambda compute + requests + Step Functions transitions), per GB, beside "
                + "the study's figures; and the memory setting that minimises cost.",
            "Pricing assumptions are printed with the table: Init is billed (as Lambda bills it for managed runtimes "
                + "since August 2025), and duration scales with vCPUs below the cores measured on, not above."})
public final class SweepCommand implements Callable<Integer> {
    /** The study's measurements: partition size, requests, mean seconds, max memory GB, USD per GB (10,240 MB). */
    static final Object[][] STUDY = {{"25MB", 517, 6.55, 2.8, 0.16}, {"50MB", 259, 11.8, 4.0, 0.20},
        {"75MB", 173, 17.6, 5.9, 0.30}, {"100MB", 130, 25.0, 7.0, 0.38}};
    private static final Pattern MAX_MEMORY = Pattern.compile("Max Memory Used: (\\d+) MB");
    private static final String FUNCTION = "arn:aws:lambda:local:000000000000:function:jfmi-sweep";

    @Option(names = "--dataset-size", description = "Dataset size, e.g. 1GB (default: ${DEFAULT-VALUE}).")
    String datasetSize = "200MB";

    @Option(names = "--partition-sizes", split = ",", description = "Partition sizes (default: 25MB,50MB,75MB,100MB).")
    List<String> partitionSizes = List.of("25MB", "50MB", "75MB", "100MB");

    @Option(names = "--memory-mb", description = "Function memory the main cost column is priced at, as the study's "
            + "functions (default: ${DEFAULT-VALUE}).")
    int memoryMb = 10_240;

    @Option(names = "--ranks-at-once", description = "Partitions run at the same time (default: ${DEFAULT-VALUE}: "
            + "each has all --cpus cores, as a function has its own vCPUs).")
    int atOnce = 1;

    @Option(names = "--cpus", description = "Cores each invocation may use (default: ${DEFAULT-VALUE}).")
    int cpus = 2;

    @Option(names = "--sample", description = "Partitions measured per size, evenly spaced; 0 = all (default: "
            + "${DEFAULT-VALUE}). Costs scale the measured mean to all partitions.")
    int sample = 0;

    @Option(names = "--model", paramLabel = "PATH", description = "Model (default: the shipped small ViT_Astro, "
            + "ONNX form).")
    String model = "shipped";

    @Option(names = "--batch-size", description = "Samples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 256;

    @Option(names = "--price-gb-second", description = "USD per GB-second (default: ${DEFAULT-VALUE}).")
    double gbSecond = LambdaPrices.DEFAULTS.gbSecond();

    @Option(names = "--price-requests", description = "USD per million requests (default: ${DEFAULT-VALUE}).")
    double perMillion = LambdaPrices.DEFAULTS.perMillionRequests();

    @Option(names = "--price-transitions", description = "USD per 1,000 state transitions (default: "
            + "${DEFAULT-VALUE}).")
    double perThousandTransitions = LambdaPrices.DEFAULTS.perThousandTransitions();

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results", "sweep");

    @Override
    public Integer call() throws Exception {
        long datasetBytes = PartitionCommand.parseBytes(datasetSize);
        if (datasetBytes < GalaxyDataset.BYTES_PER_SAMPLE || memoryMb < LambdaPrices.MIN_MEMORY_MB
                || memoryMb > LambdaPrices.MAX_MEMORY_MB || atOnce < 1 || cpus < 1 || sample < 0) {
            throw new IllegalArgumentException("--dataset-size must hold a sample, --memory-mb be 128..10240, "
                    + "--ranks-at-once and --cpus >= 1, --sample >= 0");
        }
        LambdaPrices prices = new LambdaPrices(gbSecond, perMillion, perThousandTransitions);
        out = out.toAbsolutePath();
        Path bucket = out.resolve("bucket");
        int samples = (int) (datasetBytes / GalaxyDataset.BYTES_PER_SAMPLE);
        System.out.printf("generating %d galaxies (%s)%n", samples, datasetSize);
        GalaxyDataset data = GalaxyGenerator.generate(samples, 11);
        long bytes = (long) samples * GalaxyDataset.BYTES_PER_SAMPLE;
        List<SweepRow> rows = new ArrayList<>();
        for (String size : partitionSizes) {
            Path dir = bucket.resolve(size);
            Manifest m = Partitioner.bySize(data, PartitionCommand.parseBytes(size), dir);
            List<String> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npz")).sorted().toList();
            }
            List<String> measured = pick(files);
            System.out.printf("%s: %d partitions, measuring %d%n", size, files.size(), measured.size());
            List<PartitionRun> runs = runAll(bucket, size, measured);
            rows.add(new SweepRow(size, files.size(), runs, bytes));
            System.out.printf(Locale.ROOT, "%s: mean %.0f ms, max memory %d MB (manifest: %d samples)%n", size,
                    rows.get(rows.size() - 1).meanMillis(), rows.get(rows.size() - 1).maxMemoryMb(),
                    m.totalSamples());
        }
        String table = SweepTable.markdown(rows, prices, cpus, memoryMb, bytes, model, sample);
        System.out.println();
        System.out.print(table);
        AtomicFiles.writeString(out.resolve("sweep.md"), table);
        AtomicFiles.writeString(out.resolve("sweep.csv"), SweepTable.csv(rows, prices, cpus, memoryMb));
        chart(rows, prices);
        System.out.println("wrote " + out.resolve("sweep.md") + ", sweep.csv, sweep.png and sweep-duration.png");
        return 0;
    }

    private List<String> pick(List<String> files) {
        if (sample == 0 || sample >= files.size()) {
            return files;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sample; i++) {
            out.add(files.get((int) ((long) i * files.size() / sample)));
        }
        return out;
    }

    private List<PartitionRun> runAll(Path bucket, String size, List<String> files) throws Exception {
        List<PartitionRun> runs = new ArrayList<>();
        for (int i = 0; i < files.size(); i += atOnce) {
            List<String> batch = files.subList(i, Math.min(files.size(), i + atOnce));
            List<java.util.concurrent.Future<PartitionRun>> pending = new ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(batch.size());
            try {
                for (String f : batch) {
                    pending.add(pool.submit(() -> runOne(bucket, size, f)));
                }
                for (var p : pending) {
                    runs.add(p.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return runs;
    }

    /**
     * One partition as the study ran it (the partition payload, one function, one file), through the Step Functions
     * definition `stepfunction` writes for a one-rank job and the runner `orchestrate` uses; the invocation is a
     * cold JVM pinned to --cpus cores.
     */
    private PartitionRun runOne(Path bucket, String size, String file) throws Exception {
        String name = size + "-" + file.replace(".npz", "");
        JsonObject payload = new JsonObject();
        payload.addProperty("bucket", bucket.toString());
        payload.addProperty("data_bucket", bucket.toString());
        payload.addProperty("data_prefix", size + "/" + file);
        payload.addProperty("file_limit", 1);
        payload.addProperty("batch_size", batchSize);
        payload.addProperty("result_path", "results/" + name);
        JsonObject definition = StateMachineDefinition.build(new StateMachineDefinition.Settings(1, FUNCTION,
                List.copyOf(payload.keySet()), "127.0.0.1:1", null, null, StateMachineDefinition.MapMode.auto));
        PartitionRun[] measured = new PartitionRun[1];
        FunctionInvoker invoker = (function, event, label) -> {
            measured[0] = invoke(name, event);
            return JsonParser.parseString(Files.readString(out.resolve("responses").resolve(name + ".json")));
        };
        new StateMachineRunner(invoker, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                .run(definition, payload, "sweep-" + name);
        return measured[0];
    }

    /** The handler in a cold JVM with {@code event}: its duration, Init (wall less duration) and peak memory. */
    private PartitionRun invoke(String name, JsonElement event) throws Exception {
        Path eventFile = out.resolve("events").resolve(name + ".json");
        Path response = out.resolve("responses").resolve(name + ".json");
        Files.createDirectories(eventFile.getParent());
        Files.createDirectories(response.getParent());
        Files.writeString(eventFile, event.toString());
        List<String> cmd = new ArrayList<>();
        cmd.addAll(Exec.pinnedToCores(cpus));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=" + cpus, "-XX:TieredStopAtLevel=1", "-Xmx2g", "-cp",
                Exec.absoluteClassPath(), WorkerMain.class.getName(), "invoke", "--event", eventFile.toString(),
                "--timeout", "900", "--memory-size", Integer.toString(memoryMb), "--response", response.toString()));
        Map<String, String> env = Map.of("JFMI_WORK_DIR", out.resolve("containers").resolve(name).toString(),
                "JFMI_MODEL", model, "JFMI_THREADS", Integer.toString(cpus), "JFMI_DEADLINE_MARGIN_SECONDS", "5");
        long t0 = System.nanoTime();
        List<String> lines = Exec.runAll(List.of(cmd), List.of(env), out, Duration.ofMinutes(15));
        double wallMillis = (System.nanoTime() - t0) / 1e6;
        JsonObject r = JsonParser.parseString(Files.readString(response)).getAsJsonObject();
        double duration = r.getAsJsonObject("durations").get("total_seconds").getAsDouble() * 1000;
        long memory = 0;
        for (String line : lines) {
            Matcher m = MAX_MEMORY.matcher(line);
            if (m.find()) {
                memory = Long.parseLong(m.group(1));
            }
        }
        return new PartitionRun(duration, wallMillis - duration, memory, r.get("samples").getAsInt());
    }

    private static double studySeconds(String label) {
        for (Object[] row : STUDY) {
            if (row[0].equals(label)) {
                return (double) row[2];
            }
        }
        return 0;
    }

    private void chart(List<SweepRow> rows, LambdaPrices prices) throws java.io.IOException {
        List<String> labels = new ArrayList<>();
        List<Double> jfmi = new ArrayList<>();
        List<Double> jfmiCheapest = new ArrayList<>();
        List<Double> study = new ArrayList<>();
        for (SweepRow r : rows) {
            labels.add(r.label());
            jfmi.add(r.perGb(r.cost(prices, cpus, memoryMb)[3]));
            int cheapest = LambdaPrices.cheapestMemoryMb(r.maxMemoryMb(), cpus);
            jfmiCheapest.add(r.perGb(r.cost(prices, cpus, cheapest)[3]));
            study.add(SweepTable.studyPerGb(r.label()));
        }
        CategoryChart c = new CategoryChartBuilder().width(800).height(480).title("Cost per GB of data by partition "
                + "size").xAxisTitle("partition size").yAxisTitle("USD per GB").build();
        c.addSeries("study, as reported", labels, study.stream().map(d -> d.isNaN() ? 0.0 : d).toList());
        c.addSeries("study's durations priced here", labels, rows.stream().map(r -> SweepTable.studyDurationsPerGb(
                r.label(), prices)).map(d -> d.isNaN() ? 0.0 : d).toList());
        c.addSeries("jfmi at " + memoryMb + " MB", labels, jfmi);
        c.addSeries("jfmi at the cheapest memory", labels, jfmiCheapest);
        BitmapEncoder.saveBitmap(c, out.resolve("sweep").toString(), BitmapEncoder.BitmapFormat.PNG);
        CategoryChart d = new CategoryChartBuilder().width(800).height(480).title("Mean duration per request by "
                + "partition size").xAxisTitle("partition size").yAxisTitle("seconds").build();
        d.addSeries("study (10,240 MB)", labels, rows.stream().map(r -> studySeconds(r.label())).toList());
        d.addSeries("jfmi (" + cpus + " cores)", labels, rows.stream().map(r -> r.meanMillis() / 1000).toList());
        BitmapEncoder.saveBitmap(d, out.resolve("sweep-duration").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
