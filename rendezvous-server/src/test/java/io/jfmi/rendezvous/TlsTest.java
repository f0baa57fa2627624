package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.DataBuffer;
import io.jfmi.core.LinkKind;
import io.jfmi.core.ReduceOp;
import io.jfmi.rendezvous.tls.SelfSignedCertificate;
import io.jfmi.rendezvous.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the control and relay connections with a real server and real ranks: a job with relayed pairs over TLS and
 * sealed direct links computes the right results; every mismatch (a plain rank, an untrusted certificate, a TLS
 * rank at a plain server, ranks that disagree on sealing) fails with an error that says so.
 */
class TlsTest {
    @TempDir
    static Path dir;
    private static TestServer tlsServer;
    private static Path trusted;

    @BeforeAll
    static void start() throws Exception {
        TlsFiles files = SelfSignedCertificate.inDirectory(dir.resolve("pki"), SelfSignedCertificate.defaultNames(
                List.of()));
        trusted = files.certificate();
        tlsServer = new TestServer(Duration.ofMinutes(10), c -> c.withTls(files));
    }

    @AfterAll
    static void stop() throws Exception {
        tlsServer.close();
    }

    @Test
    void theKeyFileIsTheOwnersAloneAndAReissueReusesThePair() throws Exception {
        TlsFiles files = SelfSignedCertificate.inDirectory(dir.resolve("pki"), List.of("localhost"));
        assertEquals(trusted, files.certificate());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(files.key()));
    }

    @Test
    void aJobWithRelayedPairsOverTlsAndSealedDirectLinksComputesTheRightSums() throws Exception {
        int n = 4;
        int count = (1 << 20) / 8;
        List<String> results = tlsServer.runOk("tls-job", n, b -> {
            b.tlsTrust(trusted).sealLinks(true);
            if (b.build().rank() == 3) {
                b.forceRelay(true);
            }
        }, comm -> {
            for (int p = 0; p < n; p++) {
                if (p == comm.rank()) {
                    continue;
                }
                String protection = comm.linkProtection(p);
                boolean relayed = comm.rank() == 3 || p == 3;
                assertEquals(relayed ? LinkKind.RELAY : LinkKind.LOCAL, comm.linkKind(p), "link to " + p);
                assertTrue(relayed ? protection.startsWith("TLSv1.3 ") : protection.equals("AES-128-GCM"),
                        "link " + comm.rank() + "->" + p + ": " + protection);
            }
            double[] mine = new double[count];
            java.util.Arrays.fill(mine, comm.rank() + 0.5);
            double[] sum = new double[count];
            comm.allreduce(DataBuffer.of(mine), DataBuffer.of(sum), ReduceOp.SUM);
            double[] expected = new double[count];
            java.util.Arrays.fill(expected, 0.5 + 1.5 + 2.5 + 3.5);
            assertArrayEquals(expected, sum);
            long[] one = {comm.rank()};
            long[] total = new long[1];
            for (int i = 0; i < 100; i++) {
                comm.allreduce(DataBuffer.of(one), DataBuffer.of(total), ReduceOp.SUM);
                assertEquals(6, total[0]);
            }
            return "ok";
        });
        assertEquals(List.of("ok", "ok", "ok", "ok"), results);
    }

    @Test
    void aRankWithoutTlsIsClosedAndCountedAndToldWhy() throws Exception {
        long before = tlsServer.server.metrics().errorCount("tls_not_tls");
        List<TestServer.Outcome<String>> out = tlsServer.run("plain-rank", 1, b -> { }, comm -> "joined");
        Throwable e = out.get(0).error();
        assertNotNull(e, "a plain rank joined a TLS server");
        assertTrue(e.getMessage().contains("join with TLS"), e.getMessage());
        assertTrue(waitForCount("tls_not_tls", before + 1), "refusal not counted");
    }

    @Test
    void anUntrustedServerCertificateFailsTheHandshakeNamingTheTrustFile() throws Exception {
        Path other = SelfSignedCertificate.inDirectory(dir.resolve("other-pki"), List.of("localhost"))
                .certificate();
        long before = tlsServer.server.metrics().errorCount("tls_handshake");
        List<TestServer.Outcome<String>> out = tlsServer.run("untrusted", 1, b -> b.tlsTrust(other),
                comm -> "joined");
        Throwable e = out.get(0).error();
        assertNotNull(e, "a rank trusting another certificate joined");
        assertTrue(e.getMessage().contains("TLS handshake with 127.0.0.1:") && e.getMessage().contains("--tls-trust"),
                e.getMessage());
        assertTrue(waitForCount("tls_handshake", before + 1), "handshake failure not counted");
    }

    @Test
    void aTlsRankAtAPlainServerFailsTheHandshake() throws Exception {
        try (TestServer plain = new TestServer()) {
            List<TestServer.Outcome<String>> out = plain.run("tls-at-plain", 1, b -> b.tlsTrust(trusted),
                    comm -> "joined");
            Throwable e = out.get(0).error();
            assertNotNull(e, "a TLS rank joined a plain server");
            assertTrue(e.getMessage().contains("TLS handshake with") && e.getMessage().contains("started with TLS"),
                    e.getMessage());
        }
    }

    @Test
    void ranksThatDisagreeOnSealingAreRefusedByTheServer() throws Exception {
        List<TestServer.Outcome<String>> out = tlsServer.run("seal-mismatch", 2,
                b -> b.tlsTrust(trusted).sealLinks(b.build().rank() == 1).joinTimeout(Duration.ofSeconds(5)),
                comm -> "joined");
        Throwable e = out.get(0).error() != null && out.get(0).error().getMessage().contains("SETTINGS_MISMATCH")
                ? out.get(0).error() : out.get(1).error();
        assertNotNull(e, "ranks that disagree on sealing formed a job");
        assertTrue(e.getMessage().contains("SETTINGS_MISMATCH")
                && e.getMessage().contains("give every rank the same link-sealing setting"), e.getMessage());
    }

    private static boolean waitForCount(String kind, long atLeast) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            if (tlsServer.server.metrics().errorCount(kind) >= atLeast) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
