package io.jfmi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.json.JsonCodec;
import io.jfmi.worker.job.Metrics;
import io.jfmi.worker.job.ResultFiles;
import io.jfmi.worker.launch.RankProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inference job end to end: real launcher, rendezvous, worker JVMs, DJL PyTorch engine, shipped model. */
class InferenceJobIT {
    static final String[] STUDY_KEYS = {"total_cpu_time (seconds)", "total_cpu_memory (MB)",
        "execution_time (seconds/batch)", "num_batches", "batch_size", "device", "throughput_bps", "sample_persec",
        "cpu_info", "ram_info (GB)", "avg_profile", "self_cpu_memory (MB)"};

    @TempDir
    Path dir;

    /** Runs `worker launch` in a child JVM, as a user would; returns exit code and output. */
    private DebianPython.Result launch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), "launch"));
        cmd.addAll(Arrays.asList(args));
        return DebianPython.run(cmd, 300);
    }

    @Test
    void combinedMetricsEqualThoseComputedFromPredictionsCsvForAnyWorldSize() throws Exception {
        Path data = dir.resolve("galaxies.npz");
        GalaxyGenerator.generate(701, 11).save(data);
        float[][] single = null;
        for (int n : new int[] {3, 1}) {
            Path out = dir.resolve("out-" + n);
            DebianPython.Result r = launch("--world-size", Integer.toString(n), "--data", data.toString(),
                    "--batch-size", "64", "--out", out.toString());
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("combined metrics: MAE"), r.output());
            assertEquals(n, Pattern.compile("REPORT RequestId: \\S+ Duration: [0-9.]+ ms Billed Duration: \\d+ ms "
                    + "Memory Size: \\d+ MB Max Memory Used: \\d+ MB Init Duration: [0-9.]+ ms").matcher(r.output())
                    .results().count(), "one Lambda-style REPORT line per rank:\n" + r.output());
            float[][] csv = readPredictions(out.resolve(ResultFiles.PREDICTIONS), 701, n);
            Metrics fromCsv = Metrics.of(csv[0], csv[1]);
            JsonObject json = JsonCodec.readObject(out.resolve(ResultFiles.METRICS));
            assertClose(fromCsv.mae(), number(json, "MAE"), "MAE");
            assertClose(fromCsv.mse(), number(json, "MSE"), "MSE");
            assertClose(fromCsv.rmse(), number(json, "RMSE"), "RMSE");
            assertClose(fromCsv.bias(), number(json, "bias"), "bias");
            assertClose(fromCsv.nmad(), number(json, "NMAD"), "NMAD");
            assertClose(fromCsv.r2(), number(json, "R2"), "R2");
            assertClose(fromCsv.outlierFraction(), number(json, "outlier_fraction"), "outlier fraction");
            assertTrue(fromCsv.r2() > 0.5, "the shipped model has learned z: R^2 " + fromCsv.r2());
            assertEquals(701, json.get("samples").getAsLong());
            checkExecutionInfo(JsonCodec.readObject(out.resolve(ResultFiles.EXECUTION_INFO)), n, 701, 64,
                    samplesPerRank(out.resolve(ResultFiles.PREDICTIONS), n));
            assertTrue(Files.size(out.resolve("redshift.png")) > 1000 && Files.size(out.resolve("throughput.png"))
                    > 1000, "plots written");
            try (var leftovers = Files.list(out)) {
                assertEquals(List.of(), leftovers.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                        "no half-written files");
            }
            if (single == null) {
                single = csv;
            } else {
                for (int i = 0; i < 701; i++) {
                    assertEquals(single[1][i], csv[1][i], 1e-5, "sample " + i + ": same prediction with 1 or 3 ranks");
                }
            }
        }
    }

    @Test
    void corruptDataEndsTheJobWithTheFileNamedOnEveryRank() throws Exception {
        Path data = dir.resolve("cut.npz");
        GalaxyGenerator.generate(300, 1).save(data);
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        long t0 = System.nanoTime();
        DebianPython.Result r = launch("--world-size", "2", "--data", data.toString(), "--out",
                dir.resolve("out").toString(), "--timeout", "30");
        assertEquals(2, r.exitCode(), "README: 2 the job failed\n" + r.output());
        for (int rank = 0; rank < 2; rank++) {
            int rk = rank;
            assertTrue(r.output().lines().anyMatch(l -> l.startsWith("[rank " + rk + "]") && l.contains("cut.npz")),
                    "rank " + rank + " names the file:\n" + r.output());
        }
        assertTrue(Files.notExists(dir.resolve("out").resolve(ResultFiles.METRICS)), "no results from a failed job");
        assertTrue((System.nanoTime() - t0) / 1e9 < 120, "failed promptly");
        DebianPython.Result missing = launch("--model", dir.resolve("nope.pt").toString(), "--out",
                dir.resolve("out2").toString());
        assertEquals(64, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("nope.pt"), missing.output());
    }

    @Test
    void aRankKilledMidInferenceFailsTheOthersNamingIt() throws Exception {
        Path data = dir.resolve("galaxies.npz");
        GalaxyGenerator.generate(3000, 2).save(data);
        try (RendezvousProcess server = new RendezvousProcess(dir)) {
            RankProcesses.Spec spec = new RankProcesses.Spec(3, List.of("-Xmx512m"), WorkerMain.class.getName(),
                    List.of("run", "--data", data.toString(), "--batch-size", "16", "--threads", "1", "--out",
                            dir.resolve("out").toString(), "--timeout", "30", "--engine", "pytorch"),
                    server.address(), "it-infer-kill",
                    server.secretFile, Duration.ofSeconds(120), Duration.ofSeconds(20));
            try (WatchedRanks ranks = new WatchedRanks(spec, line -> line.startsWith("batch "))) {
                assertTrue(ranks.reached.await(90, TimeUnit.SECONDS), "ranks never reached inference: "
                        + ranks.lines);
                ranks.processes.get(1).destroyForcibly();
                for (int r : new int[] {0, 2}) {
                    assertTrue(ranks.processes.get(r).waitFor(60, TimeUnit.SECONDS), "rank " + r + " hung: "
                            + ranks.lines);
                    assertEquals(2, ranks.processes.get(r).exitValue(), "rank " + r + " exit code; output: "
                            + ranks.lines);
                    String failure = ranks.failureOf(r, "it-infer-kill");
                    assertTrue(failure.contains("rank 1"), failure);
                }
            }
        }
    }

    @Test
    void launchExitsTwoNamingARankKilledMidInferenceAndWritesNoResults() throws Exception {
        Path data = dir.resolve("galaxies.npz");
        GalaxyGenerator.generate(4000, 3).save(data);
        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), "launch",
                "--world-size", "3", "--data", data.toString(), "--batch-size", "16", "--threads", "1", "--out",
                out.toString(), "--timeout", "30", "--engine", "pytorch")); // the Block model: seconds of batches
        Process launch = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        java.util.concurrent.CountDownLatch batches = new java.util.concurrent.CountDownLatch(3);
        Thread reader = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(launch.getInputStream()))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.contains("] batch ")) {
                        batches.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // launch ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            assertTrue(batches.await(120, TimeUnit.SECONDS), "ranks never reached inference:\n" + output);
            // rank 1's JVM is the launch's child whose command line ends with "--rank 1 --world-size 3"
            // (read from /proc: ProcessHandle.Info cuts long command lines, and this one holds the test class path)
            ProcessHandle rank1 = launch.toHandle().children().filter(p -> commandLine(p).endsWith(
                    "--rank\u00001\u0000--world-size\u00003")).findFirst()
                    .orElseThrow(() -> new AssertionError("no rank 1 process among the launch's children"));
            rank1.destroyForcibly();
            assertTrue(launch.waitFor(90, TimeUnit.SECONDS), "launch hung after a rank was killed:\n" + output);
            reader.join(5000);
            String all;
            synchronized (output) {
                all = output.toString();
            }
            assertEquals(2, launch.exitValue(), "README: 2 the job failed\n" + all);
            assertTrue(all.contains("FAILED") && all.lines().anyMatch(l -> l.startsWith("[rank 0]")
                    && l.contains("rank 1")), "launch names the killed rank:\n" + all);
            assertTrue(Files.notExists(out.resolve(ResultFiles.METRICS))
                    && Files.notExists(out.resolve(ResultFiles.PREDICTIONS)), "no results from a failed job");
            try (var leftovers = Files.list(out)) {
                assertEquals(List.of(), leftovers.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                        "no half-written files");
            }
        } finally {
            launch.descendants().forEach(ProcessHandle::destroyForcibly);
            launch.destroyForcibly();
        }
    }

    /** The process's arguments as the kernel holds them, NUL-separated (no trailing NUL). */
    private static String commandLine(ProcessHandle p) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return raw.endsWith("\u0000") ? raw.substring(0, raw.length() - 1) : raw;
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** [z_true, z_pred] by sample index; checks every index appears once and ranks hold contiguous ranges. */
    static float[][] readPredictions(Path csv, int total, int worldSize) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals(ResultFiles.CSV_HEADER, lines.get(0));
        assertEquals(total + 1, lines.size(), "one row per sample");
        float[][] out = new float[2][total];
        boolean[] seen = new boolean[total];
        int lastRank = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int i = Integer.parseInt(f[0]);
            assertTrue(!seen[i], "index " + i + " twice");
            seen[i] = true;
            out[0][i] = Float.parseFloat(f[1]);
            out[1][i] = Float.parseFloat(f[2]);
            int rank = Integer.parseInt(f[3]);
            assertTrue(rank >= lastRank && rank < worldSize, "rank order in " + line);
            lastRank = rank;
        }
        return out;
    }

    private static double number(JsonObject json, String key) {
        assertTrue(json.has(key) && !json.get(key).isJsonNull(), key + " in " + json);
        return json.get(key).getAsDouble();
    }

    /** How many predictions.csv rows each rank produced. */
    static long[] samplesPerRank(Path csv, int worldSize) throws Exception {
        long[] counts = new long[worldSize];
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            counts[Integer.parseInt(line.substring(line.lastIndexOf(',') + 1))]++;
        }
        return counts;
    }

    /**
     * The execution record's values, not just its keys: every study key per rank and combined; each rank's samples
     * are the rows it wrote; batches follow from samples and the batch size; times are positive and agree with each
     * other (seconds per batch times batches is the inference time; the job's wall time covers the slowest rank).
     */
    static void checkExecutionInfo(JsonObject info, int worldSize, long total, int batchSize, long[] csvRows) {
        assertEquals(worldSize, info.get("world_size").getAsInt());
        JsonArray ranks = info.getAsJsonArray("ranks");
        assertEquals(worldSize, ranks.size(), "one record per rank");
        long samples = 0;
        long batches = 0;
        double slowest = 0;
        for (int r = 0; r < worldSize; r++) {
            JsonObject rank = ranks.get(r).getAsJsonObject();
            for (String key : STUDY_KEYS) {
                assertTrue(rank.has(key), "rank " + r + " lacks " + key);
            }
            assertEquals(r, rank.get("rank").getAsInt());
            long mine = rank.get("samples").getAsLong();
            assertEquals(csvRows[r], mine, "rank " + r + " samples vs its rows in predictions.csv");
            long myBatches = rank.get("num_batches").getAsLong();
            assertEquals((mine + batchSize - 1) / batchSize, myBatches, "rank " + r + " batches for " + mine);
            assertEquals(batchSize, rank.get("batch_size").getAsInt());
            double inference = rank.get("inference_seconds").getAsDouble();
            assertTrue(inference > 0, "rank " + r + " inference time " + inference);
            assertTrue(rank.get("total_cpu_time (seconds)").getAsDouble() > 0, "rank " + r + " CPU time");
            assertTrue(rank.get("total_cpu_memory (MB)").getAsDouble() > 0, "rank " + r + " memory");
            assertEquals(inference, rank.get("execution_time (seconds/batch)").getAsDouble() * myBatches,
                    1e-9 * Math.max(1, inference), "rank " + r + " seconds per batch x batches");
            assertEquals(mine / inference, rank.get("sample_persec").getAsDouble(), 1e-6 * (mine / inference),
                    "rank " + r + " samples per second");
            samples += mine;
            batches += myBatches;
            slowest = Math.max(slowest, inference);
        }
        assertEquals(total, samples, "the ranks' samples add up to the dataset");
        JsonObject combined = info.getAsJsonObject("combined");
        for (String key : STUDY_KEYS) {
            assertTrue(combined.has(key), "combined record lacks " + key);
        }
        assertEquals(total, combined.get("samples").getAsLong());
        assertEquals(batches, combined.get("num_batches").getAsLong());
        assertEquals(slowest, combined.get("slowest_rank_inference_seconds").getAsDouble(), 1e-12);
        double wall = combined.get("job_wall_seconds").getAsDouble();
        assertTrue(wall >= slowest, "job wall time " + wall + " s covers the slowest rank's " + slowest + " s");
        double collective = combined.get("collective_seconds").getAsDouble();
        assertTrue(collective >= 0 && collective <= wall, "collective time " + collective + " within wall " + wall);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what + " from metrics.json vs CSV");
    }
}
