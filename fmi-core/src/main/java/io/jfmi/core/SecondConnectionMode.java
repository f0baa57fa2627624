package io.jfmi.core;

/**
 * Whether dialed direct links (loopback, LAN) that do not heal open a second connection for the dialer's large
 * messages. Only the dialer's choice counts (the acceptor learns it from the handshake), so ranks need not agree.
 */
public enum SecondConnectionMode {
    /** While the ranks on this host do not outnumber its cores: the second direction needs an idle core to gain. */
    AUTO,
    /** Always (measurements with more ranks than cores). */
    ON,
    /** Never: one connection carries everything. */
    OFF;

    /** True when a rank sharing its host with {@code ranksOnHost} ranks on {@code cores} cores opens the second. */
    public boolean opens(int ranksOnHost, int cores) {
        return this == ON || (this == AUTO && ranksOnHost <= cores);
    }
}
