package io.jfmi.protocol;

import java.nio.ByteBuffer;

/**
 * Flyweight codec for the fixed 28-byte data frame header (big-endian), followed by {@code length} raw bytes.
 *
 * <pre>
 *  0      2    3     4    5     6      8      12     16     20       24       28
 *  +------+----+-----+----+-----+------+------+------+------+--------+--------+
 *  |magic |ver |flags| op | rsv | comm | src  | dst  | tag  | length | total  |
 *  +------+----+-----+----+-----+------+------+------+------+--------+--------+
 * </pre>
 *
 * A message of {@code total} bytes travels as one or more frames; the last carries {@link #FLAG_LAST}.
 * Relayed frames use the same header: the server checks {@code src} against the authenticated rank and
 * routes on {@code dst}, so relay needs no second envelope.
 */
public final class FrameHeader {
    public static final int SIZE = 28;
    public static final short MAGIC = (short) 0xF31F;
    public static final byte VERSION = 1;
    public static final int FLAG_LAST = 0x01;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int OP_OFFSET = 4;
    public static final int COMM_OFFSET = 6;
    public static final int SRC_OFFSET = 8;
    public static final int DST_OFFSET = 12;
    public static final int TAG_OFFSET = 16;
    public static final int LENGTH_OFFSET = 20;
    public static final int TOTAL_OFFSET = 24;

    private FrameHeader() {
    }

    /** Writes a header at absolute index {@code at}; the buffer's position is left alone. */
    public static void write(ByteBuffer b, int at, int flags, OpCode op, int comm, int src, int dst, int tag,
            int length, int total) {
        b.putShort(at + MAGIC_OFFSET, MAGIC);
        b.put(at + VERSION_OFFSET, VERSION);
        b.put(at + FLAGS_OFFSET, (byte) flags);
        b.put(at + OP_OFFSET, (byte) op.code());
        b.put(at + OP_OFFSET + 1, (byte) 0);
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

    public static int length(ByteBuffer b, int at) {
        return b.getInt(at + LENGTH_OFFSET);
    }

    public static int total(ByteBuffer b, int at) {
        return b.getInt(at + TOTAL_OFFSET);
    }

    /**
     * Checks the header fields that do not depend on who reads it.
     *
     * @return null when the header is well formed, else what is wrong with it
     */
    public static String problem(ByteBuffer b, int at, int maxFrameLength) {
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
        int total = total(b, at);
        if (length < 0 || length > maxFrameLength) {
            return "frame length " + length + " outside 0.." + maxFrameLength;
        }
        if (total < length) {
            return "message total " + total + " smaller than frame length " + length;
        }
        return null;
    }

    /** A readable one-line rendering, for logs and error messages. */
    public static String describe(ByteBuffer b, int at) {
        OpCode op = OpCode.fromCode(opCode(b, at));
        return String.format("frame[op=%s src=%d dst=%d tag=%d length=%d total=%d%s]",
                op == null ? "?" + opCode(b, at) : op.displayName(), src(b, at), dst(b, at), tag(b, at),
                length(b, at), total(b, at), isLast(b, at) ? " last" : "");
    }
}
