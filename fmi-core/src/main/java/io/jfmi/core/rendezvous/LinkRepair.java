package io.jfmi.core.rendezvous;

import io.jfmi.core.util.Deadline;
import io.jfmi.core.wire.Connection;
import java.io.IOException;

/**
 * What a rank needs from the rendezvous server to move a failed direct link to the relay: a way to say that it is
 * stuck or that it gave a link up (with how much of the peer's stream it took), and the relay itself. The server's
 * answers come back as {@link LinkNotice}s.
 */
public interface LinkRepair {
    /** This rank waited on its link to {@code peer} for {@code windowMillis} with bytes owed and none moving. */
    void reportStuck(int peer, long sent, long received, boolean wantsRead, boolean wantsWrite, long windowMillis)
            throws IOException;

    /**
     * This rank stopped using its link to {@code peer}; it took every frame of the peer's stream before a byte.
     * {@code cause} is what was seen first ("stall", "error", "eof", or "peer" when the peer said so first).
     */
    void reportDown(int peer, long resumeFrom, String cause, String reason) throws IOException;

    /** Opens this rank's relay connection (when the job had none so far). */
    Connection openRelay(Deadline deadline);

    /** The server, for messages. */
    String describe();
}
