package io.jfmi.worker.orchestrate;

/** A definition the local orchestrator cannot run, or a state that failed; the message names the state. */
public final class OrchestrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OrchestrationException(String message) {
        super(message);
    }

    public OrchestrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
