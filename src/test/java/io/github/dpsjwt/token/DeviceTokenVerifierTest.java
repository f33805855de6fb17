package io.github.dpsjwt.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;
import io.github.dpsjwt.registry.Credential;
import io.github.dpsjwt.registry.Device;
import io.github.dpsjwt.registry.KeyFormat;
import io.github.dpsjwt.registry.KeyOwners;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;

class DeviceTokenVerifierTest {

    static final String ID = "dev-001";
    static final KeyPair EC = Keys.ec();
    static final KeyPair EC_OTHER = Keys.ec();
    static final KeyPair RSA = Keys.rsa();

    final DeviceTokenVerifier verifier = verifier(Optional.empty());

    static DeviceTokenVerifier verifier(Optional<Set<String>> audiences) {
        return new DeviceTokenVerifier(audiences, Duration.ofHours(24), Duration.ofMinutes(10), Clock.systemUTC());
    }

    static Device device(Credential... credentials) {
        return new Device(ID, false, List.of(credentials));
    }

    static Credential ecCredential(KeyPair pair) {
        return new Credential(Keys.pem(pair.getPublic()), KeyFormat.ES256_PEM, null);
    }

    static Credential ecCredential(KeyPair pair, KeyOwners owners) {
        return new Credential(Keys.pem(pair.getPublic()), KeyFormat.ES256_PEM, null, owners);
    }

    static Reason refusal(DeviceTokenVerifier verifier, String token, Device device) {
        return assertThrows(RefusalException.class, () -> verifier.verify(token, device, ID)).reason();
    }

    Reason refusal(String token) {
        return refusal(verifier, token, device(ecCredential(EC)));
    }

    @Test
    void shouldAcceptEs256TokenSignedByTheDeviceKey() {
        VerifiedToken verified = verifier.verify(Jwts.device("ES256", ID).sign(EC.getPrivate()), device(ecCredential(EC)), ID);
        assertEquals("ES256", verified.algorithm());
        assertEquals(0, verified.credentialIndex());
    }

    @Test
    void shouldAcceptEachKeyFormat() {
        KeyPair rsa = RSA;
        Map<Credential, String> cases = Map.of(
                new Credential(Keys.pem(EC.getPublic()), KeyFormat.ES256_PEM, null), "ES256",
                new Credential(Keys.certificatePem(EC, false), KeyFormat.ES256_X509_PEM, null), "ES256",
                new Credential(Keys.pem(rsa.getPublic()), KeyFormat.RSA_PEM, null), "RS256",
                new Credential(Keys.pkcs1Pem(rsa.getPublic()), KeyFormat.RSA_PEM, null), "RS256",
                new Credential(Keys.certificatePem(rsa, false), KeyFormat.RSA_X509_PEM, null), "RS256");
        cases.forEach((credential, alg) -> {
            String token = Jwts.device(alg, ID).sign(alg.equals("ES256") ? EC.getPrivate() : rsa.getPrivate());
            assertEquals(alg, verifier.verify(token, device(credential), ID).algorithm());
        });
    }

    @Test
    void shouldAcceptCertificateCredentialWhoseCertificateHasExpired() {
        Credential credential = new Credential(Keys.certificatePem(EC, true), KeyFormat.ES256_X509_PEM, null);
        assertEquals("ES256", verifier.verify(Jwts.device("ES256", ID).sign(EC.getPrivate()), device(credential), ID).algorithm());
    }

    @Test
    void shouldAcceptRotatedCredentialAndReportWhichOne() {
        Device rotated = device(ecCredential(EC_OTHER), new Credential(Keys.pem(RSA.getPublic()), KeyFormat.RSA_PEM, null),
                ecCredential(EC));
        assertEquals(2, verifier.verify(Jwts.device("ES256", ID).sign(EC.getPrivate()), rotated, ID).credentialIndex());
        assertEquals(1, verifier.verify(Jwts.device("RS256", ID).sign(RSA.getPrivate()), rotated, ID).credentialIndex());
    }

    @Test
    void shouldSkipExpiredCredentialEvenWhenItsKeyMatches() {
        Instant past = Instant.now().minusSeconds(60);
        Device device = device(new Credential(Keys.pem(EC.getPublic()), KeyFormat.ES256_PEM, past), ecCredential(EC_OTHER));
        assertEquals(Reason.TOKEN_SIGNATURE_INVALID, refusal(verifier, Jwts.device("ES256", ID).sign(EC.getPrivate()), device));
    }

