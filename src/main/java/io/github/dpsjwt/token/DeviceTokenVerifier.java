package io.github.dpsjwt.token;

import java.io.IOException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;
import io.github.dpsjwt.registry.Credential;
import io.github.dpsjwt.registry.Device;
import io.github.dpsjwt.registry.InvalidKeyException;
import io.github.dpsjwt.signature.FastEs256Algorithm;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies a device's JWT against that device's credentials. Knows nothing of HTTP or DPS.
 *
 * <p>SmallRye JWT checks the signature, {@code exp}, {@code nbf}, the presence of {@code iat} and, when
 * configured, {@code aud}. The algorithm comes from the key: an EC P-256 credential verifies only
 * ES256, an RSA credential only RS256; the header's {@code alg} merely picks which credentials to try.
 * On top, this class refuses what Google Cloud IoT Core refused and SmallRye allows: a lifetime over the
 * limit, an {@code iat} in the future beyond the skew, key-carrying or critical headers, any encoding of
 * the token but the one canonical form ({@link TokenEncoding}), a token bound (by {@code registration_id} or
 * {@code sub}) to another device, and a token that names no device when the key that verified it is not the
 * device's alone.
 */
public final class DeviceTokenVerifier {

    /** The claim the seed's sample device binds its token to its registration id with. */
    public static final String REGISTRATION_ID_CLAIM = "registration_id";

    /** Duplicate members are refused: jose4j and this class must never read different values from one header. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /**
     * Headers that name or carry a key, demand extensions we do not implement, or change what is signed
     * ({@code b64}, RFC 7797): never honoured.
     */
    private static final List<String> REFUSED_HEADERS = List.of("jku", "x5u", "jwk", "x5c", "crit", "b64");
    /** Header members that RFC 7515 defines as strings, which the JOSE libraries read as such. */
    private static final List<String> STRING_HEADERS = List.of("typ", "cty", "kid");

    private final DefaultJWTParser es256;
    private final DefaultJWTParser rs256;
    private final long maxLifetimeSeconds;
    private final long skewSeconds;
    private final Clock clock;
    private final Optional<String> audience;
    private final boolean requireBinding;
    private final VerificationTimer timer;

    /**
     * @param audiences accepted {@code aud} values, or empty not to check {@code aud}
     * @param maxLifetime the longest {@code exp - iat} accepted, before skew
     * @param clockSkew tolerance for clock differences, both ways
     * @param clock the webhook's clock
     */
    public DeviceTokenVerifier(Optional<Set<String>> audiences, Duration maxLifetime, Duration clockSkew, Clock clock) {
        this(audiences, maxLifetime, clockSkew, clock, false);
    }

    /**
     * @param audiences accepted {@code aud} values, or empty not to check {@code aud}
     * @param maxLifetime the longest {@code exp - iat} accepted, before skew
     * @param clockSkew tolerance for clock differences, both ways
     * @param clock the webhook's clock
     * @param requireBinding whether every token must name its device, even one verified by a key that belongs
     *        to that device alone
     */
    public DeviceTokenVerifier(Optional<Set<String>> audiences, Duration maxLifetime, Duration clockSkew, Clock clock,
            boolean requireBinding) {
        this(audiences, maxLifetime, clockSkew, clock, requireBinding, VerificationTimer.NONE);
    }

    /**
     * @param audiences accepted {@code aud} values, or empty not to check {@code aud}
     * @param maxLifetime the longest {@code exp - iat} accepted, before skew
     * @param clockSkew tolerance for clock differences, both ways
     * @param clock the webhook's clock
     * @param requireBinding whether every token must name its device, even one verified by a key that belongs
     *        to that device alone
     * @param timer told how long each verification of a token with an allowed header took
     */
    public DeviceTokenVerifier(Optional<Set<String>> audiences, Duration maxLifetime, Duration clockSkew, Clock clock,
            boolean requireBinding, VerificationTimer timer) {
        FastEs256Algorithm.install();
        this.timer = timer;
        this.requireBinding = requireBinding;
        this.es256 = parser(SignatureAlgorithm.ES256, audiences, clockSkew);
        this.rs256 = parser(SignatureAlgorithm.RS256, audiences, clockSkew);
        this.maxLifetimeSeconds = maxLifetime.toSeconds();
        this.skewSeconds = clockSkew.toSeconds();
        this.clock = clock;
        this.audience = audiences.flatMap(set -> set.stream().sorted().findFirst());
    }

    /** One accepted {@code aud} value, when audiences are checked: what a token made by the webhook itself must carry. */
    Optional<String> acceptedAudience() {
        return audience;
    }

