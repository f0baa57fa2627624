package io.jfmi.worker.lambda;

import io.jfmi.core.Communicator;
import io.jfmi.core.CommunicatorOptions;
import io.jfmi.core.LocalJob;
import io.jfmi.worker.inference.StageTimes;
import io.jfmi.worker.job.JobCombiner;
import io.jfmi.worker.job.RankRun;
import io.jfmi.worker.job.RankStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Measures one cold start of the handler in this (fresh) JVM, as Lambda would see it: Init (JVM start to the
 * handler's constructor returning: engine and JFMI_MODEL loaded, collectives primed, no network); the job's combining
 * collectives between two in-process ranks right after Init, first call against the mean of later calls; then the
 * first invocation and a second (warm) one on a one-rank job. Prints one line: {@code COLDSTART {json}}. Run by
 * {@code benchmarks.jar coldstart}; ships in the Lambda zip so it measures that classpath.
 *
 * <p>Usage: {@code java -cp ... io.jfmi.worker.lambda.ColdStartProbe EVENT_FILE [COMBINE_SAMPLES]}
 */
public final class ColdStartProbe {
    private static final int WARM_CALLS = 20;

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ColdStartProbe EVENT_FILE [COMBINE_SAMPLES]");
            System.exit(64);
        }
        long mainEntered = System.currentTimeMillis();
        // The launcher's clock reading just before it started this JVM: ProcessHandle's start instant is derived
        // from the boot time in /proc/stat, which has a resolution of one second.
        String launched = System.getenv("JFMI_PROBE_LAUNCHED_AT_MS");
        long jvmStart = launched != null ? Long.parseLong(launched)
                : ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(mainEntered);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        InferenceHandler handler = InferenceHandler.forEnvironment(System.getenv(), quiet);
        long ready = System.currentTimeMillis();
        double constructorMs = (System.nanoTime() - t0) / 1e6;
        // The combining collectives first, in the state Init left (primed or not), as a fresh rank meets them
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        double[] combine = combineColdAndWarm(samples);
        String event = Files.readString(Path.of(args[0]));
        Map<String, Object> first = invoke(handler, event);
        Map<String, Object> second = invoke(handler, event);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jvm_to_main_ms", mainEntered - jvmStart);
        out.put("init_ms", ready - jvmStart);
        out.put("handler_constructor_ms", constructorMs);
        out.put("first_invocation_ms", first.get("wall_ms"));
        out.put("second_invocation_ms", second.get("wall_ms"));
        out.put("first_model_s", ((Map<?, ?>) first.get("durations")).get("model_seconds"));
        out.put("first_job_s", ((Map<?, ?>) first.get("durations")).get("job_seconds"));
        out.put("second_job_s", ((Map<?, ?>) second.get("durations")).get("job_seconds"));
        out.put("engine", first.get("engine"));
        out.put("combine_first_ms", combine[0]);
        out.put("combine_warm_ms", combine[1]);
        System.out.println("COLDSTART " + InferenceHandler.toJson(out).replaceAll("\\s*\\n\\s*", " "));
        System.exit(0);
    }

    private static Map<String, Object> invoke(InferenceHandler handler, String event) throws Exception {
        long t = System.nanoTime();
        Map<String, Object> r = new LinkedHashMap<>(handler.handle(InferenceHandler.readEvent(
                new java.io.ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8))), new LocalContext(300_000,
                        1769)));
        r.put("wall_ms", (System.nanoTime() - t) / 1e6);
        return r;
    }

    /**
     * Two in-process ranks combine {@code samples} predictions each: the first call's time and the mean of the next
     * {@value #WARM_CALLS} (rank 0's view).
     */
    private static double[] combineColdAndWarm(int samples) throws InterruptedException {
        LocalJob hub = new LocalJob(2);
        double[] result = new double[2];
        Thread[] ranks = new Thread[2];
        for (int r = 0; r < 2; r++) {
            int rank = r;
            ranks[r] = new Thread(() -> {
                CommunicatorOptions o = CommunicatorOptions.builder().jobId("coldstart").rank(rank).worldSize(2)
                        .operationTimeout(Duration.ofSeconds(60)).joinTimeout(Duration.ofSeconds(60)).build();
                Random rnd = new Random(rank);
                float[] zTrue = new float[samples];
                float[] zPred = new float[samples];
                for (int i = 0; i < samples; i++) {
                    zTrue[i] = rnd.nextFloat();
                    zPred[i] = zTrue[i] + (float) rnd.nextGaussian() * 0.02f;
                }
                RankRun run = new RankRun((long) rank * samples, zTrue, zPred, new double[] {0.1}, new StageTimes(),
                        0, 0, 0, 0, 0, 0);
                RankStats stats = RankStats.of(rank, run, 256, 0, 0);
                try (Communicator c = Communicator.connect(o, hub)) {
                    c.barrier();
                    long t = System.nanoTime();
                    JobCombiner.combine(c, run, stats);
                    double firstMs = (System.nanoTime() - t) / 1e6;
                    c.barrier();
                    t = System.nanoTime();
                    for (int i = 0; i < WARM_CALLS; i++) {
                        JobCombiner.combine(c, run, stats);
                    }
                    if (rank == 0) {
                        result[0] = firstMs;
                        result[1] = (System.nanoTime() - t) / 1e6 / WARM_CALLS;
                    }
                }
            });
            ranks[r].start();
        }
        for (Thread t : ranks) {
            t.join();
        }
        return result;
    }
}
