package io.jfmi.worker.lambda;

/** An event the handler cannot run: a required key missing or of the wrong type. The message names the key. */
public final class PayloadException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PayloadException(String message) {
        super(message);
    }
}
