package io.jfmi.core.channel;

/**
 * Collective tags: the communicator's call number in the high bits and the round within the call in the low
 * {@link #ROUND_BITS}. Equal tags with different ops mean two ranks are in different collectives.
 */
public final class Tags {
    public static final int ROUND_BITS = 10;
    public static final int MAX_ROUNDS = 1 << ROUND_BITS;

    private Tags() {
    }

    public static int of(int call, int round) {
        if (round < 0 || round >= MAX_ROUNDS) {
            throw new IllegalArgumentException("round " + round + " outside 0.." + (MAX_ROUNDS - 1));
        }
        return (call << ROUND_BITS) | round;
    }

    public static int callOf(int tag) {
        return tag >>> ROUND_BITS;
    }
}
