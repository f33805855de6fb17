package io.github.dpsjwt.device;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Mints device JWTs the way Google Cloud IoT Core devices do: ES256 for an EC key (raw R||S signature),
 * RS256 for an RSA key; {@code iat}, {@code exp}, optional {@code aud}, and the seed's
 * {@code registration_id} claim.
 */
final class DeviceTokens {

    /** The longest lifetime the webhook accepts by default (Google's rule). */
    static final Duration MAX_LIFETIME = Duration.ofHours(24);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private DeviceTokens() {
    }

    static String mint(PrivateKey key, String registrationId, Duration lifetime, String audience, Instant now)
            throws GeneralSecurityException {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("lifetime must be more than 0 and at most 24h");
        }
        boolean ec = key.getAlgorithm().equals("EC");
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", ec ? "ES256" : "RS256");
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        if (audience != null) {
            claims.put("aud", audience);
        }
        claims.put("registration_id", registrationId);
        String input = encode(header) + "." + encode(claims);
        Signature signer = Signature.getInstance(ec ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(signer.sign());
    }

    private static String encode(Map<String, Object> json) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
