package io.jfmi.protocol;

/** What a data frame belongs to. Travels in every frame header so mismatched collectives are caught by name. */
public enum OpCode {
    SEND_RECV(0, "send/recv"),
    BARRIER(1, "barrier"),
    BCAST(2, "bcast"),
    GATHER(3, "gather"),
    SCATTER(4, "scatter"),
    ALLGATHER(5, "allgather"),
    REDUCE(6, "reduce"),
    ALLREDUCE(7, "allreduce"),
    SCAN(8, "scan"),
    REDUCE_SCATTER(9, "reduceScatter"),
    ALLTOALL(10, "alltoall"),
    /**
     * Link-level, header only: the sender's next message comes whole on the pair's second connection (a direct link
     * with two; the receiver reads it there, then comes back to this one).
     */
    NEXT_ON_SECOND(14, "next-on-second"),
    /** Link-level acknowledgement on a healing direct link: its 8-byte payload is the stream offset taken. */
    ACK(15, "ack");

    private static final OpCode[] BY_CODE = new OpCode[16];

    static {
        for (OpCode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;
    private final String displayName;

    OpCode(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    public int code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    /** The op for a wire code, or null when the code is unknown (a malformed frame). */
    public static OpCode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
