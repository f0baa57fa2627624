package io.jfmi.worker.cli;

import io.jfmi.core.Communicator;
import io.jfmi.core.FmiException;
import io.jfmi.worker.demo.PiDemo;
import io.jfmi.worker.demo.Soak;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One rank of a job. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Join a job as one rank and run a task on it.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions job;

    @Option(names = "--task", description = "What the job computes: ${COMPLETION-CANDIDATES} (default: "
            + "${DEFAULT-VALUE}).")
    Task task = Task.pi;

    @Option(names = "--samples", description = "Samples per rank for the pi task (default: ${DEFAULT-VALUE}).")
    long samples = 20_000_000;

    @Option(names = "--seconds", description = "How long the soak task runs (default: ${DEFAULT-VALUE}).")
    double seconds = 10;

    /** Tasks a rank can run: pi (estimate pi, combine with collectives), soak (verified allreduce loop). */
    enum Task {
        pi, soak
    }

    @Override
    public Integer call() {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        try (Communicator comm = Communicator.connect(job.toCommunicatorOptions())) {
            return switch (task) {
                case pi -> PiDemo.run(comm, samples, System.out);
                case soak -> Soak.run(comm, seconds, System.out);
            };
        } catch (FmiException e) {
            System.err.println("rank " + job.rank + " of job '" + job.job + "' failed: " + e.getMessage());
            return 2;
        }
    }
}
