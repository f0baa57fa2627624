package io.jfmi.worker.cli;

/** The exit codes every jfmi command uses, as the README lists them. */
public final class ExitCodes {
    public static final int OK = 0;
    /** An input or output file could not be read or written. */
    public static final int IO_ERROR = 1;
    /** The job failed: a rank failed, timed out or was aborted (the message names the op, the rank and the cause). */
    public static final int JOB_FAILED = 2;
    /** The job ran but its combined result is wrong (the pi task's check). */
    public static final int WRONG_RESULT = 3;
    /** Bad arguments or a bad event: unknown option, bad value, missing file named by an option (sysexits EX_USAGE). */
    public static final int BAD_ARGUMENTS = 64;

    private ExitCodes() {
    }
}
