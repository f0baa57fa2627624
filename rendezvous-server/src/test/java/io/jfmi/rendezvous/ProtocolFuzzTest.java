package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.ReduceOp;
import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.JobAuth;
import io.jfmi.protocol.proto.ClientHello;
import io.jfmi.protocol.proto.ConnectReport;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Purpose;
import io.jfmi.protocol.proto.Register;
import io.jfmi.protocol.proto.RelayAttach;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Mutated and random input thrown at a running server for a bounded time while a real 4-rank job (two ranks
 * relayed) runs beside it. The server must stay up, the job's results must be right, every bad connection must be
 * closed by the server with an error saying why, and the heap must stay bounded. A fixed corpus of the shapes that
 * matter (lengths at and past the limits, truncation, wrong versions, out-of-order messages) runs first, every time;
 * the random part is seeded and prints its seed.
 */
class ProtocolFuzzTest {
    private static final long FUZZ_MILLIS = 8_000;
    private static final int FUZZERS = 24;
    /** The test server's handshake timeout is 5 s: every connection must be closed well within this. */
    private static final int CLOSE_WITHIN_MILLIS = 12_000;

    @Test
    void theServerSurvivesGarbageAndTheJobBesideItIsRight() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ProtocolFuzzTest seed " + seed);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        try (TestServer server = new TestServer()) {
            for (byte[] input : corpus()) {
                String problem = attack(server, input, false);
                assertEquals(null, problem, "corpus input " + hex(input));
            }
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            ExecutorService job = Executors.newSingleThreadExecutor();
            Future<List<long[]>> results = job.submit(() -> server.runOk("fuzz-job", 4,
                    b -> b.forceRelay(b.build().rank() >= 2), comm -> {
                        long rounds = 0;
                        long[] sum = new long[1];
                        long[] gathered = new long[4];
                        long[] goOn = new long[1];
                        while (true) {
                            // rank 0 decides for all, so every rank runs the same rounds
                            goOn[0] = fuzzing.get() || rounds < 50 ? 1 : 0;
                            comm.bcast(DataBuffer.of(goOn), 0);
                            if (goOn[0] == 0) {
                                break;
                            }
                            comm.allreduce(DataBuffer.of(new long[] {comm.rank() + rounds}), DataBuffer.of(sum),
                                    ReduceOp.SUM);
                            if (sum[0] != 6 + 4 * rounds) {
                                throw new AssertionError("round " + rounds + ": sum " + sum[0]);
                            }
                            comm.allgather(DataBuffer.of(new long[] {comm.rank() * rounds}), DataBuffer.of(gathered));
                            for (int p = 0; p < 4; p++) {
                                if (gathered[p] != p * rounds) {
                                    throw new AssertionError("round " + rounds + ": gathered " + gathered[p]);
                                }
                            }
                            rounds++;
                        }
                        return new long[] {rounds};
                    }));
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger attacks = new AtomicInteger();
            ExecutorService fuzzers = Executors.newFixedThreadPool(FUZZERS);
            long end = System.currentTimeMillis() + FUZZ_MILLIS;
            for (int f = 0; f < FUZZERS; f++) {
                Random random = new Random(seed + f);
                fuzzers.submit(() -> {
                    while (System.currentTimeMillis() < end) {
                        byte[] input = mutant(random);
                        String problem = attack(server, input, random.nextInt(8) == 0);
                        attacks.incrementAndGet();
                        if (problem != null) {
                            problems.add(problem + " for input " + hex(input));
                        }
                    }
                    return null;
                });
            }
            fuzzers.shutdown();
            assertTrue(fuzzers.awaitTermination(FUZZ_MILLIS + 60_000, TimeUnit.MILLISECONDS), "fuzzers hung");
            fuzzing.set(false);
            List<long[]> rounds = results.get(120, TimeUnit.SECONDS);
            job.shutdown();
            assertEquals(List.of(), problems, "seed " + seed);
            assertTrue(rounds.get(0)[0] >= 50, "the job ran " + rounds.get(0)[0] + " verified rounds");
            assertTrue(attacks.get() > 60, "only " + attacks.get() + " attacks in " + FUZZ_MILLIS + " ms");
            System.out.printf("ProtocolFuzzTest: %d attacks, job ran %d verified rounds%n", attacks.get(),
                    rounds.get(0)[0]);
            // still serving: a new job forms and runs
            assertEquals(2, server.runOk("after-fuzz", 2, b -> { }, comm -> {
                comm.barrier();
                return 1;
            }).size());
        }
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        assertTrue(heapAfter - heapBefore < 64L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");
    }

    /** Inputs that have mattered, run on every build: lengths at and past the limit, truncation, wrong order. */
    private static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(new byte[0]);
        c.add(new byte[] {0, 0, 0, 0});
        c.add(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        c.add(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
        c.add(new byte[] {0, 0x10, 0, 1});
        c.add(framed(hello(2, "x", 0, 2, Purpose.CONTROL).toByteArray()));
        c.add(framed(hello(ControlCodec.PROTOCOL_VERSION, "bad job id!", 0, 2, Purpose.CONTROL).toByteArray()));
        c.add(framed(hello(ControlCodec.PROTOCOL_VERSION, "fz", 5, 2, Purpose.CONTROL).toByteArray()));
        c.add(framed(hello(ControlCodec.PROTOCOL_VERSION, "fz", 0, 100_000, Purpose.CONTROL).toByteArray()));
        c.add(framed(ControlMessage.newBuilder().setRegister(Register.getDefaultInstance()).build().toByteArray()));
        c.add(framed(ControlMessage.newBuilder().setConnectReport(ConnectReport.getDefaultInstance()).build()
                .toByteArray()));
        byte[] hello = framed(hello(ControlCodec.PROTOCOL_VERSION, "fz", 0, 2, Purpose.CONTROL).toByteArray());
        c.add(java.util.Arrays.copyOf(hello, hello.length / 2));
        c.add(concat(hello, framed(ControlMessage.newBuilder().setRelayAttach(RelayAttach.newBuilder()
                .setMac(ByteString.copyFrom(new byte[JobAuth.MAC_LENGTH]))).build().toByteArray())));
        c.add(concat(hello, framed(new byte[] {(byte) 0xFF, 0x01, 0x02})));
        return c;
    }

    private static byte[] mutant(Random r) {
        byte[] base = switch (r.nextInt(5)) {
            case 0 -> randomBytes(r, r.nextInt(200));
            case 1 -> framed(hello(r.nextInt(4), r.nextBoolean() ? "fz" + r.nextInt(5) : "", r.nextInt(4) - 1,
                    r.nextInt(5), Purpose.forNumber(r.nextInt(3)) == null ? Purpose.CONTROL
                            : Purpose.forNumber(r.nextInt(3))).toByteArray());
            case 2 -> concat(framed(hello(ControlCodec.PROTOCOL_VERSION, "fz", 0, 2, Purpose.CONTROL).toByteArray()),
                    framed(ControlMessage.newBuilder().setRegister(Register.newBuilder()
                            .setMac(ByteString.copyFrom(randomBytes(r, 32))).setHostId("h")).build().toByteArray()));
            case 3 -> concat(framed(hello(ControlCodec.PROTOCOL_VERSION, "fz", 1, 2, Purpose.RELAY).toByteArray()),
                    framed(randomBytes(r, r.nextInt(64))));
            default -> concat(intBytes(r.nextInt()), randomBytes(r, r.nextInt(64)));
        };
        int flips = r.nextInt(4);
        for (int i = 0; i < flips && base.length > 0; i++) {
            base[r.nextInt(base.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return r.nextInt(5) == 0 && base.length > 1 ? java.util.Arrays.copyOf(base, r.nextInt(base.length)) : base;
    }

    /**
     * Sends {@code input} (slowly when asked, a byte at a time), then reads until the server closes. Returns null
     * when it closed the connection within the limit with an error as its last message, else what went wrong.
     */
    private static String attack(TestServer server, byte[] input, boolean slow) {
        long start = System.currentTimeMillis();
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(CLOSE_WITHIN_MILLIS);
            OutputStream out = s.getOutputStream();
            try {
                if (slow) {
                    for (int i = 0; i < Math.min(input.length, 20); i++) {
                        out.write(input[i]);
                        out.flush();
                        Thread.sleep(20);
                    }
                } else {
                    out.write(input);
                    out.flush();
                }
            } catch (IOException e) {
                // the server may close before we finish writing: that is fine, read what it said
            }
            InputStream in = s.getInputStream();
            ControlMessage last = null;
            while (true) {
                ControlMessage m;
                try {
                    m = readMessage(in);
                } catch (EOFException e) {
                    break;
                }
                if (m == null) {
                    break;
                }
                last = m;
            }
            long took = System.currentTimeMillis() - start;
            if (last == null || !last.hasError()) {
                return "closed after " + took + " ms without an error message (last: " + (last == null ? "nothing"
                        : last.getBodyCase()) + ")";
            }
            return null;
        } catch (SocketTimeoutException e) {
            return "not closed within " + CLOSE_WITHIN_MILLIS + " ms";
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("Connection reset") ? null
                    : "I/O error " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** One length-prefixed message, or null at a clean end of stream. */
    private static ControlMessage readMessage(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length;
        try {
            length = data.readInt();
        } catch (EOFException e) {
            return null;
        }
        byte[] body = new byte[length];
        data.readFully(body);
        return ControlMessage.parseFrom(body);
    }

    private static ControlMessage hello(int version, String job, int rank, int worldSize, Purpose purpose) {
        return ControlMessage.newBuilder().setHello(ClientHello.newBuilder().setProtocolVersion(version).setJobId(job)
                .setRank(rank).setWorldSize(worldSize).setPurpose(purpose)).build();
    }

    private static byte[] framed(byte[] body) {
        return concat(intBytes(body.length), body);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(a);
        o.writeBytes(b);
        return o.toByteArray();
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 64); i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb + (b.length > 64 ? "...(" + b.length + " bytes)" : "");
    }
}
