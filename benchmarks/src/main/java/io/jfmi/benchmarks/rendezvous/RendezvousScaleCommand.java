package io.jfmi.benchmarks.rendezvous;

import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.proto.ControlMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Many ranks registering at once with one rendezvous server (its own JVM): lightweight simulated ranks, all in
 * this JVM on a few Netty event loops, each a real TCP connection speaking the real protocol up to the channel plan.
 */
@Command(name = "rendezvous", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scale of the rendezvous server: N simulated ranks (real sockets, the real protocol up to the "
                + "peer table and the channel plan) register at once, split into jobs; reports p50/p99/max from hello "
                + "to peer table and to channel plan, the server's CPU seconds and its peak heap."})
public final class RendezvousScaleCommand implements Callable<Integer> {
    private static final String SECRET = "scale-secret-0123456789";

    @Option(names = "--ranks", split = ",", description = "Rank counts, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(1000, 10_000);

    @Option(names = "--ranks-per-job", description = "Ranks per job: N ranks make N / this jobs (default: "
            + "${DEFAULT-VALUE}).")
    int ranksPerJob = 100;

    @Option(names = "--server-heap", description = "-Xmx of the server JVM (default: ${DEFAULT-VALUE}).")
    String serverHeap = "512m";

    @Option(names = "--timeout", description = "Seconds a run may take (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 120;

    @Option(names = "--out", description = "Also write rendezvous.md into this directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        for (int n : ranks) {
            if (n < 1 || n % ranksPerJob != 0 && n > ranksPerJob) {
                throw new IllegalArgumentException("--ranks " + n + " must be a multiple of --ranks-per-job "
                        + ranksPerJob);
            }
        }
        StringBuilder table = new StringBuilder("| ranks | jobs | failed | hello to peer table p50 / p99 / max ms | "
                + "hello to plan p50 / p99 / max ms | wall s | server CPU s | server peak heap MB |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (int n : ranks) {
            table.append(run(n)).append('\n');
        }
        System.out.print(table);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("rendezvous.md"), table);
        }
        return 0;
    }

    private String run(int n) throws Exception {
        int perJob = Math.min(n, ranksPerJob);
        int jobs = n / perJob;
        try (ServerProcess server = ServerProcess.start(serverHeap, SECRET, List.of("--max-jobs",
                Integer.toString(jobs + 16), "--max-world-size", Integer.toString(perJob), "--max-pending-handshakes",
                Integer.toString(n + 100)))) {
            ServerWatcher heap = new ServerWatcher(server.httpPort());
            heap.start();
            double cpuBefore = heap.cpuSeconds();
            CountDownLatch done = new CountDownLatch(n);
            List<SimulatedRank> sims = new ArrayList<>(n);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            long start = System.nanoTime();
            try {
                Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
                for (int j = 0; j < jobs; j++) {
                    for (int r = 0; r < perJob; r++) {
                        SimulatedRank sim = new SimulatedRank("scale-" + j, r, perJob,
                                SECRET.getBytes(StandardCharsets.UTF_8), done);
                        sims.add(sim);
                        b.clone().handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(
                                        ControlCodec.MAX_CONTROL_MESSAGE + 4, 0, 4, 0, 4))
                                        .addLast(new ProtobufDecoder(ControlMessage.getDefaultInstance()))
                                        .addLast(new LengthFieldPrepender(4)).addLast(new ProtobufEncoder())
                                        .addLast(sim);
                            }
                        }).connect("127.0.0.1", server.port()).addListener(f -> {
                            if (!f.isSuccess()) {
                                sim.failure = "connect: " + f.cause();
                                done.countDown();
                            }
                        });
                    }
                }
                if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                    System.err.printf("rendezvous scale: %d ranks not finished within %d s%n", done.getCount(),
                            timeoutSeconds);
                }
            } finally {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = heap.cpuSeconds() - cpuBefore;
            heap.stop();
            long failed = sims.stream().filter(s -> s.planNanos < 0).count();
            sims.stream().filter(s -> s.failure != null).map(s -> s.failure).distinct().limit(5)
                    .forEach(f -> System.err.println("rendezvous scale: a rank failed: " + f));
            String row = String.format(Locale.ROOT, "| %d | %d | %d | %s | %s | %.2f | %.2f | %d |", n, jobs, failed,
                    quantiles(sims.stream().mapToLong(s -> s.peerTableNanos).filter(t -> t >= 0).toArray()),
                    quantiles(sims.stream().mapToLong(s -> s.planNanos).filter(t -> t >= 0).toArray()), wall, cpu,
                    heap.peakBytes() >> 20);
            System.err.println("rendezvous scale: " + row);
            return row;
        }
    }

    static String quantiles(long[] nanos) {
        if (nanos.length == 0) {
            return "-";
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", s[(int) Math.min(s.length - 1, s.length * 0.5)] / 1e6,
                s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6, s[s.length - 1] / 1e6);
    }

}
