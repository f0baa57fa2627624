package io.jfmi.rendezvous.metrics;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** Counters the server keeps, rendered as Prometheus text. */
public final class ServerMetrics {
    private final LongAdder connections = new LongAdder();
    private final LongAdder jobsFormed = new LongAdder();
    private final LongAdder relayedBytes = new LongAdder();
    private final LongAdder relayedFrames = new LongAdder();
    private final LongAdder relayPauses = new LongAdder();
    private final LongAdder jobsConnected = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder connectSeconds =
            new java.util.concurrent.atomic.DoubleAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> channels = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failovers = new ConcurrentHashMap<>();
    private volatile IntSupplier jobs = () -> 0;
    private volatile IntSupplier ranks = () -> 0;

    public void gauges(IntSupplier jobCount, IntSupplier rankCount) {
        this.jobs = jobCount;
        this.ranks = rankCount;
    }

    public void connectionOpened() {
        connections.increment();
    }

    public void jobFormed() {
        jobsFormed.increment();
    }

    public void relayed(int bytes) {
        relayedBytes.add(bytes);
        relayedFrames.increment();
    }

    /** A job's channel plan is final: {@code seconds} from all ranks registered to every pair planned. */
    public void jobConnected(double seconds) {
        jobsConnected.increment();
        connectSeconds.add(seconds);
    }

    public void relayPaused() {
        relayPauses.increment();
    }

    /** Counts an error by kind, e.g. "auth_failed", "malformed_frame". */
    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** Counts a direct link moved to the relay mid-job, by what failed first ("stall", "error", "eof"). */
    public void linkFailover(String cause) {
        failovers.computeIfAbsent(cause, k -> new LongAdder()).increment();
    }

    /** Counts a rank pair's channel by kind ("direct" or "relay"). */
    public void channel(String kind, int pairs) {
        channels.computeIfAbsent(kind, k -> new LongAdder()).add(pairs);
    }

    public long relayedBytes() {
        return relayedBytes.sum();
    }

    public long errorCount(String kind) {
        LongAdder a = errors.get(kind);
        return a == null ? 0 : a.sum();
    }

    public String prometheus() {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "jfmi_jobs", "Jobs currently held by the server", jobs.getAsInt());
        gauge(sb, "jfmi_ranks", "Ranks currently connected", ranks.getAsInt());
        counter(sb, "jfmi_connections_total", "Connections accepted", connections.sum());
        Runtime rt = Runtime.getRuntime();
        gauge(sb, "jfmi_heap_used_bytes", "Java heap in use by the server", rt.totalMemory() - rt.freeMemory());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            sb.append("# HELP jfmi_process_cpu_seconds_total CPU time the server process used\n");
            sb.append("# TYPE jfmi_process_cpu_seconds_total counter\n");
            sb.append(String.format(java.util.Locale.ROOT, "jfmi_process_cpu_seconds_total %.3f%n",
                    os.getProcessCpuTime() / 1e9));
        }
        counter(sb, "jfmi_jobs_formed_total", "Jobs whose ranks all registered", jobsFormed.sum());
        counter(sb, "jfmi_relayed_bytes_total", "Data frame bytes forwarded by the relay", relayedBytes.sum());
        counter(sb, "jfmi_relayed_frames_total", "Data frames forwarded by the relay", relayedFrames.sum());
        counter(sb, "jfmi_relay_pauses_total", "Times a relay sender was paused for a slow receiver",
                relayPauses.sum());
        sb.append("# HELP jfmi_job_connect_seconds Time from a job forming to its final channel plan\n");
        sb.append("# TYPE jfmi_job_connect_seconds summary\n");
        sb.append(String.format(java.util.Locale.ROOT, "jfmi_job_connect_seconds_sum %.6f%n", connectSeconds.sum()));
        sb.append("jfmi_job_connect_seconds_count ").append(jobsConnected.sum()).append('\n');
        sb.append("# HELP jfmi_channel_pairs_total Rank pairs by channel kind (local, lan, punched, relay)\n");
        sb.append("# TYPE jfmi_channel_pairs_total counter\n");
        new TreeMap<>(channels).forEach((k, v) -> sb.append("jfmi_channel_pairs_total{kind=\"").append(k)
                .append("\"} ").append(v.sum()).append('\n'));
        sb.append("# HELP jfmi_link_failovers_total Direct links moved to the relay mid-job, by what failed first\n");
        sb.append("# TYPE jfmi_link_failovers_total counter\n");
        new TreeMap<>(failovers).forEach((k, v) -> sb.append("jfmi_link_failovers_total{reason=\"").append(k)
                .append("\"} ").append(v.sum()).append('\n'));
        sb.append("# HELP jfmi_errors_total Errors by kind\n");
        sb.append("# TYPE jfmi_errors_total counter\n");
        new TreeMap<>(errors).forEach((k, v) -> sb.append("jfmi_errors_total{kind=\"").append(k).append("\"} ")
                .append(v.sum()).append('\n'));
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        sb.append(name).append(' ').append(value).append('\n');
    }
}
