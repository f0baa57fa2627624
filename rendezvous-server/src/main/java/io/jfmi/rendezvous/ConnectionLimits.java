package io.jfmi.rendezvous;

/**
 * Bounds on what connections may hold of the server, each refusal an error naming the limit and counted in
 * {@code /metrics}.
 *
 * @param perAddress        open connections from one IP address (default 10,000: Lambda functions in a VPC
 *                          often share one NAT address, so this is a guard against a runaway client, not a quota)
 * @param pendingHandshakes connections that have not finished hello and proof yet, server-wide (default 2,000)
 * @param relayBufferBytes  unsent relayed bytes queued for one receiving rank before its senders are paused
 *                          (default 2 MiB; they resume below a quarter of it)
 */
public record ConnectionLimits(int perAddress, int pendingHandshakes, int relayBufferBytes) {
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(10_000, 2_000, 2 << 20);

    void validate() {
        if (perAddress < 1) {
            throw new IllegalArgumentException("--max-connections-per-address must be >= 1, got " + perAddress);
        }
        if (pendingHandshakes < 1) {
            throw new IllegalArgumentException("--max-pending-handshakes must be >= 1, got " + pendingHandshakes);
        }
        if (relayBufferBytes < 64 * 1024 || relayBufferBytes > (256 << 20)) {
            throw new IllegalArgumentException("--relay-buffer-bytes must be 64 KiB..256 MiB, got "
                    + relayBufferBytes);
        }
    }
}
