package io.jfmi.worker;

import io.jfmi.core.Communicator;
import io.jfmi.core.CommunicatorOptions;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.ReduceOp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A rank that a test kills: joins the job, says when it is connected, then runs allreduces of a given size until
 * it is killed. Arguments: rendezvous job secret rank worldSize bytes relay(true|false).
 */
public final class VictimRank {
    private VictimRank() {
    }

    public static void main(String[] args) {
        CommunicatorOptions options = CommunicatorOptions.builder().rendezvous(args[0]).jobId(args[1])
                .secret(args[2].getBytes(StandardCharsets.UTF_8)).rank(Integer.parseInt(args[3]))
                .worldSize(Integer.parseInt(args[4])).forceRelay(Boolean.parseBoolean(args[6]))
                .operationTimeout(Duration.ofSeconds(30)).joinTimeout(Duration.ofSeconds(30)).build();
        System.out.println("STARTED");
        try (Communicator comm = Communicator.connect(options)) {
            System.out.println("CONNECTED");
            double[] mine = new double[Math.max(1, Integer.parseInt(args[5]) / 8)];
            double[] sum = new double[mine.length];
            DataBuffer in = DataBuffer.of(mine);
            DataBuffer out = DataBuffer.of(sum);
            for (long i = 0; ; i++) {
                comm.allreduce(in, out, ReduceOp.SUM);
                if (i == 0) {
                    System.out.println("COLLECTIVES");
                }
            }
        }
    }
}