    @Test
    void shouldAcceptCredentialBeforeItsExpiry() {
        Instant future = Instant.now().plusSeconds(3600);
        Device device = device(new Credential(Keys.pem(EC.getPublic()), KeyFormat.ES256_PEM, future));
        assertEquals(0, verifier.verify(Jwts.device("ES256", ID).sign(EC.getPrivate()), device, ID).credentialIndex());
    }

    @Test
    void shouldRefuseDeviceWhoseCredentialsAllExpired() {
        Instant past = Instant.now().minusSeconds(1);
        Device device = device(new Credential(Keys.pem(EC.getPublic()), KeyFormat.ES256_PEM, past));
        assertEquals(Reason.DEVICE_CREDENTIALS_EXPIRED, refusal(verifier, Jwts.device("ES256", ID).sign(EC.getPrivate()), device));
    }

    @Test
    void shouldRefuseDeviceWhoseOnlyCredentialIsUnusable() {
        Device device = device(new Credential(Keys.pem(Keys.ec("secp384r1").getPublic()), KeyFormat.ES256_PEM, null));
        assertEquals(Reason.DEVICE_CREDENTIALS_INVALID, refusal(verifier, Jwts.device("ES256", ID).sign(EC.getPrivate()), device));
    }

    @Test
    void shouldRefuseDeviceWithNoCredentialAsHavingNoneUsable() {
        // a registry entry whose credentials were all unreadable is kept with none, to be refused by name
        assertEquals(Reason.DEVICE_CREDENTIALS_INVALID, refusal(verifier, Jwts.device("ES256", ID).sign(EC.getPrivate()), device()));
    }

    @Test
    void shouldRefuseTokenSignedByAnotherDevicesKey() {
        assertEquals(Reason.TOKEN_SIGNATURE_INVALID, refusal(Jwts.device("ES256", ID).sign(EC_OTHER.getPrivate())));
    }

    @Test
    void shouldAcceptClockSkewInsideTheWindow() {
        // expired 9 minutes ago, and issued 9 minutes in the future: both inside 10 minutes of skew
        verifier.verify(Jwts.device("ES256", ID).times(-3600, -540).sign(EC.getPrivate()), device(ecCredential(EC)), ID);
        verifier.verify(Jwts.device("ES256", ID).times(540, 3600).sign(EC.getPrivate()), device(ecCredential(EC)), ID);
        verifier.verify(Jwts.device("ES256", ID).claim("nbf", now() + 540).sign(EC.getPrivate()), device(ecCredential(EC)), ID);
    }

    @Test
    void shouldRefuseExpiredTokenBeyondTheSkew() {
        assertEquals(Reason.TOKEN_EXPIRED, refusal(Jwts.device("ES256", ID).times(-3600, -660).sign(EC.getPrivate())));
    }

    @Test
    void shouldRefuseTokenIssuedInTheFutureBeyondTheSkew() {
        assertEquals(Reason.TOKEN_NOT_YET_VALID, refusal(Jwts.device("ES256", ID).times(660, 3600).sign(EC.getPrivate())));
    }

    @Test
    void shouldHonourNotBefore() {
        assertEquals(Reason.TOKEN_NOT_YET_VALID,
                refusal(Jwts.device("ES256", ID).claim("nbf", now() + 660).sign(EC.getPrivate())));
    }

    @Test
    void shouldAcceptLifetimeUpTo24HoursPlusSkew() {
        verifier.verify(Jwts.device("ES256", ID).times(0, 24 * 3600 + 540).sign(EC.getPrivate()), device(ecCredential(EC)), ID);
    }

    @Test
    void shouldRefuseLifetimeOver24HoursPlusSkew() {
        // the seed's sample device asks for 10 days
        assertEquals(Reason.TOKEN_LIFETIME_TOO_LONG, refusal(Jwts.device("ES256", ID).times(0, 10 * 86400).sign(EC.getPrivate())));
        assertEquals(Reason.TOKEN_LIFETIME_TOO_LONG,
                refusal(Jwts.device("ES256", ID).times(0, 24 * 3600 + 660).sign(EC.getPrivate())));
    }

    @Test
    void shouldRequireExpAndIat() {
        assertEquals(Reason.TOKEN_CLAIMS_INVALID, refusal(Jwts.device("ES256", ID).claim("exp", null).sign(EC.getPrivate())));
        assertEquals(Reason.TOKEN_CLAIMS_INVALID, refusal(Jwts.device("ES256", ID).claim("iat", null).sign(EC.getPrivate())));
        assertEquals(Reason.TOKEN_CLAIMS_INVALID, refusal(Jwts.device("ES256", ID).claim("exp", "soon").sign(EC.getPrivate())));
    }

