package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rank that sends its last messages over a healing link and closes at once must not destroy them. The receiver
 * acknowledges what it takes, and an acknowledgement written to a closed socket fails (seen in CI as a broken pipe
 * in the last allreduce of a job); worse, one that reaches a socket closed with bytes still queued makes the kernel
 * answer with a reset and drop those bytes. Both cases failed before the fix (checked).
 */
class HealingCloseTest {
    private static final long AFTER_THE_CLOSERS_BUDGET_MILLIS = 1_500;

    /** The closer waits for its peer no longer than its budget; then the peer's acknowledgements are refused. */
    @Test
    void messagesFromARankClosedLongAgoAreStillRead() throws Exception {
        sendThenClose(600, 256, AFTER_THE_CLOSERS_BUDGET_MILLIS, 2);
    }

    /** 2.4 MB: more than the receiver's socket buffers take, so the tail is still queued on the closing side. */
    @Test
    void aTailStillQueuedInTheClosingSocketArrives() throws Exception {
        sendThenClose(300, 1024, 300, 3);
    }

    private static void sendThenClose(int messages, int words, long readAfterMillis, int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            int seed = round;
            List<Integer> taken = ThreadedJob.run(2, b -> b.healLinks(HealLinks.ALL), comm -> {
                long[] data = new long[words];
                if (comm.rank() == 0) {
                    for (int m = 0; m < messages; m++) {
                        Arrays.fill(data, m * 31L + seed);
                        comm.send(1, 7, DataBuffer.of(data));
                    }
                    return 0; // closes at once
                }
                Thread.sleep(readAfterMillis); // the sender has closed before this side reads or acknowledges
                int count = 0;
                for (int m = 0; m < messages; m++) {
                    assertEquals(words, comm.recv(0, 7, DataBuffer.of(data)));
                    assertEquals(m * 31L + seed, data[0], "message " + m);
                    assertEquals(m * 31L + seed, data[words - 1], "message " + m);
                    count++;
                }
                return count;
            });
            assertEquals(messages, taken.get(1));
        }
    }
}
