package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A job whose direct links seal their frames runs every kind of traffic with the results of a plain job. */
class SealedLinksTest {

    @Test
    void collectivesOverSealedLinksGiveThePlainResults() throws Exception {
        int n = 4;
        int big = (1 << 20) / 8 + 3; // just over 1 MiB of doubles: several frames and many records
        List<String> outcomes = ThreadedJob.run(n, b -> b.sealLinks(true), comm -> {
            for (int p = 0; p < n; p++) {
                if (p != comm.rank()) {
                    assertEquals("AES-128-GCM", comm.linkProtection(p), "link to rank " + p);
                }
            }
            double[] mine = CollectivesTest.doubles(comm.rank(), big);
            double[] sum = new double[big];
            comm.allreduce(DataBuffer.of(mine), DataBuffer.of(sum), ReduceOp.SUM);
            double[] expected = new double[big];
            for (int r = 0; r < n; r++) {
                double[] theirs = CollectivesTest.doubles(r, big);
                for (int i = 0; i < big; i++) {
                    expected[i] += theirs[i];
                }
            }
            assertArrayEquals(expected, sum, 1e-9);

            int[] small = new int[] {comm.rank() + 1};
            int[] total = new int[1];
            for (int i = 0; i < 200; i++) {
                comm.allreduce(DataBuffer.of(small), DataBuffer.of(total), ReduceOp.SUM);
                assertEquals(n * (n + 1) / 2, total[0]);
            }

            int block = 300_001;
            byte[] out = new byte[block * n];
            for (int p = 0; p < n; p++) {
                java.util.Arrays.fill(out, p * block, (p + 1) * block, (byte) (comm.rank() * 16 + p));
            }
            byte[] in = new byte[block * n];
            comm.alltoall(DataBuffer.of(out), DataBuffer.of(in));
            for (int p = 0; p < n; p++) {
                assertEquals((byte) (p * 16 + comm.rank()), in[p * block + block - 1], "block from rank " + p);
            }

            byte[] payload = new byte[3 * 65536 + 17];
            new Random(5).nextBytes(payload);
            byte[] copy = comm.rank() == 2 ? payload.clone() : new byte[payload.length];
            comm.bcast(DataBuffer.of(copy), 2);
            assertArrayEquals(payload, copy);
            return "ok";
        });
        assertEquals(List.of("ok", "ok", "ok", "ok"), outcomes);
    }

    @Test
    void ranksThatDisagreeOnSealingFailNamingTheSetting() throws Exception {
        List<ThreadedJob.Outcome<String>> outcomes = ThreadedJob.runCollectingFailures(2,
                b -> b.sealLinks(b.build().rank() == 0), comm -> "joined");
        for (ThreadedJob.Outcome<String> o : outcomes) {
            assertTrue(o.error() != null && o.error().getMessage().contains("give every rank the same sealLinks"),
                    String.valueOf(o.error()));
        }
    }
}