    private static DefaultJWTParser parser(SignatureAlgorithm algorithm, Optional<Set<String>> audiences, Duration skew) {
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setSignatureAlgorithm(Set.of(algorithm));
        context.setClockSkew(Math.toIntExact(skew.toSeconds()));
        // device tokens need not name a principal (sub/upn); binding is checked separately
        context.setRequireNamedPrincipal(false);
        audiences.filter(set -> !set.isEmpty()).ifPresent(context::setExpectedAudience);
        return new DefaultJWTParser(context, new DevicePrincipalFactory());
    }

    /**
     * @param token the compact JWS the device sent
     * @param device the device the request names, already found in the registry and not blocked
     * @param registrationId the registration id of the request
     * @return what the token proved
     * @throws RefusalException with a {@code TOKEN_*} or {@code DEVICE_CREDENTIALS_*} reason
     */
    public VerifiedToken verify(String token, Device device, String registrationId) {
        TokenEncoding.check(token);
        String algorithm = checkHeader(token);
        long started = System.nanoTime();
        boolean accepted = false;
        try {
            VerifiedToken verified = verify(token, algorithm, device, registrationId);
            accepted = true;
            return verified;
        } finally {
            timer.record(algorithm, accepted, System.nanoTime() - started);
        }
    }

    private VerifiedToken verify(String token, String algorithm, Device device, String registrationId) {
        boolean ec = "ES256".equals(algorithm);
        Instant now = clock.instant();

        boolean anyCurrent = false;
        boolean anyUsable = false;
        List<Credential> credentials = device.credentials();
        for (int i = 0; i < credentials.size(); i++) {
            Credential credential = credentials.get(i);
            if (credential.expiredAt(now)) {
                continue;
            }
            anyCurrent = true;
            PublicKey key;
            try {
                key = credential.key();
            } catch (InvalidKeyException e) {
                continue;
            }
            anyUsable = true;
            if (ec ? !(key instanceof ECPublicKey) : !(key instanceof RSAPublicKey)) {
                continue;
            }
            JsonWebToken jwt;
            try {
                jwt = (ec ? es256 : rs256).verify(token, key);
            } catch (ParseException e) {
                Reason reason = classify(e);
                if (reason == Reason.TOKEN_SIGNATURE_INVALID) {
                    continue;
                }
                throw new RefusalException(reason, describe(reason));
            } catch (RuntimeException e) {
                // a token the header checks let through but the JOSE libraries cannot read is still the device's
                // fault: a refusal, never a 500 that DPS would retry
                throw new RefusalException(Reason.TOKEN_MALFORMED, describe(Reason.TOKEN_MALFORMED));
            }
            return checkClaims(jwt, algorithm, i, credential, registrationId, now);
        }
        if (!anyCurrent && !credentials.isEmpty()) {
            throw new RefusalException(Reason.DEVICE_CREDENTIALS_EXPIRED, "every credential of the device has expired");
        }
        if (!anyUsable) {
            throw new RefusalException(Reason.DEVICE_CREDENTIALS_INVALID, "the device has no usable credential");
        }
        throw new RefusalException(Reason.TOKEN_SIGNATURE_INVALID,
                "the signature does not verify with any current " + algorithm + " credential of the device");
    }

