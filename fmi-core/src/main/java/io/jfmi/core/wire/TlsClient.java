package io.jfmi.core.wire;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS to the rendezvous server: trusts the certificates of a PEM file (or the JVM's trust
 * store) and checks that the server's certificate names the host dialed.
 */
public final class TlsClient {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;

    private TlsClient(SSLContext context) {
        this.context = context;
    }

    /** Trusts the certificates in {@code pem}, or the JVM's trust store when it is null. */
    public static TlsClient trusting(Path pem) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (pem == null) {
                context.init(null, null, null);
                return new TlsClient(context);
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pem)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (java.security.cert.CertificateException e) {
                throw new IOException("TLS trust file " + pem + " is not a PEM or DER certificate list: "
                        + e.getMessage(), e);
            }
            if (certs.isEmpty()) {
                throw new IOException("TLS trust file " + pem + " holds no certificate");
            }
            int i = 0;
            for (Certificate c : certs) {
                anchors.setCertificateEntry("trusted-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            context.init(null, tmf.getTrustManagers(), null);
            return new TlsClient(context);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS trusting " + (pem == null ? "the JVM's trust store" : pem)
                    + ": " + e.getMessage(), e);
        }
    }

    /** A client engine for {@code host:port} that verifies the certificate's host name. */
    public SSLEngine engine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters(engine.getSSLParameters()));
        return engine;
    }

    /**
     * Layers TLS over the connected {@code socket} and completes the handshake under the socket's read timeout.
     * Closing the returned socket closes {@code socket}.
     */
    public SSLSocket wrap(Socket socket, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
        tls.setSSLParameters(parameters(tls.getSSLParameters()));
        tls.setUseClientMode(true);
        try {
            tls.startHandshake();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("TLS handshake with " + host + ":" + port + " failed: " + e.getMessage()
                    + " (is the server started with TLS, and does --tls-trust hold the certificate that signed its "
                    + "certificate, issued for the host name dialed?)", e);
        }
        return tls;
    }

    private static SSLParameters parameters(SSLParameters p) {
        p.setProtocols(PROTOCOLS);
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }
}
