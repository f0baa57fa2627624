package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's command line refuses bad input before binding anything, with the exit codes the README gives. */
class RendezvousMainTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownOptionOrABadNumberExits64() {
        assertEquals(64, run("--no-such-option").code);
        Result r = run("--port", "seventy");
        assertEquals(64, r.code);
        assertTrue(r.err.contains("seventy"), r.err);
    }

    @Test
    void anOutOfRangeLimitIsNamedAndExits64() throws Exception {
        Result r = run("--secret-file", dir.resolve("s").toString(), "--port", "0", "--http-port", "-1",
                "--max-frame-bytes", "0");
        assertEquals(64, r.code, r.err);
        assertTrue(r.err.contains("error: --max-frame-bytes"), r.err);
    }

    @Test
    void aBadOptionLeavesNoSecretOrKeyFileBehind() {
        Path secret = dir.resolve("new.secret");
        Path pki = dir.resolve("pki");
        Result r = run("--secret-file", secret.toString(), "--port", "0", "--http-port", "-1", "--max-jobs", "0",
                "--tls-self-signed", pki.toString());
        assertEquals(64, r.code, r.err);
        assertTrue(r.err.contains("--max-jobs"), r.err);
        assertTrue(!Files.exists(secret) && !Files.exists(pki), "files written before the options were checked");
    }

    @Test
    void anUnreadableSecretFileExits1NamingIt() throws Exception {
        Path secret = Files.createDirectory(dir.resolve("secret-is-a-directory"));
        Result r = run("--secret-file", secret.toString(), "--port", "0", "--http-port", "-1");
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains(secret.toString()), r.err);
    }

    @Test
    void tlsOptionsThatDoNotGoTogetherAreNamedAndExit64() throws Exception {
        String secret = dir.resolve("s").toString();
        Result halfPair = run("--secret-file", secret, "--port", "0", "--http-port", "-1", "--tls-cert",
                dir.resolve("cert.pem").toString());
        assertEquals(64, halfPair.code, halfPair.err);
        assertTrue(halfPair.err.contains("--tls-cert and --tls-key go together"), halfPair.err);
        Result both = run("--secret-file", secret, "--port", "0", "--http-port", "-1", "--tls-self-signed",
                dir.toString(), "--tls-key", dir.resolve("k.pem").toString());
        assertEquals(64, both.code, both.err);
        assertTrue(both.err.contains("exclude each other"), both.err);
        Result missing = run("--secret-file", secret, "--port", "0", "--http-port", "-1", "--tls-cert",
                dir.resolve("no-cert.pem").toString(), "--tls-key", dir.resolve("no-key.pem").toString());
        assertEquals(64, missing.code, missing.err);
        assertTrue(missing.err.contains("no-cert.pem") && missing.err.contains("does not exist"), missing.err);
    }

    @Test
    void aKeyThatIsNotAKeyIsNamedWithItsCertificate() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        Result r = run("--secret-file", dir.resolve("s").toString(), "--port", "0", "--http-port", "-1",
                "--tls-cert", cert.toString(), "--tls-key", key.toString());
        assertEquals(64, r.code, r.err);
        assertTrue(r.err.contains("cannot use TLS certificate " + cert), r.err);
    }

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = RendezvousMain.execute(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }
}