    @Test
    void shouldCheckAudienceOnlyWhenConfigured() {
        DeviceTokenVerifier checking = verifier(Optional.of(Set.of("my-project", "other-project")));
        Device device = device(ecCredential(EC));
        checking.verify(Jwts.device("ES256", ID).claim("aud", "my-project").sign(EC.getPrivate()), device, ID);
        assertEquals(Reason.TOKEN_AUDIENCE_MISMATCH,
                refusal(checking, Jwts.device("ES256", ID).claim("aud", "someone-else").sign(EC.getPrivate()), device));
        assertEquals(Reason.TOKEN_AUDIENCE_MISMATCH, refusal(checking, Jwts.device("ES256", ID).sign(EC.getPrivate()), device));
        verifier.verify(Jwts.device("ES256", ID).claim("aud", "anything").sign(EC.getPrivate()), device, ID);
    }

    @Test
    void shouldBindTokenToTheRegistrationId() {
        assertEquals(Reason.TOKEN_SUBJECT_MISMATCH,
                refusal(Jwts.device("ES256", ID).claim("registration_id", "dev-002").sign(EC.getPrivate())));
        assertEquals(Reason.TOKEN_SUBJECT_MISMATCH,
                refusal(Jwts.device("ES256", ID).claim("sub", "dev-002").sign(EC.getPrivate())));
        assertEquals(Reason.TOKEN_SUBJECT_MISMATCH,
                refusal(Jwts.device("ES256", ID).claim("registration_id", 42).sign(EC.getPrivate())));
        // DPS registration ids ignore case; a token without either claim is not bound, which a key of this device
        // alone allows
        verifier.verify(Jwts.device("ES256", ID).claim("registration_id", "DEV-001").claim("sub", "Dev-001").sign(EC.getPrivate()),
                device(ecCredential(EC)), ID);
        verifier.verify(Jwts.device("ES256", ID).claim("registration_id", null).sign(EC.getPrivate()),
                device(ecCredential(EC, KeyOwners.ONE_DEVICE)), ID);
    }

    @Test
    void shouldRequireATokenToNameItsDeviceWhenTheKeyIsNotTheDevicesAlone() {
        String unnamed = Jwts.device("ES256", ID).claim("registration_id", null).sign(EC.getPrivate());
        assertEquals(Reason.TOKEN_BINDING_MISSING, refusal(verifier, unnamed, device(ecCredential(EC, KeyOwners.SEVERAL_DEVICES))));
        assertEquals(Reason.REGISTRY_NOT_READY, refusal(verifier, unnamed, device(ecCredential(EC, KeyOwners.NOT_KNOWN_YET))),
                "while the registry's full read runs, DPS is asked to retry");
        for (KeyOwners owners : KeyOwners.values()) {
            verifier.verify(Jwts.device("ES256", ID).sign(EC.getPrivate()), device(ecCredential(EC, owners)), ID);
            verifier.verify(Jwts.device("ES256", ID).claim("registration_id", null).claim("sub", ID).sign(EC.getPrivate()),
                    device(ecCredential(EC, owners)), ID);
        }
        DeviceTokenVerifier strict = new DeviceTokenVerifier(Optional.empty(), Duration.ofHours(24), Duration.ofMinutes(10),
                Clock.systemUTC(), true);
        assertEquals(Reason.TOKEN_BINDING_MISSING, refusal(strict, unnamed, device(ecCredential(EC, KeyOwners.ONE_DEVICE))));
        strict.verify(Jwts.device("ES256", ID).sign(EC.getPrivate()), device(ecCredential(EC, KeyOwners.ONE_DEVICE)), ID);
    }

    @Test
    void shouldAcceptOnlyTheCanonicalEncodingOfAToken() {
        Device device = device(ecCredential(EC));
        String token = Jwts.device("ES256", ID).sign(EC.getPrivate());
        verifier.verify(token, device, ID);
        int lastDot = token.lastIndexOf('.');
        String signature = token.substring(lastDot + 1);
        List<String> spellings = new java.util.ArrayList<>(List.of(token + "=", token + "==", " " + token, token + " ",
                token + "\n", token.substring(0, lastDot + 10) + "\n" + token.substring(lastDot + 10),
                token.substring(0, lastDot + 10) + " " + token.substring(lastDot + 10),
                token.substring(0, lastDot + 10) + "!" + token.substring(lastDot + 10),
                token.replace('.', '!'), token + "." + signature));
        // the same bytes in standard base64 (+ and /) and with padding
        byte[] raw = Base64.getUrlDecoder().decode(signature);
        spellings.add(token.substring(0, lastDot + 1) + Base64.getEncoder().encodeToString(raw));
        spellings.add(token.substring(0, lastDot + 1) + Base64.getMimeEncoder().encodeToString(raw));
        // 64 bytes take 86 characters with 4 unused bits in the last: setting them decodes to the same bytes
        char last = signature.charAt(signature.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        spellings.add(token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1));
        for (String spelling : spellings) {
            if (!spelling.equals(token)) {
                assertEquals(Reason.TOKEN_MALFORMED, refusal(verifier, spelling, device), spelling);
            }
        }
    }

