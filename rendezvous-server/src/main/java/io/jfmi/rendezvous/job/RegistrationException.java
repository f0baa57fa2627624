package io.jfmi.rendezvous.job;

import io.jfmi.protocol.proto.ErrorCode;

/** A rank's request was refused; the code and message go back to the rank verbatim. */
public final class RegistrationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public RegistrationException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
