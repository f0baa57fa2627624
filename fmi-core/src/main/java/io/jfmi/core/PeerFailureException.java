package io.jfmi.core;

/** A peer disconnected, reported a failure, or the job was aborted by another rank. */
public class PeerFailureException extends FmiException {
    private static final long serialVersionUID = 1L;
    private final int peerRank;

    public PeerFailureException(String message, int peerRank) {
        super(message);
        this.peerRank = peerRank;
    }

    public PeerFailureException(String message, int peerRank, Throwable cause) {
        super(message, cause);
        this.peerRank = peerRank;
    }

    /** The rank that failed or reported the failure, or -1 when unknown. */
    public int peerRank() {
        return peerRank;
    }
}
