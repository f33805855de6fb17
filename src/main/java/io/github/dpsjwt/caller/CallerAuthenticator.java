package io.github.dpsjwt.caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks the secret a caller presents against the configured keys in constant time: each candidate is
 * hashed and compared with {@link MessageDigest#isEqual}, and every key is compared, so neither the
 * length nor the position of a match shows in the timing.
 */
public final class CallerAuthenticator {

    private final List<byte[]> keyDigests;

    /** @param keys the accepted keys; empty means every caller is accepted */
    public CallerAuthenticator(List<String> keys) {
        this.keyDigests = keys.stream().map(String::trim).filter(key -> !key.isEmpty()).map(CallerAuthenticator::sha256).toList();
    }

    /** Whether a key is required at all. */
    public boolean enabled() {
        return !keyDigests.isEmpty();
    }

    /** @param presented the presented secret, or {@code null} */
    public boolean accepts(String presented) {
        if (!enabled()) {
            return true;
        }
        if (presented == null) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] key : keyDigests) {
            match |= MessageDigest.isEqual(key, digest);
        }
        return match;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
