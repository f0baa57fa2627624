package io.jfmi.benchmarks.rendezvous;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;

/** Polls a rendezvous server's /metrics: its heap in use (keeping the peak), CPU time and any counter. */
final class ServerWatcher {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI metrics;
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    ServerWatcher(int httpPort) {
        this.metrics = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
    }

    void start() {
        thread = new Thread(() -> {
            while (running) {
                value("jfmi_heap_used_bytes").ifPresent(v -> peak.accumulateAndGet((long) v, Math::max));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(1000);
    }

    long peakBytes() {
        return peak.get();
    }

    double cpuSeconds() {
        return value("jfmi_process_cpu_seconds_total").orElse(Double.NaN);
    }

    /** The first sample of {@code name} in /metrics, or empty when the server does not answer. */
    OptionalDouble value(String name) {
        try {
            String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            return body.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(
                    l.substring(name.length() + 1).trim())).findFirst();
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }
}
