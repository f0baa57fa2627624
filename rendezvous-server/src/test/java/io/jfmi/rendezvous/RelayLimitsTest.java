package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.RendezvousException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The relay slows a fast sender down to a slow receiver instead of buffering; stale jobs are forgotten. */
class RelayLimitsTest {

    @Test
    void slowReceiverPausesTheSenderAndLosesNothing() throws Exception {
        try (TestServer server = new TestServer()) {
            int messages = 24;
            int size = 2 << 20;
            List<Boolean> ok = server.runOk("slow-receiver", 2, b -> b.forceRelay(true), comm -> {
                byte[] buf = new byte[size];
                if (comm.rank() == 0) {
                    for (int m = 0; m < messages; m++) {
                        new Random(m).nextBytes(buf);
                        comm.send(1, m, DataBuffer.of(buf));
                    }
                    return true;
                }
                byte[] expected = new byte[size];
                for (int m = 0; m < messages; m++) {
                    Thread.sleep(40); // a slow consumer
                    comm.recv(0, m, DataBuffer.of(buf));
                    new Random(m).nextBytes(expected);
                    assertArrayEquals(expected, buf, "message " + m);
                }
                return true;
            });
            assertEquals(List.of(true, true), ok);
            assertTrue(server.server.metrics().prometheus().lines()
                    .anyMatch(l -> l.startsWith("jfmi_relay_pauses_total ") && !l.endsWith(" 0")),
                    "the sender was never paused: " + server.server.metrics().prometheus());
        }
    }

    @Test
    void aJobThatNeverFormsIsForgottenAndItsRanksAreTold() throws Exception {
        try (TestServer server = new TestServer(Duration.ofMillis(600))) {
            long t0 = System.nanoTime();
            RendezvousException e = assertThrows(RendezvousException.class, () -> {
                try (Communicator c = Communicator.connect(server.options("lonely", 0, 2)
                        .joinTimeout(Duration.ofSeconds(30)).build())) {
                    c.barrier();
                }
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains("TIMEOUT") && e.getMessage().contains("1 of 2 ranks"), e.getMessage());
            assertTrue(ms < 10_000, "took " + ms + " ms");
            assertEquals(null, server.server.registry().find("lonely"));
        }
    }
}
