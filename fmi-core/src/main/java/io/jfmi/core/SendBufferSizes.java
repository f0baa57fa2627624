package io.jfmi.core;

/**
 * The send buffer (SO_SNDBUF) of a direct link's socket while it writes small messages and while it writes large
 * ones ({@link #LARGE_MESSAGE_BYTES} and more); 0 leaves the socket to the OS's autotuning. A link whose two sizes
 * differ sets the one for each message it starts, when the kind of message changes. See
 * {@link CommunicatorOptions#sendBuffersFor}.
 */
public record SendBufferSizes(int smallMessages, int largeMessages) {
    /** Messages of at least this many bytes are large. */
    public static final int LARGE_MESSAGE_BYTES = 64 * 1024;

    public SendBufferSizes {
        if (smallMessages < 0 || largeMessages < 0) {
            throw new IllegalArgumentException("send buffer sizes must be >= 0, got " + smallMessages + " and "
                    + largeMessages);
        }
        if (smallMessages != largeMessages && (smallMessages == 0 || largeMessages == 0)) {
            // A socket whose SO_SNDBUF was set never returns to the OS's autotuning.
            throw new IllegalArgumentException("a send buffer that switches needs two sizes above 0, got "
                    + smallMessages + " and " + largeMessages);
        }
    }

    /** The same buffer for every message. */
    public static SendBufferSizes fixed(int bytes) {
        return new SendBufferSizes(bytes, bytes);
    }

    /** Whether the buffer changes with the size of the message written. */
    public boolean switches() {
        return smallMessages != largeMessages;
    }

    /** The buffer for writing a message of {@code bytes}. */
    public int forMessage(long bytes) {
        return bytes >= LARGE_MESSAGE_BYTES ? largeMessages : smallMessages;
    }
}
