package io.jfmi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.launch.RankProcesses;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around the rendezvous server and paused ranks, with real processes: a server that comes up after its
 * ranks, one that never does, one killed mid-job (direct links carry on, relayed pairs fail clearly, a restart
 * serves new jobs), and a rank stopped with SIGSTOP briefly (the job goes on) or past the deadline (the others fail
 * naming it).
 */
class FaultsIT {
    private static final String SECRET = "it-secret-0123456789\n";

    @TempDir
    Path dir;

    private RankProcesses.Spec spec(int ranks, String address, String job, List<String> args) throws IOException {
        Path secret = dir.resolve("job.secret");
        Files.writeString(secret, SECRET);
        return new RankProcesses.Spec(ranks, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                WorkerMain.class.getName(), args, address, job, secret, Duration.ofSeconds(120),
                Duration.ofSeconds(20));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitExit(WatchedRanks ranks, int rank, int expectedCode, long seconds) throws Exception {
        assertTrue(ranks.processes.get(rank).waitFor(seconds, TimeUnit.SECONDS), "rank " + rank + " hung: "
                + String.join("\n", ranks.lines));
        assertEquals(expectedCode, ranks.processes.get(rank).exitValue(), "rank " + rank + " exit code:\n"
                + String.join("\n", ranks.lines));
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    @Test
    void ranksStartedBeforeTheServerJoinOnceItIsUp() throws Exception {
        int port = freePort();
        RankProcesses.Spec spec = spec(2, "127.0.0.1:" + port, "it-late-server", List.of("run", "--task", "pi",
                "--samples", "200000", "--join-timeout", "60"));
        try (WatchedRanks ranks = new WatchedRanks(spec, line -> line.contains("not reachable yet"))) {
            assertTrue(ranks.reached.await(30, TimeUnit.SECONDS), "ranks never tried: " + ranks.lines);
            Thread.sleep(2000); // several backed-off attempts against nothing
            try (RendezvousProcess server = new RendezvousProcess(dir, port)) {
                assertEquals(port, server.port, "the server came up where the ranks were looking");
                for (int r = 0; r < 2; r++) {
                    awaitExit(ranks, r, 0, 60);
                }
                assertTrue(ranks.lines.stream().anyMatch(l -> l.contains("pi ~= 3.14")), String.join("\n",
                        ranks.lines));
            }
        }
    }

    @Test
    void withNoServerARankFailsAtItsJoinDeadlineSayingSo() throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        RankProcesses.Spec spec = spec(1, "127.0.0.1:" + port, "it-no-server", List.of("run", "--task", "pi",
                "--join-timeout", "3"));
        try (WatchedRanks ranks = new WatchedRanks(spec, line -> true)) {
            awaitExit(ranks, 0, 2, 30);
            String failure = ranks.failureOf(0, "it-no-server");
            assertTrue(failure.contains("could not connect within 3000 ms") && failure.contains("127.0.0.1:" + port)
                    && failure.contains("is the rendezvous server running"), failure);
        }
        assertTrue((System.nanoTime() - start) / 1e9 < 25, "failed at its deadline, not later");
    }

    @Test
    void aServerKilledMidJobLeavesDirectLinksWorkingFailsRelayedPairsAndServesNewJobsOnRestart() throws Exception {
        int port = freePort();
        for (boolean relay : new boolean[] {false, true}) {
            String job = relay ? "it-server-dies-relay" : "it-server-dies-direct";
            List<String> args = new ArrayList<>(List.of("run", "--task", "soak", "--seconds", "6", "--timeout", "10"));
            if (relay) {
                args.add("--force-relay");
            }
            RendezvousProcess server = new RendezvousProcess(dir, port);
            try (WatchedRanks ranks = new WatchedRanks(spec(3, server.address(), job, args),
                    line -> line.contains("soak started"))) {
                assertTrue(ranks.reached.await(60, TimeUnit.SECONDS), "soak never started: " + ranks.lines);
                server.process.destroyForcibly(); // SIGKILL
                server.process.waitFor(10, TimeUnit.SECONDS);
                for (int r = 0; r < 3; r++) {
                    awaitExit(ranks, r, relay ? 2 : 0, 40);
                }
                if (relay) {
                    for (int r = 0; r < 3; r++) {
                        String failure = ranks.failureOf(r, job);
                        assertTrue(failure.contains("relay") || failure.contains("rendezvous server"), failure);
                    }
                } else {
                    assertEquals(3, ranks.lines.stream().filter(l -> l.contains("soak finished")).count(),
                            String.join("\n", ranks.lines));
                }
            } finally {
                server.close();
            }
        }
        try (RendezvousProcess restarted = new RendezvousProcess(dir, port);
                WatchedRanks ranks = new WatchedRanks(spec(2, restarted.address(), "it-after-restart",
                        List.of("run", "--task", "pi", "--samples", "200000")), line -> true)) {
            for (int r = 0; r < 2; r++) {
                awaitExit(ranks, r, 0, 60);
            }
        }
    }

    @Test
    void aBriefPauseDelaysTheJobAndAPausePastTheDeadlineFailsTheOthersNamingTheRank() throws Exception {
        try (RendezvousProcess server = new RendezvousProcess(dir)) {
            RankProcesses.Spec brief = spec(3, server.address(), "it-pause-brief", List.of("run", "--task", "soak",
                    "--seconds", "5", "--timeout", "8"));
            try (WatchedRanks ranks = new WatchedRanks(brief, line -> line.contains("soak started"))) {
                assertTrue(ranks.reached.await(60, TimeUnit.SECONDS), "soak never started: " + ranks.lines);
                signal(ranks.processes.get(1), "STOP");
                Thread.sleep(2000);
                signal(ranks.processes.get(1), "CONT");
                for (int r = 0; r < 3; r++) {
                    awaitExit(ranks, r, 0, 40);
                }
            }
            RankProcesses.Spec tooLong = spec(3, server.address(), "it-pause-long", List.of("run", "--task", "soak",
                    "--seconds", "60", "--timeout", "3"));
            try (WatchedRanks ranks = new WatchedRanks(tooLong, line -> line.contains("soak started"))) {
                assertTrue(ranks.reached.await(60, TimeUnit.SECONDS), "soak never started: " + ranks.lines);
                signal(ranks.processes.get(1), "STOP");
                long stoppedAt = System.nanoTime();
                for (int r : new int[] {0, 2}) {
                    awaitExit(ranks, r, 2, 30);
                    String failure = ranks.failureOf(r, "it-pause-long");
                    assertTrue(failure.contains("rank 1"), "rank " + r + " should name rank 1: " + failure);
                }
                assertTrue((System.nanoTime() - stoppedAt) / 1e9 < 20, "the others failed within their deadline");
                signal(ranks.processes.get(1), "CONT");
            }
        }
    }

    @Test
    void anAbortReachesRelayedRanksPromptlyWithItsReason() throws Exception {
        // Three shards, one per rank; only rank 2's is damaged, so ranks 0 and 1 learn of it only by the abort.
        Path whole = dir.resolve("galaxies.npz");
        io.jfmi.worker.data.GalaxyGenerator.generate(300, 1).save(whole);
        Path shards = dir.resolve("shards");
        assertEquals(0, WorkerMain.execute("partition", "--in", whole.toString(), "--count", "3", "--out",
                shards.toString()));
        Path last;
        try (var files = Files.list(shards)) {
            last = files.filter(f -> f.toString().endsWith(".npz")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(last);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(last, bytes);
        try (RendezvousProcess server = new RendezvousProcess(dir)) {
            RankProcesses.Spec relayed = spec(3, server.address(), "it-abort-relay", List.of("run", "--data",
                    shards.toString(), "--out", dir.resolve("out").toString(), "--force-relay", "--timeout", "60"));
            long start = System.nanoTime();
            try (WatchedRanks ranks = new WatchedRanks(relayed, line -> true)) {
                for (int r = 0; r < 3; r++) {
                    awaitExit(ranks, r, 2, 50);
                    int rank = r;
                    assertTrue(ranks.lines.stream().anyMatch(l -> l.startsWith("[" + rank + "]")
                            && l.contains(last.getFileName().toString())), "rank " + r + " names the damaged shard:\n"
                            + String.join("\n", ranks.lines));
                }
                for (int r : new int[] {0, 1}) {
                    assertTrue(ranks.failureOf(r, "it-abort-relay").contains("aborted by rank 2"),
                            ranks.failureOf(r, "it-abort-relay"));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 30, "took " + seconds + " s: the abort must not wait for the 60 s deadline");
        }
    }
}
