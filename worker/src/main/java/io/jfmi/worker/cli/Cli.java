package io.jfmi.worker.cli;

import picocli.CommandLine;

/** Runs a picocli command the way every jfmi tool does: a bad value prints "error: ..." and exits 64. */
public final class Cli {
    /** Exit code for bad arguments or input files (BSD sysexits EX_USAGE). */
    public static final int BAD_ARGUMENTS = 64;

    private Cli() {
    }

    public static int execute(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return BAD_ARGUMENTS;
            }
            if (ex instanceof java.io.IOException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