    @Test
    void shouldRefuseTheUnencodedPayloadOptionAndDuplicateHeaderMembers() {
        assertEquals(Reason.TOKEN_HEADER_NOT_ALLOWED, refusal(Jwts.device("ES256", ID).header("b64", false).sign(EC.getPrivate())));
        assertEquals(Reason.TOKEN_HEADER_NOT_ALLOWED, refusal(Jwts.device("ES256", ID).header("b64", true).sign(EC.getPrivate())));
        String claims = Jwts.device("ES256", ID).signingInput().split("\\.")[1];
        String header = Jwts.b64("{\"alg\":\"ES256\",\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String input = header + "." + claims;
        String token = input + "." + Jwts.b64(Jwts.signature(EC.getPrivate(), input.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Reason.TOKEN_MALFORMED, refusal(token));
    }

    @Test
    void shouldRefuseHeaderMembersOfTheWrongType() {
        // found by TokenPropertiesTest: a numeric typ made the principal factory throw, which was a 500
        for (String member : List.of("typ", "cty", "kid")) {
            assertEquals(Reason.TOKEN_MALFORMED, refusal(Jwts.device("ES256", ID).header(member, 0).sign(EC.getPrivate())), member);
            assertEquals(Reason.TOKEN_MALFORMED, refusal(Jwts.device("ES256", ID).header(member, List.of()).sign(EC.getPrivate())), member);
        }
    }

    @Test
    void shouldRefuseHeaderOrClaimsThatAreNotUtf8() {
        long now = now();
        byte[] claims = ("{\"iat\":" + now + ",\"exp\":" + (now + 600) + ",\"registration_id\":\"dev-001\",\"x\":\"\u0001\"}")
                .getBytes(StandardCharsets.UTF_8);
        claims[claims.length - 3] = (byte) 0xC3; // a lead byte followed by '"': not UTF-8
        String header = Jwts.b64("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
        String input = header + "." + Jwts.b64(claims);
        String token = input + "." + Jwts.b64(Jwts.signature(EC.getPrivate(), input.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Reason.TOKEN_MALFORMED, refusal(token));

        byte[] badHeader = "{\"alg\":\"ES256\",\"x\":\"\u0001\"}".getBytes(StandardCharsets.UTF_8);
        badHeader[badHeader.length - 3] = (byte) 0xFF;
        String input2 = Jwts.b64(badHeader) + "." + Jwts.device("ES256", ID).signingInput().split("\\.")[1];
        assertEquals(Reason.TOKEN_MALFORMED,
                refusal(input2 + "." + Jwts.b64(Jwts.signature(EC.getPrivate(), input2.getBytes(StandardCharsets.US_ASCII)))));
    }

    @Test
    void shouldRefuseExtremeTimesWithoutOverflow() {
        long now = now();
        long[][] cases = { { Long.MIN_VALUE, now + 600 }, { Long.MIN_VALUE + 1, now + 600 }, { -9_220_000_000_000_000_000L, now + 60 },
                { now, Long.MAX_VALUE }, { Long.MAX_VALUE, Long.MAX_VALUE }, { Long.MIN_VALUE, Long.MAX_VALUE },
                { now - 60, Long.MIN_VALUE }, { Long.MAX_VALUE - 100, Long.MAX_VALUE - 10 }, { now + 600, now - 600 } };
        for (long[] times : cases) {
            String token = Jwts.device("ES256", ID).claim("iat", times[0]).claim("exp", times[1]).sign(EC.getPrivate());
            Reason reason = refusal(token);
            assertEquals(403, reason.status(), times[0] + ", " + times[1] + " -> " + reason);
        }
        assertEquals(403, refusal(Jwts.device("ES256", ID).claim("nbf", Long.MAX_VALUE).sign(EC.getPrivate())).status());
        verifier.verify(Jwts.device("ES256", ID).claim("nbf", Long.MIN_VALUE).sign(EC.getPrivate()), device(ecCredential(EC)), ID);
    }

    @Test
    void shouldRefuseAlgNone() {
        String token = Jwts.device("none", ID).signingInput() + ".";
        assertEquals(Reason.TOKEN_ALGORITHM_NOT_ALLOWED, refusal(token));
    }

    @Test
    void shouldRefuseHs256KeyedWithThePublicKey() throws Exception {
        Jwts jwt = Jwts.device("HS256", ID);
        for (byte[] secret : List.of(EC.getPublic().getEncoded(), Keys.pem(EC.getPublic()).getBytes(StandardCharsets.US_ASCII))) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String token = jwt.withSignature(mac.doFinal(jwt.signingInput().getBytes(StandardCharsets.US_ASCII)));
            assertEquals(Reason.TOKEN_ALGORITHM_NOT_ALLOWED, refusal(token));
        }
    }

    @Test
    void shouldRefuseZeroSignature() {
        assertEquals(Reason.TOKEN_SIGNATURE_INVALID, refusal(Jwts.device("ES256", ID).withSignature(new byte[64])));
    }

    @Test
    void shouldRefuseDerEncodedSignature() {
        assertEquals(Reason.TOKEN_SIGNATURE_INVALID, refusal(Jwts.device("ES256", ID).signDer(EC.getPrivate())));
    }

    @Test
    void shouldRefuseTamperedClaims() {
        String genuine = Jwts.device("ES256", ID).sign(EC.getPrivate());
        String[] parts = genuine.split("\\.");
        String forgedClaims = Jwts.b64(("{\"iat\":" + now() + ",\"exp\":" + (now() + 3600) + ",\"registration_id\":\"dev-002\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Reason.TOKEN_SIGNATURE_INVALID, refusal(parts[0] + "." + forgedClaims + "." + parts[2]));
    }

    @Test
    void shouldRefuseHeadersThatCarryOrNameKeys() {
        ECPublicKey attacker = (ECPublicKey) EC_OTHER.getPublic();
        Map<String, Object> jwk = Map.of("kty", "EC", "crv", "P-256",
                "x", Jwts.b64(unsigned(attacker.getW().getAffineX().toByteArray())),
                "y", Jwts.b64(unsigned(attacker.getW().getAffineY().toByteArray())));
        for (Jwts jwt : List.of(Jwts.device("ES256", ID).header("jwk", jwk),
                Jwts.device("ES256", ID).header("jku", "https://attacker.example/keys"),
                Jwts.device("ES256", ID).header("x5u", "https://attacker.example/cert"),
                Jwts.device("ES256", ID).header("x5c", List.of("MIIB")),
                Jwts.device("ES256", ID).header("crit", List.of("exp")).header("exp", 1))) {
            assertEquals(Reason.TOKEN_HEADER_NOT_ALLOWED, refusal(jwt.sign(EC_OTHER.getPrivate())));
        }
    }

    @Test
    void shouldTakeTheAlgorithmFromTheKeyNotTheHeader() {
        // an RS256 header cannot make an EC credential verify, and the reverse
        assertEquals(Reason.TOKEN_SIGNATURE_INVALID, refusal(Jwts.device("RS256", ID).sign(RSA.getPrivate())));
        Device rsaOnly = device(new Credential(Keys.pem(RSA.getPublic()), KeyFormat.RSA_PEM, null));
        assertEquals(Reason.TOKEN_SIGNATURE_INVALID, refusal(verifier, Jwts.device("ES256", ID).sign(EC.getPrivate()), rsaOnly));
        assertEquals(Reason.TOKEN_ALGORITHM_NOT_ALLOWED, refusal(Jwts.device("ES384", ID).sign(EC.getPrivate())));
    }

    @Test
    void shouldRefuseMalformedTokens() {
        for (String token : List.of("not-a-jwt", "a.b", "a.b.c.d", "!!!.e30.sig", Jwts.b64("[1]".getBytes()) + ".e30.sig",
                Jwts.b64("{\"alg\":\"ES256\"}".getBytes()) + ".%%%." + Jwts.b64(new byte[64]))) {
            Reason reason = refusal(token);
            assertEquals(true, reason == Reason.TOKEN_MALFORMED || reason == Reason.TOKEN_SIGNATURE_INVALID, token + " -> " + reason);
        }
        assertEquals(Reason.TOKEN_MALFORMED, refusal("a.b.c.d"));
        assertEquals(Reason.TOKEN_MALFORMED, refusal(Base64.getUrlEncoder().encodeToString("{\"alg\"".getBytes()) + ".e30.x"));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes.length == 33 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, 33) : bytes;
    }
}
