package io.jfmi.core.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128-GCM over a direct link: the stream is cut into records of at most {@link #MAX_PLAINTEXT} bytes, each
 * sent as a 4-byte length and its ciphertext with a 16-byte tag. Each direction has its own key (derived per link
 * from the job's session key and the link's fresh handshake nonce), and the nonce is the record's number in its
 * direction, so a record that is altered, dropped, replayed or reordered fails authentication.
 */
public final class SealedIo implements LinkIo {
    /** Largest plaintext per record: large enough that the per-record cost vanishes, small enough to stay cached. */
    public static final int MAX_PLAINTEXT = 64 * 1024;
    static final int TAG_BYTES = 16;
    static final int LENGTH_BYTES = 4;
    private static final int NONCE_BYTES = 12;
    private static final int MAX_RECORD = MAX_PLAINTEXT + TAG_BYTES;

    private final SocketChannel channel;
    private final String peer;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final Cipher sealer;
    private final Cipher opener;
    private final byte[] nonce = new byte[NONCE_BYTES];
    /** Sealed bytes not yet written to the socket (read mode). */
    private final ByteBuffer netOut = ByteBuffer.allocateDirect(LENGTH_BYTES + MAX_RECORD).order(ByteOrder.BIG_ENDIAN);
    /** Sealed bytes read from the socket, not yet opened (read mode). */
    private final ByteBuffer netIn = ByteBuffer.allocateDirect(LENGTH_BYTES + MAX_RECORD).order(ByteOrder.BIG_ENDIAN);
    /** Opened bytes the reader had no room for (read mode). */
    private final ByteBuffer plainIn = ByteBuffer.allocateDirect(MAX_PLAINTEXT);
    private long recordsSent;
    private long recordsReceived;

    /**
     * @param sendKey    16-byte key of this side's direction
     * @param receiveKey 16-byte key of the other direction
     * @param peer       names the other side in errors
     */
    public SealedIo(SocketChannel channel, byte[] sendKey, byte[] receiveKey, String peer) {
        if (sendKey.length != 16 || receiveKey.length != 16) {
            throw new IllegalArgumentException("AES-128-GCM needs 16-byte keys");
        }
        this.channel = channel;
        this.peer = peer;
        this.sendKey = new SecretKeySpec(sendKey, "AES");
        this.receiveKey = new SecretKeySpec(receiveKey, "AES");
        try {
            this.sealer = Cipher.getInstance("AES/GCM/NoPadding");
            this.opener = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available in this JVM", e);
        }
        netOut.flip();
        netIn.flip();
        plainIn.flip();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!flush()) {
            return 0;
        }
        long taken = 0;
        // One record per call keeps the output buffer bounded; the caller comes back for the rest.
        int budget = MAX_PLAINTEXT;
        netOut.clear();
        netOut.position(LENGTH_BYTES);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, sendKey, new GCMParameterSpec(TAG_BYTES * 8, nonceFor(recordsSent)));
            for (int i = offset; i < offset + length && budget > 0; i++) {
                ByteBuffer src = srcs[i];
                int n = Math.min(src.remaining(), budget);
                if (n == 0) {
                    continue;
                }
                int savedLimit = src.limit();
                src.limit(src.position() + n);
                sealer.update(src, netOut);
                src.limit(savedLimit);
                budget -= n;
                taken += n;
            }
            if (taken == 0) {
                netOut.limit(0);
                return 0;
            }
            sealer.doFinal(ByteBuffer.allocate(0), netOut);
        } catch (GeneralSecurityException e) {
            throw new IOException("sealing a record for " + peer + " failed: " + e.getMessage(), e);
        }
        netOut.flip();
        netOut.putInt(0, netOut.limit() - LENGTH_BYTES);
        recordsSent++;
        flush();
        return taken;
    }

    @Override
    public boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (plainIn.hasRemaining()) {
            return Buffers.copy(plainIn, dst);
        }
        while (true) {
            if (netIn.remaining() >= LENGTH_BYTES) {
                int sealedLength = netIn.getInt(netIn.position());
                if (sealedLength <= TAG_BYTES || sealedLength > MAX_RECORD) {
                    throw new IOException("malformed sealed record from " + peer + " (record #" + recordsReceived
                            + " claims " + sealedLength + " bytes; allowed " + (TAG_BYTES + 1) + ".." + MAX_RECORD
                            + "): the peer does not seal its link, or the stream is corrupt");
                }
                if (netIn.remaining() >= LENGTH_BYTES + sealedLength) {
                    return open(sealedLength, dst);
                }
            }
            netIn.compact();
            int n = channel.read(netIn);
            netIn.flip();
            if (n <= 0) {
                return n;
            }
        }
    }

    private int open(int sealedLength, ByteBuffer dst) throws IOException {
        int plainLength = sealedLength - TAG_BYTES;
        netIn.position(netIn.position() + LENGTH_BYTES);
        int savedLimit = netIn.limit();
        netIn.limit(netIn.position() + sealedLength);
        // Straight into the reader's buffer when it has room (a large payload's final place); else keep it here.
        ByteBuffer target = dst.remaining() >= plainLength ? dst : plainIn.clear();
        try {
            opener.init(Cipher.DECRYPT_MODE, receiveKey, new GCMParameterSpec(TAG_BYTES * 8,
                    nonceFor(recordsReceived)));
            opener.doFinal(netIn, target);
        } catch (AEADBadTagException e) {
            throw new IOException("sealed record #" + recordsReceived + " from " + peer + " failed authentication: "
                    + "it was altered, replayed or reordered on the way, or the peer uses another key");
        } catch (GeneralSecurityException e) {
            throw new IOException("opening sealed record #" + recordsReceived + " from " + peer + " failed: "
                    + e.getMessage(), e);
        } finally {
            netIn.limit(savedLimit);
        }
        recordsReceived++;
        if (target == dst) {
            return plainLength;
        }
        plainIn.flip();
        return Buffers.copy(plainIn, dst);
    }

    private byte[] nonceFor(long record) {
        for (int i = 0; i < 8; i++) {
            nonce[NONCE_BYTES - 1 - i] = (byte) (record >>> (8 * i));
        }
        return nonce;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String protection() {
        return "AES-128-GCM";
    }
}
