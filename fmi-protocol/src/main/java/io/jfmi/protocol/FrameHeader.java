package io.jfmi.protocol;

import java.nio.ByteBuffer;

/**
 * Flyweight codec for the fixed 28-byte data frame header (big-endian), followed by {@code length} raw bytes: first
 * {@code pad} zero bytes, then the payload.
 *
 * <pre>
 *  0      2    3     4    5     6      8      12     16     20       24       28
 *  +------+----+-----+----+-----+------+------+------+------+--------+--------+
 *  |magic |ver |flags| op | pad | comm | src  | dst  | tag  | length | total  |
 *  +------+----+-----+----+-----+------+------+------+------+--------+--------+
 * </pre>
 *
 * Senders pad large payloads to start {@link #PADDED_START} bytes after their frame does. On the development
 * machines (AMD Zen 3) the kernel copies received bytes with {@code rep movsb}, which ran at 2.5-3 GB/s instead of
 * 22-29 when the destination was 1 to 31 bytes past the source within a 64-byte line; a C exchange of 1 MiB each way
 * with a 28-byte header before each payload took 520-860 µs whatever the receive buffer's offset, with a 64-byte
 * one 240-350 µs (benchmarks/RESULTS.md). The padding is inside {@code length}, so whatever skips frames by their
 * length (the relay) is unchanged.
 *
 * A message of {@code total} bytes travels as one or more frames; the last carries {@link #FLAG_LAST}.
 * Relayed frames use the same header: the server checks {@code src} against the authenticated rank and
 * routes on {@code dst}, so relay needs no second envelope.
 */
public final class FrameHeader {
    public static final int SIZE = 28;
    /** Where a padded payload starts, counted from its frame's first byte. */
    public static final int PADDED_START = 64;
    /** The padding a sender puts before a large payload. */
    public static final int PAD = PADDED_START - SIZE;
    /** The most padding one byte can announce. */
    public static final int MAX_PAD = 255;
    public static final short MAGIC = (short) 0xF31F;
    /** 2: the byte at offset 5 counts padding (reserved and zero in 1). */
    public static final byte VERSION = 2;
    public static final int FLAG_LAST = 0x01;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int OP_OFFSET = 4;
    public static final int PAD_OFFSET = 5;
    public static final int COMM_OFFSET = 6;
    public static final int SRC_OFFSET = 8;
    public static final int DST_OFFSET = 12;
    public static final int TAG_OFFSET = 16;
    public static final int LENGTH_OFFSET = 20;
    public static final int TOTAL_OFFSET = 24;

    private FrameHeader() {
    }

    /** Writes a header without padding at absolute index {@code at}; the buffer's position is left alone. */
    public static void write(ByteBuffer b, int at, int flags, OpCode op, int comm, int src, int dst, int tag,
            int length, int total) {
        write(b, at, flags, op, comm, src, dst, tag, 0, length, total);
    }

    /**
     * Writes a header at absolute index {@code at} whose {@code length} bytes start with {@code pad} bytes of padding
     * (the caller writes them, zero); the buffer's position is left alone.
     */
    public static void write(ByteBuffer b, int at, int flags, OpCode op, int comm, int src, int dst, int tag,
            int pad, int length, int total) {
        b.putShort(at + MAGIC_OFFSET, MAGIC);
        b.put(at + VERSION_OFFSET, VERSION);
        b.put(at + FLAGS_OFFSET, (byte) flags);
        b.put(at + OP_OFFSET, (byte) op.code());
        b.put(at + PAD_OFFSET, (byte) pad);
        b.putShort(at + COMM_OFFSET, (short) comm);
        b.putInt(at + SRC_OFFSET, src);
        b.putInt(at + DST_OFFSET, dst);
        b.putInt(at + TAG_OFFSET, tag);
        b.putInt(at + LENGTH_OFFSET, length);
        b.putInt(at + TOTAL_OFFSET, total);
    }

    public static int flags(ByteBuffer b, int at) {
        return b.get(at + FLAGS_OFFSET) & 0xFF;
    }

    public static boolean isLast(ByteBuffer b, int at) {
        return (flags(b, at) & FLAG_LAST) != 0;
    }

    public static int opCode(ByteBuffer b, int at) {
        return b.get(at + OP_OFFSET) & 0xFF;
    }

    public static int comm(ByteBuffer b, int at) {
        return b.getShort(at + COMM_OFFSET) & 0xFFFF;
    }

    public static int src(ByteBuffer b, int at) {
        return b.getInt(at + SRC_OFFSET);
    }

    public static int dst(ByteBuffer b, int at) {
        return b.getInt(at + DST_OFFSET);
    }

    public static int tag(ByteBuffer b, int at) {
        return b.getInt(at + TAG_OFFSET);
    }

    /** Bytes after the header: the padding, then the payload. */
    public static int length(ByteBuffer b, int at) {
        return b.getInt(at + LENGTH_OFFSET);
    }

    /** Zero bytes between the header and the payload (counted in {@link #length}). */
    public static int pad(ByteBuffer b, int at) {
        return b.get(at + PAD_OFFSET) & 0xFF;
    }

    /** Payload bytes of the frame: its length less its padding. */
    public static int payloadLength(ByteBuffer b, int at) {
        return length(b, at) - pad(b, at);
    }

    public static int total(ByteBuffer b, int at) {
        return b.getInt(at + TOTAL_OFFSET);
    }

    /**
     * Checks the header fields that do not depend on who reads it.
     *
     * @param maxPayload the largest payload a frame may carry, its padding aside
     * @return null when the header is well formed, else what is wrong with it
     */
    public static String problem(ByteBuffer b, int at, int maxPayload) {
        short magic = b.getShort(at + MAGIC_OFFSET);
        if (magic != MAGIC) {
            return String.format("bad magic 0x%04x (expected 0x%04x): not a jfmi data frame", magic & 0xFFFF,
                    MAGIC & 0xFFFF);
        }
        int version = b.get(at + VERSION_OFFSET);
        if (version != VERSION) {
            return "unsupported frame version " + version + " (this build speaks " + VERSION + ")";
        }
        if (OpCode.fromCode(opCode(b, at)) == null) {
            return "unknown op code " + opCode(b, at);
        }
        int length = length(b, at);
        int pad = pad(b, at);
        int total = total(b, at);
        if (length < pad || length - pad > maxPayload) {
            return "frame length " + length + " with " + pad + " bytes of padding: payload outside 0.." + maxPayload;
        }
        if (total < length - pad) {
            return "message total " + total + " smaller than frame payload " + (length - pad);
        }
        return null;
    }

    /** A readable one-line rendering, for logs and error messages. */
    public static String describe(ByteBuffer b, int at) {
        OpCode op = OpCode.fromCode(opCode(b, at));
        return String.format("frame[op=%s src=%d dst=%d tag=%d length=%d%s total=%d%s]",
                op == null ? "?" + opCode(b, at) : op.displayName(), src(b, at), dst(b, at), tag(b, at),
                length(b, at), pad(b, at) == 0 ? "" : " pad=" + pad(b, at), total(b, at), isLast(b, at) ? " last" : "");
    }
}
