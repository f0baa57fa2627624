package io.jfmi.worker;

import java.util.concurrent.TimeUnit;

/** Stopping the servers tests start as child processes. */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** SIGTERM, up to 10 s to exit, then SIGKILL. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
