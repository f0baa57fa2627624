package io.jfmi.rendezvous;

import io.jfmi.protocol.SecretFile;
import io.jfmi.rendezvous.tls.TlsFiles;
import java.time.Duration;

/**
 * Server settings, each with its default; {@link #validate()} names the first bad one.
 *
 * @param host             address to bind (default 0.0.0.0)
 * @param port             control and relay port (default 7700; 0 = any free port)
 * @param httpPort         health and metrics port (default 7701; 0 = any free port; -1 = off)
 * @param secrets          job secrets
 * @param maxFramePayload  largest relayed data frame payload in bytes (default 1 MiB)
 * @param maxJobs          jobs held at once (default 1024)
 * @param maxWorldSize     ranks per job (default 1024)
 * @param jobIdleTimeout   a job still forming, or with no connected rank, is forgotten after this (default 10 min)
 * @param handshakeTimeout a connection must say hello and authenticate within this (default 30 s)
 * @param connections      per-address, pending-handshake and relay-buffer limits
 * @param tls              certificate and key for TLS on the control and relay port, or null for plain TCP
 */
public record ServerConfig(String host, int port, int httpPort, SecretFile secrets, int maxFramePayload, int maxJobs,
        int maxWorldSize, Duration jobIdleTimeout, Duration handshakeTimeout, ConnectionLimits connections,
        TlsFiles tls) {

    public static final int DEFAULT_PORT = 7700;
    public static final int DEFAULT_HTTP_PORT = 7701;

    public static ServerConfig defaults(SecretFile secrets) {
        return new ServerConfig("0.0.0.0", DEFAULT_PORT, DEFAULT_HTTP_PORT, secrets, 1 << 20, 1024, 1024,
                Duration.ofMinutes(10), Duration.ofSeconds(30), ConnectionLimits.DEFAULTS, null);
    }

    public ServerConfig withPorts(String newHost, int newPort, int newHttpPort) {
        return new ServerConfig(newHost, newPort, newHttpPort, secrets, maxFramePayload, maxJobs, maxWorldSize,
                jobIdleTimeout, handshakeTimeout, connections, tls);
    }

    public ServerConfig withLimits(int newMaxFramePayload, int newMaxJobs, int newMaxWorldSize, Duration idle,
            Duration handshake) {
        return new ServerConfig(host, port, httpPort, secrets, newMaxFramePayload, newMaxJobs, newMaxWorldSize, idle,
                handshake, connections, tls);
    }

    public ServerConfig withConnectionLimits(ConnectionLimits limits) {
        return new ServerConfig(host, port, httpPort, secrets, maxFramePayload, maxJobs, maxWorldSize, jobIdleTimeout,
                handshakeTimeout, limits, tls);
    }

    public ServerConfig withTls(TlsFiles files) {
        return new ServerConfig(host, port, httpPort, secrets, maxFramePayload, maxJobs, maxWorldSize, jobIdleTimeout,
                handshakeTimeout, connections, files);
    }

    public ServerConfig withSecrets(SecretFile newSecrets) {
        return new ServerConfig(host, port, httpPort, newSecrets, maxFramePayload, maxJobs, maxWorldSize,
                jobIdleTimeout, handshakeTimeout, connections, tls);
    }

    /** Validates everything, the secrets and TLS files included; names the first bad setting. */
    public ServerConfig validate() {
        validateSettings();
        if (secrets == null) {
            throw new IllegalArgumentException("a secret file is required");
        }
        if (tls != null) {
            tls.validate();
        }
        return this;
    }

    /** Validates the ports and limits only: what can be checked before any file is read or written. */
    public ServerConfig validateSettings() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be -1 (off) or 0..65535, got " + httpPort);
        }
        if (maxFramePayload < 1024 || maxFramePayload > (64 << 20)) {
            throw new IllegalArgumentException("--max-frame-bytes must be 1 KiB..64 MiB, got " + maxFramePayload);
        }
        if (maxJobs < 1) {
            throw new IllegalArgumentException("--max-jobs must be >= 1, got " + maxJobs);
        }
        if (maxWorldSize < 1) {
            throw new IllegalArgumentException("--max-world-size must be >= 1, got " + maxWorldSize);
        }
        if (jobIdleTimeout.isNegative() || jobIdleTimeout.isZero()) {
            throw new IllegalArgumentException("--job-idle-timeout must be positive, got " + jobIdleTimeout);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("--handshake-timeout must be positive, got " + handshakeTimeout);
        }
        connections.validate();
        return this;
    }
}
