package io.jfmi.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.Communicator;
import io.jfmi.core.CommunicatorOptions;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.FmiException;
import io.jfmi.core.ReduceOp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGKILL of a rank at each phase, 20 trials per phase, alternating direct and relayed links: rank 2 is a real
 * process ({@link VictimRank}) killed at a random moment of the phase; ranks 0 and 1 run in this JVM against the
 * real rendezvous.jar. Every survivor must fail, within its deadline (never hang), naming rank 2: before the job
 * formed the server tells the waiting ranks who was lost, or, just before their join deadline, who never
 * registered; after it formed, who failed.
 */
class RankKillTrialsIT {
    private static final int TRIALS = 20;
    private static final String SECRET = "it-secret-0123456789";
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    enum Phase {
        /** Anywhere from JVM start through registration and link setup (dial, punch plan, relay attach). */
        SETUP(8, "STARTED", 1500),
        /** Mid-collective, 8-byte allreduces. */
        SMALL(8, "COLLECTIVES", 50),
        /** Mid-collective, 1 MiB allreduces (messages in flight, several frames each). */
        LARGE(1 << 20, "COLLECTIVES", 50);

        final int bytes;
        final String milestone;
        final int maxDelayMillis;

        Phase(int bytes, String milestone, int maxDelayMillis) {
            this.bytes = bytes;
            this.milestone = milestone;
            this.maxDelayMillis = maxDelayMillis;
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Phase.class)
    void everySurvivorFailsWithinItsDeadlineNamingTheKilledRank(Phase phase) throws Exception {
        Random random = new Random(42 + phase.ordinal());
        StringBuilder log = new StringBuilder();
        int connectedKills = 0;
        try (RendezvousProcess server = new RendezvousProcess(dir)) {
            Files.writeString(server.secretFile, SECRET + "\n");
            for (int t = 0; t < TRIALS; t++) {
                boolean relay = t % 2 == 1;
                String job = "kill-" + phase.name().toLowerCase() + "-" + t;
                Trial trial = runTrial(server, job, phase, relay, random.nextInt(phase.maxDelayMillis + 1));
                log.append(job).append(relay ? " relayed" : " direct").append(": victim ")
                        .append(trial.victimConnected ? "connected" : "not connected").append(", survivors failed in ")
                        .append(trial.millis).append(" ms: ").append(trial.failures).append('\n');
                if (trial.victimConnected) {
                    connectedKills++;
                }
                for (String f : trial.failures) {
                    // Killed before it reached the server, the victim is named by the server's join status
                    // (with a survivor that registered too late, or gave up first, both are listed: "2 ranks never
                    // registered: 0, 2").
                    boolean neverRegistered = f.contains("timed out after " + JOIN_TIMEOUT.toMillis()
                            + " ms waiting for the peer table (waiting for all 3 ranks of job '" + job
                            + "' to register") && (f.contains("rank 2 never registered")
                            || f.matches("(?s).*ranks never registered: [0-9, ]*\\b2\\b.*"));
                    assertTrue(neverRegistered || f.contains("rank 2 ") && (trial.victimConnected
                            || f.contains("rank 2 of job '" + job + "' failed")),
                            job + ": a survivor's failure does not name rank 2: " + f);
                }
            }
        }
        Files.writeString(dir.resolve("trials.txt"), log);
        System.out.print(log);
        if (phase != Phase.SETUP) {
            assertTrue(connectedKills == TRIALS, "every kill of this phase hit a connected rank:\n" + log);
        }
    }

    private record Trial(boolean victimConnected, List<String> failures, long millis) {
    }

    private Trial runTrial(RendezvousProcess server, String job, Phase phase, boolean relay, int delayMillis)
            throws Exception {
        ExecutorService survivors = Executors.newFixedThreadPool(2);
        Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Djfmi.log.level=WARN", "-cp",
                System.getProperty("java.class.path"), VictimRank.class.getName(), server.address(), job, SECRET, "2",
                "3", Integer.toString(phase.bytes), Boolean.toString(relay)).redirectErrorStream(true).start();
        CountDownLatch milestone = new CountDownLatch(1);
        boolean[] connected = new boolean[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(victim.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("CONNECTED")) {
                        connected[0] = true;
                    }
                    if (line.equals(phase.milestone)) {
                        milestone.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r;
                results.add(survivors.submit(() -> survive(server, job, rank, phase.bytes, relay)));
            }
            assertTrue(milestone.await(30, TimeUnit.SECONDS), job + ": the victim never printed " + phase.milestone);
            Thread.sleep(delayMillis);
            boolean wasConnected = connected[0];
            long killedAt = System.nanoTime();
            victim.destroyForcibly(); // SIGKILL
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                // the deadline a survivor may take: its join or operation timeout, plus scheduling slack
                failures.add(f.get(OPERATION_TIMEOUT.plus(JOIN_TIMEOUT).toSeconds() + 10, TimeUnit.SECONDS));
            }
            return new Trial(wasConnected, failures, (System.nanoTime() - killedAt) / 1_000_000);
        } finally {
            victim.destroyForcibly();
            survivors.shutdownNow();
        }
    }

    /** Runs allreduces until the job fails; returns the failure's message (a survivor must not succeed). */
    private static String survive(RendezvousProcess server, String job, int rank, int bytes, boolean relay) {
        CommunicatorOptions options = CommunicatorOptions.builder().rendezvous(server.address()).jobId(job)
                .secret(SECRET.getBytes(StandardCharsets.UTF_8)).rank(rank).worldSize(3).forceRelay(relay)
                .operationTimeout(OPERATION_TIMEOUT).joinTimeout(JOIN_TIMEOUT).build();
        double[] mine = new double[Math.max(1, bytes / 8)];
        double[] sum = new double[mine.length];
        try (Communicator comm = Communicator.connect(options)) {
            DataBuffer in = DataBuffer.of(mine);
            DataBuffer out = DataBuffer.of(sum);
            while (true) {
                comm.allreduce(in, out, ReduceOp.SUM);
            }
        } catch (FmiException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
