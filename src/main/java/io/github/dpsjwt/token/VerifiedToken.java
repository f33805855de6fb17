package io.github.dpsjwt.token;

import java.time.Instant;

/**
 * What a successful verification established.
 *
 * @param algorithm the JWS algorithm that verified ({@code ES256} or {@code RS256})
 * @param credentialIndex which of the device's credentials verified it (0-based)
 * @param issuedAt the token's {@code iat}
 * @param expiresAt the token's {@code exp}
 */
public record VerifiedToken(String algorithm, int credentialIndex, Instant issuedAt, Instant expiresAt) {
}
