package io.jfmi.core;

/**
 * A failure to inject into one direct link of this rank, for tests and for measuring recovery: after this rank has
 * written {@code afterBytes} bytes to {@code peer}, the link is either cut (the socket closes, the peer reads end of
 * stream) or frozen (nothing more is read or written, as when a NAT silently drops the flow). Never set in
 * production: {@link CommunicatorOptions.Builder#linkFault} is the only way in.
 */
public record LinkFault(int peer, long afterBytes, Kind kind) {
    public enum Kind {
        CUT, FREEZE
    }

    public LinkFault {
        if (peer < 0) {
            throw new IllegalArgumentException("linkFault peer must be a rank >= 0, got " + peer);
        }
        if (afterBytes < 0) {
            throw new IllegalArgumentException("linkFault afterBytes must be >= 0, got " + afterBytes);
        }
        if (kind == null) {
            throw new IllegalArgumentException("linkFault kind is required");
        }
    }

    public static LinkFault cut(int peer, long afterBytes) {
        return new LinkFault(peer, afterBytes, Kind.CUT);
    }

    public static LinkFault freeze(int peer, long afterBytes) {
        return new LinkFault(peer, afterBytes, Kind.FREEZE);
    }
}
