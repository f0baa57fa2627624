package io.jfmi.benchmarks;

import io.jfmi.worker.job.ProcessProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine facts that move loopback latencies of every system alike, printed beside a benchmark's rows: the CPU,
 * the kernel, TCP's congestion control (BBR paces each socket with its own timers, reno does not), the default
 * queueing discipline and the network namespace the run is in. Without them, two runs' tables cannot be compared.
 */
public final class HostFacts {
    private final Path proc;

    /** Facts of this machine, read from {@code /proc}. */
    public HostFacts() {
        this(Path.of("/proc"));
    }

    /** Facts read from another procfs root (a test, or a namespace's view). */
    public HostFacts(Path proc) {
        this.proc = proc;
    }

    /** One line, e.g. "host: Intel(R) Xeon(R) Processor x2, kernel 6.1.0, TCP congestion control bbr, ...". */
    public String describe() {
        return String.format(Locale.ROOT, "host: %s, kernel %s, TCP congestion control %s, default qdisc %s, "
                        + "network namespace %s%n", ProcessProbe.cpuInfo(), read("sys/kernel/osrelease"),
                congestionControl(), read("sys/net/core/default_qdisc"), namespace());
    }

    /** The congestion control new TCP sockets get here ("unknown" where procfs does not say). */
    public String congestionControl() {
        return read("sys/net/ipv4/tcp_congestion_control");
    }

    private String namespace() {
        try {
            return Files.readSymbolicLink(proc.resolve("self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }

    private String read(String file) {
        try {
            String value = Files.readString(proc.resolve(file)).trim();
            return value.isEmpty() ? "unknown" : value;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
