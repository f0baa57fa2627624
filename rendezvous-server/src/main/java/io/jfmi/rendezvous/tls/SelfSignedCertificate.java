package io.jfmi.rendezvous.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for local and test use: an EC P-256 key and a certificate naming this host
 * (localhost, its loopback addresses, its host name and any names given). The certificate file is what ranks
 * trust ({@code --tls-trust}); the key file is readable by its owner only.
 */
public final class SelfSignedCertificate {
    public static final String CERTIFICATE_FILE = "rendezvous-cert.pem";
    public static final String KEY_FILE = "rendezvous-key.pem";
    private static final Duration VALIDITY = Duration.ofDays(365);

    private SelfSignedCertificate() {
    }

    /** The names a local certificate covers: loopback, this host's name, and {@code extra}. */
    public static List<String> defaultNames(List<String> extra) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable host name: loopback names only
        }
        names.addAll(extra);
        return new ArrayList<>(names);
    }

    /** Reuses the pair in {@code dir} when both files exist, else issues one for {@code names}. */
    public static TlsFiles inDirectory(Path dir, List<String> names) throws IOException {
        Path cert = dir.resolve(CERTIFICATE_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.exists(cert) && Files.exists(key)) {
            return new TlsFiles(cert, key).validate();
        }
        Files.createDirectories(dir);
        KeyPair pair;
        X509Certificate certificate;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            certificate = issue(pair, names);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue a self-signed certificate: " + e.getMessage(), e);
        }
        Path keyTmp = dir.resolve(KEY_FILE + ".tmp");
        Files.deleteIfExists(keyTmp);
        Files.createFile(keyTmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyTmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.move(keyTmp, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode the certificate: " + e.getMessage(), e);
        }
        return new TlsFiles(cert, key);
    }

    private static X509Certificate issue(KeyPair pair, List<String> names)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500Name("CN=jfmi rendezvous (self-signed)");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        List<GeneralName> alternatives = new ArrayList<>();
        for (String name : names) {
            boolean address = name.matches("[0-9.]+") || name.contains(":");
            alternatives.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(alternatives.toArray(new GeneralName[0])));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
