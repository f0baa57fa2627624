package io.jfmi.core;

/** How a pair of ranks reaches each other, in the order jfmi prefers them. */
public enum LinkKind {
    /** Direct TCP over loopback: both ranks on one host. */
    LOCAL("local"),
    /** Direct TCP to a LAN/private address of the peer. */
    LAN("lan"),
    /** Direct TCP through NATs after simultaneous-open hole punching. */
    PUNCHED("punched"),
    /** Frames forwarded by the rendezvous server. */
    RELAY("relay");

    private final String label;

    LinkKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
