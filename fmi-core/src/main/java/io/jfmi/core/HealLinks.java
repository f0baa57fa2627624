package io.jfmi.core;

/**
 * Which direct links keep a copy of what they sent until the peer confirms it, so that a link that breaks or stalls
 * mid-job moves its pair to the server's relay without losing or repeating a message. Every rank of a job must
 * choose the same.
 */
public enum HealLinks {
    /** No link heals: a broken direct link fails the operation, as a dead peer does. */
    OFF,
    /** Hole-punched links heal (the ones NATs break); loopback and LAN links do not pay for it. */
    PUNCHED,
    /** Every direct link heals (for tests, or networks whose LAN paths are not trusted to stay up). */
    ALL;

    /** True when a direct link of this kind keeps what it sent until acknowledged. */
    public boolean covers(LinkKind kind) {
        return switch (this) {
            case OFF -> false;
            case PUNCHED -> kind == LinkKind.PUNCHED;
            case ALL -> kind != LinkKind.RELAY;
        };
    }
}
