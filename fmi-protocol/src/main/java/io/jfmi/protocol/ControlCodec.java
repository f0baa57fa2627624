package io.jfmi.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jfmi.protocol.proto.ControlMessage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Blocking reader/writer of length-prefixed {@link ControlMessage}s (4-byte big-endian length, then protobuf). */
public final class ControlCodec {
    /** Protocol version carried in ClientHello and Challenge; bump on incompatible change. */
    public static final int PROTOCOL_VERSION = 1;
    /** Largest control message either side accepts. */
    public static final int MAX_CONTROL_MESSAGE = 1 << 20;

    private ControlCodec() {
    }

    public static void write(OutputStream out, ControlMessage message) throws IOException {
        byte[] body = message.toByteArray();
        byte[] frame = new byte[4 + body.length];
        frame[0] = (byte) (body.length >>> 24);
        frame[1] = (byte) (body.length >>> 16);
        frame[2] = (byte) (body.length >>> 8);
        frame[3] = (byte) body.length;
        System.arraycopy(body, 0, frame, 4, body.length);
        out.write(frame);
        out.flush();
    }

    /**
     * Reads one message.
     *
     * @param from names the other side in errors, e.g. "rendezvous server 10.0.0.1:7700"
     * @throws EOFException when the stream ends cleanly before a length prefix
     */
    public static ControlMessage read(InputStream in, String from) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length = data.readInt();
        if (length < 0 || length > MAX_CONTROL_MESSAGE) {
            throw new IOException("control message of " + length + " bytes from " + from + " exceeds the limit of "
                    + MAX_CONTROL_MESSAGE + " bytes");
        }
        byte[] body = new byte[length];
        data.readFully(body);
        try {
            return ControlMessage.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("malformed control message from " + from + ": " + e.getMessage(), e);
        }
    }
}
