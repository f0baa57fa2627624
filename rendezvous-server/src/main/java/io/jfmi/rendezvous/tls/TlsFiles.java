package io.jfmi.rendezvous.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The server's certificate chain and private key, both PEM (the key unencrypted PKCS#8, RSA or EC).
 *
 * @param certificate PEM certificate chain, the server's own first
 * @param key         PEM private key of that certificate
 */
public record TlsFiles(Path certificate, Path key) {

    /** Names the first missing or unreadable file. */
    public TlsFiles validate() {
        for (Path p : new Path[] {certificate, key}) {
            if (p == null || !Files.isReadable(p)) {
                throw new IllegalArgumentException("TLS file " + p + " does not exist or is not readable");
            }
        }
        return this;
    }

    /** The server-side TLS context (TLS 1.3 and 1.2, the JDK's provider). */
    public SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), key.toFile()).protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use TLS certificate " + certificate + " with key " + key + ": "
                    + e.getMessage(), e);
        }
    }
}
