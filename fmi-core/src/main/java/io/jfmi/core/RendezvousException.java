package io.jfmi.core;

/** Joining the job failed: the server refused the rank, could not be reached, or the job never formed. */
public class RendezvousException extends FmiException {
    private static final long serialVersionUID = 1L;

    public RendezvousException(String message) {
        super(message);
    }

    public RendezvousException(String message, Throwable cause) {
        super(message, cause);
    }
}
