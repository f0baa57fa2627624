package io.jfmi.core.rendezvous;

/** Word from the server about one of this rank's direct links. */
public sealed interface LinkNotice {
    /** The rank at the other end of the link. */
    int peer();

    /**
     * The peer has waited on the link for {@code windowMillis} with nothing moving (its counters, and when the word
     * arrived here), so this rank can tell whether bytes it wrote long ago never arrived, or whether it cannot write.
     */
    record Stuck(int peer, long peerReceived, boolean peerWantsRead, long windowMillis, long arrivedNanos)
            implements LinkNotice {
    }

    /** The peer gave the link up; it took this rank's stream up to byte {@code resumeFrom}. */
    record Down(int peer, long resumeFrom, String reason) implements LinkNotice {
    }
}
