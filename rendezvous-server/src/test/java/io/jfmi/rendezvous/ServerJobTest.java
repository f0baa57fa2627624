package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.DataBuffer;
import io.jfmi.core.LinkKind;
import io.jfmi.core.PeerFailureException;
import io.jfmi.core.ReduceOp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jobs formed through a real server: direct links, forced relay, failure notices, health and metrics. */
class ServerJobTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Runs barrier, allgather, reduce, allreduce and a 3 MiB point-to-point ring; returns a checksum per rank. */
    static List<long[]> exercise(String job, int n, boolean relay) throws Exception {
        return server.runOk(job, n, b -> b.forceRelay(relay), comm -> {
            for (int p = 0; p < comm.size(); p++) {
                if (p != comm.rank()) {
                    LinkKind kind = comm.linkKind(p);
                    if (relay != (kind == LinkKind.RELAY)) {
                        throw new AssertionError("rank " + comm.rank() + " -> " + p + " uses " + kind);
                    }
                }
            }
            comm.barrier();
            long[] gathered = new long[comm.size() * 2];
            comm.allgather(DataBuffer.of(new long[] {comm.rank(), comm.rank() * 10L}), DataBuffer.of(gathered));
            double[] sum = new double[1000];
            double[] mine = new double[1000];
            Arrays.fill(mine, comm.rank() + 0.5);
            comm.reduce(DataBuffer.of(mine), DataBuffer.of(sum), ReduceOp.SUM, 0);
            long[] max = new long[1];
            comm.allreduce(DataBuffer.of(new long[] {comm.rank() * 7L}), DataBuffer.of(max), ReduceOp.MAX);
            byte[] big = new byte[3 * (1 << 20) + 5];
            new Random(comm.rank()).nextBytes(big);
            int right = (comm.rank() + 1) % comm.size();
            int left = (comm.rank() + comm.size() - 1) % comm.size();
            byte[] got = new byte[big.length];
            if (comm.rank() % 2 == 0) {
                comm.send(right, 1, DataBuffer.of(big));
                comm.recv(left, 1, DataBuffer.of(got));
            } else {
                comm.recv(left, 1, DataBuffer.of(got));
                comm.send(right, 1, DataBuffer.of(big));
            }
            byte[] expected = new byte[big.length];
            new Random(left).nextBytes(expected);
            comm.barrier();
            return new long[] {Arrays.stream(gathered).sum(), (long) sum[0], max[0],
                Arrays.equals(expected, got) ? 1 : 0};
        });
    }

    static long[] expected(int n) {
        long gathered = 0;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            gathered += r + r * 10L;
            sum += r + 0.5;
        }
        return new long[] {gathered, (long) sum, (n - 1) * 7L, 1};
    }

    @Test
    void ranksWhoseJobNeverFormsNameTheRankThatNeverRegistered() throws Exception {
        long start = System.nanoTime();
        List<TestServer.Outcome<String>> out = server.run("missing-rank", 2,
                b -> b.worldSize(3).joinTimeout(Duration.ofSeconds(2)), comm -> "formed");
        long millis = (System.nanoTime() - start) / 1_000_000;
        for (TestServer.Outcome<String> o : out) {
            assertNotNull(o.error(), "a job of 3 formed with 2 ranks");
            String m = o.error().getMessage();
            assertTrue(m.contains("timed out after 2000 ms waiting for the peer "
                    + "table") && m.contains("rank 2 never registered"), m);
        }
        assertTrue(millis < 4000, "took " + millis + " ms for a 2 s join deadline");
    }

    @Test
    void fourRanksOverDirectLinks() throws Exception {
        List<long[]> results = exercise("direct-4", 4, false);
        assertArrayEquals(expected(4), results.get(0));
        for (long[] r : results) {
            assertEquals(expected(4)[0], r[0]);
            assertEquals(1, r[3], "point-to-point payload intact");
        }
    }

    @Test
    void fourRanksWithEveryPairRelayed() throws Exception {
        long before = server.server.metrics().relayedBytes();
        List<long[]> results = exercise("relay-4", 4, true);
        assertArrayEquals(expected(4), results.get(0));
        for (long[] r : results) {
            assertEquals(1, r[3], "point-to-point payload intact through the relay");
        }
        long relayed = server.server.metrics().relayedBytes() - before;
        assertTrue(relayed > 4L * 3 * (1 << 20), "relayed only " + relayed + " bytes");
    }

    @Test
    void threeRanksWhereOnlyOneRankAsksForRelay() throws Exception {
        List<long[]> mixed = server.runOk("mixed-3", 3, b -> {
            if (b.build().rank() == 1) {
                b.forceRelay(true);
            }
        }, comm -> {
            long[] out = new long[3 + 3];
            long[] gathered = new long[3];
            comm.allgather(DataBuffer.of(new long[] {comm.rank() + 100L}), DataBuffer.of(gathered));
            System.arraycopy(gathered, 0, out, 0, 3);
            for (int p = 0; p < 3; p++) {
                out[3 + p] = p == comm.rank() ? -1 : comm.linkKind(p).ordinal();
            }
            return out;
        });
        long relay = LinkKind.RELAY.ordinal();
        long local = LinkKind.LOCAL.ordinal();
        // rank 1 is relay-only: both its pairs are relayed, seen from both sides; the pair 0-2 stays direct
        assertArrayEquals(new long[] {100, 101, 102, -1, relay, local}, mixed.get(0));
        assertArrayEquals(new long[] {100, 101, 102, relay, -1, relay}, mixed.get(1));
        assertArrayEquals(new long[] {100, 101, 102, local, relay, -1}, mixed.get(2));
    }

    @Test
    void aRankThatLeavesMidJobFailsTheOthersFast() throws Exception {
        List<TestServer.Outcome<Integer>> out = server.run("dies-4", 4, b -> { }, comm -> {
            comm.barrier();
            if (comm.rank() == 2) {
                // leaves while the others go on: its links close under them (kill -9 is in the worker ITs)
                throw new IllegalStateException("rank 2 gives up");
            }
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < 1000; i++) {
                    comm.allreduce(DataBuffer.of(new int[] {i}), DataBuffer.of(new int[1]), ReduceOp.SUM);
                }
            } finally {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 10_000, "failure took " + ms + " ms to surface");
            }
            return 1;
        });
        assertInstanceOf(IllegalStateException.class, out.get(2).error());
        for (int r : new int[] {0, 1, 3}) {
            assertInstanceOf(PeerFailureException.class, out.get(r).error(), "rank " + r);
        }
    }

    @Test
    void healthAndMetricsOverHttp() throws Exception {
        exercise("metrics-2", 2, true);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.server.httpPort();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jfmi_relayed_bytes_total"), metrics.body());
        assertTrue(metrics.body().contains("jfmi_channel_pairs_total{kind=\"relay\"}"), metrics.body());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void jobIdCanBeReusedAfterAllRanksLeft() throws Exception {
        exercise("reuse-2", 2, false);
        List<long[]> again = exercise("reuse-2", 2, false);
        assertArrayEquals(expected(2), again.get(0));
        // Goodbyes are handled on the server's event loops after the ranks return: allow them a moment.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.server.registry().find("reuse-2") != null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertNull(server.server.registry().find("reuse-2"), "job forgotten once its ranks left");
    }
}
