package io.jfmi.benchmarks.connect;

import io.jfmi.worker.launch.LocalServer;
import io.jfmi.worker.launch.RankProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code benchmarks.jar connect}: time until every rank of a job holds its links, direct and relayed. */
@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time to a fully connected job: for each rank count and channel mode, start a server and "
                + "one JVM per rank on this host; rank 0 reports the slowest rank's setup time.")
public final class ConnectCommand implements Callable<Integer> {
    @Option(names = "--ranks", split = ",", description = "Rank counts (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(8, 32);

    @Option(names = "--modes", split = ",", description = "direct and/or relay (default: ${DEFAULT-VALUE}).")
    List<String> modes = List.of("direct", "relay");

    @Option(names = "--repeats", description = "Jobs per point (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Override
    public Integer call() throws Exception {
        for (String mode : modes) {
            if (!mode.equals("direct") && !mode.equals("relay")) {
                throw new IllegalArgumentException("--modes takes direct and relay, not '" + mode + "'");
            }
        }
        System.out.println("mode    ranks  setup_max_ms  setup_mean_ms  jvm_start_to_connected_max_ms  pairs");
        int failures = 0;
        for (int n : ranks) {
            for (String mode : modes) {
                for (int rep = 0; rep < repeats; rep++) {
                    List<String> args = new ArrayList<>();
                    if (mode.equals("relay")) {
                        args.add("--force-relay");
                    }
                    List<String> result = new ArrayList<>();
                    try (LocalServer server = LocalServer.start()) {
                        RankProcesses.Spec spec = new RankProcesses.Spec(n, List.of("-Xmx128m", "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1", "-Djfmi.log.level=WARN"), ConnectBenchRank.class.getName(),
                                args, server.address(), "connect-" + n, server.secretFile(), Duration.ofMinutes(5),
                                Duration.ofSeconds(30));
                        RankProcesses.Outcome out = RankProcesses.run(spec, (rank, line) -> {
                            if (line.startsWith("RESULT ")) {
                                result.add(line.substring(7));
                            } else if (line.contains("failed")) {
                                System.err.println("[rank " + rank + "] " + line);
                            }
                        });
                        if (!out.succeeded() || result.isEmpty()) {
                            failures++;
                            System.out.printf("%-7s %5d  FAILED (exit codes %s)%n", mode, n, out.exitCodes());
                            continue;
                        }
                    }
                    String r = result.get(0);
                    System.out.printf("%-7s %5d  %12s  %13s  %29s  %s%n", mode, n, field(r, "setup_max_ms"),
                            field(r, "setup_mean_ms"), field(r, "jvm_start_to_connected_max_ms"), field(r, "pairs"));
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static String field(String line, String name) {
        int at = line.indexOf(name + "=");
        if (at < 0) {
            return "?";
        }
        String rest = line.substring(at + name.length() + 1);
        return name.equals("pairs") ? rest : rest.split(" ")[0];
    }
}