    /** Reads the protected header and returns its {@code alg}, refusing what is never accepted. */
    private static String checkHeader(String token) {
        int dot = token.indexOf('.');
        int secondDot = dot < 0 ? -1 : token.indexOf('.', dot + 1);
        if (dot <= 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            throw new RefusalException(Reason.TOKEN_MALFORMED, "the token is not a compact JWS (header.payload.signature)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(TokenEncoding.utf8(Base64.getUrlDecoder().decode(token.substring(0, dot)), "header"));
        } catch (IllegalArgumentException | IOException e) {
            throw new RefusalException(Reason.TOKEN_MALFORMED, "the token header is not base64url JSON");
        }
        if (header == null || !header.isObject()) {
            throw new RefusalException(Reason.TOKEN_MALFORMED, "the token header is not a JSON object");
        }
        for (String refused : REFUSED_HEADERS) {
            if (header.has(refused)) {
                throw new RefusalException(Reason.TOKEN_HEADER_NOT_ALLOWED,
                        "the token header carries '" + refused + "', which is never honoured");
            }
        }
        for (String member : STRING_HEADERS) {
            JsonNode value = header.get(member);
            if (value != null && !value.isTextual()) {
                throw new RefusalException(Reason.TOKEN_MALFORMED, "the token header's '" + member + "' is not a string");
            }
        }
        JsonNode alg = header.get("alg");
        String algorithm = alg != null && alg.isTextual() ? alg.asText() : null;
        if (!"ES256".equals(algorithm) && !"RS256".equals(algorithm)) {
            throw new RefusalException(Reason.TOKEN_ALGORITHM_NOT_ALLOWED,
                    "only ES256 and RS256 tokens are accepted");
        }
        return algorithm;
    }

    private VerifiedToken checkClaims(JsonWebToken jwt, String algorithm, int index, Credential credential,
            String registrationId, Instant now) {
        long iat = jwt.getIssuedAtTime();
        long exp = jwt.getExpirationTime();
        if (iat > exp) {
            throw new RefusalException(Reason.TOKEN_CLAIMS_INVALID, "iat is after exp");
        }
        // exp - iat overflows for an iat near Long.MIN_VALUE: it is then over any limit
        long lifetime = exp - iat;
        if (lifetime < 0 || lifetime > maxLifetimeSeconds + skewSeconds) {
            throw new RefusalException(Reason.TOKEN_LIFETIME_TOO_LONG, "exp - iat is " + (lifetime < 0 ? "over 2^63" : lifetime)
                    + " s; at most " + maxLifetimeSeconds + " s (+ " + skewSeconds + " s skew)");
        }
        if (iat > now.getEpochSecond() + skewSeconds) {
            throw new RefusalException(Reason.TOKEN_NOT_YET_VALID, "iat is in the future beyond the allowed clock skew");
        }
        boolean named = checkBinding(jwt.getClaim(REGISTRATION_ID_CLAIM), REGISTRATION_ID_CLAIM, registrationId);
        named |= checkBinding(jwt.getClaim("sub"), "sub", registrationId);
        if (!named) {
            requireNamed(credential);
        }
        // exp was checked against now by SmallRye and iat lies within the lifetime before it, so both are in
        // Instant's range; a date outside it would still be a refusal, never an error
        try {
            return new VerifiedToken(algorithm, index, Instant.ofEpochSecond(iat), Instant.ofEpochSecond(exp));
        } catch (DateTimeException e) {
            throw new RefusalException(Reason.TOKEN_CLAIMS_INVALID, "iat or exp is out of range");
        }
    }

    /** A token that names no device is accepted only from a key that belongs to this device alone. */
    private void requireNamed(Credential credential) {
        if (requireBinding) {
            throw new RefusalException(Reason.TOKEN_BINDING_MISSING, "the token must name the device in '"
                    + REGISTRATION_ID_CLAIM + "' or 'sub' (allocator.token.require-binding is on)");
        }
        switch (credential.keyOwners()) {
            case ONE_DEVICE -> {
            }
            case SEVERAL_DEVICES -> throw new RefusalException(Reason.TOKEN_BINDING_MISSING, "the token must name the device in '"
                    + REGISTRATION_ID_CLAIM + "' or 'sub': the key that signed it is not unique to the device");
            case NOT_KNOWN_YET -> throw new RefusalException(Reason.REGISTRY_NOT_READY, "the token names no device, and"
                    + " whether its key is unique to the device is known once the registry's full read completes");
        }
    }

    /** @return whether the claim is present (it then names this device, or the token is refused) */
    private static boolean checkBinding(Object claim, String name, String registrationId) {
        if (claim == null) {
            return false;
        }
        String value = claim instanceof JsonString json ? json.getString() : claim instanceof String text ? text : null;
        if (value == null || !value.equalsIgnoreCase(registrationId)) {
            throw new RefusalException(Reason.TOKEN_SUBJECT_MISMATCH,
                    "the token's '" + name + "' claim names another device");
        }
        return true;
    }

    /** Maps jose4j's validation error codes, which SmallRye passes on as the cause, to our reasons. */
    private static Reason classify(ParseException e) {
        if (!(e.getCause() instanceof InvalidJwtException invalid)) {
            return Reason.TOKEN_CLAIMS_INVALID;
        }
        if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return Reason.TOKEN_SIGNATURE_INVALID;
        }
        if (invalid.hasErrorCode(ErrorCodes.EXPIRED)) {
            return Reason.TOKEN_EXPIRED;
        }
        if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return Reason.TOKEN_NOT_YET_VALID;
        }
        if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return Reason.TOKEN_AUDIENCE_MISMATCH;
        }
        if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)
                || invalid.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
            return Reason.TOKEN_CLAIMS_INVALID;
        }
        return Reason.TOKEN_MALFORMED;
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case TOKEN_EXPIRED -> "the token has expired (exp is past, beyond the allowed clock skew)";
            case TOKEN_NOT_YET_VALID -> "the token is not valid yet (nbf is in the future)";
            case TOKEN_AUDIENCE_MISMATCH -> "the token's aud is not one of the accepted audiences";
            case TOKEN_CLAIMS_INVALID -> "the token lacks exp or iat, or they are not numbers, or iat is after exp";
            default -> "the token cannot be read as a signed JWT";
        };
    }
}
