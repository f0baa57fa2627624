package io.jfmi.core;

/** A blocking call passed its deadline. The communicator is unusable afterwards (its peers may be mid-operation). */
public class FmiTimeoutException extends FmiException {
    private static final long serialVersionUID = 1L;

    public FmiTimeoutException(String message) {
        super(message);
    }
}
