package io.jfmi.worker.cli;

import picocli.CommandLine;

/**
 * Runs a picocli command the way every jfmi tool does: an unknown option or a bad value prints the problem (and the
 * usage) and exits 64, an unreadable file prints "error: ..." and exits 1 ({@link ExitCodes}).
 */
public final class Cli {
    /** Exit code for bad arguments or input files (BSD sysexits EX_USAGE). */
    public static final int BAD_ARGUMENTS = ExitCodes.BAD_ARGUMENTS;

    private Cli() {
    }

    public static int execute(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        invalidInputExitsWith(cl, BAD_ARGUMENTS);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return BAD_ARGUMENTS;
            }
            if (ex instanceof java.io.IOException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return ExitCodes.IO_ERROR;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** Picocli's usage errors exit 2 by default, which jfmi uses for a failed job; here they exit {@code code}. */
    private static void invalidInputExitsWith(CommandLine cl, int code) {
        cl.getCommandSpec().exitCodeOnInvalidInput(code);
        cl.getSubcommands().values().forEach(sub -> invalidInputExitsWith(sub, code));
    }
}
