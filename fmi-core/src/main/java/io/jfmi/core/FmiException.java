package io.jfmi.core;

/** Base of every error jfmi raises. Messages name the job, this rank and, where one is involved, the peer. */
public class FmiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FmiException(String message) {
        super(message);
    }

    public FmiException(String message, Throwable cause) {
        super(message, cause);
    }
}
