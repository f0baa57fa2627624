package io.jfmi.benchmarks.connect;

import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.FmiException;
import io.jfmi.core.LinkKind;
import io.jfmi.worker.cli.JobOptions;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * One rank of the connection benchmark: joins, reports how long joining took (registration, link setup,
 * channel plan) and how long since its JVM started; rank 0 prints one RESULT line for the job.
 */
@Command(name = "connect-bench-rank", mixinStandardHelpOptions = true)
public final class ConnectBenchRank implements Callable<Integer> {
    @Mixin
    JobOptions job;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConnectBenchRank()).execute(args));
    }

    @Override
    public Integer call() {
        try (Communicator comm = Communicator.connect(job.toCommunicatorOptions())) {
            long sinceJvmStart = ProcessHandle.current().info().startInstant()
                    .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
            int[] kinds = new int[LinkKind.values().length];
            for (int p = 0; p < comm.size(); p++) {
                if (p != comm.rank()) {
                    kinds[comm.linkKind(p).ordinal()]++;
                }
            }
            double[] mine = {comm.setupMillis(), sinceJvmStart};
            double[] all = comm.rank() == 0 ? new double[2 * comm.size()] : null;
            comm.gather(DataBuffer.of(mine), all == null ? null : DataBuffer.of(all), 0);
            int[] kindTotals = new int[kinds.length];
            comm.reduce(DataBuffer.of(kinds), comm.rank() == 0 ? DataBuffer.of(kindTotals) : null,
                    io.jfmi.core.ReduceOp.SUM, 0);
            if (comm.rank() == 0) {
                double maxSetup = 0;
                double sumSetup = 0;
                double maxStart = 0;
                for (int r = 0; r < comm.size(); r++) {
                    maxSetup = Math.max(maxSetup, all[2 * r]);
                    sumSetup += all[2 * r];
                    maxStart = Math.max(maxStart, all[2 * r + 1]);
                }
                StringBuilder k = new StringBuilder();
                for (LinkKind kind : LinkKind.values()) {
                    if (kindTotals[kind.ordinal()] > 0) {
                        k.append(k.length() == 0 ? "" : " ").append(kind.label()).append('=')
                                .append(kindTotals[kind.ordinal()] / 2);
                    }
                }
                System.out.println(String.format(Locale.ROOT, "RESULT ranks=%d setup_max_ms=%.0f setup_mean_ms=%.0f "
                        + "jvm_start_to_connected_max_ms=%.0f pairs=%s", comm.size(), maxSetup,
                        sumSetup / comm.size(), maxStart, k));
            }
            return 0;
        } catch (FmiException e) {
            System.out.println("rank " + job.rank + " failed: " + e.getMessage());
            return 2;
        }
    }
}
