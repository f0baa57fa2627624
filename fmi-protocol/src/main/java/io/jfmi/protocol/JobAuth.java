package io.jfmi.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 proofs: a rank proves it knows the job secret, and two ranks prove they belong to one job instance. */
public final class JobAuth {
    public static final int MAC_LENGTH = 32;

    private JobAuth() {
    }

    /** MAC a rank sends to the server: binds secret, server nonce, purpose, job, rank and world size. */
    public static byte[] registrationMac(byte[] secret, byte[] nonce, String purpose, String jobId, int rank,
            int worldSize) {
        String context = "jfmi/register/v1|" + purpose + "|" + jobId + "|" + rank + "|" + worldSize + "|";
        return hmac(secret, context.getBytes(StandardCharsets.UTF_8), nonce);
    }

    /**
     * MAC a dialing rank sends on a new direct link, keyed by the job instance's session key and bound to the
     * accepting side's fresh nonce, so a recorded hello cannot be replayed.
     */
    public static byte[] linkMac(byte[] sessionKey, int fromRank, int toRank, byte[] nonce) {
        String context = "jfmi/link/v2|" + fromRank + "|" + toRank + "|";
        return hmac(sessionKey, context.getBytes(StandardCharsets.UTF_8), nonce);
    }

    /**
     * The 16-byte AES key sealing frames from {@code fromRank} to {@code toRank} on one direct link: each link and
     * direction gets its own key, fresh for every connection through the accepting side's handshake nonce.
     */
    public static byte[] sealKey(byte[] sessionKey, int fromRank, int toRank, byte[] nonce) {
        String context = "jfmi/seal/v1|" + fromRank + "|" + toRank + "|";
        return java.util.Arrays.copyOf(hmac(sessionKey, context.getBytes(StandardCharsets.UTF_8), nonce), 16);
    }

    /** Constant-time comparison. */
    public static boolean matches(byte[] expected, byte[] actual) {
        return actual != null && MessageDigest.isEqual(expected, actual);
    }

    private static byte[] hmac(byte[] key, byte[] context, byte[] nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(context);
            mac.update(nonce);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }
}
