package io.jfmi.core.channel;

import io.jfmi.protocol.JobAuth;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;

/**
 * The handshake of a direct link. The accepting side (the lower rank when punching) sends a challenge with a fresh
 * nonce; the dialer names itself and the rank it wants, with a MAC under the job instance's session key over the
 * nonce; the acceptor answers one byte. A stray process, a rank of another job or a replayed hello cannot pass.
 * The hello also says which connection of the pair this is: the only one, or the first or second of two (the
 * second carries the dialer's large messages; see {@link SecondConnection}).
 *
 * <pre>
 * challenge: magic "JFMC" | version | nonce (16 bytes)                                     =&gt; 24 bytes
 * hello:     magic "JFMI" | version | from | to | role | HMAC-SHA256 (32 bytes)             =&gt; 52 bytes; reply 0x01
 * </pre>
 */
final class LinkHello {
    static final int MAGIC = 0x4A464D49;
    static final int CHALLENGE_MAGIC = 0x4A464D43;
    static final int VERSION = 3;
    static final int SIZE = 20 + JobAuth.MAC_LENGTH;
    /** The pair's only connection. */
    static final int ONLY = 0;
    /** The first of a pair's two connections (both directions, all but the dialer's large messages). */
    static final int FIRST_OF_TWO = 1;
    /** The second of a pair's two connections: the dialer's large messages to the acceptor. */
    static final int SECOND_OF_TWO = 2;
    static final int NONCE_LENGTH = 16;
    static final int CHALLENGE_SIZE = 8 + NONCE_LENGTH;
    static final byte ACCEPTED = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    final int from;
    final int to;
    /**
     * {@link #ONLY}, {@link #FIRST_OF_TWO} or {@link #SECOND_OF_TWO}. Not covered by the MAC: whoever could change it
     * on the wire could as well cut the connection; a wrong role only fails setup.
     */
    final int role;
    final byte[] mac;

    LinkHello(int from, int to, byte[] mac) {
        this(from, to, ONLY, mac);
    }

    LinkHello(int from, int to, int role, byte[] mac) {
        this.from = from;
        this.to = to;
        this.role = role;
        this.mac = mac;
    }

    void writeTo(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putInt(VERSION).putInt(from).putInt(to).putInt(role).put(mac).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Sends a challenge with a fresh nonce; returns the nonce the hello's MAC must cover. */
    static byte[] sendChallenge(SocketChannel ch) throws IOException {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        ByteBuffer b = ByteBuffer.allocate(CHALLENGE_SIZE);
        b.putInt(CHALLENGE_MAGIC).putInt(VERSION).put(nonce).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
        return nonce;
    }

    /** Reads the accepting side's challenge (blocking, under the socket's read timeout); returns its nonce. */
    static byte[] readChallenge(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(CHALLENGE_SIZE);
        readFully(ch, b);
        b.flip();
        int magic = b.getInt();
        int version = b.getInt();
        if (magic != CHALLENGE_MAGIC) {
            throw new IOException(String.format("not a jfmi link challenge (magic 0x%08x)", magic));
        }
        if (version != VERSION) {
            throw new IOException("link challenge version " + version + ", this build speaks " + VERSION);
        }
        byte[] nonce = new byte[NONCE_LENGTH];
        b.get(nonce);
        return nonce;
    }

    /** Reads a hello from a blocking channel whose socket has a read timeout set. */
    static LinkHello readFrom(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        readFully(ch, b);
        b.flip();
        int magic = b.getInt();
        int version = b.getInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not a jfmi link hello (magic 0x%08x)", magic));
        }
        if (version != VERSION) {
            throw new IOException("link hello version " + version + ", this build speaks " + VERSION);
        }
        int from = b.getInt();
        int to = b.getInt();
        int role = b.getInt();
        if (role != ONLY && role != FIRST_OF_TWO && role != SECOND_OF_TWO) {
            throw new IOException("link hello with unknown role " + role);
        }
        byte[] mac = new byte[JobAuth.MAC_LENGTH];
        b.get(mac);
        return new LinkHello(from, to, role, mac);
    }

    static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        // Socket read timeouts only apply to the socket's stream, not to SocketChannel.read.
        java.io.InputStream in = ch.socket().getInputStream();
        while (b.hasRemaining()) {
            int n = in.read(b.array(), b.arrayOffset() + b.position(), b.remaining());
            if (n < 0) {
                throw new EOFException("connection closed during link handshake");
            }
            b.position(b.position() + n);
        }
    }
}
