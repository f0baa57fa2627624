package io.jfmi.worker.cli;

import io.jfmi.worker.launch.LocalServer;
import io.jfmi.worker.launch.RankProcesses;
import io.jfmi.worker.WorkerMain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A whole job on this machine: a rendezvous server plus one JVM per rank. */
@Command(name = "launch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start a local job: a rendezvous server in this process and one worker JVM per rank; "
                + "print each rank's output and a summary. Exits non-zero when any rank fails.")
public final class LaunchCommand implements Callable<Integer> {
    @Option(names = "--world-size", description = "Number of rank JVMs (default: ${DEFAULT-VALUE}).")
    int worldSize = 4;

    @Option(names = "--task", description = "Task each rank runs: pi (default: ${DEFAULT-VALUE}).")
    String task = "pi";

    @Option(names = "--samples", description = "Samples per rank for the pi task (default: ${DEFAULT-VALUE}).")
    long samples = 20_000_000;

    @Option(names = "--job", description = "Job id (default: local-<time>).")
    String jobId;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Per-call deadline inside the ranks (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 60;

    @Option(names = "--deadline", paramLabel = "SECONDS",
            description = "The whole job must finish within this, else every rank is killed (default: "
                    + "${DEFAULT-VALUE}).")
    long deadlineSeconds = 600;

    @Option(names = "--force-relay", description = "Relay every pair through the server.")
    boolean forceRelay;

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "Extra JVM option for every rank (repeatable; "
            + "default: -Xmx512m).")
    List<String> jvmOpts = new ArrayList<>(List.of("-Xmx512m"));

    @Override
    public Integer call() throws Exception {
        if (worldSize < 1 || worldSize > 256) {
            throw new IllegalArgumentException("--world-size must be 1..256 for a local job, got " + worldSize);
        }
        String id = jobId != null ? jobId : "local-" + System.currentTimeMillis();
        try (LocalServer server = LocalServer.start()) {
            System.out.printf("jfmi launch: job '%s', %d ranks, rendezvous %s%s%n", id, worldSize, server.address(),
                    forceRelay ? ", all pairs relayed" : "");
            List<String> args = new ArrayList<>(List.of("run", "--task", task, "--samples", Long.toString(samples),
                    "--timeout", Long.toString(timeoutSeconds)));
            if (forceRelay) {
                args.add("--force-relay");
            }
            RankProcesses.Spec spec = new RankProcesses.Spec(worldSize, jvmOpts, WorkerMain.class.getName(), args,
                    server.address(), id, server.secretFile(), Duration.ofSeconds(deadlineSeconds),
                    Duration.ofSeconds(timeoutSeconds + 10));
            RankProcesses.Outcome outcome = RankProcesses.run(spec, RankProcesses.printer(System.out));
            System.out.printf("jfmi launch: job '%s' %s in %.1f s; exit codes %s; relayed %,d bytes%n", id,
                    outcome.succeeded() ? "succeeded" : outcome.timedOut() ? "TIMED OUT" : "FAILED",
                    outcome.wallMillis() / 1000.0, outcome.exitCodes(), server.server().metrics().relayedBytes());
            if (!outcome.succeeded() && outcome.firstFailedRank() >= 0) {
                System.out.printf("jfmi launch: rank %d failed first (see its lines above)%n",
                        outcome.firstFailedRank());
            }
            return outcome.succeeded() ? 0 : 1;
        }
    }
}
