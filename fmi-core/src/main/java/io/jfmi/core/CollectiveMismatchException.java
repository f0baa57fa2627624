package io.jfmi.core;

/** Ranks called different collectives, or the same collective with incompatible sizes. */
public class CollectiveMismatchException extends FmiException {
    private static final long serialVersionUID = 1L;

    public CollectiveMismatchException(String message) {
        super(message);
    }
}
