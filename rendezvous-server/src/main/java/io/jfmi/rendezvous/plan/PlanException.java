package io.jfmi.rendezvous.plan;

/** A report the planner cannot take (wrong round, rank or peer); the message says which and why. */
public final class PlanException extends Exception {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
