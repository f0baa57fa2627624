package io.jfmi.worker;

import io.jfmi.worker.storage.S3Clients;
import io.jfmi.worker.storage.S3Settings;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy, a real S3-compatible server (in-memory store), started as its own JVM from the jar Maven copied to
 * target/s3proxy, on a free loopback port. Its dependencies (Netty 4.1, Jetty) stay out of our classpath.
 */
public final class S3ProxyProcess implements AutoCloseable {
    public static final String ACCESS_KEY = "jfmi-test-access";
    public static final String SECRET_KEY = "jfmi-test-secret-key";

    private final Process process;
    public final int port;
    public final Path log;

    public S3ProxyProcess(Path dir) throws IOException, InterruptedException {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (mvn verify), which "
                    + "copies it there");
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY, "jclouds.provider=transient", "") );
        log = dir.resolve("s3proxy.log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("S3Proxy did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint()).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            int code = c.getResponseCode(); // any HTTP answer (403 without credentials) means it is serving
            c.disconnect();
            return code > 0;
        } catch (IOException e) {
            return false;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The environment a handler JVM needs to reach this server. */
    public Map<String, String> clientEnvironment() {
        return Map.of("JFMI_S3_ENDPOINT", endpoint(), "JFMI_S3_ACCESS_KEY", ACCESS_KEY, "JFMI_S3_SECRET_KEY",
                SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    public S3Settings settings() {
        return S3Settings.fromEnvironment(clientEnvironment());
    }

    public void createBucket(String name) {
        try (S3Client c = S3Clients.create(settings())) {
            c.createBucket(b -> b.bucket(name));
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
